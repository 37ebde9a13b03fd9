from django.core.exceptions import ValidationError
from django.db import models

# normalize_title lives with the other naming rules; imported here for the modules that use it from models.
from shows.names import canonical_name, name_key, normalize_title

__all__ = ["Alias", "SeedRecord", "Show", "UnmatchedName", "normalize_title"]


def validate_string_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError('Expected a JSON list of non-empty strings, e.g. ["one", "two"].')


def string_list_field(help_text: str) -> models.JSONField:
    return models.JSONField(default=list, blank=True, validators=[validate_string_list], help_text=help_text)


class Show(models.Model):
    class Kind(models.TextChoices):
        TV = "tv", "TV"
        FILM = "film", "Film"

    title = models.CharField(max_length=300)
    season = models.CharField(
        max_length=200, blank=True, help_text='Season or edition label, e.g. "Season 2".'
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TV)
    normalized_title = models.CharField(max_length=300, db_index=True, editable=False)
    # The normalized full season title ("wednesday season 2"): where every source's spelling meets.
    normalized_name = models.CharField(max_length=500, db_index=True, editable=False, default="")
    netflix_id = models.CharField(max_length=40, blank=True)
    on_watchlist = models.BooleanField(default=False, db_index=True)
    # Set when a source that always says the season (Tudum's "N/A" rows) names this seasonless show:
    # it is then that title without a season for good and never takes a season (shows/identity.py),
    # so the weeks stored on it stay where they belong whatever seasons are named later.
    keeps_no_season = models.BooleanField(default=False, editable=False)

    wikipedia_article = models.CharField(
        max_length=300,
        blank=True,
        help_text='Article title with underscores, e.g. "Wednesday_(TV_series)".',
    )
    wikipedia_project = models.CharField(max_length=60, default="en.wikipedia")
    youtube_trailer_ids = string_list_field("YouTube video ids of the show's trailers.")
    subreddits = string_list_field('Subreddit names without "r/".')
    hashtags = string_list_field('Hashtags without "#".')
    search_terms = string_list_field("Free-text terms for X, Reddit and Google Trends.")
    flixpatrol_slug = models.CharField(max_length=200, blank=True)
    kalshi_tickers = string_list_field("Kalshi market tickers that name this show.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "season"]
        constraints = [
            models.UniqueConstraint(fields=["normalized_title", "season"], name="show_unique_title_season")
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.season}" if self.season else self.title

    def save(self, *args, **kwargs):
        self.normalized_title = normalize_title(self.title)
        self.normalized_name = name_key(self.title, self.season)
        if self.wikipedia_article:
            self.wikipedia_article = self.wikipedia_article.strip().replace(" ", "_")
        super().save(*args, **kwargs)


class SeedRecord(models.Model):
    """Marks one-time loads (the starter watchlist) so removing a seeded show is not undone."""

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


ANY_SOURCE = ""


class Alias(models.Model):
    """Another name of a show, for one source or for all: "Wednesday: Season 2" on Kalshi is show #7.
    Written when someone links an unmatched name in the admin; read by every later resolve."""

    source_key = models.CharField(
        max_length=40, blank=True, default=ANY_SOURCE, help_text="Source key, or empty for every source."
    )
    name = models.CharField(max_length=500, help_text="The name as the source writes it.")
    normalized = models.CharField(max_length=500, editable=False)
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["normalized", "source_key"]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "normalized"], name="alias_unique_source_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.source_key or 'any source'}) -> {self.show}"

    def save(self, *args, **kwargs):
        # An alias names a whole season title ("Wednesday: Season 2"), so it is keyed like one.
        self.normalized = canonical_name(self.name).key
        super().save(*args, **kwargs)


class UnmatchedName(models.Model):
    """A name a source gave (without leave to create a show) that matched no show: a review list.
    Linking it to a show in the admin writes an Alias, so every later run resolves it."""

    source_key = models.CharField(max_length=40)
    name = models.CharField(max_length=500, help_text="As the source wrote it.")
    normalized = models.CharField(max_length=500)
    kind = models.CharField(max_length=8, choices=Show.Kind.choices, default=Show.Kind.TV)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    times_seen = models.PositiveIntegerField(default=1, help_text="Runs that named it.")
    show = models.ForeignKey(
        Show,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The show this name means; choosing one remembers it as an alias.",
    )

    class Meta:
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "normalized"], name="unmatched_unique_source_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.source_key})"
