"""A household away for a while ("away 10–20 August"): nothing is delivered to it in between, and its plan
resumes by itself the day after."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.households import Household


class HouseholdAbsence(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="absences", verbose_name=_("household")
    )
    starts_on = models.DateField(_("away from"))
    ends_on = models.DateField(_("back after"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household absence")
        verbose_name_plural = _("household absences")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="household_absence_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.starts_on}–{self.ends_on}"
