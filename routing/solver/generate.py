"""A city-sized planning day, generated from a seed: for tests and benchmarks at the scale of a mid-size city."""

import random

from routing.solver.distances import road_matrices
from routing.solver.model import Depot, Location, Priority, Problem, Stop, TimeWindow, Vehicle

H = 3600
# Around Zaragoza's centre: a real city's extent, made-up addresses.
CITY_BOX = (41.60, 41.70, -0.95, -0.82)


# Pharmacy runs: a few pharmacies across the city, open in the morning (after the vans leave) and again in the
# afternoon; a medication bag weighs little and takes little room.
PHARMACIES = 5
PHARMACY_HOURS = (TimeWindow(9 * H + 1800, 13 * H + 1800), TimeWindow(10 * H, 14 * H))
PHARMACY_SERVICE = 300  # the pharmacist hands the bag over and signs


def city_day(
    *, stops: int = 2000, vehicles: int = 60, depots: int = 3, seed: int = 7, pairs: int = 0
) -> tuple[Problem, list]:
    """Return the problem and the locations (depots first), so callers can draw or decompose it.

    `pairs` pharmacy runs come on top of the `stops` deliveries: each is a pickup at one of PHARMACIES pharmacies,
    within its opening hours, and a delivery to a home later the same day on the same van (`Problem.pairs`). They
    are drawn after everything else, from their own random stream, so the day without them stays the same."""
    rng = random.Random(seed)
    south, north, west, east = CITY_BOX
    depot_points = [
        Location(south + (north - south) * f, west + (east - west) * g)
        for f, g in [(0.3, 0.2), (0.7, 0.5), (0.35, 0.8), (0.5, 0.5)][:depots]
    ]
    stop_points = [Location(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(stops)]
    windows = [TimeWindow(9 * H, 15 * H)] * 6 + [TimeWindow(9 * H, 11 * H), TimeWindow(11 * H, 13 * H)]
    runs = _pharmacy_runs(random.Random(seed * 1000 + 1), pairs)
    distance, duration = road_matrices(depot_points + stop_points + [point for _stop, point in runs])
    problem = Problem(
        depots=tuple(Depot(f"depot-{d}") for d in range(depots)),
        vehicles=tuple(
            Vehicle(
                id=f"van-{v:02d}",
                capacity=(500_000, 400_000),  # 500 kg, 4,000 l
                shift=TimeWindow(8 * H, 16 * H),
                start_depot=v % depots,
            )
            for v in range(vehicles)
        ),
        stops=tuple(
            Stop(
                id=f"s{i:04d}",
                demand=(rng.randint(6_000, 18_000), rng.randint(1_000, 4_000)),  # a pack or two
                window=rng.choice(windows),
                service_time=240,
                priority=Priority.URGENT if rng.random() < 0.05 else Priority.NORMAL,
            )
            for i in range(stops)
        )
        + tuple(stop for stop, _point in runs),
        distance=distance,
        duration=duration,
        pairs=tuple((runs[k][0].id, runs[k + 1][0].id) for k in range(0, len(runs), 2)),
    )
    return problem, depot_points + stop_points + [point for _stop, point in runs]


def _pharmacy_runs(rng: random.Random, pairs: int) -> list[tuple[Stop, Location]]:
    """Pickup, delivery, pickup, delivery...: each pickup at a pharmacy in its opening hours, each delivery at a
    home in the hours a household is usually in (until 15:00, so the van can still bring it after the pickup)."""
    south, north, west, east = CITY_BOX
    pharmacies = [
        (Location(rng.uniform(south, north), rng.uniform(west, east)), PHARMACY_HOURS[k % len(PHARMACY_HOURS)])
        for k in range(PHARMACIES)
    ]
    runs: list[tuple[Stop, Location]] = []
    for k in range(pairs):
        place, hours = pharmacies[rng.randrange(PHARMACIES)]
        bag = (rng.randint(200, 1_500), rng.randint(50, 300))  # grams, tens of cm³
        home = Location(rng.uniform(south, north), rng.uniform(west, east))
        runs.append((Stop(id=f"p{k:03d}-pickup", demand=bag, window=hours, service_time=PHARMACY_SERVICE), place))
        runs.append(
            (Stop(id=f"p{k:03d}-home", demand=(0, 0), window=TimeWindow(hours.start, 15 * H), service_time=240), home)
        )
    return runs
