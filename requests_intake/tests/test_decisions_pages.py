"""The social worker's decisions: each one recorded with who and when, each refusal changing nothing.

Here through the HTTP client (pages, API, admin); the services are tested in test_decisions_services.py."""

import pytest
from django.urls import reverse

from inventory.tests.factories import ItemFactory, pack_with
from requests_intake.models import AidRequest, PackRule

pytestmark = pytest.mark.django_db


def test_the_assessment_page_offers_the_proposal_and_refers(client, role_users, waiting):
    pack = pack_with({ItemFactory(): 1})
    PackRule.objects.create(name="all", pack=pack, quantity=2)
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("assessment", args=[waiting.pk])).content.decode()
    assert f'name="pack_{pack.pk}" value="2"' in page

    response = client.post(reverse("assessment", args=[waiting.pk]), {"refer": "1", "to": "Servicio de vivienda"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == AidRequest.Status.REFERRED
