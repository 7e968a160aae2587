from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Delivery day")

    def ready(self) -> None:
        # SÍ and NO through a gateway act on the next delivery; intake, below delivery, cannot import it.
        from delivery.replies import ORDER_REPLIES
        from requests_intake.conversations import order_replies_register

        order_replies_register(ORDER_REPLIES)
