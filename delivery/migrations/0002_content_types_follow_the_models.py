# The content types of the moved models take the delivery label, so the permissions hanging off them (and every
# group and user holding those permissions, and the admin's history) follow: "routing.record_delivery" is now
# "delivery.record_delivery", "logistics.add_welfareconcern" is "delivery.add_welfareconcern", with the same rows.

from django.db import migrations

MOVED = {
    "routing": ("round", "stop", "driveraction"),
    "logistics": ("welfareconcern", "satisfactionsurvey"),
}


def _relabel(apps, schema_editor, *, to_old: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_label, models in MOVED.items():
        source, target = ("delivery", old_label) if to_old else (old_label, "delivery")
        for model in models:
            existing = ContentType.objects.using(db).filter(app_label=source, model=model).first()
            if existing is None:
                continue  # a new database: the content types are made after migrating, under the new label
            # One made under the target label meanwhile (post_migrate after a partial migrate) holds only the
            # default permissions, given to nobody yet: it makes way for the one that carries the history.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            existing.app_label = target
            existing.save(update_fields=["app_label"])
    # The process-wide cache may still hold the old labels (tests migrate inside one process).
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def forward(apps, schema_editor):
    _relabel(apps, schema_editor, to_old=False)


def backward(apps, schema_editor):
    _relabel(apps, schema_editor, to_old=True)


class Migration(migrations.Migration):

    dependencies = [
        ("delivery", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, backward)]
