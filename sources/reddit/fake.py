"""Reddit's OAuth API as PRAW calls it, served from sources/reddit/fixtures/.

Search answers with the recorded r/popular/hot listing: the same Listing of t3 posts a search returns.
"""

from tests.fakeupstream import Reply, fixture_text

TOKEN = r"^/api/v1/access_token$"
ABOUT = r"^/r/[^/]+/about/?$"
SEARCH = r"^/r/all/search/?$"


def token(match) -> Reply:
    return Reply(200, fixture_text("reddit/oauth_access_token.json"))


def about(match) -> Reply:
    return Reply(200, fixture_text("reddit/subreddit_about.json"))


def search(match) -> Reply:
    return Reply(200, fixture_text("reddit/listing_r_popular_hot.trimmed.json"))


ROUTES = [(TOKEN, token), (ABOUT, about), (SEARCH, search)]
