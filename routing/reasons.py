"""Why an order was left out of the day's rounds, and the smallest change that would place it, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NO_LOCATION = "no_location"
STOCK_SHORT = "stock_short"
DEPOT_SKILL = "depot:"  # vehicles carry the skill "depot:<warehouse pk>", so orders ride from their own depot
# A medication order's pharmacy rules it out before the search (routing.adapter.pharmacy_refusal), or its pickup
# could not be planned: each with its own words, so the planner knows the pharmacy is what to change.
PHARMACY_NO_LOCATION = "pharmacy_no_location"
PHARMACY_CLOSED = "pharmacy_closed"
PHARMACY_OPENS_LATE = "pharmacy_opens_late"
PHARMACY_UNREACHABLE = "pharmacy_unreachable"
FIX_PLACE_PHARMACY = "place_pharmacy"  # value: the pharmacy's name
FIX_PHARMACY_OPEN_DAY = "pharmacy_open_day"  # value: the weekdays it opens (0 = Monday), maybe none
FIX_PHARMACY_HOURS = "pharmacy_hours"  # value: the earliest a van reaches it (seconds)

REASON_TEXT = {
    "no_vehicles": gettext_lazy("No van is available that day."),
    "demand_above_capacity": gettext_lazy("The packs weigh or take up more than any van can carry."),
    "missing_skill": gettext_lazy("No available van can take it."),
    "window_unreachable": gettext_lazy("No van can reach the address inside its delivery window and shift."),
    "locked_vehicle_missing": gettext_lazy("It is kept for a van that is not available."),
    "partner_unassigned": gettext_lazy("Its pharmacy pickup could not be planned."),
    "no_capacity_today": gettext_lazy("The vans are full that day; the order waits for the next day."),
    NO_LOCATION: gettext_lazy("The address has no coordinates: correct it on the household record."),
    STOCK_SHORT: gettext_lazy("Not enough stock to cover the packs: receive stock, then plan again."),
    PHARMACY_NO_LOCATION: gettext_lazy("Its pharmacy has no point on the map, so no van can collect the medication."),
    PHARMACY_CLOSED: gettext_lazy("Its pharmacy is closed that day, so the medication cannot be collected."),
    PHARMACY_OPENS_LATE: gettext_lazy(
        "Its pharmacy opens too late to bring the medication home inside the delivery window."
    ),
    PHARMACY_UNREACHABLE: gettext_lazy("No van can reach its pharmacy while it is open."),
}


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _skills(skills) -> str:
    from logistics.models import Skill

    # Each rule says what the order needs in the planner's words, so the fix names the rule that left it out.
    needs = {
        Skill.COLD_CHAIN: _("a refrigerated van (cold chain)"),
        Skill.TWO_PEOPLE: _("a van with a crew of two"),
        Skill.MEDICATION: _("a driver allowed to carry medication"),
    }
    names = []
    for skill in skills:
        if skill.startswith(DEPOT_SKILL):  # stored with the depot's name (see routing.services._fix_value)
            names.append(_("a van based at %(depot)s") % {"depot": skill.removeprefix(DEPOT_SKILL)})
        elif skill in needs:
            names.append(str(needs[skill]))
        else:
            names.append(str(dict(Skill.choices).get(skill, skill)))
    return ", ".join(names)


def fix_text(kind: str, value) -> str:
    """Words for a stored fix; it needs no queries, so a long list of left-out orders renders cheaply."""
    if kind == "split_order":
        return _("Split it into %(parts)s deliveries.") % {"parts": value}
    if kind == "bigger_vehicle":
        return _("It needs a bigger van.")
    if kind == "vehicle_with_skills":
        return _("It needs %(skills)s: make one available that day.") % {"skills": _skills(value)}
    if kind == "widen_window":
        return _("Widen its window to run until at least %(time)s.") % {"time": _clock(value)}
    if kind == "extend_shift":
        return _("A shift until %(time)s would reach it.") % {"time": _clock(value)}
    if kind == "more_vehicles":
        return _("Add a van like %(vehicle)s, or a second trip.") % {"vehicle": value}
    if kind == FIX_PLACE_PHARMACY:
        return _("Place the pharmacy %(pharmacy)s on the map.") % {"pharmacy": value}
    if kind == FIX_PHARMACY_OPEN_DAY:
        if not value:
            return _("Enter the pharmacy's opening hours, or choose another pharmacy on the plan.")
        return _("Choose a day it opens: %(days)s.") % {"days": _weekdays(value)}
    if kind == FIX_PHARMACY_HOURS:
        return _("A van reaches it at %(time)s at the earliest: choose a pharmacy open then.") % {"time": _clock(value)}
    return ""


def _weekdays(days) -> str:
    from requests_intake.models import Weekday

    return ", ".join(str(Weekday(day).label) for day in days)


def explain(reason: str, fix_kind: str = "", fix_value=None) -> str:
    text = str(REASON_TEXT.get(reason, reason))
    suggestion = fix_text(fix_kind, fix_value) if fix_kind else ""
    return f"{text} {suggestion}".strip()
