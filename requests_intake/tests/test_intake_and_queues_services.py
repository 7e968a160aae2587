"""Intake triage and the zone queues: a call is answered at first level or sent to its zone's queue.

Here the services, models and commands, called directly; the pages are tested in test_intake_and_queues_pages.py."""

import pytest
from django.core.exceptions import ValidationError

from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register, household_create
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from requests_intake.zoning import point_in_polygon, zone_for

pytestmark = pytest.mark.django_db


SQUARE = [[37.60, -1.00], [37.60, -0.97], [37.63, -0.97], [37.63, -1.00]]


def test_a_point_inside_a_drawn_zone_wins_over_the_postcode():
    drawn = ZoneFactory(postcodes="", polygon=SQUARE)
    by_postcode = ZoneFactory(postcodes="30201")

    assert point_in_polygon(37.61, -0.98, SQUARE)
    assert not point_in_polygon(37.65, -0.98, SQUARE)
    assert zone_for(postcode="30201", latitude=37.61, longitude=-0.98) == drawn
    assert zone_for(postcode="30201", latitude=37.70, longitude=-0.98) == by_postcode
    assert zone_for(postcode="99999") is None


def test_a_new_household_gets_its_zone_and_its_requests_follow(role_users):
    zone = ZoneFactory(postcodes="30203")
    household = household_create(
        actor=role_users["intake_operator"],
        given_name="Dolores",
        family_name="Saura",
        document_type="none",
        document_number="",
        phone="968 11 22 33",
        address="Calle del Aljibe 3",
        postcode="30203",
        municipality="Cartagena",
        latitude=None,
        longitude=None,
    )
    request = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"], priority=0
    )

    assert (household.zone, request.zone, request.priority, request.contact) == (zone, zone, 0, "+34968112233")


@pytest.mark.parametrize("topic", ["", "housing"])
def test_the_service_refuses_an_answer_without_a_known_topic(role_users, topic):
    with pytest.raises(ValidationError) as refused:
        aid_request_register(
            actor=role_users["intake_operator"],
            household=HouseholdFactory(),
            channel="phone",
            needs=["other"],
            answer="Pida cita",
            topic=topic,
        )

    assert refused.value.error_dict["topic"][0].code == "topic_missing"
    assert not AidRequest.objects.exists()


def test_a_referral_must_name_who_referred(role_users):
    with pytest.raises(ValidationError) as refused:
        aid_request_register(
            actor=role_users["intake_operator"], household=HouseholdFactory(), channel="referral", needs=["food"]
        )
    assert refused.value.error_dict["referral_source"][0].code == "referral_source_missing"
    request = aid_request_register(
        actor=role_users["intake_operator"],
        household=HouseholdFactory(),
        channel="referral",
        referral_source="school",
        needs=["food"],
    )
    assert request.get_referral_source_display() == "School"


def test_the_workload_counts_open_urgent_and_waiting_per_zone(role_users):
    from requests_intake.decisions import aid_request_ask_information
    from requests_intake.selectors import zone_workload
    from requests_intake.zone_access import zone_ids_for

    zone = ZoneFactory(name="Zona 9")
    operator = role_users["intake_operator"]
    for priority in (0, 1, 1):
        aid_request_register(
            actor=operator, household=HouseholdFactory(zone=zone), channel="phone", needs=["food"], priority=priority
        )
    waiting = AidRequest.objects.filter(priority=1).first()
    aid_request_ask_information(actor=role_users["social_worker"], request=waiting, what="DNI")

    [row] = zone_workload(zone_ids_for(role_users["social_worker"]))
    assert (row["zone__name"], row["open"], row["urgent"], row["waiting"]) == ("Zona 9", 3, 1, 1)
