from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core import credentials
from sources.models import FetchRun, Market, RawEvent, Snapshot, SnapshotRevision, Source
from sources.pipeline.hold import source_release
from sources.pipeline.schedules import describe


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "name",
        "enabled",
        "health",
        "last_success_at",
        "schedule",
        "credentials_status",
        "short_error",
    )
    list_filter = ("enabled", "health")
    search_fields = ("key", "name", "last_error")
    list_select_related = ("periodic_task__interval", "periodic_task__crontab")
    readonly_fields = (
        "key",
        "last_run_at",
        "last_success_at",
        "last_error",
        "health",
        "consecutive_failures",
        "credentials_status",
        "latest_payload",
        "held_at",
        "held_reason",
    )
    fields = ("key", "name", "enabled", "periodic_task", *readonly_fields[1:])
    actions = ["release"]

    @admin.action(description="Release held sources (they run again at their next schedule)")
    def release(self, request, queryset):
        released = [s.key for s in queryset if source_release(source=s)]
        self.message_user(request, f"released: {', '.join(released)}" if released else "none was held")

    @admin.display(description="schedule")
    def schedule(self, obj):
        if obj.periodic_task is None:
            return "—"
        url = reverse("admin:django_celery_beat_periodictask_change", args=[obj.periodic_task_id])
        return format_html('<a href="{}">{}</a>', url, describe(obj.periodic_task))

    @admin.display(description="credentials")
    def credentials_status(self, obj):
        needed = credentials.required(obj.key)
        if not needed:
            return "none needed"
        missing = credentials.missing(obj.key)
        # Names only: values never reach a page.
        return f"missing: {', '.join(missing)}" if missing else f"set: {', '.join(needed)}"

    @admin.display(description="last error")
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error


@admin.register(FetchRun)
class FetchRunAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "started_at",
        "status",
        "duration",
        "requests",
        "items",
        "created",
        "updated",
        "error",
    )
    list_filter = ("status", "source")
    search_fields = ("error",)
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in FetchRun._meta.fields]

    @admin.display(description="seconds")
    def duration(self, obj):
        seconds = obj.duration_seconds
        return "—" if seconds is None else f"{seconds:.1f}"


class RevisionInline(admin.TabularInline):
    model = SnapshotRevision
    extra = 0
    readonly_fields = ("value", "fetched_at", "superseded_at")
    can_delete = False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "show",
        "metric",
        "scope",
        "period",
        "observed_at",
        "value",
        "fetched_at",
    )
    list_filter = ("source", "metric", "period")
    search_fields = ("show__title", "scope", "metric")
    list_select_related = ("source", "show")
    date_hierarchy = "observed_at"
    raw_id_fields = ("show",)
    inlines = [RevisionInline]


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin):
    list_display = ("source", "fetched_at", "method", "status", "url")
    list_filter = ("source", "status")
    search_fields = ("url",)
    date_hierarchy = "fetched_at"
    readonly_fields = ("source", "run", "method", "url", "status", "body", "fetched_at")
    list_select_related = ("source",)


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ("ticker", "outcome", "series", "status", "result", "close_time", "show")
    list_filter = ("series", "status", "result")
    search_fields = ("ticker", "event_ticker", "title", "outcome")
    list_select_related = ("show",)
    raw_id_fields = ("show",)
    date_hierarchy = "close_time"
