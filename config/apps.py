from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's own cross-cutting pieces (security checks, middleware); it owns no models."""

    name = "config"
    verbose_name = "Reparto"

    def ready(self) -> None:
        from config import checks  # noqa: F401  (registers the deploy checks)
