"""Printed paperwork for a round: the route sheet the driver carries and the loading list for the depot."""

import io
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from inventory.models import Pack
from inventory.selectors import pack_sizes
from routing.models import PlanningRun, Round
from routing.selectors import round_for_manifest

_STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=8.5, leading=10.5)
TITLE = _STYLES["Title"]
HEADER = ParagraphStyle("header", parent=_STYLES["BodyText"], fontSize=10, leading=13)

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ]
)


def _p(text: str) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), CELL)


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _packs(order) -> str:
    return "\n".join(f"{line.quantity} × {line.pack.name}" for line in order.lines.all())


def _header(round_: Round, title: str) -> list:
    driver = round_.driver.get_full_name() or round_.driver.username if round_.driver else _("unassigned")
    facts = [
        _("Date: %(date)s") % {"date": date_format(round_.date, "DATE_FORMAT")},
        _("Vehicle: %(vehicle)s") % {"vehicle": f"{round_.vehicle.name} ({round_.vehicle.plate})"},
        _("Driver: %(driver)s") % {"driver": driver},
        _("Depot: %(depot)s — leaves at %(time)s") % {"depot": round_.depot.name, "time": _time(round_.start_at)},
        _("%(stops)s stops, %(km)s km") % {"stops": len(round_.stops.all()), "km": round_.distance_km},
    ]
    return [
        Paragraph(escape(title), TITLE),
        *[Paragraph(escape(f), HEADER) for f in facts],
        Spacer(1, 4 * mm),
    ]


def _footer(round_: Round) -> str:
    return f"{round_.vehicle.name} ({round_.vehicle.plate}) · {date_format(round_.date, 'SHORT_DATE_FORMAT')}"


def _build(story: list, *, pagesize, footer: str) -> bytes:
    """Lay out the story; every page carries the round and its page number, so loose sheets find their van."""

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        text = _("%(round)s · page %(page)s") % {"round": footer, "page": doc.page}
        canvas.drawRightString(pagesize[0] - 12 * mm, 7 * mm, text)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title="Reparto",
        author="Reparto",
    )
    doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def route_sheet_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    """One row per stop in delivery order, with what the driver needs at the door and a box to sign."""
    with translation.override(language):
        rows = [
            [
                _p(h)
                for h in (
                    "#",
                    _("Arrival"),
                    _("Name"),
                    _("Address"),
                    _("Phone"),
                    _("Packs"),
                    _("Notes"),
                    _("Signature"),
                )
            ]
        ]
        for stop in round_.stops.all():
            household = stop.order.household
            address = f"{household.address}\n{household.postcode} {household.municipality}".strip()
            notes = "\n".join(n for n in (household.access_notes, stop.order.notes) if n)
            rows.append(
                [
                    _p(stop.sequence),
                    _p(_time(stop.arrival_at)),
                    _p(household.full_name),
                    _p(address),
                    _p(household.phone),
                    _p(_packs(stop.order)),
                    _p(notes),
                    "",
                ]
            )
        widths = [8 * mm, 17 * mm, 38 * mm, 58 * mm, 27 * mm, 42 * mm, 43 * mm, 40 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1, rowHeights=[None] + [16 * mm] * (len(rows) - 1))
        table.setStyle(GRID)
        story = [*_header(round_, _("Route sheet")), table]
        return _build(story, pagesize=landscape(A4), footer=_footer(round_))


def loading_list_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    """Packs to load, last delivery first so the first stop's packs come out of the van first."""
    with translation.override(language):
        rows = [[_p(h) for h in (_("Load order"), _("Stop"), _("Name"), _("Packs"), _("Loaded"))]]
        totals: Counter = Counter()
        stops = list(round_.stops.all())
        for position, stop in enumerate(reversed(stops), start=1):
            for line in stop.order.lines.all():
                totals[line.pack] += line.quantity
            rows.append(
                [
                    _p(position),
                    _p(stop.sequence),
                    _p(stop.order.household.full_name),
                    _p(_packs(stop.order)),
                    "",
                ]
            )
        table = Table(rows, colWidths=[20 * mm, 15 * mm, 60 * mm, 70 * mm, 20 * mm], repeatRows=1)
        table.setStyle(GRID)
        total_rows = [[_p(_("Pack")), _p(_("Total"))]] + [
            [_p(pack.name), _p(count)] for pack, count in sorted(totals.items(), key=lambda pair: pair[0].name)
        ]
        sizes = pack_sizes(Pack.objects.filter(pk__in=[p.pk for p in totals]).prefetch_related("components__item"))
        grams = sum(sizes[pack.pk][0] * count for pack, count in totals.items())
        centilitres = sum(sizes[pack.pk][1] * count for pack, count in totals.items())
        load = _("Load: %(kg)s kg, %(litres)s l") % {"kg": round(grams / 1000, 1), "litres": round(centilitres / 100)}
        total_rows.append([_p(load), ""])
        total_table = Table(total_rows, colWidths=[100 * mm, 25 * mm])
        total_table.setStyle(GRID)
        story = [*_header(round_, _("Loading list")), table, Spacer(1, 6 * mm), total_table]
        return _build(story, pagesize=A4, footer=_footer(round_))


def manifests_write(*, run: PlanningRun) -> list[Path]:
    """Write each round's route sheet and loading list under MANIFEST_DIR/<date>/ and return the paths."""
    folder = Path(settings.MANIFEST_DIR) / run.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for round_id in run.rounds.order_by("vehicle__name").values_list("pk", flat=True):
        round_ = round_for_manifest(round_id)
        stem = f"run{run.pk}-{round_.vehicle.plate.replace(' ', '')}"
        for suffix, render in (("route", route_sheet_pdf), ("loading", loading_list_pdf)):
            path = folder / f"{stem}-{suffix}.pdf"
            path.write_bytes(render(round_))
            paths.append(path)
    return paths
