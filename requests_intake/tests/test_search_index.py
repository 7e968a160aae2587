"""The trigram index behind the household search (requests_intake 0008): on PostgreSQL `search_text LIKE
'%word%'` reads it instead of the whole table; on SQLite the migration does nothing, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from requests_intake.models import Household
from requests_intake.selectors import households_search
from requests_intake.tests.factories import HouseholdFactory

BEFORE = ("requests_intake", "0007_logistics_day")
INDEX = ("requests_intake", "0008_household_search_trigram")


def _index_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'household_search_trgm'")
        return cursor.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_back_and_forward_and_the_search_still_finds(migrator):
    household = HouseholdFactory(given_name="Ángela", family_name="García Muñoz")

    migrator(BEFORE)
    # Forward again to the latest: the search reads today's model, whose later columns came after the index.
    executor = MigrationExecutor(connection)
    migrator(*executor.loader.graph.leaf_nodes())

    assert list(households_search("garcia mu")) == [household]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_migrating_back_drops_the_index_and_forward_makes_it_again(migrator):
    assert _index_exists()

    migrator(BEFORE)
    assert not _index_exists()

    migrator(INDEX)
    assert _index_exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_searching_for_part_of_a_word_reads_the_trigram_index():
    HouseholdFactory(family_name="García Muñoz")
    # The search's own filter on search_text, as households_search writes it for each word.
    sql, params = Household.objects.filter(search_text__contains="arci").only("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        # A test table is a few rows, which PostgreSQL would rather scan: rule the scan out to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on household_search_trgm" in plan
