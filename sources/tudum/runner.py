"""Netflix's own weekly Top 10 (the files Kalshi's Netflix markets settle on).

A scheduled run makes conditional GETs (an unchanged file is a 304 and costs nothing) and keeps only the
newest weeks; `backfill=True` (the backfill command) fetches in full and keeps the window it is given.
"""

from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from core import http
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.tudum import client, tsv
from sources.tudum.lists import check_lists, kept_rows
from sources.tudum.normalize import normalize

# A 404 or a move will not mend by retrying: somebody must change the path or TUDUM_BASE_URL.
PERMANENT_STATUSES = (301, 302, 303, 307, 308, 404, 410)


class TudumRunner(Runner):
    key = "tudum"
    name = "Netflix Tudum Top 10"
    # For the backfill command: the first week in the files ends 2021-07-04; windows are on week ends.
    backfill_start = date(2021, 7, 4)
    backfill_chunk = timedelta(weeks=26)

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        backfill = bool(ctx.options.get("backfill"))
        # The all-time list has no weeks to backfill; a backfill reloads the weekly files only.
        names = ("global", "countries") if backfill else ("global", "countries", "most_popular")
        session = http.make_session()
        out = []
        for name in names:
            raw = self._fetch_file(ctx, session, name, backfill)
            if raw is not None:
                out.append(raw)
        return out

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)

    def _fetch_file(self, ctx: FetchContext, session, name: str, backfill: bool) -> RawResponse | None:
        url = client.file_url(ctx.base_url, name)
        # A backfill in chunks passes one `reuse` dict to every chunk, so the file is downloaded once
        # and later chunks cost a 304. Scheduled runs remember validators in the source's state.
        reuse = ctx.options.get("reuse") if backfill else None
        kept = reuse.get(url) if reuse is not None else None
        if backfill:
            validators = kept["validators"] if kept else {}
        else:
            validators = ctx.state.get("validators", {}).get(name, {})
        response = client.get_file(session, url, validators)
        raw = RawResponse(
            method="GET",
            url=url,
            status=response.status_code,
            body=client.text_of(response),
            fetched_at=timezone.now(),
            meta=_meta(ctx, name, backfill),
        )
        ctx.responses.append(raw)
        if response.status_code == 304:
            if kept:
                return replace(raw, status=200, body=kept["body"], fetched_at=kept["fetched_at"])
            return None  # unchanged since the last run: nothing new to store
        try:
            _refuse_unusable(name, response, raw.body, raw.meta["countries"])
        except SourceError as exc:
            if name == "global":  # the lists every market settles on: without them the run failed
                raise
            ctx.item_errors.append(str(exc))
            return None
        if reuse is not None:
            reuse[url] = {
                "validators": client.validators_of(response),
                "body": raw.body,
                "fetched_at": raw.fetched_at,
            }
        elif not backfill:
            ctx.state.setdefault("validators", {})[name] = client.validators_of(response)
        return raw


def _refuse_unusable(name: str, response, body: str, countries=()) -> None:
    label = tsv.FILE_NAMES[name]
    status = response.status_code
    if 300 <= status < 400:
        where = response.headers.get("Location", "nowhere given")
        raise SourceError(f"{label}: HTTP {status}, moved to {where}", permanent=True)
    if status != 200:
        raise SourceError(f"{label}: HTTP {status}", permanent=status in PERMANENT_STATUSES)
    try:
        tsv.check(name, body)
        # A header alone, or a list short of rows, is a file cut short: here, so that a country
        # file's fault leaves a partial run that still stores the global lists.
        # Only the countries kept are checked: a tie in some other country's old week must not stop
        # the US lists the markets settle on.
        rows = list(tsv.rows(name, body))
        check_lists(name, list(kept_rows(name, rows, countries)) or rows)
    except tsv.MalformedFile as exc:  # e.g. the body "null" Netflix served on 2023-12-27
        raise SourceError(str(exc)) from None


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value or None


def _meta(ctx: FetchContext, name: str, backfill: bool) -> dict:
    return {
        "file": name,
        "recent_weeks": None if backfill else settings.TUDUM_RECENT_WEEKS,
        "since": _iso(ctx.options.get("since")),
        "until": _iso(ctx.options.get("until")),
        "show": ctx.options.get("show"),
        "countries": settings.TUDUM_COUNTRIES,
    }
