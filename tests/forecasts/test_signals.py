"""Signals in the nowcast/forecast: read point in time, weights 0 until live weeks exist, fit when
informative, FlixPatrol-only titles as candidates, k-day features of a running week."""

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from forecasts.engines.adjustment.features import days_seen, show_features
from forecasts.engines.adjustment.fit import Sample, fit_weights
from forecasts.engines.adjustment.live import training_samples
from forecasts.engines.adjustment.read import daily_signals_as_of
from forecasts.engines.decay import ranks_from_draws
from forecasts.engines.predict import calibrated_forecast
from forecasts.models import Prediction
from forecasts.selectors import tudum_history_as_of
from forecasts.services import predictions_store
from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert
from tests.forecasts import test_point_in_time as stored
from tests.forecasts.test_point_in_time import AS_OF, LIST, WEEK, published_at

# The stored real weeks of the replay test, known before AS_OF.
tudum, real_weeks, known_at_as_of = stored.tudum, stored.real_weeks, stored.known_at_as_of

MONDAY = WEEK - timedelta(days=6)


@pytest.fixture
def flixpatrol(db):
    return Source.objects.get_or_create(key="flixpatrol", defaults={"name": "FlixPatrol"})[0]


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def store_chart(source, show: Show, day: date, rank: int, *, fetched_at=None, scope="world") -> None:
    """The chart of the viewing of `day`: FlixPatrol's chart shown (and dated) the day after."""
    shown = midnight(day + timedelta(days=1))
    item = SnapshotIn("rank", "day", shown, float(rank), scope, show_id=show.id, attrs={"list": "tv"})
    snapshots_upsert(source=source, items=[item], fetched_at=fetched_at or shown + timedelta(hours=13))


def features_at(show: Show, as_of: datetime) -> dict:
    signals = daily_signals_as_of(kind="tv", week=WEEK, as_of=as_of, show_ids={show.id})
    return show_features(signals, show.id, days_seen(WEEK, as_of))


def test_features_ignore_snapshots_fetched_after_the_prediction(flixpatrol):
    show = Show.objects.create(title="Rising", kind="tv")
    for i in range(7):
        store_chart(flixpatrol, show, MONDAY - timedelta(days=7 - i), 5)  # the previous week: rank 5
        store_chart(flixpatrol, show, MONDAY + timedelta(days=i), 5)
    late = Show.objects.create(title="Late", kind="tv")
    store_chart(flixpatrol, late, MONDAY, 1, fetched_at=AS_OF + timedelta(hours=1))
    assert features_at(show, AS_OF)["flixpatrol"] == pytest.approx(0.0)
    known = daily_signals_as_of(kind="tv", week=WEEK, as_of=AS_OF, show_ids={late.id})
    assert late.id not in known.values["flixpatrol"]
    assert features_at(late, AS_OF)["flixpatrol"] == 0.0  # absent from every chart known then
    assert features_at(late, AS_OF + timedelta(hours=2))["flixpatrol"] > 0
    assert features_at(show, AS_OF)["google_trends"] is None


def test_a_value_corrected_later_is_read_as_it_was(flixpatrol):
    show = Show.objects.create(title="Rising", kind="tv")
    for i in range(7):
        store_chart(flixpatrol, show, MONDAY - timedelta(days=7 - i), 10)  # score 1 a day
        store_chart(flixpatrol, show, MONDAY + timedelta(days=i), 6)  # score 5 a day
    store_chart(flixpatrol, show, MONDAY, 1, fetched_at=AS_OF + timedelta(days=1))  # corrected later
    assert features_at(show, AS_OF)["flixpatrol"] == pytest.approx(math.log(6 / 2))
    assert features_at(show, AS_OF + timedelta(days=2))["flixpatrol"] > math.log(6 / 2)


def test_a_running_week_compares_its_first_days_with_the_same_days_before(flixpatrol):
    show = Show.objects.create(title="Rising", kind="tv")
    for i in range(7):
        store_chart(flixpatrol, show, MONDAY - timedelta(days=7 - i), 10 if i < 3 else 1)
    for i in range(3):
        store_chart(flixpatrol, show, MONDAY + timedelta(days=i), 1)
    thursday = midnight(MONDAY + timedelta(days=3)) + timedelta(hours=14)
    assert days_seen(WEEK, thursday) == [MONDAY + timedelta(days=i) for i in range(3)]
    assert features_at(show, thursday)["flixpatrol"] == pytest.approx(math.log(11 / 2))  # days 1..3 only
    assert days_seen(WEEK, midnight(MONDAY) + timedelta(hours=9)) == []


def leader_rows(rows):
    return {p.show_id: p for p in rows if p.show_id and not p.inputs["signals"].get("candidate")}


def test_with_too_few_live_weeks_the_weights_are_0_and_predictions_are_the_history_models(
    known_at_as_of, flixpatrol
):
    history = tudum_history_as_of(list_name=LIST, as_of=AS_OF, before=WEEK)
    top = Show.objects.get(pk=history[-1].entries[0].show_id)
    for i in range(7):
        store_chart(flixpatrol, top, MONDAY - timedelta(days=7 - i), 1)
        store_chart(flixpatrol, top, MONDAY + timedelta(days=i), 9)
    rows = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)
    raw, p1, p2 = calibrated_forecast(history, ahead=1)
    by_show = leader_rows(rows)
    for i, key in enumerate(raw.keys[:-1]):
        show_id = int(key.split(":")[1])
        assert by_show[show_id].p_rank1 == pytest.approx(p1[i]) and by_show[show_id].p_rank2 == pytest.approx(
            p2[i]
        )
    signals = rows[0].inputs["signals"]
    assert signals["available"] == ["flixpatrol"] and signals["used"] == []
    assert signals["fitted"] is False and set(signals["weights"].values()) == {0.0}
    assert by_show[top.id].inputs["signals"]["x"]["flixpatrol"] < 0  # recorded, not used
    assert {p.model_version for p in rows} == {"decay-sim-1"}


def test_flixpatrol_only_titles_become_candidates_sharing_the_new_show_outcome(known_at_as_of, flixpatrol):
    history = tudum_history_as_of(list_name=LIST, as_of=AS_OF, before=WEEK)
    fresh = Show.objects.create(title="Brand New Hit", kind="tv")
    store_chart(flixpatrol, fresh, MONDAY + timedelta(days=2), 1)
    rows = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)
    _, p1, _ = calibrated_forecast(history, ahead=1)
    extra = [p for p in rows if p.show_id == fresh.id]
    new = [p for p in rows if p.is_new_show]
    assert len(extra) == 1 and extra[0].inputs["signals"]["candidate"] == "flixpatrol"
    assert extra[0].p_rank1 + new[0].p_rank1 == pytest.approx(p1[-1])
    assert sum(p.p_rank1 for p in rows) == pytest.approx(1) and sum(p.p_rank2 for p in rows) == pytest.approx(
        1
    )


def synthetic_weeks(rng, n_weeks: int, weight: float = 0.8):
    """Per week: candidates' history-model draws, their signal, and the real log views = the model's
    median + weight * signal + noise."""
    weeks = []
    for w in range(n_weeks):
        base = rng.normal(15, 0.5, size=8)
        signal = rng.normal(0, 1, size=8)
        truth = base + weight * signal + rng.normal(0, 0.3, size=8)
        draws = base + rng.normal(0, 0.5, size=(2000, 8))
        weeks.append((date(2026, 1, 4) + timedelta(weeks=w), base, signal, truth, draws))
    return weeks


def test_an_informative_signal_gets_a_positive_weight_and_better_held_out_log_loss(settings):
    rng = np.random.default_rng(7)
    train, held_out = synthetic_weeks(rng, 12), synthetic_weeks(rng, 30)
    samples = [
        Sample("TV (English)", wk, (s, 0.0, 0.0), t - b)
        for wk, base, signal, truth, _ in train
        for b, s, t in zip(base, signal, truth, strict=True)
    ]
    weights = fit_weights(samples, min_weeks=settings.FORECAST_SIGNAL_MIN_WEEKS)
    assert weights.fitted and weights.weights[0] > 0.3 and weights.weights[1:] == (0.0, 0.0)
    assert not fit_weights(samples[:8], min_weeks=settings.FORECAST_SIGNAL_MIN_WEEKS).fitted  # one week only

    def mean_log_loss(adjusted: bool) -> float:
        losses = []
        for _, _, signal, truth, draws in held_out:
            shift = weights.shift(np.column_stack([signal, np.zeros((8, 2))])) if adjusted else 0.0
            # Column 8 stands for NEW, never in front here.
            p1, _ = ranks_from_draws(np.column_stack([draws + shift, np.full(len(draws), -1e9)]), 9)
            losses.append(-math.log(p1[int(np.argmax(truth))] * 0.99 + 0.01 / 9))
        return float(np.mean(losses))

    assert mean_log_loss(adjusted=True) < mean_log_loss(adjusted=False) - 0.1


def test_stored_live_weeks_with_published_outcomes_turn_the_fit_on(known_at_as_of, monkeypatch):
    """Rows stored with signal features, then Tudum publishes: those pairs are what the weights fit on."""
    history = tudum_history_as_of(list_name=LIST, as_of=AS_OF, before=WEEK)
    published, earlier = history[-1], history[:-1]
    base = {e.show_id: e.views / math.exp(0.5 * (e.rank <= 3)) for e in published.entries}
    for n in range(2):  # rows for the last two published weeks
        for e in published.entries:
            Prediction.objects.create(
                list_name=LIST,
                week=published.week - timedelta(weeks=n),
                mode="nowcast",
                show_id=e.show_id,
                title=e.title,
                p_rank1=0.1,
                p_rank2=0.1,
                predicted_views=base[e.show_id],
                measure="weekly_views",
                model_version="decay-sim-1",
                inputs={"signals": {"x": {"flixpatrol": float(e.rank <= 3)}, "base_views": base[e.show_id]}},
                made_at=published_at(published.week - timedelta(weeks=n)) - timedelta(days=1),
            )
    histories = {LIST: history}
    samples = training_samples(before=WEEK, as_of=AS_OF, histories=histories)
    assert len({s.week for s in samples}) == 2 and all(s.list_name == LIST for s in samples)
    later = training_samples(
        before=WEEK, as_of=published_at(published.week) - timedelta(hours=1), histories={LIST: earlier}
    )
    assert {s.week for s in later} == {published.week - timedelta(weeks=1)}  # not yet published: left out
    assert not fit_weights(samples, min_weeks=3).fitted
    weights = fit_weights(samples, min_weeks=2)
    assert weights.fitted and weights.weights[0] > 0


def test_backfilled_signal_history_fits_the_weights_without_any_live_week(
    known_at_as_of, flixpatrol, settings
):
    """A FlixPatrol backfill gives past weeks' charts: the weights are fit on them, not left at 0."""
    settings.FORECAST_SIGNAL_MIN_WEEKS = 3
    history = tudum_history_as_of(list_name=LIST, as_of=AS_OF, before=WEEK)
    backfilled = AS_OF - timedelta(hours=1)
    for week in history[-7:]:
        monday = week.week - timedelta(days=6)
        for e in week.entries:
            show = Show.objects.get(pk=e.show_id)
            for d in range(7):
                store_chart(flixpatrol, show, monday + timedelta(days=d), e.rank, fetched_at=backfilled)
    assert not Prediction.objects.exists()  # no live week at all
    rows = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)
    signals = rows[0].inputs["signals"]
    assert signals["fitted"] and signals["training_weeks"] >= 3
    assert signals["weights"]["flixpatrol"] != 0
    assert {p.model_version for p in rows} == {"decay-sim-1+signals-1"}
    # Charts backfilled after the prediction time are not read: the weights stay 0 then.
    again = predictions_store(list_name=LIST, week=WEEK, as_of=backfilled - timedelta(minutes=1))
    assert again[0].inputs["signals"]["fitted"] is False
