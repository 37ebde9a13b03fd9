"""How a run fetches FlixPatrol's pages (FLIXPATROL_BACKEND), and moving on from a refused way.

`auto` (the default) uses, in config.ORDER, every way that is configured and installed: the paid API
(FLIXPATROL_API_KEY), plain HTTP, a FlareSolverr relay (FLARESOLVERR_URL), a local Chromium (Playwright
and a chromium binary), starting with the one that last worked (the source's state). A way that
Cloudflare refuses (403 `cf-mitigated: challenge`) or that cannot be used (relay down, browser does not
start) is dropped for the rest of the run and the page is asked again of the next one.
"""

import time
from dataclasses import dataclass, field

import requests

from core import http
from sources.base import SourceError
from sources.flixpatrol import browser, client
from sources.flixpatrol.client import Answer
from sources.flixpatrol.config import ORDER, REFUSED_FIX, Config

REMEMBERED = "backend"  # ctx.state key: the way that last brought a page


def available(name: str, cfg: Config) -> bool:
    if name == "api":
        return bool(cfg.api_key)
    if name == "flaresolverr":
        return bool(cfg.flaresolverr_url)
    if name == "browser":
        return bool(cfg.chromium_path) and browser.installed()
    return name == "http"


NEEDS = {
    "api": "FLIXPATROL_API_KEY",
    "flaresolverr": "FLARESOLVERR_URL",
    "browser": "Chromium (apt-get install chromium, or FLIXPATROL_CHROMIUM) and the playwright package",
}


def missing(cfg: Config) -> str:
    """Why the configured (not auto) way cannot be used here, or ""."""
    if cfg.backend in NEEDS and not available(cfg.backend, cfg):
        return f"FLIXPATROL_BACKEND={cfg.backend} needs {NEEDS[cfg.backend]}"
    return ""


def candidates(cfg: Config, remembered: str = "") -> list[str]:
    """The ways to try, in order: the configured one, or for `auto` the usable ones, the last good first."""
    if cfg.backend != "auto":
        return [cfg.backend]
    usable = [name for name in ORDER if available(name, cfg)]
    if remembered in usable:
        usable.remove(remembered)
        usable.insert(0, remembered)
    return usable


@dataclass
class Attempt:
    backend: str
    answer: Answer


@dataclass
class Pages:
    """One run's page fetcher over its candidate ways (api excluded: the runner reads it itself)."""

    cfg: Config
    names: list[str]
    tried: list[str] = field(default_factory=list)  # why each dropped way was dropped
    _sessions: dict = field(default_factory=dict)

    @property
    def current(self) -> str:
        return self.names[0]

    def get(self, url: str) -> list[Attempt]:
        """Every answer this page got, the last being the one to use (refused only if no way is left)."""
        attempts: list[Attempt] = []
        while True:
            name = self.current
            if attempts and self.cfg.page_delay_seconds:
                time.sleep(self.cfg.page_delay_seconds)  # the same politeness for a second try
            try:
                answer = self._fetch(name, url)
            except SourceError as exc:
                if len(self.names) == 1:
                    raise
                self._drop(f"{name}: {exc}")
                continue
            attempts.append(Attempt(name, answer))
            if answer.refused and len(self.names) > 1:
                self._drop(f"{name}: refused (HTTP {answer.status}, Cloudflare challenge)")
                continue
            return attempts

    def refusal(self, status: int | None) -> str:
        """Why the run stops held: every way refused. The fix first, in one sentence."""
        tried = self.tried + [f"{self.current}: refused (HTTP {status}, Cloudflare challenge)"]
        return f"{REFUSED_FIX} (tried {'; '.join(tried)})"

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()  # a requests.Session, or the browser (which it stops)

    def _drop(self, why: str) -> None:
        self.tried.append(why)
        self.names.pop(0)

    def _fetch(self, name: str, url: str) -> Answer:
        if name == "browser":
            if name not in self._sessions:
                self._sessions[name] = browser.BrowserPages(
                    self.cfg.chromium_path, self.cfg.browser_timeout_seconds
                )
            return self._sessions[name].get(url)
        if name == "flaresolverr":
            # FlareSolverr answers its own failures with a 500 after spending maxTimeout on the
            # challenge; retrying that inside one run would only multiply the wait.
            session = self._session(name, retries=0)
            return client.get_page_via_flaresolverr(session, self.cfg, url)
        return client.get_page(self._session(name), url)

    def _session(self, name: str, retries: int | None = None) -> requests.Session:
        if name not in self._sessions:
            self._sessions[name] = http.make_session(retries=retries)
        return self._sessions[name]
