"""Every source's own settings are read once, at start-up, and a malformed one stops it."""

import os
import subprocess
import sys

import pytest

from kalshi_predictions import source_settings
from kalshi_predictions.env import ImproperEnv
from sources.registry import specs


def test_a_malformed_source_setting_stops_start_up_naming_the_variable():
    env = {**os.environ, "FLIXPATROL_BACKEND": "selenium"}
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "kalshi_predictions.settings"},
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    expected = "FLIXPATROL_BACKEND='selenium': expected one of auto, browser, flaresolverr, api, http"
    assert expected in started.stderr


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("FLIXPATROL_COUNTRIES", "US,PT", "write it as PT=<slug>"),
        ("FLIXPATROL_COUNTRIES", "USA", "'USA' is not CODE or CODE=value"),
        ("FLIXPATROL_API_COUNTRY_IDS", "GB=", "'GB=' is not CODE or CODE=value"),
        ("X_GRANULARITY", "weekly", "expected one of hour, day"),
        ("KALSHI_PAGE_LIMIT", "0", "must be at least 1"),
        ("FLARESOLVERR_URL", "localhost:8191/v1", "expected http(s)://host[:port]"),
        ("FLIXPATROL_CHROMIUM", "/nonexistent/chromium", "no such executable"),
        ("FLIXPATROL_POLL", "every 15 min", "expected cron minute and hour fields"),
    ],
)
def test_each_malformed_value_is_refused_with_its_reason(monkeypatch, name, raw, reason):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperEnv, match=name) as refused:
        source_settings._source_settings()
    assert reason in str(refused.value)


def test_values_are_parsed_once_into_what_the_sources_use(monkeypatch):
    monkeypatch.setenv("FLIXPATROL_COUNTRIES", "us, PT=portugal")
    monkeypatch.setenv("TUDUM_COUNTRIES", "us,gb")
    monkeypatch.setenv("GOOGLE_TRENDS_ANCHOR", "  ")
    read = source_settings._source_settings()
    assert read["FLIXPATROL_COUNTRIES"] == (("US", "united-states"), ("PT", "portugal"))
    assert read["TUDUM_COUNTRIES"] == ["US", "GB"]
    assert read["GOOGLE_TRENDS_ANCHOR"] == "Netflix"


def test_every_declared_setting_is_in_django_settings(settings):
    declared = [item.name for spec in specs().values() for item in spec.settings]
    assert len(declared) == len(set(declared))
    assert all(hasattr(settings, name) for name in declared)
