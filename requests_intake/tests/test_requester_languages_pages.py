"""Messages in the requester's language beyond the interface's: Arabic, Romanian, Ukrainian, French and Chinese
have their own texts for every message; an event without one goes out in Spanish and the household's record says so.

Here through the HTTP client (pages, API, admin); the services are tested in test_requester_languages_services.py."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from requests_intake.models import AidRequest


@pytest.mark.django_db
def test_the_web_form_offers_the_requester_languages_and_keeps_the_one_chosen(client):
    cache.clear()  # the form's rate limit lives in the cache, which outlives other tests' transactions
    answers = {
        "given_name": "Amina",
        "family_name": "Benali",
        "phone": "600 11 12 22",
        "email": "",
        "address": "Calle Mayor 3",
        "postcode": "30201",
        "municipality": "Cartagena",
        "needs": ["food"],
        "description": "",
        "language": "ar",
        "preferred_channel": "sms",
        "consent": "on",
        "website": "",
    }

    response = client.post(reverse("webform_request"), answers)

    request = AidRequest.objects.get()
    assert response.status_code == 302
    assert (request.language, request.household.language) == ("ar", "ar")
