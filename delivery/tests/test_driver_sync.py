"""The phone's queue: each action applied once under its key, refusals answered, never a server error."""

import datetime as dt
import json

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from delivery.models import DriverAction, Stop, WelfareConcern
from inventory.models import Reservation, StockMovement
from inventory.reservations import InsufficientStock
from logistics.models import DeliveryOrder
from requests_intake.models import Notification
from tests.scenarios import planned_stop

from .driver_world import (
    JPEG_URL,
    PNG_URL,
    action,
    another_driver,
    data_url,
    noisy_jpeg,
    round_with_two_stops,
    sync,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_delivered_action_records_the_time_at_the_door_and_the_proof(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    at_the_door = timezone.now() - dt.timedelta(hours=2)
    sent = action(
        "delivered", stop=stop.pk, done_at=at_the_door, received_by=" Carmen ", signature=PNG_URL, photo=JPEG_URL
    )

    response = sync(client, [sent])

    assert response.status_code == 200
    assert response.json() == {
        "answers": [{"key": sent["key"], "accepted": True, "code": None, "message": "Stop 1 delivered."}],
        "removed": [],
    }
    stop.refresh_from_db()
    assert (stop.outcome, stop.received_by, stop.recorded_at) == (Stop.Outcome.DELIVERED, "Carmen", at_the_door)
    assert stop.signature.name.endswith(f"stop-{stop.pk}-signature.png")
    assert stop.photo.name.endswith(f"stop-{stop.pk}-photo.jpg")
    assert stop.signature.read().startswith(b"\x89PNG")
    recorded = DriverAction.objects.get()
    assert (recorded.driver, recorded.stop, recorded.kind, recorded.done_at, recorded.accepted) == (
        role_users["driver"],
        stop,
        "delivered",
        at_the_door,
        True,
    )


def test_the_same_key_sent_twice_records_once_and_gets_the_same_answer(client, role_users):
    stop = planned_stop(role_users, on_hand=10, per_pack=2)
    client.force_login(role_users["driver"])
    sent = action("delivered", stop=stop.pk, received_by="Carmen")

    first = sync(client, [sent]).json()
    again = sync(client, [sent]).json()

    assert again == first
    assert first["answers"][0]["accepted"] is True
    assert DriverAction.objects.count() == 1
    assert StockMovement.objects.filter(kind="dispatch").count() == 1
    assert Notification.objects.filter(event=Notification.Event.DELIVERED).count() == 1


def test_the_same_key_twice_in_one_batch_is_applied_once(client, role_users):
    first, second = round_with_two_stops(role_users)
    client.force_login(role_users["driver"])
    sent = action("failed", stop=first.pk, reason="not_home")

    answers = sync(client, [sent, sent]).json()["answers"]

    assert answers[0] == answers[1]
    assert answers[0]["accepted"] is True
    first.order.refresh_from_db()
    assert first.order.failed_attempts == 1


def test_an_offline_batch_is_applied_in_the_order_the_driver_worked(client, role_users):
    first, second = round_with_two_stops(role_users)
    client.force_login(role_users["driver"])
    batch = [
        action("start", round=first.round_id),
        action("delivered", stop=first.pk, received_by="La titular"),
        action("failed", stop=first.pk, reason="refused"),  # a second tap on a stop already done
        action("concern", stop=first.pk, text="La puerta estaba rota."),
        action("failed", stop=second.pk, reason="not_home"),
    ]

    answers = sync(client, batch).json()["answers"]

    assert [a["key"] for a in answers] == [a["key"] for a in batch]
    assert [a["accepted"] for a in answers] == [True, True, False, True, True]
    assert answers[0]["message"] == "Round started: 2 orders out for delivery."
    assert answers[2]["message"] == "Stop 1: This stop was already recorded as “Delivered”; nothing was changed."
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, second.outcome, second.failure_reason) == ("delivered", "failed", "not_home")
    assert first.order.status == DeliveryOrder.Status.DELIVERED
    assert WelfareConcern.objects.get().text == "La puerta estaba rota."
    assert DriverAction.objects.filter(accepted=True).count() == 4
    assert DriverAction.objects.filter(accepted=False).count() == 1


def test_a_refused_action_is_recorded_and_a_resend_gets_the_same_refusal(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    sent = action("failed", stop=stop.pk, reason="on_holiday")

    first = sync(client, [sent]).json()["answers"][0]
    again = sync(client, [sent]).json()["answers"][0]

    assert first == again
    assert first == {
        "key": sent["key"],
        "accepted": False,
        "code": "failure_reason_missing",
        "message": "Stop 1: Choose why the delivery failed; nothing was saved.",
    }
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.get().accepted is False


def test_another_drivers_stop_is_refused_and_nothing_is_recorded(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(another_driver(role_users))
    sent = action("delivered", stop=stop.pk)

    answer = sync(client, [sent]).json()["answers"][0]

    assert answer == {
        "key": sent["key"],
        "accepted": False,
        "code": "not_your_stop",
        "message": f"Stop {stop.pk} is not on your rounds; nothing was recorded.",
    }
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
    assert Reservation.objects.get().status == Reservation.Status.ACTIVE
    assert DriverAction.objects.count() == 0


def test_another_drivers_round_cannot_be_started(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(another_driver(role_users))

    answer = sync(client, [action("start", round=stop.round_id)]).json()["answers"][0]

    assert answer["accepted"] is False
    stop.order.refresh_from_db()
    assert stop.order.status == DeliveryOrder.Status.PLANNED


def test_a_key_another_driver_used_is_refused_without_showing_that_drivers_answer(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    sent = action("delivered", stop=stop.pk)
    sync(client, [sent])
    client.force_login(another_driver(role_users))

    answer = sync(client, [sent]).json()["answers"][0]

    assert answer == {
        "key": sent["key"],
        "accepted": False,
        "code": "key_reused",
        "message": "This key was already used for another action; it was not recorded.",
    }
    assert DriverAction.objects.count() == 1


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        ({"signature": data_url(b"GIF89a" + bytes(40), "image/png")}, "The signature is not a PNG image"),
        ({"signature": JPEG_URL}, "The signature is not a PNG image"),
        ({"photo": PNG_URL}, "The photo is not a JPG image"),
        ({"photo": "data:image/jpeg;base64,@@not-base64@@"}, "The photo is not a JPG image"),
        ({"photo": "https://example.org/door.jpg"}, "The photo is not a JPG image"),
    ],
)
def test_proof_that_is_not_a_real_image_refuses_the_delivery(client, role_users, proof, message):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    answer = sync(client, [action("delivered", stop=stop.pk, **proof)]).json()["answers"][0]

    assert answer["accepted"] is False
    assert message in answer["message"]
    stop.refresh_from_db()
    assert (stop.outcome, stop.signature.name, stop.photo.name) == (Stop.Outcome.PENDING, "", "")
    assert StockMovement.objects.filter(kind="dispatch").count() == 0


def test_a_photo_over_the_size_limit_refuses_the_delivery(client, role_users, settings):
    settings.PROOF_MAX_BYTES = 10 * 1024
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    photo = data_url(noisy_jpeg(), "image/jpeg")

    answer = sync(client, [action("delivered", stop=stop.pk, photo=photo)]).json()["answers"][0]

    assert answer["accepted"] is False
    assert answer["message"] == "Stop 1: The photo is larger than 10 KB; nothing was saved. Take it again."
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING


def test_malformed_keys_and_kinds_are_refusals_not_errors(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    batch = [
        action("delivered", stop=stop.pk, key="not-a-uuid"),
        {**action("delivered", stop=stop.pk), "key": 12},
        action("teleported", stop=stop.pk),
        "not an object",
        action("delivered", stop="one"),
        {**action("delivered", stop=stop.pk), "done_at": "yesterday"},
    ]

    response = sync(client, batch)

    assert response.status_code == 200
    answers = response.json()["answers"]
    assert [a["accepted"] for a in answers] == [False] * 6
    assert [a["key"] for a in answers[:2]] == ["not-a-uuid", None]
    assert [a["code"] for a in answers] == [
        "invalid_key",
        "invalid_key",
        "unknown_kind",
        "unreadable_action",
        "not_your_stop",
        "unreadable_time",
    ]
    assert answers[2]["message"] == "The phone sent an action this server does not know; it was not recorded."
    assert answers[5]["message"] == "The action has no readable time; nothing was recorded."
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.count() == 0


def test_a_time_well_in_the_future_is_refused(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    answer = sync(client, [action("delivered", stop=stop.pk, done_at=timezone.now() + dt.timedelta(hours=1))])

    assert answer.json()["answers"][0]["accepted"] is False
    assert "check the phone's clock" in answer.json()["answers"][0]["message"]
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING


def test_a_phone_clock_a_minute_ahead_is_accepted(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    answer = sync(client, [action("delivered", stop=stop.pk, done_at=timezone.now() + dt.timedelta(minutes=1))])

    assert answer.json()["answers"][0]["accepted"] is True


@pytest.mark.parametrize(
    "body",
    ["not json at all", json.dumps(["a list"]), json.dumps({"actions": "none"}), json.dumps({"nothing": []})],
)
def test_a_malformed_body_is_a_400_with_a_json_error(client, role_users, body):
    client.force_login(role_users["driver"])

    response = client.post(reverse("driver_sync"), data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"].endswith("nothing was recorded.")


def test_more_actions_than_a_phone_would_queue_is_a_400(client, role_users):
    client.force_login(role_users["driver"])

    response = sync(client, [action("concern", stop=1, text="x")] * 101)

    assert response.status_code == 400
    assert response.json() == {"error": "At most 100 actions at a time; nothing was recorded."}


@pytest.mark.parametrize("role", ["logistics_planner", "manager", "social_worker"])
def test_only_drivers_may_sync(client, role_users, role):
    stop = planned_stop(role_users)
    client.force_login(role_users[role])

    response = sync(client, [action("delivered", stop=stop.pk)])

    assert response.status_code == 403
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING


def test_sync_answers_only_posts(client, role_users):
    client.force_login(role_users["driver"])

    assert client.get(reverse("driver_sync")).status_code == 405


def _stock_gone(monkeypatch, needed: int = 2) -> None:
    """The ledger lost the held units behind the order's back, as a write-off of reserved stock once did."""

    def dispatch(*, actor, order, on):
        line = order.lines.get()
        item = line.pack.components.get().item
        raise InsufficientStock({item: (needed, 0)})

    monkeypatch.setattr("delivery.services.order_dispatch_stock", dispatch)


def test_a_delivery_the_stock_cannot_cover_is_refused_and_the_rest_of_the_queue_is_applied(
    client, role_users, monkeypatch
):
    first, second = round_with_two_stops(role_users)
    _stock_gone(monkeypatch)
    client.force_login(role_users["driver"])
    batch = [
        action("delivered", stop=first.pk, received_by="Carmen"),
        action("failed", stop=second.pk, reason="not_home"),
        action("concern", stop=second.pk, text="Nadie abre desde hace días."),
    ]

    response = sync(client, batch)

    assert response.status_code == 200
    answers = response.json()["answers"]
    item = first.order.lines.get().pack.components.get().item
    assert answers[0] == {
        "key": batch[0]["key"],
        "accepted": False,
        "code": "insufficient_stock",
        "message": f"Stop 1: Not enough stock. {item.label}: needs 2, 0 available. "
        "The delivery was not recorded; call the depot so they can check the stock.",
    }
    assert [(a["accepted"], a["code"]) for a in answers[1:]] == [(True, None), (True, None)]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, first.received_by, second.outcome) == (Stop.Outcome.PENDING, "", Stop.Outcome.FAILED)
    assert Reservation.objects.filter(order=first.order, status=Reservation.Status.ACTIVE).count() == 1
    assert WelfareConcern.objects.get().text == "Nadie abre desde hace días."
    refused = DriverAction.objects.get(key=batch[0]["key"])
    assert (refused.accepted, refused.code, refused.stop) == (False, "insufficient_stock", first)


def test_a_resend_of_a_delivery_refused_for_stock_gets_the_same_refusal_and_changes_nothing(
    client, role_users, monkeypatch
):
    stop = planned_stop(role_users)
    _stock_gone(monkeypatch)
    client.force_login(role_users["driver"])
    sent = action("delivered", stop=stop.pk)

    first = sync(client, [sent]).json()
    again = sync(client, [sent]).json()

    assert again == first
    assert first["answers"][0]["code"] == "insufficient_stock"
    assert DriverAction.objects.count() == 1
    assert StockMovement.objects.filter(kind="dispatch").count() == 0


def test_an_unexpected_error_in_one_action_is_logged_and_refused_and_leaves_nothing_behind(
    client, role_users, monkeypatch, caplog
):
    first, second = round_with_two_stops(role_users)

    def broken(**kwargs):
        raise RuntimeError("bug in the notification")

    # Fails after the stock left the ledger and the stop was saved: the action's savepoint must undo all of it.
    monkeypatch.setattr("delivery.services.notification_create", broken)
    client.force_login(role_users["driver"])
    batch = [action("delivered", stop=first.pk), action("concern", stop=second.pk, text="Escalera sin luz.")]

    answers = sync(client, batch).json()["answers"]

    assert answers[0] == {
        "key": batch[0]["key"],
        "accepted": False,
        "code": "unexpected_error",
        "message": "Stop 1: The server could not record this action; nothing was recorded. "
        "Tell the depot what you did.",
    }
    assert (answers[1]["accepted"], answers[1]["code"]) == (True, None)
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert StockMovement.objects.filter(kind="dispatch").count() == 0
    assert Reservation.objects.filter(order=first.order, status=Reservation.Status.ACTIVE).count() == 1
    assert DriverAction.objects.get(key=batch[0]["key"]).code == "unexpected_error"
    logged = [record for record in caplog.records if record.name == "delivery.driver_sync"]
    assert [(record.levelname, record.exc_info[0]) for record in logged] == [("ERROR", RuntimeError)]


def test_an_error_before_the_service_runs_is_refused_and_the_batch_goes_on(client, role_users, monkeypatch, caplog):
    first, second = round_with_two_stops(role_users)

    def broken(driver, kind, action):
        raise KeyError("bug in the lookup")

    monkeypatch.setattr("delivery.driver_sync._target", broken)
    client.force_login(role_users["driver"])
    batch = [action("delivered", stop=first.pk), action("failed", stop=second.pk, reason="not_home")]

    response = sync(client, batch)

    assert response.status_code == 200
    assert [(a["key"], a["accepted"], a["code"]) for a in response.json()["answers"]] == [
        (batch[0]["key"], False, "unexpected_error"),
        (batch[1]["key"], False, "unexpected_error"),
    ]
    assert DriverAction.objects.count() == 0
    assert len([record for record in caplog.records if record.name == "delivery.driver_sync"]) == 2


def test_the_database_unreachable_is_a_503_so_the_phone_keeps_its_queue(client, role_users, monkeypatch):
    stop = planned_stop(role_users)

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("delivery.driver_sync.stop_mark_delivered", unreachable)
    client.force_login(role_users["driver"])

    response = sync(client, [action("delivered", stop=stop.pk)])

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": "The server is briefly unavailable; the phone will send again shortly."}
    assert DriverAction.objects.count() == 0


@pytest.mark.parametrize(
    ("done_at", "code"),
    [
        ("9999-12-31T23:59:59+00:00", "time_in_future"),
        ("9999-12-31T23:59:59", "time_in_future"),
        ("0001-01-01T00:30:00+01:00", "time_before_round"),
        ("0001-01-01T00:00:00", "time_before_round"),
        ("2000-01-01T10:00:00+01:00", "time_before_round"),
        ("2026-02-30T10:00:00+01:00", "unreadable_time"),
        ("2026-01-01T10:00:00+25:00", "unreadable_time"),
    ],
)
def test_a_time_outside_any_sane_range_is_refused_and_the_next_action_is_applied(client, role_users, done_at, code):
    first, second = round_with_two_stops(role_users)
    client.force_login(role_users["driver"])
    batch = [
        {**action("delivered", stop=first.pk), "done_at": done_at},
        action("failed", stop=second.pk, reason="not_home"),
    ]

    response = sync(client, batch)

    assert response.status_code == 200
    answers = response.json()["answers"]
    assert [(a["accepted"], a["code"]) for a in answers] == [(False, code), (True, None)]
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert list(DriverAction.objects.values_list("stop", flat=True)) == [second.pk]


def test_a_time_days_before_the_round_names_the_round_date(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    too_early = timezone.make_aware(dt.datetime.combine(stop.round.date - dt.timedelta(days=3), dt.time(10)))

    answer = sync(client, [action("delivered", stop=stop.pk, done_at=too_early)]).json()["answers"][0]

    assert answer["code"] == "time_before_round"
    assert answer["message"] == (
        f"The action's time ({too_early.strftime('%d/%m/%Y')} 10:00) is days before the round of "
        f"{stop.round.date.strftime('%d/%m/%Y')}; check the phone's clock. Nothing was recorded."
    )


def test_a_time_two_days_before_the_round_is_still_accepted(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    early = timezone.make_aware(dt.datetime.combine(stop.round.date - dt.timedelta(days=2), dt.time(0, 1)))

    answer = sync(client, [action("delivered", stop=stop.pk, done_at=early)]).json()["answers"][0]

    assert (answer["accepted"], answer["code"]) == (True, None)


def test_a_body_nested_deeper_than_the_parser_goes_is_a_400(client, role_users):
    client.force_login(role_users["driver"])
    body = '{"actions": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = client.post(reverse("driver_sync"), data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "The request is not readable JSON; nothing was recorded."}


def test_a_nested_value_inside_an_action_is_refused_without_echoing_it(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])
    nested: list = []
    for _level in range(200):
        nested = [nested]

    answer = sync(client, [action("delivered", stop=nested)]).json()["answers"][0]

    assert (answer["accepted"], answer["code"]) == (False, "not_your_stop")
    assert answer["message"] == "Stop ? is not on your rounds; nothing was recorded."
    stop.refresh_from_db()
    assert stop.outcome == Stop.Outcome.PENDING
