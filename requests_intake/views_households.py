"""The household record (ficha), its edit page, merging duplicates, and the change history for managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import permission_needed
from requests_intake import audit, duplicates
from requests_intake.forms import HouseholdSearchForm
from requests_intake.forms_households import HouseholdEditForm, MergeForm, members_change, members_formset
from requests_intake.households import MembersChange, household_record_save
from requests_intake.models import Household, HouseholdMember, Weekday
from requests_intake.selectors import households_search
from requests_intake.timeline import household_timeline
from requests_intake.views_cases import case_context, case_readable
from requests_intake.zone_access import zone_ensure_open, zone_ids_for

VULNERABILITY = "requests_intake.view_vulnerability"


def _final(household: Household) -> Household:
    """The record a merged one now lives in (a record kept by one merge may itself be merged later)."""
    seen = {household.pk}
    while household.merged_into_id is not None and household.merged_into_id not in seen:
        seen.add(household.merged_into_id)
        household = Household.objects.get(pk=household.merged_into_id)
    return household


def _redirect_if_merged(request, household: Household, url_name: str):
    if household.merged_into_id is None:
        return None
    kept = _final(household)
    messages.info(
        request,
        _("Household %(pk)s (%(name)s) was merged into this record.") % {"pk": household.pk, "name": household},
    )
    return redirect(url_name, pk=kept.pk)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _age(birth_date, today) -> int | None:
    return HouseholdMember(birth_date=birth_date).age_on(today)


def _ensure_in_my_zones(user, household: Household) -> None:
    """A social worker assigned to zones reads the records of those zones only (and of households not yet placed)."""
    zone_ensure_open(user, household.zone_id)


@permission_needed("requests_intake.view_household")
def household_search(request):
    """Find a household from any page (the search box in the header): only those of the user's zones."""
    search = HouseholdSearchForm(request.GET or None)
    results = None
    if search.is_valid() and search.cleaned_data["q"]:
        results = households_search(search.cleaned_data["q"], zone_ids=zone_ids_for(request.user))
    return render(request, "requests_intake/households/search.html", {"search": search, "results": results})


@permission_needed("requests_intake.view_household")
def household_detail(request, pk: int):
    household = get_object_or_404(Household.objects.select_related("zone", "reference_worker"), pk=pk)
    _ensure_in_my_zones(request.user, household)
    moved = _redirect_if_merged(request, household, "household_detail")
    if moved:
        return moved
    today = timezone.localdate()
    may_see_members = request.user.has_perm("requests_intake.view_householdmember")
    members = [(m, m.age_on(today)) for m in household.people.all()] if may_see_members else []
    return render(
        request,
        "requests_intake/household_detail.html",
        {
            "household": household,
            "holder_age": _age(household.birth_date, today),
            "may_see_members": may_see_members,
            "members": members,
            "may_see_vulnerability": request.user.has_perm(VULNERABILITY),
            "preferred_days": [Weekday(day).label for day in household.preferred_days if day in Weekday.values],
            # The plan rides along (one join) so each request links to its plan page without a query per row.
            "aid_requests": household.requests.select_related("plan").order_by("-received_at"),
            # The plan page opens only with change_aidplan (its view's permission): link to it only then.
            "may_open_plans": request.user.has_perm("requests_intake.change_aidplan"),
            "duplicates": duplicates.duplicates_for(household),
            "timeline": household_timeline(household, case_notes=case_readable(request.user, household)),
            "merged_here": household.merged.order_by("pk"),
            **case_context(request.user, household),
        },
    )


@permission_needed("requests_intake.change_household")
def household_edit(request, pk: int):
    household = get_object_or_404(Household, pk=pk)
    _ensure_in_my_zones(request.user, household)
    moved = _redirect_if_merged(request, household, "household_edit")
    if moved:
        return moved
    data = request.POST if request.method == "POST" else None
    may_see_vulnerability = request.user.has_perm(VULNERABILITY)
    form = HouseholdEditForm(data, instance=household, may_see_vulnerability=may_see_vulnerability)
    may_see_members = request.user.has_perm("requests_intake.view_householdmember")
    formset = members_formset(request.user, data, instance=household) if may_see_members else None
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            household_record_save(
                actor=request.user,
                household=household,
                fields=form.service_fields(),
                members=members_change(formset) if formset is not None else MembersChange(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": household.full_name})
            return redirect("household_detail", pk=household.pk)
    return render(
        request,
        "requests_intake/households/edit.html",
        {"household": household, "form": form, "formset": formset},
    )


@permission_needed("requests_intake.merge_household")
def household_merge(request, pk: int, other_pk: int):
    household = get_object_or_404(Household, pk=pk)
    other = get_object_or_404(Household, pk=other_pk)
    for record in (household, other):
        _ensure_in_my_zones(request.user, record)
    for record in (household, other):
        if record.merged_into_id is not None:
            messages.error(
                request,
                _("Household %(pk)s was already merged into household %(into)s.")
                % {"pk": record.pk, "into": record.merged_into_id},
            )
            return redirect("household_detail", pk=_final(record).pk)
    reasons = next(
        (hit.reason_labels for hit in duplicates.duplicates_for(household) if hit.household.pk == other.pk), []
    )
    form = MergeForm(request.POST or None, households=[household, other])
    if request.method == "POST" and form.is_valid():
        keep, duplicate = (household, other) if form.cleaned_data["keep"] == household.pk else (other, household)
        try:
            result = duplicates.household_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Household %(duplicate)s was merged into this record. Moved: requests %(requests)s, "
                    "members %(members)s, delivery orders %(orders)s."
                )
                % {
                    "duplicate": duplicate.pk,
                    "requests": result.requests_moved,
                    "members": result.members_moved,
                    "orders": result.orders_moved,
                },
            )
            return redirect("household_detail", pk=keep.pk)
    return render(
        request,
        "requests_intake/households/merge.html",
        {
            "form": form,
            "pair": [
                (record, record.people.all(), record.requests.count(), record.orders.count())
                for record in (household, other)
            ],
            "household": household,
            "other": other,
            "reasons": reasons,
        },
    )


@permission_needed("requests_intake.view_audit")
def household_audit(request, pk: int):
    household = get_object_or_404(Household.objects.select_related("merged_into"), pk=pk)
    # A merged record keeps its own history here: no redirect, only a pointer to the record it went into.
    return render(
        request,
        "requests_intake/households/audit.html",
        {
            "household": household,
            "rows": audit.household_audit(household, show_vulnerability=request.user.has_perm(VULNERABILITY)),
            "merged_here": household.merged.order_by("pk"),
        },
    )
