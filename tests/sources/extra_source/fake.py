"""The fake upstream's route for the extra source (each real source's routes are in its own fake.py)."""

from tests.fakeupstream import Reply

ROUTES = [(r"^/extra/count\.json$", lambda match: Reply(200, '{"count": 7}'))]
