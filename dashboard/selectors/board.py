"""The board: source cards with their next run and quota, open Kalshi markets, the FlixPatrol week."""

import json
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core import credentials
from dashboard.selectors.reasons import HEALTH_TONE
from forecasts.markets.comparisons import two_sided
from forecasts.markets.trader import board_terms
from forecasts.selectors import market_probabilities
from shows.models import Show
from sources.models import Market, Snapshot
from sources.pipeline import quota
from sources.pipeline.schedules import TASK
from sources.selectors import source_list

OPEN_MARKET_STATUSES = ("active", "open")
PRICE_METRICS = ("last_price", "yes_bid", "yes_ask")
LEADING_OUTCOMES = 4
FLIXPATROL_LEADERS = 10


def _next_runs(now: datetime) -> dict[str, datetime]:
    """The soonest next run of each source over all its periodic tasks (a source may have several)."""
    soonest: dict[str, datetime] = {}
    for task in PeriodicTask.objects.filter(task=TASK, enabled=True).select_related("interval", "crontab"):
        try:
            key = json.loads(task.args or "[]")[0]
            # Beat measures from the last run; a task that never ran is due at its first tick.
            remaining = task.schedule.remaining_estimate(task.last_run_at or now)
        except (ValueError, IndexError, TypeError, AttributeError):
            continue  # a hand-edited task beat itself could not read either: no next run to show
        at = now + max(remaining, timedelta(0))
        if key not in soonest or at < soonest[key]:
            soonest[key] = at
    return soonest


def board_sources(*, now: datetime | None = None) -> list[dict]:
    """The API's source list plus what a card adds: next run, quota left, missing credential names."""
    now = now or timezone.now()
    next_runs = _next_runs(now)
    cards = []
    for source in source_list():
        key = source["key"]
        cards.append(
            {
                **source,
                "nextRun": next_runs.get(key) if source["enabled"] else None,
                "quota": quota.status(key, now),
                "missingCredentials": credentials.missing(key),
                "tone": HEALTH_TONE.get(source["health"], "idle"),
            }
        )
    return cards


def _latest_prices(tickers: list[str]) -> dict[str, dict[str, float]]:
    rows = (
        Snapshot.objects.filter(source__key="kalshi", scope__in=tickers, metric__in=PRICE_METRICS)
        .annotate(
            newest_first=Window(
                RowNumber(),
                partition_by=[F("scope"), F("metric")],
                order_by=[F("observed_at").desc(), F("id").desc()],
            )
        )
        .filter(newest_first=1)
        .values_list("scope", "metric", "value")
    )
    prices: dict[str, dict[str, float]] = defaultdict(dict)
    for ticker, metric, value in rows:
        prices[ticker][metric] = value
    return prices


def _yes_price(prices: dict[str, float]) -> float | None:
    """What the market says the outcome is worth, by the rule the comparisons use (so the board's price
    is the one our probability is compared with on /forecasts): the middle of a two-sided bid and ask,
    else the last trade."""
    bid, ask = prices.get("yes_bid"), prices.get("yes_ask")
    if two_sided(bid, ask):
        return (bid + ask) / 2
    return prices.get("last_price")


def open_markets(*, limit_events: int = 6) -> list[dict]:
    """Open Kalshi Netflix events, soonest close first, each with its leading outcomes by price."""
    markets = list(
        # Kalshi only: its prices are read from the kalshi source (Polymarket legs share the table).
        Market.objects.filter(venue="kalshi", status__in=OPEN_MARKET_STATUSES, settled_at__isnull=True)
        .select_related("show")
        .order_by("close_time", "event_ticker", "ticker")
    )
    prices = _latest_prices([m.ticker for m in markets]) if markets else {}
    events: dict[str, dict] = {}
    for m in markets:
        event = events.setdefault(
            m.event_ticker or m.ticker,
            {
                "ticker": m.event_ticker or m.ticker,
                "title": m.title,
                "closeTime": m.close_time,
                "outcomes": [],
            },
        )
        p = prices.get(m.ticker, {})
        event["outcomes"].append(
            {
                "ticker": m.ticker,
                "outcome": m.outcome or m.ticker,
                "show": m.show,
                "price": _yes_price(p),
                "bid": p.get("yes_bid"),
                "ask": p.get("yes_ask"),
            }
        )
    # Our probability beside the market's, from the stored model-market comparisons (forecasts app).
    ours = market_probabilities([m.ticker for m in markets]) if markets else {}
    for event in events.values():
        for o in event["outcomes"]:
            o["ours"] = (ours.get(o["ticker"]) or {}).get("ours")
    result = []
    for event in list(events.values())[:limit_events]:
        ranked = sorted(event["outcomes"], key=lambda o: -(o["price"] if o["price"] is not None else -1))
        # What the event settles on, its rules and its field (all outcomes, not just the leading).
        members = [m for m in markets if (m.event_ticker or m.ticker) == event["ticker"]]
        terms = board_terms(members, event["outcomes"])
        result.append(
            {**event, **terms, "outcomes": ranked[:LEADING_OUTCOMES], "more": len(ranked) - LEADING_OUTCOMES}
        )
    return result


def flixpatrol_week(*, now: datetime | None = None) -> dict:
    """World daily ranks from the Monday of the newest stored chart day: {lists: {name: rows}, days}.

    Netflix's week runs Monday to Sunday, so "the week so far" is what Kalshi's weekly markets settle on.
    """
    now = now or timezone.now()
    rows = list(
        Snapshot.objects.filter(
            source__key="flixpatrol",
            metric="rank",
            scope="world",
            period="day",
            observed_at__gte=now - timedelta(days=14),
        )
        .order_by("observed_at")
        .values_list("observed_at", "value", "show_id", "attrs")
    )
    if not rows:
        return {"days": [], "lists": {}}
    newest = rows[-1][0]
    week_start = (newest - timedelta(days=newest.weekday())).replace(hour=0, minute=0, second=0)
    days = [week_start + timedelta(days=n) for n in range((newest - week_start).days + 1)]
    rows = [row for row in rows if row[0] >= week_start]
    # Titles apart: joined in, the planner (expecting one row) scanned every show once per rank row,
    # 450 ms of the board's 750 at 40 M rows.
    titles = dict(Show.objects.filter(pk__in={row[2] for row in rows}).values_list("id", "title"))
    ranks: dict[str, dict[int, dict]] = defaultdict(dict)
    for observed_at, value, show_id, attrs in rows:
        list_name = (attrs or {}).get("list", "tv")
        title = titles.get(show_id)
        entry = ranks[list_name].setdefault(show_id, {"showId": show_id, "title": title, "ranks": {}})
        entry["ranks"][observed_at] = int(value)
    lists = {}
    for list_name, entries in sorted(ranks.items(), key=lambda item: item[0] != "tv"):
        leaders = sorted(entries.values(), key=lambda e: (e["ranks"].get(newest, 99), e["title"]))
        lists[list_name] = [
            {**e, "days": [e["ranks"].get(day) for day in days]} for e in leaders[:FLIXPATROL_LEADERS]
        ]
    return {"days": days, "lists": lists}
