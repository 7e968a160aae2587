"""Read Solomon / Gehring–Homberger (.txt) and CVRPLIB (.vrp) instances into one plain shape."""

import math
import re
from dataclasses import dataclass
from pathlib import Path

import vrplib

SUFFIXES = {".txt": "vrptw", ".vrp": "cvrp"}


class InstanceError(Exception):
    """An instance path or file the harness cannot use; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Instance:
    """Node 0 is the depot. `distance` is in the instance's own units, as the benchmark scores it."""

    name: str
    kind: str  # "vrptw" or "cvrp"
    vehicles: int
    capacity: int
    demand: tuple[int, ...]
    ready: tuple[int, ...]  # window start per node; CVRP has none, so 0
    due: tuple[int, ...]  # window end per node; CVRP has none, so 0
    service: tuple[int, ...]
    distance: tuple[tuple[float, ...], ...]

    @property
    def customers(self) -> int:
        return len(self.demand) - 1


def instance_paths(paths: list[Path]) -> list[Path]:
    """Expand directories to the instance files inside them, refusing what the harness cannot read."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUFFIXES)
            if not inside:
                raise InstanceError(f"{path}: no .txt or .vrp instance files in this directory")
            found.extend(inside)
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise InstanceError(f"{path}: unknown extension {path.suffix!r}; expected .txt (Solomon) or .vrp")
            found.append(path)
        else:
            raise InstanceError(f"{path}: no such file or directory")
    return found


def read_instance(path: Path) -> Instance:
    """Read one instance; the benchmark name is the file name without its extension, as in bks.csv."""
    kind = SUFFIXES.get(path.suffix)
    if kind is None:
        raise InstanceError(f"{path}: unknown extension {path.suffix!r}; expected .txt (Solomon) or .vrp")
    try:
        if kind == "vrptw":
            return _read_solomon(path)
        return _read_cvrplib(path)
    except InstanceError:
        raise
    except (OSError, ValueError, RuntimeError, KeyError, IndexError) as error:
        # vrplib reports format problems with bare RuntimeError/ValueError; name the file so a run of many says which.
        raise InstanceError(f"{path}: cannot read as {kind} instance ({error})") from error


def _read_solomon(path: Path) -> Instance:
    data = vrplib.read_instance(path, instance_format="solomon")
    windows = data["time_window"].tolist()
    # Travel time equals the Euclidean distance, kept in double precision: the VRPTW BKS are computed that way.
    return Instance(
        name=path.stem,
        kind="vrptw",
        vehicles=int(data["vehicles"]),
        capacity=int(data["capacity"]),
        demand=tuple(int(d) for d in data["demand"].tolist()),
        ready=tuple(int(w[0]) for w in windows),
        due=tuple(int(w[1]) for w in windows),
        service=tuple(int(s) for s in data["service_time"].tolist()),
        distance=tuple(tuple(row) for row in data["edge_weight"].tolist()),
    )


def _read_cvrplib(path: Path) -> Instance:
    data = vrplib.read_instance(path)
    if "capacity" not in data or "demand" not in data or "edge_weight" not in data:
        raise InstanceError(f"{path}: not a CVRP instance (needs CAPACITY, DEMAND_SECTION and coordinates or weights)")
    depots = data.get("depot")
    if depots is not None and list(depots.tolist()) != [0]:
        raise InstanceError(f"{path}: only a single depot at node 1 is supported, found {depots.tolist()}")
    demand = tuple(int(d) for d in data["demand"].tolist())
    # CVRPLIB scores with nint(distance) per arc; floor(x + 0.5) is nint, unlike Python's round-half-even.
    distance = tuple(tuple(float(math.floor(d + 0.5)) for d in row) for row in data["edge_weight"].tolist())
    nodes = len(demand)
    return Instance(
        name=path.stem,
        kind="cvrp",
        vehicles=cvrp_fleet(path.stem, nodes - 1),
        capacity=int(data["capacity"]),
        demand=demand,
        ready=(0,) * nodes,
        due=(0,) * nodes,
        service=(0,) * nodes,
        distance=distance,
    )


def cvrp_fleet(name: str, customers: int) -> int:
    """Vehicles to offer on a CVRP: the k in the name is the minimum; the best solutions often need a few more."""
    match = re.search(r"-k(\d+)", name)
    if match is None:
        return customers  # one vehicle per customer can always serve every demand that fits in a vehicle
    minimum = int(match.group(1))
    return min(customers, minimum + max(3, math.ceil(minimum * 0.2)))
