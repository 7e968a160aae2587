"""The driver's phone page: what the hand-over needs, nothing about the household's situation, and it opens offline."""

import gzip
import json

import pytest
from django.templatetags.static import static
from django.urls import reverse

from delivery.services import stop_mark_delivered
from requests_intake.tests.factories import PharmacyFactory
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


@pytest.fixture
def stop(role_users):
    stop = planned_stop(role_users)
    household = stop.order.household
    household.access_notes = "Portero automático roto: llamar al móvil"
    household.vulnerabilities = ["gender_violence", "no_income"]
    household.save()
    plan = stop.order.plan
    plan.pharmacy = PharmacyFactory(name="Farmacia Alameda")
    plan.prescription_ref = "RX-4471"
    plan.notes = "Seguimiento por situación familiar delicada"
    plan.save()
    return stop


def test_the_page_shows_what_the_hand_over_needs(client, role_users, stop):
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    household = stop.order.household
    for fact in (household.full_name, household.address, "Portero automático roto", "Farmacia Alameda", "RX-4471"):
        assert fact in page
    assert f'href="tel:{household.phone}"' in page
    assert 'href="geo:37.605000,-0.985000?q=37.605000,-0.985000"' in page
    assert f"1 × {stop.order.lines.get().pack.name}" in page
    assert "Window " in page


def test_the_page_says_nothing_about_the_households_situation(client, role_users, stop):
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    for secret in ("Gender violence", "No income", "gender_violence", "situación familiar"):
        assert secret not in page


def test_map_coordinates_keep_a_decimal_point_in_spanish(client, role_users, stop):
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round"), headers={"accept-language": "es"}).content.decode()

    assert 'href="geo:37.605000,-0.985000' in page


def test_a_household_without_a_point_opens_the_map_at_its_address(client, role_users, stop):
    household = stop.order.household
    household.latitude = household.longitude = None
    household.save()
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    assert 'href="geo:0,0?q=Calle%20del%20Almendro' in page


def test_the_page_gives_the_phone_its_settings_and_words(client, role_users, stop, settings):
    settings.PROOF_MAX_BYTES = 300 * 1024
    client.force_login(role_users["driver"])

    response = client.get(reverse("driver_round"))

    config = response.context["driver_config"]
    assert (config["sync_url"], config["sw_url"], config["sw_scope"]) == ("/driver/sync/", "/driver/sw.js", "/driver/")
    assert (config["user"], config["round"], config["photo_max_bytes"]) == (
        role_users["driver"].pk,
        stop.round_id,
        300 * 1024,
    )
    assert config["reasons"]["not_home"] == "Nobody at home"
    assert config["texts"]["waiting_many"] == "{count} actions waiting for signal"
    assert 'id="driver-config"' in response.content.decode()


def test_a_queued_photo_always_fits_in_one_request(client, role_users, stop, settings):
    settings.PROOF_MAX_BYTES = 50 * 1024 * 1024
    client.force_login(role_users["driver"])

    config = client.get(reverse("driver_round")).context["driver_config"]

    # base64 grows a file by a third; the JSON around it needs the rest of the batch.
    assert config["photo_max_bytes"] * 4 / 3 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert config["batch_chars"] < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_recorded_stop_shows_its_outcome_instead_of_the_forms(client, role_users, stop):
    stop_mark_delivered(actor=role_users["driver"], stop=stop, received_by="Carmen")
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    assert "received by Carmen" in page
    assert reverse("stop_delivered", args=[stop.pk]) not in page
    assert reverse("stop_concern", args=[stop.pk]) in page  # a worry can come after the hand-over


def test_the_failure_reasons_are_buttons_that_work_without_javascript(client, role_users, stop):
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()
    client.post(reverse("stop_failed", args=[stop.pk]), {"reason": "wrong_address"})

    for value in ("not_home", "refused", "wrong_address", "no_access"):
        assert f'name="reason" value="{value}"' in page
    stop.refresh_from_db()
    assert stop.failure_reason == "wrong_address"


def test_the_page_goes_compressed_to_a_phone_that_accepts_it(client, role_users, stop):
    client.force_login(role_users["driver"])
    plain = client.get(reverse("driver_round")).content

    response = client.get(reverse("driver_round"), headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < len(plain) // 2
    # The same page apart from its per-answer CSRF tokens.
    page = gzip.decompress(response.content).decode()
    assert page.count("csrfmiddlewaretoken") == plain.decode().count("csrfmiddlewaretoken") > 0
    assert stop.order.household.full_name in page


def test_the_service_worker_is_served_under_driver_as_javascript(client, role_users):
    client.force_login(role_users["driver"])

    response = client.get(reverse("driver_sw"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    assert reverse("driver_sw").startswith(reverse("driver_round"))
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["page"] == "/driver/"
    assert config["static_prefix"] == static("")
    assert static("js/driver/main.js") in config["precache"]
    assert config["cache"].startswith("reparto-driver-")


def test_only_drivers_get_the_service_worker(client, role_users):
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("driver_sw")).status_code == 403
