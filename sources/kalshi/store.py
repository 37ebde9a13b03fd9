"""Upsert of Market rows, called by the pipeline through KalshiRunner.store_extra (and Polymarket's)."""

from django.db import transaction

from shows.identity import show_refs_resolve
from sources.kalshi.models import Market
from sources.kalshi.normalize import MarketIn

FIELDS = (
    "venue",
    "series",
    "event_ticker",
    "title",
    "outcome",
    "status",
    "result",
    "open_time",
    "close_time",
    "expected_expiration_time",
    "settled_at",
    "rules_primary",
)


@transaction.atomic
def markets_upsert(*, markets: list[MarketIn], source_key: str = "kalshi") -> tuple[int, int]:
    """Create or update one row per ticker; returns (created, updated). Re-running changes nothing.
    source_key: whose aliases resolve the outcome names (each venue names shows its own way)."""
    refs = {m.show_ref for m in markets if m.show_id is None and m.show_ref is not None}
    resolved = show_refs_resolve(source_key=source_key, refs=refs) if refs else {}
    existing = {m.ticker: m for m in Market.objects.filter(ticker__in=[m.ticker for m in markets])}
    created = updated = 0
    for item in markets:
        row = existing.get(item.ticker) or Market(ticker=item.ticker)
        values = {name: getattr(item, name) for name in FIELDS}
        if item.orderbook is not None:
            values |= {"orderbook": item.orderbook, "orderbook_at": item.orderbook_at}
        if item.fee_schedule is not None:
            values["fee_schedule"] = item.fee_schedule
        if item.settlement_sources is not None:
            values["settlement_sources"] = list(item.settlement_sources)
        show_id = item.show_id if item.show_id is not None else resolved.get(item.show_ref)
        if show_id is not None:  # an unmatched name never undoes a link made by hand
            values["show_id"] = show_id
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if row.pk is None:
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            created += 1
        elif changed:
            for k, v in changed.items():
                setattr(row, k, v)
            row.save(update_fields=[*changed, "updated_at"])
            updated += 1
    return created, updated
