from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsIntakeConfig(AppConfig):
    name = "requests_intake"
    verbose_name = _("Intake and social work")
