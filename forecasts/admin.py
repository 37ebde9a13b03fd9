from django.contrib import admin

from forecasts.models import Alert, MarketComparison, Prediction


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ("list_name", "week", "mode", "title", "p_rank1", "p_rank2", "predicted_views", "made_at")
    list_filter = ("list_name", "mode", "model_version")
    date_hierarchy = "week"
    raw_id_fields = ("show",)


@admin.register(MarketComparison)
class MarketComparisonAdmin(admin.ModelAdmin):
    list_display = (
        "market",
        "list_name",
        "rank",
        "week",
        "ours",
        "market_price",
        "outcome",
        "ours_brier",
        "market_brier",
    )
    list_filter = ("series", "list_name")
    raw_id_fields = ("market",)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "subject", "message", "webhook_status")
    list_filter = ("kind",)
    raw_id_fields = ("market",)
