"""Problems, plans and search options as plain JSON values, so a part of a large day can travel through a broker or
a database column to a worker on another machine and its plan come back.

JSON rather than pickle: a worker never unpickles what a broker hands it. Every function here is the inverse of
its partner: `problem_from_dict(problem_to_dict(p)) == p`."""

from dataclasses import asdict, fields
from enum import Enum
from typing import Any, get_type_hints

from routing.solver.model import (
    Break,
    Depot,
    Fix,
    FixKind,
    Plan,
    Problem,
    Route,
    Stop,
    TimeWindow,
    Unassigned,
    Vehicle,
    Visit,
)
from routing.solver.solve import SearchOptions


def _scalar(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a {type(value).__name__} field has no JSON form yet: add it to routing.solver.serial")


def _more(obj: object, written: dict[str, Any]) -> dict[str, Any]:
    """`written` plus every other field of `obj`: fields the model gains later travel as plain values."""
    return {**written, **{f.name: _scalar(getattr(obj, f.name)) for f in fields(obj) if f.name not in written}}


def _more_from(cls: type, value: dict[str, Any], read: set[str]) -> dict[str, Any]:
    """The fields of `cls` in `value` that `read` does not cover, with enums made enums again."""
    hints = get_type_hints(cls)
    more = {}
    for f in fields(cls):
        if f.name in read or f.name not in value:
            continue
        kind, item = hints[f.name], value[f.name]
        more[f.name] = kind(item) if isinstance(kind, type) and issubclass(kind, Enum) and item is not None else item
    return more


def _window(window: TimeWindow) -> list[int]:
    return [window.start, window.end]


def _window_from(value: list[int]) -> TimeWindow:
    return TimeWindow(value[0], value[1])


def _vehicle(v: Vehicle) -> dict[str, Any]:
    rest = None if v.rest is None else {"window": _window(v.rest.window), "duration": v.rest.duration}
    return _more(
        v,
        {"id": v.id, "capacity": list(v.capacity), "shift": _window(v.shift), "skills": sorted(v.skills), "rest": rest},
    )


def _vehicle_from(v: dict[str, Any]) -> Vehicle:
    rest = None if v["rest"] is None else Break(_window_from(v["rest"]["window"]), v["rest"]["duration"])
    return Vehicle(
        id=v["id"],
        capacity=tuple(v["capacity"]),
        shift=_window_from(v["shift"]),
        skills=frozenset(v["skills"]),
        rest=rest,
        **_more_from(Vehicle, v, {"id", "capacity", "shift", "skills", "rest"}),
    )


def _stop(s: Stop) -> dict[str, Any]:
    return _more(
        s,
        {
            "id": s.id,
            "demand": list(s.demand),
            "window": _window(s.window),
            "more_windows": [_window(w) for w in s.more_windows],
            "skills": sorted(s.skills),
        },
    )


def _stop_from(s: dict[str, Any]) -> Stop:
    return Stop(
        id=s["id"],
        demand=tuple(s["demand"]),
        window=_window_from(s["window"]),
        more_windows=tuple(_window_from(w) for w in s["more_windows"]),
        skills=frozenset(s["skills"]),
        **_more_from(Stop, s, {"id", "demand", "window", "more_windows", "skills"}),
    )


PROBLEM_READ = {"depots", "vehicles", "stops", "distance", "duration", "pairs"}


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    return _more(
        problem,
        {
            "depots": [d.id for d in problem.depots],
            "vehicles": [_vehicle(v) for v in problem.vehicles],
            "stops": [_stop(s) for s in problem.stops],
            "distance": [list(row) for row in problem.distance],
            "duration": [list(row) for row in problem.duration],
            "pairs": [list(pair) for pair in problem.pairs],
        },
    )


def problem_from_dict(value: dict[str, Any]) -> Problem:
    return Problem(
        depots=tuple(Depot(depot_id) for depot_id in value["depots"]),
        vehicles=tuple(_vehicle_from(v) for v in value["vehicles"]),
        stops=tuple(_stop_from(s) for s in value["stops"]),
        distance=tuple(tuple(row) for row in value["distance"]),
        duration=tuple(tuple(row) for row in value["duration"]),
        pairs=tuple((pickup, delivery) for pickup, delivery in value["pairs"]),
        **_more_from(Problem, value, PROBLEM_READ),
    )


def _route(r: Route) -> dict[str, Any]:
    visits = [[v.stop_id, v.arrival, v.departure] for v in r.visits]
    return _more(r, {"visits": visits, "load": list(r.load)})


def _route_from(r: dict[str, Any]) -> Route:
    return Route(
        visits=tuple(Visit(stop_id, arrival, departure) for stop_id, arrival, departure in r["visits"]),
        load=tuple(r["load"]),
        **_more_from(Route, r, {"visits", "load"}),
    )


def _unassigned(u: Unassigned) -> dict[str, Any]:
    # Tuples go out as lists (a capacity, a set of skills); numbers and ids as they are.
    fix = None
    if u.fix is not None:
        value = list(u.fix.value) if isinstance(u.fix.value, tuple) else _scalar(u.fix.value)
        fix = {"kind": u.fix.kind.value, "value": value}
    return _more(u, {"fix": fix})


def _unassigned_from(u: dict[str, Any]) -> Unassigned:
    fix = u["fix"]
    if fix is not None:
        fix = Fix(FixKind(fix["kind"]), tuple(fix["value"]) if isinstance(fix["value"], list) else fix["value"])
    return Unassigned(fix=fix, **_more_from(Unassigned, u, {"fix"}))


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return _more(
        plan, {"routes": [_route(r) for r in plan.routes], "unassigned": [_unassigned(u) for u in plan.unassigned]}
    )


def plan_from_dict(value: dict[str, Any]) -> Plan:
    return Plan(
        routes=tuple(_route_from(r) for r in value["routes"]),
        unassigned=tuple(_unassigned_from(u) for u in value["unassigned"]),
        **_more_from(Plan, value, {"routes", "unassigned"}),
    )


def options_to_dict(options: SearchOptions) -> dict[str, Any]:
    # Every field, whatever the search gains: they are plain numbers and names.
    return asdict(options)


def options_from_dict(value: dict[str, Any]) -> SearchOptions:
    return SearchOptions(**value)
