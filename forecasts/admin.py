from django.contrib import admin

from .models import Prediction


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ("list_name", "week", "mode", "title", "p_rank1", "p_rank2", "predicted_views", "made_at")
    list_filter = ("list_name", "mode", "model_version")
    date_hierarchy = "week"
    raw_id_fields = ("show",)
