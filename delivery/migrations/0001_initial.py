# The delivery day's models, taken over from routing (Round, Stop, DriverAction) and logistics (WelfareConcern,
# SatisfactionSurvey) with their tables as they are: state only, no table is created, renamed or copied, so every
# row stays. Runs after routing 0010 and logistics 0005 have let go of them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('inventory', '0006_one_active_hold_per_line_item'),
        ('logistics', '0005_welfare_concerns_and_surveys_to_delivery'),
        ('requests_intake', '0010_catalan_language_choice'),
        ('routing', '0010_rounds_stops_and_driver_actions_to_delivery'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Round',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('start_at', models.DateTimeField(verbose_name='leaves depot at')),
                        ('end_at', models.DateTimeField(verbose_name='back at depot at')),
                        ('distance_m', models.PositiveIntegerField(verbose_name='distance (m)')),
                        ('depot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='inventory.warehouse', verbose_name='depot')),
                        ('driver', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to=settings.AUTH_USER_MODEL, verbose_name='driver')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='routing.planningrun', verbose_name='run')),
                        ('vehicle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='logistics.vehicle', verbose_name='vehicle')),
                    ],
                    options={
                        'verbose_name': 'round',
                        'verbose_name_plural': 'rounds',
                        'db_table': 'routing_round',
                        'ordering': ['date', 'vehicle__name'],
                        'permissions': [('record_delivery', 'Can record delivery outcomes on own rounds')],
                    },
                ),
                migrations.CreateModel(
                    name='Stop',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sequence', models.PositiveSmallIntegerField(verbose_name='sequence')),
                        ('arrival_at', models.DateTimeField(verbose_name='arrival')),
                        ('outcome', models.CharField(choices=[('pending', 'To deliver'), ('delivered', 'Delivered'), ('failed', 'Not delivered')], default='pending', max_length=10, verbose_name='outcome')),
                        ('failure_reason', models.CharField(blank=True, choices=[('not_home', 'Nobody at home'), ('refused', 'Refused'), ('wrong_address', 'Wrong address'), ('no_access', 'No access')], max_length=20, verbose_name='failure reason')),
                        ('received_by', models.CharField(blank=True, max_length=120, verbose_name='received by')),
                        ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='recorded at')),
                        ('locked', models.BooleanField(default=False, help_text='A re-optimisation keeps the stop on its round at its place.', verbose_name='locked')),
                        ('signature', models.FileField(blank=True, upload_to='proof/signatures/%Y/%m/', verbose_name='signature')),
                        ('photo', models.FileField(blank=True, upload_to='proof/photos/%Y/%m/', verbose_name='photo')),
                        ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stops', to='logistics.deliveryorder', verbose_name='order')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stops', to='delivery.round', verbose_name='round')),
                    ],
                    options={
                        'verbose_name': 'stop',
                        'verbose_name_plural': 'stops',
                        'db_table': 'routing_stop',
                        'ordering': ['round', 'sequence'],
                    },
                ),
                migrations.CreateModel(
                    name='DriverAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.UUIDField(unique=True, verbose_name='key')),
                        ('kind', models.CharField(max_length=20, verbose_name='kind')),
                        ('done_at', models.DateTimeField(verbose_name='done on the phone at')),
                        ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                        ('accepted', models.BooleanField(verbose_name='accepted')),
                        ('code', models.CharField(blank=True, default='', max_length=40, verbose_name='refusal code')),
                        ('message', models.CharField(blank=True, max_length=300, verbose_name='answer')),
                        ('driver', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='driver')),
                        ('round', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='delivery.round', verbose_name='round')),
                        ('stop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='delivery.stop', verbose_name='stop')),
                    ],
                    options={
                        'verbose_name': 'driver action',
                        'verbose_name_plural': 'driver actions',
                        'db_table': 'routing_driveraction',
                        'ordering': ['received_at'],
                    },
                ),
                migrations.CreateModel(
                    name='WelfareConcern',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='what the driver saw')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='raised at')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='acknowledged at')),
                        ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acknowledged by')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='concerns', to='requests_intake.household', verbose_name='household')),
                        ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                        ('stop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='delivery.stop', verbose_name='stop')),
                    ],
                    options={
                        'verbose_name': 'welfare concern',
                        'verbose_name_plural': 'welfare concerns',
                        'db_table': 'logistics_welfareconcern',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SatisfactionSurvey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=43, unique=True, verbose_name='token')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                        ('score', models.PositiveSmallIntegerField(blank=True, choices=[(1, '1'), (2, '2'), (3, '3'), (4, '4'), (5, '5')], null=True, verbose_name='score')),
                        ('on_time', models.BooleanField(blank=True, null=True, verbose_name='arrived in the window')),
                        ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='survey', to='logistics.deliveryorder', verbose_name='order')),
                    ],
                    options={
                        'verbose_name': 'satisfaction survey',
                        'verbose_name_plural': 'satisfaction surveys',
                        'db_table': 'logistics_satisfactionsurvey',
                        'constraints': [models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 1), ('score__lte', 5)), _connector='OR'), name='survey_score_range')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='stop',
                    constraint=models.UniqueConstraint(fields=('round', 'sequence'), name='stop_unique_sequence'),
                ),
                migrations.AddConstraint(
                    model_name='stop',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'failed'), _negated=True), models.Q(('failure_reason', ''), _negated=True), _connector='OR'), name='stop_failure_has_reason'),
                ),
            ],
            database_operations=[],
        ),
    ]
