"""requests_intake 0009: existing gateway accounts move to the webhook's own permission and keep working; going
back gives them the two permissions the webhook asked for before."""

import pytest

BEFORE = ("requests_intake", "0008_household_search_trigram")
GATEWAY_PERMISSION = ("requests_intake", "0009_gateway_permission")

pytestmark = pytest.mark.django_db(transaction=True)


def _codes(apps, group: str) -> list[str]:
    permissions = apps.get_model("auth", "Group").objects.get(name=group).permissions
    return sorted(permissions.values_list("codename", flat=True))


def _permission(apps, model: str):
    """The add permission of `model` as post_migrate makes it (the tests start from an empty database)."""
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="requests_intake", model=model
    )
    return apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=f"add_{model}", defaults={"name": f"Can add {model}"}
    )[0]


def _gateway_group_before(apps) -> None:
    group = apps.get_model("auth", "Group").objects.create(name="gateway")
    group.permissions.set([_permission(apps, "aidrequest"), _permission(apps, "requestmessage")])
    apps.get_model("auth", "Group").objects.create(name="intake_operator").permissions.set(group.permissions.all())


def test_an_existing_gateway_group_gets_the_webhook_permission_and_only_that(migrator):
    _gateway_group_before(migrator.from_empty(BEFORE))

    apps = migrator(GATEWAY_PERMISSION)

    assert _codes(apps, "gateway") == ["post_gateway_messages"]
    assert _codes(apps, "intake_operator") == ["add_aidrequest", "add_requestmessage"]


def test_a_database_without_gateways_gets_no_gateway_group(migrator):
    migrator.from_empty(BEFORE)

    apps = migrator(GATEWAY_PERMISSION)

    assert not apps.get_model("auth", "Group").objects.filter(name="gateway").exists()


def test_migrating_back_gives_gateways_their_old_permissions(migrator):
    _gateway_group_before(migrator.from_empty(BEFORE))
    migrator(GATEWAY_PERMISSION)

    apps = migrator(BEFORE)

    assert _codes(apps, "gateway") == ["add_aidrequest", "add_requestmessage"]
