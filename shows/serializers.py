"""Shapes of the shows API, and of its query parameters (validated, and documented in the schema)."""

from rest_framework import serializers

from sources import registry

from .metrics import METRICS, RESOLUTIONS, WINDOW_FORMS, BadParameter, parse_window
from .models import Show


def choice(choices, what: str, **kwargs) -> serializers.ChoiceField:
    """A choice whose error names every accepted value, as the API promises."""
    accepted = ", ".join(c[0] if isinstance(c, tuple) else c for c in choices)
    return serializers.ChoiceField(
        choices=list(choices),
        error_messages={"invalid_choice": f'"{{input}}" is not a known {what}; use one of: {accepted}'},
        **kwargs,
    )


def names(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(max_length=300, trim_whitespace=True), **kwargs)


class ShowSerializer(serializers.ModelSerializer):
    onWatchlist = serializers.BooleanField(source="on_watchlist", read_only=True)
    netflixId = serializers.CharField(source="netflix_id", read_only=True)

    class Meta:
        model = Show
        fields = ["id", "title", "season", "kind", "onWatchlist", "netflixId"]


class IdentifiersSerializer(serializers.ModelSerializer):
    """What each source looks a show up by; staff edit these with PATCH /api/shows/<id>."""

    netflixId = serializers.CharField(source="netflix_id", max_length=40, required=False, allow_blank=True)
    wikipediaArticle = serializers.CharField(
        source="wikipedia_article", max_length=300, required=False, allow_blank=True
    )
    wikipediaProject = serializers.CharField(source="wikipedia_project", max_length=60, required=False)
    youtubeTrailerIds = names(source="youtube_trailer_ids", required=False)
    subreddits = names(required=False)
    hashtags = names(required=False)
    searchTerms = names(source="search_terms", required=False)
    flixpatrolSlug = serializers.CharField(
        source="flixpatrol_slug", max_length=200, required=False, allow_blank=True
    )
    kalshiTickers = names(source="kalshi_tickers", required=False)

    class Meta:
        model = Show
        fields = [
            "netflixId",
            "wikipediaArticle",
            "wikipediaProject",
            "youtubeTrailerIds",
            "subreddits",
            "hashtags",
            "searchTerms",
            "flixpatrolSlug",
            "kalshiTickers",
        ]


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


class WatchlistAddSerializer(serializers.Serializer):
    """Watch a known show by id, or a show by title (created when unknown)."""

    show = serializers.IntegerField(required=False, min_value=1)
    title = serializers.CharField(required=False, max_length=300)
    season = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    kind = choice(Show.Kind.choices, "kind", required=False, default=Show.Kind.TV)
    wikipediaArticle = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    searchTerms = names(required=False, default=list)

    def validate(self, attrs):
        if bool(attrs.get("show")) == bool(attrs.get("title")):
            raise serializers.ValidationError("give either show (an id) or title, not both")
        return attrs


# --- query parameters -------------------------------------------------------------------------------


class ShowListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Title or alias.")
    watchlist = choice(["1", "0", "true", "false"], "watchlist flag", required=False)


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
