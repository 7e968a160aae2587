"""The public web form. No sign-in: anyone may ask for help, a limited number of times an hour."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.security import client_address
from requests_intake.forms_channels import WebRequestForm
from requests_intake.webform import webform_rate_exceeded, webform_rate_take, webform_submit

THANKS_KEY = "webform_reference"


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "requests_intake/webform/too_many.html", status=429)


def _add_errors(form: WebRequestForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def webform_request(request: HttpRequest) -> HttpResponse:
    form = WebRequestForm(initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        client = client_address(request)
        if webform_rate_exceeded(client=client):
            return _too_many(request)
        form = WebRequestForm(request.POST)
        if form.filled_by_robot:
            # Counted like a real one, answered like a real one, saved never.
            webform_rate_take(client=client)
            request.session.pop(THANKS_KEY, None)
            return redirect("webform_thanks")
        if form.is_valid():
            if not webform_rate_take(client=client):
                return _too_many(request)
            try:
                aid_request = webform_submit(**form.submission())
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                request.session[THANKS_KEY] = aid_request.reference
                return redirect("webform_thanks")
    return render(request, "requests_intake/webform/request.html", {"form": form})


def webform_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "requests_intake/webform/thanks.html", {"reference": request.session.get(THANKS_KEY, "")})
