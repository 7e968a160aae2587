"""Orders that become ready after the day's rounds went out are fitted into the rounds still at the depot, or a van
that stays home goes out for them; visited stops and vans on the road never change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from delivery.services import round_start, stop_mark_delivered
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.decisions import aid_request_approve
from requests_intake.models import Notification
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory
from routing.live import order_fit_live
from routing.models import PlanningRun, UnplacedOrder
from routing.services import planning_run_execute
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def _day(role_users, *, vans: int = 1, publish: bool = True) -> Stop:
    """One order planned tomorrow on the first of `vans` vans of the central depot; the plan published or a draft."""
    order, _item, warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    for _n in range(vans - 1):
        VehicleFactory(depot=warehouse)
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=publish
    )
    planning_run_execute(run_id=run.pk)
    return Stop.objects.get(order=order)


def _late(role_users, **household) -> DeliveryOrder:
    """An order approved after the plan, its stock reserved."""
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(**household))
    assert order.status == DeliveryOrder.Status.RESERVED
    return order


def _scheduled(order: DeliveryOrder):
    return Notification.objects.filter(request=order.plan.request, event=Notification.Event.SCHEDULED)


def test_a_late_order_joins_the_round_still_at_the_depot_and_is_told_its_window(role_users):
    first = _day(role_users)
    late = _late(role_users)

    fit = order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert fit.new_round is False
    assert fit.round.pk == first.round_id
    assert sorted(Stop.objects.filter(round=first.round).values_list("sequence", flat=True)) == [1, 2]
    late.refresh_from_db()
    assert late.status == DeliveryOrder.Status.PLANNED
    assert _scheduled(late).count() == 1
    assert late.told_date == tomorrow()


def test_the_household_is_told_its_own_hours_by_the_one_window_rule(role_users):
    _day(role_users)
    late = _late(role_users, preferred_from=dt.time(9, 0), preferred_until=dt.time(14, 0))

    fit = order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    late.refresh_from_db()
    assert (late.told_start, late.told_end) == (dt.time(9, 0), dt.time(14, 0))
    body = _scheduled(late).get().body
    assert "09:00" in body
    assert "14:00" in body
    assert dt.time(9, 0) <= fit.stop.arrival_at.astimezone().time() <= dt.time(14, 0)


def test_with_the_only_van_on_the_road_a_van_staying_home_goes_out(role_users):
    first = _day(role_users, vans=2)
    round_start(actor=role_users["driver"], round_=first.round)
    late = _late(role_users)

    fit = order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert fit.new_round is True
    assert fit.round.vehicle_id != first.round.vehicle_id
    assert fit.round.run_id == first.round.run_id
    assert list(fit.round.stops.values_list("order", "sequence")) == [(late.pk, 1)]
    assert Stop.objects.filter(round=first.round).count() == 1


def test_a_van_on_the_road_and_no_van_at_home_refuses_and_changes_nothing(role_users):
    first = _day(role_users)
    round_start(actor=role_users["driver"], round_=first.round)
    late = _late(role_users)
    before = list(Stop.objects.values_list("pk", "round", "sequence", "arrival_at"))

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert refused.value.code == "no_live_round_fits"
    assert list(Stop.objects.values_list("pk", "round", "sequence", "arrival_at")) == before
    late.refresh_from_db()
    assert late.status == DeliveryOrder.Status.RESERVED
    assert not _scheduled(late).exists()


def test_a_visited_stop_keeps_its_round_place_and_time(role_users):
    first = _day(role_users, vans=2)
    round_start(actor=role_users["driver"], round_=first.round)
    stop_mark_delivered(actor=role_users["driver"], stop=first)
    visited = Stop.objects.values_list("round", "sequence", "arrival_at", "outcome").get(pk=first.pk)

    order_fit_live(actor=role_users["logistics_planner"], order=_late(role_users), date=tomorrow())

    assert Stop.objects.values_list("round", "sequence", "arrival_at", "outcome").get(pk=first.pk) == visited


def test_an_order_short_at_planning_is_reserved_and_fitted_once_its_stock_arrives(role_users):
    first = _day(role_users)
    item = ItemFactory()
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack_with({item: 3}), 1)],
        priority=1,
        first_delivery_on=tomorrow(),
    )
    short = plan.orders.get()
    assert short.status == DeliveryOrder.Status.SHORT
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=first.round.depot,
        lot_code="NOON",
        quantity=3,
        expiry_date=None,
    )

    fit = order_fit_live(actor=role_users["logistics_planner"], order=short, date=tomorrow())

    short.refresh_from_db()
    assert short.status == DeliveryOrder.Status.PLANNED
    assert fit.stop.order_id == short.pk


def test_an_order_still_short_is_refused(role_users):
    _day(role_users)
    item = ItemFactory()
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    plan = aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack_with({item: 3}), 1)],
        priority=1,
        first_delivery_on=tomorrow(),
    )

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=plan.orders.get(), date=tomorrow())

    assert refused.value.code == "order_not_ready"
    assert not Stop.objects.filter(order__plan=plan).exists()


def test_the_left_out_row_of_a_fitted_order_goes(role_users):
    first = _day(role_users)
    late = _late(role_users)
    UnplacedOrder.objects.create(run=first.round.run, order=late, reason="stock_short")

    order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert not UnplacedOrder.objects.filter(order=late).exists()


def test_a_draft_plan_is_refused(role_users):
    _day(role_users, publish=False)

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=_late(role_users), date=tomorrow())

    assert refused.value.code == "plan_not_published"


def test_a_day_with_no_plan_is_refused(role_users):
    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=_late(role_users), date=tomorrow())

    assert refused.value.code == "no_plan_to_fit"


def test_an_order_already_on_a_round_is_refused(role_users):
    first = _day(role_users)

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=first.order, date=tomorrow())

    assert refused.value.code == "order_on_round"
    assert Stop.objects.filter(order=first.order).count() == 1


def test_an_order_without_a_point_is_refused(role_users):
    _day(role_users)
    late = _late(role_users, latitude=None, longitude=None)

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert refused.value.code == "order_no_location"


def test_an_order_due_after_the_day_is_refused(role_users):
    first = _day(role_users)
    late = _late(role_users)
    DeliveryOrder.objects.filter(pk=late.pk).update(due_date=tomorrow() + dt.timedelta(days=3))

    with pytest.raises(ValidationError) as refused:
        order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert refused.value.code == "order_not_due"
    assert Round.objects.filter(run=first.round.run).count() == 1
