"""The routing core. Imports no Django: plain dataclasses in, a plan out."""

from routing.solver.check import plan_violations
from routing.solver.engine import solve
from routing.solver.model import (
    Break,
    Depot,
    Fix,
    FixKind,
    Location,
    Objective,
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
from routing.solver.solve import SearchOptions

__all__ = [
    "Break",
    "Depot",
    "Fix",
    "FixKind",
    "Location",
    "Objective",
    "Plan",
    "Priority",
    "Problem",
    "Route",
    "SearchOptions",
    "Stop",
    "TimeWindow",
    "Unassigned",
    "UnassignedReason",
    "Vehicle",
    "Visit",
    "plan_violations",
    "solve",
]
