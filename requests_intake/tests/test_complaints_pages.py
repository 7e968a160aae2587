"""The complaints register: received from the public form, the status page and staff, due for an answer, answered
once by a manager, and counted by category and by answers given on time.

Here through the HTTP client (pages, API, admin); the services are tested in test_complaints_services.py."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import Complaint
from requests_intake.status_links import status_link_for
from requests_intake.tests.factories import HouseholdFactory
from requests_intake.tests.helpers.complaints import _receive
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The public form's hourly limit counts in the cache, which outlives a test.
    cache.clear()


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
