"""What the API's export views share: the CSV renderer, CSV lines and streamed bodies."""

import csv
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import BaseRenderer

ROWS_PER_CHUNK = 500
FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="csv streams the rows as CSV; default JSON."
)


class CSVRenderer(BaseRenderer):
    """Makes `?format=csv` and `Accept: text/csv` legal. Successful CSV bodies are streamed by the
    views; what reaches this renderer is an error, written as `field,error` rows."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict):
            rows = [
                (field, message)
                for field, messages in data.items()
                for message in (messages if isinstance(messages, list) else [messages])
            ]
        else:
            rows = [("", str(data))]
        return "".join(csv_lines([("field", "error"), *rows])).encode()


class _Line:
    """csv.writer wants a file; this one hands back each line it is given."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\n")
    for row in rows:
        yield writer.writerow(row)


async def _in_chunks(body: Iterator, *, chunked: bool) -> AsyncIterator:
    # The query's cursor lives in Django's one sync thread; each chunk is pulled there, and the body is
    # closed there too when the client leaves early (a COPY half read is then cancelled, not left open).
    def take():
        return next(body, None) if chunked else "".join(islice(body, ROWS_PER_CHUNK))

    try:
        while chunk := await sync_to_async(take, thread_sensitive=True)():
            yield chunk
    finally:
        if hasattr(body, "close"):
            await sync_to_async(body.close, thread_sensitive=True)()


def streamed(
    request, body: Iterable, *, content_type: str, filename: str = "", chunked: bool = False
) -> StreamingHttpResponse:
    """A response written while the rows are read, so a year of data never sits in memory.

    `body` yields lines, or ready chunks with chunked=True. Under ASGI Django would collect a
    synchronous iterator into a list before sending it, so there the body goes out through an async
    generator; under WSGI the plain iterator already streams.
    """
    # The rows are read only once the 200 and its headers are sent, too late to say the database is
    # down (issue 22: 170 of 170 exports during an outage answered 200, then reset the connection).
    # One round trip first: an OperationalError here becomes the 503 with Retry-After every other
    # answer gives (kalshi_predictions/middleware.py).
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    body = iter(body)
    is_asgi = isinstance(getattr(request, "_request", request), ASGIRequest)
    response = StreamingHttpResponse(
        _in_chunks(body, chunked=chunked) if is_asgi else body, content_type=content_type
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
