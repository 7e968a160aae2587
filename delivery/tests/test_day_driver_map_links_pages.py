"""The driver's "Map" button: geo: for Android phones, and a link iPhones open in their map app, both to the door."""

import pytest
from django.urls import reverse

from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_an_iphone_gets_a_map_link_to_the_point(client, role_users):
    planned_stop(role_users)
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round"), headers={"accept-language": "es"}).content.decode()

    assert 'href="geo:37.605000,-0.985000' in page
    assert 'href="https://maps.apple.com/?daddr=37.605000,-0.985000"' in page


def test_an_iphone_gets_a_map_link_to_the_address_when_there_is_no_point(client, role_users):
    stop = planned_stop(role_users)
    household = stop.order.household
    household.latitude = household.longitude = None
    household.save()
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    assert 'href="https://maps.apple.com/?daddr=Calle%20del%20Almendro' in page
