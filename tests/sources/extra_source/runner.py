from django.utils import timezone

from core import http
from sources.base import FetchContext, RawResponse, Runner, SnapshotIn
from tests.sources.extra_source import client
from tests.sources.extra_source.normalize import normalize


class ExtraRunner(Runner):
    key = "extra"
    name = "Extra test source"

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        response = client.get_count(http.make_session(), ctx.base_url)
        raw = RawResponse("GET", response.url, response.status_code, response.text, timezone.now())
        ctx.responses.append(raw)
        return [raw]

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
