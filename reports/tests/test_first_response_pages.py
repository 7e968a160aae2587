"""The figures page shows the first-response time of conversations to the manager, and to nobody else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import AidRequest, RequestMessage
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _message(request, at: dt.datetime, **fields) -> None:
    message = RequestMessage.objects.create(request=request, channel="sms", body="…", **fields)
    RequestMessage.objects.filter(pk=message.pk).update(created_at=at)


def test_the_manager_reads_the_median_first_response_on_the_figures_page(client, role_users):
    today = timezone.localdate()
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 5)))
    request = AidRequest.objects.create(household=HouseholdFactory(), channel="sms", received_at=morning)
    _message(request, morning, direction="in")
    _message(request, morning + dt.timedelta(minutes=12), direction="out", author=role_users["social_worker"])
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"))

    assert response.status_code == 200
    assert (response.context["responses"].turns, response.context["responses"].median_minutes) == (1, 12)
    page = response.content.decode()
    assert 'id="first-response"' in page
    assert "Median first response: 12 min." in page


@pytest.mark.parametrize("role", ["intake_operator", "social_worker", "driver"])
def test_other_roles_do_not_open_the_figures(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(reverse("figures")).status_code == 403
