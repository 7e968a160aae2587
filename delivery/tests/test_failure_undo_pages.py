"""The driver's page offers to take a failed delivery back during the undo time (issue 22, item 8)."""

import pytest
from django.urls import reverse

from delivery.models import Stop

pytestmark = pytest.mark.django_db


def test_the_driver_page_offers_undo_and_the_undo_button_works(client, role_users, failed):
    client.force_login(role_users["driver"])
    url = reverse("stop_failure_undone", args=[failed["stop"].pk])

    assert f'action="{url}"' in client.get(reverse("driver_round")).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    failed["stop"].refresh_from_db()
    assert failed["stop"].outcome == Stop.Outcome.PENDING
