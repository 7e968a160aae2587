"""A trigram index on Household.search_text, so `search_text LIKE '%word%'` (intake search, duplicate checks) reads
the index instead of scanning every household.

PostgreSQL only, and only here: the index is not declared in Household.Meta because a GinIndex there would be
created by SQLite too whenever it rebuilds the table (SQLite rebuilds tables on most field changes), and SQLite has
no `USING gin`. SQLite's tables are small enough to scan.
"""

from django.db import migrations

INDEX = "household_search_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension since PostgreSQL 13: the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON requests_intake_household USING gin (search_text gin_trgm_ops)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other database objects may use it, and it costs nothing unused.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("requests_intake", "0007_logistics_day"),
    ]

    operations = [migrations.RunPython(index_create, index_drop, elidable=False)]
