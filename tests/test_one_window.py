"""One delivery window: what planning plans, what the household is told, what the route sheet prints and what the
driver's page shows are the same, even when the household asked for hours outside the working day."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from delivery.manifests import route_sheet_pdf
from delivery.selectors import round_for_manifest
from logistics.windows import ARRIVAL_MARGIN, arrival_window
from requests_intake.models import Notification
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_hours_of_six_to_ten_at_night_are_planned_told_printed_and_shown_as_eight_to_eight(client, role_users):
    household = HouseholdFactory(preferred_from=dt.time(6, 0), preferred_until=dt.time(22, 0))

    stop = planned_stop(role_users, household=household)

    planned = (stop.order.window_start, stop.order.window_end)  # what routing.adapter gives the solver
    assert planned == (dt.time(8, 0), dt.time(20, 0))
    assert arrival_window(stop.order, stop.arrival_at) == planned
    told = Notification.objects.get(request=stop.order.plan.request, event=Notification.Event.SCHEDULED).body
    assert "08:00" in told
    assert "20:00" in told
    assert "06:00" not in told
    assert "22:00" not in told
    assert "08:00–20:00" in _pdf_text(route_sheet_pdf(round_for_manifest(stop.round_id), language="en"))
    client.force_login(role_users["driver"])
    page = client.get(reverse("driver_round"), {"day": stop.round.date.isoformat()}).content.decode()
    assert "Window 08:00–20:00" in page


def test_a_household_without_hours_is_told_its_planned_arrival_give_or_take_half_an_hour(role_users):
    stop = planned_stop(role_users, household=HouseholdFactory(preferred_from=None, preferred_until=None))
    arrival = timezone.localtime(stop.arrival_at)

    start, end = arrival_window(stop.order, stop.arrival_at)

    assert (start, end) == ((arrival - ARRIVAL_MARGIN).time(), (arrival + ARRIVAL_MARGIN).time())
    told = Notification.objects.get(request=stop.order.plan.request, event=Notification.Event.SCHEDULED).body
    assert f"{start:%H:%M}" in told
    assert f"{end:%H:%M}" in told
