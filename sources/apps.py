from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self) -> None:
        # A show joining the watchlist gets its history loaded; a snapshot saved one at a time (the
        # admin, a fixture) refreshes its rollups.
        from sources import receivers  # noqa: F401
        from sources.series import rollups  # noqa: F401
