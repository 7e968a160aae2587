"""The household record (ficha): who sees what, editing the holder and the members, and the timeline.

Here the services, models and commands, called directly; the pages are tested in test_household_record_pages.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from delivery.services import stop_mark_delivered
from requests_intake.decisions import aid_request_ask_information, aid_request_reject, aid_request_resume
from requests_intake.households import MembersChange, household_record_save, household_update, members_save
from requests_intake.models import HouseholdMember, RequestMessage
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory, ZoneFactory
from requests_intake.tests.helpers.household_record import household_record_household  # noqa: F401 (fixtures)
from requests_intake.timeline import household_timeline
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_vulnerability_cannot_be_changed_without_the_permission(role_users, household):
    with pytest.raises(ValidationError) as refused:
        household_update(actor=role_users["intake_operator"], household=household, vulnerabilities=[])

    assert refused.value.error_dict["vulnerabilities"][0].code == "vulnerability_not_allowed"

    household.refresh_from_db()
    assert household.vulnerabilities == ["gender_violence"]


def test_a_document_held_by_another_record_is_refused_naming_it(role_users, household):
    other = HouseholdFactory(document_type="dni", document_number="12345678Z", phone="+34611999888")

    with pytest.raises(ValidationError) as refused:
        household_update(
            actor=role_users["social_worker"], household=household, document_type="dni", document_number="12345678z"
        )

    [error] = refused.value.error_dict["document_number"]
    assert (error.code, error.params["pk"]) == ("document_taken", other.pk)

    household.refresh_from_db()
    assert (household.document_type, household.document_number) == ("none", "")


def test_an_update_that_changes_nothing_records_nothing(role_users, household):
    before = household.history.count()

    household_update(
        actor=role_users["social_worker"], household=household, phone="611000111", email="rosa@example.org"
    )

    assert household.history.count() == before


def test_a_new_address_gets_its_own_point_and_zone(role_users, household):
    east = ZoneFactory(name="Este", postcodes="30205")

    household_update(
        actor=role_users["social_worker"], household=household, address="Calle del Almendro 7", postcode="30205"
    )

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (Decimal("37.617393"), Decimal("-0.972710"))
    assert household.zone == east


def test_an_address_that_cannot_be_placed_loses_the_old_point(role_users, household):
    household_update(actor=role_users["social_worker"], household=household, address="Calle Inventada 1")

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (None, None)


def test_a_point_typed_with_the_new_address_is_kept(role_users, household):
    household_update(
        actor=role_users["social_worker"],
        household=household,
        address="Calle Inventada 1",
        latitude=Decimal("37.600001"),
        longitude=Decimal("-0.980001"),
    )

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (Decimal("37.600001"), Decimal("-0.980001"))


def test_a_specialised_team_is_kept_when_the_address_changes(role_users, household):
    team = ZoneFactory(name="Equipo sin hogar", kind="team", postcodes="")
    ZoneFactory(name="Este", postcodes="30205")
    household.zone = team
    household.save()

    household_update(
        actor=role_users["social_worker"], household=household, address="Calle del Almendro 7", postcode="30205"
    )

    household.refresh_from_db()
    assert household.zone == team


def test_fields_outside_the_record_cannot_be_set(role_users, household):
    other = HouseholdFactory(phone="+34611999888")

    with pytest.raises(ValidationError) as refused:
        household_update(actor=role_users["social_worker"], household=household, merged_into=other)

    assert refused.value.code == "fields_not_editable"

    household.refresh_from_db()
    assert household.merged_into is None


def test_removing_members_needs_the_permission_and_changes_nothing_when_refused(role_users, household):
    member = household.people.get()

    with pytest.raises(ValidationError) as refused:
        members_save(actor=role_users["intake_operator"], household=household, change=MembersChange(removed=[member]))

    assert refused.value.code == "remove_member_not_allowed"

    assert household.people.get() == member


def test_a_member_of_another_household_cannot_be_changed_through_this_one(role_users, household):
    stranger = HouseholdMemberFactory(household=HouseholdFactory(phone="+34611999888"), given_name="Otro")

    with pytest.raises(ValidationError) as refused:
        members_save(
            actor=role_users["social_worker"],
            household=household,
            change=MembersChange(changed=[(stranger, {"given_name": "Cambiado"})]),
        )

    assert refused.value.code == "not_a_member"

    stranger.refresh_from_db()
    assert stranger.given_name == "Otro"


def test_a_refused_holder_change_also_undoes_the_members_change(role_users, household):
    history_before = HouseholdMember.history.count()
    new_member = {"given_name": "Nerea", "family_name": "", "birth_date": dt.date(2020, 2, 2), "relationship": "child"}

    with pytest.raises(ValidationError) as refused:
        household_record_save(
            actor=role_users["social_worker"],
            household=household,
            fields={"phone": "12"},
            members=MembersChange(added=[new_member]),
        )

    assert [error.code for error in refused.value.error_dict["phone"]] == ["phone_invalid"]

    household.refresh_from_db()
    assert (household.people.count(), household.members, household.phone) == (1, 2, "+34611000111")
    assert HouseholdMember.history.count() == history_before


def test_correcting_a_member_keeps_the_count(role_users, household):
    household.members = 5  # people live there who are not listed by name
    household.save()
    member = household.people.get()

    members_save(
        actor=role_users["social_worker"],
        household=household,
        change=MembersChange(changed=[(member, {"birth_date": dt.date(2016, 2, 10)})]),
    )

    household.refresh_from_db()
    member.refresh_from_db()
    assert (member.birth_date, household.members) == (dt.date(2016, 2, 10), 5)


# The timeline


def test_the_timeline_lists_request_decision_order_delivery_and_notifications(
    role_users, django_assert_max_num_queries
):
    stop = planned_stop(role_users)
    stop_mark_delivered(actor=role_users["driver"], stop=stop, received_by="Carmen")
    household = stop.order.household
    aid_request = stop.order.plan.request
    RequestMessage.objects.create(request=aid_request, channel="whatsapp", sender="+34611000111", body="¿Cuándo llega?")

    with django_assert_max_num_queries(7):
        events = household_timeline(household)

    kinds = [e.kind for e in events]
    assert {"request", "decision", "order", "delivered", "notification", "message"} <= set(kinds)
    assert kinds.index("delivered") < kinds.index("order") < kinds.index("decision") < kinds.index("request")
    decision = next(e for e in events if e.kind == "decision")
    assert (decision.title, decision.who, decision.reference) == (
        "Decision: Approved",
        "social_worker",
        aid_request.reference,
    )
    delivered = next(e for e in events if e.kind == "delivered")
    assert (delivered.detail, delivered.who) == ("Received by Carmen", "driver")
    told = sorted(e.title for e in events if e.kind == "notification")
    assert told == [
        "Requester told: Delivered",
        "Requester told: Delivery scheduled",
        "Requester told: Request approved",
        "Requester told: Request received",
    ]
    assert events == sorted(events, key=lambda e: e.at, reverse=True)


def test_the_timeline_shows_a_rejection_with_its_reason(role_users):
    household = HouseholdFactory()
    aid_request = aid_request_register(
        actor=role_users["intake_operator"], household=household, channel="whatsapp", needs=["hygiene"]
    )
    aid_request_ask_information(actor=role_users["social_worker"], request=aid_request, what="Padrón")
    aid_request_resume(actor=role_users["social_worker"], request=aid_request)
    aid_request_reject(
        actor=role_users["social_worker"], request=aid_request, reason="Ingresos por encima del umbral", code="income"
    )

    events = household_timeline(household)

    assert [(e.kind, e.title, e.detail) for e in events if e.kind in {"request", "decision"}] == [
        ("decision", "Decision: Rejected", "Income above the threshold · Ingresos por encima del umbral"),
        ("decision", "Decision: Waiting for information", "Padrón"),
        ("request", "Request received by WhatsApp", "Hygiene"),
    ]


def test_the_timeline_query_count_does_not_grow_with_the_requests(role_users, django_assert_max_num_queries):
    household = HouseholdFactory()
    for _ in range(4):
        aid_request = aid_request_register(
            actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"]
        )
        aid_request_reject(actor=role_users["social_worker"], request=aid_request, reason="Duplicada")

    with django_assert_max_num_queries(7):
        events = household_timeline(household)

    assert [e.kind for e in events].count("decision") == 4
