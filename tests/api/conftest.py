from datetime import UTC, datetime, timedelta

import pytest
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shows.models import Show


@pytest.fixture(autouse=True)
def _public_read(settings):
    # Tests of the read paths run as the DEBUG default does; test_permissions turns it off.
    settings.KP_PUBLIC_READ = True


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", password="pw", is_staff=True)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member", password="pw")


@pytest.fixture
def show(db):

    return Show.objects.create(title="Wednesday", season="Season 2", on_watchlist=True)


@pytest.fixture
def add_snapshots(sources_ready):
    """add_snapshots(show, source, metric, [(observed_at, value), ...], scope=, period=) -> rows."""
    from sources.models import Snapshot, Source
    from sources.series.rollups import rollups_rebuild

    def add(show, source, metric, points, *, scope="global", period="hour"):
        src = Source.objects.get(key=source)
        rows = Snapshot.objects.bulk_create(
            Snapshot(
                source=src,
                show=show,
                metric=metric,
                scope=scope,
                period=period,
                observed_at=at,
                value=value,
                fetched_at=timezone.now(),
            )
            for at, value in points
        )
        # bulk_create passes by the pipeline that keeps the rollups; a show-less series is rebuilt whole
        rollups_rebuild(show_ids=None if show is None else [show.id])
        return rows

    return add


def hours_ago(n: float) -> datetime:
    now = timezone.now().astimezone(UTC)
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=n)


@pytest.fixture
def _keep_test_connection():
    # Django's test Client does the same: a request must not close the test's transaction connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(django_user_model, sources_ready, _keep_test_connection):
    # Writes are fuzzed as staff so that they reach the code behind the permission check.
    staff = django_user_model.objects.create_user("fuzz", is_staff=True)
    Show.objects.create(title="Wednesday", on_watchlist=True)
    return Token.objects.create(user=staff).key
