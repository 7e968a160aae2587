"""The driver's phone page with a pharmacy pickup on the round: the pickup's own card, the home card that waits for
it, the plain forms, and the queue the phone sends (issue 16, item 2)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import DriverAction, Stop
from delivery.pharmacy_pickups import stop_mark_picked_up
from delivery.services import round_start, stop_mark_failed
from delivery.tests.driver_world import action, another_driver, sync
from delivery.tests.pharmacy_world import PRESCRIPTION, medication_round

pytestmark = pytest.mark.django_db

R = Stop.FailureReason


@pytest.fixture
def medication(role_users, client):
    pickup, home = medication_round(role_users)
    round_start(actor=role_users["driver"], round_=pickup.round)
    client.force_login(role_users["driver"])
    return pickup, home


def _page(client) -> str:
    return client.get(reverse("driver_round")).content.decode()


def _card(page: str, stop: Stop) -> str:
    """The one stop's card of the page."""
    start = page.index(f'id="stop-{stop.pk}"')
    return page[start : page.index("</li>", start)]


def _hours(stop: Stop) -> str:
    return {5: "10:00–13:30", 6: "closed that day"}.get(stop.round.date.weekday(), "09:00–14:00, 17:00–20:30")


def test_the_pickup_card_says_where_when_and_what_to_collect(client, medication):
    pickup, home = medication

    card = _card(_page(client), pickup)

    assert "Pharmacy pickup: Farmacia Ldo. Muñoz" in card
    assert "Calle Carmen 12, Cartagena" in card
    assert 'href="tel:+34968501234"' in card
    assert f"Open {pickup.round.date:%A}: {_hours(pickup)}" in card
    assert f"Prescription {PRESCRIPTION}" in card
    assert f"for {home.order.household.full_name}" in card
    assert 'data-kind="pickup"' in card
    assert f'action="{reverse("stop_picked_up", args=[pickup.pk])}"' in card
    assert 'name="handed_over_by" maxlength="120" required' in card
    assert ">Picked up</button>" in card


def test_the_pickup_card_offers_only_the_pharmacys_failure_reasons(client, medication):
    pickup, home = medication
    page = _page(client)

    pickup_card, home_card = _card(page, pickup), _card(page, home)

    assert 'value="pharmacy_closed"' in pickup_card
    assert 'value="prescription_not_ready"' in pickup_card
    assert 'value="not_home"' not in pickup_card
    assert 'value="not_home"' in home_card
    assert 'value="pharmacy_closed"' not in home_card


def test_the_home_card_says_the_medication_must_be_picked_up_first(client, medication):
    pickup, home = medication

    card = _card(_page(client), home)

    assert "Pick up the medication at Farmacia Ldo. Muñoz first (stop 1)." in card
    assert f'data-medication-for="{pickup.pk}"' in card


def test_once_picked_up_the_home_card_says_so_and_the_pickup_is_done(client, role_users, medication):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")
    pickup.refresh_from_db()

    page = _page(client)

    at = timezone.localtime(pickup.recorded_at).strftime("%H:%M")
    assert f"Medication picked up at Farmacia Ldo. Muñoz at {at} (handed over by Marta Ros)." in _card(page, home)
    pickup_card = _card(page, pickup)
    assert "Picked up · handed over by Marta Ros" in pickup_card
    assert 'name="handed_over_by"' not in pickup_card


def test_a_failed_pickup_is_undone_on_its_own_card_not_on_the_home_card(client, role_users, medication, settings):
    settings.DELIVERY_FAILURE_UNDO_S = 300
    pickup, home = medication
    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=R.PHARMACY_CLOSED)

    page = _page(client)

    pickup_card, home_card = _card(page, pickup), _card(page, home)
    assert "Not picked up: Pharmacy closed" in pickup_card
    assert reverse("stop_failure_undone", args=[pickup.pk]) in pickup_card
    assert "Medication not picked up: Pharmacy closed." in home_card
    assert reverse("stop_failure_undone", args=[home.pk]) not in home_card


def test_the_page_gives_the_phone_the_pickups_words(client, medication):
    config = client.get(reverse("driver_round")).context["driver_config"]

    assert config["texts"]["picked_up"] == "Picked up"
    assert config["texts"]["pickup_failed"] == "Not picked up"
    assert "{reason}" in config["texts"]["pickup_failed_confirm"]
    assert config["reasons"]["pharmacy_closed"] == "Pharmacy closed"


# The plain form, for a phone without JavaScript


def test_the_plain_form_records_the_pickup(client, medication):
    pickup, _home = medication

    response = client.post(reverse("stop_picked_up", args=[pickup.pk]), {"handed_over_by": "Marta Ros"})

    assert response.status_code == 302
    assert response.url == f"{reverse('driver_round')}#stop-{pickup.pk}"
    pickup.refresh_from_db()
    assert (pickup.outcome, pickup.handed_over_by) == (Stop.Outcome.DELIVERED, "Marta Ros")


def test_the_plain_form_without_a_name_records_nothing_and_says_why(client, medication):
    pickup, _home = medication

    response = client.post(reverse("stop_picked_up", args=[pickup.pk]), {"handed_over_by": " "}, follow=True)

    assert "Write who at the pharmacy handed the medication over" in response.content.decode()
    pickup.refresh_from_db()
    assert pickup.outcome == Stop.Outcome.PENDING


def test_the_plain_form_on_another_drivers_stop_is_forbidden(client, role_users, medication):
    pickup, _home = medication
    client.force_login(another_driver(role_users))

    response = client.post(reverse("stop_picked_up", args=[pickup.pk]), {"handed_over_by": "Marta Ros"})

    assert response.status_code == 403
    pickup.refresh_from_db()
    assert pickup.outcome == Stop.Outcome.PENDING


def test_the_plain_failure_form_of_a_pickup_says_not_picked_up(client, medication):
    pickup, home = medication

    response = client.post(reverse("stop_failed", args=[pickup.pk]), {"reason": R.PRESCRIPTION_NOT_READY}, follow=True)

    assert "Stop 1 recorded as not picked up." in response.content.decode()
    home.refresh_from_db()
    assert (home.outcome, home.failure_reason) == (Stop.Outcome.FAILED, R.PRESCRIPTION_NOT_READY)


# The phone's queue


def test_a_pickup_sent_twice_under_one_key_is_recorded_once(client, medication):
    pickup, _home = medication
    sent = action("picked_up", stop=pickup.pk, handed_over_by="Marta Ros")

    first = sync(client, [sent]).json()
    again = sync(client, [sent]).json()

    assert first["answers"] == again["answers"]
    assert first["answers"][0]["accepted"] is True
    assert DriverAction.objects.filter(stop=pickup, kind="picked_up").count() == 1


def test_a_pickup_sent_without_a_name_is_refused_with_its_code(client, medication):
    pickup, _home = medication

    answer = sync(client, [action("picked_up", stop=pickup.pk, handed_over_by=7)]).json()["answers"][0]

    assert (answer["accepted"], answer["code"]) == (False, "handed_over_by_missing")
    pickup.refresh_from_db()
    assert pickup.outcome == Stop.Outcome.PENDING


def test_a_home_delivery_queued_behind_its_pickup_goes_through(client, medication):
    pickup, home = medication

    answers = sync(
        client,
        [action("picked_up", stop=pickup.pk, handed_over_by="Marta Ros"), action("delivered", stop=home.pk)],
    ).json()["answers"]

    assert [answer["accepted"] for answer in answers] == [True, True]
    home.refresh_from_db()
    assert home.outcome == Stop.Outcome.DELIVERED
