import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models


def normalize_title(title: str) -> str:
    """The key by which every source's spelling of a title meets: case, accents and punctuation go."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    text = " ".join(text.split())
    if not text:
        # Titles in Hangul, Arabic, ... have no ASCII letters; without this they would all meet at "".
        text = " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", title).casefold()))
    return text


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
    netflix_id = models.CharField(max_length=40, blank=True)
    on_watchlist = models.BooleanField(default=False, db_index=True)

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
        if self.wikipedia_article:
            self.wikipedia_article = self.wikipedia_article.strip().replace(" ", "_")
        super().save(*args, **kwargs)


class SeedRecord(models.Model):
    """Marks one-time loads (the starter watchlist) so removing a seeded show is not undone."""

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
