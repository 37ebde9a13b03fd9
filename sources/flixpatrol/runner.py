"""FlixPatrol's daily Netflix Top 10 for the world and configured countries: rank and points."""

import time
from datetime import date, timedelta

from django.utils import timezone

from core import http
from core.tz import EASTERN
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.flixpatrol import client, config
from sources.flixpatrol.chart import (
    LIST_NAMES,
    ChartRow,
    cut_short,
    parse_chart,
    shown_days,
    why_no_rows,
    wrong_day,
)
from sources.flixpatrol.normalize import INCOMPLETE, MalformedResponse, api_rows, normalize

BLOCKED = "markup changed or blocked"
# Kalshi's Netflix markets close at 23:59 New York time, so "today" is New York's day.


def chart_days(ctx: FetchContext) -> list[date]:
    """The chart days a run reads.

    options["date"]: that day. A backfill window [since, until): each of its days up to yesterday, whose
    chart is complete (today's is the live task's; backfill windows end on UTC days, which run ahead of
    New York's). options["today"]: New York's current day, re-read until the markets close. Otherwise
    yesterday, complete, so a rerun fetches the same page.
    """
    options = ctx.options
    today = ctx.now.astimezone(EASTERN).date()
    if options.get("date"):
        return [date.fromisoformat(str(options["date"]))]
    if options.get("backfill") and options.get("since"):
        since = date.fromisoformat(str(options["since"]))
        until = date.fromisoformat(str(options["until"])) if options.get("until") else today
        return [since + timedelta(days=n) for n in range((min(until, today) - since).days)]
    if options.get("today"):
        return [today]
    return [today - timedelta(days=1)]


def repeated_list(ctx: FetchContext, scope: str, day: date, rows: list[ChartRow]) -> str:
    """Why a country page read for today is refused as the day before's list again, or "".

    Remembers each country's lists of its last 3 days in ctx.state (kept when the run succeeds). A
    country page names no day, and the world page may show today while a country still answers with
    yesterday's list: while today is re-read (options["today"]), a page whose TV and film lists are
    both, title for title, the ones kept for the day before is refused, and the next read tries again.
    The morning read of a finished day stores what the page holds, a list that really repeats included.
    """
    lists = {name: [r.slug for r in rows if r.list_name == name] for name in LIST_NAMES.values()}
    kept = ctx.state.setdefault("country_lists", {}).setdefault(scope, {})
    before = (day - timedelta(days=1)).isoformat()
    if ctx.options.get("today") and kept.get(before) == lists:
        return f"both lists are, title for title, the ones stored for {before}: not yet {day.isoformat()}'s?"
    kept[day.isoformat()] = lists
    for old in sorted(kept)[:-3]:
        del kept[old]
    return ""


class FlixPatrolRunner(Runner):
    key = "flixpatrol"
    name = "FlixPatrol"
    # Netflix put its daily Top 10 rows in the app on 2020-02-24 (its announcement that day, e.g.
    # thestreamable.com "Netflix Reveals Top 10 List For First Time": lists "as of 2/24/20"), so no
    # FlixPatrol Netflix chart is older. No public text seen says how far FlixPatrol's dated pages go
    # back; that every configured country has one from that day is NOT VERIFIED.
    backfill_start = date(2020, 2, 24)
    backfill_chunk = timedelta(days=1)  # one window (one recorded run, one progress line) per day

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        cfg = config.load()
        days = chart_days(ctx)
        if not days:  # a backfill window of today or later: no complete chart in it yet
            return []
        # FlareSolverr answers its own failures with a 500 after spending maxTimeout on the challenge;
        # retrying that inside one run would only multiply the wait.
        session = http.make_session(retries=0 if cfg.backend == "flaresolverr" else None)
        fetch = self._fetch_api if cfg.backend == "api" else self._fetch_pages
        ok, failed = fetch(ctx, cfg, session, days)
        if failed and ctx.options.get("backfill"):
            # A backfilled day missing one country would stay a silent gap: fail the window instead,
            # so the backfill stops and names the day to resume from.
            raise SourceError(f"{len(failed)} page(s) failed: " + "; ".join(failed))
        ctx.item_errors.extend(failed)
        return ok

    def _fetch_pages(self, ctx, cfg, session, days: list[date]) -> tuple[list[RawResponse], list[str]]:
        ok: list[RawResponse] = []
        failed: list[str] = []
        pages = [(day, scope, slug) for day in days for scope, slug in [("world", "world"), *cfg.countries]]
        days_out: set[date] = set()  # days the world page, read first, named: FlixPatrol has them out
        for n, (day, scope, slug) in enumerate(pages):
            label = scope if len(days) == 1 else f"{scope} {day}"
            if n and cfg.page_delay_seconds:
                time.sleep(cfg.page_delay_seconds)
            url = client.page_url(ctx.base_url, slug, day)
            if cfg.backend == "flaresolverr":
                answer = client.get_page_via_flaresolverr(session, cfg, url)
            else:
                answer = client.get_page(session, url)
            raw = RawResponse(
                method="GET",
                url=url,
                status=answer.status,
                body=answer.body,
                fetched_at=timezone.now(),
                meta={
                    "backend": cfg.backend,
                    "scope": scope,
                    "country_slug": slug,
                    "date": day.isoformat(),
                },
            )
            ctx.responses.append(raw)
            if answer.error:
                failed.append(f"{label}: {answer.error}")
            elif answer.status == 200 and (rows := parse_chart(answer.body)):
                if scope == "world" and shown_days(answer.body) == {day}:
                    days_out.add(day)  # even from a page cut short: the day is out
                # Never store a part of a chart, nor another day's ranks under this day's date.
                problem = cut_short(answer.body, rows)
                day_out = scope == "world" or day in days_out
                problem = (
                    f"{INCOMPLETE} ({problem})" if problem else wrong_day(answer.body, day, day_out=day_out)
                )
                if not problem and scope != "world":
                    problem = repeated_list(ctx, scope, day, rows)
                if problem:
                    failed.append(f"{label}: {problem}")
                else:
                    ok.append(raw)
            else:
                failed.append(f"{label}: {BLOCKED} ({why_no_rows(answer.status, answer.body)})")
        if not ok:
            raise SourceError("no usable chart on any page: " + "; ".join(failed))
        return ok, failed

    def _fetch_api(self, ctx, cfg, session, days: list[date]) -> tuple[list[RawResponse], list[str]]:
        if not cfg.api_key:
            raise SourceError("FLIXPATROL_BACKEND=api needs FLIXPATROL_API_KEY", permanent=True)
        ok: list[RawResponse] = []
        failed: list[str] = []
        # A country without an id is a setting to add, not a gap in a day's chart.
        with_ids = []
        for scope, _slug in cfg.countries:
            if cfg.api_country_ids.get(scope):
                with_ids.append(scope)
            else:
                ctx.item_errors.append(f"{scope}: no API country id (set FLIXPATROL_API_COUNTRY_IDS)")
        for day, scope in [(day, scope) for day in days for scope in with_ids]:
            label = scope if len(days) == 1 else f"{scope} {day}"
            country_id = cfg.api_country_ids[scope]
            url, answer = client.get_api_top10s(session, cfg, country_id, day)
            raw = RawResponse(
                method="GET",
                url=url,
                status=answer.status,
                body=answer.body,
                fetched_at=timezone.now(),
                meta={"backend": "api", "scope": scope, "date": day.isoformat()},
            )
            ctx.responses.append(raw)
            if answer.status in (401, 403):
                raise SourceError(f"FlixPatrol API refused the key (HTTP {answer.status})", permanent=True)
            if answer.status != 200:
                failed.append(f"{label}: API HTTP {answer.status}")
                continue
            try:
                rows = api_rows(answer.body)
            except MalformedResponse as exc:
                failed.append(f"{label}: {exc}")
                continue
            if not rows:
                failed.append(f"{label}: API returned no Top 10 rows for {day}")
                continue
            ok.append(raw)
        if not ok:
            raise SourceError("FlixPatrol API gave no chart: " + "; ".join(ctx.item_errors + failed))
        return ok, failed

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
