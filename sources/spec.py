"""What the rest of the project knows about one source, declared once in its own package.

Each `sources/<key>/spec.py` holds a `SPEC`; `sources/registry.py` lists the packages. Settings (base URLs,
quota limits, credentials), schedules, quota, the board and the watchlist read these specs, so adding a
source is a new package plus one registry line. Plain data with no Django imports: settings import it.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class Range:
    """What a metric's values may be (sources/pipeline/validation.py refuses the rest before they are
    stored)."""

    low: float
    high: float
    integer: bool = False

    def problem(self, value: object) -> str:
        """Why the value is refused, "" when it is fine."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not a number"
        if not math.isfinite(value):
            return f"{value!r} is not finite"
        if not self.low <= value <= self.high:
            return f"{value!r} is outside [{self.low:g}, {self.high:g}]"
        if self.integer and value != int(value):
            return f"{value!r} is not a whole number"
        return ""


# Every range is finite: an upstream answering 1e300 (issue 22: every Kalshi number at 1e300 stored 8
# rows) is as broken as one answering NaN. The caps sit far above any real value and far below nonsense.
# Views, posts, hours: never negative, not necessarily whole; 1e15 is above the largest real counts
# (a TikTok hashtag's views run to ~1e13, the most-viewed YouTube video ~2e10) and below 2**53 (9e15),
# where a float stops counting exactly.
COUNT = Range(0, 1e15)
# Kalshi contracts traded or open in one market: its busiest markets reach hundreds of millions, a
# Netflix ranking market thousands to millions; 1e10 leaves room and refuses nonsense.
CONTRACTS = Range(0, 1e10)
# Kalshi prices in dollars per contract (sources/kalshi/normalize.py converts legacy cents).
DOLLARS = Range(0, 1)
TOP10_RANK = Range(1, 10, integer=True)  # Netflix's Top 10 lists
# FlixPatrol's charts rank further than 10 on some lists, never into the thousands.
RANK = Range(1, 10_000, integer=True)
ANY = Range(-COUNT.high, COUNT.high)  # a Reddit post's score goes below zero when it is downvoted


@dataclass(frozen=True)
class BaseUrl:
    """An upstream host, overridable by `env` (scheme, host and port only)."""

    setting: str  # key in settings.SOURCE_BASE_URLS
    env: str
    default: str
    # "" here means "no override": the client builds the host from other data (Wikipedia's wikis).
    optional: bool = False


@dataclass(frozen=True)
class Setting:
    """One of the source's own settings: read once, strictly, by settings from the environment variable
    of the same name, and then read by the source as `django.conf.settings.<name>`.

    The default's type chooses the parser (int, float, bool, list for comma-separated, str); `parse` is
    a pure step after it (normalise, or raise ValueError saying why), so a malformed value stops
    start-up with a message naming the variable.
    """

    name: str
    default: object
    minimum: int | None = None
    choices: tuple[str, ...] = ()
    base_url: bool = False  # scheme, host and port only (kalshi_predictions.env.env_base_url)
    parse: Callable | None = None


@dataclass(frozen=True)
class Cadence:
    """A default django-celery-beat entry, created once by setup_sources (sources/pipeline/schedules.py)."""

    name: str
    why: str
    every_minutes: int | None = None  # an interval ...
    cron: dict = field(default_factory=dict)  # ... or a crontab in America/New_York
    expires_seconds: int = 0
    kwargs: dict = field(default_factory=dict)
    enabled: bool = True


@dataclass(frozen=True)
class QuotaPolicy:
    """An upstream quota counted per fixed window (sources/pipeline/quota.py); the limit is read by
    settings."""

    unit: str
    window: str  # "pacific_day", "utc_day", "15min" or "minute"
    limit_env: str
    default_limit: int
    why: str


@dataclass(frozen=True)
class WatchColumn:
    """A watchlist column: the metric a trader reads first from this source."""

    metric: str
    label: str
    lower_is_better: bool = False


@dataclass(frozen=True)
class SourceSpec:
    key: str
    name: str
    runner: str  # dotted path of a sources.runner.Runner subclass, imported lazily
    base_urls: tuple[BaseUrl, ...]  # the first is the one the pipeline hands the runner
    cadences: tuple[Cadence, ...]
    # (metric name pattern, range), first full match wins; a metric matching none is never stored.
    metrics: tuple[tuple[str, Range], ...] = ()
    credentials: tuple[str, ...] = ()  # environment variables, read by core/credentials.py
    settings: tuple[Setting, ...] = ()  # its own settings, each named <KEY>_... (or its helper's name)
    quota: QuotaPolicy | None = None
    # The WatchedShow fields its runner reads (empty: it lists the whole catalogue).
    show_fields: tuple[str, ...] = ()
    watchlist: tuple[WatchColumn, ...] = ()
    # How often it is expected to succeed, for health when its schedule is a crontab; None = the first
    # cadence's interval.
    nominal_cadence: timedelta | None = None
    # The largest answer its runs read, in MB, when its real answers are over KP_HTTP_MAX_BODY_MB
    # (kalshi_predictions/source_settings.py); None: that general limit.
    max_body_mb: int | None = None

    def __post_init__(self):
        if not self.base_urls or self.base_urls[0].setting != self.key:
            raise ValueError(f"source {self.key!r}: its first base URL must be settings key {self.key!r}")
        if not self.cadences:
            raise ValueError(f"source {self.key!r}: at least one default cadence")

    @property
    def expected_interval(self) -> timedelta:
        if self.nominal_cadence is not None:
            return self.nominal_cadence
        return timedelta(minutes=self.cadences[0].every_minutes or 60 * 24)
