"""Shapes of a show's series in the API, and of their query parameters."""

from rest_framework import serializers

from shows.serializers import IdentifiersSerializer, ShowSerializer, choice

from . import registry
from .series import METRICS, RESOLUTIONS, WINDOW_FORMS, BadParameter, parse_window


class LatestValueSerializer(serializers.Serializer):
    source = serializers.CharField()
    metric = serializers.CharField()
    scope = serializers.CharField()
    period = serializers.CharField()
    observedAt = serializers.DateTimeField()
    value = serializers.FloatField()
    fetchedAt = serializers.DateTimeField()


class ShowDetailSerializer(ShowSerializer):
    """The response of GET /api/shows/<id> (built by the view from the parts below)."""

    identifiers = IdentifiersSerializer(source="*", read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    latest = LatestValueSerializer(many=True, read_only=True)

    class Meta(ShowSerializer.Meta):
        fields = [*ShowSerializer.Meta.fields, "identifiers", "aliases", "latest"]


class MetricsQuery(serializers.Serializer):
    window = serializers.CharField(required=False, default="7d", help_text=f"One of {WINDOW_FORMS}.")
    source = choice(registry.keys(), "source", required=False)
    metric = choice(METRICS, "metric", required=False)
    resolution = choice(
        RESOLUTIONS,
        "resolution",
        required=False,
        help_text="Default: hour up to 7d, day up to 90d, else week.",
    )

    def validate_window(self, value: str) -> str:
        try:
            parse_window(value)
        except BadParameter as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value


class SeriesSerializer(serializers.Serializer):
    source = serializers.CharField()
    metric = serializers.CharField()
    scope = serializers.CharField()
    period = serializers.CharField()
    aggregation = serializers.ChoiceField(choices=["mean", "last"])
    points = serializers.ListField(
        child=serializers.ListField(min_length=2, max_length=2), help_text="[[iso_ts, value], ...]"
    )


# "from" is a Python keyword, hence type() rather than a class statement.
MetricsSerializer = type(
    "MetricsSerializer",
    (serializers.Serializer,),
    {
        "show": ShowSerializer(),
        "window": serializers.CharField(),
        "resolution": serializers.CharField(),
        "from": serializers.DateTimeField(),
        "to": serializers.DateTimeField(),
        "series": SeriesSerializer(many=True),
    },
)
