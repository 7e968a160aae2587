"""A city-sized planning day, generated from a seed: for tests and benchmarks at the scale of a mid-size city."""

import random

from routing.solver.distances import road_matrices
from routing.solver.model import Depot, Location, Priority, Problem, Stop, TimeWindow, Vehicle

H = 3600
# Around Zaragoza's centre: a real city's extent, made-up addresses.
CITY_BOX = (41.60, 41.70, -0.95, -0.82)


def city_day(*, stops: int = 2000, vehicles: int = 60, depots: int = 3, seed: int = 7) -> tuple[Problem, list]:
    """Return the problem and the locations (depots first), so callers can draw or decompose it."""
    rng = random.Random(seed)
    south, north, west, east = CITY_BOX
    depot_points = [
        Location(south + (north - south) * f, west + (east - west) * g)
        for f, g in [(0.3, 0.2), (0.7, 0.5), (0.35, 0.8), (0.5, 0.5)][:depots]
    ]
    stop_points = [Location(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(stops)]
    distance, duration = road_matrices(depot_points + stop_points)
    windows = [TimeWindow(9 * H, 15 * H)] * 6 + [TimeWindow(9 * H, 11 * H), TimeWindow(11 * H, 13 * H)]
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
        ),
        distance=distance,
        duration=duration,
    )
    return problem, depot_points + stop_points
