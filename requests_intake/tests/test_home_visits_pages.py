"""Home visits: scheduling, the day put in order by the routing engine, and the outcome recorded as an intervention.

Here through the HTTP client (pages, API, admin); the services are tested in test_home_visits_services.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory
from requests_intake.models import HomeVisit
from requests_intake.tests.helpers.home_visits import _household, _visit, home_visits_worker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_my_visits_today_lists_the_visits_in_order_with_arrival_times(client, worker, zone):
    _visit(worker, _household(zone, "Ana", "37.6100", "-0.9800"), "12:00", "13:00")
    _visit(worker, _household(zone, "Berta", "37.6000", "-0.9800"), "09:00", "10:00")
    client.force_login(worker)
    page = client.get(reverse("visits_today")).content.decode()
    assert page.index("Berta") < page.index("Ana")
    assert '<span class="arrival">09:00</span>' in page
    assert '<span class="arrival">12:00</span>' in page


def test_the_outcome_form_on_the_phone_page_records_the_visit(client, worker, zone):
    visit = _visit(worker, _household(zone, "Ana", "37.6100", "-0.9800"), "12:00", "13:00")
    client.force_login(worker)
    response = client.post(reverse("visit_outcome", args=[visit.pk]), {"note": "Bien.", "duration_minutes": 30})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.intervention.duration_minutes) == ("done", 30)


def test_another_workers_visit_is_not_found(client, worker, zone):
    visit = _visit(worker, _household(zone, "Ana", "37.6100", "-0.9800"), "12:00", "13:00")
    other = UserFactory(username="ana")
    other.groups.add(worker.groups.get())
    client.force_login(other)
    assert (
        client.post(reverse("visit_outcome", args=[visit.pk]), {"note": "x", "duration_minutes": 5}).status_code == 404
    )
    assert client.post(reverse("visit_cancel", args=[visit.pk])).status_code == 404
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_scheduling_from_the_record_page(client, worker, zone):
    household = _household(zone, "Ana", "37.6100", "-0.9800")
    client.force_login(worker)
    response = client.post(
        reverse("visit_new", args=[household.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "window_start": "10:00",
            "window_end": "11:00",
            "purpose": "Valorar",
        },
    )
    assert response.status_code == 302
    assert HomeVisit.objects.get().worker == worker
