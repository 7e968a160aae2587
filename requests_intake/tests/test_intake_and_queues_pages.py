"""Intake triage and the zone queues: a call is answered at first level or sent to its zone's queue.

Here through the HTTP client (pages, API, admin); the services are tested in test_intake_and_queues_services.py."""

import pytest
from django.urls import reverse

from requests_intake.models import AidRequest, Household, Notification, RequestMessage
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_an_information_only_call_is_closed_at_intake_with_the_answer_and_never_queued(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    response = client.post(
        reverse("request_new", args=[household.pk]),
        {
            "channel": "phone",
            "needs": ["other"],
            "triage": "info_only",
            "answer": "Horario del banco de alimentos",
            "topic": "aid_information",
        },
    )

    assert response.status_code == 302
    assert "answered and closed at intake" in client.get(response.url).content.decode()
    request = AidRequest.objects.get()
    assert (request.status, request.decided_by, request.first_level_topic) == (
        AidRequest.Status.INFO_ONLY,
        role_users["intake_operator"],
        AidRequest.Topic.AID_INFORMATION,
    )
    assert RequestMessage.objects.get().body == "Horario del banco de alimentos"
    assert not Notification.objects.exists()
    client.force_login(role_users["social_worker"])
    assert request.reference not in client.get(reverse("assessment_queue")).content.decode()


def test_information_only_without_an_answer_is_refused(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    response = client.post(
        reverse("request_new", args=[household.pk]), {"channel": "phone", "needs": ["other"], "triage": "info_only"}
    )

    assert response.status_code == 200
    assert "Write the answer given" in response.content.decode()
    assert not AidRequest.objects.exists()


def test_information_only_without_a_topic_is_refused(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    response = client.post(
        reverse("request_new", args=[household.pk]),
        {"channel": "phone", "needs": ["other"], "triage": "info_only", "answer": "Pida cita en el padrón"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["topic"]
    assert not AidRequest.objects.exists()


def test_a_request_sent_to_assessment_has_no_topic(client, role_users):
    household = HouseholdFactory()
    client.force_login(role_users["intake_operator"])

    client.post(
        reverse("request_new", args=[household.pk]),
        {"channel": "phone", "needs": ["food"], "triage": "assessment", "answer": "x", "topic": "padron"},
    )

    request = AidRequest.objects.get()
    assert (request.status, request.first_level_topic) == (AidRequest.Status.IN_ASSESSMENT, "")


def test_a_social_worker_sees_only_her_zones_urgent_first(client, role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    mine.social_workers.add(role_users["social_worker"])
    operator = role_users["intake_operator"]
    normal = aid_request_register(
        actor=operator, household=HouseholdFactory(zone=mine), channel="phone", needs=["food"], priority=1
    )
    urgent = aid_request_register(
        actor=operator, household=HouseholdFactory(zone=mine), channel="phone", needs=["food"], priority=0
    )
    elsewhere = aid_request_register(
        actor=operator, household=HouseholdFactory(zone=other), channel="phone", needs=["food"]
    )
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment_queue")).content.decode()

    assert page.index(urgent.reference) < page.index(normal.reference)
    assert elsewhere.reference not in page
    assert client.get(reverse("assessment", args=[elsewhere.pk])).status_code == 403
    client.force_login(role_users["manager"])
    page = client.get(reverse("assessment_queue")).content.decode()  # managers read every zone, without deciding
    assert elsewhere.reference in page
    assert reverse("assessment", args=[elsewhere.pk]) not in page


def test_a_social_worker_assigned_to_zones_cannot_open_a_household_of_another_zone(client, role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    mine.social_workers.add(role_users["social_worker"])
    client.force_login(role_users["social_worker"])

    assert client.get(reverse("household_detail", args=[HouseholdFactory(zone=mine).pk])).status_code == 200
    assert client.get(reverse("household_detail", args=[HouseholdFactory(zone=other).pk])).status_code == 403
    client.force_login(role_users["intake_operator"])  # intake answers every call, whatever the zone
    assert client.get(reverse("household_detail", args=[HouseholdFactory(zone=other).pk])).status_code == 200


def test_registering_a_household_that_looks_known_asks_first(client, role_users):
    known = HouseholdFactory(phone="+34968123456")
    client.force_login(role_users["intake_operator"])
    form = {
        "given_name": "Otra",
        "family_name": "Persona",
        "document_type": "none",
        "phone": "968 12 34 56",
        "address": "Calle Nueva 1",
        "postcode": "30201",
        "municipality": "Cartagena",
        "members": 1,
        "language": "es",
    }

    page = client.post(reverse("intake"), form)
    assert page.status_code == 200
    assert reverse("request_new", args=[known.pk]) in page.content.decode()
    assert Household.objects.count() == 1

    assert client.post(reverse("intake"), {**form, "register_anyway": "1"}).status_code == 302
    assert Household.objects.count() == 2


def test_a_zone_bound_social_worker_cannot_edit_or_merge_another_zones_households(client, role_users):
    mine, other = ZoneFactory(), ZoneFactory()
    mine.social_workers.add(role_users["social_worker"])
    theirs, also_theirs = HouseholdFactory(zone=other), HouseholdFactory(zone=other)
    client.force_login(role_users["social_worker"])

    assert client.get(reverse("household_edit", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("household_merge", args=[theirs.pk, also_theirs.pk])).status_code == 403
    assert (
        client.post(reverse("household_merge", args=[theirs.pk, also_theirs.pk]), {"keep": theirs.pk}).status_code
        == 403
    )
