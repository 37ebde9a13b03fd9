import json
import re
from datetime import timedelta

from django.utils import timezone

from shows.models import Show
from tests.dashboard.queries import queries_for
from tests.factories import HOSTILE, open_market, show_with_signals, snapshot, watched_show


def _charts(html: str) -> dict[str, dict]:
    found = re.findall(
        r'<figure class="chart" data-source="([^"]+)" data-metric="([^"]+)" data-points="(\d+)">.*?'
        r'<script type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    return {f"{src}.{metric}": {"points": int(n), "data": json.loads(data)} for src, metric, n, data in found}


def test_a_chart_per_source_and_metric_holds_the_points_of_the_window(client, sources_ready, public):
    show = watched_show("Wednesday")
    now = timezone.now()
    for days in (0.1, 3, 20, 60, 200):
        snapshot(show, "wikipedia", "pageviews", 100 + days, now - timedelta(days=days), scope="en.wikipedia")
    counts = {}
    for window in ("24h", "7d", "30d", "90d", "1y"):
        charts = _charts(client.get(f"/shows/{show.id}?window={window}").content.decode())
        api = client.get(f"/api/shows/{show.id}/metrics?window={window}").json()
        assert charts["wikipedia.pageviews"]["points"] == sum(len(s["points"]) for s in api["series"])
        counts[window] = charts["wikipedia.pageviews"]["points"]
    assert counts["24h"] == 1 and counts["7d"] == 2 and counts["30d"] == 3 and counts["90d"] == 4
    assert counts["1y"] >= 4  # weekly buckets may join the two newest points


def test_the_charts_fragment_is_what_the_window_links_fetch(client, sources_ready, public):
    show = show_with_signals("Wednesday")
    html = client.get(f"/shows/{show.id}?window=30d", headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="charts"') and "<html" not in html
    assert f'hx-get="/shows/{show.id}?window=90d"' in html and 'href="?window=90d"' in html


def test_the_page_listens_to_its_own_channel_only(client, sources_ready, public):
    show = watched_show("Wednesday")
    html = client.get(f"/shows/{show.id}").content.decode()
    assert f'sse-connect="/api/stream?channel=show-{show.id}"' in html


def test_tudum_history_and_kalshi_markets_are_listed(client, sources_ready, public):
    show = show_with_signals("Wednesday", rank=(5, 3))
    open_market(show, "KXNETFLIXRANKSHOW-26X-WED", "Wednesday: Season 2", 0.61)
    html = client.get(f"/shows/{show.id}?window=90d").content.decode()
    assert "Netflix Top 10 weeks" in html and "tv english" in html
    assert "KXNETFLIXRANKSHOW-26X-WED" in html


def test_an_unknown_window_falls_back_to_seven_days(client, sources_ready, public):
    show = watched_show("Wednesday")
    assert "Signals over 7d" in client.get(f"/shows/{show.id}?window=forever").content.decode()


def test_staff_edits_identifiers_and_gets_the_panel_back(staff_client, sources_ready):
    show = watched_show("Wednesday")
    response = staff_client.post(
        f"/shows/{show.id}/identifiers",
        {"wikipediaArticle": "Wednesday (TV series)", "subreddits": "WednesdayAddams, netflix"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Saved." in response.content.decode()
    show.refresh_from_db()
    assert show.wikipedia_article == "Wednesday_(TV_series)"
    assert show.subreddits == ["WednesdayAddams", "netflix"]


def test_anonymous_users_see_identifiers_but_no_form(client, sources_ready, public):
    show = watched_show("Wednesday", subreddits=["WednesdayAddams"])
    html = client.get(f"/shows/{show.id}").content.decode()
    assert "WednesdayAddams" in html and "<form" not in html
    response = client.post(
        f"/shows/{show.id}/identifiers", {"subreddits": "x"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert Show.objects.get(pk=show.pk).subreddits == ["WednesdayAddams"]


def test_hostile_text_renders_as_text_on_the_show_page(client, sources_ready, public):
    show = show_with_signals(HOSTILE)
    snapshot(show, "wikipedia", "pageviews", 5, timezone.now(), scope=HOSTILE, period="hour")
    open_market(show, "KXNETFLIXRANKSHOW-26X-HOS", HOSTILE, 0.5)
    html = client.get(f"/shows/{show.id}").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    # Inside the chart's JSON the text is escaped too (json_script), so it cannot end the script.
    assert "\\u003Cscript\\u003E" in html


def test_the_show_page_query_count_does_not_grow_with_watched_shows(
    client, sources_ready, public, django_assert_num_queries
):
    shows = [show_with_signals(f"Show {n}") for n in range(2)]
    with_two = queries_for(client, f"/shows/{shows[0].id}")
    for n in range(2, 20):
        show_with_signals(f"Show {n}")
    with django_assert_num_queries(with_two):
        client.get(f"/shows/{shows[0].id}")
