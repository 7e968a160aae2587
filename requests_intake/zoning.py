"""Which zone a household belongs to: inside a zone's drawn boundary first, else by its postcode."""

from decimal import Decimal

from requests_intake.models import Zone


def point_in_polygon(latitude: float, longitude: float, polygon: list) -> bool:
    """Ray casting: count how many edges a ray going east from the point crosses; odd means inside."""
    inside = False
    for (lat1, lon1), (lat2, lon2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (lat1 > latitude) != (lat2 > latitude):
            crossing = lon1 + (latitude - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if longitude < crossing:
                inside = not inside
    return inside


def zone_for(*, postcode: str = "", latitude: Decimal | None = None, longitude: Decimal | None = None) -> Zone | None:
    zones = list(Zone.objects.all())
    if latitude is not None and longitude is not None:
        for zone in zones:
            if len(zone.polygon) >= 3 and point_in_polygon(float(latitude), float(longitude), zone.polygon):
                return zone
    postcode = (postcode or "").strip()
    for zone in zones:
        if postcode and postcode in zone.postcode_list:
            return zone
    return None
