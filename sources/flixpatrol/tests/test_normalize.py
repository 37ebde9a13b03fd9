from datetime import UTC, date, datetime

import pytest

from shows.refs import ShowRef
from sources.base import RawResponse
from sources.flixpatrol.chart import parse_chart, shown_days, wrong_day
from sources.flixpatrol.normalize import MalformedResponse, normalize
from tests.fakeupstream import fixture_text

DAY = datetime(2025, 8, 7, tzinfo=UTC)


def page(fixture: str, scope="world", slug="world", status=200, body=None) -> RawResponse:
    return RawResponse(
        method="GET",
        url=f"https://flixpatrol.com/top10/netflix/{slug}/2025-08-07/",
        status=status,
        body=body if body is not None else fixture_text(f"flixpatrol/{fixture}"),
        fetched_at=datetime(2025, 8, 8, tzinfo=UTC),
        meta={"backend": "http", "scope": scope, "country_slug": slug, "date": "2025-08-07"},
    )


def by(items, metric, title):
    return next(i for i in items if i.metric == metric and i.show_ref.title == title)


def test_world_page_gives_rank_and_points_for_tv_and_films():
    items = normalize([page("top10-netflix-world.excerpt.html")])
    assert len([i for i in items if i.metric == "rank"]) == 6
    assert len([i for i in items if i.metric == "points"]) == 6
    wednesday = by(items, "rank", "Wednesday")
    assert (wednesday.value, wednesday.period, wednesday.scope, wednesday.observed_at) == (
        1.0,
        "day",
        "world",
        DAY,
    )
    assert wednesday.show_ref == ShowRef("Wednesday", "", "tv", create=True, external_id="wednesday-2022")
    assert wednesday.attrs == {
        "list": "tv",
        "country_slug": "world",
        "title_slug": "wednesday-2022",
        "href": "/title/wednesday-2022/",
    }
    assert by(items, "points", "Wednesday").value == 901.0
    kpop = by(items, "rank", "KPop Demon Hunters")
    assert (kpop.value, kpop.show_ref.kind, kpop.attrs["list"]) == (1.0, "film", "films")
    assert by(items, "points", "Untamed").value == 430.0


def test_country_page_has_ranks_under_h3_headings_and_no_points():
    items = normalize([page("top10-netflix-united-states.excerpt.html", scope="US", slug="united-states")])
    assert {i.metric for i in items} == {"rank"}
    assert [(i.show_ref.title, i.attrs["list"], i.value) for i in items] == [
        ("Happy Gilmore 2", "films", 1.0),
        ("KPop Demon Hunters", "films", 2.0),
        ("Wednesday", "tv", 1.0),
        ("Untamed", "tv", 2.0),
    ]
    assert all(i.scope == "US" and i.attrs["country_slug"] == "united-states" for i in items)


def test_kids_lists_are_left_out():
    html = fixture_text("flixpatrol/top10-netflix-united-states.excerpt.html").replace(
        "TOP 10 TV Shows", "TOP 10 Kids TV Shows"
    )
    rows = parse_chart(html)
    assert {r.list_name for r in rows} == {"films"}


def test_a_cloudflare_challenge_is_markup_changed_or_blocked_not_an_empty_chart():
    with pytest.raises(MalformedResponse, match="markup changed or blocked: Cloudflare challenge page"):
        normalize([page("cloudflare-challenge.403.html", status=403)])


def test_a_page_without_rows_is_markup_changed_or_blocked():
    with pytest.raises(MalformedResponse, match="markup changed or blocked: no chart rows found"):
        normalize([page("", body="<html><body><h2>TOP Movies</h2><p>soon</p></body></html>")])


def api(body: str) -> RawResponse:
    return RawResponse(
        method="GET",
        url="https://api.flixpatrol.com/v2/top10s?...",
        status=200,
        body=body,
        fetched_at=datetime(2025, 8, 29, tzinfo=UTC),
        meta={"backend": "api", "scope": "US", "date": "2025-08-28"},
    )


def test_api_records_become_daily_ranks_of_the_records_date():
    items = normalize([api(fixture_text("flixpatrol/api-v2-top10s.assembled.json"))])
    assert [(i.show_ref.title, i.show_ref.kind, i.value) for i in items] == [
        ("Wednesday", "tv", 1.0),
        ("Untamed", "tv", 2.0),
    ]
    first = items[0]
    assert (first.metric, first.scope, first.period) == ("rank", "US", "day")
    assert first.observed_at == datetime(2025, 8, 28, tzinfo=UTC)
    assert first.attrs["flixpatrol_id"] == "ttl_EXAMPLE0000000000000001"


def test_api_records_of_an_unknown_type_are_skipped_not_guessed():
    body = fixture_text("flixpatrol/api-v2-top10s.assembled.json").replace('"type": 3', '"type": 7', 1)
    assert [i.show_ref.title for i in normalize([api(body)])] == ["Untamed"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("<html>oops</html>", "not JSON"), ('{"error": "x"}', "no 'data' list"), ('{"data": [{}]}', "record 0")],
)
def test_a_malformed_api_answer_raises_with_a_clear_message(body, message):
    with pytest.raises(MalformedResponse, match=message):
        normalize([api(body)])


def test_the_world_page_names_its_day_and_a_country_excerpt_names_none():
    assert shown_days(fixture_text("flixpatrol/top10-netflix-world.excerpt.html")) == {date(2025, 8, 7)}
    assert shown_days(fixture_text("flixpatrol/top10-netflix-united-states.excerpt.html")) == set()


def test_a_page_naming_no_day_is_taken_for_the_asked_day_only_once_that_day_is_out():
    html = fixture_text("flixpatrol/top10-netflix-united-states.excerpt.html")
    assert wrong_day(html, date(2025, 8, 7)) == ""
    assert wrong_day(html, date(2025, 8, 7), day_out=False) == (
        "the page names no day and this run's world page does not show the chart of 2025-08-07:"
        " it may be an earlier day's list (not out yet?)"
    )


def test_a_page_showing_another_day_is_never_stored_under_the_asked_one():
    raw = page("top10-netflix-world.excerpt.html")
    raw.meta["date"] = "2025-08-08"
    with pytest.raises(
        MalformedResponse, match="shows the chart of 2025-08-07, not 2025-08-08 \\(not out yet\\?\\)"
    ):
        normalize([raw])
    assert wrong_day(raw.body, date(2025, 8, 7)) == ""
