"""The complaints register: received from the public form, the status page and staff, due for an answer, answered
once by a manager, and counted by category and by answers given on time."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from requests_intake.complaints import complaint_answer, complaint_figures, complaint_receive
from requests_intake.models import Complaint
from requests_intake.status_links import status_link_for
from tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The public form's hourly limit counts in the cache, which outlives a test.
    cache.clear()


def _receive(category=Complaint.Category.COMPLAINT, now=MONDAY, **kwargs) -> Complaint:
    return complaint_receive(source=Complaint.Source.STAFF, category=category, text="Llegó tarde.", now=now, **kwargs)


def test_a_complaint_is_due_four_weeks_after_it_was_received():
    complaint = _receive()

    assert (complaint.received_at, complaint.due_date) == (MONDAY, dt.date(2026, 3, 30))


def test_the_answer_time_is_a_setting(settings):
    settings.COMPLAINT_ANSWER_DAYS = 10

    assert _receive().due_date == dt.date(2026, 3, 12)


@pytest.mark.parametrize(
    ("category", "text", "code"),
    [("praise", "Gracias", "bad_category"), ("thanks", "   ", "text_missing"), ("thanks", "x" * 2001, "too_long")],
)
def test_a_complaint_without_a_known_category_or_a_text_is_refused(category, text, code):
    with pytest.raises(ValidationError) as refused:
        complaint_receive(source=Complaint.Source.STAFF, category=category, text=text)

    assert [e.code for errors in refused.value.error_dict.values() for e in errors] == [code]
    assert Complaint.objects.count() == 0


def test_a_manager_answers_once(role_users):
    manager = role_users["manager"]
    complaint = _receive()

    complaint_answer(actor=manager, complaint=complaint, answer="  Hablamos con el repartidor.  ")

    complaint.refresh_from_db()
    assert (complaint.answer, complaint.answered_by) == ("Hablamos con el repartidor.", manager)
    first = complaint.answered_at
    with pytest.raises(ValidationError) as refused:
        complaint_answer(actor=manager, complaint=complaint, answer="Otra")
    assert refused.value.code == "already_answered"
    complaint.refresh_from_db()
    assert (complaint.answer, complaint.answered_at) == ("Hablamos con el repartidor.", first)


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "driver"])
def test_only_managers_answer(role_users, role):
    complaint = _receive()

    with pytest.raises(ValidationError) as refused:
        complaint_answer(actor=role_users[role], complaint=complaint, answer="Vale")

    assert refused.value.code == "answer_not_allowed"
    complaint.refresh_from_db()
    assert (complaint.answer, complaint.answered_at) == ("", None)


def test_an_empty_answer_is_refused(role_users):
    complaint = _receive()

    with pytest.raises(ValidationError) as refused:
        complaint_answer(actor=role_users["manager"], complaint=complaint, answer=" ")

    assert refused.value.error_dict["answer"][0].code == "answer_missing"
    complaint.refresh_from_db()
    assert complaint.answered_at is None


def test_the_figures_count_by_category_and_answers_given_by_the_due_date(role_users):
    manager = role_users["manager"]
    on_time, late = _receive(), _receive()
    _receive(Complaint.Category.THANKS)
    _receive(Complaint.Category.SUGGESTION, now=MONDAY + dt.timedelta(days=40))
    complaint_answer(actor=manager, complaint=on_time, answer="Hecho")
    complaint_answer(actor=manager, complaint=late, answer="Hecho")
    Complaint.objects.filter(pk=late.pk).update(answered_at=MONDAY + dt.timedelta(days=29))
    Complaint.objects.filter(pk=on_time.pk).update(answered_at=MONDAY + dt.timedelta(days=28))

    figures = complaint_figures(first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31), today=dt.date(2026, 4, 1))

    assert figures.by_category == (("Complaint", 2), ("Suggestion", 0), ("Claim", 0), ("Thanks", 1))
    assert (figures.received, figures.answered, figures.answered_on_time, figures.overdue) == (3, 2, 1, 1)
    assert figures.on_time_percent == 50


def test_the_public_form_registers_a_suggestion(client):
    response = client.post(
        reverse("complaint_public"),
        {"category": "suggestion", "text": "Más horarios de tarde", "contact": "+34600111222"},
    )

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert (complaint.source, complaint.category, complaint.text, complaint.contact, complaint.household) == (
        Complaint.Source.PUBLIC_FORM,
        Complaint.Category.SUGGESTION,
        "Más horarios de tarde",
        "+34600111222",
        None,
    )


def test_the_public_form_is_limited_per_client_address(client, settings):
    settings.WEBFORM_RATE_PER_HOUR = 1
    data = {"category": "complaint", "text": "Una"}
    client.post(reverse("complaint_public"), data)

    assert client.post(reverse("complaint_public"), data).status_code == 429
    assert Complaint.objects.count() == 1


def test_the_status_page_registers_a_complaint_about_the_household(client, role_users):
    household = HouseholdFactory()
    order, _item, _warehouse = approved_order(role_users, household=household)
    link = status_link_for(order.plan.request)

    client.post(
        reverse("status_page", args=[link.token]), {"action": "complaint", "category": "thanks", "text": "Gracias"}
    )

    complaint = Complaint.objects.get()
    assert (complaint.source, complaint.household, complaint.request, complaint.text) == (
        Complaint.Source.STATUS_PAGE,
        household,
        order.plan.request,
        "Gracias",
    )


def test_the_managers_page_lists_open_ones_first_due_and_answers_them(client, role_users):
    later = _receive(now=timezone.now())
    sooner = _receive(now=timezone.now() - dt.timedelta(days=3))
    client.force_login(role_users["manager"])

    page = client.get(reverse("complaints"))
    client.post(reverse("complaint_answer", args=[sooner.pk]), {"answer": "Lo sentimos."})

    assert list(page.context["open_complaints"]) == [sooner, later]
    sooner.refresh_from_db()
    assert (sooner.answer, sooner.answered_by) == ("Lo sentimos.", role_users["manager"])
    assert list(client.get(reverse("complaints")).context["open_complaints"]) == [later]


def test_a_manager_records_a_complaint_taken_by_phone(client, role_users):
    client.force_login(role_users["manager"])

    client.post(reverse("complaints"), {"category": "claim", "text": "Faltaba leche", "contact": "Ana, 968000000"})

    complaint = Complaint.objects.get()
    assert (complaint.source, complaint.category, complaint.recorded_by) == (
        Complaint.Source.STAFF,
        Complaint.Category.CLAIM,
        role_users["manager"],
    )
