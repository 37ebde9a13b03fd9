"""The fake upstream's route for the extra source (its sibling sources' routes are in tests/fakes/)."""

from tests.fakeupstream import Reply

ROUTES = [(r"^/extra/count\.json$", lambda match: Reply(200, '{"count": 7}'))]
