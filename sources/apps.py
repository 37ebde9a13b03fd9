from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - a show joining the watchlist gets its history loaded
