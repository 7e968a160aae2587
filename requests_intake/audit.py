"""The change history of a household for managers: its record, members, requests and aid plans, read from
django-simple-history as rows saying when, who, what, and for a change each field's old and new value."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.dates import day_text, moment_text
from inventory.models import Pack
from requests_intake.models import (
    AidPlan,
    AidPlanLine,
    AidRequest,
    Diet,
    Household,
    HouseholdMember,
    Need,
    Vulnerability,
    Weekday,
    Zone,
)

# Lists of codes kept in JSON fields, shown by their labels.
CODE_LABELS = {
    (Household, "vulnerabilities"): Vulnerability,
    (Household, "diets"): Diet,
    (Household, "preferred_days"): Weekday,
    (AidRequest, "needs"): Need,
}
# Related rows shown by name; the rest by number.
NAMED_RELATIONS = {Zone: "zones", get_user_model(): "users", Pack: "packs"}
# Fields that always hold the same value for one object, or that say where the row belongs rather than what changed.
QUIET_FIELDS = {"id", "plan"}
# Where a new row belongs is already in its subject; a later change of owner (a merge) is still shown.
OWNER_FIELDS = {"household", "request"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None  # None: no earlier value to compare with (the row created the object)
    new: str


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    subject: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[self.action]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_sets(household: Household) -> list[tuple[type[models.Model], list]]:
    """The history rows of everything that belongs, or once belonged, to the household (merges move things)."""
    member_ids = HouseholdMember.history.filter(household_id=household.pk).values("id")
    request_ids = AidRequest.history.filter(household_id=household.pk).values("id")
    plan_ids = AidPlan.history.filter(request_id__in=request_ids).values("id")
    querysets = [
        (Household, Household.history.filter(id=household.pk)),
        (HouseholdMember, HouseholdMember.history.filter(id__in=member_ids)),
        (AidRequest, AidRequest.history.filter(id__in=request_ids)),
        (AidPlan, AidPlan.history.filter(request_id__in=request_ids)),
        (AidPlanLine, AidPlanLine.history.filter(plan_id__in=plan_ids)),
    ]
    return [
        (model, list(qs.select_related("history_user").order_by("id", "history_date", "history_id")))
        for model, qs in querysets
    ]


class _Names:
    """Names of the zones, people and packs the rows point at, each kind fetched in one query."""

    def __init__(self, wanted: dict[str, set]):
        self.zones = dict(Zone.objects.filter(pk__in=wanted["zones"]).values_list("pk", "name"))
        self.users = {
            user.pk: user.get_full_name() or user.username
            for user in get_user_model().objects.filter(pk__in=wanted["users"])
        }
        self.packs = dict(Pack.objects.filter(pk__in=wanted["packs"]).values_list("pk", "name"))


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _show(model, name: str, value, names: _Names) -> str:
    if _blank(value):
        return "—"
    model_field = model._meta.get_field(name)
    if (model, name) in CODE_LABELS:
        choices = CODE_LABELS[(model, name)]
        return ", ".join(str(choices(code).label) if code in choices.values else str(code) for code in value)
    if model_field.is_relation:
        kind = NAMED_RELATIONS.get(model_field.related_model)
        if kind is not None:
            return getattr(names, kind).get(value, f"#{value}")
        return f"{model_field.related_model._meta.verbose_name} {value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return day_text(value)
    return str(value)


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _subject(model, row, context: dict) -> str:
    if model is Household:
        return _("Household record")
    if model is HouseholdMember:
        return _("Member %(name)s") % {"name": f"{row.given_name} {row.family_name}".strip()}
    if model is AidRequest:
        return _("Request %(reference)s") % {"reference": context["references"].get(row.id) or f"#{row.id}"}
    if model is AidPlan:
        reference = context["references"].get(row.request_id) or f"#{row.request_id}"
        return _("Aid plan of %(reference)s") % {"reference": reference}
    reference = context["references"].get(context["plan_requests"].get(row.plan_id)) or f"#{row.plan_id}"
    return _("Plan line of %(reference)s: %(pack)s") % {
        "reference": reference,
        "pack": context["names"].packs.get(row.pack_id, f"#{row.pack_id}"),
    }


def _wanted(sets) -> dict[str, set]:
    wanted = {"zones": set(), "users": set(), "packs": set()}
    for model, rows in sets:
        relations = [
            (f.attname, NAMED_RELATIONS[f.related_model])
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in NAMED_RELATIONS
        ]
        for row in rows:
            for attname, kind in relations:
                value = getattr(row, attname)
                if value is not None:
                    wanted[kind].add(value)
    return wanted


def household_audit(household: Household, *, show_vulnerability: bool) -> list[AuditRow]:
    """Every recorded change to the household and what belongs to it, newest first, in eight queries at most."""
    sets = _history_sets(household)
    names = _Names(_wanted(sets))
    references, plan_requests = {}, {}
    for model, rows in sets:
        for row in rows:
            if model is AidRequest and row.reference:
                references[row.id] = row.reference
            if model is AidPlan:
                plan_requests[row.id] = row.request_id
    context = {"names": names, "references": references, "plan_requests": plan_requests}

    audit = []
    for model, rows in sets:
        hidden = set(QUIET_FIELDS)
        if model is Household and not show_vulnerability:
            hidden.add("vulnerabilities")
        previous = {}
        for row in rows:
            action = ACTIONS[row.history_type]
            before = previous.get(row.id)
            previous[row.id] = row
            if action == "changed" and before is not None:
                delta = row.diff_against(before, excluded_fields=hidden)
                changes = [
                    FieldChange(
                        _label(model, c.field), _show(model, c.field, c.old, names), _show(model, c.field, c.new, names)
                    )
                    for c in delta.changes
                ]
            elif action != "deleted":
                # Created, or changed with no earlier row to compare (saved once without history, e.g. in bulk):
                # the values as they were then.
                changes = [
                    FieldChange(_label(model, f.name), None, _show(model, f.name, getattr(row, f.attname), names))
                    for f in model._meta.concrete_fields
                    if f.editable
                    and f.name not in hidden
                    and f.name not in OWNER_FIELDS
                    and not _blank(getattr(row, f.attname))
                ]
            else:
                changes = []
            reason = row.history_change_reason or ""
            # A save that changed no tracked field (a reference number being set) says nothing worth a row.
            if action == "changed" and not changes and not reason:
                continue
            audit.append(
                AuditRow(
                    at=row.history_date,
                    who=(row.history_user.get_full_name() or row.history_user.username) if row.history_user else "",
                    action=action,
                    subject=_subject(model, row, context),
                    reason=reason,
                    changes=changes,
                )
            )
    return sorted(audit, key=lambda r: r.at, reverse=True)
