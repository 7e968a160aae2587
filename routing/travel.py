"""Travel distances and times for planning: an OSRM server when one is configured, the offline estimate otherwise.

If the OSRM server fails (down, slow, refusing the query, no road between two points), planning goes on with
the offline estimate and a warning is logged: a road server being down must not stop the day's rounds.
"""

import hashlib
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache

from routing.osrm import Matrix, TravelTimeUnavailable, osrm_table
from routing.solver.distances import road_matrices
from routing.solver.model import Location

logger = logging.getLogger(__name__)


def travel_matrices(locations: Sequence[Location]) -> tuple[Matrix, Matrix]:
    """Return (metres, seconds) between every pair of locations, from OSRM when configured, never failing for it."""
    if not settings.OSRM_URL:
        return _offline(locations)
    key = _cache_key(f"osrm {settings.OSRM_URL}", locations)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        matrices = osrm_table(settings.OSRM_URL, locations, timeout=settings.OSRM_TIMEOUT_S)
    except TravelTimeUnavailable as exc:
        logger.warning("%s; planning with the offline estimate (straight line × road factor) instead", exc)
        return _offline(locations)
    # Only the server's answers are cached: a fallback is not, so the next plan asks the server again.
    cache.set(key, matrices, settings.ROUTING_MATRIX_CACHE_S)
    return matrices


def _offline(locations: Sequence[Location]) -> tuple[Matrix, Matrix]:
    # Not cached: computing the estimate is local and cheap, and its inputs live in settings.
    return road_matrices(
        list(locations), road_factor=settings.ROUTING_ROAD_FACTOR, speed_kmh=settings.ROUTING_SPEED_KMH
    )


def _cache_key(provider: str, locations: Sequence[Location]) -> str:
    # Five decimals is about a metre: closer points are the same place to a road network.
    points = ";".join(f"{p.latitude:.5f},{p.longitude:.5f}" for p in locations)
    digest = hashlib.sha256(f"{provider}|{points}".encode()).hexdigest()
    return f"routing:matrix:{digest}"
