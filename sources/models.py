from django.db import models


class Source(models.Model):
    class Health(models.TextChoices):
        OK = "ok"
        STALE = "stale"
        FAILING = "failing"
        NEEDS_CREDENTIALS = "needs_credentials"
        DISABLED = "disabled"
        NEVER_RUN = "never_run"
        # A permanent error (refused credentials, bad configuration): no run until settings change.
        HELD = "held"

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source",
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Health as of the last run; "stale" also depends on the clock, so readers use sources.pipeline.health.
    health = models.CharField(max_length=20, choices=Health.choices, default=Health.NEVER_RUN)
    # The payload of the last announced snapshot: what the API shows when Redis is down.
    latest_payload = models.JSONField(null=True, blank=True)
    # Small memory a runner keeps between runs (ETags, cursors, resolved ids); saved after a success.
    state = models.JSONField(default=dict, blank=True)
    # Set by a permanent error (sources/pipeline/hold.py): the source does not run again until the fingerprint
    # of its settings differs from the one stored here, or an admin releases it.
    held_at = models.DateTimeField(null=True, blank=True)
    held_reason = models.TextField(blank=True)
    held_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Snapshot(models.Model):
    class Period(models.TextChoices):
        HOUR = "hour"
        DAY = "day"
        WEEK = "week"
        INSTANT = "instant"

    # No single-column indexes: the unique key leads with the source and snapshot_show_time with the
    # show, so both were redundant; each cost every insert, and with stale statistics the planner took
    # the source's for lookups of one key (reading all of that source's rows).
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots", db_index=False)
    show = models.ForeignKey(
        "shows.Show",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_index=False,
    )
    metric = models.CharField(max_length=40)
    scope = models.CharField(max_length=120, default="global")
    period = models.CharField(max_length=8, choices=Period.choices)
    observed_at = models.DateTimeField(help_text="UTC start of the period the value describes.")
    value = models.FloatField()
    fetched_at = models.DateTimeField()
    attrs = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "source_snapshots"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "show", "metric", "scope", "period", "observed_at"],
                name="snapshot_unique_key",
                # A list-level value (no show) must not duplicate either.
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["show", "observed_at"], name="snapshot_show_time"),
            # A day's chart across shows (the board's FlixPatrol week: source, metric, scope, period and
            # time, no show), which neither index above serves: the unique key puts the show before the
            # time, so that read walked every FlixPatrol row of it (docs/performance.md, "Board").
            # Partial: daily rows are ~1/20 of the table, so hourly inserts never pay for it.
            models.Index(
                fields=["source", "metric", "scope", "observed_at"],
                name="snapshot_daily_chart",
                condition=models.Q(period="day"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}/{self.metric}/{self.scope}@{self.observed_at:%Y-%m-%d %H:%M}"


class SnapshotRevision(models.Model):
    """A value a snapshot had before a later fetch changed it: "what did we know at time t?"."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="revisions")
    value = models.FloatField()
    fetched_at = models.DateTimeField()
    superseded_at = models.DateTimeField()

    class Meta:
        ordering = ["snapshot", "fetched_at"]

    def __str__(self) -> str:
        return f"{self.snapshot_id} was {self.value} until {self.superseded_at:%Y-%m-%d %H:%M}"


class SnapshotRollup(models.Model):
    """One bucket (a UTC day or ISO week) of one series of a show, kept by sources/series/rollups.py in the
    transaction that writes its snapshots: what the metrics endpoint needs to give that bucket's point
    without reading its raw rows (the sum and count for a mean, the newest value for a last)."""

    resolution = models.CharField(max_length=8)
    # No index of their own: the unique key leads with the show, and a source is deleted about never.
    show = models.ForeignKey("shows.Show", on_delete=models.CASCADE, related_name="+", db_index=False)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+", db_index=False)
    metric = models.CharField(max_length=40)
    scope = models.CharField(max_length=120)
    period = models.CharField(max_length=8)
    bucket = models.DateTimeField(help_text="UTC start of the day or week (Monday).")
    value_sum = models.FloatField()
    value_count = models.PositiveIntegerField()
    last_value = models.FloatField()
    # The bucket's first and last observations: a window edge cutting through the bucket shows in them.
    first_observed_at = models.DateTimeField()
    last_observed_at = models.DateTimeField()

    class Meta:
        db_table = "source_snapshot_rollups"
        constraints = [
            # Show, resolution and bucket lead: the one index serves both the chart's range read and the
            # upsert's conflict target.
            models.UniqueConstraint(
                fields=["show", "resolution", "bucket", "source", "metric", "scope", "period"],
                name="rollup_unique_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resolution} {self.source_id}/{self.metric}/{self.scope}@{self.bucket:%Y-%m-%d}"


class FetchRun(models.Model):
    class Status(models.TextChoices):
        STARTED = "started"
        OK = "ok"
        PARTIAL = "partial"
        FAILED = "failed"
        SKIPPED = "skipped"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    requests = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0, help_text="Snapshots the normalizer produced.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # A window of a history backfill (sources/pipeline/backfill.py) rather than a scheduled or "run now" run.
    backfill = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"], name="fetchrun_source_recent")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if not self.finished_at:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class RawEvent(models.Model):
    """One upstream response as received, kept RAW_EVENT_RETENTION_DAYS days for debugging."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="raw_events")
    run = models.ForeignKey(FetchRun, null=True, on_delete=models.SET_NULL, related_name="raw_events")
    method = models.CharField(max_length=8, default="GET")
    url = models.TextField(help_text="Request URL with secrets removed.")
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.url} -> {self.status}"


from sources.kalshi.models import Market  # noqa: E402, F401  (the Kalshi source's own table, in this app)
