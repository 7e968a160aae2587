"""Route sheets and depot summaries reached from the pages: the stop's link and the planner's download."""

import pytest
from django.urls import reverse

from delivery.manifests import (
    stop_url,
)
from delivery.tests.manifest_world import _order, _round, pdf_text

pytestmark = pytest.mark.django_db


def test_stop_url_opens_the_stop_on_the_driver_page(role_users):
    stop = _round(role_users, [_order(role_users)]).stops.get()

    assert stop_url(stop) == f"http://127.0.0.1:8000{reverse('driver_round')}#stop-{stop.pk}"


def test_the_planner_downloads_the_depot_summary_from_the_planning_page(client, role_users):
    from django.urls import reverse

    from routing.models import PlanningRun
    from tests.scenarios import planned_stop

    stop = planned_stop(role_users)
    run = PlanningRun.objects.get()
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("planning") + f"?date={run.date.isoformat()}").content.decode()
    url = reverse("run_summary_pdf", args=[run.pk, stop.round.depot.code])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert stop.round.vehicle.name in pdf_text(response.content)
