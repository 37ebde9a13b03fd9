"""The Tudum runner through the real pipeline, HTTP code and fake upstream."""

from datetime import UTC, datetime

import pytest

from shows.models import Show
from sources.models import FetchRun, RawEvent, Snapshot, Source
from sources.tudum.fake import COUNTRIES, GLOBAL, MOST_POPULAR, tsv_reply
from tests.fakeupstream import Reply, fixture_text

NEWEST_WEEK = datetime(2025, 8, 4, tzinfo=UTC)  # the sample's newest week ends Sunday 2025-08-10
# Per run of the three sample files: the newest 4 weeks of the global sample (160 rows: 160 each of
# rank, hours, views and weeks in top 10; 154 runtimes, as 6 rows have runtime 0), the one country
# week (60 rows x 2 metrics) and the all-time lists (40 rows x 4 metrics).
GLOBAL_VALUES = 160 * 4 + 154
PER_RUN = GLOBAL_VALUES + 120 + 160
STRANGER_THINGS_WEEKS = "all-weeks-global.2022-05-15-to-2022-11-13.tsv"


def stored() -> list[tuple]:
    return list(
        Snapshot.objects.order_by("id").values_list("show_id", "metric", "scope", "observed_at", "value")
    )


def test_a_run_stores_the_newest_weeks_of_every_list(run_source):
    run = run_source("tudum")
    assert run.status == FetchRun.Status.OK, run.error
    assert (run.requests, run.items, run.created) == (3, PER_RUN, PER_RUN)
    weeks = Snapshot.objects.filter(scope="tv_english").values_list("observed_at", flat=True)
    assert len(set(weeks)) == 4 and max(weeks) == NEWEST_WEEK
    assert Snapshot.objects.filter(scope="US", metric="rank").count() == 20


def test_rerun_on_the_same_file_changes_nothing(run_source):
    run_source("tudum")
    before = stored()
    second = run_source("tudum")
    assert (second.status, second.created, second.updated, second.unchanged) == ("ok", 0, 0, PER_RUN)
    assert stored() == before


def test_a_tudum_row_lands_on_the_existing_show_of_that_name(run_source):
    from shows.services import watchlist_add

    show, _ = watchlist_add(title="Wednesday", season="Season 2")
    run_source("tudum")
    rank = Snapshot.objects.get(show=show, metric="rank", scope="tv_english", observed_at=NEWEST_WEEK)
    assert rank.value == 1
    assert rank.attrs["season_title"] == "Wednesday: Season 2"
    assert Show.objects.filter(normalized_title="wednesday", season="Season 2").count() == 1
    # Season 1 is another show, created on the way.
    assert Show.objects.get(normalized_title="wednesday", season="Season 1").on_watchlist is False


def test_the_next_run_asks_with_the_etag_and_a_304_is_an_ok_run_with_nothing(run_source, fake_upstream):
    run_source("tudum")
    assert "If-None-Match" not in fake_upstream.requests_to(GLOBAL)[0].headers
    for path in (GLOBAL, COUNTRIES, MOST_POPULAR):
        fake_upstream.queue(path, Reply(304, ""))
    second = run_source("tudum")
    assert (second.status, second.items, second.created) == ("ok", 0, 0)
    served = tsv_reply(fixture_text("tudum/all-weeks-global.sample.tsv")).headers["ETag"]
    assert fake_upstream.requests_to(GLOBAL)[-1].headers["If-None-Match"] == served
    assert RawEvent.objects.filter(run=second, status=304).count() == 3


def test_a_changed_file_updates_the_row_and_keeps_a_revision(run_source, fake_upstream):
    run_source("tudum")
    corrected = fixture_text("tudum/all-weeks-global.sample.tsv").replace(
        "\tWednesday: Season 2\t201600000\t", "\tWednesday: Season 2\t201700000\t", 1
    )
    fake_upstream.queue(GLOBAL, tsv_reply(corrected))
    second = run_source("tudum")
    assert (second.created, second.updated) == (0, 1)
    row = Snapshot.objects.get(metric="weekly_hours_viewed", scope="tv_english", value=201_700_000)
    assert row.revisions.get().value == 201_600_000


@pytest.mark.parametrize(
    ("reply", "says", "permanent"),
    [
        (Reply(200, fixture_text("tudum/all-weeks-global.null-body.tsv")), "body is 'null'", False),
        (
            Reply(
                200, fixture_text("tudum/all-weeks-global.moved-permanently.html"), content_type="text/html"
            ),
            "an HTML page instead of a TSV",
            False,
        ),
        (
            Reply(301, "", {"Location": "https://www.netflix.com/tudum/top10/"}),
            "HTTP 301, moved to https://www.netflix.com/tudum/top10/",
            True,
        ),
    ],
)
def test_a_global_file_that_is_not_the_tsv_fails_the_run_and_stores_nothing(
    run_source, fake_upstream, reply, says, permanent
):
    run_source("tudum")
    before = stored()
    fake_upstream.queue(GLOBAL, reply)
    run = run_source("tudum")
    assert run.status == "failed"
    assert says in run.error and run.error.startswith("permanent" if permanent else "temporary")
    assert stored() == before
    assert RawEvent.objects.filter(run=run).count() == 1  # what came instead is kept for inspection


def test_a_failed_run_does_not_keep_the_etag_of_a_file_it_did_not_store(run_source, fake_upstream):
    fake_upstream.queue(GLOBAL, Reply(200, "null"))
    run_source("tudum")
    assert "validators" not in Source.objects.get(key="tudum").state
    assert run_source("tudum").created == PER_RUN


def test_a_bad_country_file_makes_a_partial_run_that_keeps_the_global_lists(run_source, fake_upstream):
    fake_upstream.queue(COUNTRIES, Reply(200, "null"))
    run = run_source("tudum")
    assert run.status == "partial"
    assert "all-weeks-countries.tsv: body is 'null'" in run.error
    assert run.created == PER_RUN - 120
    assert "countries" not in Source.objects.get(key="tudum").state["validators"]


def test_a_server_error_after_retries_fails_the_run_as_temporary(run_source, fake_upstream, settings):
    settings.HTTP_RETRIES = 0
    fake_upstream.queue(GLOBAL, Reply(503, "busy"))
    run = run_source("tudum")
    assert run.status == "failed"
    assert run.error == "temporary: all-weeks-global.tsv: HTTP 503"


def test_country_lists_can_be_limited_by_setting(run_source, settings):
    settings.TUDUM_COUNTRIES = ["US"]
    run_source("tudum")
    assert set(Snapshot.objects.exclude(scope__contains="_").values_list("scope", flat=True)) == {"US"}


def test_titles_in_other_scripts_become_separate_shows(run_source, fake_upstream):
    # The real week with Korea's first two films renamed in Hangul (the lists must stay whole).
    sample = fixture_text("tudum/all-weeks-countries.sample.tsv")
    for rank, title in ((1, "비상선언"), (2, "모가디슈")):
        (row,) = [
            r for r in sample.splitlines() if r.startswith(f"South Korea\tKR\t2022-02-27\tFilms\t{rank}\t")
        ]
        cells = row.split("\t")
        sample = sample.replace(row, "\t".join([*cells[:5], title, *cells[6:]]))
    fake_upstream.queue(COUNTRIES, tsv_reply(sample))
    run_source("tudum")
    films = Snapshot.objects.filter(scope="KR", metric="rank", value__lte=2, attrs__category="Films")
    assert sorted((r.show.title, r.value) for r in films.select_related("show")) == [
        ("모가디슈", 2),
        ("비상선언", 1),
    ]


def test_a_seasonless_row_beside_seasons_of_its_title_stays_its_own_show(run_source, fake_upstream):
    # The real weeks ending 2022-05-15 ... 2022-11-13: "Stranger Things" (N/A, its first season)
    # beside Stranger Things 2, 3 and 4 in one list.
    fake_upstream.queue(
        GLOBAL, tsv_reply(fixture_text("tudum/all-weeks-global.2022-05-15-to-2022-11-13.tsv"))
    )
    run = run_source("tudum", backfill=True, since="2022-05-29", until="2022-05-30")
    assert run.status == "ok", run.error
    week = datetime(2022, 5, 23, tzinfo=UTC)  # the week ending 2022-05-29
    ranks = Snapshot.objects.filter(metric="rank", observed_at=week, scope="tv_english").select_related(
        "show"
    )
    stranger = sorted((r.show.season, r.value) for r in ranks if r.show.title == "Stranger Things")
    assert stranger == [
        ("", 3),
        ("Stranger Things 2", 5),
        ("Stranger Things 3", 4),
        ("Stranger Things 4", 1),
    ]
    assert len({r.show_id for r in ranks}) == 10


def cut_short(fixture: str, cut: str) -> str:
    lines = fixture_text(f"tudum/{fixture}").splitlines()
    if cut == "header only":
        return lines[0]
    if cut == "a list missing":
        return "\n".join(
            line for line in lines if "\tTV (Non-English)\t" not in line and "\tTV\t" not in line
        )
    return "\n".join(lines[:-3])  # the oldest list short of its last 3 ranks


@pytest.mark.parametrize("cut", ["header only", "a list missing", "a list short"])
def test_a_global_file_cut_short_fails_the_run_and_changes_no_stored_value(run_source, fake_upstream, cut):
    run_source("tudum")
    before = stored()
    fake_upstream.queue(GLOBAL, tsv_reply(cut_short("all-weeks-global.sample.tsv", cut)))
    run = run_source("tudum")
    assert run.status == "failed" and run.error.startswith("temporary: all-weeks-global.tsv: ")
    assert stored() == before
    assert "validators" in Source.objects.get(key="tudum").state  # the last good file's, kept


@pytest.mark.parametrize("cut", ["header only", "a list missing", "a list short"])
def test_a_country_file_cut_short_makes_a_partial_run_keeping_the_global_lists(
    run_source, fake_upstream, cut
):
    fake_upstream.queue(COUNTRIES, tsv_reply(cut_short("all-weeks-countries.sample.tsv", cut)))
    run = run_source("tudum")
    assert run.status == "partial" and "all-weeks-countries.tsv: " in run.error
    assert run.created == PER_RUN - 120
    assert not Snapshot.objects.filter(scope__in=["US", "GB", "KR"]).exists()
