from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0007_vehicle_crew_start_medication"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliveryorder",
            name="told_date",
            field=models.DateField(blank=True, null=True, verbose_name="date told"),
        ),
        migrations.AddField(
            model_name="deliveryorder",
            name="told_start",
            field=models.TimeField(blank=True, null=True, verbose_name="window start told"),
        ),
        migrations.AddField(
            model_name="deliveryorder",
            name="told_end",
            field=models.TimeField(blank=True, null=True, verbose_name="window end told"),
        ),
    ]
