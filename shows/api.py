"""Shows, their merged series, and the watchlist (writes: staff only, see permissions.py)."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from kalshi_predictions.apiutil import FORMAT_PARAMETER, CSVRenderer, csv_lines, streamed

from .metrics import aggregation_of, bucket_rows, default_resolution, parse_window, show_series
from .models import Show
from .selectors import show_aliases, show_latest_values, show_search
from .serializers import (
    IdentifiersSerializer,
    LatestValueSerializer,
    MetricsQuery,
    MetricsSerializer,
    ShowDetailSerializer,
    ShowListQuery,
    ShowSerializer,
    WatchlistAddSerializer,
)
from .services import watchlist_add, watchlist_set

NOT_FOUND = OpenApiResponse(description="No such show.")
BAD_REQUEST = OpenApiResponse(description="A parameter is not accepted; the message names the accepted ones.")


class ShowPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ShowListView(generics.ListAPIView):
    """Shows, searched by title or alias (`q`), optionally only the watchlist."""

    serializer_class = ShowSerializer
    pagination_class = ShowPagination

    def get_queryset(self):
        query = ShowListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        flag = query.validated_data.get("watchlist")
        return show_search(
            query=query.validated_data.get("q", ""),
            watchlist=None if flag is None else flag in ("1", "true"),
        )

    @extend_schema(parameters=[ShowListQuery], responses={200: ShowSerializer(many=True), 400: BAD_REQUEST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


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
    """Merged series of one show over a window, bucketed in the database (see shows/metrics.py for the
    mean-or-last rule of each metric). `?format=csv` streams the same rows as CSV."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

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


class WatchlistView(APIView):
    """The watched shows; POST watches a show by id or by title (created when unknown)."""

    serializer_class = WatchlistAddSerializer

    @extend_schema(responses=ShowSerializer(many=True))
    def get(self, request):
        return Response(ShowSerializer(show_search(watchlist=True), many=True).data)

    @extend_schema(
        request=WatchlistAddSerializer,
        responses={200: ShowSerializer, 201: ShowSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request):
        form = WatchlistAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if data.get("show"):
            show = watchlist_set(show=get_object_or_404(Show, pk=data["show"]), watched=True)
            return Response(ShowSerializer(show).data)
        try:
            show, created = watchlist_add(
                title=data["title"],
                season=data["season"],
                kind=data["kind"],
                wikipedia=data["wikipediaArticle"],
                search_terms=data["searchTerms"],
            )
        except (ValueError, ModelValidationError) as exc:
            raise ValidationError(getattr(exc, "message_dict", None) or str(exc)) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ShowSerializer(show).data, status=code)


class WatchlistItemView(APIView):
    """One show's place on the watchlist: PUT watches it, DELETE unwatches it (its history stays)."""

    @extend_schema(responses={200: ShowSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(ShowSerializer(get_object_or_404(Show, pk=pk)).data)

    @extend_schema(request=None, responses={200: ShowSerializer, 404: NOT_FOUND})
    def put(self, request, pk: int):
        return Response(ShowSerializer(watchlist_set(show=get_object_or_404(Show, pk=pk), watched=True)).data)

    @extend_schema(responses={204: None, 404: NOT_FOUND})
    def delete(self, request, pk: int):
        watchlist_set(show=get_object_or_404(Show, pk=pk), watched=False)
        return Response(status=status.HTTP_204_NO_CONTENT)
