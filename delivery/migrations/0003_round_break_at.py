from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_content_types_follow_the_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="break_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="break starts at"),
        ),
    ]
