from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "forecasts"

    def ready(self) -> None:
        from forecasts import receivers  # noqa: F401 - forecasts refresh after a source's committed run
