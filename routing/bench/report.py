"""The results table: printed for the terminal, written as CSV and as Markdown."""

import csv
from collections.abc import Sequence
from pathlib import Path
from statistics import mean

from routing.bench.run import Outcome, Row

COLUMNS = (
    "name",
    "kind",
    "n",
    "fleet",
    "vehicles",
    "distance",
    "bks_vehicles",
    "bks_distance",
    "gap_pct",
    "feasible",
    "seconds",
)
BASELINE_COLUMNS = ("base_vehicles", "base_distance", "base_gap_pct", "base_feasible", "base_seconds", "ratio")
PYVRP_COLUMNS = ("pyvrp_vehicles", "pyvrp_distance", "pyvrp_gap_pct", "pyvrp_feasible", "pyvrp_seconds", "pyvrp_ratio")
# Families for the per-family mean of our distance over PyVRP alone's, by the kind bks.csv gives.
FAMILIES = {"vrptw-solomon": "Solomon", "vrptw-gh": "Gehring-Homberger", "cvrp-x": "CVRPLIB X"}


def gap_percent(distance: float, best_known: float) -> float:
    """Positive when the plan is longer than the best known; negative gaps happen on VRPTW with more vehicles."""
    return 100.0 * (distance - best_known) / best_known


def columns(with_baseline: bool, with_pyvrp: bool = False) -> tuple[str, ...]:
    return COLUMNS + ("engine",) + (BASELINE_COLUMNS if with_baseline else ()) + (PYVRP_COLUMNS if with_pyvrp else ())


def ratio(ours: Outcome, other: Outcome | None) -> float | None:
    """Our distance over the other solver's, where both plans are feasible."""
    if other is None or not (ours.feasible and other.feasible) or not other.distance:
        return None
    return ours.distance / other.distance


def _gap(row: Row, outcome: Outcome) -> float | None:
    # A gap on a plan that leaves stops out or breaks a rule would flatter it, so it has none.
    if row.bks is None or not outcome.feasible:
        return None
    return gap_percent(outcome.distance, row.bks.distance)


def _number(value: float | None, decimals: int) -> str:
    if value is None:
        return ""
    # Round first, then add 0.0: a gap of -0.0004 % (a BKS itself rounded to 2 decimals) prints 0.00, not -0.00.
    return f"{round(value, decimals) + 0.0:.{decimals}f}"


def cells(row: Row, with_baseline: bool, with_pyvrp: bool = False) -> list[str]:
    """One row as text, in the order of columns(); blank where a value does not apply."""
    vehicles, distance, gap, feasible, seconds = _solver_cells(row, row.ours)
    bks_vehicles = str(row.bks.vehicles) if row.bks else ""
    bks_distance = f"{row.bks.distance:.2f}" if row.bks else ""
    values = [row.name, row.kind, str(row.customers), str(row.fleet), vehicles, distance]
    values += [bks_vehicles, bks_distance, gap, feasible, seconds, row.ours.engine]
    for wanted, other, width in ((with_baseline, row.baseline, 6), (with_pyvrp, row.pyvrp, 6)):
        if not wanted:
            continue
        if other is None:
            values += [""] * width
        else:
            values += [*_solver_cells(row, other), _number(ratio(row.ours, other), 3)]
    return values


def _solver_cells(row: Row, outcome: Outcome) -> list[str]:
    return [
        str(outcome.vehicles),
        f"{outcome.distance:.2f}",
        _number(_gap(row, outcome), 2),
        "yes" if outcome.feasible else "no",
        f"{outcome.seconds:.1f}",
    ]


def summary(rows: Sequence[Row], with_baseline: bool, with_pyvrp: bool = False) -> list[str]:
    """Mean gaps over the rows each solver got feasible, and over the rows both did, which compare like with like;
    with PyVRP alone, the mean ratio of our distance to its distance per family and the worst instance."""
    lines = [_mean_line("ours", [_gap(r, r.ours) for r in rows])]
    lines += _vans_lines(rows)
    if with_pyvrp:
        lines += _pyvrp_lines(rows)
    if with_baseline:
        pairs = [(r, r.baseline) for r in rows if r.baseline is not None]
        lines.append(_mean_line("baseline", [_gap(r, b) for r, b in pairs]))
        both = [(r, b) for r, b in pairs if _gap(r, r.ours) is not None and _gap(r, b) is not None]
        if both:
            ours = mean(_gap(r, r.ours) for r, _ in both)
            theirs = mean(_gap(r, b) for r, b in both)
            lines.append(
                f"mean gap over the {len(both)} row(s) both feasible: ours {ours:.2f}%, baseline {theirs:.2f}%"
            )
    return lines


def _vans_lines(rows: Sequence[Row]) -> list[str]:
    """Per VRPTW family: on how many rows our plan uses the best known number of vans, and the worst excess."""
    lines = []
    for kind, family in FAMILIES.items():
        known = [r for r in rows if r.kind == kind and r.bks is not None and r.ours.feasible]
        if not known or not kind.startswith("vrptw"):
            continue
        hits = sum(1 for r in known if r.ours.vehicles <= r.bks.vehicles)
        excess = [(100.0 * (r.ours.vehicles - r.bks.vehicles) / r.bks.vehicles, r.name) for r in known]
        worst = max(excess)
        lines.append(
            f"{family}: best known vans on {hits} of {len(known)} row(s); most vans over best known "
            f"{worst[0]:+.1f}% ({worst[1]})"
        )
    return lines


def _pyvrp_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    for kind, family in FAMILIES.items():
        ratios = [(r.name, ratio(r.ours, r.pyvrp)) for r in rows if r.kind == kind]
        known = [(name, value) for name, value in ratios if value is not None]
        if not ratios:
            continue
        if not known:
            lines.append(f"{family}: no row where both we and PyVRP alone are feasible")
            continue
        worst = max(known, key=lambda item: item[1])
        lines.append(
            f"{family}: mean distance ours/PyVRP alone {mean(v for _n, v in known):.3f} over {len(known)} of "
            f"{len(ratios)} row(s), worst {worst[1]:.3f} ({worst[0]})"
        )
    return lines


def _mean_line(label: str, gaps: list[float | None]) -> str:
    known = [g for g in gaps if g is not None]
    if not known:
        return f"mean gap ({label}): no feasible row with a best-known solution"
    return f"mean gap ({label}) over {len(known)} feasible row(s): {mean(known):.2f}%"


def text_table(rows: Sequence[Row], with_baseline: bool, with_pyvrp: bool = False) -> str:
    header = columns(with_baseline, with_pyvrp)
    body = [cells(row, with_baseline, with_pyvrp) for row in rows]
    widths = [max(len(line[i]) for line in [list(header), *body]) for i in range(len(header))]
    # Names and kinds read best left-aligned, numbers right-aligned.
    lines = [
        "  ".join(
            value.ljust(w) if i < 2 else value.rjust(w) for i, (value, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in [list(header), *body]
    ]
    return "\n".join([*lines, "", *summary(rows, with_baseline, with_pyvrp)]) + "\n"


def write_csv(path: Path, rows: Sequence[Row], with_baseline: bool, with_pyvrp: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns(with_baseline, with_pyvrp))
        writer.writerows(cells(row, with_baseline, with_pyvrp) for row in rows)


def write_markdown(
    path: Path,
    rows: Sequence[Row],
    with_baseline: bool,
    *,
    command: str,
    date: str,
    with_pyvrp: bool = False,
    notes: Sequence[str] = (),
) -> None:
    header = columns(with_baseline, with_pyvrp)
    lines = [
        "# Routing benchmark",
        "",
        f"Command: `{command}`  ",
        f"Date: {date}",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" if i < 2 else "---:" for i in range(len(header))) + " |",
        *("| " + " | ".join(cells(row, with_baseline, with_pyvrp)) + " |" for row in rows),
        "",
        *(f"- {line}" for line in summary(rows, with_baseline, with_pyvrp)),
        *(f"- {note}" for note in notes),
    ]
    won = [f"- {row.name}: {row.ours.engine_note}" for row in rows if row.ours.engine_note]
    if won:
        lines.extend(["", "Which engine (or which of its searches) made our plan:", "", *won])
    bad = [(row.name, label, outcome.note) for row in rows for label, outcome in _labelled(row) if outcome.note]
    if bad:
        lines.extend(["", "Infeasible rows:", "", *(f"- {name} ({label}): {note}" for name, label, note in bad)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _labelled(row: Row) -> list[tuple[str, Outcome]]:
    others = [("baseline", row.baseline), ("pyvrp alone", row.pyvrp)]
    return [("ours", row.ours)] + [(label, outcome) for label, outcome in others if outcome is not None]
