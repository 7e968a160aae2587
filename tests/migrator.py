"""Moving the test database between migrations, for the tests of data migrations (the `migrator` fixture)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _nodes(targets) -> list[tuple[str, str]]:
    """Targets as ("app", "migration") pairs, or lists of them."""
    return [node for target in targets for node in ([target] if isinstance(target[0], str) else target)]


class Migrator:
    def __call__(self, *targets):
        """Migrate to `targets`, back or forward, and return the historical models there."""
        nodes = _nodes(targets)
        MigrationExecutor(connection).migrate(nodes)
        return MigrationExecutor(connection).loader.project_state(nodes).apps

    def from_empty(self, *targets):
        """Start from an empty database and migrate forward to `targets`: what a test that writes its rows with the
        historical models wants, at a fraction of the cost of unapplying every later migration of every app
        (Django renders the whole project state again for each migration it takes back)."""
        _empty_database()
        return self(*targets)


def _empty_database() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            tables = connection.introspection.table_names(cursor)
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
