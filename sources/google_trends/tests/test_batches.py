from sources.base import WatchedShow
from sources.google_trends.runner import batches


def show(id: int, title: str, *terms: str) -> WatchedShow:
    return WatchedShow(id=id, title=title, search_terms=terms)


def test_terms_go_four_per_request_after_the_anchor():
    plan = batches([show(n, f"Show {n}") for n in range(1, 10)], "Netflix")
    assert [cols for cols, _ in plan] == [
        ["Netflix", "Show 1", "Show 2", "Show 3", "Show 4"],
        ["Netflix", "Show 5", "Show 6", "Show 7", "Show 8"],
        ["Netflix", "Show 9"],
    ]
    assert plan[2][1] == [[], [9]]


def test_shows_sharing_a_term_share_one_column():
    plan = batches(
        [show(1, "Wednesday", "wednesday netflix"), show(2, "Wednesday S2", "Wednesday Netflix")], "Netflix"
    )
    assert plan == [(["Netflix", "wednesday netflix"], [[], [1, 2]])]


def test_a_show_searched_by_the_anchor_term_reads_the_anchor_column():
    plan = batches([show(1, "Netflix"), show(2, "Wednesday")], "Netflix")
    assert plan == [(["Netflix", "Wednesday"], [[1], [2]])]
    assert batches([show(1, "Netflix")], "Netflix") == [(["Netflix"], [[1]])]


def test_no_shows_no_requests():
    assert batches([], "Netflix") == []
