"""The driver's page asks once per round whether to share the van's position, and its endpoint takes fixes only from
the round's own driver, in JSON, answering a refusal with a code the phone acts on."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import VanPosition
from delivery.positions import round_position_share
from delivery.services import round_start
from delivery.tests.driver_world import another_driver, round_with_two_stops

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(role_users):
    first, _second = round_with_two_stops(role_users)
    return first.round


def _post(client, round_, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(reverse("round_position", args=[round_.pk]), data=data, content_type="application/json")


def _fix(**values):
    return {
        "latitude": 37.6051,
        "longitude": -0.9861,
        "accuracy": 8,
        "recorded_at": timezone.now().isoformat(),
    } | values


def _config(client) -> dict:
    page = client.get(reverse("driver_round")).content.decode()
    raw = page.split('<script id="driver-config" type="application/json">', 1)[1].split("</script>", 1)[0]
    return json.loads(raw)["position"]


def test_the_page_offers_sharing_off_by_default(client, role_users, round_):
    client.force_login(role_users["driver"])

    page = client.get(reverse("driver_round")).content.decode()

    assert "Share my position during this round" in page
    assert 'name="share" value="1"' in page
    assert _config(client) == {
        "url": reverse("round_position", args=[round_.pk]),
        "shared": False,
        "under_way": False,
        "every_s": 60,
        "every_m": 200,
        "texts": _config(client)["texts"],
    }


def test_the_toggle_remembers_consent_on_the_round_and_takes_it_back(client, role_users, round_):
    client.force_login(role_users["driver"])
    url = reverse("round_position_share", args=[round_.pk])

    response = client.post(url, {"share": "1"})

    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.position_shared_at is not None
    round_start(actor=role_users["driver"], round_=round_)
    assert _config(client)["shared"] is True
    assert _config(client)["under_way"] is True
    assert "Stop sharing my position" in client.get(reverse("driver_round")).content.decode()

    client.post(url, {"share": "0"})

    round_.refresh_from_db()
    assert round_.position_shared_at is None


def test_a_toggle_that_is_not_yes_or_no_changes_nothing(client, role_users, round_):
    client.force_login(role_users["driver"])

    client.post(reverse("round_position_share", args=[round_.pk]), {"share": "yes"})

    round_.refresh_from_db()
    assert round_.position_shared_at is None


def test_another_driver_may_not_touch_the_toggle_or_send_a_fix(client, role_users, round_):
    round_position_share(actor=role_users["driver"], round_=round_, share=True)
    round_start(actor=role_users["driver"], round_=round_)
    client.force_login(another_driver(role_users))

    assert client.post(reverse("round_position_share", args=[round_.pk]), {"share": "0"}).status_code == 403
    assert _post(client, round_, _fix()).status_code == 403
    round_.refresh_from_db()
    assert round_.position_shared_at is not None
    assert not VanPosition.objects.exists()


def test_a_fix_during_the_round_is_stored(client, role_users, round_):
    round_position_share(actor=role_users["driver"], round_=round_, share=True)
    round_start(actor=role_users["driver"], round_=round_)
    client.force_login(role_users["driver"])

    response = _post(client, round_, _fix())

    assert response.status_code == 201
    assert response.json()["stored"] is True
    assert VanPosition.objects.filter(round=round_).count() == 1


def test_a_fix_without_consent_tells_the_phone_to_stop(client, role_users, round_):
    round_start(actor=role_users["driver"], round_=round_)
    client.force_login(role_users["driver"])

    response = _post(client, round_, _fix())

    assert response.status_code == 409
    assert response.json()["code"] == "position_not_shared"
    assert not VanPosition.objects.exists()


def test_a_fix_before_the_round_starts_tells_the_phone_to_stop(client, role_users, round_):
    round_position_share(actor=role_users["driver"], round_=round_, share=True)
    client.force_login(role_users["driver"])

    response = _post(client, round_, _fix())

    assert response.status_code == 409
    assert response.json()["code"] == "round_not_under_way"


def test_a_fix_too_soon_is_answered_429(client, role_users, round_):
    round_position_share(actor=role_users["driver"], round_=round_, share=True)
    round_start(actor=role_users["driver"], round_=round_)
    client.force_login(role_users["driver"])
    assert _post(client, round_, _fix()).status_code == 201

    response = _post(client, round_, _fix())

    assert response.status_code == 429
    assert response.json()["code"] == "position_too_soon"
    assert VanPosition.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", "unreadable"),
        ("[37.6, -0.98]", "unreadable"),
        (_fix(latitude=123), "latitude_invalid"),
        (_fix(longitude="west"), "longitude_invalid"),
        ({"latitude": 37.6}, "longitude_invalid"),
        (_fix(accuracy=-3), "accuracy_invalid"),
        (_fix(recorded_at="soon"), "recorded_at_invalid"),
    ],
)
def test_bad_input_is_answered_400_with_a_message(client, role_users, round_, body, code):
    round_position_share(actor=role_users["driver"], round_=round_, share=True)
    round_start(actor=role_users["driver"], round_=round_)
    client.force_login(role_users["driver"])

    response = _post(client, round_, body)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["error"]
    assert not VanPosition.objects.exists()
