"""Factories for tests: stored rows (shows, snapshots, markets) as the pipeline would have written them."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from shows.models import Show
from sources.models import Market, Snapshot, Source

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def day(offset: int = 0) -> datetime:
    today = timezone.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=offset)


def snapshot(show, source: str, metric: str, value: float, observed_at: datetime, **kw) -> Snapshot:
    return Snapshot.objects.create(
        source=Source.objects.get(key=source),
        show=show,
        metric=metric,
        value=value,
        observed_at=observed_at,
        scope=kw.pop("scope", "global"),
        period=kw.pop("period", "day"),
        fetched_at=timezone.now(),
        **kw,
    )


def watched_show(title: str, **kw) -> Show:
    return Show.objects.create(title=title, on_watchlist=True, **kw)


def show_with_signals(title: str, *, pageviews=(100, 120, 150), rank=(5, 3)) -> Show:
    """Pageviews over the last days (oldest first) and Tudum ranks of the last weeks."""
    show = watched_show(title, wikipedia_article=title.replace(" ", "_"))
    for n, value in enumerate(reversed(pageviews)):
        snapshot(show, "wikipedia", "pageviews", value, day(n + 1), scope="en.wikipedia")
    for n, value in enumerate(reversed(rank)):
        snapshot(show, "tudum", "rank", value, day(7 * n + 10), scope="tv_english", period="week")
    return show


def open_market(show, ticker: str, outcome: str, price: float, close_in=timedelta(days=2)) -> Market:
    market = Market.objects.create(
        ticker=ticker,
        series="KXNETFLIXRANKSHOW",
        event_ticker=ticker.rsplit("-", 1)[0],
        title="Top US Netflix Show this week?",
        outcome=outcome,
        status="active",
        close_time=timezone.now() + close_in,
        show=show,
    )
    snapshot(show, "kalshi", "last_price", price, timezone.now(), scope=ticker, period="instant")
    return market


def flixpatrol_ranks(show, ranks: list[int], list_name: str = "tv") -> None:
    """World ranks on the last len(ranks) days, oldest first."""
    for n, rank in enumerate(reversed(ranks)):
        snapshot(show, "flixpatrol", "rank", rank, day(n), scope="world", attrs={"list": list_name})
