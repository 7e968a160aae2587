"""The stock alert buttons: refreshing the alerts at once and acknowledging one, and who may press them."""

import pytest
from django.urls import reverse

from inventory.alerts import alerts_refresh
from inventory.models import StockAlert

pytestmark = pytest.mark.django_db

Kind = StockAlert.Kind
Status = StockAlert.Status


# The buttons on the dashboard


def test_the_refresh_button_checks_the_alerts_at_once(client, role_users, short_item):
    client.force_login(role_users["supplier_coordinator"])

    response = client.post(reverse("supply_alerts_refresh"), follow=True)

    assert response.redirect_chain == [(reverse("supply_dashboard"), 302)]
    assert "Alerts refreshed: 2 new, 0 still open, 0 resolved." in response.content.decode()
    assert StockAlert.objects.count() == 2


@pytest.mark.parametrize("role", ["manager", "driver"])
def test_only_those_who_handle_alerts_may_refresh_or_acknowledge_them(client, role_users, short_item, role):
    alerts_refresh()
    alert = StockAlert.objects.get(kind=Kind.LOW_STOCK)
    client.force_login(role_users[role])

    assert client.post(reverse("supply_alerts_refresh")).status_code == 403
    assert client.post(reverse("supply_alert_acknowledge", args=[alert.pk])).status_code == 403
    alert.refresh_from_db()
    assert alert.status == Status.OPEN


def test_the_acknowledge_button_marks_the_alert_and_a_second_press_explains(client, role_users, short_item):
    alerts_refresh()
    alert = StockAlert.objects.get(kind=Kind.LOW_STOCK)
    client.force_login(role_users["supplier_coordinator"])
    url = reverse("supply_alert_acknowledge", args=[alert.pk])

    client.post(url)
    again = client.post(url, follow=True)

    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (Status.ACKNOWLEDGED, role_users["supplier_coordinator"])
    assert "already acknowledged this alert" in again.content.decode()
    assert client.get(url).status_code == 405
