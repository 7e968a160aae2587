"""The delivery day's models moved from routing and logistics into this app without losing a row: the database is
migrated back to just before the move, a day is written with the historical models (a round, a stop, a driver
action, a welfare concern, a survey, groups holding the old permissions), and migrating forward must find it all
through the new models, with every group's permissions under the new label."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from delivery.models import DriverAction, Round, SatisfactionSurvey, Stop, WelfareConcern

# The last migrations before the move; going back to them unapplies the delivery app's too.
BEFORE = [("routing", "0009_planningpart"), ("logistics", "0004_logistics_day")]
MOVED = {"routing": ["round", "stop", "driveraction"], "logistics": ["welfareconcern", "satisfactionsurvey"]}
EVERY_MOVED = [model for models in MOVED.values() for model in models]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    """Migrate the test database to `targets` and return the historical models of every migration applied then.

    Apps the move does not touch stay at their latest migration, so their models (a warehouse with a column added
    since) are read as the database has them, not as they were before the move."""
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    loader = MigrationExecutor(connection).loader
    applied = set(loader.applied_migrations)
    latest = [node for node in applied if not any(child in applied for child in loader.graph.node_map[node].children)]
    return loader.project_state(latest).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.fixture
def migrator(migrator):
    """The shared `migrator` (the template comes back afterwards), answering with the models of every app as
    migrated."""
    return _migrate


def _content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _permission(apps, app_label: str, model: str, codename: str):
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    content_type = _content_type(apps, app_label, model)
    return Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": codename})[
        0
    ]


def _day_before_the_move(apps) -> dict:
    """A delivered stop of a published round, with everything the delivery day writes, as the old apps held it."""
    User = apps.get_model("auth", "User")  # noqa: N806
    driver = User.objects.create(username="conductor")
    worker = User.objects.create(username="trabajadora")
    warehouse = apps.get_model("inventory", "Warehouse").objects.create(
        code="central", name="Central", address="Polígono", latitude=Decimal("37.6"), longitude=Decimal("-0.97")
    )
    vehicle = apps.get_model("logistics", "Vehicle").objects.create(
        name="Furgoneta 1", plate="1234ABC", depot=warehouse, driver=driver, capacity_kg=800, capacity_l=4000
    )
    household = apps.get_model("requests_intake", "Household").objects.create(
        given_name="Ana", family_name="Pérez", document_type="none", address="Calle Mayor 1", municipality="Cartagena"
    )
    request = apps.get_model("requests_intake", "AidRequest").objects.create(
        household=household, channel="phone", received_at=timezone.now(), registered_by=worker
    )
    day = dt.date(2026, 3, 2)
    plan = apps.get_model("requests_intake", "AidPlan").objects.create(request=request, first_delivery_on=day)
    order = apps.get_model("logistics", "DeliveryOrder").objects.create(
        plan=plan, household=household, warehouse=warehouse, due_date=day, status="delivered"
    )
    run = apps.get_model("routing", "PlanningRun").objects.create(
        date=day, requested_by=worker, status="done", published_at=timezone.now()
    )
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    round_ = apps.get_model("routing", "Round").objects.create(
        run=run,
        date=day,
        vehicle=vehicle,
        driver=driver,
        depot=warehouse,
        start_at=start,
        end_at=start + dt.timedelta(hours=4),
        distance_m=23_400,
    )
    stop = apps.get_model("routing", "Stop").objects.create(
        round=round_,
        order=order,
        sequence=1,
        arrival_at=start + dt.timedelta(minutes=25),
        outcome="delivered",
        received_by="Ana",
        recorded_at=start + dt.timedelta(minutes=27),
    )
    key = uuid.uuid4()
    action = apps.get_model("routing", "DriverAction").objects.create(
        key=key, driver=driver, stop=stop, round=round_, kind="delivered", done_at=stop.recorded_at, accepted=True
    )
    concern = apps.get_model("logistics", "WelfareConcern").objects.create(
        household=household, stop=stop, raised_by=driver, text="La nevera está vacía."
    )
    survey = apps.get_model("logistics", "SatisfactionSurvey").objects.create(
        order=order, token="t" * 43, score=5, on_time=True, comment="Muy amables"
    )
    Group = apps.get_model("auth", "Group")  # noqa: N806
    drivers = Group.objects.create(name="driver")
    drivers.permissions.set(
        [
            _permission(apps, "routing", "round", "record_delivery"),
            _permission(apps, "logistics", "welfareconcern", "add_welfareconcern"),
        ]
    )
    managers = Group.objects.create(name="manager")
    managers.permissions.set(
        [
            _permission(apps, "logistics", "welfareconcern", "view_welfareconcern"),
            _permission(apps, "logistics", "satisfactionsurvey", "view_satisfactionsurvey"),
        ]
    )
    driver.groups.add(drivers)
    worker.groups.add(managers)
    return {
        "round": round_.pk,
        "stop": stop.pk,
        "action": action.pk,
        "key": key,
        "concern": concern.pk,
        "survey": survey.pk,
        "order": order.pk,
        "run": run.pk,
        "content_types": {
            model: _content_type(apps, label, model).pk for label, models in MOVED.items() for model in models
        },
    }


def test_every_row_of_the_delivery_day_is_found_through_the_delivery_models_with_its_permissions(migrator):
    apps = migrator(BEFORE)
    before = _day_before_the_move(apps)
    # A post_migrate run on a half-migrated database made an empty delivery twin, with a default permission: it
    # gives way to the content type that holds the groups' permissions.
    twin = _content_type(apps, "delivery", "round")
    _permission(apps, "delivery", "round", "view_round")

    _latest()

    round_ = Round.objects.get()
    assert (round_.pk, round_.run_id, round_.distance_m, round_.vehicle.plate) == (
        before["round"],
        before["run"],
        23_400,
        "1234ABC",
    )
    stop = Stop.objects.get()
    assert (stop.pk, stop.round_id, stop.order_id, stop.outcome, stop.received_by) == (
        before["stop"],
        before["round"],
        before["order"],
        Stop.Outcome.DELIVERED,
        "Ana",
    )
    action = DriverAction.objects.get()
    assert (action.pk, action.key, action.stop_id, action.round_id, action.accepted) == (
        before["action"],
        before["key"],
        before["stop"],
        before["round"],
        True,
    )
    concern = WelfareConcern.objects.get()
    assert (concern.pk, concern.stop_id, concern.text) == (before["concern"], before["stop"], "La nevera está vacía.")
    survey = SatisfactionSurvey.objects.get()
    assert (survey.pk, survey.order_id, survey.score, survey.comment) == (
        before["survey"],
        before["order"],
        5,
        "Muy amables",
    )
    # The relations read both ways across the moved models.
    assert list(round_.stops.values_list("pk", flat=True)) == [before["stop"]]
    assert list(stop.actions.values_list("pk", flat=True)) == [before["action"]]
    # Every group keeps its permissions, under the new label.
    driver = Group.objects.get(name="driver").user_set.get()
    manager = Group.objects.get(name="manager").user_set.get()
    assert driver.has_perm("delivery.record_delivery")
    assert driver.has_perm("delivery.add_welfareconcern")
    assert not driver.has_perm("routing.record_delivery")
    assert manager.has_perm("delivery.view_welfareconcern")
    assert manager.has_perm("delivery.view_satisfactionsurvey")
    # The content types are the same rows, relabelled, so anything else pointing at them (admin history) follows.
    moved = dict(ContentType.objects.filter(app_label="delivery", model__in=EVERY_MOVED).values_list("model", "pk"))
    assert moved == before["content_types"]
    assert not ContentType.objects.filter(app_label="routing", model__in=MOVED["routing"]).exists()
    assert not ContentType.objects.filter(app_label="logistics", model__in=MOVED["logistics"]).exists()
    assert not ContentType.objects.filter(pk=twin.pk).exists()
    assert (
        Permission.objects.filter(content_type_id=before["content_types"]["round"], codename="record_delivery").count()
        == 1
    )


def test_migrating_back_returns_the_models_and_their_permissions_to_routing_and_logistics(migrator):
    before = _day_before_the_move(migrator(BEFORE))
    _latest()

    apps = migrator(BEFORE)

    assert list(apps.get_model("routing", "Stop").objects.values_list("pk", flat=True)) == [before["stop"]]
    assert list(apps.get_model("logistics", "WelfareConcern").objects.values_list("pk", flat=True)) == [
        before["concern"]
    ]
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806
    assert dict(
        ContentType.objects.filter(app_label="routing", model__in=MOVED["routing"]).values_list("model", "pk")
    ) == {model: before["content_types"][model] for model in MOVED["routing"]}
    assert not ContentType.objects.filter(app_label="delivery", model__in=EVERY_MOVED).exists()
