"""Scores of one week's P(#1) against what Netflix published. Pure functions of plain arrays."""

import math

import numpy as np


def brier(p: np.ndarray, actual: int) -> float:
    """Multi-outcome Brier score: sum over outcomes of (p - won)²; 0 is perfect, 2 the worst."""
    won = np.zeros(len(p))
    won[actual] = 1.0
    return float(np.sum((np.asarray(p) - won) ** 2))


def log_loss(p: np.ndarray, actual: int) -> float:
    return -math.log(float(p[actual]))


def top_k_hit(p: np.ndarray, actual: int, k: int) -> bool:
    """Is the winner among the k most probable outcomes? Ties go to the earlier outcome."""
    order = np.argsort(-np.asarray(p), kind="stable")
    return actual in order[:k].tolist()


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of the values, ties sharing their average rank."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for v in np.unique(values):
        tied = values == v
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman ρ with average ranks for ties; 0 when either side has no spread (nothing to order)."""
    ra, rb = average_ranks(a), average_ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])
