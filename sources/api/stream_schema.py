"""The schema entry of the SSE stream, a plain Django view that drf-spectacular cannot see by itself;
added by a postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""

STREAM_PATH = {
    "get": {
        "operationId": "stream",
        "summary": "Live events (Server-Sent Events)",
        "description": (
            "Event `snapshot` after each successful run, `run` after a failed one; data is JSON "
            "`{source, ts, payload}`. Event `backfill` after each window of a `manage.py backfill`: "
            "`{source, done, total, since, until, status, error, at}`. "
            "Channel `sources` carries every source; `show-<id>` only the runs "
            "that touched that show. Send `Last-Event-ID` (or `?lastEventId=`) to get the events missed "
            "since that id (kept 24 hours)."
        ),
        "tags": ["stream"],
        "parameters": [
            {
                "name": "channel",
                "in": "query",
                "required": False,
                "description": "`sources` (default) or `show-<id>`; may be repeated.",
                "schema": {"type": "array", "items": {"type": "string", "pattern": r"^(sources|show-\d+)$"}},
                "style": "form",
                "explode": True,
            },
            {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "An endless event stream.", "content": {"text/event-stream": {}}},
            "400": {"description": "Unknown channel."},
            "401": {"description": "Sign-in needed (KP_PUBLIC_READ is off)."},
            "404": {"description": "No such show."},
        },
    }
}


def add_stream_path(result: dict, generator, request, public) -> dict:
    result["paths"]["/api/stream"] = STREAM_PATH
    return result
