"""YouTube Data API v3 (search.list, videos.list), served from sources/youtube/fixtures/."""

from tests.fakeupstream import Reply, fixture_text

SEARCH = r"^/youtube/v3/search$"
VIDEOS = r"^/youtube/v3/videos$"


def search(match) -> Reply:
    return Reply(200, fixture_text("youtube/search_list.json"))


def videos(match) -> Reply:
    return Reply(200, fixture_text("youtube/videos_list_statistics.json"))


ROUTES = [(SEARCH, search), (VIDEOS, videos)]
