from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_run_source_prints_what_it_stored(fake_upstream, sources_ready, watched, redis_conn, settings):
    settings.WIKIPEDIA_DAYS = 3
    out = StringIO()
    call_command("run_source", "wikipedia", stdout=out)
    text = out.getvalue()
    assert "wikipedia: ok" in text and "3 new" in text
    assert text.count("pageviews en.wikipedia day") == 3


def test_run_source_names_why_a_source_did_not_run(sources_ready, monkeypatch):
    with pytest.raises(CommandError, match="no runner yet|needs_credentials|did not run"):
        call_command("run_source", "x", stdout=StringIO())


def test_run_source_needs_the_sources_set_up(db):
    with pytest.raises(CommandError, match="setup_sources"):
        call_command("run_source", "wikipedia", stdout=StringIO())
