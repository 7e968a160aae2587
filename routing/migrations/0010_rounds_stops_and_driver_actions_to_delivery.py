# Rounds, stops and driver actions belong to the delivery day: the `delivery` app owns them from delivery 0001 on.
# Only Django's idea of the models moves; their tables (routing_round, routing_stop, routing_driveraction) and
# rows stay where they are. After logistics 0005, which lets go of the welfare concern that points at a stop.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0009_planningpart'),
        ('logistics', '0005_welfare_concerns_and_surveys_to_delivery'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DriverAction'),
                migrations.DeleteModel(name='Stop'),
                migrations.DeleteModel(name='Round'),
            ],
            database_operations=[],
        ),
    ]
