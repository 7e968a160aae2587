"""Plain data for the solver: no Django, no database. Times are seconds from midnight, distances metres."""

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


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
class Vehicle:
    id: str
    capacity: tuple[int, ...]
    shift: TimeWindow


@dataclass(frozen=True)
class Stop:
    id: str
    demand: tuple[int, ...]
    window: TimeWindow
    service_time: int = 0
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class Problem:
    """Node 0 of the matrices is the depot; node i (i ≥ 1) is stops[i - 1]."""

    vehicles: tuple[Vehicle, ...]
    stops: tuple[Stop, ...]
    distance: tuple[tuple[int, ...], ...]
    duration: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        size = len(self.stops) + 1
        for name, matrix in (("distance", self.distance), ("duration", self.duration)):
            if len(matrix) != size or any(len(row) != size for row in matrix):
                raise ValueError(f"{name} matrix must be {size}×{size} (depot plus {len(self.stops)} stops)")
        dimensions = {len(v.capacity) for v in self.vehicles} | {len(s.demand) for s in self.stops}
        if len(dimensions) > 1:
            raise ValueError("every vehicle capacity and stop demand must have the same number of dimensions")
        ids = [s.id for s in self.stops]
        if len(set(ids)) != len(ids):
            raise ValueError("stop ids must be unique")


class UnassignedReason(StrEnum):
    NO_VEHICLES = "no_vehicles"
    DEMAND_ABOVE_CAPACITY = "demand_above_capacity"
    WINDOW_UNREACHABLE = "window_unreachable"
    NO_CAPACITY_TODAY = "no_capacity_today"


@dataclass(frozen=True)
class Visit:
    stop_id: str
    arrival: int
    departure: int


@dataclass(frozen=True)
class Route:
    vehicle_id: str
    visits: tuple[Visit, ...]
    start: int
    end: int
    distance: int
    load: tuple[int, ...]


@dataclass(frozen=True)
class Unassigned:
    stop_id: str
    reason: UnassignedReason


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = field(default=())

    @property
    def distance(self) -> int:
        return sum(route.distance for route in self.routes)
