"""Placing a household on the map by hand, when its street is not in the street table.

The geocoder never guesses (routing.geocoding): an unknown street leaves the household without a point, and its
deliveries cannot be planned. A person who knows the place puts the pin where the door is; the point then plans
like any other, and the zone follows it."""

import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.models import Warehouse
from requests_intake.households import household_update
from requests_intake.models import Household

# A door further than this from every depot is a slip of the hand (a swapped sign, a point in the sea off Africa).
FARTHEST_FROM_A_DEPOT_KM = 60
_TWO_NUMBERS = re.compile(r"^\s*(-?\d{1,3}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


def point_parse(text: str) -> tuple[Decimal, Decimal]:
    """The two numbers a map app shows for a place ("37.6050, -0.9850"), north first; refused with a reason."""
    match = _TWO_NUMBERS.match(text or "")
    if match is None:
        raise ValidationError(
            _("Give the point as two numbers, north then east, as a map app shows them: 37.6050, -0.9850."),
            code="point_unreadable",
        )
    try:
        north, east = (Decimal(part.replace(",", ".")) for part in match.groups())
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(_("The point is not two numbers."), code="point_unreadable") from exc
    if not (-90 <= north <= 90 and -180 <= east <= 180):
        raise ValidationError(
            _("%(north)s, %(east)s is not a place on Earth: the first number goes up to 90, the second to 180.")
            % {"north": north, "east": east},
            code="point_off_earth",
        )
    return north.quantize(Decimal("0.000001")), east.quantize(Decimal("0.000001"))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def point_check_near_a_depot(latitude: Decimal, longitude: Decimal) -> None:
    """Refuse a point far from every depot: a slip of the hand, not a place the service reaches."""
    depots = [(float(w.latitude), float(w.longitude)) for w in Warehouse.objects.all()]
    here = (float(latitude), float(longitude))
    if depots and min(_km(here, depot) for depot in depots) > FARTHEST_FROM_A_DEPOT_KM:
        raise ValidationError(
            _(
                "%(north)s, %(east)s is more than %(km)s km from every depot: check the numbers (north first, and "
                "the minus sign) and try again; nothing was saved."
            )
            % {"north": latitude, "east": longitude, "km": FARTHEST_FROM_A_DEPOT_KM},
            code="point_far_from_depots",
        )


@transaction.atomic
def household_place(*, actor, household: Household, latitude: Decimal, longitude: Decimal) -> Household:
    """Put the household's pin where its door is; refused when the point is far from every depot."""
    point_check_near_a_depot(latitude, longitude)
    return household_update(actor=actor, household=household, latitude=latitude, longitude=longitude)
