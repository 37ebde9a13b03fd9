"""The signal adjustment of one predicted week, and the live weeks its weights are fit on."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Max

from forecasts.engines.adjustment import VERSION
from forecasts.engines.adjustment.features import FEATURES, as_vector, days_seen, show_features
from forecasts.engines.adjustment.fit import Sample, SignalWeights, fit_weights
from forecasts.engines.adjustment.read import daily_signals_as_of, signal_days
from forecasts.engines.outcomes import RawForecast, candidates
from forecasts.history.global_lists import GLOBAL_LISTS, Week
from forecasts.models import Prediction
from shows.models import Show


@dataclass
class Extra:
    """A candidate the list's Tudum history does not name: in the week's FlixPatrol chart, or a
    watched show with signals. It takes a share of "a show not yet seen"."""

    show_id: int
    title: str
    x: dict[str, float | None]
    why: str  # "flixpatrol" or "watchlist"


@dataclass
class Adjustment:
    weights: SignalWeights
    days: list[date]  # the days of the predicted week the features cover
    x: dict[str, dict[str, float | None]]  # history candidate key -> its features
    extras: list[Extra]

    def shift(self, keys: list[str]) -> np.ndarray | None:
        """Log-view shift of each history candidate; None (no adjustment) until the weights are fit."""
        if not self.weights.fitted:
            return None
        return self.weights.shift(np.array([as_vector(self.x[k]) for k in keys]))

    def new_show_shares(self) -> np.ndarray:
        """How P("a show not yet seen") splits over the extra candidates, then the unseen rest:
        ∝ exp(shift), the rest's shift being 0. Unfitted weights split it evenly, as market
        comparisons already do for outcomes that are not candidates."""
        shifts = self.weights.shift(
            np.array([as_vector(e.x) for e in self.extras] or np.zeros((0, len(FEATURES))))
        )
        odds = np.exp(np.append(shifts, 0.0))
        return odds / odds.sum()

    def summary(self) -> dict:
        every = [*self.x.values(), *(e.x for e in self.extras)]
        available = [f for f in FEATURES if any(x.get(f) is not None for x in every)]
        weights = dict(zip(FEATURES, self.weights.weights, strict=True))
        used = [f for f in available if self.weights.fitted and weights[f] != 0]
        return {
            "version": VERSION,
            "features": list(FEATURES),
            "available": available,
            "used": used,
            "days_seen": [d.isoformat() for d in self.days],
            "extra_candidates": len(self.extras),
            **self.weights.as_dict(),
        }


def list_kind(list_name: str) -> str:
    return "tv" if list_name.startswith("TV") else "film"


def signal_adjustment(
    *,
    list_name: str,
    week: date,
    as_of: datetime,
    histories: dict[str, list[Week]],
    past_raws: dict[int, RawForecast] | None = None,
) -> Adjustment:
    """Features of every candidate of `list_name`'s week ending `week` as known at `as_of`; the
    histories are every global list's weeks before `week`, as known then."""
    cands = candidates(histories[list_name])
    own = {c.last.show_id for c in cands}
    # A show in another global list lately (the other language) is not a candidate here.
    elsewhere = {c.last.show_id for name, h in histories.items() if name != list_name for c in candidates(h)}
    kind = list_kind(list_name)
    watched = set(Show.objects.filter(on_watchlist=True, kind=kind).values_list("id", flat=True))
    days = days_seen(week, as_of)
    signals = daily_signals_as_of(kind=kind, week=week, as_of=as_of, show_ids=own | watched)
    x = {c.key: show_features(signals, c.last.show_id, days) for c in cands}
    charted = {sid for sid, series in signals.values["flixpatrol"].items() if any(d in series for d in days)}
    extra_ids = sorted((charted | watched) - own - elsewhere)
    titles = dict(Show.objects.filter(pk__in=extra_ids).values_list("pk", "title"))
    extras = []
    for show_id in extra_ids:
        features = show_features(signals, show_id, days)
        if show_id in charted or any(v is not None for v in features.values()):
            why = "flixpatrol" if show_id in charted else "watchlist"
            extras.append(Extra(show_id, titles[show_id], features, why))
    samples = training_samples(before=week, as_of=as_of, histories=histories)
    if past_raws:
        live_weeks = {(s.list_name, s.week) for s in samples}
        past = history_samples(
            list_name=list_name, history=histories[list_name], past_raws=past_raws, as_of=as_of
        )
        samples += [s for s in past if (s.list_name, s.week) not in live_weeks]
    return Adjustment(fit_weights(samples, min_weeks=settings.FORECAST_SIGNAL_MIN_WEEKS), days, x, extras)


def history_samples(
    *, list_name: str, history: list[Week], past_raws: dict[int, RawForecast], as_of: datetime
) -> list[Sample]:
    """Past weeks of the list replayed on stored (backfilled) signals: each published title's features of
    that week, read as of `as_of`, against how far its published value missed the history model's
    median forecast of it (made from the weeks before). Weeks with no stored signal are skipped, so the
    weights stay 0 only where no signal history exists."""
    kind = list_kind(list_name)
    recent = sorted(past_raws)[-settings.FORECAST_SIGNAL_HISTORY_WEEKS :]
    if not recent:
        return []
    covered = signal_days(kind=kind, first=history[recent[0]].week - timedelta(days=13), as_of=as_of)
    samples = []
    for i in recent:
        week, raw = history[i], past_raws[i]
        days = days_seen(week.week, as_of)
        if not covered.intersection(days):
            continue
        entries = {e.key: e for e in week.entries if e.show_id}
        signals = daily_signals_as_of(
            kind=kind, week=week.week, as_of=as_of, show_ids={e.show_id for e in entries.values()}
        )
        median = raw.extras["views"][0]
        for j, key in enumerate(raw.keys[:-1]):
            entry = entries.get(key)
            actual = entry and (entry.views if raw.extras["measure"] == "weekly_views" else entry.hours)
            if actual and median[j] > 0:
                x = as_vector(show_features(signals, entry.show_id, days))
                samples.append(Sample(list_name, week.week, tuple(x), math.log(actual) - math.log(median[j])))
    return samples


def training_samples(*, before: date, as_of: datetime, histories: dict[str, list[Week]]) -> list[Sample]:
    """Stored features of past predicted weeks (the newest batch made by `as_of` of each list and
    week) paired with the Tudum value published for them, as known at `as_of`."""
    rows = Prediction.objects.filter(
        list_name__in=GLOBAL_LISTS,
        week__lt=before,
        made_at__lte=as_of,
        is_new_show=False,
        show__isnull=False,
        inputs__has_key="signals",
    )
    newest = {
        (r["list_name"], r["week"]): r["at"]
        for r in rows.values("list_name", "week").annotate(at=Max("made_at"))
    }
    published = {
        (name, wk.week): {e.show_id: e for e in wk.entries}
        for name, weeks in histories.items()
        for wk in weeks
    }
    samples = []
    for p in rows.only("list_name", "week", "made_at", "show_id", "measure", "inputs"):
        entry = published.get((p.list_name, p.week), {}).get(p.show_id)
        signals = p.inputs["signals"]
        if p.made_at != newest[(p.list_name, p.week)] or entry is None or not signals.get("base_views"):
            continue
        actual = entry.views if p.measure == "weekly_views" else entry.hours
        if actual:
            residual = math.log(actual) - math.log(signals["base_views"])
            samples.append(Sample(p.list_name, p.week, tuple(as_vector(signals["x"])), residual))
    return samples
