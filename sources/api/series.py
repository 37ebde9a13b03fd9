"""One show with its series: GET/PATCH /api/shows/<id> and GET /api/shows/<id>/metrics (the views of
shows/api.py that read snapshots, so they live with them)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from shows.api import BAD_REQUEST, NOT_FOUND
from shows.models import Show
from shows.selectors import show_aliases
from shows.serializers import IdentifiersSerializer, ShowSerializer
from sources.api.renderers import FirstRendererForPlainReads, OrjsonRenderer
from sources.api.serializers import (
    LatestValueSerializer,
    MetricsQuery,
    MetricsSerializer,
    ShowDetailSerializer,
)
from sources.selectors import show_latest_values
from sources.series.exports import FORMAT_PARAMETER, CSVRenderer, csv_lines, streamed
from sources.series.show_series import (
    aggregation_of,
    bucket_rows,
    default_resolution,
    parse_window,
    show_series,
)


def _detail(show: Show) -> dict:
    return {
        **ShowSerializer(show).data,
        "identifiers": IdentifiersSerializer(show).data,
        "aliases": show_aliases(show=show),
        "latest": LatestValueSerializer(show_latest_values(show_id=show.id), many=True).data,
    }


class ShowDetailView(APIView):
    """One show: its identifiers, aliases and the newest value of each of its series."""

    serializer_class = IdentifiersSerializer  # the form the browsable API offers for PATCH

    @extend_schema(responses={200: ShowDetailSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(_detail(get_object_or_404(Show, pk=pk)))

    @extend_schema(request=IdentifiersSerializer, responses={200: ShowDetailSerializer, 404: NOT_FOUND})
    def patch(self, request, pk: int):
        show = get_object_or_404(Show, pk=pk)
        identifiers = IdentifiersSerializer(show, data=request.data, partial=True)
        identifiers.is_valid(raise_exception=True)
        identifiers.save()
        return Response(_detail(show))


class ShowMetricsView(APIView):
    """Merged series of one show over a window, bucketed in the database (see sources/series/show_series.py
    for
    the mean-or-last rule of each metric). `?format=csv` streams the same rows as CSV."""

    # A chart's points are large arrays: orjson writes them (sources/api/renderers.py), and the usual
    # `Accept: */*` or JSON read skips the Accept header's parsing.
    renderer_classes = [OrjsonRenderer, BrowsableAPIRenderer, CSVRenderer]
    content_negotiation_class = FirstRendererForPlainReads

    @extend_schema(
        parameters=[MetricsQuery, FORMAT_PARAMETER],
        responses={
            (200, "application/json"): MetricsSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        query = MetricsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        show = get_object_or_404(Show, pk=pk)
        window = parse_window(params["window"])
        resolution = params.get("resolution") or default_resolution(window)
        end = timezone.now()
        start = end - window
        selection = {
            "show_id": show.id,
            "start": start,
            "end": end,
            "resolution": resolution,
            "source": params.get("source", ""),
            "metric": params.get("metric", ""),
        }
        if request.accepted_renderer.format == "csv":
            rows = (
                (src, met, scope, period, aggregation_of(src, met), bucket.isoformat(), value)
                for src, met, scope, period, bucket, value in bucket_rows(**selection)
            )
            header = ("source", "metric", "scope", "period", "aggregation", "bucket", "value")
            return streamed(
                request,
                csv_lines(_prepend(header, rows)),
                content_type="text/csv; charset=utf-8",
                filename=f"show-{show.id}-{params['window']}-{resolution}.csv",
            )
        return Response(
            {
                "show": ShowSerializer(show).data,
                "window": params["window"],
                "resolution": resolution,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "series": show_series(**selection),
            }
        )


def _prepend(first, rest):
    yield first
    yield from rest
