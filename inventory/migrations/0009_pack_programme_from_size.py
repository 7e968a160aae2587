"""Packs made before programmes existed take theirs from their size: a baby pack is budgeted under baby, a hygiene
pack under hygiene, every other size under food (the field's default)."""

from django.db import migrations


def programme_from_size(apps, schema_editor):
    Pack = apps.get_model("inventory", "Pack")  # noqa: N806 - a model class
    for size in ("baby", "hygiene"):
        Pack.objects.filter(size=size, programme="food").update(programme=size)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0008_zone_depot_two_people")]

    # Going back, 0007's reversal drops the field with whatever it holds.
    operations = [migrations.RunPython(programme_from_size, migrations.RunPython.noop)]
