"""A local fake of every upstream API, serving the real sample responses in sources/<key>/fixtures/.

Runners reach it through `<KEY>_BASE_URL=http://127.0.0.1:<port>`, at the same paths as the real hosts.
Tests can queue replies per path to inject latency, status codes (429 with Retry-After, 500), timeouts
and malformed bodies. Run standalone with `python -m tests.fakeupstream --port 8765`.
"""

import importlib
import inspect
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"  # fixtures of no one source (the daily Top 10 file's slice)
SOURCES = ROOT / "sources"


def fixture_path(relative: str) -> Path:
    """`<key>/<file>`: the file in sources/<key>/fixtures/, where each source keeps its sample responses."""
    key, _, name = relative.partition("/")
    own = SOURCES / key / "fixtures" / name
    return own if own.exists() else FIXTURES / relative


def fixture_text(relative: str) -> str:
    return fixture_path(relative).read_text()


@dataclass
class Reply:
    status: int = 200
    body: str | bytes = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering; longer than the client timeout = a timeout
    content_type: str = "application/json"
    trickle: float = 0.0  # seconds between single bytes of the body: slow, yet never a read timeout
    cut_at: int | None = None  # close the connection after this many body bytes (Content-Length says all)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def default_routes() -> list[tuple[str, object]]:
    routes = []
    for fake in sorted(SOURCES.glob("*/fake.py")):
        routes.extend(importlib.import_module(f"sources.{fake.parent.name}.fake").ROUTES)
    return routes


class FakeUpstream:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.seen: list[Seen] = []
        # Modes a test switches on for one upstream (e.g. "flixpatrol_challenge"); handlers that declare
        # an `upstream` parameter read them.
        self.flags: set[str] = set()
        self._queued: list[tuple[re.Pattern, Reply]] = []
        self._tampers: list[tuple[re.Pattern, object]] = []
        # Default routes: every sources/<key>/fake.py has ROUTES = [(path regex, handler(match))].
        self._routes: list[tuple[re.Pattern, object]] = [
            (re.compile(pattern), handler) for pattern, handler in default_routes()
        ]
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeUpstream":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def queue(self, path_regex: str, *replies: Reply) -> None:
        """Answer the next requests matching path_regex with these replies, in order, then as usual."""
        with self._lock:
            self._queued.extend((re.compile(path_regex), r) for r in replies)

    def route(self, path_regex: str, reply: Reply) -> None:
        """Answer every request matching path_regex with this reply (checked before the defaults)."""
        self._routes.insert(0, (re.compile(path_regex), lambda m, r=reply: r))

    def tamper(self, path_regex: str, change) -> None:
        """Pass every answer to a request matching path_regex through change(Reply) -> Reply: the real
        answer made bad (cut short, relabelled, its numbers made NaN) instead of one written by hand."""
        self._tampers.insert(0, (re.compile(path_regex), change))

    def requests_to(self, path_regex: str) -> list[Seen]:
        pattern = re.compile(path_regex)
        return [s for s in self.seen if pattern.search(s.path)]

    def _reply_for(
        self, path: str, query: dict[str, list[str]] | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        reply = self._answer_for(path, query, headers or {})
        for pattern, change in self._tampers:
            if pattern.search(path):
                reply = change(reply)
        return reply

    def _answer_for(self, path: str, query: dict[str, list[str]] | None, headers: dict[str, str]) -> Reply:
        with self._lock:
            for n, (pattern, reply) in enumerate(self._queued):
                if pattern.search(path):
                    del self._queued[n]
                    return reply
        for pattern, handler in self._routes:
            match = pattern.search(path)
            if match:
                # Handlers that need the query string, the request's headers or the flags declare them.
                wanted = inspect.signature(handler).parameters
                given = {"query": query or {}, "headers": headers, "upstream": self}
                return handler(match, **{name: value for name, value in given.items() if name in wanted})
        return Reply(404, json.dumps({"error": f"fake upstream has no route for {path}"}))

    def _handler_class(self):
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                upstream.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                reply = upstream._reply_for(parts.path, parse_qs(parts.query), dict(self.headers))
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if self.close_connection:  # the request said "Connection: close" (PRAW's token call)
                        # Say so, as a real server does: a client left to find out reuses the closing
                        # socket at times, and its next request fails with RemoteDisconnected.
                        self.send_header("Connection", "close")
                    self.end_headers()
                    if reply.cut_at is not None:
                        self.wfile.write(payload[: reply.cut_at])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                    elif reply.trickle:
                        for n in range(len(payload)):
                            self.wfile.write(payload[n : n + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(payload)
                except OSError:  # BrokenPipe, ConnectionReset: the client gave up (a timeout test)
                    pass

            do_GET = do_POST = do_HEAD = _serve

            def log_message(self, *args) -> None:
                pass

        return Handler


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    fake = FakeUpstream(port=args.port)
    print(f"fake upstream on {fake.url}; set e.g. WIKIPEDIA_BASE_URL={fake.url}", flush=True)
    fake.server.serve_forever()


if __name__ == "__main__":
    main()


__all__ = ["FakeUpstream", "Reply", "fixture_text"]
