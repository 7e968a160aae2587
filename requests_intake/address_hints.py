"""What to offer when an address has no point: the known streets whose names read closest (routing.geocoding)."""

from requests_intake.models import Household
from routing.geocoding import streets_like


def streets_like_address(household: Household) -> list[str]:
    return streets_like(address=household.address, municipality=household.municipality)
