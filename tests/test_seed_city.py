"""`seed_city` builds a coherent city (counts, stock, rounds, users) and refuses what it should; the load test's
arithmetic and results file."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from core import roles
from delivery.models import Round, Stop
from inventory.ledger import balance_differences
from inventory.models import Reservation, StockMovement, Warehouse
from inventory.selectors import available_by_item
from loadtest.__main__ import _write
from loadtest.client import percentile
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, AidRequest, Household, Zone
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status


def seed(*extra: str) -> str:
    out = io.StringIO()
    call_command("seed_city", "--households", "300", "--password", "city-password-1", *extra, stdout=out)
    return out.getvalue()


def test_a_small_city_has_the_requested_sizes_and_every_request_status():
    output = seed()

    assert Household.objects.count() == 300
    assert Household.objects.filter(latitude__isnull=True).count() == 0
    assert Zone.objects.filter(code__startswith="ciudad-").count() == 15
    statuses = dict(AidRequest.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses == {
        "approved": 30,
        "in_assessment": 11,
        "info_only": 7,
        "rejected": 6,
        "more_info": 3,
        "referred": 3,
    }
    assert AidPlan.objects.count() == 30
    assert AidRequest.objects.filter(reference__startswith="R-").count() == 60
    assert "City built in" in output


def test_tomorrow_has_its_orders_reserved_and_today_a_published_plan():
    seed()
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)

    assert list(DeliveryOrder.objects.filter(due_date=tomorrow).values_list("status", flat=True)) == [S.RESERVED] * 6
    assert list(DeliveryOrder.objects.filter(due_date=today).values_list("status", flat=True)) == [S.PLANNED] * 6
    run = PlanningRun.objects.get(date=today)
    assert run.published_at is not None
    assert Stop.objects.filter(round__run=run).count() == 6
    assert set(Stop.objects.values_list("order__status", flat=True)) == {S.PLANNED}
    # Every round is driven by its van's driver and leaves from the van's depot.
    assert all(r.driver_id == r.vehicle.driver_id and r.depot_id == r.vehicle.depot_id for r in Round.objects.all())


def test_stock_matches_the_ledger_and_no_item_is_held_beyond_the_shelf():
    seed()

    assert balance_differences() == []
    call_command("check_stock", stdout=io.StringIO())  # exits 1 on any difference
    for warehouse in Warehouse.objects.all():
        assert min(available_by_item(warehouse=warehouse, on=timezone.localdate()).values()) >= 0
    delivered = DeliveryOrder.objects.filter(status=S.DELIVERED)
    assert delivered.exists()
    # A delivered order took its units off the shelf; an open one holds them; a cancelled one gave them back.
    assert not delivered.filter(stock_movements__isnull=True).exists()
    assert not Reservation.objects.filter(order__in=delivered).exclude(status=Reservation.Status.CONSUMED).exists()
    assert not Reservation.objects.filter(order__status__in=[S.RESERVED, S.PLANNED]).exclude(status="active").exists()
    assert not Reservation.objects.filter(order__status=S.CANCELLED).exclude(status="released").exists()
    assert (
        StockMovement.objects.filter(kind=StockMovement.Kind.DISPATCH).exclude(order__status=S.DELIVERED).count() == 0
    )


def test_every_role_has_a_user_who_signs_in_with_the_given_password():
    seed()
    users = get_user_model().objects

    for username, role in [
        ("operadora", roles.INTAKE_OPERATOR),
        ("trabajadora", roles.SOCIAL_WORKER),
        ("planificador", roles.LOGISTICS_PLANNER),
        ("conductor3", roles.DRIVER),
        ("proveedores", roles.SUPPLIER_COORDINATOR),
        ("gerente", roles.MANAGER),
    ]:
        user = users.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password("city-password-1")
    assert users.get(username="admin").is_superuser
    # The demo social worker works the first two zones; every zone has someone.
    assert users.get(username="trabajadora").zones.count() == 2
    assert not Zone.objects.filter(code__startswith="ciudad-", social_workers__isnull=True).exists()


def test_a_database_with_households_is_refused_and_left_alone():
    HouseholdFactory()

    with pytest.raises(CommandError, match="already has 1 households"):
        seed()

    assert Household.objects.count() == 1
    assert not AidRequest.objects.exists()
    assert not get_user_model().objects.exists()


def test_force_adds_a_second_city_without_touching_the_first_plan():
    seed()
    first_run = PlanningRun.objects.get()
    users = get_user_model().objects.count()

    output = seed("--force", "--seed", "7")

    assert Household.objects.count() == 600
    assert get_user_model().objects.count() == users
    assert "kept their passwords" in output
    assert PlanningRun.objects.get() == first_run
    today = timezone.localdate()
    # The second city's orders for today wait, reserved, for the planner: none is planned without a stop.
    assert DeliveryOrder.objects.filter(due_date=today, status=S.RESERVED).count() == 6
    assert not DeliveryOrder.objects.filter(status=S.PLANNED, stops__isnull=True).exists()
    assert balance_differences() == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--households", "5"], "between 100 and 2000000; got 5"),
        (["--households", "300", "--password", ""], "--password cannot be empty"),
        (["--households", "300", "--day-orders", "500"], "day orders must be between 1 and 10"),
        (["--households", "300", "--requests", "400"], "requests must be between 20"),
    ],
)
def test_bad_sizes_are_refused_before_anything_is_made(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_city", *arguments, stdout=io.StringIO())

    assert not Household.objects.exists()
    assert not get_user_model().objects.exists()


def test_percentiles_are_nearest_rank():
    timings = [float(n) for n in range(1, 101)]

    assert (percentile(timings, 0.5), percentile(timings, 0.95), percentile(timings, 0.99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 0.99) == 7.0


def test_a_run_replaces_only_its_own_section_of_the_results_file(tmp_path):
    path = tmp_path / "load.md"
    path.write_text("# Load\n\nWhat we found.\n")

    _write(path, "all-pages", "first\n")
    _write(path, "list-pages", "other\n")
    _write(path, "all-pages", "second\n")

    text = path.read_text()
    assert text.startswith("# Load\n\nWhat we found.\n")
    assert "second" in text
    assert "first" not in text
    assert "<!-- load-results:list-pages:start -->\nother\n<!-- load-results:list-pages:end -->" in text
