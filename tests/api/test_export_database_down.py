"""The streamed exports check the database before the 200 goes out: with it down they answer 503 with
Retry-After, like every other answer (kalshi_predictions/middleware.py), instead of a 200 whose body
then breaks off."""

import pytest
from django.db import OperationalError, connections

from kalshi_predictions.middleware import MESSAGE, RETRY_AFTER_SECONDS


@pytest.fixture
def database_down(db):
    """Yields a function that brings the database back."""

    def refused(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    def back() -> None:
        connection.__dict__.pop("ensure_connection", None)

    # Every query goes through ensure_connection first: what a stopped server refuses. Restored here,
    # not by monkeypatch, whose undo may come after the db fixture's rollback needs the connection.
    connection = connections["default"]
    connection.ensure_connection = refused
    yield back
    back()


@pytest.mark.parametrize(
    "query", ["", "?format=csv", "?format=json&source=wikipedia", "?format=csv&metric=rank"]
)
def test_the_snapshot_export_answers_503_with_retry_after_while_the_database_is_down(
    api, database_down, query
):
    response = api.get("/api/snapshots" + query)
    assert response.status_code == 503
    assert not response.streaming  # decided before any body byte
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": MESSAGE}


def test_the_snapshot_export_streams_again_once_the_database_is_back(api, database_down):
    assert api.get("/api/snapshots?format=csv").status_code == 503
    database_down()
    response = api.get("/api/snapshots?format=csv")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).decode().startswith("source,show,title")
