"""Keeping the household record (ficha) up to date: the holder's details and the people who live with them.

Every save goes through django-simple-history, with the acting user and a reason, so the audit page can say who
changed what."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import day_text
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.models import Household, HouseholdMember, NationalityGroup, Sex, Zone
from requests_intake.zoning import zone_for
from routing.geocoding import address_locate

VULNERABILITY_PERMISSION = "requests_intake.view_vulnerability"
MEMBER_FIELDS = ("given_name", "family_name", "birth_date", "sex", "nationality", "relationship")
# Fields a person edits on the ficha; anything else (merged_into, created_at, search_text) is not theirs to set.
EDITABLE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "nationality",
        "document_type",
        "document_number",
        "phone",
        "email",
        "address",
        "postcode",
        "municipality",
        "zone",
        "latitude",
        "longitude",
        "members",
        "access_notes",
        "language",
        "consent_on",
        "consent_scope",
        "vulnerabilities",
        "reduced_mobility",
        "diets",
        "preferred_days",
        "preferred_from",
        "preferred_until",
        "same_driver",
        "sign_language_interpreter",
        "easy_read",
        "contact_channel",
        "contact_from",
        "contact_until",
    }
)


@dataclass
class MembersChange:
    """What a members form asks for: new people, corrections to listed ones, and people who left."""

    added: list[dict] = field(default_factory=list)
    changed: list[tuple[HouseholdMember, dict]] = field(default_factory=list)
    removed: list[HouseholdMember] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def record_as(instance, *, actor, reason: str) -> None:
    """Say who changes the instance and why, for the history row its next save or delete writes."""
    # Read by simple-history when the instance is saved: outside a request (services, commands, tests) the
    # middleware cannot tell it who acted.
    instance._history_user = actor
    # The history's column is short (100 characters); PostgreSQL refuses a longer reason where SQLite keeps it, so
    # a long one (a pharmacy's whole week of hours) keeps its start and says it was cut.
    longest = type(instance).history.model._meta.get_field("history_change_reason").max_length
    instance._change_reason = reason if len(reason) <= longest else reason[: longest - 1] + "…"


def _check_member(data: dict, today: dt.date, position: str) -> None:
    # Not keyed by field: the holder's form has fields of the same names, and these are about a member.
    errors = []
    if not (data.get("given_name") or "").strip():
        errors.append(
            ValidationError(_("%(who)s: enter the given name.") % {"who": position}, code="member_given_name_missing")
        )
    if data.get("relationship") not in HouseholdMember.Relationship.values:
        errors.append(
            ValidationError(
                _("%(who)s: choose the relationship to the holder.") % {"who": position},
                code="member_bad_relationship",
            )
        )
    # Both optional: blank is "not recorded", as the council's report counts it.
    if data.get("sex", "") not in ("", *Sex.values):
        errors.append(
            ValidationError(
                _("%(who)s: the sex is female, male, other or left blank.") % {"who": position},
                code="member_bad_sex",
            )
        )
    if data.get("nationality", "") not in ("", *NationalityGroup.values):
        errors.append(
            ValidationError(
                _("%(who)s: choose the nationality group from the list or leave it blank.") % {"who": position},
                code="member_bad_nationality",
            )
        )
    birth_date = data.get("birth_date")
    if birth_date is not None and birth_date > today:
        errors.append(
            ValidationError(
                _("%(who)s: the birth date %(date)s is in the future.")
                % {"who": position, "date": day_text(birth_date)},
                code="member_birth_date_in_future",
            )
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def members_save(*, actor, household: Household, change: MembersChange) -> Household:
    """Add, correct and remove members. The count is one figure with the list: naming people already counted keeps
    it (it grows only past 1 + those listed), and each person removed takes one off, never below 1 + those listed."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    needed = [
        (
            change.added,
            "requests_intake.add_householdmember",
            _("You may not add members; nothing was saved."),
            "add_member_not_allowed",
        ),
        (
            change.changed,
            "requests_intake.change_householdmember",
            _("You may not change members; nothing was saved."),
            "change_member_not_allowed",
        ),
        (
            change.removed,
            "requests_intake.delete_householdmember",
            _("You may not remove members; nothing was saved."),
            "remove_member_not_allowed",
        ),
    ]
    for asked, permission, refusal, code in needed:
        if asked and not actor.has_perm(permission):
            raise ValidationError(refusal, code=code)
    foreign = [m for m in [*(m for m, _d in change.changed), *change.removed] if m.household_id != household.pk]
    if foreign:
        raise ValidationError(
            _("%(name)s is not a member of this household; nothing was saved.") % {"name": foreign[0]},
            code="not_a_member",
        )

    today = timezone.localdate()
    for number, data in enumerate(change.added, start=1):
        _check_member(data, today, _("New member %(number)s") % {"number": number})
    for member, data in change.changed:
        _check_member({**{f: getattr(member, f) for f in MEMBER_FIELDS}, **data}, today, str(member))

    for data in change.added:
        member = HouseholdMember(household=household, **{f: data[f] for f in MEMBER_FIELDS if f in data})
        member.full_clean()
        record_as(member, actor=actor, reason=_("Member added"))
        member.save()
    for member, data in change.changed:
        for name in MEMBER_FIELDS:
            if name in data:
                setattr(member, name, data[name])
        member.full_clean()
        record_as(member, actor=actor, reason=_("Member corrected"))
        member.save()
    for member in change.removed:
        record_as(member, actor=actor, reason=_("Member removed"))
        member.delete()

    if change.added or change.removed:
        listed = household.people.count()
        # "3 members" then naming one child is still 3: the child was one of the three.
        count = max(1 + listed, household.members - len(change.removed))
        if household.members != count:
            household.members = count
            record_as(household, actor=actor, reason=_("Member count follows the members listed"))
            household.save(update_fields=["members"])
    return household


def _document_holder(document_type: str, number: str, *, besides: Household) -> Household | None:
    if not number:
        return None
    return (
        Household.objects.filter(document_type=document_type, document_number=number, merged_into__isnull=True)
        .exclude(pk=besides.pk)
        .first()
    )


def _differs(household: Household, fields: dict, names: tuple[str, ...]) -> bool:
    return any(name in fields and fields[name] != getattr(household, name) for name in names)


def _follow_the_address(household: Household, fields: dict) -> None:
    """A new address gets its own point (or none: the old one would send the driver to the old door), and the
    territorial zone follows the new place unless the zone was chosen in the same edit or is a specialised team."""
    moved = _differs(household, fields, ("address", "postcode", "municipality"))
    point_given = _differs(household, fields, ("latitude", "longitude"))
    if moved and not point_given:
        point = address_locate(
            address=fields.get("address", household.address),
            postcode=fields.get("postcode", household.postcode),
            municipality=fields.get("municipality", household.municipality),
        )
        fields["latitude"] = Decimal(f"{point.latitude:.6f}") if point else None
        fields["longitude"] = Decimal(f"{point.longitude:.6f}") if point else None
    zone_given = _differs(household, fields, ("zone",))
    team = household.zone is not None and household.zone.kind == Zone.Kind.TEAM
    if (moved or point_given) and not zone_given and not team:
        fields["zone"] = zone_for(
            postcode=fields.get("postcode", household.postcode),
            latitude=fields.get("latitude", household.latitude),
            longitude=fields.get("longitude", household.longitude),
        )


@transaction.atomic
def household_update(*, actor, household: Household, **fields) -> Household:
    """Change the holder's details: document and phone checked, vulnerability only by those who may see it, never
    fewer members than the people listed, point and zone following a new address. Saves (and records) nothing when
    nothing changed."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s; nothing was saved.") % {"fields": ", ".join(unknown)},
            code="fields_not_editable",
        )
    if "vulnerabilities" in fields and not actor.has_perm(VULNERABILITY_PERMISSION):
        if list(fields["vulnerabilities"]) != list(household.vulnerabilities):
            raise ValidationError(
                {
                    "vulnerabilities": ValidationError(
                        _("Only social workers and managers may change vulnerability; nothing was saved."),
                        code="vulnerability_not_allowed",
                    )
                }
            )
        del fields["vulnerabilities"]

    errors = {}
    document_type = fields.get("document_type", household.document_type)
    if "document_type" in fields or "document_number" in fields:
        try:
            fields["document_number"] = document_normalise(
                document_type, fields.get("document_number", household.document_number)
            )
        except ValidationError as exc:
            errors["document_number"] = exc.error_list
        else:
            holder = _document_holder(document_type, fields["document_number"], besides=household)
            if holder is not None:
                errors["document_number"] = ValidationError(
                    _(
                        "Document %(number)s already belongs to household %(pk)s (%(name)s): merge the two records "
                        "instead of copying the document."
                    ),
                    code="document_taken",
                    params={"number": fields["document_number"], "pk": holder.pk, "name": holder.full_name},
                )
    if "phone" in fields:
        try:
            fields["phone"] = phone_normalise(fields["phone"] or "")
        except ValidationError as exc:
            errors["phone"] = exc.error_list
    listed = household.people.count()
    if "members" in fields and fields["members"] is not None and fields["members"] < 1 + listed:
        errors["members"] = ValidationError(
            _(
                "The household has %(listed)s members listed besides the holder, so it has at least %(least)s "
                "people; remove members first to lower the count."
            )
            % {"listed": listed, "least": 1 + listed},
            code="members_below_listed",
        )
    if "birth_date" in fields and fields["birth_date"] is not None and fields["birth_date"] > timezone.localdate():
        errors["birth_date"] = ValidationError(
            _("The birth date cannot be in the future."), code="birth_date_in_future"
        )
    if errors:
        raise ValidationError(errors)

    _follow_the_address(household, fields)
    changed = [name for name, value in fields.items() if getattr(household, name) != value]
    if not changed:
        return household
    for name in changed:
        setattr(household, name, fields[name])
    household.full_clean(exclude=["merged_into"])
    record_as(household, actor=actor, reason=_("Record edited"))
    household.save(update_fields=changed)
    return household


@transaction.atomic
def household_record_save(*, actor, household: Household, fields: dict, members: MembersChange) -> Household:
    """Save the edit page in one go: members first, so the count the holder's fields are checked against is the
    new one. When people joined or left and the count was left as it was, `members_save` works it out; a count the
    user typed wins, if it is at least 1 + those listed."""
    stored = Household.objects.values_list("members", flat=True).get(pk=household.pk)
    if (members.added or members.removed) and fields.get("members") in (None, stored):
        fields = {name: value for name, value in fields.items() if name != "members"}
    if members:
        household = members_save(actor=actor, household=household, change=members)
    return household_update(actor=actor, household=household, **fields)
