"""Offline travel estimates: great-circle distance stretched by a road factor, at an average urban speed."""

import math

from routing.solver.model import Location

EARTH_RADIUS_M = 6_371_000


def haversine_m(a: Location, b: Location) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def road_matrices(
    locations: list[Location], *, road_factor: float = 1.35, speed_kmh: float = 25.0
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]:
    """Return (metres, seconds) matrices; times round up so a plan that fits here fits on the road."""
    if road_factor < 1:
        raise ValueError("road factor must be at least 1")
    if speed_kmh <= 0:
        raise ValueError("speed must be positive")
    metres_per_second = speed_kmh * 1000 / 3600
    distance, duration = [], []
    for a in locations:
        road = [haversine_m(a, b) * road_factor for b in locations]
        distance.append(tuple(round(d) for d in road))
        duration.append(tuple(math.ceil(d / metres_per_second) for d in road))
    return tuple(distance), tuple(duration)
