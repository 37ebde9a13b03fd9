"""FlixPatrol's daily Netflix Top 10 for the world and configured countries: rank and points."""

import time
from datetime import date, timedelta

from django.utils import timezone

from kalshi_predictions.env import ImproperEnv
from sources import http
from sources.base import FetchContext, RawResponse, SnapshotIn, SourceError

from . import client, config
from .chart import parse_chart, why_no_rows
from .normalize import MalformedResponse, api_rows, normalize

BLOCKED = "markup changed or blocked"


def chart_date(ctx: FetchContext) -> date:
    """Yesterday's chart (complete, so a rerun fetches the same page), or options["date"] to backfill."""
    wanted = ctx.options.get("date")
    return date.fromisoformat(str(wanted)) if wanted else (ctx.now - timedelta(days=1)).date()


class FlixPatrolRunner:
    key = "flixpatrol"
    name = "FlixPatrol"

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        try:
            cfg = config.load()
        except ImproperEnv as exc:
            raise SourceError(str(exc), permanent=True) from None
        day = chart_date(ctx)
        # FlareSolverr answers its own failures with a 500 after spending maxTimeout on the challenge;
        # retrying that inside one run would only multiply the wait.
        session = http.make_session(retries=0 if cfg.backend == "flaresolverr" else None)
        if cfg.backend == "api":
            return self._fetch_api(ctx, cfg, session, day)
        return self._fetch_pages(ctx, cfg, session, day)

    def _fetch_pages(self, ctx, cfg, session, day: date) -> list[RawResponse]:
        ok: list[RawResponse] = []
        pages = [("world", "world"), *cfg.countries]
        for n, (scope, slug) in enumerate(pages):
            if n and cfg.page_delay_seconds:
                time.sleep(cfg.page_delay_seconds)
            url = client.page_url(ctx.base_url, slug, day)
            if cfg.backend == "flaresolverr":
                answer = client.get_page_via_flaresolverr(session, cfg, url)
            else:
                answer = client.get_page(session, url)
            raw = RawResponse(
                method="GET",
                url=url,
                status=answer.status,
                body=answer.body,
                fetched_at=timezone.now(),
                meta={
                    "backend": cfg.backend,
                    "scope": scope,
                    "country_slug": slug,
                    "date": day.isoformat(),
                },
            )
            ctx.responses.append(raw)
            if answer.error:
                ctx.item_errors.append(f"{scope}: {answer.error}")
            elif answer.status == 200 and parse_chart(answer.body):
                ok.append(raw)
            else:
                ctx.item_errors.append(f"{scope}: {BLOCKED} ({why_no_rows(answer.status, answer.body)})")
        if not ok:
            raise SourceError(f"{BLOCKED} on every page: " + "; ".join(ctx.item_errors))
        return ok

    def _fetch_api(self, ctx, cfg, session, day: date) -> list[RawResponse]:
        if not cfg.api_key:
            raise SourceError("FLIXPATROL_BACKEND=api needs FLIXPATROL_API_KEY", permanent=True)
        ok: list[RawResponse] = []
        for scope, _slug in cfg.countries:
            country_id = cfg.api_country_ids.get(scope)
            if not country_id:
                ctx.item_errors.append(f"{scope}: no API country id (set FLIXPATROL_API_COUNTRY_IDS)")
                continue
            url, answer = client.get_api_top10s(session, cfg, country_id, day)
            raw = RawResponse(
                method="GET",
                url=url,
                status=answer.status,
                body=answer.body,
                fetched_at=timezone.now(),
                meta={"backend": "api", "scope": scope, "date": day.isoformat()},
            )
            ctx.responses.append(raw)
            if answer.status in (401, 403):
                raise SourceError(f"FlixPatrol API refused the key (HTTP {answer.status})", permanent=True)
            if answer.status != 200:
                ctx.item_errors.append(f"{scope}: API HTTP {answer.status}")
                continue
            try:
                rows = api_rows(answer.body)
            except MalformedResponse as exc:
                ctx.item_errors.append(f"{scope}: {exc}")
                continue
            if not rows:
                ctx.item_errors.append(f"{scope}: API returned no Top 10 rows for {day}")
                continue
            ok.append(raw)
        if not ok:
            raise SourceError("FlixPatrol API gave no chart: " + "; ".join(ctx.item_errors))
        return ok

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)
