"""Why a panel is empty, in one sentence naming the cause and what to do, from the state of the source
that fills it: never run, failing (since when, and the root cause), held, missing credentials,
disabled, or healthy but with nothing to show."""

from datetime import datetime

from django.utils import timezone

from dashboard.templatetags.board import clip
from sources.models import FetchRun, Source

# Source health (sources.pipeline.health) -> how a card, a row and an empty panel colour it: one table, so the
# board and /sources can never disagree.
HEALTH_TONE = {
    Source.Health.OK: "ok",
    Source.Health.STALE: "warn",
    Source.Health.NEEDS_CREDENTIALS: "warn",
    Source.Health.FAILING: "bad",
    Source.Health.HELD: "bad",
    Source.Health.NEVER_RUN: "idle",
    Source.Health.DISABLED: "idle",
}


def failing_since(source_key: str, last_success: datetime | None) -> datetime | None:
    """The start of the current run of failures: the first failed run after the last success."""
    runs = FetchRun.objects.filter(source__key=source_key, status=FetchRun.Status.FAILED)
    if last_success:
        runs = runs.filter(started_at__gt=last_success)
    return runs.order_by("started_at").values_list("started_at", flat=True).first()


def _at(moment: datetime) -> str:
    local = timezone.localtime(moment)
    if timezone.now() - moment < timezone.timedelta(hours=20):
        return f"{local:%H:%M} UTC"
    return f"{local:%b} {local.day}, {local:%H:%M} UTC"


def _error(text: str) -> str:
    # The pipeline prefixes "temporary: " / "permanent: "; the cause after it is what a user acts on.
    for prefix in ("temporary: ", "permanent: "):
        text = text.removeprefix(prefix)
    return clip(text, 220)


def empty_reason(card: dict | None, *, what: str, first_run: str) -> str:
    """`what` is the missing thing ("no open Netflix market is stored"), `first_run` what the first run
    does ("the first Kalshi run stores them"); `card` is the source's entry of board_sources()."""
    if card is None:
        return f"{what}: the source is not set up; run `python manage.py setup_sources`."
    name, health = card["name"], card["health"]
    if health == Source.Health.DISABLED:
        return f"{what}: {name} is disabled; enable it in the admin (Sources)."
    if card.get("missingCredentials"):
        return f"{what}: {name} needs {', '.join(card['missingCredentials'])}; set them and restart."
    if card.get("heldReason"):
        return f"{what}: {name} is held after a permanent error: {_error(card['heldReason'])}."
    last_success = datetime.fromisoformat(card["lastUpdated"]) if card.get("lastUpdated") else None
    if (
        card.get("lastError")
        and health in (Source.Health.FAILING, Source.Health.STALE)
        or (card.get("lastError") and last_success is None and card.get("lastRun"))
    ):
        since = failing_since(card["key"], last_success)
        when = f" since {_at(since)}" if since else ""
        return f"{what}: {name} has failed{when}: {_error(card['lastError'])}"
    if health == Source.Health.NEVER_RUN or not card.get("lastRun"):
        return f"{what} yet: {first_run}."
    return f"{what}: the last {name} run ({_at(datetime.fromisoformat(card['lastRun']))}) found none."
