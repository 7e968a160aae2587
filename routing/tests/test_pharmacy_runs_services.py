"""Pharmacy runs in planning: a medication order is a pickup at its pharmacy, within its opening hours, and a
delivery home on the same van, pickup first; a pharmacy that cannot be visited that day leaves the order out with
its own reason; moving, removing, locking and fitting in late keep the two stops together."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.crew import crews_for
from logistics.models import DeliveryOrder, Skill, Vehicle
from logistics.week_plan import reference
from requests_intake.models import Notification
from routing import solver
from routing.adapter import PICKUP_SERVICE_TIME_S, day_problem, planner_locks, seconds, stop_id
from routing.board import stop_lock, stop_move
from routing.live import order_fit_live
from routing.models import PlanningRun
from routing.reasons import PHARMACY_CLOSED, PHARMACY_NO_LOCATION, PHARMACY_OPENS_LATE, PHARMACY_UNREACHABLE
from routing.services import planning_run_execute
from routing.stop_removal import order_stop_remove
from routing.tests.pharmacy_world import medication_day, pharmacy_open
from routing.tests.town import town_plan

pytestmark = pytest.mark.django_db


def _stops(order: DeliveryOrder) -> list[tuple[str, int, int]]:
    """(kind, round id, sequence) of the order's stops in driving order."""
    return list(Stop.objects.filter(order=order).order_by("round", "sequence").values_list("kind", "round", "sequence"))


def _local(stop: Stop) -> dt.time:
    return timezone.localtime(stop.arrival_at).time()


def _day_problem(day: dict, date: dt.date | None = None):
    orders = (
        DeliveryOrder.objects.filter(pk__in=[day["medication"].pk, day["plain"].pk])
        .select_related("household", "warehouse", "plan__pharmacy")
        .order_by("pk")
    )
    vehicles = list(Vehicle.objects.in_service().select_related("depot", "driver").order_by("pk"))
    date = date or tomorrow()
    return day_problem(crews=crews_for(date, vehicles).crews, orders=list(orders), date=date)


# --- The solver's input -----------------------------------------------------------------------------------------


def test_a_medication_order_adds_a_pickup_paired_before_its_delivery(role_users):
    day = medication_day(role_users, pharmacy_open([(dt.time(9), dt.time(13, 30)), (dt.time(17), dt.time(20))]))
    medication = day["medication"]

    problem = _day_problem(day).problem

    stops = {s.id: s for s in problem.stops}
    pickup, delivery = stops[f"{medication.pk}:pickup"], stops[str(medication.pk)]
    assert problem.pairs == ((pickup.id, delivery.id),)
    assert (pickup.demand, pickup.service_time) == ((0, 0, 0), PICKUP_SERVICE_TIME_S)
    # Served before the counter closes: each span ends a pickup's service early.
    assert pickup.windows == (
        solver.TimeWindow(seconds(dt.time(9)), seconds(dt.time(13, 25))),
        solver.TimeWindow(seconds(dt.time(17)), seconds(dt.time(19, 55))),
    )
    assert pickup.skills == delivery.skills
    assert Skill.MEDICATION in pickup.skills
    assert sorted(stops) == sorted([pickup.id, delivery.id, str(day["plain"].pk)])


def test_the_pickup_stands_at_the_pharmacy_in_the_travel_matrix(role_users):
    day = medication_day(role_users)
    problem = _day_problem(day).problem
    index = {s.id: i for i, s in enumerate(problem.stops)}

    pickup = problem.node(index[f"{day['medication'].pk}:pickup"])
    home = problem.node(index[str(day["medication"].pk)])

    assert problem.distance[pickup][home] > 0
    assert problem.distance[pickup][pickup] == 0


# --- Planning a day ---------------------------------------------------------------------------------------------


def test_a_medication_order_is_collected_at_its_pharmacy_then_delivered_home_on_one_round(role_users):
    day = medication_day(role_users)

    run = town_plan(role_users)

    assert run.unplaced.count() == 0
    (pickup_kind, pickup_round, pickup_at), (delivery_kind, delivery_round, delivery_at) = _stops(day["medication"])
    assert (pickup_kind, delivery_kind) == (Stop.Kind.PICKUP, Stop.Kind.DELIVERY)
    assert pickup_round == delivery_round
    assert pickup_at < delivery_at
    pickup = Stop.objects.get(order=day["medication"], kind=Stop.Kind.PICKUP)
    assert dt.time(9) <= _local(pickup) <= dt.time(13, 55)


def test_an_order_without_a_pharmacy_has_only_its_delivery(role_users):
    day = medication_day(role_users)

    town_plan(role_users)

    assert [kind for kind, _round, _seq in _stops(day["plain"])] == [Stop.Kind.DELIVERY]


def test_with_split_hours_the_pickup_lands_in_a_span_the_van_can_reach(role_users):
    # The morning span closes before the vans leave at 09:00: only the midday one is left.
    pharmacy = pharmacy_open([(dt.time(7), dt.time(8, 30)), (dt.time(11), dt.time(12))])
    day = medication_day(role_users, pharmacy)

    run = town_plan(role_users)

    assert run.unplaced.count() == 0
    pickup = Stop.objects.get(order=day["medication"], kind=Stop.Kind.PICKUP)
    delivery = Stop.objects.get(order=day["medication"], kind=Stop.Kind.DELIVERY)
    assert dt.time(11) <= _local(pickup) <= dt.time(11, 55)
    assert pickup.arrival_at < delivery.arrival_at
    assert pickup.round_id == delivery.round_id


def test_a_pharmacy_closed_that_day_leaves_the_order_out_saying_which_day_it_opens(role_users):
    day = medication_day(role_users, pharmacy_open([]))

    run = town_plan(role_users)

    unplaced = run.unplaced.get()
    next_day = (tomorrow().weekday() + 1) % 7
    assert (unplaced.order, unplaced.reason, unplaced.fix_kind, unplaced.fix_value) == (
        day["medication"],
        PHARMACY_CLOSED,
        "pharmacy_open_day",
        [next_day],
    )
    day_name = (tomorrow() + dt.timedelta(days=1)).strftime("%A")
    assert unplaced.explanation == (
        f"Its pharmacy is closed that day, so the medication cannot be collected. Choose a day it opens: {day_name}."
    )
    assert _stops(day["medication"]) == []
    assert [kind for kind, _round, _seq in _stops(day["plain"])] == [Stop.Kind.DELIVERY]


def test_a_pharmacy_with_no_opening_hours_at_all_asks_for_them(role_users):
    pharmacy = pharmacy_open([])
    pharmacy.hours.all().delete()
    day = medication_day(role_users, pharmacy)

    run = town_plan(role_users)

    unplaced = run.unplaced.get(order=day["medication"])
    assert (unplaced.reason, unplaced.fix_kind, unplaced.fix_value) == (PHARMACY_CLOSED, "pharmacy_open_day", [])
    assert unplaced.explanation.endswith("Enter the pharmacy's opening hours, or choose another pharmacy on the plan.")


def test_a_pharmacy_not_on_the_map_leaves_the_order_out_asking_to_place_it(role_users):
    day = medication_day(role_users, pharmacy_open(name="Farmacia Sin Mapa", latitude=None, longitude=None))

    run = town_plan(role_users)

    unplaced = run.unplaced.get()
    assert (unplaced.order, unplaced.reason, unplaced.fix_kind, unplaced.fix_value) == (
        day["medication"],
        PHARMACY_NO_LOCATION,
        "place_pharmacy",
        "Farmacia Sin Mapa",
    )
    assert unplaced.explanation.endswith("Place the pharmacy Farmacia Sin Mapa on the map.")
    assert _stops(day["medication"]) == []


def test_a_pharmacy_opening_after_the_delivery_window_leaves_the_order_out_with_the_window_it_needs(role_users):
    day = medication_day(role_users, pharmacy_open([(dt.time(15), dt.time(20))]))  # the order's window: 09–14

    run = town_plan(role_users)

    unplaced = run.unplaced.get()
    assert (unplaced.order, unplaced.reason, unplaced.fix_kind) == (
        day["medication"],
        PHARMACY_OPENS_LATE,
        "widen_window",
    )
    # Open at 15:00, five minutes at the counter, then the short drive home.
    assert seconds(dt.time(15, 5)) < unplaced.fix_value < seconds(dt.time(15, 15))
    assert unplaced.explanation.startswith("Its pharmacy opens too late to bring the medication home")
    assert _stops(day["medication"]) == []


def test_a_pharmacy_closing_before_the_vans_leave_is_unreachable_and_the_delivery_goes_out_with_it(role_users):
    day = medication_day(role_users, pharmacy_open([(dt.time(7), dt.time(8, 30))]))  # vans leave at 09:00

    run = town_plan(role_users)

    unplaced = run.unplaced.get()
    assert (unplaced.order, unplaced.reason, unplaced.fix_kind) == (
        day["medication"],
        PHARMACY_UNREACHABLE,
        "pharmacy_hours",
    )
    assert seconds(dt.time(9)) <= unplaced.fix_value < seconds(dt.time(9, 10))
    assert unplaced.explanation.startswith("No van can reach its pharmacy while it is open. A van reaches it at 09:0")
    assert _stops(day["medication"]) == []


def test_a_medication_order_without_a_driver_for_it_is_left_out_once_naming_the_rule(role_users):
    day = medication_day(role_users)
    Vehicle.objects.update(driver=None)  # the spare driver has no permission to carry medication
    role_users["driver"].user_permissions.clear()

    run = town_plan(role_users)

    unplaced = run.unplaced.get()
    assert (unplaced.order, unplaced.reason, unplaced.fix_value) == (day["medication"], "missing_skill", ["medication"])


def test_the_households_are_told_their_delivery_time_never_the_pickups(role_users):
    day = medication_day(role_users)

    run = town_plan(role_users)  # published at once

    assert run.published_at is not None

    delivery = Stop.objects.get(order=day["medication"], kind=Stop.Kind.DELIVERY)
    scheduled = Notification.objects.filter(request=day["medication"].plan.request, event=Notification.Event.SCHEDULED)
    assert scheduled.count() == 1
    day["medication"].refresh_from_db()
    assert day["medication"].status == DeliveryOrder.Status.PLANNED
    assert day["medication"].told_date == timezone.localdate(delivery.arrival_at)


def test_fitting_orders_into_the_plan_adds_the_pickup_and_delivery_and_keeps_the_others_in_place(role_users):
    day = medication_day(role_users)
    DeliveryOrder.objects.filter(pk=day["medication"].pk).update(due_date=tomorrow() + dt.timedelta(days=3))
    first = town_plan(role_users)
    plain_van = Stop.objects.get(order=day["plain"]).round.vehicle_id
    DeliveryOrder.objects.filter(pk=day["medication"].pk).update(due_date=tomorrow())
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], kind=PlanningRun.Kind.INSERT
    )

    planning_run_execute(run_id=run.pk)

    assert first.pk != run.pk
    assert run.unplaced.count() == 0
    kinds = list(Stop.objects.filter(round__run=run).order_by("sequence").values_list("order", "kind"))
    assert sorted(kinds) == sorted(
        [
            (day["plain"].pk, Stop.Kind.DELIVERY),
            (day["medication"].pk, Stop.Kind.PICKUP),
            (day["medication"].pk, Stop.Kind.DELIVERY),
        ]
    )
    assert kinds.index((day["medication"].pk, Stop.Kind.PICKUP)) < kinds.index(
        (day["medication"].pk, Stop.Kind.DELIVERY)
    )
    assert Stop.objects.get(order=day["plain"]).round.vehicle_id == plain_van


# --- Changing the plan ------------------------------------------------------------------------------------------


def _draft(role_users, **day_fields) -> dict:
    day = medication_day(role_users, vans=2, **day_fields)
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], publish_when_done=False
    )
    planning_run_execute(run_id=run.pk)
    day["run"] = run
    day["pickup"] = Stop.objects.get(order=day["medication"], kind=Stop.Kind.PICKUP)
    day["delivery"] = Stop.objects.get(order=day["medication"], kind=Stop.Kind.DELIVERY)
    used = day["pickup"].round
    day["other"] = Round.objects.create(
        run=run, date=tomorrow(), vehicle=next(v for v in day["vans"] if v.pk != used.vehicle_id),
        driver=None, depot=day["warehouse"], start_at=used.start_at, end_at=used.start_at, distance_m=0,
    )  # fmt: skip
    return day


def test_moving_the_delivery_to_another_round_takes_its_pickup_along_just_before_it(role_users):
    day = _draft(role_users)
    source = day["delivery"].round

    stop_move(actor=role_users["logistics_planner"], stop=day["delivery"], to_round=day["other"], position=1)

    assert _stops(day["medication"]) == [
        (Stop.Kind.PICKUP, day["other"].pk, 1),
        (Stop.Kind.DELIVERY, day["other"].pk, 2),
    ]
    assert list(Stop.objects.filter(round=source).values_list("order", "sequence")) == [(day["plain"].pk, 1)]
    pickup, delivery = (Stop.objects.get(pk=day[key].pk) for key in ("pickup", "delivery"))
    assert pickup.arrival_at < delivery.arrival_at


def test_moving_the_pickup_to_another_round_takes_its_delivery_along_just_after_it(role_users):
    day = _draft(role_users)
    plain = Stop.objects.get(order=day["plain"])
    stop_move(actor=role_users["logistics_planner"], stop=plain, to_round=day["other"], position=1)

    stop_move(actor=role_users["logistics_planner"], stop=day["pickup"], to_round=day["other"], position=2)

    assert list(Stop.objects.filter(round=day["other"]).order_by("sequence").values_list("order", "kind")) == [
        (day["plain"].pk, Stop.Kind.DELIVERY),
        (day["medication"].pk, Stop.Kind.PICKUP),
        (day["medication"].pk, Stop.Kind.DELIVERY),
    ]


def test_a_delivery_whose_medication_was_collected_stays_on_its_round(role_users):
    day = _draft(role_users)
    Stop.objects.filter(pk=day["pickup"].pk).update(outcome=Stop.Outcome.DELIVERED)
    before = _stops(day["medication"])

    with pytest.raises(ValidationError) as exc:
        stop_move(actor=role_users["logistics_planner"], stop=day["delivery"], to_round=day["other"], position=1)

    assert exc.value.code == "pickup_already_recorded"
    assert _stops(day["medication"]) == before


def test_putting_the_delivery_before_its_pickup_is_refused_and_nothing_moves(role_users):
    day = _draft(role_users)
    before = _stops(day["medication"]) + _stops(day["plain"])

    with pytest.raises(ValidationError) as exc:
        stop_move(
            actor=role_users["logistics_planner"],
            stop=day["delivery"],
            to_round=day["delivery"].round,
            position=1,
        )

    assert exc.value.code == "delivery_before_pickup"
    assert _stops(day["medication"]) + _stops(day["plain"]) == before


def test_the_pickup_may_move_earlier_on_its_own_round(role_users):
    day = _draft(role_users)
    round_ = day["pickup"].round

    stop_move(actor=role_users["logistics_planner"], stop=day["pickup"], to_round=round_, position=1)

    kinds = list(Stop.objects.filter(round=round_).order_by("sequence").values_list("order", "kind"))
    assert kinds[0] == (day["medication"].pk, Stop.Kind.PICKUP)
    assert kinds.index((day["medication"].pk, Stop.Kind.DELIVERY)) > 0


def test_taking_the_order_off_its_round_removes_its_pickup_too(role_users):
    day = _draft(role_users)

    with transaction.atomic():
        removed = order_stop_remove(actor=role_users["logistics_planner"], order=day["medication"])

    assert removed == day["delivery"].pk
    assert _stops(day["medication"]) == []
    assert list(Stop.objects.filter(round=day["delivery"].round).values_list("order", "sequence")) == [
        (day["plain"].pk, 1)
    ]


def test_a_locked_delivery_takes_its_pickup_to_its_van_when_the_day_is_planned_again(role_users):
    day = _draft(role_users)
    stop_move(actor=role_users["logistics_planner"], stop=day["delivery"], to_round=day["other"], position=1)
    stop_lock(actor=role_users["logistics_planner"], stop=Stop.objects.get(pk=day["delivery"].pk), locked=True)
    van = day["other"].vehicle

    town_plan(role_users)

    vans = set(Stop.objects.filter(order=day["medication"]).values_list("round__vehicle", flat=True))
    assert vans == {van.pk}
    assert [kind for kind, _round, _seq in _stops(day["medication"])] == [Stop.Kind.PICKUP, Stop.Kind.DELIVERY]
    assert Stop.objects.get(order=day["medication"], kind=Stop.Kind.DELIVERY).locked is True


def test_a_locked_delivery_holds_its_pickup_to_the_same_van_without_a_place(role_users):
    day = _draft(role_users)
    Stop.objects.filter(pk=day["delivery"].pk).update(locked=True)
    problem = _day_problem(day)
    van = str(day["delivery"].round.vehicle_id)

    locks = planner_locks(problem, tomorrow())

    assert locks == {
        stop_id(day["medication"].pk): (van, day["delivery"].sequence),
        stop_id(day["medication"].pk, Stop.Kind.PICKUP): (van, None),
    }


# --- Fitting a late order into live rounds ----------------------------------------------------------------------


def test_a_late_medication_order_joins_a_live_round_as_its_pickup_then_its_delivery(role_users):
    day = medication_day(role_users)
    day["medication"].status = DeliveryOrder.Status.RESERVED
    late = day["medication"]
    # The day is planned and published without it; it becomes ready afterwards.
    DeliveryOrder.objects.filter(pk=late.pk).update(due_date=tomorrow() + dt.timedelta(days=3))
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    DeliveryOrder.objects.filter(pk=late.pk).update(due_date=tomorrow())
    late.refresh_from_db()

    fit = order_fit_live(actor=role_users["logistics_planner"], order=late, date=tomorrow())

    assert fit.stop.kind == Stop.Kind.DELIVERY
    stops = list(Stop.objects.filter(round=fit.round).order_by("sequence"))
    kinds = [(s.order_id, s.kind) for s in stops]
    at = kinds.index((late.pk, Stop.Kind.PICKUP))
    assert kinds[at + 1] == (late.pk, Stop.Kind.DELIVERY)
    assert dt.time(9) <= _local(stops[at]) <= dt.time(13, 55)
    scheduled = Notification.objects.filter(request=late.plan.request, event=Notification.Event.SCHEDULED)
    assert scheduled.count() == 1


def test_a_late_medication_order_whose_pharmacy_is_closed_is_refused_and_nothing_changes(role_users):
    day = medication_day(role_users, pharmacy_open([]))
    run = town_plan(role_users)
    stops_before = list(Stop.objects.filter(round__run=run).values_list("pk", "sequence"))

    with pytest.raises(ValidationError) as exc:
        order_fit_live(actor=role_users["logistics_planner"], order=day["medication"], date=tomorrow())

    assert exc.value.code == PHARMACY_CLOSED
    assert list(Stop.objects.filter(round__run=run).values_list("pk", "sequence")) == stops_before
    assert _stops(day["medication"]) == []


# --- plan_day --json --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the command plans once its transaction commits
def test_plan_day_json_shows_the_pickup_at_the_pharmacy_before_the_delivery_of_the_same_order(role_users):
    pharmacy = pharmacy_open([(dt.time(9), dt.time(10)), (dt.time(11), dt.time(13))], name="Farmacia Central")
    day = medication_day(role_users, pharmacy)
    out = StringIO()

    call_command("plan_day", "--date", tomorrow().isoformat(), "--json", stdout=out)

    (rendered,) = json.loads(out.getvalue())["rounds"]
    ours = [s for s in rendered["stops"] if s["order"] == reference(day["medication"])]
    assert [s["kind"] for s in ours] == ["pickup", "delivery"]
    pickup, delivery = ours
    assert pickup["place"] == f"Farmacia Central, {pharmacy.address}"
    assert set(pickup) == {"kind", "order", "place", "arrival", "window"}
    assert pickup["window"] in ({"start": "09:00", "end": "10:00"}, {"start": "11:00", "end": "13:00"})
    assert pickup["window"]["start"] <= pickup["arrival"] <= pickup["window"]["end"]
    assert pickup["arrival"] < delivery["arrival"]
    assert [s["kind"] for s in rendered["stops"] if s["order"] == reference(day["plain"])] == ["delivery"]
