"""Prices, rules, close and resolution of Polymarket's Netflix markets, from its public APIs.

Each run lists the open events tagged top-netflix (Gamma, keyset pages) and keeps the eight Netflix
families. An event seen open before and missing from a complete listing has closed: it is looked up
by slug (its legs' close and resolution) until it resolves. Books of the open named legs (CLOB) are
read last, bounded per run. Awaited events live in ctx.state["open"] (slug -> first seen).
"""

from django.conf import settings
from django.utils import timezone

from core import http
from sources.base import REFUSED_STATUSES, FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.polymarket import client
from sources.polymarket.fields import MalformedResponse, yes_token
from sources.polymarket.normalize import (
    book_from,
    events_from,
    family,
    is_named,
    next_cursor,
    normalize,
    result_of,
)


class PolymarketRunner(Runner):
    key = "polymarket"
    name = "Polymarket markets"

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        self.ctx, self.session, self.stopped = ctx, client.make_session(), False
        self.observed_at = ctx.now.replace(second=0, microsecond=0).isoformat()
        awaited: dict[str, str] = dict(ctx.state.get("open", {}))  # a copy: kept only on success
        ctx.state["open"] = awaited
        pages, complete = self._list_open()
        if not pages:
            raise SourceError("the Netflix events could not be listed: " + "; ".join(ctx.item_errors))
        events = [e for page in pages for e in self._events(page)]
        open_legs = [m for e in events if not e.get("closed") for m in e["markets"] if is_named(m)]
        listed = {e["slug"] for e in events}
        for slug in listed:
            awaited.setdefault(slug, self.observed_at)
        out = list(pages)
        if complete:
            for slug in sorted(set(awaited) - listed):
                if self.stopped:
                    break
                out.extend(self._closed(slug, awaited))
        out.extend(self._books(open_legs))
        return out

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)

    def store_extra(self, responses: list[RawResponse]) -> None:
        from sources.kalshi.store import markets_upsert
        from sources.polymarket.normalize import market_rows

        markets_upsert(markets=market_rows(responses), source_key=self.key)

    def _get(self, url: str, what: str, meta: dict) -> RawResponse | None:
        """The response if it is a 200; else None, with the problem noted as an item error."""
        response = client.get_json(self.session, url)
        raw = RawResponse("GET", url, response.status_code, response.text, timezone.now(), meta)
        self.ctx.responses.append(raw)
        if response.status_code == 200:
            return raw
        if response.status_code in REFUSED_STATUSES:
            # Public reads need no key: a refusal is a CDN block, temporary, never held for an admin.
            raise SourceError(f"Polymarket refused {what} (HTTP {response.status_code})")
        if response.status_code in http.RETRY_STATUSES:
            self.stopped = True  # Polymarket throttles rather than rejects; a 429 here means stop now
        self.ctx.item_errors.append(f"{what}: HTTP {response.status_code}")
        return None

    def _meta(self, kind: str, **extra) -> dict:
        return {
            "kind": kind,
            "observed_at": self.observed_at,
            "prefixes": list(settings.POLYMARKET_EVENT_PREFIXES),
            **extra,
        }

    def _events(self, raw: RawResponse) -> list[dict]:
        try:
            found = events_from(raw)
        except MalformedResponse:
            return []  # normalize fails the run on it with the full message
        return [e for e in found if family(e["slug"], settings.POLYMARKET_EVENT_PREFIXES)]

    def _list_open(self) -> tuple[list[RawResponse], bool]:
        """Every page of the tag's open events, and whether the listing is complete."""
        pages: list[RawResponse] = []
        cursor, seen = "", set()
        for _ in range(settings.POLYMARKET_MAX_PAGES):
            url = client.events_page_url(
                self.ctx.base_url,
                settings.POLYMARKET_TAG_SLUG,
                limit=settings.POLYMARKET_PAGE_LIMIT,
                after_cursor=cursor,
            )
            raw = self._get(url, "open events", self._meta("events"))
            if raw is None:
                return pages, False
            pages.append(raw)
            try:
                cursor = next_cursor(raw)
            except MalformedResponse:
                return pages, False
            if not cursor:  # omitted on the last page
                return pages, True
            if cursor in seen:
                self.ctx.item_errors.append(f"the API repeated cursor {cursor!r}")
                return pages, False
            seen.add(cursor)
        self.ctx.item_errors.append(f"more than {settings.POLYMARKET_MAX_PAGES} pages of open events")
        return pages, False

    def _closed(self, slug: str, awaited: dict[str, str]) -> list[RawResponse]:
        """A departed event's legs; no longer awaited once every named leg has resolved (or it is gone)."""
        raw = self._get(client.event_url(self.ctx.base_url, slug), slug, self._meta("event"))
        if raw is None:
            if self.ctx.responses[-1].status == 404:
                del awaited[slug]
            return []
        try:
            legs = [m for e in events_from(raw) for m in e["markets"] if is_named(m)]
            if all(result_of(m) for m in legs):
                del awaited[slug]
        except MalformedResponse:
            pass  # normalize fails the run on it
        return [raw]

    def _books(self, legs: list[dict]) -> list[RawResponse]:
        """The YES token's book of the open legs closing soonest, at most POLYMARKET_BOOK_MAX."""
        clob = settings.SOURCE_BASE_URLS["polymarket_clob"]
        wanted = sorted(legs, key=lambda m: (str(m.get("endDate") or "9999"), m["slug"]))
        out = []
        for market in wanted[: settings.POLYMARKET_BOOK_MAX]:
            if self.stopped:
                break
            try:
                token = yes_token(market)
            except MalformedResponse:
                continue  # normalize fails the run on the leg
            what = f"{market['slug']} order book"
            meta = self._meta("book", ticker=market["slug"], token=token)
            try:
                raw = self._get(client.book_url(clob, token), what, meta) if token else None
            except SourceError as exc:
                self.ctx.item_errors.append(f"{what}: {exc}; no more books this run")
                break
            if raw is None:
                continue
            try:
                book_from(raw)
            except MalformedResponse as exc:
                self.ctx.item_errors.append(f"{what}: {exc}")
                continue
            out.append(raw)
        return out
