from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self) -> None:
        # A show joining the watchlist gets its history loaded; a snapshot saved one at a time (the
        # admin, a fixture) refreshes its rollups.
        pass
