"""A test client of the SSE stream: reads events in a thread, hands them out by name."""

import queue
import threading
import time
from dataclasses import dataclass

import httpx


@dataclass
class SSEEvent:
    event: str
    id: str | None
    data: str


class SSEClient:
    """Reads an SSE stream in a thread; tests take events from `events` with `next(...)`."""

    def __init__(self, url: str, last_event_id: str | None = None):
        self.url = url
        self.headers = {"Accept": "text/event-stream"}
        if last_event_id:
            self.headers["Last-Event-ID"] = last_event_id
        self.events: queue.Queue[SSEEvent] = queue.Queue()
        self._stop = threading.Event()
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if not self.opened.wait(15):
            raise AssertionError(f"SSE stream {url} did not open")

    def _read(self) -> None:
        try:
            self._read_stream()
        except (httpx.HTTPError, RuntimeError, AttributeError):
            pass  # closed from close() or by the server going away

    def _read_stream(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(5, read=None)) as client:
            with client.stream("GET", self.url, headers=self.headers) as response:
                self._response = response
                event, event_id, data = "message", None, []
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line == "":
                        if data or event != "message":
                            self.events.put(SSEEvent(event, event_id, "\n".join(data)))
                            if event == "stream-open":
                                self.opened.set()
                        event, event_id, data = "message", None, []
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("id:"):
                        event_id = line[3:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip())

    def next(self, event: str, *, timeout: float = 30, where=lambda e: True) -> SSEEvent:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {event!r} event within {timeout}s")
            try:
                item = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if item.event == event and where(item):
                return item

    def close(self) -> None:
        self._stop.set()
        response = getattr(self, "_response", None)
        if response is not None:
            try:
                response.close()
            except Exception:  # closing under the reader thread; it ends either way
                pass
        self.thread.join(timeout=5)
