"""The trader's view of the open markets, for the API, the forecasts page and the board: what each
market settles on, the field of its event, and what acting on its price would cost.

Informational only: nothing in the project places orders.
"""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from forecasts.markets.comparisons import latest_predictions, quotes_as_of, target_of
from forecasts.markets.costs import book_disagreement, outcome_cost
from forecasts.markets.fees import fee_schedule
from forecasts.markets.field import event_field, ladder_field
from forecasts.markets.settlement import settles_on
from forecasts.markets.strikes import VIEWS_SERIES
from forecasts.markets.targets import Target
from forecasts.models import MarketComparison
from forecasts.selectors import open_comparisons, prediction_basis
from sources.models import Market


def market_settles_on(m: Market) -> dict:
    return settles_on(rules=m.rules_primary, close_time=m.close_time).as_api()


def book_use(market: Market | None, bid: float | None, ask: float | None, quote_at: datetime | None) -> dict:
    """Whether the stored book may price this quote: it must agree with it and be as fresh, else
    `reason` says why not (and vwap and Kelly use the quote alone)."""
    book_at = market.orderbook_at if market is not None else None
    if market is None or market.orderbook is None:
        return {"used": False, "reason": "no order book is stored for this market", "observedAt": None}
    reason = ""
    if quote_at is not None and (book_at is None or book_at < quote_at):
        read = book_at.isoformat() if book_at else "at an unknown time"
        reason = f"the order book (read {read}) is older than the quote ({quote_at.isoformat()})"
    reason = reason or book_disagreement(market.orderbook, bid=bid, ask=ask)
    return {"used": not reason, "reason": reason, "observedAt": book_at}


def cost_of(
    *,
    ours: float | None,
    bid: float | None,
    ask: float | None,
    market: Market | None = None,
    quote_at: datetime | None = None,
) -> dict:
    """`market`: its stored order book (the Kalshi source's newest GET /markets/{t}/orderbook) gives
    the average price of N contracts when it agrees with the quote (read at `quote_at`) and is as
    fresh; otherwise vwap is null, as no honest average exists, and `book.reason` says why."""
    use = book_use(market, bid, ask, quote_at)
    book = market.orderbook if use["used"] else None
    # The series' own fees, as in force now (a scheduled change counts from its time on).
    stored = market.fee_schedule if market is not None else None
    schedule = fee_schedule(stored, timezone.now(), fallback_rate=settings.KALSHI_FEE_RATE)
    cost = outcome_cost(
        ours=ours,
        bid=bid,
        ask=ask,
        contracts=settings.KALSHI_ORDER_CONTRACTS,
        rate=schedule["rate"],
        kelly_share=settings.KELLY_FRACTION,
        orderbook_fp=book,
    )
    cost["feeSchedule"] = schedule
    cost["book"] = use
    if cost["vwap"] is not None:
        # A book can be older than the quotes when a later run could not read it: say when it was read.
        cost["vwap"]["observedAt"] = market.orderbook_at
    return cost


def _leader(comparisons: list[MarketComparison], as_of: datetime) -> tuple[bool | None, str]:
    """Whether our most likely winner of the event is among its listed outcomes, and its title."""
    c = comparisons[0]
    rows = latest_predictions(Target(c.list_name, c.rank, c.week), as_of)
    if not rows:
        return None, ""
    field = "p_rank1" if c.rank == 1 else "p_rank2"
    leader = max(rows, key=lambda p: getattr(p, field))
    if leader.is_new_show:
        # "A show not yet seen" is listed only if some outcome is none of our candidates.
        return any(x.ours_from_new_show for x in comparisons), leader.title
    return leader.show_id in {x.market.show_id for x in comparisons}, leader.title


def _strike(m: Market) -> float | None:
    target = target_of(m)
    return target.views_at_least if target else None


def _field(comparisons: list[MarketComparison], outcomes: list[dict], series: str) -> dict:
    if series in VIEWS_SERIES:
        return ladder_field(outcomes)
    # Our leader as of the comparison: the same predictions its probabilities came from.
    listed, title = _leader(comparisons, comparisons[0].as_of) if comparisons else (None, "")
    return event_field(
        outcomes, leader_listed=listed, leader_title=title, ask_floor=settings.FIELD_ASK_SUM_FLOOR
    )


def open_events() -> list[dict]:
    """Open compared markets grouped by event: terms, field, and per outcome its comparison,
    the newest stored quotes and the cost of acting on them."""
    comparisons = open_comparisons()
    quotes = quotes_as_of([c.market.ticker for c in comparisons], None)
    grouped: dict[str, list[MarketComparison]] = defaultdict(list)
    for c in comparisons:
        grouped[c.market.event_ticker or c.market.ticker].append(c)
    events = []
    for event_ticker, members in grouped.items():
        outcomes = []
        for c in members:
            q = quotes.get(c.market.ticker, {})
            bid, ask = (q[k][1] if k in q else None for k in ("yes_bid", "yes_ask"))
            quote_at = max((q[k][0] for k in ("yes_bid", "yes_ask") if k in q), default=None)
            strike = _strike(c.market)
            outcomes.append(
                {
                    "comparison": c,
                    "ticker": c.market.ticker,
                    "ours": c.ours,
                    "bid": bid,
                    "ask": ask,
                    "settlesOn": market_settles_on(c.market),
                    "cost": cost_of(ours=c.ours, bid=bid, ask=ask, market=c.market, quote_at=quote_at),
                    "strike": strike,
                    "strikeLabel": f"at least {strike / 1e6:g} million views" if strike else "",
                }
            )
        if members[0].market.series in VIEWS_SERIES:  # a ladder reads in order of its strikes
            outcomes.sort(key=lambda o: o["strike"] or 0)
        first = members[0].market
        basis = prediction_basis(list_name=members[0].list_name, week=members[0].week)
        for o in outcomes:
            show_id = o["comparison"].market.show_id
            o["movedBy"] = (basis or {}).get("movedBy", {}).get(show_id, [])
        events.append(
            {
                "basis": basis,
                "ticker": event_ticker,
                "title": first.title,
                "series": first.series,
                "closeTime": first.close_time,
                "rules": first.rules_primary,
                "settlesOn": outcomes[0]["settlesOn"],
                "field": _field(members, outcomes, first.series),
                "outcomes": outcomes,
            }
        )
    return events


def board_terms(event_markets: list[Market], outcomes: list[dict]) -> dict:
    """What the board's card of one event adds: its terms, its rules text and its field.
    `outcomes`: every listed outcome with `bid`, `ask` and `ours`."""
    comparisons = list(MarketComparison.objects.filter(market__in=event_markets).select_related("market"))
    first = event_markets[0]
    by_ticker = {m.ticker: m for m in event_markets}
    basis = None
    if comparisons:
        basis = prediction_basis(list_name=comparisons[0].list_name, week=comparisons[0].week)
    return {
        "basis": basis,
        "settlesOn": market_settles_on(first),
        "rules": first.rules_primary,
        "field": _field(
            comparisons,
            [{**o, "strike": _strike(by_ticker[o["ticker"]])} for o in outcomes],
            first.series,
        ),
    }
