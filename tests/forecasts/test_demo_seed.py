"""`manage.py demo_seed`: in make demo only, the real Tudum weeks of data/tudum are loaded and every
stored market's week is predicted, so /forecasts shows our probability beside the recorded price."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forecasts.models import MarketComparison, Prediction
from sources.models import Snapshot
from sources.tudum import fake as tudum

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def real_tudum_files(fake_upstream):
    """What bin/demo.py serves at Tudum's paths: the real files, not the short samples."""
    fake_upstream.route(
        tudum.GLOBAL, tudum.tsv_reply((DATA / "tudum/all-weeks-global.until-2025-08-10.tsv").read_text())
    )
    fake_upstream.route(
        tudum.COUNTRIES,
        tudum.tsv_reply((DATA / "tudum/all-weeks-countries.US.until-2022-02-27.tsv").read_text()),
    )
    return fake_upstream


def test_demo_seed_refuses_to_run_outside_the_demo(settings, db):
    settings.KP_DEMO = False
    with pytest.raises(CommandError, match="KP_DEMO"):
        call_command("demo_seed")
    assert not Snapshot.objects.exists()


def test_demo_seed_predicts_the_recorded_market_from_the_real_history(
    run_source, real_tudum_files, settings, django_capture_on_commit_callbacks, client
):
    settings.KP_DEMO = True
    settings.KP_PUBLIC_READ = True
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]  # as bin/demo.py sets it
    assert run_source("kalshi").status == "ok"

    with django_capture_on_commit_callbacks(execute=False):  # no refresh task: this test is the seed
        call_command("demo_seed")

    us_weeks = Snapshot.objects.filter(source__key="tudum", scope="US").dates("observed_at", "day")
    assert len(us_weeks) == 35  # every week of the US file, 2021-07-04 … 2022-02-27
    batch = Prediction.objects.filter(list_name="US TV", week="2026-07-19")
    assert batch.exists() and batch.first().inputs["history_weeks"][1] == "2022-02-27"
    compared = MarketComparison.objects.filter(market__series="KXNETFLIXRANKSHOW")
    assert compared.count() == 4
    for c in compared:
        # None of the four outcomes is in a list of 2022: each gets a share of "a show not yet seen".
        assert 0 < c.ours < 1 and c.ours_from_new_show and c.market_price is not None
    # The card says it forecasts across the gap between the history and the market's week.
    page = client.get("/forecasts/").content.decode()
    assert "Its newest Tudum week ends 2022-02-27, 229 weeks before this one" in page
    assert page.count('<td class="ours">') == 4
