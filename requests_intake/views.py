from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.form_tokens import once_per_form_token
from core.permissions import any_permission_needed, permission_needed
from inventory.models import Pack
from requests_intake import decisions
from requests_intake.duplicates import duplicates_for_fields
from requests_intake.forms import (
    AidRequestForm,
    ApprovalForm,
    HouseholdForm,
    HouseholdSearchForm,
    InformationForm,
    PauseForm,
    ReferralForm,
    RejectionForm,
    RenewForm,
)
from requests_intake.models import AidPlan, AidRequest, Household, Zone
from requests_intake.pack_rules import pack_proposal
from requests_intake.selectors import (
    household_commitments,
    households_search,
    plans_to_review,
    queue_repeats,
    requests_queue,
    zone_workload,
)
from requests_intake.services import aid_request_register, household_create
from requests_intake.zone_access import zone_ensure_open, zone_ids_for


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


DUPLICATE_KEYS = ("document_type", "document_number", "phone", "given_name", "family_name", "address")


@permission_needed("requests_intake.add_aidrequest", "requests_intake.view_household")
@once_per_form_token
def intake(request):
    """Screen 1 of a call: find the household, or register a new one."""
    search = HouseholdSearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        results = households_search(search.cleaned_data["q"], zone_ids=zone_ids_for(request.user))
    form = HouseholdForm(request.POST or None)
    possible_duplicates = []
    if request.method == "POST" and request.user.has_perm("requests_intake.add_household") and form.is_valid():
        # Before a second record is made for the same people, show the ones that look like them.
        possible_duplicates = duplicates_for_fields(**{key: form.cleaned_data.get(key) or "" for key in DUPLICATE_KEYS})
        if not possible_duplicates or "register_anyway" in request.POST:
            try:
                household = household_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Household %(name)s registered.") % {"name": household.full_name})
                return redirect("request_new", household_id=household.pk)
    return render(
        request,
        "requests_intake/intake.html",
        {"search": search, "results": results, "form": form, "possible_duplicates": possible_duplicates},
    )


@permission_needed("requests_intake.add_aidrequest")
@once_per_form_token
def request_new(request, household_id: int):
    """Screen 2 of a call: what the household needs, then either to assessment or answered and closed."""
    household = get_object_or_404(Household, pk=household_id, merged_into__isnull=True)
    form = AidRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aid_request = aid_request_register(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if aid_request.status == AidRequest.Status.INFO_ONLY:
                text = _("Request %(reference)s answered and closed at intake.")
            else:
                text = _("Request %(reference)s registered and sent to assessment.")
            messages.success(request, text % {"reference": aid_request.reference})
            return redirect("intake")
    open_requests = household.requests.filter(status__in=AidRequest.OPEN_STATUSES).order_by("-received_at")
    return render(
        request,
        "requests_intake/request_new.html",
        {
            "household": household,
            "form": form,
            "open_requests": open_requests,
            "commitments": household_commitments(household, today=timezone.localdate()),
        },
    )


QUEUE_PER_PAGE = 50
PLANS_TO_REVIEW_SHOWN = 20


@any_permission_needed("requests_intake.decide_aidrequest", "requests_intake.view_audit")
def assessment_queue(request):
    """A social worker's zone queue, a page at a time: most urgent first, then oldest; workload per zone; plans to
    review (the first few unless every one is asked for).

    Managers read every zone's queue and workload without deciding."""
    zone, kept = None, {}
    if request.GET.get("zone"):
        zone = get_object_or_404(Zone, code=request.GET["zone"])
        kept["zone"] = zone.code
    visible = zone_ids_for(request.user)  # once: every list below is narrowed to these zones
    # get_page answers the first page for a page that is not a number and the last for one past the end.
    page = Paginator(requests_queue(visible, zone=zone), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    repeats = queue_repeats(rows, visible)
    for row in rows:
        row.repeats = repeats.get(row.pk, [])
    to_review = plans_to_review(visible, today=timezone.localdate())
    every_plan = request.GET.get("plans") == "all"
    shown_plans = list(to_review if every_plan else to_review[:PLANS_TO_REVIEW_SHOWN])
    plans_total = len(shown_plans)
    if plans_total == PLANS_TO_REVIEW_SHOWN and not every_plan:  # a full first batch: there may be more
        plans_total = to_review.count()
    return render(
        request,
        "requests_intake/queue.html",
        {
            "aid_requests": rows,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            # What page links keep, and what the link to every plan keeps.
            "page_query": urlencode(kept | ({"plans": "all"} if every_plan else {})),
            "zone_query": urlencode(kept),
            "zone": zone,
            "workload": zone_workload(visible),
            "to_review": shown_plans,
            "to_review_total": plans_total,
            "now": timezone.now(),
        },
    )


def _request_in_my_zones(request, pk: int) -> AidRequest:
    aid_request = get_object_or_404(AidRequest.objects.select_related("household__zone", "zone"), pk=pk)
    zone_ensure_open(request.user, aid_request.zone_id)
    return aid_request


DECISIONS = {
    # button name → (form class, the service call, success message)
    "reject": (
        RejectionForm,
        lambda actor, r, data: decisions.aid_request_reject(actor=actor, request=r, **data),
        _("Request %(reference)s rejected."),
    ),
    "refer": (
        ReferralForm,
        lambda actor, r, data: decisions.aid_request_refer(actor=actor, request=r, **data),
        _("Request %(reference)s referred."),
    ),
    "ask": (
        InformationForm,
        lambda actor, r, data: decisions.aid_request_ask_information(actor=actor, request=r, **data),
        _("Request %(reference)s is waiting for information; the requester has been told what is missing."),
    ),
}


@permission_needed("requests_intake.decide_aidrequest")
def assessment(request, pk: int):
    aid_request = _request_in_my_zones(request, pk)
    household = aid_request.household
    packs = list(Pack.objects.order_by("name"))
    proposal = pack_proposal(household, needs=aid_request.needs, on=timezone.localdate())
    approve_form = ApprovalForm(request.POST if "approve" in request.POST else None, packs=packs, proposal=proposal)
    forms = {
        name: form_class(request.POST if name in request.POST else None)
        for name, (form_class, *_r) in DECISIONS.items()
    }
    if "approve" in request.POST and approve_form.is_valid():
        data = approve_form.cleaned_data
        try:
            decisions.aid_request_approve(
                actor=request.user,
                request=aid_request,
                packs=approve_form.pack_quantities(),
                **{
                    k: data[k]
                    for k in (
                        "priority",
                        "first_delivery_on",
                        "repeat_every_days",
                        "repeat_until",
                        "valid_until",
                        "pharmacy",
                        "prescription_ref",
                        "pickup",
                        "notes",
                        "same_day_confirmed",
                    )
                },
            )
        except ValidationError as exc:
            _add_errors(approve_form, exc)
        else:
            messages.success(request, _("Request %(reference)s approved.") % {"reference": aid_request.reference})
            return redirect("assessment_queue")
    for name, (_form_class, decide, success) in DECISIONS.items():
        form = forms[name]
        if name in request.POST and form.is_valid():
            try:
                decide(request.user, aid_request, form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, success % {"reference": aid_request.reference})
                return redirect("assessment_queue")
    return render(
        request,
        "requests_intake/assessment.html",
        {
            "aid_request": aid_request,
            "household": household,
            "approve_form": approve_form,
            "proposal": proposal,
            "forms": forms,
            "thread": aid_request.messages.all(),
            "commitments": household_commitments(household, today=timezone.localdate(), besides=aid_request),
        },
    )


@require_POST
@permission_needed("requests_intake.decide_aidrequest")
def assessment_resume(request, pk: int):
    aid_request = _request_in_my_zones(request, pk)
    try:
        decisions.aid_request_resume(actor=request.user, request=aid_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessment", pk=aid_request.pk)


def _plan_action(request, plan: AidPlan, pause_form: PauseForm, renew_form: RenewForm) -> bool:
    """Carry out the button pressed; False when its form has errors to show."""
    if "pause" in request.POST and pause_form.is_valid():
        decisions.plan_pause(actor=request.user, plan=plan, **pause_form.cleaned_data)
    elif "renew" in request.POST and renew_form.is_valid():
        decisions.plan_renew(actor=request.user, plan=plan, **renew_form.cleaned_data)
    elif "resume" in request.POST:
        decisions.plan_resume(actor=request.user, plan=plan)
    else:
        return False
    return True


@permission_needed("requests_intake.change_aidplan")
def plan_detail(request, pk: int):
    """Pause, resume or renew a plan: the life of the aid after the decision."""
    plan = get_object_or_404(AidPlan.objects.select_related("request__household", "request__zone"), pk=pk)
    _request_in_my_zones(request, plan.request_id)
    pause_form = PauseForm(request.POST if "pause" in request.POST else None)
    renew_form = RenewForm(request.POST if "renew" in request.POST else None)
    if request.method == "POST":
        try:
            done = _plan_action(request, plan, pause_form, renew_form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if done:
                messages.success(request, _("Plan updated."))
                return redirect("plan_detail", pk=plan.pk)
    return render(
        request,
        "requests_intake/plan_detail.html",
        {
            "plan": plan,
            "pause_form": pause_form,
            "renew_form": renew_form,
            "lines": plan.lines.select_related("pack"),
            "orders": plan.orders.order_by("-due_date")[:20],
        },
    )
