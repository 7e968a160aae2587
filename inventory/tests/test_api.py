"""The inventory API: what each role may read and change, filters, and refusals that say what was wrong."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inventory.ledger import lot_receive, stock_adjust
from inventory.models import PurchaseOrder, StockMovement
from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory, WarehouseFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

READERS = ("supplier_coordinator", "manager", "logistics_planner")
OUTSIDERS = ("driver", "intake_operator", "social_worker")
ENDPOINTS = ("api_item-list", "api_stock", "api_lot-list", "api_movement-list", "api_purchase_order-list")


@pytest.fixture
def world(role_users):
    """Central: the order's item (10 units in lot L1, 2 reserved) and an expired lot of it (3 units); north: rice."""
    order, item, central = approved_order(role_users, on_hand=10, per_pack=2)
    actor = role_users["supplier_coordinator"]
    today = timezone.localdate()
    expired = lot_receive(
        actor=actor,
        item=item,
        warehouse=central,
        lot_code="OLD",
        quantity=3,
        expiry_date=today - dt.timedelta(days=1),
        received_on=today - dt.timedelta(days=30),
    )
    north = WarehouseFactory(code="north", name="Almacén norte")
    rice = ItemFactory(sku="RICE")
    soon = lot_receive(
        actor=actor, item=rice, warehouse=north, lot_code="R1", quantity=4, expiry_date=today + dt.timedelta(days=5)
    )
    return {
        "order": order,
        "item": item,
        "central": central,
        "north": north,
        "rice": rice,
        "expired": expired,
        "soon": soon,
        "supplier": SupplierFactory(),
    }


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


# --- who may read --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_coordinators_managers_and_planners_read_every_endpoint(role_users, world, role):
    client = api(role_users[role])

    assert {endpoint: client.get(reverse(endpoint)).status_code for endpoint in ENDPOINTS} == dict.fromkeys(
        ENDPOINTS, 200
    )


@pytest.mark.parametrize("role", OUTSIDERS)
def test_drivers_intake_operators_and_social_workers_are_refused_everywhere(role_users, world, role):
    client = api(role_users[role])

    responses = {endpoint: client.get(reverse(endpoint)) for endpoint in ENDPOINTS}

    assert {endpoint: r.status_code for endpoint, r in responses.items()} == dict.fromkeys(ENDPOINTS, 403)
    assert responses["api_stock"].json() == {"detail": "Your role does not allow this; ask a manager if you need it."}


def test_anonymous_callers_are_refused_everywhere(world):
    responses = {endpoint: api().get(reverse(endpoint)) for endpoint in ENDPOINTS}

    assert {endpoint: r.status_code in (401, 403) for endpoint, r in responses.items()} == dict.fromkeys(
        ENDPOINTS, True
    )
    assert responses["api_item-list"].json() == {"detail": "Authentication credentials were not provided."}


def test_a_driver_cannot_read_one_item_either(role_users, world):
    response = api(role_users["driver"]).get(reverse("api_item-detail", args=[world["item"].pk]))

    assert response.status_code == 403


# --- items -----------------------------------------------------------------------------------------------------------


def test_items_list_their_master_data(role_users, world):
    response = api(role_users["manager"]).get(reverse("api_item-list"))

    rows = results(response)
    assert [row["sku"] for row in rows] == sorted([world["item"].sku, "RICE"])
    assert set(rows[0]) >= {"id", "sku", "name", "safety_stock", "preferred_supplier", "shelf_life_days"}


def test_a_coordinator_sets_safety_stock_and_the_preferred_supplier(role_users, world):
    item, supplier = world["item"], world["supplier"]

    response = api(role_users["supplier_coordinator"]).patch(
        reverse("api_item-detail", args=[item.pk]),
        {"safety_stock": 25, "preferred_supplier": supplier.pk},
        format="json",
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.safety_stock, item.preferred_supplier_id) == (25, supplier.pk)
    assert (response.json()["safety_stock"], response.json()["preferred_supplier"]) == (25, supplier.pk)


@pytest.mark.parametrize("role", ["manager", "logistics_planner", "driver"])
def test_only_coordinators_change_items(role_users, world, role):
    item = world["item"]

    response = api(role_users[role]).patch(reverse("api_item-detail", args=[item.pk]), {"safety_stock": 25})

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.safety_stock == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"sku": "NEW"}, "sku", "This field cannot be changed here; only safety_stock and preferred_supplier can."),
        ({"safety_stock": -1}, "safety_stock", "Safety stock cannot be below zero."),
        ({"safety_stock": "lots"}, "safety_stock", "Safety stock is a whole number of units."),
        ({"preferred_supplier": 999999}, "preferred_supplier", "There is no supplier with id 999999."),
    ],
)
def test_bad_item_changes_are_refused_with_the_field_and_nothing_changes(role_users, world, change, field, message):
    item = world["item"]

    response = api(role_users["supplier_coordinator"]).patch(
        reverse("api_item-detail", args=[item.pk]), {"safety_stock": 5, **change}, format="json"
    )

    assert response.status_code == 400
    assert response.json()[field] == [message]
    item.refresh_from_db()
    assert (item.sku, item.safety_stock, item.preferred_supplier_id) == (world["item"].sku, 0, None)


def test_a_donor_cannot_be_the_preferred_supplier(role_users, world):
    donor = DonorFactory(name="Banco de Alimentos")

    response = api(role_users["supplier_coordinator"]).patch(
        reverse("api_item-detail", args=[world["item"].pk]), {"preferred_supplier": donor.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "preferred_supplier": ["Banco de Alimentos is a donor; the preferred supplier must be someone we buy from."]
    }


# --- stock -----------------------------------------------------------------------------------------------------------


def test_stock_gives_on_hand_reserved_and_available_per_warehouse_and_item(role_users, world):
    response = api(role_users["logistics_planner"]).get(reverse("api_stock"))

    assert response.json() == [
        {
            "warehouse": world["central"].pk,
            "warehouse_code": "central",
            "item": world["item"].pk,
            "sku": world["item"].sku,
            "on_hand": 13,
            "reserved": 2,
            "available": 8,
        },
        {
            "warehouse": world["north"].pk,
            "warehouse_code": "north",
            "item": world["rice"].pk,
            "sku": "RICE",
            "on_hand": 4,
            "reserved": 0,
            "available": 4,
        },
    ]


def test_stock_filtered_by_warehouse_and_item_lists_the_item_even_when_it_has_none(role_users, world):
    response = api(role_users["manager"]).get(
        reverse("api_stock"), {"warehouse": world["central"].pk, "item": world["rice"].pk}
    )

    assert [(r["sku"], r["on_hand"], r["reserved"], r["available"]) for r in response.json()] == [("RICE", 0, 0, 0)]


def test_stock_available_on_a_later_day_leaves_out_lots_expired_by_then(role_users, world):
    later = (timezone.localdate() + dt.timedelta(days=6)).isoformat()

    response = api(role_users["manager"]).get(reverse("api_stock"), {"warehouse": world["north"].pk, "on": later})

    assert [(r["on_hand"], r["available"]) for r in response.json()] == [(4, 0)]


def test_stock_with_an_unknown_warehouse_is_a_400_that_names_it(role_users, world):
    response = api(role_users["manager"]).get(reverse("api_stock"), {"warehouse": 999999})

    assert response.status_code == 400
    assert response.json() == {"warehouse": ["There is no warehouse with id 999999."]}


# --- lots ------------------------------------------------------------------------------------------------------------


def test_lots_come_first_expiring_first_with_what_they_hold(role_users, world):
    response = api(role_users["manager"]).get(reverse("api_lot-list"))

    assert [(r["lot_code"], r["warehouse_code"], r["on_hand"]) for r in results(response)] == [
        ("OLD", "central", 3),
        ("R1", "north", 4),
        ("L1", "central", 10),
    ]


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"warehouse": "north"}, ["R1"]),
        ({"item": "rice"}, ["R1"]),
        ({"expiring_before": 3}, ["OLD"]),
        ({"expiring_before": 10, "warehouse": "central"}, ["OLD"]),
    ],
)
def test_lots_are_filtered_by_warehouse_item_and_expiry(role_users, world, params, codes):
    values = {
        "warehouse": {"north": world["north"].pk, "central": world["central"].pk},
        "item": {"rice": world["rice"].pk},
    }
    query = {
        key: (timezone.localdate() + dt.timedelta(days=value)).isoformat()
        if key == "expiring_before"
        else values[key][value]
        for key, value in params.items()
    }

    response = api(role_users["manager"]).get(reverse("api_lot-list"), query)

    assert [r["lot_code"] for r in results(response)] == codes


def test_a_lot_filter_that_is_not_a_date_is_a_400_that_says_so(role_users, world):
    response = api(role_users["manager"]).get(reverse("api_lot-list"), {"expiring_before": "soon"})

    assert response.status_code == 400
    assert response.json() == {"expiring_before": ["Give the date as YYYY-MM-DD."]}


# --- movements -------------------------------------------------------------------------------------------------------


def test_movements_are_filtered_by_lot_and_kind_and_paginated(role_users, world):
    actor = role_users["supplier_coordinator"]
    for _ in range(3):
        stock_adjust(actor=actor, lot=world["soon"], quantity=1, reason="found")
    client = api(role_users["manager"])

    by_lot = client.get(reverse("api_movement-list"), {"lot": world["soon"].pk, "page_size": 2})
    adjustments = client.get(reverse("api_movement-list"), {"kind": "adjustment"})

    assert by_lot.json()["count"] == 4
    assert [(r["kind"], r["quantity"]) for r in by_lot.json()["results"]] == [("adjustment", 1), ("adjustment", 1)]
    assert by_lot.json()["next"] is not None
    assert [r["lot_code"] for r in results(adjustments)] == ["R1", "R1", "R1"]


def test_movements_are_filtered_by_date_range(role_users, world):
    today = timezone.localdate()
    client = api(role_users["manager"])

    todays = client.get(reverse("api_movement-list"), {"date_from": today.isoformat(), "date_to": today.isoformat()})
    tomorrows = client.get(reverse("api_movement-list"), {"date_from": (today + dt.timedelta(days=1)).isoformat()})

    assert todays.json()["count"] == StockMovement.objects.count() == 3
    assert tomorrows.json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"kind": "theft"}, {"kind": ["“theft” is not a kind of movement."]}),
        ({"date_from": "2025-02-10", "date_to": "2025-02-01"}, {"date_to": ["date_to is before date_from."]}),
        ({"lot": 999999}, {"lot": ["There is no lot with id 999999."]}),
    ],
)
def test_bad_movement_filters_are_a_400_that_names_them(role_users, world, params, errors):
    response = api(role_users["manager"]).get(reverse("api_movement-list"), params)

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize("role", ["supplier_coordinator", "manager", "driver"])
def test_movements_cannot_be_written_through_the_api(role_users, world, role):
    movement = StockMovement.objects.first()
    client = api(role_users[role])
    before = list(StockMovement.objects.values_list("pk", "quantity"))
    data = {"lot": movement.lot_id, "kind": "receipt", "quantity": 99}

    statuses = [
        client.post(reverse("api_movement-list"), data).status_code,
        client.put(reverse("api_movement-detail", args=[movement.pk]), data).status_code,
        client.patch(reverse("api_movement-detail", args=[movement.pk]), data).status_code,
        client.delete(reverse("api_movement-detail", args=[movement.pk])).status_code,
    ]

    assert all(code in (403, 405) for code in statuses), statuses
    assert list(StockMovement.objects.values_list("pk", "quantity")) == before


def test_a_coordinator_posting_a_movement_is_told_the_method_is_not_allowed(role_users, world):
    response = api(role_users["supplier_coordinator"]).post(reverse("api_movement-list"), {"quantity": 5})

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


# --- purchase orders -------------------------------------------------------------------------------------------------


def order_input(world, **changes) -> dict:
    return {
        "supplier": world["supplier"].pk,
        "warehouse": world["central"].pk,
        "lines": [{"item": world["item"].pk, "quantity": 40}, {"item": world["rice"].pk, "quantity": 12}],
        **changes,
    }


def test_a_coordinator_creates_a_draft_purchase_order(role_users, world):
    response = api(role_users["supplier_coordinator"]).post(
        reverse("api_purchase_order-list"), order_input(world, note="Urgente"), format="json"
    )

    assert response.status_code == 201
    order = PurchaseOrder.objects.get()
    body = response.json()
    assert (body["id"], body["reference"], body["status"], body["note"]) == (
        order.pk,
        order.reference,
        "draft",
        "Urgente",
    )
    assert body["expected_on"] == (timezone.localdate() + dt.timedelta(days=5)).isoformat()  # the supplier's lead time
    assert [(line["sku"], line["quantity_ordered"]) for line in body["lines"]] == sorted(
        [(world["item"].sku, 40), ("RICE", 12)]
    )
    assert order.created_by == role_users["supplier_coordinator"]


@pytest.mark.parametrize("role", ["manager", "logistics_planner", "driver"])
def test_only_roles_that_add_purchase_orders_create_them(role_users, world, role):
    response = api(role_users[role]).post(reverse("api_purchase_order-list"), order_input(world), format="json")

    assert response.status_code == 403
    assert PurchaseOrder.objects.count() == 0


def test_anonymous_callers_cannot_create_purchase_orders(world):
    response = api().post(reverse("api_purchase_order-list"), order_input(world), format="json")

    assert response.status_code in (401, 403)
    assert PurchaseOrder.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        # Line errors are keyed by the line's position in the list.
        (
            {"lines": [{"item": 999999, "quantity": 3}]},
            {"lines": {"0": {"item": ["There is no item with id 999999."]}}},
        ),
        (
            {"lines": [{"item": "item", "quantity": 5}, {"item": "item", "quantity": 0}]},
            {"lines": {"1": {"quantity": ["Order at least one unit; got 0."]}}},
        ),
        (
            {"lines": [{"item": "item", "quantity": "ten"}]},
            {"lines": {"0": {"quantity": ["Order a whole number of units."]}}},
        ),
        ({"lines": []}, {"lines": {"non_field_errors": ["A purchase order needs at least one line."]}}),
        ({"supplier": 999999}, {"supplier": ["There is no supplier with id 999999."]}),
        ({"warehouse": None}, {"warehouse": ["Say which warehouse."]}),
        ({"expected_on": "next week"}, {"expected_on": ["Give the date as YYYY-MM-DD."]}),
    ],
)
def test_a_bad_purchase_order_is_a_400_with_the_reason_and_nothing_is_created(role_users, world, changes, errors):
    for line in changes.get("lines", []):
        if line["item"] == "item":
            line["item"] = world["item"].pk

    response = api(role_users["supplier_coordinator"]).post(
        reverse("api_purchase_order-list"), order_input(world, **changes), format="json"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert PurchaseOrder.objects.count() == 0


def test_refusals_of_the_purchasing_service_come_back_as_400(role_users, world):
    client = api(role_users["supplier_coordinator"])
    twice = [{"item": world["item"].pk, "quantity": 1}, {"item": world["item"].pk, "quantity": 2}]

    listed_twice = client.post(reverse("api_purchase_order-list"), order_input(world, lines=twice), format="json")
    to_a_donor = client.post(
        reverse("api_purchase_order-list"), order_input(world, supplier=DonorFactory(name="Cáritas").pk), format="json"
    )

    assert listed_twice.status_code == to_a_donor.status_code == 400
    assert listed_twice.json() == {"non_field_errors": [f"{world['item'].label} is listed twice."]}
    assert to_a_donor.json() == {"non_field_errors": ["Cáritas is a donor: purchase orders go to suppliers."]}
    assert PurchaseOrder.objects.count() == 0


def test_purchase_orders_are_read_with_their_lines(role_users, world):
    api(role_users["supplier_coordinator"]).post(reverse("api_purchase_order-list"), order_input(world), format="json")
    order = PurchaseOrder.objects.get()

    listed = api(role_users["logistics_planner"]).get(reverse("api_purchase_order-list"))
    one = api(role_users["manager"]).get(reverse("api_purchase_order-detail", args=[order.pk]))

    assert [r["reference"] for r in results(listed)] == [order.reference]
    assert one.json()["supplier_name"] == world["supplier"].name
    assert len(one.json()["lines"]) == 2
