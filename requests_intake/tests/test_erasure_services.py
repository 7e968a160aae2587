"""Erasing a household's personal data: gone everywhere (history too), figures unchanged, the erasure itself on
record, refused while aid is under way, and only for managers.

Here the services, models and commands, called directly; the pages are tested in test_erasure_pages.py."""

import dataclasses
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.concerns import concern_raise, concern_resolve
from delivery.models import SatisfactionSurvey, Stop, WelfareConcern
from delivery.proof import proof_from_data_url
from delivery.services import stop_mark_delivered
from delivery.surveys import survey_answer, survey_send
from delivery.tests.driver_world import JPEG_URL, PNG_URL
from logistics.models import DeliveryOrder
from reports.metrics import period_check
from reports.selectors import manager_figures
from requests_intake.audit import household_audit
from requests_intake.decisions import plan_pause
from requests_intake.duplicates import household_merge
from requests_intake.erasure import erasure_blockers, household_erase
from requests_intake.households import record_as
from requests_intake.models import AidRequest, Household, HouseholdMember, RequestMessage, StatusLink
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdMemberFactory
from requests_intake.tests.helpers.erasure import REASON, _household, _unchanged
from tests.scenarios import approved_order, approved_plan, planned_stop

pytestmark = pytest.mark.django_db


# What the world below writes about the person; none of it may survive the erasure, in any table.
PERSONAL = [
    "Wenceslaa",
    "Zubizarreta",
    "Eustaquio",
    "48291736Q",
    "968777001",
    "968777002",
    "968777003",
    "wenceslaa@example.org",
    "Ficticia",
    "Timbre roto",
    "Dejar con el vecino",
    "parecia enferma",
    "RX-55123",
]


@pytest.fixture
def lived(role_users):
    """A household with a story: members, an edited record, a delivered order with proof, a concern, a survey
    comment, a message, notifications, and a duplicate merged into it."""
    social_worker, driver = role_users["social_worker"], role_users["driver"]
    household = _household()
    HouseholdMemberFactory(household=household, given_name="Eustaquio", family_name="Zubizarreta")
    record_as(household, actor=social_worker, reason="Record edited")
    household.phone = "+34968777002"
    household.save(update_fields=["phone"])

    stop = planned_stop(role_users, household=household)
    order = stop.order
    request = order.plan.request
    request.description = "Wenceslaa vive con Eustaquio"
    record_as(request, actor=social_worker, reason="Described")
    request.save(update_fields=["description"])
    plan = order.plan
    plan.notes, plan.prescription_ref = "Dejar con el vecino", "RX-55123"
    record_as(plan, actor=social_worker, reason="Notes")
    plan.save(update_fields=["notes", "prescription_ref"])
    RequestMessage.objects.create(request=request, channel="sms", sender="+34968777001", body="Soy Wenceslaa")

    stop_mark_delivered(
        actor=driver,
        stop=stop,
        received_by="Eustaquio Zubizarreta",
        signature=proof_from_data_url(PNG_URL, kind="signature"),
        photo=proof_from_data_url(JPEG_URL, kind="photo"),
    )
    stop.refresh_from_db()
    concern = concern_raise(actor=driver, stop=stop, text="Wenceslaa parecia enferma")
    concern_resolve(
        actor=social_worker, concern=concern, action_taken="Llamé a Wenceslaa", closing_note="Eustaquio la cuida"
    )
    survey = survey_send(order=order)
    survey_answer(survey=survey, score=4, on_time=True, comment="Gracias de Zubizarreta")

    duplicate = _household(family_name="Zubizarreta Gil", phone="+34968777003", document_number="", zone=None)
    household_merge(actor=social_worker, keep=household, duplicate=duplicate)
    household.refresh_from_db()
    return household, stop


def _database_text() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def _figures():
    figures = manager_figures(period=period_check(first=timezone.localdate(), last=tomorrow()))
    # Survey comments are the person's own words, so they leave the page; the answers' scores stay in the counts.
    return dataclasses.replace(figures, satisfaction=dataclasses.replace(figures.satisfaction, comments=()))


def test_erasure_leaves_no_trace_of_the_person_anywhere_in_the_database(lived, role_users):
    household, _stop = lived
    before = _database_text()
    assert [text for text in PERSONAL if text not in before] == []

    household_erase(actor=role_users["manager"], household=household, reason=REASON)

    after = _database_text()
    assert [text for text in PERSONAL if text in after] == []


def test_erasure_overwrites_the_personal_fields_with_placeholders(lived, role_users):
    household, stop = lived

    result = household_erase(actor=role_users["manager"], household=household, reason=REASON)

    household.refresh_from_db()
    assert (household.full_name, household.phone, household.email, household.address) == ("Erased", "", "", "")
    assert (household.document_type, household.document_number, household.birth_date) == ("none", "", None)
    assert (household.latitude, household.longitude, household.access_notes) == (None, None, "")
    assert (household.vulnerabilities, household.diets, household.preferred_days) == ([], [], [])
    assert sorted(HouseholdMember.objects.values_list("given_name", "family_name", "birth_date")) == [
        ("Erased", "", None)
    ]
    assert set(RequestMessage.objects.values_list("sender", "body")) == {("", "Erased")}
    concern = WelfareConcern.objects.get()
    assert (concern.text, concern.action_taken, concern.closing_note) == ("Erased", "Erased", "Erased")
    assert StatusLink.objects.count() == 0
    assert SatisfactionSurvey.objects.get().comment == ""
    stop.refresh_from_db()
    assert (stop.received_by, stop.signature.name, stop.photo.name) == ("", "", "")
    assert (result.households, result.members, result.requests, result.files) == (2, 1, 1, 2)


def test_erasure_keeps_the_numbers_and_dates_the_figures_need(lived, role_users):
    household, stop = lived
    request = AidRequest.objects.get()
    figures_before = _figures()
    kept_before = (household.members, household.zone_id, household.postcode, household.consent_on)

    household_erase(actor=role_users["manager"], household=household, reason=REASON)

    household.refresh_from_db()
    assert (household.members, household.zone_id, household.postcode, household.consent_on) == kept_before
    after = AidRequest.objects.get()
    assert (after.received_at, after.decided_at, after.status, after.channel, after.needs) == (
        request.received_at,
        request.decided_at,
        request.status,
        request.channel,
        request.needs,
    )
    assert Stop.objects.get().outcome == Stop.Outcome.DELIVERED
    assert SatisfactionSurvey.objects.get().score == 4
    assert HouseholdMember.objects.get().relationship == "child"
    assert _figures() == figures_before


def test_history_rows_are_scrubbed_not_deleted(lived, role_users):
    household, _stop = lived
    rows_before = Household.history.filter(id=household.pk).count()
    member_rows_before = HouseholdMember.history.count()

    household_erase(actor=role_users["manager"], household=household, reason=REASON)

    history = Household.history.filter(id=household.pk)
    assert history.count() == rows_before + 1  # the erasure's own row
    assert set(history.values_list("given_name", "phone", "address", "document_number")) == {("Erased", "", "", "")}
    assert HouseholdMember.history.count() == member_rows_before
    assert set(HouseholdMember.history.values_list("given_name", "birth_date")) == {("Erased", None)}
    assert set(AidRequest.history.values_list("description", flat=True)) == {""}


def test_the_history_says_who_erased_the_record_when_and_why(lived, role_users):
    household, _stop = lived
    started = timezone.now()

    household_erase(actor=role_users["manager"], household=household, reason=REASON)

    newest = household_audit(household, show_vulnerability=True)[0]
    assert (newest.who, newest.reason, newest.subject) == ("manager", REASON, "Household record")
    assert newest.at >= started
    assert Household.history.filter(id=household.pk).latest("history_date").history_user == role_users["manager"]


def test_proof_files_are_deleted_once_the_erasure_is_committed(
    lived, role_users, settings, django_capture_on_commit_callbacks
):
    household, stop = lived
    files = [Path(settings.MEDIA_ROOT) / stop.signature.name, Path(settings.MEDIA_ROOT) / stop.photo.name]
    assert all(file.exists() for file in files)

    with django_capture_on_commit_callbacks(execute=True):
        household_erase(actor=role_users["manager"], household=household, reason=REASON)

    assert [file.exists() for file in files] == [False, False]


def test_an_order_not_yet_delivered_or_cancelled_refuses_the_erasure(role_users):
    household = _household()
    order, _item, _warehouse = approved_order(role_users, household=household)
    before = _unchanged(household)

    with pytest.raises(ValidationError) as refused:
        household_erase(actor=role_users["manager"], household=household, reason=REASON)

    assert [error.code for error in refused.value.error_list] == ["order_open", "nothing_erased"]
    assert _unchanged(household) == before


def test_a_cancelled_order_does_not_refuse_the_erasure(role_users):
    household = _household()
    order, _item, _warehouse = approved_order(role_users, household=household)
    DeliveryOrder.objects.filter(pk=order.pk).update(status=DeliveryOrder.Status.CANCELLED)

    household_erase(actor=role_users["manager"], household=household, reason=REASON)

    household.refresh_from_db()
    assert household.full_name == "Erased"


def test_a_request_still_awaiting_assessment_refuses_the_erasure(role_users):
    household = _household()
    aid_request_register(actor=role_users["intake_operator"], household=household, channel="phone", needs=["food"])
    before = _unchanged(household)

    with pytest.raises(ValidationError) as refused:
        household_erase(actor=role_users["manager"], household=household, reason=REASON)

    assert [error.code for error in refused.value.error_list] == ["request_open", "nothing_erased"]
    assert _unchanged(household) == before


def test_a_recurring_plan_still_delivering_refuses_the_erasure_until_paused(role_users):
    household = _household()
    plan = approved_plan(role_users, household=household, repeat_every_days=7)
    DeliveryOrder.objects.filter(plan=plan).update(status=DeliveryOrder.Status.CANCELLED)

    assert erasure_blockers(household) == [
        f"The aid plan of {plan.request.reference} still makes deliveries: pause it or let it end first."
    ]

    plan_pause(actor=role_users["social_worker"], plan=plan, reason="The person asked to stop")
    assert erasure_blockers(household) == []


def test_a_record_merged_into_another_is_erased_only_with_it(role_users):
    keep, duplicate = _household(), _household(document_number="", phone="+34968777003")
    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        household_erase(actor=role_users["manager"], household=duplicate, reason=REASON)

    assert [error.code for error in refused.value.error_list] == ["household_merged", "nothing_erased"]
    assert _unchanged(duplicate)[0] == "Wenceslaa Zubizarreta"


@pytest.mark.parametrize(
    ("reason", "code"),
    [("  ", "reason_missing"), ("x" * 101, "reason_too_long")],
)
def test_an_erasure_without_a_usable_reason_is_refused(role_users, reason, code):
    household = _household()
    before = _unchanged(household)

    with pytest.raises(ValidationError) as refused:
        household_erase(actor=role_users["manager"], household=household, reason=reason)

    assert {field: [error.code for error in errors] for field, errors in refused.value.error_dict.items()} == {
        "reason": [code]
    }
    assert _unchanged(household) == before


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "logistics_planner", "driver"])
def test_only_a_manager_may_erase(role_users, role):
    household = _household()
    before = _unchanged(household)

    with pytest.raises(PermissionDenied):
        household_erase(actor=role_users[role], household=household, reason=REASON)

    assert _unchanged(household) == before
