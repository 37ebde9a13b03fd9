"""A FlixPatrol page that arrives cut short is refused whole: the part that came may hold a list's
first rows, and storing them would be a shorter chart passed off as the day's."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sources.base import RawResponse
from sources.flixpatrol.chart import cut_short, parse_chart
from sources.flixpatrol.normalize import MalformedResponse, normalize
from sources.models import FetchRun, Snapshot
from tests.fakeupstream import fixture_text

NOW = datetime(2025, 8, 8, 12, tzinfo=UTC)  # yesterday's chart is the fixtures' 2025-08-07
WORLD = "flixpatrol/top10-netflix-world.excerpt.html"
COUNTRY = "flixpatrol/top10-netflix-united-states.excerpt.html"


def page(body: str) -> RawResponse:
    return RawResponse(
        method="GET",
        url="https://flixpatrol.com/top10/netflix/world/2025-08-07/",
        status=200,
        body=body,
        fetched_at=NOW,
        meta={"backend": "http", "scope": "world", "country_slug": "world", "date": "2025-08-07"},
    )


def stored() -> list[tuple]:
    return sorted(Snapshot.objects.values_list("show_id", "metric", "scope", "observed_at", "value"))


def half(reply):
    body = reply.body if isinstance(reply.body, str) else reply.body.decode()
    return replace(reply, body=body[: len(body) // 2])


@pytest.mark.parametrize("fixture", [WORLD, COUNTRY])
def test_a_real_page_cut_in_half_is_refused_although_its_first_rows_parse(fixture):
    html = fixture_text(fixture)
    cut = html[: len(html) // 2]
    assert parse_chart(cut), "the half that arrived holds a list's first rows"
    assert cut_short(cut, parse_chart(cut)) == "no TV list"
    with pytest.raises(MalformedResponse, match=r"page cut short or incomplete \(no TV list\)"):
        normalize([page(cut)])


def test_a_page_cut_inside_its_last_table_is_refused_though_both_lists_began():
    html = fixture_text(WORLD)
    cut = html[: html.rindex("</table>")]
    assert {r.list_name for r in parse_chart(cut)} == {"films", "tv"}
    with pytest.raises(MalformedResponse, match="a chart table is not closed"):
        normalize([page(cut)])


def test_a_whole_document_must_end_with_its_closing_html_tag():
    document = f"<!DOCTYPE html>\n<html><head><title>FlixPatrol</title></head><body>{fixture_text(WORLD)}"
    assert len(normalize([page(document + "</body></html>\n")])) == 12
    with pytest.raises(MalformedResponse, match="does not end with </html>"):
        normalize([page(document + "<footer>")])


def test_the_fixture_pages_whole_are_complete():
    for fixture in (WORLD, COUNTRY):
        html = fixture_text(fixture)
        assert cut_short(html, parse_chart(html)) == ""


@pytest.fixture
def flixpatrol(settings, run_source):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"
    return lambda: run_source("flixpatrol", now=NOW)


def test_a_world_page_cut_in_half_makes_a_partial_run_that_stores_none_of_it(flixpatrol, fake_upstream):
    fake_upstream.tamper(r"^/top10/netflix/world/", half)
    run = flixpatrol()
    assert run.status == FetchRun.Status.PARTIAL
    assert run.error == "world: page cut short or incomplete (no TV list)"
    assert not Snapshot.objects.filter(scope="world").exists()
    assert Snapshot.objects.filter(scope="US").count() == 4


def test_every_page_cut_in_half_fails_the_run_and_keeps_the_stored_chart(flixpatrol, fake_upstream):
    assert flixpatrol().status == FetchRun.Status.OK
    before = stored()
    fake_upstream.tamper(r"^/top10/netflix/", half)
    run = flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert "no usable chart on any page" in run.error and "US: page cut short" in run.error
    assert stored() == before
