"""Polymarket's public Gamma and CLOB APIs, served from sources/polymarket/fixtures/ (README there says
which file is a real recording and which was assembled).

GET /events/keyset answers the one open Netflix event (US #1 show, week of 2026-07-15) whatever is
asked; GET /events/slug/{slug} answers that event once resolved ("Little House on the Prairie" wins)
and the recorded NYC weather event; GET /book answers every YES token of the event with the official
example book, relabelled with the token asked for, and the documented 404 for any other token.
"""

import json
import re

from tests.fakeupstream import Reply, fixture_text

NETFLIX = "what-will-be-the-top-us-netflix-show-this-week-20260715162849089"
NYC = "highest-temperature-in-nyc-on-december-30"
WINNER = "will-little-house-on-the-prairie-be-the-top-us-netflix-show-this-week"


def fixture(name: str):
    return json.loads(fixture_text(f"polymarket/{name}"))


def open_event() -> dict:
    return fixture("events_keyset_top-netflix.assembled.json")["events"][0]


def resolved_event() -> dict:
    """The open event after resolution, in the recorded shape of a resolved leg (P2: umaResolutionStatus
    "resolved", the winner's outcomePrices ["1", "0"], closedTime "YYYY-MM-DD HH:MM:SS+00")."""
    event = open_event()
    for market in event["markets"]:
        won = market["slug"] == WINNER
        market |= {
            "active": False,
            "closed": True,
            "acceptingOrders": False,
            "outcomePrices": '["1", "0"]' if won else '["0", "1"]',
            "umaResolutionStatus": "resolved",
            "umaResolutionStatuses": '["proposed", "resolved"]',
            "closedTime": "2026-07-21 20:04:12+00",
        }
    return event | {"active": False, "closed": True, "closedTime": "2026-07-21T20:04:12Z"}


def events_page(match: re.Match) -> Reply:
    return Reply(200, fixture_text("polymarket/events_keyset_top-netflix.assembled.json"))


def event(match: re.Match) -> Reply:
    if match["slug"] == NETFLIX:
        return Reply(200, json.dumps(resolved_event()))
    if match["slug"] == NYC:
        return Reply(200, fixture_text(f"polymarket/event_{NYC}.json"))
    # Gamma's own 404 body is not recorded; this one only has to be a 404.
    return Reply(404, json.dumps({"error": "not found"}))


def tokens() -> set[str]:
    return {json.loads(m["clobTokenIds"])[0] for m in open_event()["markets"]}


def book(match: re.Match, query: dict) -> Reply:
    token = (query.get("token_id") or [""])[0]
    if not token:
        return Reply(400, fixture_text("polymarket/book_error_400.json"))
    if token not in tokens():
        return Reply(404, fixture_text("polymarket/book_error_404.json"))
    return Reply(200, json.dumps(fixture("book_doc-example.json") | {"asset_id": token}))


ROUTES = [
    (r"^/events/keyset$", events_page),
    (r"^/events/slug/(?P<slug>[^/]+)$", event),
    (r"^/book$", book),
]
