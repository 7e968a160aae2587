"""Gateways get a permission of their own for the webhook; the gateway group keeps only that one.

Before, the webhook asked for add_aidrequest and add_requestmessage, which intake operators hold too, so an
operator's personal token passed for a gateway's. Existing gateway accounts keep working after the upgrade."""

from django.db import migrations

GATEWAY_GROUP = "gateway"
NEW = ("requestmessage", "post_gateway_messages", "Can post messages as a gateway")
OLD = (("aidrequest", "add_aidrequest"), ("requestmessage", "add_requestmessage"))


def _permission(apps, model: str, codename: str, name: str | None = None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label="requests_intake", model=model)
    if name is None:
        return Permission.objects.filter(content_type=content_type, codename=codename).first()
    # Created here, not left to post_migrate, so the group can hold it in this same migration.
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant_gateway_permission(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GATEWAY_GROUP).first()
    if group is not None:
        group.permissions.set([_permission(apps, *NEW)])


def restore_old_permissions(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GATEWAY_GROUP).first()
    if group is not None:
        group.permissions.set([p for p in (_permission(apps, *old) for old in OLD) if p is not None])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("requests_intake", "0008_household_search_trigram"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="requestmessage",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [("post_gateway_messages", "Can post messages as a gateway")],
                "verbose_name": "request message",
                "verbose_name_plural": "request messages",
            },
        ),
        migrations.RunPython(grant_gateway_permission, restore_old_permissions),
    ]
