# Welfare concerns and satisfaction surveys belong to the delivery day: the `delivery` app owns them from
# delivery 0001 on. Only Django's idea of the models moves; their tables and rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('logistics', '0004_logistics_day'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='WelfareConcern'),
                migrations.DeleteModel(name='SatisfactionSurvey'),
            ],
            database_operations=[],
        ),
    ]
