"""The complaints register: received from the public form, the status page and staff, due for an answer, answered
once by a manager, and counted by category and by answers given on time.

Here the services, models and commands, called directly; the pages are tested in test_complaints_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from requests_intake.complaints import complaint_answer, complaint_figures, complaint_receive
from requests_intake.models import Complaint
from requests_intake.tests.helpers.complaints import MONDAY, _receive

pytestmark = pytest.mark.django_db


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
