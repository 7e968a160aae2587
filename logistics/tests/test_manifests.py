"""Route sheets and loading lists: what is printed, in which order, in the reader's language."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from logistics.manifests import loading_list_pdf, route_sheet_pdf
from routing.selectors import round_for_manifest
from tests.factories import HouseholdFactory
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_spanish_route_sheet_keeps_accents_and_shows_the_stop(role_users):
    household = HouseholdFactory(given_name="Begoña", family_name="Núñez Ibáñez", access_notes="Tercero sin ascensor")
    stop = planned_stop(role_users, household=household)

    text = pdf_text(route_sheet_pdf(round_for_manifest(stop.round.pk), language="es"))

    assert "Hoja de ruta" in text
    assert "Begoña Núñez Ibáñez" in text
    assert "Tercero sin ascensor" in text
    assert f"1 {timezone.localtime(stop.arrival_at):%H:%M} Begoña" in text


def test_loading_list_totals_the_packs_and_their_weight(role_users):
    stop = planned_stop(role_users, per_pack=3)  # three items of 1 kg and 1 l each

    text = pdf_text(loading_list_pdf(round_for_manifest(stop.round.pk), language="en"))

    assert "Loading list" in text
    assert "Load: 3.0 kg, 3 l" in text
