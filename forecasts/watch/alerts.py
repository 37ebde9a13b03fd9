"""Alerts: the model and the market disagree, the nowcast's leader changed, a source went stale
shortly before a market closes, or a new Netflix Top 10 week landed (or a published one was corrected).
Informational only; one per subject and kind per UTC day, shown live on the board (SSE `alert` on the
`sources` channel; a new week also as `publication`) and POSTed to ALERT_WEBHOOK_URL when set."""

import logging
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from forecasts.models import Alert, MarketComparison, Prediction
from forecasts.watch.publications import tudum_publications
from sources.live import events
from sources.models import Market, Source
from sources.pipeline import health

log = logging.getLogger(__name__)
OPEN_STATUSES = ("active", "open")
UNHEALTHY = (Source.Health.STALE, Source.Health.FAILING)
CORRECTION_WEEKS = 4  # the newest weeks watched for corrections: the ones open markets can ask about


def alerts_evaluate(*, now: datetime) -> list[Alert]:
    """Raise every alert whose condition holds now; returns the ones new today."""
    with transaction.atomic():
        # Publications first: the forecasts refresh follows every Tudum run, so a new week is announced
        # within moments of the run that stored it.
        return [*_publications(now), *_divergences(now), *_leader_changes(now), *_stale_sources(now)]


def _raise(kind: str, subject: str, message: str, now: datetime, data: dict, market=None) -> Alert | None:
    alert, created = Alert.objects.get_or_create(
        kind=kind,
        subject=subject,
        day=now.date(),
        defaults={"message": message, "data": data, "market": market},
    )
    if not created:
        return None
    payload = {
        "source": "forecasts",
        "ts": now.isoformat(),
        "payload": {"id": alert.id, "kind": kind, "subject": subject, "message": message, "data": data},
    }
    events.announce("forecasts", "alert", payload)
    if settings.ALERT_WEBHOOK_URL:
        transaction.on_commit(lambda: webhook_send(alert.id, payload))
    return alert


def webhook_send(alert_id: int, payload: dict) -> None:
    """POST the alert as JSON; a failure is logged and noted on the alert, never raised."""
    try:
        response = requests.post(
            settings.ALERT_WEBHOOK_URL, json=payload, timeout=settings.ALERT_WEBHOOK_TIMEOUT_SECONDS
        )
        status = f"HTTP {response.status_code}"
    except requests.RequestException as exc:
        status = f"failed: {type(exc).__name__}"
    if not status.startswith("HTTP 2"):
        log.warning("alert %s: webhook %s", alert_id, status)
    Alert.objects.filter(pk=alert_id).update(webhook_status=status[:100])


def _divergences(now: datetime) -> list[Alert]:
    threshold = settings.ALERT_DIVERGENCE_POINTS / 100
    rows = MarketComparison.objects.filter(
        scored_at__isnull=True,
        ours__isnull=False,
        market_price__isnull=False,
        market__status__in=OPEN_STATUSES,
    ).select_related("market")
    out = []
    for c in rows:
        if abs(c.diff) < threshold or (c.market.close_time and c.market.close_time <= now):
            continue
        message = (
            f"{c.market.outcome or c.market.ticker}: ours {c.ours:.0%}, market {c.market_price:.0%} "
            f"({c.list_name} #{c.rank}, week to {c.week})"
        )
        data = {"ticker": c.market.ticker, "ours": c.ours, "market": c.market_price, "diff": c.diff}
        out.append(_raise(Alert.Kind.DIVERGENCE, c.market.ticker, message, now, data, c.market))
    return [a for a in out if a]


def _leader(list_name: str, week, made_at) -> Prediction:
    return Prediction.objects.filter(list_name=list_name, week=week, made_at=made_at).order_by("-p_rank1")[0]


def _leader_changes(now: datetime) -> list[Alert]:
    """The two newest batches of each recent week's predictions (made by now) name different #1s."""
    recent = (
        Prediction.objects.filter(week__gte=now.date() - timedelta(days=9), made_at__lte=now)
        .values("list_name", "week", "made_at")
        .distinct()
        .order_by("list_name", "week", "-made_at")
    )
    batches: dict[tuple, list] = {}
    for row in recent:
        batches.setdefault((row["list_name"], row["week"]), []).append(row["made_at"])
    out = []
    for (list_name, week), made in batches.items():
        if len(made) < 2:
            continue
        before, after = _leader(list_name, week, made[1]), _leader(list_name, week, made[0])
        if (before.show_id, before.title) == (after.show_id, after.title):
            continue
        message = f"{list_name}, week to {week}: most likely #1 is now {after.title} (was {before.title})"
        data = {"list": list_name, "week": week.isoformat(), "from": before.title, "to": after.title}
        out.append(_raise(Alert.Kind.LEADER_CHANGE, f"{list_name}|{week}", message, now, data))
    return [a for a in out if a]


def _stale_sources(now: datetime) -> list[Alert]:
    closing = (
        Market.objects.filter(
            status__in=OPEN_STATUSES,
            close_time__gt=now,
            close_time__lte=now + timedelta(hours=settings.ALERT_STALE_HOURS),
        )
        .values("event_ticker")
        .annotate(close_time=Max("close_time"))
    )
    if not closing:
        return []
    sources = Source.objects.filter(enabled=True).select_related("periodic_task__interval")
    unhealthy = [s for s in sources if health.compute(s, now) in UNHEALTHY]
    out = []
    for event in closing:
        for source in unhealthy:
            message = (
                f"{source.name} is {health.compute(source, now)} and {event['event_ticker']} closes "
                f"{event['close_time']:%a %H:%M} UTC"
            )
            data = {
                "event": event["event_ticker"],
                "source": source.key,
                "closes": event["close_time"].isoformat(),
            }
            out.append(
                _raise(Alert.Kind.STALE_SOURCE, f"{event['event_ticker']}|{source.key}", message, now, data)
            )
    return [a for a in out if a]


def _fresh(moment, now: datetime) -> bool:
    return moment is not None and now - timedelta(hours=settings.ALERT_PUBLICATION_HOURS) < moment <= now


# Netflix publishes on Tuesday; a week first stored after the Wednesday following it was loaded late (a
# first install, a history backfill), and "first appeared" then would name our load, not Netflix's.
PUBLICATION_LATE_DAYS = 1


def _on_time(week: dict) -> bool:
    return week["firstSeen"].date() <= week["publishedOn"] + timedelta(days=PUBLICATION_LATE_DAYS)


def _publications(now: datetime) -> list[Alert]:
    """The newest stored week, once, when it first appeared lately; each new count of corrected values
    of a recent week, once. Only the newest week: a history backfill must not announce a hundred weeks."""
    weeks = tudum_publications(limit=CORRECTION_WEEKS)
    out = []
    if weeks and _fresh(weeks[0]["firstSeen"], now) and _on_time(weeks[0]):
        w = weeks[0]
        subject = f"tudum|{w['weekEnd']}"
        if not Alert.objects.filter(kind=Alert.Kind.PUBLICATION, subject=subject).exists():
            message = (
                f"Netflix Top 10 week {_day(w['week'])}–{_day(w['weekEnd'])}, {w['weekEnd'].year} "
                f"first appeared {w['firstSeen']:%a %H:%M} UTC ({w['values']} values)"
            )
            data = _publication_data(w)
            alert = _raise(Alert.Kind.PUBLICATION, subject, message, now, data)
            if alert:
                events.announce(
                    "tudum", "publication", {"source": "tudum", "ts": now.isoformat(), "payload": data}
                )
                out.append(alert)
    for w in weeks:
        if not (w["corrected"] and _fresh(w["lastCorrection"], now)):
            continue
        subject = f"tudum|{w['weekEnd']}|{w['correctedValues']}"
        if Alert.objects.filter(kind=Alert.Kind.CORRECTION, subject=subject).exists():
            continue
        message = (
            f"Netflix corrected the week to {_day(w['weekEnd'])}, {w['weekEnd'].year} after first "
            f"publishing it: {w['correctedValues']} values changed; markets settle on the first version"
        )
        out.append(_raise(Alert.Kind.CORRECTION, subject, message, now, _publication_data(w)))
    return [a for a in out if a]


def _day(d) -> str:
    return f"{d:%b} {d.day}"


def _publication_data(w: dict) -> dict:
    return {
        "week": w["week"].date().isoformat(),
        "weekEnd": w["weekEnd"].isoformat(),
        "firstSeen": w["firstSeen"].isoformat(),
        "values": w["values"],
        "corrected": w["corrected"],
        "correctedValues": w["correctedValues"],
    }
