"""The routing core. Imports no Django: plain dataclasses in, a plan out."""

from routing.solver.check import plan_violations
from routing.solver.model import (
    Location,
    Plan,
    Priority,
    Problem,
    Route,
    Stop,
    TimeWindow,
    Unassigned,
    UnassignedReason,
    Vehicle,
    Visit,
)
from routing.solver.solve import solve

__all__ = [
    "Location",
    "Plan",
    "Priority",
    "Problem",
    "Route",
    "Stop",
    "TimeWindow",
    "Unassigned",
    "UnassignedReason",
    "Vehicle",
    "Visit",
    "plan_violations",
    "solve",
]
