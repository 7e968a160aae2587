"""A day's orders served from another depot (logistics.depot_days): every open, unplanned order of the day moves
through the per-order path, its stock held at the new depot and given back at the old one, or none moves."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import UserFactory, tomorrow
from delivery.models import Stop
from inventory.ledger import balance_differences
from inventory.models import Reservation, Warehouse
from inventory.selectors import available_by_item
from inventory.tests.factories import ItemFactory, pack_with
from logistics.depot_days import orders_serve_from, orders_served_from
from logistics.models import DeliveryOrder
from logistics.tests.depot_day_world import ACTIVE, day_order, depot_day, depots_of, held, stock
from logistics.tests.factories import VehicleFactory
from logistics.tests.races import run_together
from routing.models import PlanningRun
from routing.services import planning_run_execute

pytestmark = pytest.mark.django_db
S = DeliveryOrder.Status


@pytest.fixture
def world(role_users):
    return depot_day(role_users)


@pytest.fixture
def planner(role_users):
    return role_users["logistics_planner"]


def test_every_open_order_of_the_day_moves_with_its_stock(role_users, world, planner):
    orders = [day_order(role_users, world) for _ in range(3)]
    assert held(world.norte) == {order.pk: 2 for order in orders}

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert move.count == 3
    assert [order.pk for order in move.moved] == [order.pk for order in orders]
    assert move.waiting == []
    assert depots_of(orders) == {order.pk: ("sur", S.RESERVED) for order in orders}
    assert held(world.norte) == {}
    assert held(world.sur) == {order.pk: 2 for order in orders}
    assert available_by_item(warehouse=world.norte, on=tomorrow(), items=[world.rice]) == {world.rice.pk: 20}
    assert available_by_item(warehouse=world.sur, on=tomorrow(), items=[world.rice]) == {world.rice.pk: 14}
    assert Counter(Reservation.objects.values_list("warehouse__code", "status")) == {
        ("norte", Reservation.Status.RELEASED): 3,
        ("sur", ACTIVE): 3,
    }
    assert balance_differences() == []


def test_an_order_waiting_for_stock_moves_and_is_reserved_at_the_new_depot(role_users, planner):
    world = depot_day(role_users, norte_rice=0, sur_rice=2)
    short = day_order(role_users, world)
    assert short.status == S.SHORT

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert (move.count, move.waiting) == (1, [])
    assert depots_of([short]) == {short.pk: ("sur", S.RESERVED)}
    assert held(world.sur) == {short.pk: 2}


def test_an_order_the_new_depot_cannot_reserve_either_moves_and_is_reported_waiting(role_users, planner):
    world = depot_day(role_users, norte_rice=0, sur_rice=0)
    short = day_order(role_users, world)

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert [order.pk for order in move.waiting] == [short.pk]
    assert depots_of([short]) == {short.pk: ("sur", S.SHORT)}


def test_reserved_orders_are_served_before_waiting_ones_take_the_stock(role_users, planner):
    world = depot_day(role_users, norte_rice=2, sur_rice=2)
    waiting = day_order(role_users, world, reserve=False)  # the lower pk: it would go first by number
    reserved = day_order(role_users, world)
    assert (waiting.status, reserved.status) == (S.PENDING, S.RESERVED)

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert move.count == 2
    assert depots_of([waiting, reserved]) == {waiting.pk: ("sur", S.SHORT), reserved.pk: ("sur", S.RESERVED)}
    assert held(world.sur) == {reserved.pk: 2}


def test_planned_closed_other_days_and_other_depots_orders_stay(role_users, world, planner):
    moving = day_order(role_users, world)
    planned = day_order(role_users, world)
    DeliveryOrder.objects.filter(pk=planned.pk).update(status=S.PLANNED)
    delivered = day_order(role_users, world, reserve=False, status=S.DELIVERED)
    cancelled = day_order(role_users, world, reserve=False, status=S.CANCELLED)
    later = day_order(role_users, world, due=tomorrow() + dt.timedelta(days=1))
    at_sur = day_order(role_users, world, depot=world.sur)

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert [order.pk for order in move.moved] == [moving.pk]
    assert depots_of([planned, delivered, cancelled, later, at_sur]) == {
        planned.pk: ("norte", S.PLANNED),
        delivered.pk: ("norte", S.DELIVERED),
        cancelled.pk: ("norte", S.CANCELLED),
        later.pk: ("norte", S.RESERVED),
        at_sur.pk: ("sur", S.RESERVED),
    }
    assert held(world.norte) == {planned.pk: 2, later.pk: 2}


def test_with_a_zone_only_that_zones_orders_move(role_users, world, planner):
    in_a = day_order(role_users, world, zone=world.zone_a)
    in_b = day_order(role_users, world, zone=world.zone_b)
    nowhere = day_order(role_users, world)

    move = orders_serve_from(
        actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur, zone=world.zone_a
    )

    assert [order.pk for order in move.moved] == [in_a.pk]
    assert depots_of([in_a, in_b, nowhere]) == {
        in_a.pk: ("sur", S.RESERVED),
        in_b.pk: ("norte", S.RESERVED),
        nowhere.pk: ("norte", S.RESERVED),
    }


def test_a_planner_listed_on_a_zone_moves_only_that_zones_orders_and_those_in_none(role_users, world, planner):
    planner.zones.add(world.zone_a)
    in_a = day_order(role_users, world, zone=world.zone_a)
    in_b = day_order(role_users, world, zone=world.zone_b)
    nowhere = day_order(role_users, world)

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert [order.pk for order in move.moved] == [in_a.pk, nowhere.pk]
    assert depots_of([in_b]) == {in_b.pk: ("norte", S.RESERVED)}


def test_a_planner_listed_on_a_zone_may_not_move_another_zone(role_users, world, planner):
    planner.zones.add(world.zone_a)
    in_b = day_order(role_users, world, zone=world.zone_b)

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur, zone=world.zone_b)

    assert refused.value.code == "depot_day_not_allowed"
    assert depots_of([in_b]) == {in_b.pk: ("norte", S.RESERVED)}


def test_the_same_depot_is_refused(role_users, world, planner):
    order = day_order(role_users, world)

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.norte)

    assert refused.value.code == "same_depot"
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_an_unknown_depot_is_refused(role_users, world, planner):
    order = day_order(role_users, world)
    nowhere = Warehouse(pk=99999, code="nowhere", name="Almacén fantasma")

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=nowhere)

    assert refused.value.code == "unknown_depot"
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}
    assert held(world.norte) == {order.pk: 2}


@pytest.mark.parametrize("role", ["social_worker", "driver", "supplier_coordinator", "intake_operator"])
def test_a_user_who_does_not_plan_may_not_move_a_day(role_users, world, role):
    order = day_order(role_users, world)

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=role_users[role], date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert refused.value.code == "depot_day_not_allowed"
    assert depots_of([order]) == {order.pk: ("norte", S.RESERVED)}


def test_a_day_with_nothing_to_move_is_refused(role_users, world, planner):
    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert refused.value.code == "no_orders"


def test_a_day_the_new_depot_cannot_cover_whole_moves_nothing(role_users, planner):
    world = depot_day(role_users, norte_rice=20, sur_rice=5)  # two orders of 2 fit, the third does not
    orders = [day_order(role_users, world) for _ in range(3)]
    waiting = day_order(role_users, world, reserve=False)

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert refused.value.code == "depot_short"
    assert refused.value.params["order_ids"] == [orders[2].pk]
    assert refused.value.params["units_lacking"] == {world.rice.pk: 1}
    assert depots_of([*orders, waiting]) == {
        **{order.pk: ("norte", S.RESERVED) for order in orders},
        waiting.pk: ("norte", S.PENDING),
    }
    assert held(world.norte) == {order.pk: 2 for order in orders}
    assert held(world.sur) == {}
    assert Reservation.objects.exclude(status=ACTIVE).count() == 0
    assert balance_differences() == []


def test_stock_brought_over_after_a_refusal_lets_the_day_move(role_users, planner):
    world = depot_day(role_users, norte_rice=20, sur_rice=5)
    orders = [day_order(role_users, world) for _ in range(3)]
    with pytest.raises(ValidationError):
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)
    stock(role_users, world.rice, world.sur, 1)

    move = orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert move.count == 3
    assert held(world.sur) == {order.pk: 2 for order in orders}


def test_the_confirmation_counts_the_orders_the_move_takes(role_users, world, planner):
    day_order(role_users, world, zone=world.zone_a)
    day_order(role_users, world, zone=world.zone_b)
    planned = day_order(role_users, world)
    DeliveryOrder.objects.filter(pk=planned.pk).update(status=S.PLANNED)

    every_zone = orders_served_from(actor=planner, date=tomorrow(), depot=world.norte).count()
    zone_a = orders_served_from(actor=planner, date=tomorrow(), depot=world.norte, zone=world.zone_a).count()

    assert (every_zone, zone_a) == (2, 1)
    assert orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur).count == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_planners_moving_the_same_day_at_once_move_each_order_once(role_users):
    world = depot_day(role_users, norte_rice=20, sur_rice=20)
    orders = [day_order(role_users, world) for _ in range(6)]
    colleague = UserFactory(username="second_planner")
    colleague.groups.set(role_users["logistics_planner"].groups.all())
    planners = [role_users["logistics_planner"], colleague]
    outcomes: list[str] = []

    def move(actor):
        def run():
            try:
                orders_serve_from(actor=actor, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)
                outcomes.append("moved")
            except ValidationError as refusal:
                outcomes.append(refusal.code)

        return run

    run_together([move(actor) for actor in planners])

    assert sorted(outcomes) == ["moved", "no_orders"]
    assert depots_of(orders) == {order.pk: ("sur", S.RESERVED) for order in orders}
    assert held(world.sur) == {order.pk: 2 for order in orders}
    assert held(world.norte) == {}
    assert Reservation.objects.filter(status=Reservation.Status.RELEASED).count() == 6
    assert balance_differences() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_days_moved_the_other_way_round_at_once_both_move(role_users):
    """Each move takes its orders' items in the opposite order (rice then oil, oil then rice): locked one order at
    a time, the two would wait on each other until PostgreSQL broke the deadlock by failing one."""
    world = depot_day(role_users, norte_rice=20, sur_rice=20)
    oil = ItemFactory(name="Aceite 1 l")
    stock(role_users, oil, world.norte, 20)
    stock(role_users, oil, world.sur, 20)
    oil_pack = pack_with({oil: 2}, name="Lote de aceite")
    to_sur = [day_order(role_users, world), day_order(role_users, world, pack=oil_pack)]
    to_norte = [
        day_order(role_users, world, depot=world.sur, pack=oil_pack),
        day_order(role_users, world, depot=world.sur),
    ]
    planner = role_users["logistics_planner"]

    run_together(
        [
            lambda: orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur),
            lambda: orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.sur, to_depot=world.norte),
        ]
    )

    assert depots_of(to_sur) == {order.pk: ("sur", S.RESERVED) for order in to_sur}
    assert depots_of(to_norte) == {order.pk: ("norte", S.RESERVED) for order in to_norte}
    assert held(world.sur) == {order.pk: 2 for order in to_sur}
    assert held(world.norte) == {order.pk: 2 for order in to_norte}
    assert balance_differences() == []


def test_a_reserved_order_still_on_a_round_refuses_the_whole_day(role_users, world, planner):
    on_round = day_order(role_users, world)
    VehicleFactory(depot=world.norte, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=planner)
    planning_run_execute(run_id=run.pk)
    assert Stop.objects.filter(order=on_round, outcome=Stop.Outcome.PENDING).count() == 1
    # Planned orders are not the day move's (they stay); one back to reserved while its stop is still on the round
    # is the case the per-order path guards, and the day move hears its refusal.
    DeliveryOrder.objects.filter(pk=on_round.pk).update(status=S.RESERVED)
    free = day_order(role_users, world)  # came after the plan: on no round

    with pytest.raises(ValidationError) as refused:
        orders_serve_from(actor=planner, date=tomorrow(), from_depot=world.norte, to_depot=world.sur)

    assert refused.value.code == "order_on_a_round"
    assert refused.value.params["order_ids"] == [on_round.pk]
    assert depots_of([on_round, free]) == {on_round.pk: ("norte", S.RESERVED), free.pk: ("norte", S.RESERVED)}
    assert held(world.norte) == {on_round.pk: 2, free.pk: 2}
