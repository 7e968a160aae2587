"""The day close page: open to planners and managers only."""

import pytest
from django.urls import reverse

from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_the_day_close_page_is_for_planners_and_managers(client, role_users):
    stop = planned_stop(role_users)
    client.force_login(role_users["logistics_planner"])

    page = client.get(reverse("day_close") + f"?date={stop.round.date.isoformat()}")

    assert page.status_code == 200
    assert "no outcome recorded yet" in page.content.decode()
