"""FlixPatrol's daily Netflix Top 10 for the world and configured countries: rank and points."""

import time
from datetime import date, timedelta

from django.utils import timezone

from core import http
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.flixpatrol import backends, client, config
from sources.flixpatrol.chart import cut_short, parse_chart, shown_days, why_no_rows, wrong_day
from sources.flixpatrol.days import chart_days, mark_complete, polling, repeated_list
from sources.flixpatrol.normalize import INCOMPLETE, MalformedResponse, api_rows, normalize

BLOCKED = "markup changed or blocked"
NOT_OUT = "not out yet"

__all__ = ["FlixPatrolRunner", "chart_days"]


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
        days = chart_days(ctx, cfg.publication_lag_days)
        if not days:  # a backfill window past the newest readable day, or a poll with every day stored
            return []
        if backends.missing(cfg):
            raise SourceError(backends.missing(cfg), permanent=True)
        names = backends.candidates(cfg, ctx.state.get(backends.REMEMBERED, ""))
        tried: list[str] = []
        if names[0] == "api":
            notes = len(ctx.item_errors)
            try:
                ok, failed = self._fetch_api(ctx, cfg, days)
                names = []
            except SourceError as exc:
                if len(names) == 1:
                    raise
                del ctx.item_errors[notes:]  # the API's notes do not concern the pages read instead
                names, tried = names[1:], [f"api: {exc}"]
        names = [name for name in names if name != "api"]  # the API is read above, or not at all
        if names:
            pages = backends.Pages(cfg, names, tried)
            try:
                ok, failed = self._fetch_pages(ctx, cfg, pages, days)
            finally:
                pages.close()
        if failed and ctx.options.get("backfill"):
            # A backfilled day missing one country would stay a silent gap: fail the window instead,
            # so the backfill stops and names the day to resume from.
            raise SourceError(f"{len(failed)} page(s) failed: " + "; ".join(failed))
        ctx.item_errors.extend(failed)
        return ok

    def _fetch_pages(self, ctx, cfg, pages: backends.Pages, days: list[date]):
        ok: list[RawResponse] = []
        failed: list[str] = []
        refused: list[int | None] = []  # the statuses of pages every way was refused
        pending = [(day, scope, slug) for day in days for scope, slug in [("world", "world"), *cfg.countries]]
        days_out: set[date] = set()  # days the world page, read first, named: FlixPatrol has them out
        day_failed: set[date] = set()
        n = 0
        while pending:
            day, scope, slug = pending.pop(0)
            label = scope if len(days) == 1 else f"{scope} {day}"
            if n and cfg.page_delay_seconds:
                time.sleep(cfg.page_delay_seconds)
            n += 1
            url = client.page_url(ctx.base_url, slug, day)
            attempts = pages.get(url)
            ctx.responses.extend(_raw(url, attempt, scope, slug, day) for attempt in attempts)
            raw, attempt = ctx.responses[-1], attempts[-1]
            answer = attempt.answer
            if answer.refused:
                refused.append(answer.status)
            problem = _problem(ctx, answer, scope, day, days_out, fresh=polling(ctx) and day == days[-1])
            if problem == NOT_OUT and polling(ctx):
                # Not published yet: not a failure of the poll, which asks again later. The later
                # days cannot be out either.
                pending = [p for p in pending if p[0] < day]
                continue
            if problem:
                failed.append(f"{label}: {problem}")
                day_failed.add(day)
            else:
                ok.append(raw)
                ctx.state[backends.REMEMBERED] = attempt.backend
        for day in days:
            if day in days_out and day not in day_failed:
                mark_complete(ctx, day)
        if not ok and refused and len(refused) == len(failed):
            raise SourceError(pages.refusal(refused[-1]), permanent=True)
        if not ok and failed:
            raise SourceError("no usable chart on any page: " + "; ".join(failed))
        return ok, failed

    def _fetch_api(self, ctx, cfg, days: list[date]) -> tuple[list[RawResponse], list[str]]:
        session = http.make_session()
        ok: list[RawResponse] = []
        failed: list[str] = []
        # A country without an id is a setting to add, not a gap in a day's chart.
        with_ids = []
        for scope, _slug in cfg.countries:
            if cfg.api_country_ids.get(scope):
                with_ids.append(scope)
            else:
                ctx.item_errors.append(f"{scope}: no API country id (set FLIXPATROL_API_COUNTRY_IDS)")
        not_out: set[date] = set()
        day_failed: set[date] = set()
        for day, scope in [(day, scope) for day in days for scope in with_ids]:
            if day in not_out:
                continue
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
            try:
                rows = api_rows(answer.body) if answer.status == 200 else None
            except MalformedResponse as exc:
                rows, problem = None, str(exc)
            else:
                problem = f"API HTTP {answer.status}" if rows is None else ""
            if rows == [] and polling(ctx):
                not_out.add(day)  # not published yet: the poll asks again later
                continue
            if rows == []:
                problem = f"API returned no Top 10 rows for {day}"
            if problem:
                failed.append(f"{label}: {problem}")
                day_failed.add(day)
                continue
            ok.append(raw)
            ctx.state[backends.REMEMBERED] = "api"
        for day in {d for d in days if with_ids} - not_out - day_failed:
            mark_complete(ctx, day)
        if not ok and (failed or not not_out):
            raise SourceError("FlixPatrol API gave no chart: " + "; ".join(ctx.item_errors + failed))
        return ok, failed

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)


def _raw(url: str, attempt: backends.Attempt, scope: str, slug: str, day: date) -> RawResponse:
    return RawResponse(
        method="GET",
        url=url,
        status=attempt.answer.status,
        body=attempt.answer.body,
        fetched_at=timezone.now(),
        meta={"backend": attempt.backend, "scope": scope, "country_slug": slug, "date": day.isoformat()},
    )


def _problem(ctx, answer: client.Answer, scope: str, day: date, days_out: set[date], fresh: bool) -> str:
    """Why this answer is not the whole chart of `day` for `scope` ("" when it is); NOT_OUT when a
    poll's world page shows an earlier day. Adds `day` to days_out when the world page names it.
    `fresh`: the newest day, polled for, whose country pages may still hold the day before's lists."""
    if answer.error:
        return answer.error
    rows = parse_chart(answer.body) if answer.status == 200 else []
    if not rows:
        return f"{BLOCKED} ({why_no_rows(answer.status, answer.body)})"
    shown = shown_days(answer.body)
    if scope == "world" and shown == {day}:
        days_out.add(day)  # even from a page cut short: the day is out
    # Never store a part of a chart, nor another day's ranks under this day's date.
    problem = cut_short(answer.body, rows)
    if problem:
        return f"{INCOMPLETE} ({problem})"
    if scope == "world" and shown and max(shown) < day and polling(ctx):
        return NOT_OUT
    problem = wrong_day(answer.body, day, day_out=scope == "world" or day in days_out)
    if not problem and scope != "world":
        problem = repeated_list(ctx, scope, day, rows, fresh=fresh)
    return problem
