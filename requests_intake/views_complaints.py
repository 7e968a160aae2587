"""The complaints register: the managers' page (open ones with due dates, the answer form, the figures) and the
public form, which counts against the web form's hourly limit per client address."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import permission_needed
from core.security import client_address
from requests_intake.complaints import (
    complaint_answer,
    complaint_figures,
    complaint_receive,
    complaints_answered,
    complaints_open,
)
from requests_intake.forms_complaints import ComplaintAnswerForm, PublicComplaintForm, StaffComplaintForm
from requests_intake.models import Complaint
from requests_intake.webform import webform_rate_exceeded, webform_rate_take

TOO_MANY = "requests_intake/webform/too_many.html"
FIGURES_DAYS = 365


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@permission_needed("requests_intake.view_complaint")
def complaints(request: HttpRequest) -> HttpResponse:
    """Open ones first due on top, the last answered, a year's figures, and the form to record one taken by staff."""
    form = StaffComplaintForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("requests_intake.add_complaint"):
            raise PermissionDenied
        if form.is_valid():
            try:
                complaint_receive(source=Complaint.Source.STAFF, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Recorded in the register."))
                return redirect("complaints")
    today = timezone.localdate()
    return render(
        request,
        "requests_intake/complaints/list.html",
        {
            "open_complaints": complaints_open(),
            "answered": complaints_answered(),
            "figures": complaint_figures(first=today - dt.timedelta(days=FIGURES_DAYS - 1), last=today),
            "figures_days": FIGURES_DAYS,
            "today": today,
            "form": form,
        },
    )


@permission_needed("requests_intake.change_complaint")
def complaint_answer_page(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(Complaint.objects.select_related("household"), pk=pk)
    if complaint.answered_at is not None:
        messages.info(request, _("This was already answered."))
        return redirect("complaints")
    form = ComplaintAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_answer(actor=request.user, complaint=complaint, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("complaints")
    return render(request, "requests_intake/complaints/answer.html", {"complaint": complaint, "form": form})


@require_http_methods(["GET", "POST"])
def complaint_public(request: HttpRequest) -> HttpResponse:
    """Anyone may write a complaint, suggestion, claim or thanks; no sign-in."""
    form = PublicComplaintForm()
    if request.method == "POST":
        client = client_address(request)
        if webform_rate_exceeded(client=client):
            return render(request, TOO_MANY, status=429)
        form = PublicComplaintForm(request.POST)
        if form.is_valid():
            if not webform_rate_take(client=client):
                return render(request, TOO_MANY, status=429)
            try:
                complaint_receive(source=Complaint.Source.PUBLIC_FORM, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return render(request, "requests_intake/complaints/public.html", {"sent": True})
    return render(request, "requests_intake/complaints/public.html", {"form": form})
