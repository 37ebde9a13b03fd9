"""Post counts of each watched show's search terms on X, in hourly buckets."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core import credentials
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.x import client
from sources.x.normalize import empty_answer, normalize

TOKEN = "X_BEARER_TOKEN"
# X refuses an end_time closer than 10 s to the request time.
END_MARGIN = timedelta(seconds=30)


def _forbidden_message(body: str) -> str:
    if "client-not-enrolled" in body:
        return (
            f"X refused {client.COUNTS_PATH} (403 client-not-enrolled): the access level of the app "
            f"behind {TOKEN} lacks this endpoint; it needs a project with counts access."
        )
    return f"X refused the request (403): {body[:300]}"


class XRunner(Runner):
    key = "x"
    name = "X (Twitter)"

    def quota_estimate(self, ctx: FetchContext) -> int:
        return len(ctx.shows)  # one request per show

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        granularity = settings.X_GRANULARITY
        end = ctx.now.replace(microsecond=0) - END_MARGIN
        start = (end - timedelta(hours=settings.X_LOOKBACK_HOURS)).replace(minute=0, second=0)
        session = client.make_session(credentials.value(TOKEN))
        ok: list[RawResponse] = []
        for n, show in enumerate(ctx.shows):
            query = client.build_query(show.title, show.search_terms)
            response = client.counts_recent(
                session, ctx.base_url, query=query, start=start, end=end, granularity=granularity
            )
            ctx.quota.spent += 1
            raw = RawResponse(
                method="GET",
                url=response.url,
                status=response.status_code,
                body=response.text,
                fetched_at=timezone.now(),
                meta={"show_id": show.id, "query": query, "granularity": granularity},
            )
            ctx.responses.append(raw)
            left, reset = client.rate_limit(response)
            status = response.status_code
            if status == 200:
                empty = empty_answer(raw.body, query)
                if empty:
                    ctx.item_errors.append(empty)
                else:
                    ok.append(raw)
            elif status == 401:
                raise SourceError(f"X rejected the bearer token (401); check {TOKEN}", permanent=True)
            elif status == 403:
                raise SourceError(_forbidden_message(response.text), permanent=True)
            elif status == 429:
                ctx.quota.exhausted_until = reset or ctx.now + timedelta(minutes=15)
                ctx.item_errors.append(
                    f"rate limited by X (429) until {ctx.quota.exhausted_until:%Y-%m-%d %H:%M} UTC; "
                    f"{len(ctx.shows) - n} show(s) wait for the next run"
                )
                break
            else:
                ctx.item_errors.append(f"{show.title}: HTTP {status}")
            if left == 0 and n + 1 < len(ctx.shows):
                # Asking again before the reset would only collect 429s.
                ctx.quota.exhausted_until = reset or ctx.now + timedelta(minutes=15)
                ctx.item_errors.append(
                    f"X rate limit used up; {len(ctx.shows) - n - 1} show(s) wait until "
                    f"{ctx.quota.exhausted_until:%Y-%m-%d %H:%M} UTC"
                )
                break
        if ctx.shows and not ok:
            raise SourceError("no query answered: " + "; ".join(ctx.item_errors))
        return ok

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
