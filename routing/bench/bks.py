"""Best-known solutions from the bks.csv kept beside the instance files."""

import csv
from dataclasses import dataclass
from pathlib import Path

from routing.bench.instances import InstanceError

BKS_FILE = "bks.csv"
BKS_COLUMNS = ("name", "kind", "n", "vehicles", "bks_distance", "source")


@dataclass(frozen=True)
class BestKnown:
    name: str
    kind: str
    vehicles: int
    distance: float


def read_bks(directory: Path) -> dict[str, BestKnown]:
    """Return the BKS by instance name; a directory without bks.csv simply has none."""
    path = directory / BKS_FILE
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in BKS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InstanceError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(BKS_COLUMNS)}")
        known: dict[str, BestKnown] = {}
        for line, row in enumerate(reader, start=2):
            try:
                known[row["name"]] = BestKnown(
                    name=row["name"],
                    kind=row["kind"],
                    vehicles=int(row["vehicles"]),
                    distance=float(row["bks_distance"]),
                )
            except ValueError as error:
                raise InstanceError(f"{path}, line {line}: {error}") from error
    return known


def bks_beside(instance_paths: list[Path]) -> dict[Path, BestKnown]:
    """Match each instance with the row named after it in the bks.csv of its own directory."""
    tables = {directory: read_bks(directory) for directory in {path.parent for path in instance_paths}}
    found = {path: tables[path.parent].get(path.stem) for path in instance_paths}
    return {path: best for path, best in found.items() if best is not None}
