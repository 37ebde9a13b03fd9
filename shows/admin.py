from django.contrib import admin, messages

from shows.models import Alias, SeedRecord, Show, UnmatchedName
from shows.services import watchlist_set
from shows.unmatched import unmatched_name_create_show, unmatched_name_link


class AliasInline(admin.TabularInline):
    model = Alias
    fields = ("name", "source_key", "normalized", "created_at")
    readonly_fields = ("normalized", "created_at")
    extra = 0


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ("title", "season", "kind", "on_watchlist", "wikipedia_article", "updated_at")
    list_filter = ("on_watchlist", "kind")
    list_editable = ("on_watchlist",)
    search_fields = ("title", "normalized_title", "wikipedia_article", "flixpatrol_slug")
    readonly_fields = ("normalized_title", "normalized_name", "created_at", "updated_at")
    actions = ("watch", "unwatch")
    inlines = (AliasInline,)
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
        ("Record", {"fields": ("normalized_title", "normalized_name", "created_at", "updated_at")}),
    )

    @admin.action(description="Add to the watchlist")
    def watch(self, request, queryset):
        for show in queryset.filter(on_watchlist=False):
            watchlist_set(show=show, watched=True)

    @admin.action(description="Remove from the watchlist (history kept)")
    def unwatch(self, request, queryset):
        queryset.update(on_watchlist=False)


admin.site.register(SeedRecord)


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ("name", "source_key", "show", "created_at")
    list_filter = ("source_key",)
    search_fields = ("name", "normalized", "show__title")
    autocomplete_fields = ("show",)
    readonly_fields = ("normalized", "created_at")
    fields = ("name", "source_key", "show", "normalized", "created_at")


class LinkedFilter(admin.SimpleListFilter):
    title = "linked to a show"
    parameter_name = "linked"

    def lookups(self, request, model_admin):
        return (("no", "Not yet"), ("yes", "Linked"))

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(show__isnull=self.value() == "no")
        return queryset


@admin.register(UnmatchedName)
class UnmatchedNameAdmin(admin.ModelAdmin):
    """The review list: pick the show a name means in the Show column and press Save (the choice is
    remembered as an alias), or create a show from the selected names with the action."""

    list_display = ("name", "source_key", "kind", "times_seen", "first_seen", "last_seen", "show")
    list_editable = ("show",)
    list_filter = (LinkedFilter, "source_key", "kind")
    search_fields = ("name", "normalized")
    autocomplete_fields = ("show",)
    readonly_fields = ("source_key", "name", "normalized", "kind", "first_seen", "last_seen", "times_seen")
    actions = ("create_shows",)

    def has_add_permission(self, request):
        return False  # names come from sources; an alias is added on the Alias page

    def save_model(self, request, obj, form, change):
        if change and "show" in form.changed_data:
            unmatched_name_link(unmatched=obj, show=obj.show)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Create a show for each selected name and link it")
    def create_shows(self, request, queryset):
        shows = [unmatched_name_create_show(unmatched=u) for u in queryset.filter(show__isnull=True)]
        self.message_user(request, f"Linked {len(shows)} names to shows.", messages.SUCCESS)
