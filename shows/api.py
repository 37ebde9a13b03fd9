"""Shows and the watchlist (writes: staff only, see core/access.py); a show with its series is
sources/api/series.py."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from shows.models import Show
from shows.selectors import show_search
from shows.serializers import ShowListQuery, ShowSerializer, WatchlistAddSerializer
from shows.services import watchlist_add, watchlist_set

NOT_FOUND = OpenApiResponse(description="No such show.")
BAD_REQUEST = OpenApiResponse(description="A parameter is not accepted; the message names the accepted ones.")


class ShowPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        # DRF quietly clamps or ignores a bad page_size; refusing it keeps the answer what was asked.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": f"{raw!r} is not accepted; use 1 to {self.max_page_size}"})
        return size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_query_param:
                param["schema"]["minimum"] = 1
            elif param["name"] == self.page_size_query_param:
                param["schema"].update(minimum=1, maximum=self.max_page_size)
        return params


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
