from django.db import models


class Prediction(models.Model):
    """One outcome of one week's forecast of a Top 10 list, as made at `made_at` from what was known then."""

    class Mode(models.TextChoices):
        NOWCAST = "nowcast"  # the week is over, its list not yet published
        FORECAST = "forecast"  # the week is still running

    list_name = models.CharField(max_length=40, help_text='Netflix list, e.g. "TV (English)".')
    week = models.DateField(help_text="The Sunday that ends the predicted Monday–Sunday week.")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    show = models.ForeignKey(
        "shows.Show", null=True, blank=True, on_delete=models.SET_NULL, related_name="predictions"
    )
    # Kept even when show is null: the outcome "a show not yet seen" has no show.
    title = models.CharField(max_length=500)
    is_new_show = models.BooleanField(default=False)
    p_rank1 = models.FloatField()
    p_rank2 = models.FloatField()
    # Null for the US lists: Netflix's country lists have ranks only.
    predicted_views = models.FloatField(
        null=True, blank=True, help_text="Median of the simulated weekly value (see measure)."
    )
    views_low = models.FloatField(null=True, blank=True, help_text="5th percentile.")
    views_high = models.FloatField(null=True, blank=True, help_text="95th percentile.")
    measure = models.CharField(max_length=30, default="weekly_views")
    model_version = models.CharField(max_length=40)
    inputs = models.JSONField(default=dict, blank=True, help_text="Features and data the prediction used.")
    made_at = models.DateTimeField(help_text="Point in time: only data fetched by then was read.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["list_name", "-week", "-made_at", "-p_rank1"]
        indexes = [models.Index(fields=["list_name", "week", "made_at"], name="prediction_list_week")]

    def __str__(self) -> str:
        return f"{self.list_name} {self.week} {self.title}: P(#1)={self.p_rank1:.2f}"


class MarketComparison(models.Model):
    """Our probability beside a Kalshi market's for one market's outcome; scored once it settles.

    While the market is open the row follows the latest prediction and price; after settlement it
    holds the last of each known at the market's close and both scores, and never changes again.
    """

    market = models.OneToOneField("sources.Market", on_delete=models.CASCADE, related_name="comparison")
    series = models.CharField(max_length=60, db_index=True)
    list_name = models.CharField(max_length=40)
    rank = models.PositiveSmallIntegerField(help_text="The rank the market asks about (1 or 2).")
    week = models.DateField()
    ours = models.FloatField(null=True, blank=True)
    ours_from_new_show = models.BooleanField(
        default=False, help_text="The outcome is not among our candidates: a share of 'a show not yet seen'."
    )
    market_price = models.FloatField(null=True, blank=True, help_text="Mid of the latest yes bid and ask.")
    prediction_made_at = models.DateTimeField(null=True, blank=True)
    price_observed_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateTimeField(help_text="Nothing fetched after this was read.")
    outcome = models.BooleanField(null=True, blank=True, help_text="The settled result; null while open.")
    ours_brier = models.FloatField(null=True, blank=True)
    market_brier = models.FloatField(null=True, blank=True)
    ours_logloss = models.FloatField(null=True, blank=True)
    market_logloss = models.FloatField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week", "series", "market__ticker"]

    def __str__(self) -> str:
        return f"{self.market_id}: ours {self.ours} vs market {self.market_price}"

    @property
    def diff(self) -> float | None:
        if self.ours is None or self.market_price is None:
            return None
        return self.ours - self.market_price


class Alert(models.Model):
    """Something worth a look; informational only. One per subject and kind per day."""

    class Kind(models.TextChoices):
        DIVERGENCE = "divergence"  # our probability and the market's differ by more than the threshold
        LEADER_CHANGE = "leader_change"  # the nowcast's most likely #1 changed
        STALE_SOURCE = "stale_source"  # a source is stale or failing within 24 h of a market's close
        PUBLICATION = (
            "publication"  # a new Netflix Top 10 week first appeared (forecasts/watch/publications.py)
        )
        CORRECTION = "correction"  # a published week's values changed after it first appeared

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=200, help_text="Market ticker, event, or list and week.")
    day = models.DateField(help_text="UTC day: the de-duplication window.")
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    market = models.ForeignKey(
        "sources.Market", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    webhook_status = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "subject", "day"], name="alert_once_per_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.day}"
