"""Welfare concerns, the pages: the driver's plain form and sync, and the social workers' list, where each sees
only her zone's concerns."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.factories import UserFactory
from delivery.concerns import concern_acknowledge, concern_raise, concern_resolve
from delivery.models import WelfareConcern
from delivery.tests.concern_world import _in_zone
from tests.scenarios import planned_stop

from .driver_world import action, another_driver, sync

pytestmark = pytest.mark.django_db


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


def test_a_driver_cannot_raise_a_concern_from_another_drivers_stop(client, role_users):
    stop = planned_stop(role_users)
    other = another_driver(role_users)

    with pytest.raises(ValidationError) as refused:
        concern_raise(actor=other, stop=stop, text="Algo raro.")
    assert refused.value.code == "not_the_driver"
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
    assert (mine.status, mine.owner, mine.acknowledged_by) == (
        WelfareConcern.Status.IN_PROGRESS,
        role_users["social_worker"],
        role_users["social_worker"],
    )
    first_time = mine.acknowledged_at
    assert first_time is not None
    with pytest.raises(ValidationError) as refused:
        concern_acknowledge(actor=UserFactory(username="otra"), concern=mine)
    assert refused.value.code == "already_taken"
    assert "social_worker" in refused.value.message  # the refusal names who took it up
    mine.refresh_from_db()
    assert (mine.owner, mine.acknowledged_at) == (role_users["social_worker"], first_time)


def test_taking_a_concern_up_does_not_resolve_it(client, role_users, two_zones):
    mine, _theirs = two_zones
    client.force_login(role_users["social_worker"])
    client.post(reverse("concern_acknowledge", args=[mine.pk]))

    response = client.get(reverse("concerns"))

    assert list(response.context["open_concerns"]) == [mine]
    assert list(response.context["recent"]) == []
    mine.refresh_from_db()
    assert (mine.resolved_at, mine.resolved_by, mine.closing_note) == (None, None, "")


def test_resolving_a_concern_records_the_action_the_note_and_who_closed_it(client, role_users, two_zones):
    mine, _theirs = two_zones
    worker = role_users["social_worker"]
    client.force_login(worker)
    client.post(reverse("concern_acknowledge", args=[mine.pk]))

    response = client.post(
        reverse("concern_resolve", args=[mine.pk]),
        {"action_taken": " Visita a domicilio ", "closing_note": "Tiene luz; ayuda de suministros concedida."},
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.owner, mine.resolved_by, mine.action_taken, mine.closing_note) == (
        WelfareConcern.Status.RESOLVED,
        worker,
        worker,
        "Visita a domicilio",
        "Tiene luz; ayuda de suministros concedida.",
    )
    assert mine.resolved_at is not None
    page = client.get(reverse("concerns"))
    assert list(page.context["open_concerns"]) == []
    assert list(page.context["recent"]) == [mine]


def test_the_resolve_form_without_a_note_shows_the_error_and_keeps_the_concern_open(client, role_users, two_zones):
    mine, _theirs = two_zones
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("concern_resolve", args=[mine.pk]), {"action_taken": "Llamada", "closing_note": ""})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["closing_note"]
    mine.refresh_from_db()
    assert mine.status == WelfareConcern.Status.OPEN


def test_another_zones_concern_cannot_be_resolved(client, role_users, two_zones):
    _mine, theirs = two_zones
    client.force_login(role_users["social_worker"])

    response = client.post(reverse("concern_resolve", args=[theirs.pk]), {"action_taken": "a", "closing_note": "b"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == WelfareConcern.Status.OPEN


def test_concerns_to_resolve_are_on_the_social_workers_home_page(client, role_users, two_zones):
    mine, _theirs = two_zones
    worker = role_users["social_worker"]
    client.force_login(worker)
    concern_acknowledge(actor=worker, concern=mine)

    assert client.get(reverse("home")).context["concerns"] == [mine]

    concern_resolve(actor=worker, concern=mine, action_taken="Llamada", closing_note="Todo bien.")
    assert client.get(reverse("home")).context["concerns"] == []


def test_another_zones_concern_cannot_be_taken_up(client, role_users, two_zones):
    _mine, theirs = two_zones
    client.force_login(role_users["social_worker"])

    assert client.post(reverse("concern_acknowledge", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.owner, theirs.acknowledged_at) == (WelfareConcern.Status.OPEN, None, None)


@pytest.mark.parametrize("role", ["driver", "logistics_planner", "intake_operator"])
def test_other_roles_cannot_open_the_concerns_page(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(reverse("concerns")).status_code == 403
