"""The accessibility statement RD 1112/2018 asks for: public and linked from every page, which skips to its content."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_accessibility_statement_opens_without_signing_in_and_gives_the_contact_address(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accesibilidad@ayuntamiento.example"

    response = client.get("/accesibilidad/")

    assert response.status_code == 200
    assert response.templates[0].name == "accessibility.html"
    assert b'<html lang="en">' in response.content  # the language the page is in (tests run in English)
    assert b'href="mailto:accesibilidad@ayuntamiento.example"' in response.content


@pytest.mark.parametrize("page", ["login", "webform_request"])
def test_the_public_pages_link_to_the_accessibility_statement_in_their_footer(client, page):
    response = client.get(reverse(page))

    footer = response.content.decode().split('<footer class="site-footer">', 1)[1]
    assert 'href="/accesibilidad/"' in footer


def test_every_page_starts_with_a_link_that_skips_to_the_content(client):
    response = client.get(reverse("login"))

    body = response.content.decode().split("<body", 1)[1]
    assert body.split("<a ", 1)[1].startswith('class="skip-link" href="#main"')
    assert '<main id="main" tabindex="-1">' in body
