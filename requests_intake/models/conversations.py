"""Who asked to receive no more messages: an address that answered BAJA or STOP through a gateway."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.requests import Channel, RequestMessage


class MessageOptOut(models.Model):
    """One phone (E.164) or e-mail address that nothing is sent to, by any channel, until it answers ALTA/START.

    Kept by address, not by household: the person who asked owns the number, whichever record it is on."""

    contact = models.CharField(_("phone or e-mail"), max_length=200, unique=True)
    channel = models.CharField(_("asked by"), max_length=20, choices=Channel.choices)
    opted_out_at = models.DateTimeField(_("opted out at"))
    message = models.ForeignKey(
        RequestMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message that asked"),
    )

    class Meta:
        verbose_name = _("message opt-out")
        verbose_name_plural = _("message opt-outs")

    def __str__(self) -> str:
        return self.contact
