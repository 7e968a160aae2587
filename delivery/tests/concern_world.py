"""For the welfare-concern tests: a stop placed in a zone."""

from requests_intake.tests.factories import ZoneFactory


def _in_zone(stop, *workers):
    """Put the stop's household in a new zone worked by `workers`."""
    zone = ZoneFactory()
    household = stop.order.household
    household.zone = zone
    household.save()
    zone.social_workers.add(*workers)
    return zone
