"""Sources with their health and latest values, and the streamed export of stored snapshots."""

import json
from itertools import islice

from django.db import connection
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shows.models import Show
from shows.serializers import StrictQuery, choice
from sources import registry
from sources.models import Source
from sources.selectors import snapshot_csv_copy, snapshot_rows, source_list
from sources.series.exports import FORMAT_PARAMETER, CSVRenderer, csv_lines, streamed
from sources.series.show_series import METRICS

PREVIEW_ROWS = 100
CSV_HEADER = (
    "source",
    "show",
    "title",
    "season",
    "metric",
    "scope",
    "period",
    "observed_at",
    "value",
    "fetched_at",
)


class SourceSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    enabled = serializers.BooleanField()
    health = serializers.ChoiceField(choices=Source.Health.values)
    lastUpdated = serializers.DateTimeField(allow_null=True)
    lastRun = serializers.DateTimeField(allow_null=True)
    lastError = serializers.CharField(allow_blank=True)
    heldReason = serializers.CharField(
        allow_blank=True,
        help_text="Why the source is held (health 'held'): the permanent error that stopped it. "
        "It runs again once its settings change or an admin releases it.",
    )
    heldAt = serializers.DateTimeField(allow_null=True)
    backend = serializers.CharField(
        allow_blank=True,
        help_text="How its last good run fetched, for sources with several ways (FlixPatrol: browser, "
        "flaresolverr, api or http); blank for the others.",
    )
    cadence = serializers.CharField(help_text='e.g. "every 60 minutes" or "At 08:00 AM (America/New_York)"')
    quotaLeft = serializers.IntegerField(allow_null=True, help_text="Upstream quota left, where known.")
    missingCredentials = serializers.ListField(
        child=serializers.CharField(), help_text="Names of unset credential variables (never values)."
    )
    latest = serializers.JSONField(allow_null=True, help_text="The payload of the last snapshot event.")
    latestFrom = serializers.ChoiceField(choices=["redis", "database"])


class SourceListView(APIView):
    """Every source with its health, schedule, last update and latest values."""

    @extend_schema(responses=SourceSerializer(many=True))
    def get(self, request):
        return Response(source_list())


# "from" is a Python keyword, hence type() rather than a class statement.
SnapshotQuery = type(
    "SnapshotQuery",
    (StrictQuery,),
    {
        "show": serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1),
        "source": choice(registry.keys(), "source", required=False),
        "metric": choice(METRICS, "metric", required=False),
        "from": serializers.DateTimeField(required=False, help_text="observed_at on or after (ISO 8601)"),
        "to": serializers.DateTimeField(required=False, help_text="observed_at on or before (ISO 8601)"),
    },
)


class SnapshotRowSerializer(serializers.Serializer):
    """One row of the JSON export (documentation only: rows are written as they are read)."""

    source = serializers.CharField()
    show = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    season = serializers.CharField(allow_null=True)
    metric = serializers.CharField()
    scope = serializers.CharField()
    period = serializers.CharField()
    observed_at = serializers.DateTimeField()
    value = serializers.FloatField()
    fetched_at = serializers.DateTimeField()


def _json_lines(rows):
    yield "["
    for n, row in enumerate(rows):
        record = dict(zip(CSV_HEADER, row, strict=True))
        record["observed_at"] = record["observed_at"].isoformat()
        record["fetched_at"] = record["fetched_at"].isoformat()
        yield ("," if n else "") + json.dumps(record, separators=(",", ":"))
    yield "]"


def _csv_rows(rows):
    yield CSV_HEADER
    for row in rows:
        yield (*row[:7], row[7].isoformat(), row[8], row[9].isoformat())


def _csv_copied(filters: dict):
    yield "".join(csv_lines([CSV_HEADER])).encode()
    yield from snapshot_csv_copy(**filters)


class SnapshotExportView(APIView):
    """Stored snapshots, oldest first, filtered by show, source, metric and observed time.

    JSON and CSV (`?format=csv`) are streamed while the rows are read, so an export of a year stays
    small in memory; the browsable API shows the first rows only.
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    @extend_schema(
        parameters=[SnapshotQuery, FORMAT_PARAMETER],
        responses={
            (200, "application/json"): SnapshotRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(description="A filter is not accepted."),
            404: OpenApiResponse(description="No such show."),
        },
    )
    def get(self, request):
        query = SnapshotQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if "show" in params:
            get_object_or_404(Show, pk=params["show"])
        filters = {
            "show_id": params.get("show"),
            "source": params.get("source", ""),
            "metric": params.get("metric", ""),
            "start": params.get("from"),
            "end": params.get("to"),
        }
        rows = snapshot_rows(**filters)
        fmt = request.accepted_renderer.format
        if fmt == "csv":
            # On Postgres the database writes the CSV itself (COPY), about as fast as it reads the rows.
            copied = connection.vendor == "postgresql"
            return streamed(
                request,
                _csv_copied(filters) if copied else csv_lines(_csv_rows(rows)),
                content_type="text/csv; charset=utf-8",
                filename="snapshots.csv",
                chunked=copied,
            )
        if fmt == "json":
            return streamed(request, _json_lines(rows), content_type="application/json")
        # The browsable API renders in memory, so it shows a preview; the link with ?format= has it all.
        lines = islice(_json_lines(rows), 1, PREVIEW_ROWS + 1)
        return Response([json.loads(line.lstrip(",")) for line in lines if line != "]"])
