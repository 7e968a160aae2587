"""Zone access has one meaning, written once (requests_intake.zone_access): a social worker listed on zones sees
those zones' records and the records not yet placed, in the pages, the API and the lists alike.

Here through the HTTP client (pages, API, admin); the services are tested in test_zone_access_services.py."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_household_page_the_assessment_page_and_the_api_agree_on_what_a_zoned_worker_opens(client, world):
    client.force_login(world["worker"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world['worker']).key}")
    pages = {
        name: client.get(reverse("household_detail", args=[h.pk])).status_code
        for name, h in world["households"].items()
    }
    assessments = {
        name: client.get(reverse("assessment", args=[r.pk])).status_code for name, r in world["requests"].items()
    }
    api_answers = {name: api.get(f"/api/v1/households/{h.pk}/").status_code for name, h in world["households"].items()}
    assert pages == assessments == api_answers == {"mine": 200, "unplaced": 200, "other": 403}


def test_the_queue_and_the_api_list_show_a_zoned_worker_the_same_households(client, world):
    client.force_login(world["worker"])
    queue = client.get(reverse("assessment_queue")).context["aid_requests"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world['worker']).key}")
    listed = {row["id"] for row in api.get("/api/v1/households/").json()["results"]}
    expected = {world["households"]["mine"].pk, world["households"]["unplaced"].pk}
    assert {request.household_id for request in queue} == expected
    assert listed == expected
