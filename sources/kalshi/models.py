"""Prediction markets: what each ticker is about, how it settled, and which show it names.

Kalshi's first; Polymarket's legs share the table (venue "polymarket", ticker = the market's slug) so
that both venues' markets are read the same way. Lives in the sources app (imported by
sources/models.py); prices are Snapshots of the venue's source scoped by ticker.
"""

from django.db import models


class Market(models.Model):
    VENUES = (("kalshi", "Kalshi"), ("polymarket", "Polymarket"))

    venue = models.CharField(max_length=20, choices=VENUES, default="kalshi", db_index=True)
    ticker = models.CharField(max_length=120, unique=True)
    series = models.CharField(max_length=60, db_index=True)
    event_ticker = models.CharField(max_length=100, blank=True, db_index=True)
    title = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(
        max_length=300, blank=True, help_text='The yes_sub_title, e.g. "Wednesday: Season 2".'
    )
    open_time = models.DateTimeField(null=True, blank=True)
    close_time = models.DateTimeField(null=True, blank=True, db_index=True)
    expected_expiration_time = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # As the market object reports it: "active" while listed as open, then closed/settled/finalized.
    status = models.CharField(max_length=20, blank=True)
    result = models.CharField(max_length=20, blank=True, help_text='"yes", "no" or empty until settled.')
    rules_primary = models.TextField(blank=True)
    settlement_sources = models.JSONField(
        default=list, blank=True, help_text="From GET /series/{ticker}: [{name, url}]."
    )
    # The newest GET /markets/{ticker}/orderbook `orderbook_fp` ({yes_dollars, no_dollars}: resting
    # bids, best last) and when it was read; a later run whose request fails keeps this one.
    orderbook = models.JSONField(null=True, blank=True)
    # The series' fee schedule (GET /series/{ticker} `fee_type`, `fee_multiplier`) and its fee changes
    # (GET /series/fee_changes, past and scheduled): {type, multiplier, changes: [{type, multiplier,
    # scheduledTs}]}; Kalshi's fees differ by series, so one rate for all would misstate some.
    fee_schedule = models.JSONField(null=True, blank=True)
    orderbook_at = models.DateTimeField(null=True, blank=True)
    show = models.ForeignKey(
        "shows.Show", null=True, blank=True, on_delete=models.SET_NULL, related_name="kalshi_markets"
    )
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "kalshi_markets"
        ordering = ["-close_time", "ticker"]

    def __str__(self) -> str:
        return f"{self.ticker} ({self.outcome})" if self.outcome else self.ticker
