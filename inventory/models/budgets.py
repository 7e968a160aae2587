"""Money set aside for a year per programme, and the alert raised when it is nearly used up."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventory.models.catalogue import AMOUNT_DIGITS, Programme


class Budget(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.CharField(_("programme"), max_length=12, choices=Programme.choices)
    amount = models.DecimalField(
        _("amount"), **AMOUNT_DIGITS, help_text=_("VAT excluded, like the pack values it is compared with.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["year", "programme"], name="budget_one_per_year_programme"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.year}"


class BudgetAlert(models.Model):
    """Spent plus committed passed the alert threshold of a budget; one live alert per budget."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("budget"))
    spent = models.DecimalField(_("spent"), **AMOUNT_DIGITS)
    committed = models.DecimalField(_("committed"), **AMOUNT_DIGITS)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        verbose_name = _("budget alert")
        verbose_name_plural = _("budget alerts")
        ordering = ["-last_seen", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget"], condition=~models.Q(status="resolved"), name="budgetalert_one_live_per_budget"
            ),
        ]
