"""The Tudum normalizer refusing a broken file, and saying why (the rows already stored stay)."""

from collections import Counter

import pytest

from sources.tudum.normalize import normalize
from sources.tudum.tests.test_normalize import raw
from sources.tudum.tsv import MalformedFile


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("all-weeks-global.null-body.tsv", "body is 'null', not a TSV"),
        ("all-weeks-global.moved-permanently.html", "an HTML page instead of a TSV"),
    ],
)
def test_a_body_that_is_not_the_tsv_is_refused_saying_why(fixture, says):
    with pytest.raises(MalformedFile, match=says):
        normalize([raw(fixture)])


def test_a_header_without_needed_columns_is_refused():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body = bad.body.replace("weekly_rank", "position", 1)
    with pytest.raises(MalformedFile, match="header lacks weekly_rank"):
        normalize([bad])


def test_a_row_of_the_wrong_width_is_refused_with_its_line():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body += "2025-08-10\tTV (English)\t11\tTruncated\n"
    with pytest.raises(MalformedFile, match="line 242: 4 cells"):
        normalize([bad])


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("\t201600000\t", "\tlots\t", "weekly_hours_viewed='lots' is not a number"),
        ("2025-08-10\tTV (English)\t1\t", "2025-08-11\tTV (English)\t1\t", "not a Sunday"),
        ("2025-08-10\tTV (English)\t1\t", "10/08/2025\tTV (English)\t1\t", "is not a date"),
    ],
)
def test_a_bad_cell_is_refused_naming_it(old, new, says):
    bad = raw("all-weeks-global.sample.tsv")
    assert old in bad.body
    bad.body = bad.body.replace(old, new, 1)
    with pytest.raises(MalformedFile, match=says):
        normalize([bad])


@pytest.mark.parametrize("file", ["global", "countries", "most_popular"])
def test_a_header_only_file_is_refused(file):
    fixture = {
        "global": "all-weeks-global.sample.tsv",
        "countries": "all-weeks-countries.sample.tsv",
        "most_popular": "most-popular.tsv",
    }[file]
    header_only = raw(fixture, file)
    header_only.body = header_only.body.splitlines()[0]
    with pytest.raises(MalformedFile, match="no rows after the header"):
        normalize([header_only])


def without(body: str, drop) -> str:
    return "\n".join(line for n, line in enumerate(body.splitlines()) if n == 0 or not drop(line.split("\t")))


@pytest.mark.parametrize(
    ("fixture", "file", "drop", "says"),
    [
        (  # a whole list gone from one week
            "all-weeks-global.sample.tsv",
            "global",
            lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)",
            "week 2025-07-06 lacks the list[(]s[)] TV [(]Non-English[)]",
        ),
        (  # the file cut after rank 7 of its oldest list
            "all-weeks-global.sample.tsv",
            "global",
            lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)" and int(c[2]) > 7,
            r"week 2025-07-06, TV \(Non-English\) has the ranks \[1, 2, 3, 4, 5, 6, 7\]",
        ),
        (
            "all-weeks-countries.sample.tsv",
            "countries",
            lambda c: c[1] == "GB" and c[3] == "TV",
            "week 2022-02-27 of GB lacks the list[(]s[)] TV",
        ),
        ("most-popular.tsv", "most_popular", lambda c: c[0] == "Films (English)", "lacks the list"),
    ],
)
def test_a_file_missing_a_list_or_ranks_of_one_is_refused(fixture, file, drop, says):
    bad = raw(fixture, file)
    bad.body = without(bad.body, drop)
    with pytest.raises(MalformedFile, match=says):
        normalize([bad])


def test_a_broken_list_of_a_country_not_kept_does_not_refuse_the_kept_ones():
    # GB's TV list of one week gone: a run that keeps only US still stores the US lists.
    bad = raw("all-weeks-countries.sample.tsv", "countries", countries=["US"])
    bad.body = without(bad.body, lambda c: c[1] == "GB" and c[3] == "TV")
    items = normalize([bad])
    assert Counter(i.scope for i in items) == {"US": 40}
    bad.meta["countries"] = ["US", "GB"]
    with pytest.raises(MalformedFile, match="of GB lacks"):
        normalize([bad])


def test_a_broken_list_of_a_week_not_kept_does_not_refuse_the_newest_weeks():
    bad = raw("all-weeks-global.sample.tsv", recent_weeks=2)
    bad.body = without(bad.body, lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)")
    assert {i.attrs["week"] for i in normalize([bad])} == {"2025-08-10", "2025-08-03"}


def test_a_rank_given_twice_in_one_list_is_refused():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body = bad.body.replace("2025-08-10\tTV (English)\t2\t", "2025-08-10\tTV (English)\t1\t", 1)
    with pytest.raises(MalformedFile, match=r"TV \(English\) has the ranks \[1, 1, 3"):
        normalize([bad])


def test_the_real_history_holds_every_list_of_every_week():
    history = raw("all-weeks-global.2022-05-15-to-2022-11-13.tsv")
    assert len(normalize([history])) == 27 * 40 * 3  # rank, hours, weeks in the Top 10 (no views yet)
