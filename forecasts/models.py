from django.db import models


class Prediction(models.Model):
    """One outcome of one week's forecast of a Top 10 list, as made at `made_at` from what was known then."""

    class Mode(models.TextChoices):
        NOWCAST = "nowcast"  # the week is over, its list not yet published
        FORECAST = "forecast"  # the week is still running

    list_name = models.CharField(max_length=40, help_text='Netflix list, e.g. "TV (English)".')
    week = models.DateField(help_text="The Sunday that ends the predicted Monday–Sunday week.")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    show = models.ForeignKey(
        "shows.Show", null=True, blank=True, on_delete=models.SET_NULL, related_name="predictions"
    )
    # Kept even when show is null: the outcome "a show not yet seen" has no show.
    title = models.CharField(max_length=500)
    is_new_show = models.BooleanField(default=False)
    p_rank1 = models.FloatField()
    p_rank2 = models.FloatField()
    predicted_views = models.FloatField(help_text="Median of the simulated weekly value (see measure).")
    views_low = models.FloatField(help_text="5th percentile.")
    views_high = models.FloatField(help_text="95th percentile.")
    measure = models.CharField(max_length=30, default="weekly_views")
    model_version = models.CharField(max_length=40)
    inputs = models.JSONField(default=dict, blank=True, help_text="Features and data the prediction used.")
    made_at = models.DateTimeField(help_text="Point in time: only data fetched by then was read.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["list_name", "-week", "-made_at", "-p_rank1"]
        indexes = [models.Index(fields=["list_name", "week", "made_at"], name="prediction_list_week")]

    def __str__(self) -> str:
        return f"{self.list_name} {self.week} {self.title}: P(#1)={self.p_rank1:.2f}"
