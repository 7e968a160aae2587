"""The requester's status page. No sign-in: the token in the link is the key, and it expires. Every visit counts
against the web form's hourly limit per client address once it misses or acts, so tokens cannot be tried in bulk."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.dates import day_text
from core.security import client_address
from delivery.status_page import status_ask_another_day, status_confirm, status_view
from requests_intake.complaints import complaint_receive
from requests_intake.forms_complaints import StatusPageComplaintForm
from requests_intake.models import Complaint
from requests_intake.status_links import status_link_valid
from requests_intake.webform import webform_rate_exceeded, webform_rate_take

TOO_MANY = "requests_intake/webform/too_many.html"


def _language(request: HttpRequest, link) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    language = link.request.language or link.request.household.language
    # The page speaks only the interface's languages; a requester writing in Arabic, say, gets the site's.
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _act(request: HttpRequest, link) -> None:
    action = request.POST.get("action")
    try:
        if action == "confirm":
            status_confirm(link=link)
            messages.success(request, _("Thank you: we have noted that you will be there."))
        elif action == "another_day":
            day = status_ask_another_day(link=link)
            if day is None:
                messages.success(request, _("We have passed on your message; someone will call you with a new day."))
            else:
                messages.success(request, _("Your delivery moved to %(date)s.") % {"date": day_text(day)})
        elif action == "complaint":
            form = StatusPageComplaintForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose what it is and write your message; nothing was sent."))
                return
            complaint_receive(
                source=Complaint.Source.STATUS_PAGE,
                household=link.request.household,
                request=link.request,
                **form.cleaned_data,
            )
            messages.success(request, _("Thank you: a manager will read your message."))
        else:
            messages.error(request, _("Choose one of the buttons."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@never_cache
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    client = client_address(request)
    if webform_rate_exceeded(client=client):
        return render(request, TOO_MANY, status=429)
    link = status_link_valid(token)
    if link is None:
        webform_rate_take(client=client)
        raise Http404
    # override(), not activate(): the language must not stay on this thread for the next request.
    with translation.override(_language(request, link)):
        request.LANGUAGE_CODE = translation.get_language()
        if request.method == "POST":
            if not webform_rate_take(client=client):
                return render(request, TOO_MANY, status=429)
            _act(request, link)
            return redirect("status_page", token=token)
        response = render(
            request,
            "delivery/status_page.html",
            {"view": status_view(link), "complaint_form": StatusPageComplaintForm()},
        )
        response["Content-Language"] = request.LANGUAGE_CODE
    return response
