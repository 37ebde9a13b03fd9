"""Reading one field of a Gamma market: string-encoded lists, numbers, times. Pure."""

import json
import math
from datetime import datetime
from typing import Any


class MalformedResponse(ValueError):
    pass


def listed(market: dict, name: str) -> list:
    """`outcomes`, `outcomePrices`, `clobTokenIds` come as JSON-encoded strings; a real list is taken
    too, as the official SDK does (VENUES.md A1). Missing: []."""
    value = market.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, list):
        raise MalformedResponse(f"{market.get('slug')}: {name} is not a list")
    return value


def yes_token(market: dict) -> str:
    """The CLOB token of the YES side: same index in clobTokenIds as "Yes" in outcomes."""
    tokens, outcomes = listed(market, "clobTokenIds"), listed(market, "outcomes")
    index = outcomes.index("Yes") if "Yes" in outcomes else 0
    return str(tokens[index]) if len(tokens) > index else ""


def number(market: dict, name: str, value: Any = None) -> float | None:
    value = market.get(name) if value is None else value
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):  # float(True) is 1.0: a flag where a number belongs is malformed
            raise TypeError
        if not math.isfinite(found := float(value)):  # NaN or inf: a broken body, not a price
            raise ValueError
        return found
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('slug')}: {name} {value!r} is not a number") from None


def moment(market: dict, name: str) -> datetime | None:
    # Gamma writes "2025-12-30T12:00:00Z" and, for closedTime, "2025-12-30 09:09:31+00".
    value = market.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('slug')}: {name} {value!r} is not a time") from None


def yes_price(market: dict) -> float | None:
    outcomes, prices = listed(market, "outcomes"), listed(market, "outcomePrices")
    index = outcomes.index("Yes") if "Yes" in outcomes else 0
    return number(market, "outcomePrices", prices[index]) if len(prices) > index else None
