"""The requester's status page link: an unguessable, expiring key to one request's status and next delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_intake.models.requests import AidRequest


class StatusLink(models.Model):
    """A random token (secrets.token_urlsafe(32), 43 characters) is the only key: no sign-in, no guessable id."""

    request = models.ForeignKey(
        AidRequest, on_delete=models.CASCADE, related_name="status_links", verbose_name=_("request")
    )
    token = models.CharField(_("token"), max_length=43, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    # What the person did on the page; each is done once per link.
    confirmed_at = models.DateTimeField(_("delivery confirmed at"), null=True, blank=True)
    confirmed_for = models.DateField(_("delivery day confirmed"), null=True, blank=True)
    another_day_at = models.DateTimeField(_("another day asked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status page link")
        verbose_name_plural = _("status page links")
        ordering = ["-created_at"]
