"""The small interface every source package implements, and the types that cross it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from core.http import SourceError  # noqa: F401  (the interface's error; core.http raises it too)
from shows.refs import ShowRef

# Answers that repeat until someone changes a setting (credentials, User-Agent, base URL).
REFUSED_STATUSES = (401, 403)


@dataclass(frozen=True)
class WatchedShow:
    """What a runner may know about a show: plain data, so runners never touch the ORM."""

    id: int
    title: str
    season: str = ""
    wikipedia_article: str = ""
    wikipedia_project: str = "en.wikipedia"
    youtube_trailer_ids: tuple[str, ...] = ()
    subreddits: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    search_terms: tuple[str, ...] = ()
    flixpatrol_slug: str = ""
    kalshi_tickers: tuple[str, ...] = ()


@dataclass
class RawResponse:
    method: str
    url: str
    status: int | None
    body: str
    fetched_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class QuotaUse:
    """What a run spent of its source's upstream quota (sources/pipeline/quota.py records it).

    exhausted_until: upstream said the quota is used up until then (X's x-rate-limit-reset, YouTube's
    quotaExceeded), so runs before that time are skipped instead of failing on it.
    """

    spent: int = 0
    exhausted_until: datetime | None = None


@dataclass
class FetchContext:
    base_url: str
    shows: list[WatchedShow]
    now: datetime
    options: dict[str, Any] = field(default_factory=dict)
    # The source's memory between runs (Source.state): read it, change it; kept if the run succeeds.
    state: dict[str, Any] = field(default_factory=dict)
    # Every response is appended here as it arrives, so the pipeline can store what was received even
    # when the fetch fails half-way.
    responses: list[RawResponse] = field(default_factory=list)
    # Problems with single items (one article, one ticker) that do not fail the whole run.
    item_errors: list[str] = field(default_factory=list)
    # Units of the upstream quota this run spent; the pipeline records them after the run.
    quota: QuotaUse = field(default_factory=QuotaUse)


@dataclass(frozen=True)
class SnapshotIn:
    metric: str
    period: str
    observed_at: datetime
    value: float
    scope: str = "global"
    show_id: int | None = None
    show_ref: ShowRef | None = None
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


class Runner:
    """What a source's runner does; fetch and normalize are required, the rest are optional hooks.

    Runners never touch the database, Redis or events: the pipeline does (sources/pipeline/runs.py).
    """

    key: ClassVar[str]
    name: ClassVar[str]
    # Backfill (sources/pipeline/backfill.py): where the history starts (None: no backfill), the window size,
    # and whether history is per show (a newly watched show then gets its own).
    backfill_start: ClassVar[date | None] = None
    backfill_chunk: ClassVar[timedelta] = timedelta(weeks=26)
    backfill_per_show: ClassVar[bool] = False

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        raise NotImplementedError

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        raise NotImplementedError

    def quota_estimate(self, ctx: FetchContext) -> int:
        """Units of the upstream quota a run will spend (sources/pipeline/quota.py refuses runs that would
        go over)."""
        return 1

    def store_extra(self, responses: list[RawResponse]) -> None:
        """Rows a source keeps beside its snapshots (Kalshi's Market table), in the run's transaction."""
        return None
