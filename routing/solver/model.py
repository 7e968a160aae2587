"""Plain data for the solver: no Django, no database. Times are seconds from midnight, distances metres.

Matrix nodes: the depots first (node d is depots[d]), then the stops (node len(depots) + i is stops[i]).
"""

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Objective(StrEnum):
    """What the planner asks the search to minimise; every objective first serves as many stops as it can."""

    VANS = "vans"  # fewest vans, then distance: a van and its driver cost more than any detour
    DISTANCE = "distance"  # shortest total distance, whatever the number of vans
    BALANCED = "balanced"  # the longest round as short as possible, then total distance


class Priority(IntEnum):
    URGENT = 0
    NORMAL = 1
    LOW = 2


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class TimeWindow:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"time window {self.start}..{self.end} is empty or negative")


@dataclass(frozen=True)
class Depot:
    id: str


@dataclass(frozen=True)
class Break:
    """A pause of `duration` seconds that must start inside `window`."""

    window: TimeWindow
    duration: int


@dataclass(frozen=True)
class Vehicle:
    id: str
    capacity: tuple[int, ...]
    shift: TimeWindow
    start_depot: int = 0
    end_depot: int | None = None  # None: back where it started
    skills: frozenset[str] = frozenset()
    fixed_cost: int = 0  # paid once if the vehicle is used, in the same units as distance × distance_cost
    distance_cost: int = 1  # per metre
    rest: Break | None = None

    @property
    def return_depot(self) -> int:
        return self.start_depot if self.end_depot is None else self.end_depot


@dataclass(frozen=True)
class Stop:
    id: str
    demand: tuple[int, ...]
    window: TimeWindow
    service_time: int = 0
    priority: Priority = Priority.NORMAL
    more_windows: tuple[TimeWindow, ...] = ()  # further windows on the same day, e.g. 9–11 and 17–19
    skills: frozenset[str] = frozenset()  # every one must be on the vehicle
    locked_vehicle: str | None = None  # already promised to (or loaded on) this vehicle
    locked_position: int | None = None  # 1-based position on locked_vehicle's route

    @property
    def windows(self) -> tuple[TimeWindow, ...]:
        return tuple(sorted((self.window, *self.more_windows), key=lambda w: w.start))


@dataclass(frozen=True)
class Problem:
    vehicles: tuple[Vehicle, ...]
    stops: tuple[Stop, ...]
    distance: tuple[tuple[int, ...], ...]
    duration: tuple[tuple[int, ...], ...]
    depots: tuple[Depot, ...] = (Depot("depot"),)
    # (pickup stop id, delivery stop id): same vehicle, pickup first (medication from a pharmacy to a home).
    pairs: tuple[tuple[str, str], ...] = ()
    objective: Objective = Objective.VANS

    def __post_init__(self) -> None:
        size = len(self.depots) + len(self.stops)
        for name, matrix in (("distance", self.distance), ("duration", self.duration)):
            if len(matrix) != size or any(len(row) != size for row in matrix):
                raise ValueError(
                    f"{name} matrix must be {size}×{size} ({len(self.depots)} depots and {len(self.stops)} stops)"
                )
        dimensions = {len(v.capacity) for v in self.vehicles} | {len(s.demand) for s in self.stops}
        if len(dimensions) > 1:
            raise ValueError("every vehicle capacity and stop demand must have the same number of dimensions")
        ids = [s.id for s in self.stops]
        if len(set(ids)) != len(ids):
            raise ValueError("stop ids must be unique")
        if len({v.id for v in self.vehicles}) != len(self.vehicles):
            raise ValueError("vehicle ids must be unique")
        for vehicle in self.vehicles:
            for depot in (vehicle.start_depot, vehicle.return_depot):
                if not 0 <= depot < len(self.depots):
                    raise ValueError(f"vehicle {vehicle.id} uses depot {depot}, which does not exist")
        known, paired = set(ids), [stop_id for pair in self.pairs for stop_id in pair]
        if not known.issuperset(paired) or len(set(paired)) != len(paired):
            raise ValueError("pairs must name existing stops, each stop in at most one pair")
        for stop in self.stops:
            if stop.locked_position is not None and (stop.locked_vehicle is None or stop.locked_position < 1):
                raise ValueError(f"stop {stop.id}: a locked position needs a locked vehicle and starts at 1")

    def node(self, stop_index: int) -> int:
        return len(self.depots) + stop_index


class UnassignedReason(StrEnum):
    NO_VEHICLES = "no_vehicles"
    DEMAND_ABOVE_CAPACITY = "demand_above_capacity"
    MISSING_SKILL = "missing_skill"
    WINDOW_UNREACHABLE = "window_unreachable"
    LOCKED_VEHICLE_MISSING = "locked_vehicle_missing"
    PARTNER_UNASSIGNED = "partner_unassigned"
    NO_CAPACITY_TODAY = "no_capacity_today"


class FixKind(StrEnum):
    SPLIT_ORDER = "split_order"  # value: how many parts
    BIGGER_VEHICLE = "bigger_vehicle"  # value: the capacity needed, per dimension
    VEHICLE_WITH_SKILLS = "vehicle_with_skills"  # value: the missing skills
    WIDEN_WINDOW = "widen_window"  # value: the latest time the window must reach (seconds)
    EXTEND_SHIFT = "extend_shift"  # value: the shift end needed (seconds)
    MORE_VEHICLES = "more_vehicles"  # value: the kind of vehicle to add (a vehicle id to copy)


@dataclass(frozen=True)
class Fix:
    """The smallest change found that would let the stop be placed."""

    kind: FixKind
    value: object


@dataclass(frozen=True)
class Visit:
    stop_id: str
    arrival: int  # service starts (after any wait for the window)
    departure: int


@dataclass(frozen=True)
class Route:
    vehicle_id: str
    visits: tuple[Visit, ...]
    start: int
    end: int
    distance: int
    load: tuple[int, ...]
    break_start: int | None = None


@dataclass(frozen=True)
class Unassigned:
    stop_id: str
    reason: UnassignedReason
    fix: Fix | None = None
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = field(default=())
    engine: str = ""  # "pyvrp" or "ortools": whose plan this is
    engine_note: str = ""  # why that engine ran or won, for the planner and the benchmark log

    @property
    def distance(self) -> int:
        return sum(route.distance for route in self.routes)
