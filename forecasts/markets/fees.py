"""Kalshi's fee schedule of one market at a moment: which type and multiplier are in force, and the
taker and maker rates they give. Pure.

Kalshi's fees differ by series: each series has a `fee_type` and a `fee_multiplier` (GET
/series/{ticker}) and may have fee changes scheduled (GET /series/fee_changes), stored on the Market by
the Kalshi source. Fee schedule effective July 7, 2026, as quoted in /work/shared/VENUES.md B3:
taker = round up(M × 0.07 × C × P × (1 − P)); maker = round up(M × 0.0175 × C × P × (1 − P)) only for
`quadratic_with_maker_fees` series, other series pay no maker fee. The `flat` type's formula is not
in the sources read, so it is not guessed: the configured rate applies and the block says so.
"""

from datetime import datetime

TAKER_BASE = 0.07
MAKER_BASE = 0.0175
# Buying at the ask (or no at 1 − bid) crosses the spread: every price the cost block uses is a taker's.
APPLIES = "taker: buying at the ask takes liquidity; a resting (maker) order pays makerRate"


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _rates(fee_type: str | None, multiplier: float) -> tuple[float, float] | None:
    """(taker, maker) per contract-P(1−P) for a known type; None for one whose formula is unknown."""
    if fee_type == "quadratic":
        return round(TAKER_BASE * multiplier, 6), 0.0
    if fee_type == "quadratic_with_maker_fees":
        return round(TAKER_BASE * multiplier, 6), round(MAKER_BASE * multiplier, 6)
    return None


def fee_schedule(stored: dict | None, at: datetime, *, fallback_rate: float) -> dict:
    """The `feeSchedule` of a cost block: {type, multiplier, rate (taker), makerRate, appliesTo, from,
    upcoming, note}. `stored`: Market.fee_schedule ({type, multiplier, changes}), None if never read."""
    out = {"type": None, "multiplier": None, "rate": fallback_rate, "makerRate": None}
    out |= {"appliesTo": APPLIES, "from": "setting KALSHI_FEE_RATE", "upcoming": None, "note": ""}
    if not stored or not stored.get("type"):
        return out | {"note": "the series' fee schedule has not been read: the configured rate applies"}
    fee_type, multiplier, source = stored["type"], stored.get("multiplier"), "series"
    changes = stored.get("changes")
    dated = sorted(
        ((_moment(c.get("scheduledTs")), c) for c in changes or [] if _moment(c.get("scheduledTs"))),
        key=lambda pair: pair[0],
    )
    past = [c for when, c in dated if when <= at]
    if past:  # the latest change in force wins over the series' values read earlier
        fee_type = past[-1].get("type") or fee_type
        multiplier = past[-1].get("multiplier", multiplier)
        source = f"fee change of {past[-1]['scheduledTs']}"
    ahead = [c for when, c in dated if when > at]
    if ahead:
        nxt = ahead[0]
        out["upcoming"] = {
            "type": nxt.get("type"),
            "multiplier": nxt.get("multiplier"),
            "at": nxt["scheduledTs"],
        }
    multiplier = 1.0 if multiplier is None else float(multiplier)  # "M defaults to 1"
    out |= {"type": fee_type, "multiplier": multiplier, "from": source}
    if changes is None:
        out["note"] = "the series' fee changes could not be read"
    rates = _rates(fee_type, multiplier)
    if rates is None:
        note = f"fee type {fee_type!r}: its formula is not known here, the configured rate applies"
        return out | {"note": "; ".join(n for n in (out["note"], note) if n)}
    out["rate"], out["makerRate"] = rates
    return out
