"""Walk forward over a US list: each week fit on earlier weeks only, then scored. Three methods:

- `model`: the nowcast (`us_nowcast`) where the week has daily lists, else the rank model;
- `history`: the rank model alone (`us_model`: the same model without the daily features);
- `persistence`: last week's ranks, calibrated on its own earlier weeks.

The daily file is read point in time: the week ending on Sunday S is predicted at the close on Monday
S + 1 and sees only the lists readable then — shown up to S + 1 − `daily_lag_days` (0: all seven, the
Monday list too; 1: FlixPatrol's publication lag, six) — and each earlier week only its own lists as
readable at its own close, so nothing fit for a week was shown after it. A daily name means the newest
season known then, including seasons a market would list (`season_identity.announced_in_files`).
"""

from datetime import date

import numpy as np

from forecasts.backtests.scores import brier, log_loss, top_k_hit
from forecasts.engines import daily_features as daily
from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.engines.calibration import FrequencyCalibration
from forecasts.engines.daily_keys import DAILY_PREFIX, find_daily, week_lists
from forecasts.engines.daily_keys import split_key as _split
from forecasts.engines.outcomes import NEW, RawForecast
from forecasts.engines.season_identity import announced_in_files
from forecasts.history.us_lists import RankWeek


def file_charts(rows, kind: str) -> dict[date, daily.DailyChart]:
    """The daily file's rows of one kind (sources.imports.daily_ranks.DailyRow) as charts keyed by their
    title."""
    charts: dict[date, daily.DailyChart] = {}
    for r in rows:
        if r.kind == kind:
            charts.setdefault(r.shown_on, daily.DailyChart(r.shown_on)).ranks[r.title] = r.rank
    return charts


def _scores(p: np.ndarray, actual: int) -> dict:
    return {
        "top1": top_k_hit(p, actual, 1),
        "top2": top_k_hit(p, actual, 2),
        "brier": brier(p, actual),
        "logloss": log_loss(p, actual),
    }


def _summary(scores: list[dict]) -> dict:
    keys = ("top1", "top2", "brier", "logloss")
    return {k: round(float(np.mean([s[k] for s in scores])), 4) if scores else None for k in keys}


def _title(key: str, shown: dict[str, str] | None = None) -> str:
    """A season's own title where the file has one ("Outer Banks: Season 2"), else the show's; a daily-only
    title as the daily list showed it."""
    if key == NEW:
        return "A show not yet seen"
    if key.startswith(DAILY_PREFIX) and shown and key in shown:
        return shown[key]
    title, season = _split(key.removeprefix(DAILY_PREFIX))
    return season if season and season.upper() != "N/A" else title


def run_us_backtest(
    history: list[RankWeek],
    global_by_week: dict[date, dict[str, int]],
    *,
    charts: dict[date, daily.DailyChart] | None = None,
    start: date | None = None,
    end: date | None = None,
    daily_lag_days: int = 0,
    feature_set: str | None = None,
) -> dict:
    charts = charts or {}

    def announced(week: date, before: list[RankWeek]):
        return announced_in_files(week, before, global_by_week, _split)

    lists = week_lists(
        history, global_by_week, charts, publication_lag=daily_lag_days, announced_for=announced
    )
    scores: dict[str, list[dict]] = {"model": [], "history": [], "persistence": []}
    per_week, past, daily_weeks = [], [], 0
    for i in range(us_model.MIN_HISTORY, len(history)):
        target, before = history[i], history[:i]
        if end and target.week > end:
            break
        global_last = global_by_week.get(before[-1].week, {})
        hist = us_model.forecast(before, global_by_week, global_last)
        earlier = {w: v for w, v in lists.items() if w < target.week}
        now = us_nowcast.nowcast(
            before, global_by_week, global_last, lists.get(target.week, []), earlier, find_daily, feature_set
        )
        raw = _persistence(before)
        leader = target.leader(1)
        if not start or target.week >= start:
            h_actual = _actual(hist.keys, leader)
            scores["history"].append(_scores(hist.p_rank1, h_actual))
            scores["persistence"].append(
                _scores(FrequencyCalibration.fit(past).apply(raw), raw.index_of(leader))
            )
            keys, p = (now.keys, now.p_rank1) if now else (hist.keys, hist.p_rank1)
            actual = _actual(keys, leader, find_daily)
            scores["model"].append(_scores(p, actual))
            daily_weeks += now is not None
            top = np.argsort(-p, kind="stable")[:3]
            shown = {k: t for c in lists.get(target.week, []) for k, t in c.titles.items()}
            per_week.append(
                {
                    "week": target.week.isoformat(),
                    "actual": _title(leader) if leader else None,
                    "p_actual": round(float(p[actual]), 4),
                    "top": [[_title(keys[j], shown), round(float(p[j]), 4)] for j in top],
                    "daily_lists": now.lists_seen if now else 0,
                    "fit_weeks": now.train_weeks if now else 0,
                }
            )
        past.append((raw, raw.index_of(leader)))
    return {
        "weeks": len(per_week),
        "weeks_with_daily_lists": daily_weeks,
        "model": _summary(scores["model"]),
        "history": _summary(scores["history"]),
        "persistence": _summary(scores["persistence"]),
        "features": list(us_nowcast.FEATURES if daily_weeks else us_model.FEATURES),
        "per_week": per_week,
    }


def _actual(keys: list[str], leader: str | None, find=None) -> int:
    return us_nowcast._index(keys, leader, find)


def _persistence(history: list[RankWeek]) -> RawForecast:
    last = history[-1]
    keys, _ = us_model.features(history, {})
    category = [last.ranks.get(k, 11) for k in keys[:-1]] + [12]
    return RawForecast(keys, np.array(category, dtype=float), np.zeros(len(keys)))
