"""Subreddit size and hourly mentions of each watched show on Reddit, through PRAW."""

from datetime import timedelta

import praw.exceptions
import prawcore.exceptions as prawcore_errors
from django.conf import settings
from django.utils import timezone

from core import credentials
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.reddit import client
from sources.reddit.normalize import normalize

CLIENT_ID, CLIENT_SECRET, USER_AGENT = "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USER_AGENT"


# What a refused data request most likely means (the token endpoint's refusals are handled apart).
WHY = {
    401: "token refused after a refresh",
    403: "private or quarantined",
    404: "not found",
    302: "does not exist",
}


class RateLimited(Exception):
    pass


class RedditRunner(Runner):
    key = "reddit"
    name = "Reddit"

    def quota_estimate(self, ctx: FetchContext) -> int:
        return 1 + sum(len(set(s.subreddits)) + 1 for s in ctx.shows)  # token, about pages, a search each

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        hour = ctx.now.replace(minute=0, second=0, microsecond=0)
        counted = hour - timedelta(hours=1)  # the last complete hour: re-runs count the same posts
        recorder = client.Recorder(ctx.responses.append, timezone.now)
        reddit = client.make_reddit(
            client_id=credentials.value(CLIENT_ID),
            client_secret=credentials.value(CLIENT_SECRET),
            user_agent=credentials.value(USER_AGENT),
            reddit_url=ctx.base_url,
            oauth_url=settings.SOURCE_BASE_URLS["reddit_oauth"],
            recorder=recorder,
        )
        limit = settings.REDDIT_SEARCH_LIMIT
        try:
            for show in ctx.shows:
                for sub in dict.fromkeys(show.subreddits):
                    recorder.meta = {
                        "kind": "about",
                        "show_id": show.id,
                        "subreddit": sub,
                        "hour": hour.isoformat(),
                    }
                    self._call(ctx, f"r/{sub}", lambda sub=sub: client.fetch_about(reddit, sub))
                query = client.search_query(show.title, show.search_terms)
                recorder.meta = {
                    "kind": "search",
                    "show_id": show.id,
                    "query": query,
                    "from": counted.isoformat(),
                    "to": hour.isoformat(),
                }
                self._call(ctx, query, lambda q=query: client.fetch_newest_posts(reddit, q, limit))
        except RateLimited as exc:
            ctx.item_errors.append(str(exc))
        finally:
            ctx.quota.spent += len(ctx.responses)
        ok = [r for r in ctx.responses if r.status == 200 and r.meta.get("kind") in ("about", "search")]
        if ctx.shows and not ok:
            raise SourceError("nothing answered: " + "; ".join(ctx.item_errors))
        return ok

    def _call(self, ctx: FetchContext, what: str, call) -> None:
        try:
            call()
        except prawcore_errors.TooManyRequests as exc:
            reset = exc.response.headers.get("x-ratelimit-reset", "")
            wait = (
                timedelta(seconds=float(reset))
                if reset.replace(".", "", 1).isdigit()
                else timedelta(minutes=1)
            )
            ctx.quota.exhausted_until = ctx.now + wait
            raise RateLimited(f"{what}: rate limited by Reddit (429); stopped this run") from None
        except prawcore_errors.ResponseException as exc:
            status = exc.response.status_code
            if client.TOKEN_PATH in exc.response.url and status < 500:
                raise SourceError(
                    f"Reddit refused {CLIENT_ID}/{CLIENT_SECRET} (HTTP {status} from the token endpoint)",
                    permanent=True,
                ) from None
            ctx.item_errors.append(f"{what}: HTTP {status} {WHY.get(status, '')}".rstrip())
        except KeyError:
            # prawcore picks a 401/403's exception by the error its WWW-Authenticate header names and
            # raises KeyError without one, or for a name it does not know (prawcore/util.py); the
            # answer is already recorded, so report its status instead.
            status = ctx.responses[-1].status if ctx.responses else None
            if status not in (401, 403):
                raise
            ctx.item_errors.append(f"{what}: HTTP {status} {WHY[status]}")
        except prawcore_errors.OAuthException as exc:
            raise SourceError(
                f"Reddit refused {CLIENT_ID}/{CLIENT_SECRET} ({exc.error})", permanent=True
            ) from None
        except prawcore_errors.RequestException as exc:
            raise SourceError(f"Reddit unreachable ({type(exc.original_exception).__name__})") from None
        except praw.exceptions.PRAWException as exc:
            ctx.item_errors.append(f"{what}: {exc}")

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
