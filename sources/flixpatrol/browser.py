"""The `browser` backend: a real Chromium (Debian's, as the browser tests use) driven by Playwright.

Cloudflare's managed challenge answers every non-browser client 403 `cf-mitigated: challenge`; a real
browser runs the challenge page's script, which sets a clearance cookie and reloads, and is then sent the
page. One browser per run, one page at a time (a tab per page, closed after it; the politeness delay is
the runner's), one context so the clearance cookie serves the run's later pages. Headful when DISPLAY is
set (Xvfb), headless otherwise. The HTML handed back is the page's DOM once the challenge has cleared,
parsed like any other answer.

Playwright's sync API runs an event loop in the thread that starts it, and Django refuses ORM calls from
a thread with a running loop; so the browser lives in a thread of its own and the pipeline's is untouched.
"""

import importlib.util
import os
import time
from concurrent.futures import ThreadPoolExecutor

from sources.base import SourceError
from sources.flixpatrol.chart import looks_like_challenge
from sources.flixpatrol.client import Answer

LAUNCH_ARGS = [
    "--no-sandbox",  # as root (containers, CI) Chromium refuses to start with its sandbox
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-blink-features=AutomationControlled",
]
POLL_SECONDS = 0.25


def installed() -> bool:
    return importlib.util.find_spec("playwright") is not None


class BrowserPages:
    """Fetch pages with one Chromium, started on the first page and closed by close()."""

    def __init__(self, chromium_path: str, timeout_seconds: int):
        self.chromium_path = chromium_path
        self.timeout_seconds = timeout_seconds
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flixpatrol-browser")
        self._playwright = self._browser = self._context = None

    def get(self, url: str) -> Answer:
        return self._thread.submit(self._get, url).result()

    def close(self) -> None:
        try:
            self._thread.submit(self._close).result()
        finally:
            self._thread.shutdown()

    def _start(self) -> None:
        from playwright.sync_api import Error, sync_playwright

        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.chromium_path,
                headless=not os.environ.get("DISPLAY"),
                args=LAUNCH_ARGS,
            )
            # Headless Chromium names itself "HeadlessChrome" in its User-Agent, an easy refusal.
            probe = self._browser.new_page()
            agent = probe.evaluate("navigator.userAgent").replace("HeadlessChrome", "Chrome")
            probe.close()
            self._context = self._browser.new_context(locale="en-US", user_agent=agent)
        except Error as exc:
            self._close()
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SourceError(f"Chromium at {self.chromium_path} did not start: {first_line}") from None

    def _get(self, url: str) -> Answer:
        from playwright.sync_api import Error

        if self._context is None:
            self._start()
        page = self._context.new_page()
        last: dict = {}

        def remember(response) -> None:  # the main frame's newest document: the page, after any reload
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                last.update(status=response.status, challenge=_marked(response.headers))

        page.on("response", remember)
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=self.timeout_seconds * 1000)
            html = self._cleared(page, last)
            return Answer(last.get("status"), html, refused=_challenge(last, html))
        except Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SourceError(f"browser: {message}") from None
        finally:
            page.close()

    def _cleared(self, page, last: dict) -> str:
        """The page's HTML once the challenge has cleared, or the challenge after the timeout."""
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            html = _content(page)
            if html is not None and not _challenge(last, html):
                page.wait_for_load_state("load", timeout=self.timeout_seconds * 1000)
                return page.content()
            if time.monotonic() >= deadline:
                return html or ""
            page.wait_for_timeout(POLL_SECONDS * 1000)  # lets Playwright deliver the reload's events

    def _close(self) -> None:
        for closing in (self._context, self._browser):
            try:
                if closing is not None:
                    closing.close()
            except Exception:  # noqa: S110 - already failing or gone; stopping Playwright still matters
                pass
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = self._context = None


def _content(page) -> str | None:
    from playwright.sync_api import Error

    try:
        return page.content()
    except Error:  # the challenge's reload is under way
        return None


def _marked(headers: dict) -> bool:
    return headers.get("cf-mitigated", "").lower() == "challenge"


def _challenge(last: dict, html: str) -> bool:
    """Still the challenge: the document is marked so, or it is a refusal that reads like one (a served
    page may carry Cloudflare's own scripts, so the body alone does not decide)."""
    if last.get("challenge"):
        return True
    return last.get("status") in (403, 503) and looks_like_challenge(html)
