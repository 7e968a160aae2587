"""The warehouse team's printed assembly list: packs to build for a delivery day and the lots to take."""

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.pdf import GRID, SECTION, TITLE, cell, heading, pdf_build
from inventory.assembly import assembly_needs
from inventory.models import Warehouse


def _lots(pick) -> str:
    if not pick.lots:
        return _("not enough on the shelf")
    return "\n".join(
        _("%(units)s from %(lot)s%(location)s, expires %(expiry)s")
        % {
            "units": units,
            "lot": lot.lot_code,
            "location": f" ({lot.location.code})" if lot.location else "",
            "expiry": date_format(lot.expiry_date, "SHORT_DATE_FORMAT") if lot.expiry_date else _("never"),
        }
        for lot, units in pick.lots
    )


def assembly_list_pdf(*, warehouse: Warehouse, on: dt.date, language: str = settings.LANGUAGE_CODE) -> bytes:
    """One section per pack: how many to build, then each item with the first-expiring lots to take it from."""
    with translation.override(language):
        needs = assembly_needs(warehouse=warehouse, on=on)
        story = [
            heading(_("Assembly list"), TITLE),
            heading(
                _("%(warehouse)s — for deliveries on %(date)s")
                % {"warehouse": warehouse.name, "date": date_format(on, "DATE_FORMAT")}
            ),
            Spacer(1, 4 * mm),
        ]
        if not needs:
            story.append(heading(_("Nothing to assemble: every order for that day already has its packs.")))
        for need in needs:
            story.append(
                heading(
                    _("%(pack)s: assemble %(count)s (for %(orders)s orders; %(ready)s already assembled)")
                    % {
                        "pack": need.pack.label,
                        "count": need.to_assemble,
                        "orders": need.orders,
                        "ready": need.already_assembled,
                    },
                    SECTION,
                )
            )
            if not need.to_assemble:
                continue
            rows = [[cell(h) for h in (_("Item"), _("Units"), _("Take from (first to expire first)"), _("Done"))]]
            rows += [[cell(p.item.label), cell(p.units), cell(_lots(p)), ""] for p in need.picks]
            table = Table(rows, colWidths=[58 * mm, 16 * mm, 88 * mm, 22 * mm], repeatRows=1)
            table.setStyle(GRID)
            story += [table, Spacer(1, 5 * mm)]
        footer = f"{warehouse.name} · {date_format(on, 'SHORT_DATE_FORMAT')}"
        return pdf_build(story, pagesize=A4, footer=footer)
