"""Views, likes and comments of each watched show's trailers on YouTube."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone

from core import credentials
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError, WatchedShow
from sources.pipeline import quota
from sources.youtube import client
from sources.youtube.normalize import (
    MalformedResponse,
    error_reason,
    listed_video_ids,
    normalize,
    search_video_ids,
)

KEY = "YOUTUBE_API_KEY"
STATE = "trailer_ids"  # show id -> video ids found by search.list, so each show is searched once
QUOTA_REASONS = ("quotaExceeded", "dailyLimitExceeded")
KEY_REASONS = ("keyInvalid", "keyExpired", "forbidden", "accessNotConfigured", "ipRefererBlocked")


def _batches(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + client.BATCH] for i in range(0, len(ids), client.BATCH)]


class YouTubeRunner(Runner):
    key = "youtube"
    name = "YouTube trailers"

    def quota_estimate(self, ctx: FetchContext) -> int:
        resolved = ctx.state.get(STATE, {})
        searches = sum(1 for s in ctx.shows if not s.youtube_trailer_ids and str(s.id) not in resolved)
        videos = searches * settings.YOUTUBE_TRAILERS_PER_SHOW + sum(
            len(s.youtube_trailer_ids) or len(resolved.get(str(s.id), [])) for s in ctx.shows
        )
        return searches * client.SEARCH_UNITS + -(-videos // client.BATCH) * client.VIDEOS_UNITS

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        service = client.build_service(credentials.value(KEY), ctx.base_url)
        resolved = dict(ctx.state.get(STATE, {}))
        shows_by_video: dict[str, list[int]] = {}
        for show in ctx.shows:
            ids = list(show.youtube_trailer_ids) or resolved.get(str(show.id))
            if ids is None:
                ids = self._search(ctx, service, show)
                if ids is None:
                    continue
                resolved[str(show.id)] = ids
            for video_id in ids:
                shows_by_video.setdefault(video_id, []).append(show.id)
        ctx.state[STATE] = resolved
        day = ctx.now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        ok = []
        for batch in _batches(list(shows_by_video)):
            meta = {"day": day.isoformat(), "shows_by_video": {v: shows_by_video[v] for v in batch}}
            raw = self._call(ctx, client.video_statistics(service, batch), client.VIDEOS_UNITS, meta)
            if raw.status != 200:
                ctx.item_errors.append(f"videos.list: HTTP {raw.status} {error_reason(raw.body)[0]}")
                continue
            ok.append(raw)
            try:
                gone = sorted(set(batch) - listed_video_ids(raw.body))
            except MalformedResponse:
                continue  # normalize reports it and fails the run
            ctx.item_errors.extend(f"video {v}: not found (removed, private or a wrong id)" for v in gone)
        if shows_by_video and not ok:
            raise SourceError("no statistics answered: " + "; ".join(ctx.item_errors))
        return ok

    def _search(self, ctx: FetchContext, service, show: WatchedShow) -> list[str] | None:
        query = " ".join(p for p in (show.title, show.season, "official trailer") if p)
        answer = client.search_trailers(service, query, settings.YOUTUBE_TRAILERS_PER_SHOW)
        raw = self._call(ctx, answer, client.SEARCH_UNITS, {"show_id": show.id, "query": query})
        if raw.status != 200:
            ctx.item_errors.append(f"{show.title}: search.list HTTP {raw.status}")
            return None
        try:
            ids = search_video_ids(raw.body)
        except MalformedResponse as exc:
            ctx.item_errors.append(f"{show.title}: {exc}")
            return None
        if not ids:
            ctx.item_errors.append(f"{show.title}: search found no video for {query!r}")
        return ids

    def _call(self, ctx: FetchContext, answer: client.Answer, units: int, meta: dict) -> RawResponse:
        """Count the units, keep the response, and stop on errors every other request would share."""
        ctx.quota.spent += units
        raw = RawResponse("GET", answer.url, answer.status, answer.body, timezone.now(), meta)
        ctx.responses.append(raw)
        if answer.status not in (400, 401, 403):
            return raw
        reason, message = error_reason(answer.body)
        if reason in QUOTA_REASONS:
            ctx.quota.exhausted_until = quota.window_end(self.key, ctx.now).astimezone(UTC)
            raise SourceError(
                f"YouTube daily quota exceeded ({reason}); it resets at midnight Pacific "
                f"({ctx.quota.exhausted_until:%Y-%m-%d %H:%M} UTC)"
            )
        if reason in KEY_REASONS or answer.status == 401:
            raise SourceError(
                f"YouTube refused {KEY} (HTTP {answer.status} {reason}): {message}", permanent=True
            )
        return raw

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
