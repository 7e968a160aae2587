"""Bar charts of counts as plain geometry, drawn as inline SVG by `reports/figures/_bar_chart.html`.

Server-rendered so the page needs no script and prints as it shows. Series are stacked in the order given."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe-Ito colours, told apart by most colour-blind readers.
GREEN = "#009e73"
BLUE = "#0072b2"
VERMILION = "#d55e00"

WIDTH = 900
PLOT_HEIGHT = 240
LEFT, RIGHT, TOP = 56, 16, 24
LABEL_MIN_PX = 46  # room a bar label such as "12 mar" needs, so labels never overlap
TOTAL_MIN_PX = 22  # below this bar width the totals above the bars would collide; the tooltips still have them


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    colour: str


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Bar:
    label: str
    label_x: float
    show_label: bool
    total: int
    total_y: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class LegendEntry:
    x: float
    y: float
    name: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: the SVG's title and description ids hang off it
    title: str
    y_label: str
    description: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    middle_y: float
    show_totals: bool
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    legend: tuple[LegendEntry, ...]


def nice_step(high: int, ticks: int = 5) -> int:
    """A whole tick step of 1, 2 or 5 times a power of ten, giving at most about `ticks` intervals up to `high`."""
    raw = max(high / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if m * magnitude >= raw)


def bar_chart(
    *,
    key: str,
    title: str,
    y_label: str,
    labels: Sequence[str],
    series: Sequence[Series],
    long_labels: Sequence[str] | None = None,
) -> BarChart:
    """One bar per label, the series stacked in it; `long_labels` (the same length) name the bars in tooltips."""
    if not series or any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    if any(value < 0 for s in series for value in s.values):
        raise ValueError("a bar chart of counts takes no negative values")
    long_labels = list(long_labels or labels)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    step = nice_step(max([1, *totals]))
    high = max(step, math.ceil(max([1, *totals]) / step) * step)
    plot_width = WIDTH - LEFT - RIGHT
    bottom = TOP + PLOT_HEIGHT
    slot = plot_width / max(1, len(labels))
    bar_width = slot * 0.78
    label_every = max(1, math.ceil(LABEL_MIN_PX / slot))

    def y(value: float) -> float:
        return round(bottom - value * PLOT_HEIGHT / high, 1)

    bars = []
    for index, label in enumerate(labels):
        x = round(LEFT + index * slot + (slot - bar_width) / 2, 1)
        segments, base = [], 0
        for s in series:
            value = s.values[index]
            if value:
                segments.append(
                    Segment(
                        x=x,
                        y=y(base + value),
                        width=round(bar_width, 1),
                        height=round(y(base) - y(base + value), 1),
                        colour=s.colour,
                        title=f"{long_labels[index]} · {s.name}: {value}",
                    )
                )
            base += value
        bars.append(
            Bar(
                label=label,
                label_x=round(LEFT + (index + 0.5) * slot, 1),
                show_label=index % label_every == 0,
                total=totals[index],
                total_y=y(totals[index]),
                segments=tuple(segments),
            )
        )
    legend = ()
    if len(series) > 1:
        legend = tuple(
            LegendEntry(x=LEFT + index * 220, y=bottom + 44, name=s.name, colour=s.colour)
            for index, s in enumerate(series)
        )
    return BarChart(
        key=key,
        title=title,
        y_label=y_label,
        description="; ".join(f"{long}: {total}" for long, total in zip(long_labels, totals, strict=True)),
        width=WIDTH,
        height=bottom + (64 if legend else 34),
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=bottom,
        middle_y=TOP + PLOT_HEIGHT / 2,
        show_totals=bar_width >= TOTAL_MIN_PX,
        bars=tuple(bars),
        y_ticks=tuple(Tick(y=y(value), value=value) for value in range(0, high + 1, step)),
        legend=legend,
    )
