from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from sources.registry import SOURCES

from .metrics import BadParameter, parse_window, show_series
from .models import Show


class ShowMetricsView(APIView):
    """Merged time series of one show over a window: one series per source, metric and scope."""

    def get(self, request, pk: int):
        show = get_object_or_404(Show, pk=pk)
        raw_window = request.query_params.get("window", "7d")
        source = request.query_params.get("source", "")
        try:
            window = parse_window(raw_window)
            if source and source not in SOURCES:
                raise BadParameter(f"source={source!r} is unknown; use one of {', '.join(SOURCES)}")
        except BadParameter as exc:
            return Response({"error": str(exc)}, status=400)
        end = timezone.now()
        start = end - window
        series = show_series(
            show_id=show.id,
            start=start,
            end=end,
            source=source,
            metric=request.query_params.get("metric", ""),
        )
        return Response(
            {
                "show": {"id": show.id, "title": show.title, "season": show.season},
                "window": raw_window,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "series": series,
            }
        )
