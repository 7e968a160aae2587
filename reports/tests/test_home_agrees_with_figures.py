"""The manager's home and the figures page count deliveries with one function (issue 22, item 10)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import Round, Stop
from delivery.services import stop_mark_delivered
from reports.metrics import default_period
from reports.selectors import manager_figures
from tests.scenarios import approved_order, planned_stop

pytestmark = pytest.mark.django_db


def test_the_home_page_counts_the_deliveries_the_figures_page_counts(client, role_users):
    today = timezone.localdate()
    recent = planned_stop(role_users)
    Round.objects.filter(pk=recent.round_id).update(date=today)
    long_ago = recent.round
    long_ago.pk = None
    long_ago.date = today - dt.timedelta(days=90)
    long_ago.save()
    old = Stop.objects.create(
        round=long_ago, order=approved_order(role_users)[0], sequence=1, arrival_at=recent.arrival_at
    )
    for stop in (recent, old):
        stop_mark_delivered(actor=role_users["driver"], stop=stop)
    client.force_login(role_users["manager"])

    home = client.get(reverse("home"))

    figures = manager_figures(period=default_period(today))
    assert (home.context["manager"]["delivered"], figures.delivered) == (1, 1)
    assert home.context["manager"]["failed"] == sum(day.failed for day in figures.visits) == 0
