"""Geocoding: the local street table, the answers kept from an online geocoder, and households placed at intake."""

import csv
import logging
from decimal import Decimal

import pytest
from geopy.exc import GeocoderTimedOut
from geopy.geocoders import Nominatim
from geopy.location import Location as GeopyLocation

from core.tests.factories import UserFactory
from requests_intake.models import DocumentType
from requests_intake.services import household_create
from routing.geocoding import address_locate, street_of
from routing.models import GeocodedAddress
from routing.solver.model import Location

ALMENDRO = Location(37.617393, -0.97271)  # "Calle del Almendro" in fixtures/gazetteer_cartagena.csv
UNKNOWN = {"address": "Camino del Molino Viejo 3", "postcode": "30201", "municipality": "Cartagena"}
UNKNOWN_QUERY = "camino del molino viejo 3, 30201 cartagena"


class FakeAnswers:
    def __init__(self) -> None:
        self.answer: GeopyLocation | Exception | None = None
        self.calls: list[str] = []
        self.servers: list[str] = []


@pytest.fixture
def nominatim(settings, monkeypatch) -> FakeAnswers:
    """Nominatim configured, its geocode() giving `answer` (a place, None, or an error raised) without a network."""
    settings.GEOCODER = "nominatim"
    fake = FakeAnswers()

    def geocode(geocoder, query, *, exactly_one=True):
        fake.calls.append(query)
        fake.servers.append(f"{geocoder.scheme}://{geocoder.domain}")
        if isinstance(fake.answer, Exception):
            raise fake.answer
        return fake.answer

    monkeypatch.setattr(Nominatim, "geocode", geocode)
    return fake


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("C/ Duque 21, 2º", "calle duque"),
        ("c/Duque, 21", "calle duque"),
        ("Avda. del Faro 3", "avenida del faro"),
        ("Pza. de la Lonja s/n", "plaza de la lonja"),
        ("Calle Mayor nº 5 3º B", "calle mayor"),
        ("Calle 8 de Marzo 12, bajo", "calle 8 de marzo"),
        ("CALLE DE LA ALFARERÍA 4", "calle de la alfareria"),
    ],
)
def test_street_of_keeps_the_street_without_number_floor_accents_or_abbreviations(address, street):
    assert street_of(address) == street


def test_a_street_in_the_gazetteer_is_found_whatever_the_case_accents_and_abbreviations():
    assert address_locate(address="c/ del almendro 5, 2º", postcode="30201", municipality="cartagena") == ALMENDRO
    assert address_locate(address="C/ Almendro 5", postcode="", municipality="CARTAGENA") == ALMENDRO
    assert address_locate(address="Calle de la Alfareria 9", postcode="30205", municipality="Cartagena") == Location(
        37.620506, -0.97479
    )


@pytest.mark.django_db
def test_an_unknown_street_is_not_placed():
    assert address_locate(**UNKNOWN) is None


@pytest.mark.django_db
def test_a_known_street_in_another_municipality_is_not_placed():
    assert address_locate(address="Calle del Almendro 5", postcode="30800", municipality="Lorca") is None


@pytest.mark.django_db
def test_a_postcode_centroid_is_never_used_as_a_household_location(settings):
    with settings.GEOCODER_GAZETTEER.open(encoding="utf-8") as handle:
        centroids = [row for row in csv.DictReader(handle) if not row["street"]]
    assert "30201" in [row["postcode"] for row in centroids]  # the table does know where 30201 is

    assert address_locate(**UNKNOWN) is None


@pytest.mark.django_db
def test_without_a_geocoder_configured_no_online_service_is_asked(settings, nominatim):
    settings.GEOCODER = ""

    assert address_locate(**UNKNOWN) is None
    assert nominatim.calls == []
    assert GeocodedAddress.objects.count() == 0


@pytest.mark.django_db
def test_a_geocoder_answer_is_kept_and_the_second_request_asks_nobody(nominatim):
    nominatim.answer = GeopyLocation("Camino del Molino Viejo, 3, Cartagena", (37.6101234567, -0.9912345678), {})

    first = address_locate(**UNKNOWN)
    second = address_locate(address="Cno. del Molino Viejo 3, bajo", postcode="30201", municipality="Cartagena")

    assert first == second == Location(37.610123, -0.991235)
    assert nominatim.calls == [UNKNOWN_QUERY]
    kept = GeocodedAddress.objects.get()
    assert (kept.query, kept.latitude, kept.longitude, kept.provider) == (
        UNKNOWN_QUERY,
        Decimal("37.610123"),
        Decimal("-0.991235"),
        "nominatim",
    )


@pytest.mark.django_db
def test_the_geocoder_is_asked_on_the_public_server_unless_a_domain_is_set(settings, nominatim):
    address_locate(**UNKNOWN)
    settings.GEOCODER_DOMAIN = "http://nominatim.internal:8080/"
    address_locate(address="Camino del Molino Viejo 5", postcode="30201", municipality="Cartagena")

    assert nominatim.servers == ["https://nominatim.openstreetmap.org", "http://nominatim.internal:8080"]


@pytest.mark.django_db
def test_a_geocoder_miss_is_kept_too(nominatim):
    nominatim.answer = None

    assert address_locate(**UNKNOWN) is None
    assert address_locate(**UNKNOWN) is None

    assert nominatim.calls == [UNKNOWN_QUERY]
    assert list(GeocodedAddress.objects.values_list("query", "latitude", "longitude")) == [(UNKNOWN_QUERY, None, None)]


@pytest.mark.django_db
def test_a_geocoder_failure_is_logged_and_not_kept(nominatim, caplog):
    nominatim.answer = GeocoderTimedOut("Service timed out")

    with caplog.at_level(logging.WARNING, logger="routing.geocoding"):
        assert address_locate(**UNKNOWN) is None

    assert GeocodedAddress.objects.count() == 0
    assert [record.getMessage() for record in caplog.records] == [
        "geocoder nominatim failed (Service timed out); the address is left without coordinates"
    ]


@pytest.mark.django_db
def test_a_kept_answer_is_used_even_with_the_geocoder_switched_off(settings):
    settings.GEOCODER = ""
    GeocodedAddress.objects.create(
        query=UNKNOWN_QUERY, latitude=Decimal("37.610000"), longitude=Decimal("-0.990000"), provider="nominatim"
    )

    assert address_locate(**UNKNOWN) == Location(37.61, -0.99)


def _household(**fields):
    values = {
        "given_name": "Carmen",
        "family_name": "Saura Conesa",
        "document_type": DocumentType.NONE,
        "document_number": "",
        "phone": "",
        "postcode": "30205",
        "municipality": "Cartagena",
        "members": 1,
    }
    return household_create(actor=UserFactory(), **(values | fields))


@pytest.mark.django_db
def test_a_household_registered_without_coordinates_is_placed_from_the_gazetteer():
    household = _household(address="C/ del Almendro 5, 2º", latitude=None, longitude=None)

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (Decimal("37.617393"), Decimal("-0.972710"))


@pytest.mark.django_db
def test_a_household_on_an_unknown_street_stays_without_coordinates():
    household = _household(address="Camino del Molino Viejo 3", latitude=None, longitude=None)

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (None, None)
    assert not household.has_location


@pytest.mark.django_db
def test_coordinates_given_at_registration_are_kept():
    household = _household(
        address="C/ del Almendro 5, 2º", latitude=Decimal("37.600001"), longitude=Decimal("-0.990001")
    )

    household.refresh_from_db()
    assert (household.latitude, household.longitude) == (Decimal("37.600001"), Decimal("-0.990001"))


@pytest.mark.django_db
def test_the_gazetteer_places_every_demo_street_inside_the_town_but_not_the_unknown_one():
    from fixtures.demo_city import QUARTER_POSTCODES, STREETS, TOWN_BOX, UNKNOWN_STREET_ADDRESS

    south, north, west, east = TOWN_BOX
    for street in STREETS:
        for postcode in QUARTER_POSTCODES.values():
            point = address_locate(address=f"{street} 7, 1º A", postcode=postcode, municipality="Cartagena")
            assert point is not None, street
            assert south < point.latitude < north, street
            assert west < point.longitude < east, street
    assert address_locate(address=UNKNOWN_STREET_ADDRESS, postcode="30201", municipality="Cartagena") is None
