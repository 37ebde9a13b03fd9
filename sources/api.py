from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import source_list


class SourceListView(APIView):
    """Every source with its health, schedule, last update and latest values."""

    def get(self, request):
        return Response(source_list())
