"""JSON through orjson for the large point arrays of GET /api/shows/<id>/metrics.

Why: a 90d chart is ~1,400 `[bucket, value]` pairs and a 7d one ~1,500; the standard library's encoder,
called through DRF's `JSONEncoder` subclass, spends a few milliseconds on them per request, orjson (Rust)
a tenth of that (docs/performance.md, "The metrics path"). The bytes are the same as DRF's
`JSONRenderer` writes with the project's settings (compact, UTF-8, U+2028/U+2029 escaped); what orjson
does not encode itself (lazy strings, Decimal, datetimes) goes to DRF's encoder, as before.
"""

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_default = JSONEncoder().default
# Datetimes to DRF's encoder: orjson's own form differs (it keeps microseconds, DRF cuts them to
# milliseconds and writes UTC as "Z").
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


class OrjsonRenderer(JSONRenderer):
    """DRF's JSONRenderer (same media type and format, so the schema is unchanged) with orjson's encoder.

    Differences, both where DRF fails: a float NaN or infinity is written `null` (DRF's strict JSON
    raises, a 500), and an indented body (`Accept: application/json; indent=4`, the browsable API)
    still goes through DRF, since orjson indents by two spaces only."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or self.ensure_ascii or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        body = orjson.dumps(data, default=_default, option=_OPTIONS)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:  # as DRF: JSON that is also JavaScript
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


class FirstRendererForPlainReads(DefaultContentNegotiation):
    """Content negotiation that skips parsing and ranking the Accept header for what nearly every read
    sends (no `?format=` and `Accept` absent, `*/*` or `application/json`): the first renderer, which is
    what DRF's negotiation picks for those. Anything else is negotiated by DRF as before."""

    PLAIN = frozenset({"", "*/*", "application/json"})

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
            and request.META.get("HTTP_ACCEPT", "").strip() in self.PLAIN
            and renderers[0].media_type == "application/json"
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
