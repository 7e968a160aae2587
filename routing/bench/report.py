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


def gap_percent(distance: float, best_known: float) -> float:
    """Positive when the plan is longer than the best known; negative gaps happen on VRPTW with more vehicles."""
    return 100.0 * (distance - best_known) / best_known


def columns(with_baseline: bool) -> tuple[str, ...]:
    return COLUMNS + BASELINE_COLUMNS if with_baseline else COLUMNS


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


def cells(row: Row, with_baseline: bool) -> list[str]:
    """One row as text, in the order of columns(); blank where a value does not apply."""
    vehicles, distance, gap, feasible, seconds = _solver_cells(row, row.ours)
    bks_vehicles = str(row.bks.vehicles) if row.bks else ""
    bks_distance = f"{row.bks.distance:.2f}" if row.bks else ""
    values = [row.name, row.kind, str(row.customers), str(row.fleet), vehicles, distance]
    values += [bks_vehicles, bks_distance, gap, feasible, seconds]
    if with_baseline:
        base = row.baseline
        if base is None:
            values += [""] * len(BASELINE_COLUMNS)
        else:
            ratio = row.ours.distance / base.distance if row.ours.feasible and base.feasible else None
            values += [*_solver_cells(row, base), _number(ratio, 3)]
    return values


def _solver_cells(row: Row, outcome: Outcome) -> list[str]:
    return [
        str(outcome.vehicles),
        f"{outcome.distance:.2f}",
        _number(_gap(row, outcome), 2),
        "yes" if outcome.feasible else "no",
        f"{outcome.seconds:.1f}",
    ]


def summary(rows: Sequence[Row], with_baseline: bool) -> list[str]:
    """Mean gaps over the rows each solver got feasible, and over the rows both did, which compare like with like."""
    lines = [_mean_line("ours", [_gap(r, r.ours) for r in rows])]
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


def _mean_line(label: str, gaps: list[float | None]) -> str:
    known = [g for g in gaps if g is not None]
    if not known:
        return f"mean gap ({label}): no feasible row with a best-known solution"
    return f"mean gap ({label}) over {len(known)} feasible row(s): {mean(known):.2f}%"


def text_table(rows: Sequence[Row], with_baseline: bool) -> str:
    header = columns(with_baseline)
    body = [cells(row, with_baseline) for row in rows]
    widths = [max(len(line[i]) for line in [list(header), *body]) for i in range(len(header))]
    # Names and kinds read best left-aligned, numbers right-aligned.
    lines = [
        "  ".join(
            value.ljust(w) if i < 2 else value.rjust(w) for i, (value, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in [list(header), *body]
    ]
    return "\n".join([*lines, "", *summary(rows, with_baseline)]) + "\n"


def write_csv(path: Path, rows: Sequence[Row], with_baseline: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns(with_baseline))
        writer.writerows(cells(row, with_baseline) for row in rows)


def write_markdown(path: Path, rows: Sequence[Row], with_baseline: bool, *, command: str, date: str) -> None:
    header = columns(with_baseline)
    lines = [
        "# Routing benchmark",
        "",
        f"Command: `{command}`  ",
        f"Date: {date}",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" if i < 2 else "---:" for i in range(len(header))) + " |",
        *("| " + " | ".join(cells(row, with_baseline)) + " |" for row in rows),
        "",
        *(f"- {line}" for line in summary(rows, with_baseline)),
    ]
    notes = [(row.name, label, outcome.note) for row in rows for label, outcome in _labelled(row) if outcome.note]
    if notes:
        lines.extend(["", "Infeasible rows:", "", *(f"- {name} ({label}): {note}" for name, label, note in notes)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _labelled(row: Row) -> list[tuple[str, Outcome]]:
    return [("ours", row.ours)] + ([("baseline", row.baseline)] if row.baseline else [])
