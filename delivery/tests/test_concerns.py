"""Welfare concerns: the driver's words reach the household's zone, and only that zone's social workers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from delivery.concerns import concern_acknowledge, concern_raise
from delivery.models import WelfareConcern
from tests.factories import UserFactory, ZoneFactory
from tests.scenarios import planned_stop

from .driver_world import action, another_driver, round_with_two_stops, sync

pytestmark = pytest.mark.django_db


def _in_zone(stop, *workers):
    """Put the stop's household in a new zone worked by `workers`."""
    zone = ZoneFactory()
    household = stop.order.household
    household.zone = zone
    household.save()
    zone.social_workers.add(*workers)
    return zone


@pytest.fixture
def marta(role_users):
    worker = role_users["social_worker"]
    worker.email = "marta@example.org"
    worker.save()
    return worker


def test_a_concern_is_kept_and_mailed_to_the_zones_social_workers(
    role_users, marta, mailoutbox, django_capture_on_commit_callbacks
):
    stop = planned_stop(role_users)
    household = stop.order.household
    household.vulnerabilities = ["gender_violence"]
    household.save()
    _in_zone(stop, marta, UserFactory(username="sin-correo"))

    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_raise(actor=role_users["driver"], stop=stop, text="  Nadie abre y se oyen gritos.  ")

    assert (concern.household, concern.stop, concern.raised_by) == (household, stop, role_users["driver"])
    assert concern.text == "Nadie abre y se oyen gritos."
    [mail] = mailoutbox
    assert mail.to == ["marta@example.org"]
    assert mail.subject == f"Reparto: a driver is worried about {household.full_name}"
    assert "Nadie abre y se oyen gritos." in mail.body
    assert stop.order.plan.request.reference in mail.body
    assert reverse("concerns") in mail.body
    # Only what the driver wrote goes out: not the household's situation, nor its address.
    assert "violence" not in mail.body
    assert household.address not in mail.body


def test_a_concern_in_a_zone_without_social_workers_is_kept_without_mail(
    role_users, mailoutbox, django_capture_on_commit_callbacks
):
    stop = planned_stop(role_users)
    _in_zone(stop)

    with django_capture_on_commit_callbacks(execute=True):
        concern_raise(actor=role_users["driver"], stop=stop, text="La vivienda no tiene luz.")

    assert mailoutbox == []
    assert WelfareConcern.objects.count() == 1


@pytest.mark.parametrize(("text", "message"), [("   ", "Write what you saw"), ("x" * 1001, "under 1000 characters")])
def test_an_empty_or_overlong_concern_is_refused(role_users, text, message):
    stop = planned_stop(role_users)

    with pytest.raises(ValidationError, match=message):
        concern_raise(actor=role_users["driver"], stop=stop, text=text)
    assert WelfareConcern.objects.count() == 0


def test_a_driver_cannot_raise_a_concern_from_another_drivers_stop(client, role_users):
    stop = planned_stop(role_users)
    other = another_driver(role_users)

    with pytest.raises(ValidationError, match="Only the round's driver"):
        concern_raise(actor=other, stop=stop, text="Algo raro.")
    client.force_login(other)
    assert client.post(reverse("stop_concern", args=[stop.pk]), {"text": "Algo raro."}).status_code == 403
    assert WelfareConcern.objects.count() == 0


def test_the_plain_form_raises_a_concern(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    response = client.post(reverse("stop_concern", args=[stop.pk]), {"text": "Parece enferma."}, follow=True)

    assert "Your concern was passed on to social services." in response.content.decode()
    assert WelfareConcern.objects.get().text == "Parece enferma."


def test_the_plain_form_refuses_an_empty_concern(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    response = client.post(reverse("stop_concern", args=[stop.pk]), {"text": ""}, follow=True)

    assert response.status_code == 200
    assert WelfareConcern.objects.count() == 0


def test_a_queued_concern_comes_through_the_sync(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["driver"])

    answers = sync(client, [action("concern", stop=stop.pk, text=""), action("concern", stop=stop.pk, text="Frío")])

    assert [a["accepted"] for a in answers.json()["answers"]] == [False, True]
    assert answers.json()["answers"][0]["message"] == "Stop 1: Write what you saw; nothing was sent."
    assert list(WelfareConcern.objects.values_list("text", flat=True)) == ["Frío"]


@pytest.fixture
def two_zones(role_users):
    """A concern in the social worker's zone and one in a zone she does not work."""
    mine, theirs = round_with_two_stops(role_users)
    _in_zone(mine, role_users["social_worker"])
    _in_zone(theirs, UserFactory(username="otra-trabajadora"))
    driver = role_users["driver"]
    return (
        concern_raise(actor=driver, stop=mine, text="En mi zona."),
        concern_raise(actor=driver, stop=theirs, text="En otra zona."),
    )


def test_a_social_worker_sees_only_her_zones_concerns(client, role_users, two_zones):
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("concerns")).content.decode()

    assert "En mi zona." in page
    assert "En otra zona." not in page
    assert "I am taking this up" in page


def test_a_manager_reads_every_concern_but_cannot_take_one_up(client, role_users, two_zones):
    client.force_login(role_users["manager"])

    page = client.get(reverse("concerns")).content.decode()

    assert "En mi zona." in page
    assert "En otra zona." in page
    assert "I am taking this up" not in page
    assert client.post(reverse("concern_acknowledge", args=[two_zones[0].pk])).status_code == 403


def test_a_social_worker_takes_a_concern_up_once(client, role_users, two_zones):
    mine, _theirs = two_zones
    client.force_login(role_users["social_worker"])

    client.post(reverse("concern_acknowledge", args=[mine.pk]))

    mine.refresh_from_db()
    assert mine.acknowledged_by == role_users["social_worker"]
    first_time = mine.acknowledged_at
    assert first_time is not None
    with pytest.raises(ValidationError, match="already taken up by social_worker"):
        concern_acknowledge(actor=UserFactory(username="otra"), concern=mine)
    mine.refresh_from_db()
    assert (mine.acknowledged_by, mine.acknowledged_at) == (role_users["social_worker"], first_time)


def test_a_taken_up_concern_moves_to_the_recent_list(client, role_users, two_zones):
    mine, _theirs = two_zones
    client.force_login(role_users["social_worker"])
    client.post(reverse("concern_acknowledge", args=[mine.pk]))

    response = client.get(reverse("concerns"))

    assert list(response.context["open_concerns"]) == []
    assert list(response.context["recent"]) == [mine]


def test_another_zones_concern_cannot_be_taken_up(client, role_users, two_zones):
    _mine, theirs = two_zones
    client.force_login(role_users["social_worker"])

    assert client.post(reverse("concern_acknowledge", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


@pytest.mark.parametrize("role", ["driver", "logistics_planner", "intake_operator"])
def test_other_roles_cannot_open_the_concerns_page(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(reverse("concerns")).status_code == 403
