"""Keeping the pharmacies medication is collected from: their details, where they are, and their opening hours.

A pharmacy is never deleted once a plan names it (the plan and its history keep the name): it is deactivated, and
the approval form stops offering it."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from requests_intake.documents import phone_normalise
from requests_intake.households import record_as
from requests_intake.models import Household, Pharmacy, PharmacyHours, Weekday
from requests_intake.placing import point_check_near_a_depot
from routing.geocoding import address_locate, streets_like

# "Calle Real 12, 30201 Cartagena": what follows the last comma is the postcode and the town, as on a letter.
_POSTCODE_AND_TOWN = re.compile(r"^\s*(?P<postcode>\d{5})?\s*(?P<town>[^\d].*?)?\s*$")


@dataclass(frozen=True)
class Span:
    """One opening span: `weekday` 0 = Monday … 6 = Sunday."""

    weekday: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class PharmacySaved:
    pharmacy: Pharmacy
    # False when the point was to come from the address and its street is not known: the pharmacy has no point,
    # and its medication orders cannot be planned until someone gives it one.
    placed: bool


def _time(value: dt.time) -> str:
    return f"{value:%H:%M}"


def pharmacy_hours_check(spans: list[Span]) -> None:
    """Refuse a span that closes before it opens or two spans of one weekday that overlap (touching is fine:
    09:00–14:00 and 14:00–20:00 is one long day written in two)."""
    for span in spans:
        if span.weekday not in Weekday.values:
            raise ValidationError(
                _("%(value)s is not a weekday: use 0 for Monday up to 6 for Sunday.") % {"value": span.weekday},
                code="hours_bad_weekday",
            )
        PharmacyHours(weekday=span.weekday, opens=span.opens, closes=span.closes).clean()
    ordered = sorted(spans, key=lambda span: (span.weekday, span.opens))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise ValidationError(
                _("%(day)s: %(first)s and %(second)s overlap; make one end before the other begins.")
                % {
                    "day": Weekday(before.weekday).label,
                    "first": f"{_time(before.opens)}–{_time(before.closes)}",
                    "second": f"{_time(after.opens)}–{_time(after.closes)}",
                },
                code="hours_overlap",
            )


def hours_text(spans: list[Span]) -> str:
    """The week in one line, for the history: "Mon 09:00–14:00 17:00–20:30; Sat 10:00–13:30"."""
    days: dict[int, list[str]] = {}
    for span in sorted(spans, key=lambda span: (span.weekday, span.opens)):
        days.setdefault(span.weekday, []).append(f"{_time(span.opens)}–{_time(span.closes)}")
    return "; ".join(f"{Weekday(day).label} {' '.join(times)}" for day, times in days.items()) or _("closed")


def _address_place(address: str) -> tuple[str, str]:
    """(postcode, town) of a pharmacy's address; the town most households live in when the address names none."""
    head, _comma, last = address.rpartition(",")
    match = _POSTCODE_AND_TOWN.match(last) if head else None
    postcode = (match and match["postcode"]) or ""
    town = (match and match["town"]) or ""
    if not town:
        commonest = (
            Household.objects.exclude(municipality="")
            .values("municipality")
            .annotate(households=Count("pk"))
            .order_by("-households", "municipality")
            .first()
        )
        town = commonest["municipality"] if commonest else ""
    return postcode, town


def _point_from_address(address: str) -> tuple[Decimal | None, Decimal | None]:
    postcode, town = _address_place(address)
    point = address_locate(address=address, postcode=postcode, municipality=town)
    if point is None:
        return None, None
    return Decimal(f"{point.latitude:.6f}"), Decimal(f"{point.longitude:.6f}")


def streets_like_pharmacy(pharmacy: Pharmacy) -> list[str]:
    """The known streets closest to the pharmacy's, for an address the street table does not know."""
    return streets_like(address=pharmacy.address, municipality=_address_place(pharmacy.address)[1])


def _clean_fields(pharmacy: Pharmacy | None, name: str, phone: str) -> tuple[str, str]:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("A pharmacy needs a name; nothing was saved."), code="pharmacy_name_missing")
    taken = Pharmacy.objects.filter(name__iexact=name)
    if pharmacy is not None:
        taken = taken.exclude(pk=pharmacy.pk)
    if taken.exists():
        raise ValidationError(
            _("There is already a pharmacy called “%(name)s”: edit that one, or tell them apart by the street.")
            % {"name": name},
            code="pharmacy_name_taken",
        )
    return name, phone_normalise(phone)


@transaction.atomic
def pharmacy_save(
    *,
    actor,
    pharmacy: Pharmacy | None,
    name: str,
    address: str,
    phone: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    hours: list[Span],
) -> PharmacySaved:
    """Create (`pharmacy` None) or change a pharmacy with its whole week of opening spans, which replace the old
    ones. The point typed wins; without one the address places it through the street table, as a household's."""
    if pharmacy is not None:
        pharmacy = Pharmacy.objects.select_for_update().get(pk=pharmacy.pk)
    name, phone = _clean_fields(pharmacy, name, phone)
    address = " ".join(address.split())
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Give both numbers of the point (north and east), or neither to place it from the address."),
            code="point_incomplete",
        )
    pharmacy_hours_check(hours)
    if latitude is not None:
        point_check_near_a_depot(latitude, longitude)
        placed = True
    elif address:
        latitude, longitude = _point_from_address(address)
        placed = latitude is not None
    else:
        placed = False
    is_new = pharmacy is None
    pharmacy = pharmacy or Pharmacy()
    pharmacy.name, pharmacy.address, pharmacy.phone = name, address, phone
    pharmacy.latitude, pharmacy.longitude = latitude, longitude
    # Hours keep no history of their own: the pharmacy's history row says the week they were set to.
    record_as(pharmacy, actor=actor, reason=_("Opening hours: %(hours)s") % {"hours": hours_text(hours)})
    pharmacy.save()
    if not is_new:
        pharmacy.hours.all().delete()
    PharmacyHours.objects.bulk_create(
        PharmacyHours(pharmacy=pharmacy, weekday=span.weekday, opens=span.opens, closes=span.closes)
        for span in sorted(hours, key=lambda span: (span.weekday, span.opens))
    )
    return PharmacySaved(pharmacy=pharmacy, placed=placed)


@transaction.atomic
def pharmacy_active_set(*, actor, pharmacy: Pharmacy, active: bool) -> Pharmacy:
    """Take a pharmacy out of the approval form (inactive) or bring it back. Plans that name it keep naming it:
    a social worker moves them to another pharmacy when their prescriptions are next renewed."""
    pharmacy = Pharmacy.objects.select_for_update().get(pk=pharmacy.pk)
    if pharmacy.active == active:
        raise ValidationError(
            _("%(name)s is already active.") % {"name": pharmacy.name}
            if active
            else _("%(name)s is already inactive.") % {"name": pharmacy.name},
            code="pharmacy_already_active" if active else "pharmacy_already_inactive",
        )
    pharmacy.active = active
    record_as(pharmacy, actor=actor, reason=_("Reactivated") if active else _("Deactivated"))
    pharmacy.save(update_fields=["active"])
    return pharmacy
