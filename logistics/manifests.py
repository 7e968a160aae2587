"""Printed paperwork for a round: the route sheet the driver carries and the loading list for the depot."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from config.pdf import GRID, TITLE, cell, heading, pdf_build
from inventory.documents import assembly_list_pdf
from inventory.models import Pack, Warehouse
from inventory.selectors import pack_sizes
from routing.models import PlanningRun, Round
from routing.selectors import round_for_manifest


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _packs(order) -> str:
    return "\n".join(f"{line.quantity} × {line.pack.label}" for line in order.lines.all())


def _header(round_: Round, title: str) -> list:
    driver = round_.driver.get_full_name() or round_.driver.username if round_.driver else _("unassigned")
    facts = [
        _("Date: %(date)s") % {"date": date_format(round_.date, "DATE_FORMAT")},
        _("Vehicle: %(vehicle)s") % {"vehicle": f"{round_.vehicle.name} ({round_.vehicle.plate})"},
        _("Driver: %(driver)s") % {"driver": driver},
        _("Depot: %(depot)s — leaves at %(time)s") % {"depot": round_.depot.name, "time": _time(round_.start_at)},
        ngettext("%(stops)s stop, %(km)s km", "%(stops)s stops, %(km)s km", len(round_.stops.all()))
        % {"stops": len(round_.stops.all()), "km": number_format(round_.distance_km, 1)},
    ]
    return [
        heading(title, TITLE),
        *[heading(f) for f in facts],
        Spacer(1, 4 * mm),
    ]


def _footer(round_: Round) -> str:
    return f"{round_.vehicle.name} ({round_.vehicle.plate}) · {date_format(round_.date, 'SHORT_DATE_FORMAT')}"


def route_sheet_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    """One row per stop in delivery order, with what the driver needs at the door and a box to sign."""
    with translation.override(language):
        rows = [
            [
                cell(h)
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
                    cell(stop.sequence),
                    cell(_time(stop.arrival_at)),
                    cell(household.full_name),
                    cell(address),
                    cell(household.phone),
                    cell(_packs(stop.order)),
                    cell(notes),
                    "",
                ]
            )
        widths = [8 * mm, 17 * mm, 38 * mm, 58 * mm, 27 * mm, 42 * mm, 43 * mm, 40 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1, rowHeights=[None] + [16 * mm] * (len(rows) - 1))
        table.setStyle(GRID)
        story = [*_header(round_, _("Route sheet")), table]
        return pdf_build(story, pagesize=landscape(A4), footer=_footer(round_))


def loading_list_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    """Packs to load, last delivery first so the first stop's packs come out of the van first."""
    with translation.override(language):
        rows = [[cell(h) for h in (_("Load order"), _("Stop"), _("Name"), _("Packs"), _("Loaded"))]]
        totals: Counter = Counter()
        stops = list(round_.stops.all())
        for position, stop in enumerate(reversed(stops), start=1):
            for line in stop.order.lines.all():
                totals[line.pack] += line.quantity
            rows.append(
                [
                    cell(position),
                    cell(stop.sequence),
                    cell(stop.order.household.full_name),
                    cell(_packs(stop.order)),
                    "",
                ]
            )
        table = Table(rows, colWidths=[20 * mm, 15 * mm, 60 * mm, 70 * mm, 20 * mm], repeatRows=1)
        table.setStyle(GRID)
        total_rows = [[cell(_("Pack")), cell(_("Total"))]] + [
            [cell(pack.label), cell(count)] for pack, count in sorted(totals.items(), key=lambda pair: pair[0].label)
        ]
        sizes = pack_sizes(Pack.objects.filter(pk__in=[p.pk for p in totals]).prefetch_related("components__item"))
        grams = sum(sizes[pack.pk][0] * count for pack, count in totals.items())
        centilitres = sum(sizes[pack.pk][1] * count for pack, count in totals.items())
        load = _("Load: %(kg)s kg, %(litres)s l") % {
            "kg": number_format(grams / 1000, 1),
            "litres": number_format(round(centilitres / 100), 0),
        }
        total_rows.append([cell(load), ""])
        total_table = Table(total_rows, colWidths=[100 * mm, 25 * mm])
        total_table.setStyle(GRID)
        story = [*_header(round_, _("Loading list")), table, Spacer(1, 6 * mm), total_table]
        return pdf_build(story, pagesize=A4, footer=_footer(round_))


def manifests_write(*, run: PlanningRun) -> list[Path]:
    """Write each round's route sheet and loading list under MANIFEST_DIR/<date>/ and return the paths."""
    folder = Path(settings.MANIFEST_DIR) / run.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    # The warehouse team's assembly list for the same day, beside the rounds it feeds.
    for warehouse in Warehouse.objects.filter(pk__in=run.rounds.values("depot")).order_by("code"):
        path = folder / f"run{run.pk}-assembly-{warehouse.code}.pdf"
        path.write_bytes(assembly_list_pdf(warehouse=warehouse, on=run.date))
        paths.append(path)
    for round_id in run.rounds.order_by("vehicle__name").values_list("pk", flat=True):
        round_ = round_for_manifest(round_id)
        stem = f"run{run.pk}-{round_.vehicle.plate.replace(' ', '')}"
        for suffix, render in (("route", route_sheet_pdf), ("loading", loading_list_pdf)):
            path = folder / f"{stem}-{suffix}.pdf"
            path.write_bytes(render(round_))
            paths.append(path)
    return paths
