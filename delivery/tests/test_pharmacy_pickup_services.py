"""Medication on a round (issue 16, item 2): the driver picks it up at the pharmacy, saying who handed it over, then
hands it over at home; a failed pickup fails the order like a missed delivery and takes the home stop with it; the
route sheet prints the pickup as its own stop and the loading list never counts medication."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.day_close import day_close
from delivery.driver_sync import actions_apply
from delivery.manifests import loading_list_pdf, route_sheet_pdf
from delivery.models import DriverAction, Stop
from delivery.pharmacy_pickups import HANDED_OVER_BY_MAX, PICKUP_REASONS, stop_mark_picked_up
from delivery.selectors import round_for_manifest
from delivery.services import round_start, stop_failure_settle, stop_failure_undo, stop_mark_delivered, stop_mark_failed
from delivery.tests.driver_world import action, another_driver
from delivery.tests.manifest_world import pdf_text
from delivery.tests.pharmacy_world import PRESCRIPTION, medication_round
from inventory.models import Programme, Reservation, StockMovement
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import Notification

pytestmark = pytest.mark.django_db

S = DeliveryOrder.Status
R = Stop.FailureReason
HOME_REASONS = [reason for reason in R.values if reason not in PICKUP_REASONS]


@pytest.fixture
def medication(role_users):
    pickup, home = medication_round(role_users)
    round_start(actor=role_users["driver"], round_=pickup.round)
    return pickup, home


def _fresh(*rows):
    for row in rows:
        row.refresh_from_db()
    return rows


# Recording the pickup


def test_a_pickup_records_who_handed_the_medication_over_and_when(role_users, medication):
    pickup, home = medication
    at_the_counter = timezone.now() - dt.timedelta(minutes=3)

    stop_mark_picked_up(
        actor=role_users["driver"], stop=pickup, handed_over_by="  Marta Ros (farmacéutica) ", done_at=at_the_counter
    )

    pickup, home, order = _fresh(pickup, home, pickup.order)
    assert (pickup.outcome, pickup.handed_over_by, pickup.recorded_at) == (
        Stop.Outcome.DELIVERED,
        "Marta Ros (farmacéutica)",
        at_the_counter,
    )
    assert home.outcome == Stop.Outcome.PENDING
    assert order.status == S.OUT_FOR_DELIVERY


def test_a_pickup_moves_no_depot_stock(role_users, medication):
    pickup, _home = medication
    movements = StockMovement.objects.count()

    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    assert StockMovement.objects.count() == movements
    assert Reservation.objects.filter(order=pickup.order, status=Reservation.Status.ACTIVE).count() == 1


@pytest.mark.parametrize(("name", "code"), [("", "handed_over_by_missing"), ("   ", "handed_over_by_missing")])
def test_a_pickup_without_who_handed_it_over_is_refused(role_users, medication, name, code):
    pickup, _home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by=name)

    assert refused.value.code == code
    (pickup,) = _fresh(pickup)
    assert (pickup.outcome, pickup.handed_over_by, pickup.recorded_at) == (Stop.Outcome.PENDING, "", None)


def test_a_handed_over_by_name_over_the_limit_is_refused(role_users, medication):
    pickup, _home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="M" * (HANDED_OVER_BY_MAX + 1))

    assert refused.value.code == "handed_over_by_too_long"
    (pickup,) = _fresh(pickup)
    assert pickup.outcome == Stop.Outcome.PENDING


def test_a_name_at_the_limit_is_kept_whole(role_users, medication):
    pickup, _home = medication

    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="M" * HANDED_OVER_BY_MAX)

    (pickup,) = _fresh(pickup)
    assert pickup.handed_over_by == "M" * HANDED_OVER_BY_MAX


def test_a_second_recording_of_the_pickup_is_refused_and_keeps_the_first(role_users, medication):
    pickup, _home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Otra persona")

    assert refused.value.code == "already_recorded"
    (pickup,) = _fresh(pickup)
    assert pickup.handed_over_by == "Marta Ros"


def test_a_pickup_on_another_drivers_round_is_refused(role_users, medication):
    pickup, _home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=another_driver(role_users), stop=pickup, handed_over_by="Marta Ros")

    assert refused.value.code == "not_the_driver"
    (pickup,) = _fresh(pickup)
    assert pickup.outcome == Stop.Outcome.PENDING


def test_a_home_stop_is_not_recorded_as_a_pickup(role_users, medication):
    _pickup, home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=role_users["driver"], stop=home, handed_over_by="Marta Ros")

    assert refused.value.code == "not_a_pickup"
    (home,) = _fresh(home)
    assert (home.outcome, home.handed_over_by) == (Stop.Outcome.PENDING, "")


def test_a_pickup_of_an_order_no_longer_on_its_way_is_refused(role_users, medication):
    pickup, _home = medication
    DeliveryOrder.objects.filter(pk=pickup.order_id).update(status=S.CANCELLED)

    with pytest.raises(ValidationError) as refused:
        stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    assert refused.value.code == "order_not_on_the_way"
    (pickup,) = _fresh(pickup)
    assert pickup.outcome == Stop.Outcome.PENDING


# The home stop waits for the pickup


def test_the_home_delivery_before_the_pickup_is_refused_and_nothing_leaves_the_depot(role_users, medication):
    _pickup, home = medication
    movements = StockMovement.objects.count()

    with pytest.raises(ValidationError) as refused:
        stop_mark_delivered(actor=role_users["driver"], stop=home, received_by="Rosa")

    assert refused.value.code == "pickup_not_done"
    home, order = _fresh(home, home.order)
    assert (home.outcome, order.status) == (Stop.Outcome.PENDING, S.OUT_FOR_DELIVERY)
    assert StockMovement.objects.count() == movements


def test_a_home_failure_before_the_pickup_is_refused(role_users, medication):
    _pickup, home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=home, reason=R.NOT_HOME)

    assert refused.value.code == "pickup_not_done"
    home, order = _fresh(home, home.order)
    assert (home.outcome, order.status, order.failed_attempts) == (Stop.Outcome.PENDING, S.OUT_FOR_DELIVERY, 0)


def test_after_the_pickup_the_home_delivery_is_recorded_with_who_received_it(role_users, medication):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    stop_mark_delivered(actor=role_users["driver"], stop=home, received_by="Rosa, la hija")

    home, order = _fresh(home, home.order)
    assert (home.outcome, home.received_by, order.status) == (Stop.Outcome.DELIVERED, "Rosa, la hija", S.DELIVERED)


def test_a_pickup_stop_is_not_recorded_as_a_home_delivery(role_users, medication):
    pickup, _home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_delivered(actor=role_users["driver"], stop=pickup, received_by="Marta Ros")

    assert refused.value.code == "not_a_home_stop"
    pickup, order = _fresh(pickup, pickup.order)
    assert (pickup.outcome, order.status) == (Stop.Outcome.PENDING, S.OUT_FOR_DELIVERY)


def test_a_delivery_without_a_pickup_on_the_round_is_recorded_as_before(role_users):
    _pickup, home = medication_round(role_users)
    Stop.objects.filter(kind=Stop.Kind.PICKUP).delete()

    stop_mark_delivered(actor=role_users["driver"], stop=home)

    (home,) = _fresh(home)
    assert home.outcome == Stop.Outcome.DELIVERED


# Failure reasons belong to one kind of stop


@pytest.mark.parametrize("reason", HOME_REASONS)
def test_a_pickup_refuses_the_reasons_of_the_door(role_users, medication, reason):
    pickup, _home = medication

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=reason)

    assert refused.value.code == "reason_not_for_pickup"
    pickup, order = _fresh(pickup, pickup.order)
    assert (pickup.outcome, order.status) == (Stop.Outcome.PENDING, S.OUT_FOR_DELIVERY)


@pytest.mark.parametrize("reason", sorted(PICKUP_REASONS))
def test_a_home_stop_refuses_the_reasons_of_the_pharmacy(role_users, medication, reason):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=home, reason=reason)

    assert refused.value.code == "reason_not_for_delivery"
    home, order = _fresh(home, home.order)
    assert (home.outcome, order.status) == (Stop.Outcome.PENDING, S.OUT_FOR_DELIVERY)


def test_an_ordinary_stop_refuses_the_reasons_of_the_pharmacy(role_users):
    _pickup, home = medication_round(role_users)
    Stop.objects.filter(kind=Stop.Kind.PICKUP).delete()

    with pytest.raises(ValidationError) as refused:
        stop_mark_failed(actor=role_users["driver"], stop=home, reason=R.PHARMACY_CLOSED)

    assert refused.value.code == "reason_not_for_delivery"


# A failed pickup


@pytest.mark.parametrize("reason", sorted(PICKUP_REASONS))
def test_a_failed_pickup_reschedules_the_order_like_a_missed_delivery(role_users, medication, reason):
    pickup, _home = medication
    due = pickup.order.due_date

    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=reason)

    pickup, order = _fresh(pickup, pickup.order)
    assert (pickup.outcome, pickup.failure_reason) == (Stop.Outcome.FAILED, reason)
    assert (order.status, order.failed_attempts) == (S.RESCHEDULED, 1)
    assert order.due_date > due
    assert Reservation.objects.filter(order=order, status=Reservation.Status.ACTIVE).count() == 0
    told = Notification.objects.filter(request=order.plan.request, event=Notification.Event.DELIVERY_FAILED)
    assert told.count() == 1


def test_a_failed_pickup_fails_the_home_stop_with_the_same_reason_and_time(role_users, medication):
    pickup, home = medication
    at_the_counter = timezone.now() - dt.timedelta(minutes=1)

    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=R.PRESCRIPTION_NOT_READY, done_at=at_the_counter)

    (home,) = _fresh(home)
    assert (home.outcome, home.failure_reason, home.recorded_at) == (
        Stop.Outcome.FAILED,
        R.PRESCRIPTION_NOT_READY,
        at_the_counter,
    )


def test_a_failed_pickup_is_taken_back_with_its_home_stop(role_users, medication, settings):
    settings.DELIVERY_FAILURE_UNDO_S = 300
    pickup, home = medication
    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=R.PHARMACY_CLOSED)

    stop_failure_undo(actor=role_users["driver"], stop=pickup)

    pickup, home, order = _fresh(pickup, home, pickup.order)
    assert (pickup.outcome, pickup.failure_reason) == (Stop.Outcome.PENDING, "")
    assert (home.outcome, home.failure_reason, home.recorded_at) == (Stop.Outcome.PENDING, "", None)
    assert (order.status, order.failed_attempts) == (S.OUT_FOR_DELIVERY, 0)
    assert stop_failure_settle(stop_id=pickup.pk) is False


def test_the_home_stop_failed_with_its_pickup_is_not_taken_back_alone(role_users, medication, settings):
    settings.DELIVERY_FAILURE_UNDO_S = 300
    pickup, home = medication
    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=R.PHARMACY_CLOSED)

    with pytest.raises(ValidationError) as refused:
        stop_failure_undo(actor=role_users["driver"], stop=home)

    assert refused.value.code == "undo_the_pickup"
    pickup, home, order = _fresh(pickup, home, pickup.order)
    assert (pickup.outcome, home.outcome, order.status) == (Stop.Outcome.FAILED, Stop.Outcome.FAILED, S.FAILED)


def test_a_home_failure_after_the_pickup_leaves_the_pickup_done(role_users, medication):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")

    stop_mark_failed(actor=role_users["driver"], stop=home, reason=R.NOT_HOME)

    pickup, home, order = _fresh(pickup, home, pickup.order)
    assert (pickup.outcome, pickup.handed_over_by) == (Stop.Outcome.DELIVERED, "Marta Ros")
    assert (home.outcome, order.status) == (Stop.Outcome.FAILED, S.RESCHEDULED)


# Starting the round


def test_starting_the_round_tells_a_medication_household_once_with_its_home_time(role_users):
    pickup, home = medication_round(role_users)

    assert round_start(actor=role_users["driver"], round_=pickup.round) == 1

    told = Notification.objects.filter(request=home.order.plan.request, event=Notification.Event.ON_THE_WAY)
    assert told.count() == 1
    assert timezone.localtime(home.arrival_at).strftime("%H:%M") in told.get().body


# From the phone's queue


def test_a_pickup_from_the_phone_is_recorded_once_under_its_key(role_users, medication):
    pickup, _home = medication
    sent = action("picked_up", stop=pickup.pk, handed_over_by="Marta Ros")

    first = actions_apply(driver=role_users["driver"], actions=[sent])
    again = actions_apply(driver=role_users["driver"], actions=[sent])

    assert first == again
    assert (first[0]["accepted"], first[0]["code"]) == (True, None)
    assert first[0]["message"] == "Stop 1: medication picked up."
    assert DriverAction.objects.filter(kind="picked_up", stop=pickup).count() == 1
    (pickup,) = _fresh(pickup)
    assert (pickup.outcome, pickup.handed_over_by) == (Stop.Outcome.DELIVERED, "Marta Ros")


@pytest.mark.parametrize(
    ("handed_over_by", "code"),
    [(None, "handed_over_by_missing"), (42, "handed_over_by_missing"), (["Marta"], "handed_over_by_missing"),
     ("  ", "handed_over_by_missing"), ("M" * (HANDED_OVER_BY_MAX + 1), "handed_over_by_too_long")],
)  # fmt: skip
def test_a_pickup_from_the_phone_with_a_bad_name_is_refused_with_its_code(role_users, medication, handed_over_by, code):
    pickup, _home = medication
    sent = action("picked_up", stop=pickup.pk, handed_over_by=handed_over_by)

    [answer] = actions_apply(driver=role_users["driver"], actions=[sent])

    assert (answer["accepted"], answer["code"]) == (False, code)
    assert answer["message"].startswith("Stop 1: ")
    (pickup,) = _fresh(pickup)
    assert pickup.outcome == Stop.Outcome.PENDING


def test_a_pickup_from_the_phone_on_another_drivers_round_is_refused(role_users, medication):
    pickup, _home = medication
    sent = action("picked_up", stop=pickup.pk, handed_over_by="Marta Ros")

    [answer] = actions_apply(driver=another_driver(role_users), actions=[sent])

    assert (answer["accepted"], answer["code"]) == (False, "not_your_stop")
    (pickup,) = _fresh(pickup)
    assert pickup.outcome == Stop.Outcome.PENDING


def test_the_phones_queue_in_order_records_the_pickup_then_the_home_delivery(role_users, medication):
    pickup, home = medication
    queue = [
        action("picked_up", stop=pickup.pk, handed_over_by="Marta Ros"),
        action("delivered", stop=home.pk, received_by="Rosa"),
    ]

    answers = actions_apply(driver=role_users["driver"], actions=queue)

    assert [answer["accepted"] for answer in answers] == [True, True]
    pickup, home = _fresh(pickup, home)
    assert (pickup.outcome, home.outcome) == (Stop.Outcome.DELIVERED, Stop.Outcome.DELIVERED)


def test_a_home_delivery_from_the_phone_before_the_pickup_is_refused_with_its_code(role_users, medication):
    _pickup, home = medication

    [answer] = actions_apply(driver=role_users["driver"], actions=[action("delivered", stop=home.pk)])

    assert (answer["accepted"], answer["code"]) == (False, "pickup_not_done")


def test_a_failed_pickup_from_the_phone_says_not_picked_up(role_users, medication):
    pickup, home = medication
    sent = action("failed", stop=pickup.pk, reason=R.PHARMACY_CLOSED)

    [answer] = actions_apply(driver=role_users["driver"], actions=[sent])

    assert (answer["accepted"], answer["message"]) == (True, "Stop 1 recorded as not picked up.")
    (home,) = _fresh(home)
    assert (home.outcome, home.failure_reason) == (Stop.Outcome.FAILED, R.PHARMACY_CLOSED)


# The printed sheets


def test_the_route_sheet_prints_the_pickup_as_its_own_stop(role_users):
    pickup, home = medication_round(role_users)
    household = home.order.household

    text = pdf_text(route_sheet_pdf(round_for_manifest(pickup.round.pk), language="en"))

    arrival = timezone.localtime(pickup.arrival_at)
    assert f"1 {arrival:%H:%M} Pharmacy pickup Farmacia Ldo. Muñoz +34968501234 Calle Carmen 12, Cartagena" in text
    assert f"Prescription {PRESCRIPTION} for {household.full_name}" in text
    assert "Picked up Not picked up Handed over by / signature" in text
    assert "Medication from Farmacia Ldo. Muñoz (picked up at stop 1)" in text
    assert "2 stops" in text


def test_the_route_sheet_prints_the_pharmacys_hours_on_the_rounds_day(role_users):
    pickup, _home = medication_round(role_users)
    weekday = pickup.round.date.weekday()
    expected = {5: "10:00–13:30", 6: "closed that day"}.get(weekday, "09:00–14:00, 17:00–20:30")

    text = pdf_text(route_sheet_pdf(round_for_manifest(pickup.round.pk), language="en"))

    assert f"Open that day: {expected}" in text


def test_the_loading_list_loads_a_medication_order_once_and_nothing_for_its_pickup(role_users):
    pickup, home = medication_round(role_users)
    line = home.order.lines.select_related("pack").get()

    text = pdf_text(loading_list_pdf(round_for_manifest(pickup.round.pk), language="en"))

    assert text.count(home.order.household.full_name) == 1
    assert f"1 2 {home.order.household.full_name} 1 × {line.pack.name}" in text
    assert "Total 1 " in text


def test_the_loading_list_counts_no_medication_pack(role_users):
    pickup, home = medication_round(role_users)
    food = home.order.lines.select_related("pack").get()
    medicine = food.pack.__class__.objects.create(
        code="medicacion", name="Medicación de la receta", programme=Programme.MEDICATION
    )
    DeliveryOrderLine.objects.create(order=home.order, pack=medicine, quantity=1)

    text = pdf_text(loading_list_pdf(round_for_manifest(pickup.round.pk), language="en"))

    assert "Medicación de la receta" not in text
    assert f"1 × {food.pack.name}" in text
    assert "Total 1 " in text


# Closing the day


def test_the_day_close_counts_a_medication_order_once_at_its_home_stop(
    role_users, medication, django_capture_on_commit_callbacks
):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")
    with django_capture_on_commit_callbacks(execute=True):
        stop_mark_failed(actor=role_users["driver"], stop=home, reason=R.NOT_HOME)

    close = day_close(home.round.date)

    assert close.problems == []
    assert close.totals == {"stops": 1, "delivered": 0, "failed": 1, "pending": 0}
    [(_pack, out, delivered, back)] = close.rounds[0].pack_rows
    assert (out, delivered, back) == (1, 0, 1)
