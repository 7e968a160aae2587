"""Territorial zones and teams: each household falls in one, each social worker works one queue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.Model):
    class Kind(models.TextChoices):
        ZONE = "zone", _("Territorial zone")
        TEAM = "team", _("Specialised team")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ZONE)
    postcodes = models.TextField(_("postcodes"), blank=True, help_text=_("Comma-separated postcodes in this zone."))
    polygon = models.JSONField(
        _("boundary"),
        default=list,
        blank=True,
        help_text=_("Optional: [[latitude, longitude], …] around the zone; a point inside wins over the postcode."),
    )
    # Where the zone's orders are reserved and leave from; empty: the default warehouse (logistics.orders).
    depot = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zones",
        verbose_name=_("serving depot"),
    )
    social_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="zones", verbose_name=_("social workers")
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def postcode_list(self) -> list[str]:
        return [code.strip() for code in self.postcodes.split(",") if code.strip()]
