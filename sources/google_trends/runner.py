"""Google Trends interest over time for every watched show's search term, on one anchored scale."""

import time
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError, WatchedShow
from sources.google_trends import client, config
from sources.google_trends.normalize import (
    MalformedResponse,
    batch_problem,
    normalize,
    not_daily_problem,
    timeseries_widget,
)


def term_of(show: WatchedShow) -> str:
    return (show.search_terms[0] if show.search_terms else show.title).strip()


def batches(shows: list[WatchedShow], anchor: str) -> list[tuple[list[str], list[list[int]]]]:
    """(columns, show ids per column) per request: the anchor first, then up to four terms.

    Shows sharing a term share a column; a show whose term is the anchor reads the anchor column.
    """
    by_term: dict[str, tuple[str, list[int]]] = {}
    for show in shows:
        term = term_of(show)
        by_term.setdefault(term.casefold(), (term, []))[1].append(show.id)
    on_anchor = by_term.pop(anchor.casefold(), (anchor, []))[1]
    groups = list(by_term.values())
    size = config.TERMS_PER_REQUEST - 1
    out = []
    for n in range(0, len(groups), size):
        chunk = groups[n : n + size]
        out.append(
            ([anchor, *(t for t, _ in chunk)], [on_anchor if n == 0 else [], *(ids for _, ids in chunk)])
        )
    if not out and on_anchor:
        out.append(([anchor], [on_anchor]))
    return out


def backfill_timeframe(ctx: FetchContext) -> str | None:
    """The window's days as Google's "YYYY-MM-DD YYYY-MM-DD" (both ends included); None when empty."""
    first = date.fromisoformat(ctx.options["since"])
    until = ctx.options.get("until")
    last = date.fromisoformat(until) - timedelta(days=1) if until else ctx.now.date()
    last = min(last, ctx.now.date())
    return f"{first} {last}" if first <= last else None


class GoogleTrendsRunner(Runner):
    key = "google_trends"
    name = "Google Trends"
    # Backfill (sources/pipeline/backfill.py) from the first Tudum week. Google answers daily points for
    # ranges
    # up to ~9 months and weekly ones beyond, so 180-day windows keep every value daily.
    backfill_start = date(2021, 7, 1)
    backfill_chunk = timedelta(days=180)
    backfill_per_show = True

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        cfg = config.load()
        backfill = bool(ctx.options.get("backfill"))
        hourly = bool(ctx.options.get("watchlist_hourly"))
        period, timeframe = ("hour", cfg.hourly_timeframe) if hourly else ("day", cfg.timeframe)
        if backfill:
            period, timeframe = "day", backfill_timeframe(ctx)
        plan = batches(ctx.shows, cfg.anchor) if timeframe else []
        if not plan:
            return []
        reuse = ctx.options.get("reuse")
        if backfill and reuse is not None:
            # Windows follow each other at once; the pause between batches applies between windows too.
            if reuse.get("google_trends_ran") and cfg.pause_seconds:
                time.sleep(cfg.pause_seconds)
            reuse["google_trends_ran"] = True
        session = client.make_session()
        backoff = client.Backoff(first_seconds=cfg.backoff_seconds, budget_seconds=cfg.max_wait_seconds)
        client.warm_up(session, ctx.base_url, cfg.geo, self._recorder(ctx, {"step": "warm-up"}))
        ok: list[RawResponse] = []
        for n, (columns, shows) in enumerate(plan, start=1):
            if n > 1 and cfg.pause_seconds:
                time.sleep(cfg.pause_seconds)
            meta = {"columns": columns, "shows": shows, "period": period, "scope": cfg.geo or "world"}
            label = f"batch {n} ({', '.join(columns[1:]) or columns[0]})"
            try:
                raw = self._batch(ctx, session, backoff, cfg, timeframe, meta)
            except client.Throttled as exc:
                ctx.item_errors.append(f"{label}: {exc}")
                break  # the budget is spent; later batches would only be throttled too
            except MalformedResponse as exc:
                ctx.item_errors.append(f"{label}: {exc}")
                continue
            problem = "" if raw.status == 200 else f"multiline HTTP {raw.status}"
            problem = problem or batch_problem(raw.body, len(columns))
            if backfill:  # stored as daily values, so weekly points must not pass for days
                problem = problem or not_daily_problem(raw.body, len(columns), timeframe)
            if problem:
                ctx.item_errors.append(f"{label}: {problem}")
            else:
                ok.append(raw)
        if not ok:
            raise SourceError("no Google Trends batch succeeded: " + "; ".join(ctx.item_errors))
        if backfill and ctx.item_errors:
            # A partial window would leave a silent gap in some shows' history; failing it stops the
            # backfill there, to be taken up again with --since.
            raise SourceError("a Google Trends batch failed: " + "; ".join(ctx.item_errors))
        return ok

    def _batch(self, ctx, session, backoff, cfg, timeframe: str, meta: dict) -> RawResponse:
        explore = client.explore(
            session,
            ctx.base_url,
            terms=meta["columns"],
            timeframe=timeframe,
            geo=cfg.geo,
            backoff=backoff,
            record=self._recorder(ctx, {"step": "explore"}),
        )
        if explore.status_code != 200:
            raise MalformedResponse(f"explore HTTP {explore.status_code}")
        request, token = timeseries_widget(explore.text)
        recorded: list[RawResponse] = []
        client.multiline(
            session,
            ctx.base_url,
            request=request,
            token=token,
            backoff=backoff,
            record=self._recorder(ctx, {"step": "multiline", **meta}, recorded),
        )
        return recorded[-1]

    @staticmethod
    def _recorder(ctx: FetchContext, meta: dict, into: list | None = None) -> Callable:
        def record(response) -> None:
            raw = RawResponse(
                method=response.request.method,
                url=response.url,
                status=response.status_code,
                body=response.text,
                fetched_at=timezone.now(),
                meta=meta,
            )
            ctx.responses.append(raw)
            if into is not None:
                into.append(raw)

        return record

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
