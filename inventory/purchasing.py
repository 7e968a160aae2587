"""Purchase orders from draft to closed, goods received into lots, and donations in kind."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import day_text
from inventory.documents import purchase_order_pdf
from inventory.ledger import lot_receive
from inventory.limits import MAX_UNITS_PER_MOVEMENT
from inventory.models import (
    Item,
    PurchaseOrder,
    PurchaseOrderDocument,
    PurchaseOrderLine,
    Receiving,
    StockLot,
    StockMovement,
    Supplier,
    Warehouse,
)
from inventory.money import price_check, vat_rate_check

Status = PurchaseOrder.Status


def _next_reference(on: dt.date) -> str:
    # "PED" for pedido: suppliers and staff read these in Spanish, where the English "PO" means nothing. Orders made
    # before keep their PO- references; the count restarts under the new prefix, so none is ever reused.
    prefix = f"PED-{on.year}-"
    last = (
        PurchaseOrder.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def po_create(
    *,
    actor,
    supplier: Supplier,
    warehouse: Warehouse,
    lines: list[tuple],
    expected_on: dt.date | None = None,
    note: str = "",
) -> PurchaseOrder:
    """A draft purchase order; quantities must be whole units above zero and each item listed once.

    A line is (item, quantity[, unit price[, VAT rate]]): the price defaults to the item's unit cost and the rate
    to the item's VAT rate. Prices are zero or more; the rate is one of Spain's (4, 10, 21)."""
    if supplier.kind != Supplier.Kind.SUPPLIER:
        raise ValidationError(
            _("%(name)s is a donor: purchase orders go to suppliers.") % {"name": supplier.name},
            code="supplier_is_donor",
        )
    if not lines:
        raise ValidationError(_("A purchase order needs at least one line."), code="lines_empty")
    seen = set()
    priced = []
    for item, quantity, *money in lines:
        unit_price = money[0] if len(money) > 0 and money[0] is not None else item.unit_cost
        vat_rate = money[1] if len(money) > 1 and money[1] is not None else item.vat_rate
        priced.append(
            (
                item,
                quantity,
                price_check(unit_price, label=item.label),
                vat_rate_check(vat_rate, label=item.label),
            )
        )
        if not isinstance(quantity, int) or quantity <= 0:
            raise ValidationError(
                _("%(item)s: order at least one unit; got %(quantity)s.") % {"item": item.label, "quantity": quantity},
                code="quantity_not_positive",
            )
        _check_line_size(item, quantity)
        if item.pk in seen:
            raise ValidationError(_("%(item)s is listed twice.") % {"item": item.label}, code="item_listed_twice")
        seen.add(item.pk)
    order = PurchaseOrder.objects.create(
        reference=_next_reference(timezone.localdate()),
        supplier=supplier,
        warehouse=warehouse,
        expected_on=expected_on or timezone.localdate() + dt.timedelta(days=supplier.lead_time_days),
        note=note,
        created_by=actor,
    )
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            purchase_order=order, item=item, quantity_ordered=quantity, unit_price=unit_price, vat_rate=vat_rate
        )
        for item, quantity, unit_price, vat_rate in priced
    )
    return order


def _lock_order(purchase_order: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().select_related("supplier", "warehouse").get(pk=purchase_order.pk)


def _refuse_unless(order: PurchaseOrder, allowed: tuple[str, ...], message: str) -> None:
    """`message` says which statuses allow the action; it gets the order's reference and status."""
    if order.status not in allowed:
        raise ValidationError(
            message % {"reference": order.reference, "status": order.get_status_display()},
            code="order_status_not_allowed",
        )


@transaction.atomic
def po_send(*, actor, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """A draft goes to the supplier: its PDF, in the supplier's language, is kept as the sent copy and e-mailed to
    the supplier's address (a supplier without one gets it by hand). From then on goods can be received against it.
    """
    order = _lock_order(purchase_order)
    _refuse_unless(
        order, (Status.DRAFT,), _("%(reference)s is “%(status)s”: only a draft can be sent; nothing was changed.")
    )
    order.status = Status.SENT
    order.sent_at = timezone.now()
    order.save(update_fields=["status", "sent_at"])
    language = order.supplier.language
    document = PurchaseOrderDocument.objects.create(
        purchase_order=order,
        file_name=f"{order.reference}.pdf",
        content=purchase_order_pdf(order=order, language=language),
        language=language,
        sent_to=order.supplier.email,
        sent_at=order.sent_at,
        sent_by=actor,
    )
    if document.sent_to:
        # Sent inside the transaction: if the mail server refuses it, the order stays a draft and nothing is kept,
        # so "sent" never claims an e-mail that did not leave.
        _po_email(order=order, document=document)
    return order


def _po_email(*, order: PurchaseOrder, document: PurchaseOrderDocument) -> None:
    with translation.override(document.language):
        subject = _("Purchase order %(reference)s") % {"reference": order.reference}
        body = _(
            "Hello,\n\nPlease find attached our purchase order %(reference)s, to be delivered to %(warehouse)s"
            "%(expected)s. Please confirm it by replying to this e-mail.\n\nThank you."
        ) % {
            "reference": order.reference,
            "warehouse": f"{order.warehouse.name} ({order.warehouse.address})",
            "expected": _(" by %(date)s") % {"date": day_text(order.expected_on)} if order.expected_on else "",
        }
    message = EmailMessage(subject=subject, body=body, to=[document.sent_to])
    message.attach(document.file_name, bytes(document.content), "application/pdf")
    message.send(fail_silently=False)


@transaction.atomic
def po_cancel(*, actor, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """Call off an order nothing has arrived for; once goods came in, close it instead."""
    order = _lock_order(purchase_order)
    _refuse_unless(
        order,
        (Status.DRAFT, Status.SENT),
        _("%(reference)s is “%(status)s”: only a draft or a sent order can be cancelled; nothing was changed."),
    )
    if order.lines.filter(quantity_received__gt=0).exists():
        raise ValidationError(
            _("Goods have already arrived for %(reference)s: close it instead; nothing was changed.")
            % {"reference": order.reference},
            code="goods_already_received",
        )
    order.status = Status.CANCELLED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    return order


@transaction.atomic
def po_close(*, actor, purchase_order: PurchaseOrder, note: str = "") -> PurchaseOrder:
    """Settle an order that has received goods: whatever is still outstanding will not come, and the note says so."""
    order = _lock_order(purchase_order)
    _refuse_unless(
        order,
        (Status.PARTLY_RECEIVED, Status.RECEIVED),
        _("%(reference)s is “%(status)s”: only an order that has received goods can be closed; nothing was changed."),
    )
    missing = [
        f"{line.outstanding} × {line.item.label}"
        for line in order.lines.select_related("item").order_by("pk")
        if line.outstanding
    ]
    # The record of what never arrived stays on the order, so later readers need not work it out.
    parts = [order.note] if order.note else []
    if missing:
        parts.append(
            _("Closed on %(date)s; will not come: %(missing)s.")
            % {"date": day_text(timezone.localdate()), "missing": ", ".join(missing)}
        )
    if note.strip():
        parts.append(note.strip())
    order.note = "\n".join(parts)
    order.status = Status.CLOSED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at", "note"])
    return order


def _check_quantity(item: Item, quantity) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise ValidationError(
            _("%(item)s: quantities are whole units, zero or more; got %(quantity)s. Nothing was received.")
            % {"item": item.label, "quantity": quantity},
            code="quantity_invalid",
        )
    _check_line_size(item, quantity)


def _check_line_size(item: Item, quantity: int) -> None:
    if quantity > MAX_UNITS_PER_MOVEMENT:
        raise ValidationError(
            _("%(item)s: at most %(max)s units fit on one line; got %(quantity)s. Nothing was saved.")
            % {"item": item.label, "max": MAX_UNITS_PER_MOVEMENT, "quantity": quantity},
            code="quantity_too_large",
        )


def _check_lot(item: Item, lot_code: str, expiry_date: dt.date | None, received_on: dt.date) -> str:
    """The lot code, stripped. Refuses what the ledger would refuse, but naming the item, before anything is written."""
    lot_code = (lot_code or "").strip()
    if not lot_code:
        raise ValidationError(
            _("%(item)s: write the lot code printed on the goods. Nothing was received.") % {"item": item.label},
            code="lot_code_missing",
        )
    if expiry_date is None and item.shelf_life_days is not None:
        raise ValidationError(
            _("%(item)s expires: write the expiry date printed on lot %(code)s. Nothing was received.")
            % {"item": item.label, "code": lot_code},
            code="expiry_date_missing",
        )
    if expiry_date is not None and expiry_date < received_on:
        raise ValidationError(
            _("%(item)s: lot %(code)s expired on %(date)s and is not taken into stock. Nothing was received.")
            % {"item": item.label, "code": lot_code, "date": day_text(expiry_date)},
            code="lot_expired",
        )
    return lot_code


def _check_received_on(received_on: dt.date) -> None:
    if received_on > timezone.localdate():
        raise ValidationError(
            _("Goods cannot be received on %(date)s, a day still to come. Nothing was received.")
            % {"date": day_text(received_on)},
            code="received_on_in_future",
        )


def _check_codes_unique(rows: list[tuple[Item, str]]) -> None:
    seen = set()
    for item, lot_code in rows:
        if (item.pk, lot_code) in seen:
            raise ValidationError(
                _("%(item)s: lot %(code)s is listed twice. Nothing was received.")
                % {"item": item.label, "code": lot_code},
                code="lot_listed_twice",
            )
        seen.add((item.pk, lot_code))


@transaction.atomic
def po_receive(
    *,
    actor,
    purchase_order: PurchaseOrder,
    received_on: dt.date,
    lines: list[tuple[PurchaseOrderLine, int, str, dt.date | None]],
    differences: str = "",
) -> Receiving:
    """One delivery against a sent order: a lot per line received, never more than is outstanding.

    A line of zero units was not in this delivery and is skipped. All or nothing."""
    order = _lock_order(purchase_order)
    _refuse_unless(
        order,
        (Status.SENT, Status.PARTLY_RECEIVED),
        _("%(reference)s is “%(status)s”: goods are received only against a sent order. Nothing was received."),
    )
    _check_received_on(received_on)
    # Locked in pk order, like every other writer of these rows, so two receipts cannot both pass the check.
    locked = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update()
        .filter(purchase_order=order)
        .select_related("item")
        .order_by("pk")
    }
    rows = []
    arriving: dict[int, int] = defaultdict(int)
    for given, quantity, lot_code, expiry_date in lines:
        line = locked.get(given.pk)
        if line is None:
            raise ValidationError(
                _("That line is not on purchase order %(reference)s. Nothing was received.")
                % {"reference": order.reference},
                code="line_not_on_order",
            )
        _check_quantity(line.item, quantity)
        if quantity == 0:
            continue
        lot_code = _check_lot(line.item, lot_code, expiry_date, received_on)
        arriving[line.pk] += quantity
        rows.append((line, quantity, lot_code, expiry_date))
    if not rows:
        raise ValidationError(
            _("Write how many units arrived of at least one line. Nothing was received."), code="nothing_received"
        )
    for pk, quantity in arriving.items():
        line = locked[pk]
        if quantity > line.outstanding:
            raise ValidationError(
                _(
                    "%(item)s: %(quantity)s units arrived but only %(outstanding)s are outstanding on %(reference)s. "
                    "Receive at most %(outstanding)s and note the difference. Nothing was received."
                )
                % {
                    "item": line.item.label,
                    "quantity": quantity,
                    "outstanding": line.outstanding,
                    "reference": order.reference,
                },
                code="quantity_over_outstanding",
            )
    _check_codes_unique([(line.item, lot_code) for line, _q, lot_code, _e in rows])
    receiving = Receiving.objects.create(
        purchase_order=order,
        supplier=order.supplier,
        warehouse=order.warehouse,
        received_on=received_on,
        differences=differences.strip(),
        created_by=actor,
    )
    for line, quantity, lot_code, expiry_date in rows:
        lot_receive(
            actor=actor,
            item=line.item,
            warehouse=order.warehouse,
            lot_code=lot_code,
            quantity=quantity,
            expiry_date=expiry_date,
            received_on=received_on,
            source=StockLot.Source.PURCHASE,
            supplier=order.supplier,
            purchase_line=line,
            receiving=receiving,
            unit_cost=line.unit_price,
            note=order.reference,
        )
    for pk in sorted(arriving):
        PurchaseOrderLine.objects.filter(pk=pk).update(quantity_received=F("quantity_received") + arriving[pk])
    complete = not any(locked[pk].outstanding - arriving.get(pk, 0) for pk in locked)
    order.status = Status.RECEIVED if complete else Status.PARTLY_RECEIVED
    order.save(update_fields=["status"])
    _alerts_refresh_on_commit()
    return receiving


def _alerts_refresh_on_commit() -> None:
    # Goods on the shelf may end a low-stock or shortfall alert: close it now, not at the next 06:00 refresh.
    from inventory.tasks import alerts_refresh_task

    transaction.on_commit(alerts_refresh_task.delay, robust=True)


@transaction.atomic
def donation_receive(
    *,
    actor,
    donor: Supplier,
    warehouse: Warehouse,
    received_on: dt.date,
    lines: list[tuple],
    note: str = "",
) -> Receiving:
    """Goods given in kind: a receiving without an order and a lot per line, credited to the donor.

    A line is (item, quantity, lot code, expiry date[, declared value of one unit]); without a declared value the
    lot is valued at the item's unit cost."""
    if donor.kind != Supplier.Kind.DONOR:
        raise ValidationError(
            _("%(name)s is a supplier: goods from suppliers are received against a purchase order.")
            % {"name": donor.name},
            code="donor_is_supplier",
        )
    _check_received_on(received_on)
    rows = []
    for item, quantity, lot_code, expiry_date, *declared in lines:
        _check_quantity(item, quantity)
        if quantity == 0:
            raise ValidationError(
                _("%(item)s: a donation line needs at least one unit. Nothing was received.") % {"item": item.label},
                code="quantity_not_positive",
            )
        lot_code = _check_lot(item, lot_code, expiry_date, received_on)
        value = declared[0] if declared and declared[0] is not None else item.unit_cost
        rows.append((item, quantity, lot_code, expiry_date, price_check(value, label=item.label)))
    if not rows:
        raise ValidationError(_("A donation needs at least one line. Nothing was received."), code="lines_empty")
    _check_codes_unique([(item, lot_code) for item, _q, lot_code, _e, _v in rows])
    receiving = Receiving.objects.create(
        supplier=donor,
        warehouse=warehouse,
        received_on=received_on,
        differences=note.strip(),
        created_by=actor,
    )
    for item, quantity, lot_code, expiry_date, unit_cost in rows:
        lot_receive(
            actor=actor,
            item=item,
            warehouse=warehouse,
            lot_code=lot_code,
            quantity=quantity,
            expiry_date=expiry_date,
            received_on=received_on,
            source=StockLot.Source.DONATION,
            supplier=donor,
            receiving=receiving,
            unit_cost=unit_cost,
        )
    _alerts_refresh_on_commit()
    return receiving


# Reads for the purchasing pages (inventory/selectors.py is about stock on the shelf).


def purchase_orders_list(*, status: str = "") -> QuerySet[PurchaseOrder]:
    """Orders newest first with their units ordered and received; `status` narrows to one status."""
    orders = PurchaseOrder.objects.select_related("supplier", "warehouse").annotate(
        units_ordered=Sum("lines__quantity_ordered"), units_received=Sum("lines__quantity_received")
    )
    return orders.filter(status=status) if status else orders


def purchase_orders_for_page() -> QuerySet[PurchaseOrder]:
    """Orders with their lines, and their receivings with the lots each brought and how many units."""
    received = Sum("movements__quantity", filter=Q(movements__kind=StockMovement.Kind.RECEIPT))
    lots = StockLot.objects.select_related("item", "balance").annotate(received=received).order_by("pk")
    return PurchaseOrder.objects.select_related("supplier", "warehouse", "created_by").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("item").order_by("pk")),
        Prefetch(
            "receivings",
            queryset=Receiving.objects.select_related("created_by").prefetch_related(Prefetch("lots", queryset=lots)),
        ),
    )


def suppliers_list() -> QuerySet[Supplier]:
    """Suppliers and donors with how many of their orders are still open."""
    open_statuses = [Status.DRAFT, Status.SENT, Status.PARTLY_RECEIVED]
    return Supplier.objects.annotate(
        open_orders=Count("purchase_orders", filter=Q(purchase_orders__status__in=open_statuses))
    ).order_by("kind", "name")
