"""The list of aid handed out ("nómina de ayudas"): every delivery order of a period, optionally of one zone, with
what it carried and how its delivery ended, as CSV or XLSX for the council's and the BI tools' own sheets.

The headers are stable snake_case names, the same in every language, so that a program reading the file does not
break when the interface changes language. Whoever reads the orders page may export; a user listed on zones gets
only those zones' households (and those not placed yet), as everywhere else. The document number goes only to
those who may export households' personal data. Each export is logged: it takes personal data out."""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core import sheets
from delivery.models import Stop
from logistics.models import DeliveryOrder
from requests_intake.models import Zone
from requests_intake.zone_access import in_zones, zone_ensure_open

logger = logging.getLogger(__name__)

PERMISSION = "logistics.view_deliveryorder"
DOCUMENT_PERMISSION = "requests_intake.export_household"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A year and a day: a council's yearly report, whatever the leap years.
MAX_PERIOD_DAYS = 366
COLUMNS = (
    "order",
    "due_date",
    "status",
    "mode",
    "zone",
    "household",
    "name",
    "document_number",
    "address",
    "postcode",
    "municipality",
    "warehouse",
    "packs",
    "window_start",
    "window_end",
    "outcome",
    "recorded_at",
    "received_by",
    "failure_reason",
    "collected_by",
    "collected_at",
    "cancel_reason",
    "failed_attempts",
)


def _ensure_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ValidationError(
            {"date_to": ValidationError(_("The period ends before it starts."), code="period_reversed")}
        )
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise ValidationError(
            {
                "date_to": ValidationError(
                    _("Export at most %(days)s days at a time.") % {"days": MAX_PERIOD_DAYS},
                    code="period_too_long",
                )
            }
        )


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # XLSX keeps no time zone: the file says the local time the person saw on the page.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def orders_export(
    *, user, date_from: dt.date, date_to: dt.date, zone: Zone | None, file_format: str
) -> tuple[bytes, str, str]:
    """The orders due from `date_from` to `date_to` (both included), of `zone` or every zone the user sees, as
    (content, content type, file name). Raises PermissionDenied or a ValidationError with a code."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied(_("Your role does not allow this; ask a manager if you need it."))
    if file_format not in CONTENT_TYPES:
        message = _("Orders export as %(formats)s.") % {"formats": ", ".join(CONTENT_TYPES)}
        raise ValidationError({"file_format": ValidationError(message, code="bad_format")})
    _ensure_period(date_from, date_to)
    orders = DeliveryOrder.objects.filter(due_date__range=(date_from, date_to))
    if zone is not None:
        zone_ensure_open(user, zone.pk)
        orders = orders.filter(household__zone=zone)
    orders = (
        in_zones(orders, user, field="household__zone")
        .select_related("household__zone", "warehouse")
        .prefetch_related(
            "lines__pack",
            # The last stop tells how the delivery ended; earlier ones were attempts that failed.
            Prefetch(
                "stops", queryset=Stop.objects.deliveries().order_by("-arrival_at", "-pk"), to_attr="stops_latest_first"
            ),
        )
        .order_by("due_date", "household__zone__code", "pk")
    )
    with_document = user.has_perm(DOCUMENT_PERMISSION)
    rows = [_row(order, with_document=with_document) for order in orders]
    columns = COLUMNS if with_document else tuple(c for c in COLUMNS if c != "document_number")
    if not with_document:
        index = COLUMNS.index("document_number")
        rows = [row[:index] + row[index + 1 :] for row in rows]
    if file_format == "csv":
        content = sheets.csv_text([columns, *rows], delimiter=";").encode("utf-8-sig")
    else:
        content = sheets.xlsx_content(title=_("Orders"), headers=columns, rows=rows)
    where = zone.code if zone else "all"
    logger.info(
        "%s exported %s orders of %s from %s to %s as %s", user, len(rows), where, date_from, date_to, file_format
    )
    name = f"orders-{where}-{date_from.isoformat()}-{date_to.isoformat()}.{file_format}"
    return content, CONTENT_TYPES[file_format], name


def _row(order: DeliveryOrder, *, with_document: bool) -> list:
    household = order.household
    stop = order.stops_latest_first[0] if order.stops_latest_first else None
    packs = ", ".join(f"{line.quantity} × {line.pack.code}" for line in sorted(order.lines.all(), key=lambda x: x.pk))
    return [
        order.pk,
        order.due_date,
        order.status,
        order.mode,
        household.zone.code if household.zone else "",
        household.pk,
        household.full_name,
        household.document_number if with_document else "",
        household.address,
        household.postcode,
        household.municipality,
        order.warehouse.code,
        packs,
        order.window_start.strftime("%H:%M"),
        order.window_end.strftime("%H:%M"),
        stop.outcome if stop else "",
        _local(stop.recorded_at) if stop else None,
        stop.received_by if stop else "",
        stop.failure_reason if stop else "",
        order.collected_by,
        _local(order.collected_at),
        order.cancel_reason,
        order.failed_attempts,
    ]
