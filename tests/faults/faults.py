"""The upstream fault classes, each applied to one source's answers on the fake upstream.

A fault either replaces the answer (a status, an empty body) or takes the real answer the fake would
have sent (the recorded fixture) and makes it bad: cut short, relabelled, reshaped, its numbers NaN.
"""

import json
import math
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace

from tests.fakeupstream import FakeUpstream, Reply
from tests.faults.sources import Case

TIMEOUT = 1  # settings.HTTP_TIMEOUT_SECONDS inside the suite: a reply held longer is a read timeout
DEADLINE = 2  # settings.HTTP_DEADLINE_SECONDS: a trickling body is abandoned after this
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
MAINTENANCE = "<!doctype html><html><body><h1>Down for maintenance</h1><p>Back soon.</p></body></html>"


@dataclass(frozen=True)
class Fault:
    name: str
    apply: Callable[[FakeUpstream, Case, dict], None]  # (fake, case, base_urls to edit in place)
    permanent: bool = False  # the source must end held (401/403)


class Blackhole:
    """A listening socket whose accept queue is full: the kernel drops new SYNs, so a connect hangs
    until the client's connect timeout, as with a firewalled or unroutable host."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fillers = []
        for _ in range(3):  # fill the accept queue (backlog 0 still admits one)
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.port))
            self.fillers.append(filler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        for s in [*self.fillers, self.sock]:
            s.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once this socket is closed


def _error_body(case: Case, status: int) -> tuple[str, str]:
    if case.content_type == "application/json":
        return json.dumps({"error": {"code": status, "message": f"injected {status}"}}), "application/json"
    return f"<html><body><h1>{status}</h1></body></html>", "text/html"


def status(code: int, retry_after: str | None = None) -> Callable:
    def apply(fake: FakeUpstream, case: Case, base_urls: dict) -> None:
        body, content_type = _error_body(case, code)
        headers = {"Retry-After": retry_after} if retry_after else {}
        fake.route(case.data, Reply(code, body, headers, content_type=content_type))

    return apply


def base_url_to(where: Callable[[], str]) -> Callable:
    def apply(fake: FakeUpstream, case: Case, base_urls: dict) -> None:
        url = where()
        for name in base_urls:
            if name == case.key or name.startswith(case.key + "_"):
                base_urls[name] = url

    return apply


def tampered(change: Callable[[Reply, Case], Reply]) -> Callable:
    def apply(fake: FakeUpstream, case: Case, base_urls: dict) -> None:
        fake.tamper(case.data, lambda reply: change(reply, case) if reply.status == 200 else reply)

    return apply


def _raw(reply: Reply) -> str:
    return reply.body.decode() if isinstance(reply.body, bytes) else reply.body


def _cut(reply: Reply, case: Case) -> Reply:
    body = _raw(reply)
    return replace(reply, body=body[: len(body) // 2])


def _dropped(reply: Reply, case: Case) -> Reply:
    return replace(reply, cut_at=len(_raw(reply).encode()) // 2)


def _trickle(reply: Reply, case: Case) -> Reply:
    return replace(reply, trickle=0.05)


def _relabelled(reply: Reply, case: Case) -> Reply:
    if case.content_type == "application/json":
        return replace(reply, body=MAINTENANCE, content_type="text/html; charset=utf-8")
    return replace(reply, body=json.dumps({"status": "maintenance"}), content_type="application/json")


def _wrong_shape(reply: Reply, case: Case) -> Reply:
    if case.content_type == "application/json":
        prefix = ")]}'\n" if _raw(reply).startswith(")]}'") else ""  # Google's anti-JSON-hijacking line
        return replace(reply, body=prefix + json.dumps({"unexpected": {"shape": [1, 2, 3]}, "items": "none"}))
    if case.content_type.startswith("text/tab"):
        return replace(reply, body="colour\tsize\nred\t3\nblue\t4\n")
    return replace(reply, body="<html><body><h1>TOP 10</h1><p>No chart today.</p></body></html>")


def _empty(reply: Reply, case: Case) -> Reply:
    return replace(reply, body="")


def _non_finite_json(value, flip: list[int]):
    if isinstance(value, dict):
        return {k: _non_finite_json(v, flip) for k, v in value.items()}
    if isinstance(value, list):
        return [_non_finite_json(v, flip) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    flip[0] += 1
    if isinstance(value, int | float):
        return [math.nan, math.inf, -math.inf][flip[0] % 3]
    if isinstance(value, str) and NUMBER.match(value):
        return ["NaN", "Infinity", "-inf"][flip[0] % 3]
    return value


def _non_finite(reply: Reply, case: Case) -> Reply:
    body = _raw(reply)
    if case.content_type == "application/json":
        prefix, rest = ("", body)
        if body.startswith(")]}'"):
            prefix, _, rest = body.partition("\n")
            prefix += "\n"
        data = _non_finite_json(json.loads(rest), [0])
        return replace(reply, body=prefix + json.dumps(data, allow_nan=True))
    if case.content_type.startswith("text/tab"):
        lines = body.splitlines()
        rows = ["\t".join("NaN" if NUMBER.match(f) else f for f in line.split("\t")) for line in lines[1:]]
        return replace(reply, body="\n".join([lines[0], *rows]) + "\n")
    return replace(reply, body=re.sub(r">\s*\d[\d,.]*\s*<", ">NaN<", body))


BLACKHOLE: list[Blackhole] = []


def _blackhole_url() -> str:
    if not BLACKHOLE:
        BLACKHOLE.append(Blackhole())
    return BLACKHOLE[0].url


FAULTS = [
    Fault("connect timeout", base_url_to(_blackhole_url)),
    Fault("connection refused", base_url_to(lambda: f"http://127.0.0.1:{_closed_port()}")),
    Fault(
        "read timeout", lambda fake, case, urls: fake.route(case.data, Reply(200, "{}", delay=TIMEOUT + 1))
    ),
    Fault("trickling body", tampered(_trickle)),
    Fault("429 with Retry-After", status(429, retry_after="1")),
    Fault("429 without Retry-After", status(429)),
    Fault("500", status(500)),
    Fault("502", status(502)),
    Fault("503", status(503)),
    Fault("401", status(401), permanent=True),
    Fault("403", status(403), permanent=True),
    Fault("404 on a configured id", status(404)),
    Fault("body cut short", tampered(_cut)),
    Fault("connection dropped mid-body", tampered(_dropped)),
    Fault("wrong content type", tampered(_relabelled)),
    Fault("valid JSON of the wrong shape", tampered(_wrong_shape)),
    Fault("empty answer", tampered(_empty)),
    Fault("non-finite numbers", tampered(_non_finite)),
]
