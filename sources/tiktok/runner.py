"""Videos per watched hashtag on TikTok (Research API): counts and engagement per day."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core import credentials
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.tiktok import client
from sources.tiktok.normalize import MalformedResponse, normalize, parse

KEY, SECRET = "TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"
TOKEN_STATE = "token"
# Renew a little early, so a token never expires between the check and the last page.
TOKEN_MARGIN = timedelta(minutes=5)


class RateLimited(Exception):
    pass


class TikTokRunner(Runner):
    key = "tiktok"
    name = "TikTok"

    def quota_estimate(self, ctx: FetchContext) -> int:
        return 1 + sum(len(set(s.hashtags)) for s in ctx.shows)  # a token, then a page per hashtag

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        session = client.make_session()
        # Videos created yesterday and today (UTC): yesterday's totals settle, today's are running.
        end = ctx.now.date()
        start = end - timedelta(days=1)
        tags = [(s.id, t.lstrip("#").lower()) for s in ctx.shows for t in dict.fromkeys(s.hashtags)]
        ok: list[RawResponse] = []
        for show_id, tag in tags:
            try:
                ok.extend(self._hashtag(ctx, session, show_id, tag, start, end))
            except RateLimited as exc:
                ctx.item_errors.append(str(exc))
                break
        if tags and not ok:
            raise SourceError("no hashtag answered: " + "; ".join(ctx.item_errors))
        return ok

    def _token(self, ctx: FetchContext, session, *, renew: bool = False) -> str:
        cached = ctx.state.get(TOKEN_STATE) or {}
        if not renew and cached and datetime.fromisoformat(cached["expires_at"]) > ctx.now + TOKEN_MARGIN:
            return cached["access_token"]
        response = client.request_token(
            session, ctx.base_url, credentials.value(KEY), credentials.value(SECRET)
        )
        ctx.quota.spent += 1
        self._keep(ctx, "POST", response, {})
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or "access_token" not in data:
            data = data if isinstance(data, dict) else {}
            error = data.get("error") or f"HTTP {response.status_code}"
            reason = f"{error}: {data.get('error_description', '')}"
            if response.status_code >= 500 or response.status_code == 429:
                raise SourceError(f"TikTok token endpoint unavailable ({reason})")
            raise SourceError(f"TikTok refused {KEY}/{SECRET} ({reason})", permanent=True)
        token, lifetime = data["access_token"], int(data.get("expires_in", 7200))
        expires = ctx.now + timedelta(seconds=lifetime)
        ctx.state[TOKEN_STATE] = {"access_token": token, "expires_at": expires.isoformat()}
        return token

    def _hashtag(self, ctx, session, show_id: int, tag: str, start, end) -> list[RawResponse]:
        token = self._token(ctx, session)
        pages: list[RawResponse] = []
        cursor, search_id, restarted, renewed = 0, "", False, False
        meta = {"show_id": show_id, "hashtag": tag, "start": start.isoformat(), "end": end.isoformat()}
        while True:
            response = client.query_videos(
                session,
                ctx.base_url,
                token,
                hashtag=tag,
                start=start,
                end=end,
                cursor=cursor,
                search_id=search_id,
            )
            ctx.quota.spent += 1
            raw = self._keep(ctx, "POST", response, meta)
            try:
                body = parse(response.text, f"#{tag}")
            except MalformedResponse as exc:
                if response.status_code == 200:
                    return [raw]  # normalize reports it and fails the run
                ctx.item_errors.append(f"#{tag}: HTTP {response.status_code} ({exc})")
                return []
            code, message = body["error"].get("code", ""), body["error"].get("message", "")
            if response.status_code == 200 and code == "ok":
                pages.append(raw)
                data = body.get("data") or {}
                if not data.get("has_more"):
                    return pages
                if len(pages) >= settings.TIKTOK_MAX_PAGES:
                    ctx.item_errors.append(f"#{tag}: over {len(pages)} pages; counted the first {len(pages)}")
                    return pages
                cursor, search_id = data.get("cursor", 0), data.get("search_id", "")
            elif code == "invalid_params" and message.startswith("Search Id") and not restarted:
                # search_id expired between pages: the whole query again, once (TikTok's own wrapper does).
                pages, cursor, search_id, restarted = [], 0, "", True
            elif code == "access_token_invalid" and not renewed:
                token, renewed = self._token(ctx, session, renew=True), True
            elif response.status_code == 429 or code == "rate_limit_exceeded":
                raise RateLimited(
                    f"#{tag}: rate limited by TikTok ({message or 'HTTP 429'}); stopped this run"
                )
            else:
                ctx.item_errors.append(f"#{tag}: HTTP {response.status_code} {code}: {message}")
                return []

    def _keep(self, ctx: FetchContext, method: str, response, meta: dict) -> RawResponse:
        raw = RawResponse(method, response.url, response.status_code, response.text, timezone.now(), meta)
        ctx.responses.append(raw)
        return raw

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
