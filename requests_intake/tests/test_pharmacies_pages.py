"""The pharmacies page, through the HTTP client: planners and managers list, add, edit and deactivate pharmacies
with their opening spans; others are refused; bad hours come back with their messages and save nothing. The rules
themselves are tested in test_pharmacies_services.py; who reaches which URL in tests/test_role_matrix.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from requests_intake.models import Pharmacy
from requests_intake.tests.factories import PharmacyFactory

pytestmark = pytest.mark.django_db


def _post_data(*spans, **fields) -> dict:
    data = {
        "name": "Farmacia del Carmen",
        "address": "Calle del Almendro 3, 30205 Cartagena",
        "phone": "968123456",
        "latitude": "",
        "longitude": "",
        "hours-TOTAL_FORMS": str(len(spans)),
        # As the page writes it: every row it showed is an initial row, checked even when left as it was.
        "hours-INITIAL_FORMS": str(len(spans)),
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, opens, closes) in enumerate(spans):
        data |= {f"hours-{index}-weekday": weekday, f"hours-{index}-opens": opens, f"hours-{index}-closes": closes}
    return data | fields


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def planner(client, role_users):
    client.force_login(role_users["logistics_planner"])
    return client


def test_the_list_shows_address_phone_and_hours_per_weekday(planner):
    PharmacyFactory(name="Farmacia de la Lonja", address="Plaza de la Lonja 2", phone="+34968501020")

    response = planner.get(reverse("pharmacies"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Farmacia de la Lonja" in html
    assert "Plaza de la Lonja 2" in html
    assert 'href="tel:+34968501020"' in html
    assert "09:00–14:00, 17:00–20:30" in html
    assert "10:00–13:30" in html


def test_the_nav_links_the_page_for_planners_and_managers_only(client, role_users):
    seen = {}
    for role in ("logistics_planner", "manager", "social_worker", "driver"):
        client.force_login(role_users[role])
        seen[role] = f'href="{reverse("pharmacies")}"' in client.get(reverse("home")).content.decode()

    assert seen == {"logistics_planner": True, "manager": True, "social_worker": False, "driver": False}


def test_a_new_pharmacy_starts_with_the_usual_split_hours(planner):
    response = planner.get(reverse("pharmacy_new"))

    initial = [form.initial for form in response.context["hours"].forms if form.initial]
    assert len(initial) == 11
    assert initial[0] == {"weekday": 0, "opens": dt.time(9), "closes": dt.time(14)}


def test_the_new_page_posted_back_as_shown_saves_the_usual_week(planner):
    hours = planner.get(reverse("pharmacy_new")).context["hours"]
    data = {f"hours-{name}": value for name, value in hours.management_form.initial.items()}
    for form in hours.forms:
        for name in ("weekday", "opens", "closes"):
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)

    response = planner.post(reverse("pharmacy_new"), data | {"name": "Farmacia del Carmen", "address": ""})

    assert response.status_code == 302
    assert Pharmacy.objects.get().hours.count() == 11


def test_a_planner_adds_a_pharmacy_with_split_hours(planner):
    response = planner.post(
        reverse("pharmacy_new"), _post_data(("0", "09:00", "14:00"), ("0", "17:00", "20:30"), ("5", "10:00", ""))
    )

    # The Saturday row lacks its closing time: the whole form comes back, nothing saved.
    assert response.status_code == 200
    assert not Pharmacy.objects.exists()
    assert [e.code for e in response.context["hours"].forms[2].non_field_errors().as_data()] == ["hours_incomplete"]

    response = planner.post(
        reverse("pharmacy_new"), _post_data(("0", "09:00", "14:00"), ("0", "17:00", "20:30"), ("5", "10:00", "13:30"))
    )

    assert response.status_code == 302
    pharmacy = Pharmacy.objects.get()
    assert (pharmacy.name, pharmacy.phone, pharmacy.latitude) == (
        "Farmacia del Carmen",
        "+34968123456",
        Decimal("37.617393"),
    )
    assert pharmacy.hours.count() == 3


def test_a_span_that_closes_before_it_opens_comes_back_with_its_message(planner):
    response = planner.post(reverse("pharmacy_new"), _post_data(("1", "14:00", "09:00")))

    assert response.status_code == 200
    assert not Pharmacy.objects.exists()
    errors = response.context["hours"].forms[0].non_field_errors().as_data()
    assert [e.code for e in errors] == ["hours_closes_before_opens"]
    assert "Tuesday: 14:00–09:00 closes before it opens" in response.content.decode()


def test_overlapping_spans_come_back_with_their_message(planner):
    response = planner.post(reverse("pharmacy_new"), _post_data(("1", "09:00", "14:00"), ("1", "13:00", "20:00")))

    assert response.status_code == 200
    assert not Pharmacy.objects.exists()
    assert [e.code for e in response.context["hours"].non_form_errors().as_data()] == ["hours_overlap"]


def test_editing_changes_the_hours_and_a_removed_row_goes(planner):
    pharmacy = PharmacyFactory(name="Farmacia del Carmen", address="Calle del Almendro 3, 30205 Cartagena")
    data = _post_data(("0", "09:00", "14:00"), ("6", "10:00", "13:00"), latitude="37.603000", longitude="-0.983000")
    data["hours-1-DELETE"] = "on"

    response = planner.post(reverse("pharmacy_edit", args=[pharmacy.pk]), data)

    assert response.status_code == 302
    assert list(pharmacy.hours.values_list("weekday", "opens", "closes")) == [(0, dt.time(9), dt.time(14))]


def test_a_new_address_with_the_old_point_gets_the_new_streets_point(planner):
    pharmacy = PharmacyFactory(address="Calle Mayor 1", latitude=Decimal("37.603000"), longitude=Decimal("-0.983000"))
    data = _post_data(("0", "09:00", "14:00"), name=pharmacy.name, latitude="37.603000", longitude="-0.983000")

    planner.post(reverse("pharmacy_edit", args=[pharmacy.pk]), data)

    pharmacy.refresh_from_db()
    assert (pharmacy.address, pharmacy.latitude, pharmacy.longitude) == (
        "Calle del Almendro 3, 30205 Cartagena",
        Decimal("37.617393"),
        Decimal("-0.972710"),
    )


def test_an_unknown_street_is_saved_with_a_warning_and_the_closest_streets(planner):
    response = planner.post(
        reverse("pharmacy_new"),
        _post_data(("0", "09:00", "14:00"), address="Calle del Almendra 3, Cartagena"),
        follow=True,
    )

    pharmacy = Pharmacy.objects.get()
    assert pharmacy.latitude is None
    [message] = _messages(response)
    assert "without a point on the map" in message
    assert "Calle del Almendro" in message


def test_a_name_already_taken_comes_back_and_saves_nothing(planner):
    PharmacyFactory(name="Farmacia del Carmen")

    response = planner.post(reverse("pharmacy_new"), _post_data(("0", "09:00", "14:00")))

    assert response.status_code == 200
    assert Pharmacy.objects.count() == 1
    assert "already a pharmacy called" in _messages(response)[0]


def test_a_manager_deactivates_a_pharmacy_and_the_approval_form_stops_offering_it(client, role_users):
    pharmacy = PharmacyFactory()
    client.force_login(role_users["manager"])

    response = client.post(reverse("pharmacy_active", args=[pharmacy.pk]), {"active": "0"})

    assert response.status_code == 302
    pharmacy.refresh_from_db()
    assert pharmacy.active is False
    from requests_intake.forms import ApprovalForm

    assert pharmacy not in ApprovalForm.base_fields["pharmacy"].queryset.all()


def test_deactivating_twice_says_so_and_changes_nothing(planner):
    pharmacy = PharmacyFactory(active=False)

    response = planner.post(reverse("pharmacy_active", args=[pharmacy.pk]), {"active": "0"}, follow=True)

    assert _messages(response) == [f"{pharmacy.name} is already inactive."]
    pharmacy.refresh_from_db()
    assert pharmacy.active is False


@pytest.mark.parametrize("role", ["social_worker", "intake_operator", "driver", "supplier_coordinator"])
def test_other_roles_may_not_add_or_deactivate(client, role_users, role):
    pharmacy = PharmacyFactory()
    client.force_login(role_users[role])

    added = client.post(reverse("pharmacy_new"), _post_data(("0", "09:00", "14:00"), name="Farmacia Nueva"))
    deactivated = client.post(reverse("pharmacy_active", args=[pharmacy.pk]), {"active": "0"})

    assert (added.status_code, deactivated.status_code) == (403, 403)
    pharmacy.refresh_from_db()
    assert (Pharmacy.objects.count(), pharmacy.active) == (1, True)


def test_the_admin_refuses_overlapping_hours_in_its_inline(admin_client):
    data = {
        "name": "Farmacia del Carmen",
        "address": "",
        "phone": "",
        "latitude": "",
        "longitude": "",
        "active": "on",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "14:00",
        "hours-1-weekday": "0",
        "hours-1-opens": "13:00",
        "hours-1-closes": "20:00",
    }

    response = admin_client.post(reverse("admin:requests_intake_pharmacy_add"), data)

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert [e.code for e in inline.formset.non_form_errors().as_data()] == ["hours_overlap"]
    assert not Pharmacy.objects.exists()
