"""Printed paperwork for a delivery day: each round's route sheet and loading list, and a summary per depot."""

import datetime as dt
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from core.dates import day_text
from core.pdf import (
    FONT,
    GRID,
    SECTION,
    TITLE,
    SignatureBox,
    TextLines,
    TickBoxes,
    head_cell,
    heading,
    lines,
    pdf_build,
    qr_code,
)
from delivery.models import Round, Stop
from delivery.pickup_selectors import opening_hours_on, pickups_by_order
from inventory.documents import assembly_list_pdf
from inventory.models import Pack, Programme, Warehouse
from inventory.selectors import pack_sizes
from logistics.windows import arrival_window as order_arrival_window

QR_SIZE = 18 * mm

Sizes = dict[int, tuple[int, int]]  # pack pk → (grams, centilitres) of one pack
SECTION_HEAD = ParagraphStyle("section_head", parent=SECTION, keepWithNext=1)  # never alone at a page's foot
FACTS = TableStyle(
    [("BOX", (0, 0), (-1, -1), 0.5, "grey"), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)]
)


def stop_url(stop: Stop) -> str:
    """The driver's page opened at this stop; absolute, since a phone scans it off paper."""
    site = settings.SITE_URL.rstrip("/")
    return f"{site}{reverse('driver_round')}#stop-{stop.pk}"


def arrival_window(stop: Stop) -> tuple[dt.time, dt.time]:
    """When to expect the van at this stop: `logistics.windows.arrival_window`, the window the household is told."""
    return order_arrival_window(stop.order, stop.arrival_at)


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _kg(grams: int) -> str:
    return number_format(grams / 1000, 1, force_grouping=True)


def _litres(centilitres: int) -> str:
    return number_format(centilitres / 100, 1, force_grouping=True)


def _plain(value) -> TextLines:
    return lines(("", value))


def _pack_lines(order) -> str:
    return "\n".join(f"{line.quantity} × {line.pack.label}" for line in order.lines.all())


def _loaded_lines(stop: Stop) -> list:
    """What this stop takes out of the depot: nothing for a pharmacy pickup (its order is loaded for the home
    stop), and never medication, which comes from the pharmacy and is no depot stock."""
    if stop.kind == Stop.Kind.PICKUP:
        return []
    return [line for line in stop.order.lines.all() if line.pack.programme != Programme.MEDICATION]


def _pharmacy_line(plan) -> str:
    """Where to collect medication and against which prescription; what it treats is never printed."""
    facts = {"pharmacy": plan.pharmacy, "reference": plan.prescription_ref}
    if plan.pharmacy and plan.prescription_ref:
        return _("Pharmacy pickup: %(pharmacy)s, prescription %(reference)s") % facts
    if plan.pharmacy:
        return _("Pharmacy pickup: %(pharmacy)s") % facts
    if plan.prescription_ref:
        return _("Pharmacy pickup: prescription %(reference)s") % facts
    return ""


def _driver_name(round_: Round) -> str:
    if round_.driver is None:
        return _("unassigned")
    return round_.driver.get_full_name() or round_.driver.username


def _facts(round_: Round, width: float) -> Table:
    """The round at a glance: small labels over the values, one row across the page."""
    stops = len(round_.stops.all())
    facts = [
        (_("Date"), date_format(round_.date, "DATE_FORMAT")),
        (_("Driver"), _driver_name(round_)),
        (_("Vehicle"), f"{round_.vehicle.name} ({round_.vehicle.plate})"),
        (_("Depot"), round_.depot.name),
        (_("Leaves at"), _time(round_.start_at)),
        (
            _("Round"),
            ngettext("%(stops)s stop, %(km)s km", "%(stops)s stops, %(km)s km", stops)
            % {"stops": stops, "km": number_format(round_.distance_km, 1)},
        ),
    ]
    if round_.break_at is not None:
        facts.append(
            (
                _("Break"),
                _("%(time)s, %(minutes)s min")
                % {"time": _time(round_.break_at), "minutes": round_.depot.break_minutes},
            )
        )
    table = Table(
        [[lines(("i", label), ("b", value)) for label, value in facts]], colWidths=[width / len(facts)] * len(facts)
    )
    table.setStyle(FACTS)
    return table


def _footer(round_: Round) -> str:
    return f"{round_.vehicle.name} ({round_.vehicle.plate}) · {day_text(round_.date)}"


def _medication_line(stop: Stop, pickup: Stop | None) -> str:
    """The home stop of a medication order: where its medication comes from and at which stop it is collected."""
    plan = stop.order.plan
    if pickup is None or plan.pharmacy is None:
        return _pharmacy_line(plan)
    return _("Medication from %(pharmacy)s (picked up at stop %(number)s)") % {
        "pharmacy": plan.pharmacy,
        "number": pickup.sequence,
    }


def _pickup_row(stop: Stop) -> list:
    """A pharmacy pickup: its own numbered stop, where to go, when it is open, which prescription, and a box for
    the person who hands the medication over to sign."""
    plan, household = stop.order.plan, stop.order.household
    pharmacy = plan.pharmacy
    hours = opening_hours_on(pharmacy, stop.round.date) if pharmacy else ""
    reference = _("Prescription %(reference)s") % {"reference": plan.prescription_ref} if plan.prescription_ref else ""
    return [
        lines(("b", str(stop.sequence))),
        lines(("b", _time(stop.arrival_at))),
        lines(("b", _("Pharmacy pickup")), ("b", str(pharmacy or "")), ("", pharmacy.phone if pharmacy else "")),
        lines(("", pharmacy.address if pharmacy else "")),
        lines(("b", reference), ("", _("for %(name)s") % {"name": household.full_name})),
        lines(("", _("Open that day: %(hours)s") % {"hours": hours} if pharmacy else "")),
        [
            TickBoxes([_("Picked up"), _("Not picked up")]),
            Spacer(1, 1.5 * mm),
            SignatureBox(_("Handed over by / signature"), height=12 * mm),
        ],
        qr_code(stop_url(stop), size=QR_SIZE),
    ]


def _stop_row(stop: Stop, pickups: dict[int, Stop]) -> list:
    if stop.kind == Stop.Kind.PICKUP:
        return _pickup_row(stop)
    household, order = stop.order.household, stop.order
    start, end = arrival_window(stop)
    place = f"{household.postcode} {household.municipality}".strip()
    diets = ", ".join(household.diet_labels)
    return [
        lines(("b", str(stop.sequence))),
        lines(("b", _time(stop.arrival_at)), ("", f"{start:%H:%M}–{end:%H:%M}")),
        lines(("b", household.full_name), ("", household.phone)),
        lines(("", household.address), ("", place), ("i", household.access_notes)),
        lines(("", _pack_lines(order)), ("b", _medication_line(stop, pickups.get(order.pk)))),
        lines(
            ("b", _("Reduced mobility") if household.reduced_mobility else ""),
            ("", _("Diet: %(diets)s") % {"diets": diets} if diets else ""),
            ("", order.notes),
        ),
        [
            TickBoxes([_("Delivered"), _("Not delivered")]),
            Spacer(1, 1.5 * mm),
            SignatureBox(_("Signature")),
        ],
        qr_code(stop_url(stop), size=QR_SIZE),
    ]


def route_sheet_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The driver's sheet: the round's facts, then each stop in delivery order with what the door needs, boxes to
    tick and sign, and a QR code that opens the stop on the driver's phone page. A medication order's pickup at the
    pharmacy is a stop of its own, before its home stop."""
    stops = list(round_.stops.all())
    # One query for the pharmacy lines, whoever loaded the round; the hours only when a pharmacy is on it.
    prefetch_related_objects(stops, "order__plan__pharmacy__hours")
    pickups = pickups_by_order(stops)
    with translation.override(language):
        page = landscape(A4)
        width = page[0] - 24 * mm
        story = [heading(_("Route sheet"), TITLE), _facts(round_, width), Spacer(1, 4 * mm)]
        if not stops:
            story.append(heading(_("No stops on this round.")))
        else:
            columns = (
                ("#", 10),
                (_("Arrival"), 24),
                (_("Name and phone"), 40),
                (_("Address"), 53),
                (_("Packs"), 41),
                (_("Notes"), 41),
                (_("Outcome"), 40),
                (_("QR"), 24),
            )  # 273 mm: the page less its margins
            rows = [[head_cell(title) for title, _width in columns]]
            rows += [_stop_row(stop, pickups) for stop in stops]
            table = Table(rows, colWidths=[w * mm for _title, w in columns], repeatRows=1)
            table.setStyle(GRID)
            table.setStyle(TableStyle([("ALIGN", (-1, 1), (-1, -1), "CENTER")]))
            story.append(table)
        return pdf_build(story, pagesize=page, footer=_footer(round_))


def _sizes_for(rounds: list[Round]) -> Sizes:
    packs = {line.pack_id for r in rounds for stop in r.stops.all() for line in stop.order.lines.all()}
    return pack_sizes(Pack.objects.filter(pk__in=packs).prefetch_related("components__item"))


def _pack_totals(stops) -> Counter:
    totals: Counter = Counter()
    for stop in stops:
        for line in _loaded_lines(stop):
            totals[line.pack] += line.quantity
    return totals


def _totals_table(totals: Counter, sizes: Sizes, widths: list[float]) -> Table:
    """Per pack: how many, and their weight and volume; then the sum of all."""
    rows = [[head_cell(h) for h in (_("Pack"), _("Quantity"), _("Weight (kg)"), _("Volume (l)"))]]
    for pack, count in sorted(totals.items(), key=lambda pair: pair[0].label):
        grams, centilitres = sizes[pack.pk]
        rows.append(
            [_plain(pack.label), _plain(count), _plain(_kg(grams * count)), _plain(_litres(centilitres * count))]
        )
    grams = sum(sizes[pack.pk][0] * count for pack, count in totals.items())
    centilitres = sum(sizes[pack.pk][1] * count for pack, count in totals.items())
    rows.append(
        [
            lines(("b", _("Total"))),
            lines(("b", str(sum(totals.values())))),
            lines(("b", _kg(grams))),
            lines(("b", _litres(centilitres))),
        ]
    )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return table


def loading_list_pdf(round_: Round, *, language: str = settings.LANGUAGE_CODE, sizes: Sizes | None = None) -> bytes:
    """Packs to load, last delivery first so the first stop's packs come out of the van first; totals per pack
    and the van's weight and volume. `sizes` (from `pack_sizes`) saves the query when writing many rounds.

    A pharmacy pickup loads nothing and medication is never loaded: it is collected on the way, not depot stock."""
    every_stop = list(round_.stops.all())
    stops = [stop for stop in every_stop if _loaded_lines(stop)]
    sizes = sizes if sizes is not None else _sizes_for([round_])
    with translation.override(language):
        width = A4[0] - 24 * mm
        story = [heading(_("Loading list"), TITLE), _facts(round_, width), Spacer(1, 4 * mm)]
        if not every_stop:
            story.append(heading(_("Nothing to load: the round has no stops.")))
            return pdf_build(story, pagesize=A4, footer=_footer(round_))
        if not stops:
            story.append(heading(_("Nothing to load: no stop of this round takes packs from the depot.")))
            return pdf_build(story, pagesize=A4, footer=_footer(round_))
        rows = [[head_cell(h) for h in (_("Load order"), _("Stop"), _("Name"), _("Packs"), _("Loaded"))]]
        for position, stop in enumerate(reversed(stops), start=1):
            rows.append(
                [
                    _plain(position),
                    _plain(stop.sequence),
                    _plain(stop.order.household.full_name),
                    _plain("\n".join(f"{line.quantity} × {line.pack.label}" for line in _loaded_lines(stop))),
                    TickBoxes([""]),
                ]
            )
        table = Table(rows, colWidths=[20 * mm, 16 * mm, 56 * mm, 74 * mm, 20 * mm], repeatRows=1)
        table.setStyle(GRID)
        totals = _pack_totals(stops)
        grams = sum(sizes[pack.pk][0] * count for pack, count in totals.items())
        centilitres = sum(sizes[pack.pk][1] * count for pack, count in totals.items())
        load = _("Load: %(kg)s kg, %(litres)s l") % {
            "kg": _kg(grams),
            "litres": number_format(round(centilitres / 100), 0),
        }
        capacity = _("(the van takes %(kg)s kg, %(litres)s l)") % {
            "kg": number_format(round_.vehicle.capacity_kg, 0, force_grouping=True),
            "litres": number_format(round_.vehicle.capacity_l, 0, force_grouping=True),
        }
        story += [
            table,
            Spacer(1, 6 * mm),
            KeepTogether(
                [
                    heading(_("Totals"), SECTION),
                    _totals_table(totals, sizes, [96 * mm, 30 * mm, 30 * mm, 30 * mm]),
                    Spacer(1, 3 * mm),
                    heading(f"{load} {capacity}"),
                ]
            ),
        ]
        return pdf_build(story, pagesize=A4, footer=_footer(round_))


def _rounds_with_stops(**filters) -> list[Round]:
    """Rounds with everything their sheets print, in a fixed number of queries however many stops they hold."""
    stops = (
        Stop.objects.select_related("order__household", "order__plan__pharmacy")
        .prefetch_related("order__lines__pack", "order__plan__pharmacy__hours")
        .order_by("sequence")
    )
    rounds = Round.objects.filter(**filters).select_related("vehicle", "driver", "depot")
    return list(rounds.prefetch_related(Prefetch("stops", queryset=stops)).order_by("vehicle__name"))


def _depot_summary(*, run, depot: Warehouse, rounds: list[Round], sizes: Sizes, language: str) -> bytes:
    left_out = (
        run.unplaced.filter(order__warehouse=depot)
        .select_related("order__household")
        .order_by("order__priority", "order_id")
    )
    with translation.override(language):
        page = landscape(A4)
        story = [
            heading(_("Depot summary"), TITLE),
            heading(
                _("%(depot)s — deliveries on %(date)s (planning run %(run)s)")
                % {"depot": depot.name, "date": date_format(run.date, "DATE_FORMAT"), "run": run.pk}
            ),
            Spacer(1, 4 * mm),
            heading(_("Rounds"), SECTION_HEAD),
        ]
        if rounds:
            titles = (_("Vehicle"), _("Driver"), _("Stops"), _("km"), _("Leaves – back"), _("Packs to load"))
            rows = [[head_cell(h) for h in (*titles, _("Weight (kg)"), _("Volume (l)"))]]
            for round_ in rounds:
                stops = list(round_.stops.all())
                totals = _pack_totals(stops)
                rows.append(
                    [
                        _plain(f"{round_.vehicle.name} ({round_.vehicle.plate})"),
                        _plain(_driver_name(round_)),
                        _plain(len(stops)),
                        _plain(number_format(round_.distance_km, 1)),
                        _plain(f"{_time(round_.start_at)}–{_time(round_.end_at)}"),
                        _plain(
                            "\n".join(f"{n} × {p.label}" for p, n in sorted(totals.items(), key=lambda i: i[0].label))
                        ),
                        _plain(_kg(sum(sizes[p.pk][0] * n for p, n in totals.items()))),
                        _plain(_litres(sum(sizes[p.pk][1] * n for p, n in totals.items()))),
                    ]
                )
            table = Table(rows, colWidths=[w * mm for w in (48, 42, 18, 16, 26, 75, 24, 24)], repeatRows=1)
            table.setStyle(GRID)
            story += [
                table,
                Spacer(1, 5 * mm),
                KeepTogether(
                    [
                        heading(_("Packs to load in total"), SECTION),
                        _totals_table(
                            _pack_totals(s for r in rounds for s in r.stops.all()),
                            sizes,
                            [120 * mm, 30 * mm, 30 * mm, 30 * mm],
                        ),
                    ]
                ),
            ]
        else:
            story.append(heading(_("No rounds leave this depot.")))
        story += [Spacer(1, 5 * mm), heading(_("Orders left out"), SECTION_HEAD)]
        left_out = list(left_out)
        if left_out:
            rows = [[head_cell(h) for h in (_("Order"), _("Household"), _("Address"), _("Reason"))]]
            for unplaced in left_out:
                household = unplaced.order.household
                rows.append(
                    [
                        _plain(unplaced.order.pk),
                        _plain(household.full_name),
                        _plain(f"{household.address}\n{household.postcode} {household.municipality}".strip()),
                        _plain(unplaced.explanation),
                    ]
                )
            table = Table(rows, colWidths=[w * mm for w in (18, 55, 70, 130)], repeatRows=1)
            table.setStyle(GRID)
            story.append(table)
        else:
            story.append(heading(_("None: every order for this depot is on a round.")))
        footer = f"{depot.name} · {day_text(run.date)}"
        return pdf_build(story, pagesize=page, footer=footer)


def depot_summary_pdf(*, run, depot: Warehouse, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The depot's day on one sheet: each round (van, driver, stops, km, hours, packs), the packs to load in
    total, and the orders left out with the reason.

    `run` is a routing.PlanningRun, read through its relations (rounds, unplaced): routing sits above this app."""
    rounds = _rounds_with_stops(run=run, depot=depot)
    return _depot_summary(run=run, depot=depot, rounds=rounds, sizes=_sizes_for(rounds), language=language)


def manifests_write(*, run) -> list[Path]:
    """Write the day's paperwork under MANIFEST_DIR/<date>/ and return the paths: each depot's assembly list,
    each round's route sheet and loading list, and a summary for each depot with rounds or orders left out."""
    folder = Path(settings.MANIFEST_DIR) / run.date.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []

    def write(name: str, content: bytes) -> None:
        path = folder / name
        path.write_bytes(content)
        paths.append(path)

    # The warehouse team's assembly list for the same day, beside the rounds it feeds.
    for warehouse in Warehouse.objects.filter(pk__in=run.rounds.values("depot")).order_by("code"):
        write(f"run{run.pk}-assembly-{warehouse.code}.pdf", assembly_list_pdf(warehouse=warehouse, on=run.date))
    rounds = _rounds_with_stops(run=run)
    sizes = _sizes_for(rounds)
    for round_ in rounds:
        stem = f"run{run.pk}-{round_.vehicle.plate.replace(' ', '')}"
        write(f"{stem}-route.pdf", route_sheet_pdf(round_))
        write(f"{stem}-loading.pdf", loading_list_pdf(round_, sizes=sizes))
    depots = Warehouse.objects.filter(
        Q(pk__in=run.rounds.values("depot")) | Q(pk__in=run.unplaced.values("order__warehouse"))
    ).order_by("code")
    for depot in depots:
        mine = [r for r in rounds if r.depot_id == depot.pk]
        content = _depot_summary(run=run, depot=depot, rounds=mine, sizes=sizes, language=settings.LANGUAGE_CODE)
        write(f"run{run.pk}-summary-{depot.code}.pdf", content)
    return paths
