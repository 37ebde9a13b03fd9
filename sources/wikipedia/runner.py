"""Daily pageviews of each watched show's Wikipedia article."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sources import http
from sources.base import FetchContext, RawResponse, SnapshotIn, SourceError

from . import client
from .normalize import normalize

# Wikimedia loads a day's counts about a day late; two days back every day is surely complete.
LOAD_LAG = timedelta(days=2)


class WikipediaRunner:
    key = "wikipedia"
    name = "Wikipedia pageviews"

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        end = (ctx.now - timedelta(days=1)).date()
        start = end - timedelta(days=settings.WIKIPEDIA_DAYS - 1)
        complete_through = (ctx.now - LOAD_LAG).date()
        session = http.make_session()
        ok: list[RawResponse] = []
        shows = [s for s in ctx.shows if s.wikipedia_article]
        for show in shows:
            url = client.per_article_url(
                ctx.base_url, show.wikipedia_project, show.wikipedia_article, start, end
            )
            response = client.get_daily(session, url)
            raw = RawResponse(
                method="GET",
                url=url,
                status=response.status_code,
                body=response.text,
                fetched_at=timezone.now(),
                meta={
                    "show_id": show.id,
                    "article": show.wikipedia_article,
                    "project": show.wikipedia_project,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "complete_through": complete_through.isoformat(),
                },
            )
            ctx.responses.append(raw)
            if response.status_code == 200:
                ok.append(raw)
            elif response.status_code == 404:
                # Also what a misspelled title gets; the show's other articles still count.
                ctx.item_errors.append(f"{show.wikipedia_article}: no pageview data (404)")
            elif response.status_code in http.RETRY_STATUSES:
                ctx.item_errors.append(
                    f"{show.wikipedia_article}: HTTP {response.status_code} after retries; "
                    "stopped for this run"
                )
                break
            else:
                ctx.item_errors.append(f"{show.wikipedia_article}: HTTP {response.status_code}")
        if shows and not ok:
            raise SourceError("no article answered: " + "; ".join(ctx.item_errors))
        return ok

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
