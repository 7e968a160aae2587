"""The figures page shows the first-level figures and the complaints register."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_figures_page_shows_the_first_level_and_the_complaints(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"))

    assert response.status_code == 200
    assert response.context["first_level"].received == 0
    assert response.context["complaints"].received == 0
    page = response.content.decode()
    assert 'id="first-level"' in page
    assert 'id="complaints"' in page
