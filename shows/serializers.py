"""Shapes of the shows API, and of its query parameters (validated, and documented in the schema)."""

from rest_framework import serializers

from shows.models import Show


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


class StrictQuery(serializers.Serializer):
    """Query parameters where an empty value (`?watchlist=`) is refused like any value not accepted;
    DRF alone reads it as the parameter left out."""

    def to_internal_value(self, data):
        empty = [
            name
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        ]
        if empty:
            raise serializers.ValidationError({name: ["an empty value is not accepted"] for name in empty})
        return super().to_internal_value(data)


class ShowListQuery(StrictQuery):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Title or alias.")
    watchlist = choice(["1", "0", "true", "false"], "watchlist flag", required=False)
