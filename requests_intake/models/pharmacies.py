"""The pharmacies medication is collected from: a place on the map with its opening hours, so a medication order
becomes a pickup there (within its hours) and a delivery at home on the same van."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from requests_intake.models.households import Weekday


class Pharmacy(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Blank until someone places it: a medication order from a pharmacy without coordinates cannot be planned,
    # and the board says so.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pharmacy")
        verbose_name_plural = _("pharmacies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PharmacyHours(models.Model):
    """One opening span on one weekday; Spanish pharmacies often open twice a day (morning and afternoon), so a
    weekday may have two rows. A weekday without rows is a day the pharmacy is closed."""

    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.CASCADE, related_name="hours", verbose_name=_("pharmacy"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["pharmacy", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="pharmacyhours_opens_first"),
            models.UniqueConstraint(fields=["pharmacy", "weekday", "opens"], name="pharmacyhours_unique_span"),
        ]

    def __str__(self) -> str:
        return f"{self.pharmacy} · {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        # The check constraint says the same to the database; this says it to a person, naming the day and times.
        # A span past midnight is two spans (until 23:59 and from 00:00 the next day).
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError(
                _("%(day)s: %(opens)s–%(closes)s closes before it opens; write the opening time first."),
                code="hours_closes_before_opens",
                params={
                    "day": self.get_weekday_display(),
                    "opens": f"{self.opens:%H:%M}",
                    "closes": f"{self.closes:%H:%M}",
                },
            )
