"""TikTok Research API (client-credentials token, video query), served from sources/tiktok/fixtures/.

The fake cannot read the request body (cursor, search_id), so its default query answer is the
fixture's page marked as the last one; paging tests queue the real fixture (has_more: true) and
then the next pages.
"""

import json

from tests.fakeupstream import Reply, fixture_text

TOKEN = r"^/v2/oauth/token/$"
QUERY = r"^/v2/research/video/query/$"


def last_page(fixture: str = "tiktok/research_video_query.json") -> str:
    data = json.loads(fixture_text(fixture))
    data["data"]["has_more"] = False
    return json.dumps(data)


def token(match) -> Reply:
    return Reply(200, fixture_text("tiktok/oauth_token.json"))


def query(match) -> Reply:
    return Reply(200, last_page())


ROUTES = [(TOKEN, token), (QUERY, query)]
