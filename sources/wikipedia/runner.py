"""Pageviews of each watched show's Wikipedia article: daily from the REST API, or hourly from the
dump files (the per-article API has no hourly granularity) when run with hourly=True."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone

from core import http
from sources.base import (
    REFUSED_STATUSES,
    FetchContext,
    RawResponse,
    Runner,
    SnapshotIn,
    SourceError,
    WatchedShow,
)
from sources.wikipedia import client
from sources.wikipedia.normalize import (
    MalformedResponse,
    canonical_titles,
    daily_problem,
    daily_shortfall,
    normalize,
)

# Wikimedia loads a day's counts about a day late; two days back every day is surely complete.
LOAD_LAG = timedelta(days=2)
HOURLY_LOOKBACK = timedelta(hours=3)
HOURLY_MAX_FILES = 3  # each file is ~50 MB; a long outage is caught up over several runs


def _raw(method: str, url: str, status: int | None, body: str, **meta) -> RawResponse:
    return RawResponse(method, url, status, body, timezone.now(), meta)


def _refused(status: int, what: str) -> None:
    # Wikimedia refuses clients whose User-Agent breaks its policy (KP_CONTACT): every request would.
    if status in REFUSED_STATUSES:
        raise SourceError(f"Wikimedia refused {what} (HTTP {status}); check KP_CONTACT", permanent=True)


class WikipediaRunner(Runner):
    key = "wikipedia"
    name = "Wikipedia pageviews"
    # Backfill (sources/pipeline/backfill.py): the pageview API starts on 2015-07-01; a year per request.
    backfill_start = date(2015, 7, 1)
    backfill_chunk = timedelta(days=366)
    backfill_per_show = True

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        session = http.make_session()
        shows = [s for s in ctx.shows if s.wikipedia_article]
        articles = self._canonical(ctx, session, shows)
        if ctx.options.get("hourly"):
            return self._hourly(ctx, session, articles)
        return self._daily(ctx, session, articles)

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)

    def _canonical(self, ctx, session, shows: list[WatchedShow]) -> dict[WatchedShow, str]:
        """Each show's canonical article: redirects are counted apart, so a moved title reads ~0.

        Resolved once per title and remembered in the source's state.
        """
        known: dict = ctx.state.setdefault("canonical", {})
        todo: dict[str, list[str]] = defaultdict(list)
        for show in shows:
            if show.wikipedia_article not in known.get(show.wikipedia_project, {}):
                todo[show.wikipedia_project].append(show.wikipedia_article)
        for project, titles in todo.items():
            titles = sorted(set(titles))
            for i in range(0, len(titles), client.QUERY_BATCH):
                batch = titles[i : i + client.QUERY_BATCH]
                try:
                    response = client.query_redirects(session, project, batch)
                except SourceError as exc:
                    ctx.item_errors.append(f"redirect lookup failed, titles used as given: {exc}")
                    continue
                ctx.responses.append(_raw("GET", response.url, response.status_code, response.text))
                _refused(response.status_code, "redirect lookup")
                if response.status_code != 200:
                    ctx.item_errors.append(f"redirect lookup: HTTP {response.status_code}")
                    continue
                try:
                    found = canonical_titles(response.text, batch)
                except MalformedResponse as exc:
                    ctx.item_errors.append(str(exc))
                    continue
                # "" marks a title the wiki does not have, so it is not looked up every hour.
                known.setdefault(project, {}).update({a: c or "" for a, c in found.items()})
        out = {}
        for show in shows:
            canonical = known.get(show.wikipedia_project, {}).get(show.wikipedia_article)
            if canonical == "":
                ctx.item_errors.append(
                    f"{show.wikipedia_article}: no such article on {show.wikipedia_project}"
                )
                continue
            out[show] = canonical or show.wikipedia_article
        return out

    def _daily(self, ctx, session, articles: dict[WatchedShow, str]) -> list[RawResponse]:
        end = (ctx.now - timedelta(days=1)).date()
        start = end - timedelta(days=settings.WIKIPEDIA_DAYS - 1)
        backfill = bool(ctx.options.get("backfill"))
        if backfill:
            start = date.fromisoformat(ctx.options["since"])
            if ctx.options.get("until"):
                end = min(end, date.fromisoformat(ctx.options["until"]) - timedelta(days=1))
        complete_through = (ctx.now - LOAD_LAG).date()
        if start > end:
            return []
        ok: list[RawResponse] = []
        for show, article in articles.items():
            url = client.per_article_url(ctx.base_url, show.wikipedia_project, article, start, end)
            response = client.get_daily(session, url)
            raw = _raw(
                "GET", url, response.status_code, response.text,
                show_id=show.id, article=article, project=show.wikipedia_project,
                start=start.isoformat(), end=end.isoformat(),
                complete_through=complete_through.isoformat(),
            )  # fmt: skip
            ctx.responses.append(raw)
            _refused(response.status_code, article)
            if response.status_code == 200:
                problem = daily_problem(raw)
                if problem:
                    ctx.item_errors.append(problem)
                    continue
                shortfall = daily_shortfall(raw)
                if shortfall:
                    ctx.item_errors.append(shortfall)
                ok.append(raw)
            elif response.status_code == 404:
                # In a backfill window before the article existed, 404 only means "no data yet".
                if not backfill:
                    # Also what a misspelled title gets; the other articles still count.
                    ctx.item_errors.append(f"{article}: no pageview data (404)")
            elif response.status_code in http.RETRY_STATUSES:
                ctx.item_errors.append(
                    f"{article}: HTTP {response.status_code} after retries; stopped for this run"
                )
                break
            else:
                ctx.item_errors.append(f"{article}: HTTP {response.status_code}")
        if articles and not ok and ctx.item_errors:
            raise SourceError("no article answered: " + "; ".join(ctx.item_errors))
        return ok

    def _hourly(self, ctx, session, articles: dict[WatchedShow, str]) -> list[RawResponse]:
        by_project: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for show, article in articles.items():
            by_project[show.wikipedia_project][article].append(show.id)
        last_complete = ctx.now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        next_hour = ctx.state.get("hourly_next")
        hour = datetime.fromisoformat(next_hour) if next_hour else last_complete - HOURLY_LOOKBACK
        hour = max(hour, last_complete - timedelta(days=1))
        ok: list[RawResponse] = []
        files = 0
        while hour <= last_complete and files < HOURLY_MAX_FILES:
            url = client.dump_url(hour)
            # The dump has every wiki; keep only our projects' desktop ("en") and mobile ("en.m") lines.
            domains = {p.split(".")[0] + suffix for p in by_project for suffix in ("", ".m")}
            wanted = {a for arts in by_project.values() for a in arts}
            status, lines = client.dump_lines(session, url, domains)
            if status == 404:
                break  # not published yet; the next run picks it up
            files += 1
            seen = 0  # lines of our projects: a complete file has thousands, an empty one proves nothing
            matched = []
            for line in lines:
                seen += 1
                if unquote(line.split(" ")[1]) in wanted:
                    matched.append(line)
            ctx.responses.append(_raw("GET", url, status, "\n".join(matched)))
            _refused(status, f"hourly dump {hour:%Y-%m-%d %H}:00")
            if status != 200:
                ctx.item_errors.append(f"hourly dump {hour:%Y-%m-%d %H}:00: HTTP {status}")
                break
            if not seen:
                ctx.item_errors.append(
                    f"hourly dump {hour:%Y-%m-%d %H}:00 has no line of {', '.join(sorted(domains))}; "
                    "not a complete file, so no hour is stored from it"
                )
                break
            for project, arts in by_project.items():
                prefix = project.split(".")[0]
                body = "\n".join(m for m in matched if m.split(" ")[0] in (prefix, prefix + ".m"))
                ok.append(
                    _raw("GET", url, status, body, kind="hourly", hour=hour.isoformat(),
                         project=project, articles=dict(arts))
                )  # fmt: skip
            hour += timedelta(hours=1)
            ctx.state["hourly_next"] = hour.isoformat()
        return ok
