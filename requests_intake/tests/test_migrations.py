"""Every data migration (RunPython) of Reparto, run on rows made with the historical models: the database is
migrated back to just before it, rows are written as they were then, and migrating forward must transform them.

Covers inventory 0004 (balances from the ledger), requests_intake 0003 (requests take their household's zone), both
going backward as a no-op, so migrating back must keep every row; and requests_intake 0008 (the trigram index on
PostgreSQL, nothing on SQLite), which goes back by dropping the index."""

import datetime as dt
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

INVENTORY_BEFORE = ("inventory", "0003_ledger_purchasing_alerts_counts")
INVENTORY_BACKFILL = ("inventory", "0004_backfill_balances")
INTAKE_BEFORE = ("requests_intake", "0002_aidplan_recurrence")
INTAKE_ZONES = ("requests_intake", "0003_household_record_channels_decisions_rules")
INTAKE_BEFORE_TRIGRAM = ("requests_intake", "0007_logistics_day")
INTAKE_TRIGRAM = ("requests_intake", "0008_household_search_trigram")

pytestmark = pytest.mark.django_db(transaction=True)


def _user(apps, username: str = "migrator"):
    return apps.get_model("auth", "User").objects.create(username=username)


def _lot(apps, *, item, warehouse, code: str):
    return apps.get_model("inventory", "StockLot").objects.create(
        item=item, warehouse=warehouse, lot_code=code, received_on=dt.date(2026, 1, 5)
    )


def _stock_before_balances(apps) -> dict[str, int]:
    """Three lots as a database had them before balances existed; returns each lot's id by its code."""
    Warehouse = apps.get_model("inventory", "Warehouse")
    Item = apps.get_model("inventory", "Item")
    StockMovement = apps.get_model("inventory", "StockMovement")
    user = _user(apps)
    warehouse = Warehouse.objects.create(
        code="central",
        name="Central",
        address="Polígono Cabezo Beaza",
        latitude=Decimal("37.6190"),
        longitude=Decimal("-0.9700"),
    )
    item = Item.objects.create(
        sku="RICE-1", name="Rice 1 kg", category="food", weight_kg=Decimal("1.000"), volume_l=Decimal("1.200")
    )
    received_and_sent = _lot(apps, item=item, warehouse=warehouse, code="L-A")
    StockMovement.objects.create(lot=received_and_sent, kind="receipt", quantity=10, created_by=user)
    StockMovement.objects.create(lot=received_and_sent, kind="dispatch", quantity=-3, created_by=user)
    StockMovement.objects.create(lot=received_and_sent, kind="return", quantity=1, created_by=user)
    emptied = _lot(apps, item=item, warehouse=warehouse, code="L-B")
    StockMovement.objects.create(lot=emptied, kind="receipt", quantity=4, created_by=user)
    StockMovement.objects.create(lot=emptied, kind="dispatch", quantity=-4, created_by=user)
    never_moved = _lot(apps, item=item, warehouse=warehouse, code="L-C")
    return {"L-A": received_and_sent.pk, "L-B": emptied.pk, "L-C": never_moved.pk}


def test_balances_are_backfilled_from_each_lots_ledger(migrator):
    lots = _stock_before_balances(migrator.from_empty(INVENTORY_BEFORE))
    assert not migrator(INVENTORY_BEFORE).get_model("inventory", "StockBalance").objects.exists()

    apps = migrator(INVENTORY_BACKFILL)

    balances = dict(apps.get_model("inventory", "StockBalance").objects.values_list("lot_id", "quantity"))
    assert balances == {lots["L-A"]: 8, lots["L-B"]: 0, lots["L-C"]: 0}


def test_a_database_without_lots_gets_no_balances(migrator):
    migrator.from_empty(INVENTORY_BEFORE)

    apps = migrator(INVENTORY_BACKFILL)

    assert apps.get_model("inventory", "StockBalance").objects.count() == 0


def test_migrating_the_backfill_back_keeps_the_ledger_and_the_lots(migrator):
    lots = _stock_before_balances(migrator.from_empty(INVENTORY_BEFORE))
    migrator(INVENTORY_BACKFILL)

    apps = migrator(INVENTORY_BEFORE)

    # The ledger is the record; balances are derived from it and may be dropped going back.
    movements = apps.get_model("inventory", "StockMovement").objects.order_by("pk")
    assert list(movements.values_list("lot_id", "quantity")) == [
        (lots["L-A"], 10),
        (lots["L-A"], -3),
        (lots["L-A"], 1),
        (lots["L-B"], 4),
        (lots["L-B"], -4),
    ]
    assert set(apps.get_model("inventory", "StockLot").objects.values_list("pk", flat=True)) == set(lots.values())


def test_the_backfill_runs_again_after_migrating_back(migrator):
    lots = _stock_before_balances(migrator.from_empty(INVENTORY_BEFORE))
    migrator(INVENTORY_BACKFILL)
    migrator(INVENTORY_BEFORE)
    apps = MigrationExecutor(connection).loader.project_state([INVENTORY_BACKFILL]).apps

    # The migration's own function, in a transaction of its own: a failure rolls back cleanly, where a failing
    # migration would leave SQLite's schema editor inside its transaction for the tests after this one.
    with transaction.atomic():
        import_module("inventory.migrations.0004_backfill_balances").balances_from_ledger(apps, None)

    balances = dict(apps.get_model("inventory", "StockBalance").objects.values_list("lot_id", "quantity"))
    assert balances == {lots["L-A"]: 8, lots["L-B"]: 0, lots["L-C"]: 0}


def _requests_before_zones(apps) -> dict[str, int]:
    """Two households, one in a zone and one not, each with a request; returns the request ids by case."""
    Zone = apps.get_model("requests_intake", "Zone")
    Household = apps.get_model("requests_intake", "Household")
    AidRequest = apps.get_model("requests_intake", "AidRequest")
    user = _user(apps)
    zone = Zone.objects.create(code="casco", name="Casco Antiguo", postcodes="30201")
    placed = Household.objects.create(
        given_name="Ana",
        family_name="Pérez",
        document_type="none",
        address="Calle Mayor 1",
        municipality="Cartagena",
        zone=zone,
    )
    unplaced = Household.objects.create(
        given_name="Luis", family_name="Gómez", document_type="none", address="Sin calle", municipality="Cartagena"
    )
    received = timezone.now()
    in_zone = AidRequest.objects.create(household=placed, channel="phone", received_at=received, registered_by=user)
    second = AidRequest.objects.create(household=placed, channel="sms", received_at=received, registered_by=user)
    no_zone = AidRequest.objects.create(household=unplaced, channel="phone", received_at=received, registered_by=user)
    return {"zone": zone.pk, "in_zone": in_zone.pk, "second": second.pk, "no_zone": no_zone.pk}


def test_requests_take_the_zone_of_their_household(migrator):
    ids = _requests_before_zones(migrator.from_empty(INTAKE_BEFORE))

    apps = migrator(INTAKE_ZONES)

    zones = dict(apps.get_model("requests_intake", "AidRequest").objects.values_list("pk", "zone_id"))
    assert zones == {ids["in_zone"]: ids["zone"], ids["second"]: ids["zone"], ids["no_zone"]: None}


def test_migrating_the_zones_back_keeps_every_request_and_household(migrator):
    ids = _requests_before_zones(migrator.from_empty(INTAKE_BEFORE))
    migrator(INTAKE_ZONES)

    apps = migrator(INTAKE_BEFORE)

    # Backward drops the request's zone column (it is derived from the household) and nothing else.
    AidRequest = apps.get_model("requests_intake", "AidRequest")
    assert set(AidRequest.objects.values_list("pk", flat=True)) == {ids["in_zone"], ids["second"], ids["no_zone"]}
    Household = apps.get_model("requests_intake", "Household")
    assert list(Household.objects.order_by("given_name").values_list("given_name", "zone_id")) == [
        ("Ana", ids["zone"]),
        ("Luis", None),
    ]


def _trigram_index_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'household_search_trgm'")
        return cursor.fetchone() is not None


@pytest.mark.postgres
def test_the_trigram_index_is_made_going_forward_and_serves_searches_inside_words(migrator):
    migrator.from_empty(INTAKE_BEFORE_TRIGRAM)
    assert not _trigram_index_exists()

    migrator(INTAKE_TRIGRAM)

    assert _trigram_index_exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a near-empty table is otherwise scanned, index or not
        cursor.execute("EXPLAIN SELECT id FROM requests_intake_household WHERE search_text LIKE '%garc%'")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "household_search_trgm" in plan


@pytest.mark.postgres
def test_migrating_the_trigram_index_back_drops_it_and_keeps_the_households(migrator):
    apps = migrator.from_empty(INTAKE_TRIGRAM)
    apps.get_model("requests_intake", "Household").objects.create(
        given_name="Ana", family_name="García", document_type="none", address="Calle Real 3", municipality="Cartagena"
    )

    apps = migrator(INTAKE_BEFORE_TRIGRAM)

    assert not _trigram_index_exists()
    assert list(apps.get_model("requests_intake", "Household").objects.values_list("family_name", flat=True)) == [
        "García"
    ]


def test_the_trigram_migration_leaves_sqlite_alone_both_ways(migrator):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL run checks the index itself")
    migrator.from_empty(INTAKE_BEFORE_TRIGRAM)
    tables_before = connection.introspection.table_names()

    migrator(INTAKE_TRIGRAM)
    migrator(INTAKE_BEFORE_TRIGRAM)

    assert connection.introspection.table_names() == tables_before
