"""Shapes of a show's series in the API, and of their query parameters."""

from rest_framework import serializers

from shows.serializers import IdentifiersSerializer, ShowSerializer, StrictQuery, choice
from sources import registry
from sources.series.show_series import METRICS, RESOLUTIONS, WINDOW_FORMS, BadParameter, parse_window


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


class MetricsQuery(StrictQuery):
    # The pattern is the accepted set exactly (1-365 days, 1-8760 hours, 1y), so the schema promises
    # no window that parse_window refuses.
    window = serializers.RegexField(
        r"^(1y|([1-9]|[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-5])d"
        r"|([1-9][0-9]{0,2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-5][0-9]|8760)h)$",
        required=False,
        default="7d",
        help_text=f"One of {WINDOW_FORMS}.",
        error_messages={"invalid": f"not accepted; use {WINDOW_FORMS}"},
    )
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
