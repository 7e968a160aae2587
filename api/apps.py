from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The domain services emit events through core.events (they may not import this app); the outbound
        # webhooks hear them here.
        import api.schema  # noqa: F401 - registers the token's OpenAPI security scheme
        from api.webhooks import webhooks_emit
        from core.events import subscribe

        subscribe(webhooks_emit)
