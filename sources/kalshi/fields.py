"""Reading one field of a Kalshi market or candle: prices in dollars, counts, times. Pure.

Prices are read from the `*_dollars` strings (and counts from `*_fp`) that replaced the integer-cent
fields on 2026-03-12; older responses still carry cents, which are converted to dollars.
"""

from datetime import UTC, datetime
from typing import Any


class MalformedResponse(ValueError):
    pass


def number(market: dict, name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise MalformedResponse(f"{market.get('ticker', '?')}: {name}={value!r} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('ticker', '?')}: {name}={value!r} is not a number") from None


def price(obj: dict, name: str) -> float | None:
    """A price in dollars from `<name>_dollars`, else from the legacy integer cents `<name>`."""
    if obj.get(f"{name}_dollars") is not None:
        return number(obj, f"{name}_dollars", obj[f"{name}_dollars"])
    if obj.get(name) is not None:
        return number(obj, name, obj[name]) / 100
    return None


def count(obj: dict, name: str) -> float | None:
    """A contract count from `<name>_fp`, else from the legacy integer `<name>`."""
    if obj.get(f"{name}_fp") is not None:
        return number(obj, f"{name}_fp", obj[f"{name}_fp"])
    if obj.get(name) is not None:
        return number(obj, name, obj[name])
    return None


def plain(obj: dict, name: str) -> float | None:
    """A value already in dollars (or contracts) under its bare name, as the historical tier sends it."""
    return number(obj, name, obj[name]) if obj.get(name) is not None else None


def moment(market: dict, name: str) -> datetime | None:
    value = market.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('ticker', '?')}: {name}={value!r} is not a time") from None
