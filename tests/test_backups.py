"""Backups restore: the drill restores into a fresh database with every row and a ledger that still adds up."""

from pathlib import Path

import pytest
from django.db import connection

from core.backups import drill, restore
from inventory.tests.factories import ItemFactory, WarehouseFactory
from tests.scenarios import stock_received


def _some_stock(role_users):
    warehouse, item = WarehouseFactory(), ItemFactory()
    stock_received(role_users, item, warehouse, "DRILL-1", 40)
    stock_received(role_users, item, warehouse, "DRILL-2", 15)


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_every_row_and_a_matching_ledger(role_users, tmp_path):
    _some_stock(role_users)
    result = drill(tmp_path)
    assert result["differences"] == {}
    assert result["rows"] > 0
    assert result["ledger_ok"], result["ledger_report"]
    assert result["files"][0].exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_drill_on_postgresql_uses_pg_dump_and_pg_restore(role_users, tmp_path):
    _some_stock(role_users)
    result = drill(tmp_path)
    assert result["files"][0].suffix == ".dump"
    assert result["differences"] == {}
    assert result["ledger_ok"], result["ledger_report"]


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    with pytest.raises(ValueError, match="not a Reparto backup"):
        restore(notes)


def test_a_postgresql_dump_is_not_loaded_into_sqlite(tmp_path, db):
    if connection.vendor == "postgresql":
        pytest.skip("this checks the SQLite setup's refusal")  # the PostgreSQL run covers the other way round
    dump = Path(tmp_path / "reparto-1.dump")
    dump.write_bytes(b"PGDMP")
    with pytest.raises(ValueError, match="restores into PostgreSQL"):
        restore(dump)
