from django.contrib import admin

from .models import SeedRecord, Show


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ("title", "season", "kind", "on_watchlist", "wikipedia_article", "updated_at")
    list_filter = ("on_watchlist", "kind")
    list_editable = ("on_watchlist",)
    search_fields = ("title", "normalized_title", "wikipedia_article", "flixpatrol_slug")
    readonly_fields = ("normalized_title", "created_at", "updated_at")
    actions = ("watch", "unwatch")
    fieldsets = (
        (None, {"fields": ("title", "season", "kind", "on_watchlist", "netflix_id")}),
        (
            "Identifiers per source",
            {
                "fields": (
                    ("wikipedia_article", "wikipedia_project"),
                    "search_terms",
                    "hashtags",
                    "subreddits",
                    "youtube_trailer_ids",
                    "flixpatrol_slug",
                    "kalshi_tickers",
                )
            },
        ),
        ("Record", {"fields": ("normalized_title", "created_at", "updated_at")}),
    )

    @admin.action(description="Add to the watchlist")
    def watch(self, request, queryset):
        queryset.update(on_watchlist=True)

    @admin.action(description="Remove from the watchlist (history kept)")
    def unwatch(self, request, queryset):
        queryset.update(on_watchlist=False)


admin.site.register(SeedRecord)
