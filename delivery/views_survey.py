"""The public survey page. No sign-in: the token in the link is the key. Answers are counted against the web
form's hourly limit per client address, so one connection cannot flood the public pages."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.security import client_address
from delivery.models import SatisfactionSurvey
from delivery.surveys import (
    COMMENT_MAX_LENGTH,
    SCORE_LABELS,
    SCORES,
    survey_answer,
    survey_asks_on_time,
    survey_delivery_date,
    survey_for_token,
    survey_language,
)
from requests_intake.webform import webform_rate_exceeded, webform_rate_take


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=[(score, SCORE_LABELS[score]) for score in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    on_time = forms.TypedChoiceField(
        label=_("Did it arrive in the time we told you?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes or no.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "id_comment_help"}),
    )

    def __init__(self, *args, asks_on_time: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_on_time:  # collected at the depot: no time window was promised
            del self.fields["on_time"]


def _survey_or_404(token: str) -> SatisfactionSurvey:
    survey = survey_for_token(token)
    if survey is None:
        raise Http404
    return survey


def _language(request: HttpRequest, survey: SatisfactionSurvey) -> str:
    """The requester's language, unless this visitor picked one with the selector at the top of the page."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    language = survey_language(survey)
    # The page speaks only the interface's languages; a requester writing in Arabic, say, gets the site's.
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _in_language(request: HttpRequest, survey: SatisfactionSurvey, view) -> HttpResponse:
    # override(), not activate(): the language must not stay on this thread for the next request.
    with translation.override(_language(request, survey)):
        request.LANGUAGE_CODE = translation.get_language()
        response = view(request, survey)
        response["Content-Language"] = request.LANGUAGE_CODE
    return response


def _done(request: HttpRequest, *, already: bool, status: int = 200) -> HttpResponse:
    return render(request, "delivery/survey_thanks.html", {"already_answered": already}, status=status)


def _answer(request: HttpRequest, survey: SatisfactionSurvey) -> HttpResponse:
    if survey.answered_at is not None:
        return _done(request, already=True, status=409 if request.method == "POST" else 200)
    asks_on_time = survey_asks_on_time(survey)
    form = SurveyForm(asks_on_time=asks_on_time)
    if request.method == "POST":
        client = client_address(request)
        if webform_rate_exceeded(client=client):
            return render(request, "requests_intake/webform/too_many.html", status=429)
        form = SurveyForm(request.POST, asks_on_time=asks_on_time)
        if form.is_valid():
            if not webform_rate_take(client=client):
                return render(request, "requests_intake/webform/too_many.html", status=429)
            try:
                survey_answer(
                    survey=survey,
                    score=form.cleaned_data["score"],
                    on_time=form.cleaned_data.get("on_time"),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "already_answered":  # answered in another tab meanwhile
                    return _done(request, already=True, status=409)
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                return redirect("survey_thanks", token=survey.token)
    return render(
        request,
        "delivery/survey.html",
        {"form": form, "delivered_on": survey_delivery_date(survey), "after_decision": survey.order_id is None},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_page(request: HttpRequest, token: str) -> HttpResponse:
    return _in_language(request, _survey_or_404(token), _answer)


def _thanks(request: HttpRequest, survey: SatisfactionSurvey) -> HttpResponse:
    if survey.answered_at is None:
        return redirect("survey_answer", token=survey.token)
    return _done(request, already=False)


@never_cache
@require_GET
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    return _in_language(request, _survey_or_404(token), _thanks)
