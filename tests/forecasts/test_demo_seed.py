"""`manage.py demo_seed`: in make demo only, the real Tudum weeks of data/tudum are loaded and every
stored market's week is predicted when the history reaches near it; the sampled 2026 market's does not,
so /forecasts shows the recorded price and says why ours is missing."""

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
    # The real US lists end on 2022-02-27, 229 weeks before the sampled market's week: no number past
    # its data, so no prediction is stored and each outcome is compared without ours.
    assert not Prediction.objects.filter(list_name="US TV", week="2026-07-19").exists()
    compared = MarketComparison.objects.filter(market__series="KXNETFLIXRANKSHOW")
    assert compared.count() == 4
    for c in compared:
        assert c.ours is None and c.market_price is not None
    # The card says why there is no probability.
    page = client.get("/forecasts/").content.decode()
    why = "The newest US TV list we hold is 2022-02-27, 229 weeks before this market&#x27;s week"
    assert f"{why}: no probability." in page
    assert page.count('<td class="ours">–</td>') == 4
