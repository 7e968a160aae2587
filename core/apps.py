from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: roles, PDFs, spreadsheets, backups, security, the home page; it owns no models."""

    name = "core"
    verbose_name = "Reparto"

    def ready(self) -> None:
        from core import checks  # noqa: F401  (registers the deploy checks)
