from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        # Delivery records the visits and may not import routing: the order events its services announce
        # (core.events, after commit) tell routing to time the rest of the round again.
        from core.events import subscribe
        from routing.eta import order_event_heard

        subscribe(order_event_heard)
