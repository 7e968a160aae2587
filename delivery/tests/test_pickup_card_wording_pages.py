"""The pickup card says who handed the medication over with a msgid of its own (context "medication"), so a
language that agrees the word with the medication (Spanish: "entregada por") can, as the home card does."""

import pytest
from django.urls import reverse
from django.utils.translation import trans_real

from delivery.models import Stop
from delivery.pharmacy_pickups import stop_mark_picked_up
from delivery.services import round_start
from delivery.tests.pharmacy_world import medication_round

pytestmark = pytest.mark.django_db

HANDED_OVER = "medication\x04handed over by %(name)s"  # gettext's key for a msgid with its context


@pytest.fixture
def picked_up(role_users, client):
    pickup, _home = medication_round(role_users)
    round_start(actor=role_users["driver"], round_=pickup.round)
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")
    client.force_login(role_users["driver"])
    return pickup


@pytest.fixture
def spanish_with_context():
    """The Spanish catalogue with the context's translation in it, as the integrator will add it; taken out after."""
    catalog = trans_real.translation("es")._catalog
    catalog[HANDED_OVER] = "entregada por %(name)s"
    yield
    for part in catalog._catalogs:
        part.pop(HANDED_OVER, None)


def _pickup_card(client, stop: Stop, language: str = "en") -> str:
    page = client.get(reverse("driver_round"), headers={"accept-language": language}).content.decode()
    start = page.index(f'id="stop-{stop.pk}"')
    return page[start : page.index("</li>", start)]


def test_the_pickup_card_says_handed_over_by_in_english(client, picked_up):
    assert "Picked up · handed over by Marta Ros" in _pickup_card(client, picked_up)


def test_the_pickup_card_uses_the_medication_context(client, picked_up, spanish_with_context):
    card = _pickup_card(client, picked_up, language="es")

    assert "entregada por Marta Ros" in card
    assert "entregado por" not in card
