import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.accounts import password_change_clear
from core.health import health
from core.middleware import PASSWORD_CHANGE_KEY

# The day the statement was last reviewed; RD 1112/2018 asks for it to be published and kept current.
ACCESSIBILITY_REVIEWED_ON = dt.date(2026, 12, 1)


def accessibility_statement(request):
    """The accessibility statement RD 1112/2018 asks for: open to anyone, signed in or not."""
    return render(
        request,
        "accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL, "reviewed_on": ACCESSIBILITY_REVIEWED_ON},
    )


@never_cache
def health_check(request):
    """Open to anyone (load balancers do not sign in); says only whether the services answer, 503 when one does not."""
    ok, body = health()
    return JsonResponse({"ok": ok, **body}, status=200 if ok else 503)


class PasswordChange(PasswordChangeView):
    """Every signed-in person changes their own password here (the old one first), staff or not."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "required": self.request.session.get(PASSWORD_CHANGE_KEY, False)}

    def form_valid(self, form):
        response = super().form_valid(form)  # saves it and keeps this session signed in
        password_change_clear(user=self.request.user)
        self.request.session[PASSWORD_CHANGE_KEY] = False
        messages.success(self.request, _("Your password is changed."))
        return response
