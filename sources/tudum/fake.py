"""Netflix's Top 10 files, served from sources/tudum/fixtures/ at netflix.com's paths.

Every reply carries an ETag, as a CDN would; tests that need a 304 queue one (the fake's handlers do
not see request headers).
"""

import hashlib
import re

from tests.fakeupstream import Reply, fixture_text

DATA = r"^/tudum/top10/data/"
GLOBAL = DATA + r"all-weeks-global\.tsv$"
COUNTRIES = DATA + r"all-weeks-countries\.tsv$"
MOST_POPULAR = DATA + r"most-popular\.tsv$"
TSV = "text/tab-separated-values"  # no charset, as served: the client must decode UTF-8 itself


def tsv_reply(body: str) -> Reply:
    etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:16] + '"'
    return Reply(200, body, {"ETag": etag}, content_type=TSV)


def _file(fixture: str):
    def handler(match: re.Match) -> Reply:
        return tsv_reply(fixture_text(fixture))

    return handler


ROUTES = [
    (GLOBAL, _file("tudum/all-weeks-global.sample.tsv")),
    (COUNTRIES, _file("tudum/all-weeks-countries.sample.tsv")),
    (MOST_POPULAR, _file("tudum/most-popular.tsv")),
]
