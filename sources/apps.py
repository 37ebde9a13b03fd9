from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - a show joining the watchlist gets its history loaded
        from .redact import install_log_redaction

        install_log_redaction()  # in every process: web, worker, beat, management commands
