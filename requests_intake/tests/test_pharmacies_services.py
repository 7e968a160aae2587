"""Keeping the pharmacies: opening spans that make sense, a point from the address or typed, deactivation that
keeps the plans naming it, and the page's count of medication plans. Through the services (requests_intake.
pharmacies) and the page's reads; the pages are tested in test_pharmacies_pages.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from requests_intake.decisions import aid_request_approve
from requests_intake.models import Pharmacy, PharmacyHours
from requests_intake.pharmacies import Span, pharmacy_active_set, pharmacy_hours_check, pharmacy_save
from requests_intake.pharmacy_selectors import pharmacies_with_plans, week_hours
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, PharmacyFactory

pytestmark = pytest.mark.django_db

MONDAY, SATURDAY = 0, 5
SPLIT_MONDAY = [Span(MONDAY, dt.time(9), dt.time(14)), Span(MONDAY, dt.time(17), dt.time(20, 30))]
ALMENDRO = (Decimal("37.617393"), Decimal("-0.972710"))  # fixtures/gazetteer_cartagena.csv


def _save(role_users, pharmacy=None, **fields):
    values = {"name": "Farmacia del Carmen", "address": "Calle del Almendro 3, 30205 Cartagena", "hours": SPLIT_MONDAY}
    return pharmacy_save(actor=role_users["logistics_planner"], pharmacy=pharmacy, **{**values, **fields})


def _medication_plan(role_users, pharmacy, **approval):
    WarehouseFactory()
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["medication"]
    )
    return aid_request_approve(
        actor=role_users["social_worker"],
        request=request,
        packs=[(pack_with({ItemFactory(): 1}), 1)],
        priority=1,
        first_delivery_on=timezone.localdate() + dt.timedelta(days=1),
        pharmacy=pharmacy,
        prescription_ref="RX-2026-0001",
        **approval,
    )


# Opening spans


def test_split_hours_on_one_weekday_are_accepted():
    pharmacy_hours_check(SPLIT_MONDAY)


def test_spans_that_touch_are_accepted():
    pharmacy_hours_check([Span(MONDAY, dt.time(9), dt.time(14)), Span(MONDAY, dt.time(14), dt.time(20))])


def test_the_same_hours_on_two_weekdays_do_not_overlap():
    pharmacy_hours_check([Span(MONDAY, dt.time(9), dt.time(14)), Span(SATURDAY, dt.time(9), dt.time(14))])


def test_a_span_that_closes_before_it_opens_is_refused_by_the_model():
    with pytest.raises(ValidationError) as exc:
        PharmacyHours(weekday=MONDAY, opens=dt.time(14), closes=dt.time(9)).clean()

    assert exc.value.code == "hours_closes_before_opens"


def test_a_span_that_closes_when_it_opens_is_refused():
    with pytest.raises(ValidationError) as exc:
        pharmacy_hours_check([Span(MONDAY, dt.time(9), dt.time(9))])

    assert exc.value.code == "hours_closes_before_opens"


def test_overlapping_spans_on_one_weekday_are_refused():
    with pytest.raises(ValidationError) as exc:
        pharmacy_hours_check([Span(MONDAY, dt.time(17), dt.time(20)), Span(MONDAY, dt.time(9), dt.time(17, 30))])

    assert exc.value.code == "hours_overlap"


def test_a_span_inside_another_is_refused():
    with pytest.raises(ValidationError) as exc:
        pharmacy_hours_check([Span(MONDAY, dt.time(9), dt.time(21)), Span(MONDAY, dt.time(10), dt.time(11))])

    assert exc.value.code == "hours_overlap"


def test_a_weekday_outside_monday_to_sunday_is_refused():
    with pytest.raises(ValidationError) as exc:
        pharmacy_hours_check([Span(7, dt.time(9), dt.time(14))])

    assert exc.value.code == "hours_bad_weekday"


# Saving a pharmacy


def test_a_new_pharmacy_is_placed_from_its_address_and_keeps_its_spans(role_users):
    saved = _save(role_users, phone="968 12 34 56")

    pharmacy = Pharmacy.objects.get()
    assert saved.placed is True
    assert (pharmacy.name, pharmacy.phone, pharmacy.active) == ("Farmacia del Carmen", "+34968123456", True)
    assert (pharmacy.latitude, pharmacy.longitude) == ALMENDRO
    assert list(pharmacy.hours.values_list("weekday", "opens", "closes")) == [
        (MONDAY, dt.time(9), dt.time(14)),
        (MONDAY, dt.time(17), dt.time(20, 30)),
    ]


def test_an_address_without_a_town_is_looked_up_in_the_town_most_households_live_in(role_users):
    HouseholdFactory(municipality="Cartagena")

    saved = _save(role_users, address="C/ Almendro 3")

    assert saved.placed is True
    assert (saved.pharmacy.latitude, saved.pharmacy.longitude) == ALMENDRO


def test_a_typed_point_wins_over_the_address(role_users):
    saved = _save(role_users, latitude=Decimal("37.600100"), longitude=Decimal("-0.980200"))

    assert (saved.pharmacy.latitude, saved.pharmacy.longitude) == (Decimal("37.600100"), Decimal("-0.980200"))


def test_a_street_nobody_knows_saves_the_pharmacy_without_a_point(role_users):
    saved = _save(role_users, address="Calle Inventada 1, 30201 Cartagena")

    assert saved.placed is False
    assert (saved.pharmacy.latitude, saved.pharmacy.longitude) == (None, None)


def test_editing_replaces_the_whole_week_of_spans(role_users):
    pharmacy = PharmacyFactory(name="Farmacia del Carmen")

    _save(role_users, pharmacy=pharmacy, hours=[Span(SATURDAY, dt.time(10), dt.time(13))])

    assert list(pharmacy.hours.values_list("weekday", "opens", "closes")) == [(SATURDAY, dt.time(10), dt.time(13))]
    assert pharmacy.history.first().history_change_reason == "Opening hours: Saturday 10:00–13:00"


def test_overlapping_spans_save_nothing(role_users):
    pharmacy = PharmacyFactory(name="Farmacia del Carmen", address="Calle Mayor 1")
    before = list(pharmacy.hours.values_list("weekday", "opens", "closes"))
    overlapping = [Span(MONDAY, dt.time(9), dt.time(14)), Span(MONDAY, dt.time(13), dt.time(20))]

    with pytest.raises(ValidationError) as exc:
        _save(role_users, pharmacy=pharmacy, address="Calle del Almendro 3", hours=overlapping)

    assert exc.value.code == "hours_overlap"
    pharmacy.refresh_from_db()
    assert pharmacy.address == "Calle Mayor 1"
    assert list(pharmacy.hours.values_list("weekday", "opens", "closes")) == before


def test_a_name_another_pharmacy_has_is_refused_whatever_its_case(role_users):
    PharmacyFactory(name="Farmacia del Carmen")

    with pytest.raises(ValidationError) as exc:
        _save(role_users, name="farmacia  DEL carmen")

    assert exc.value.code == "pharmacy_name_taken"
    assert Pharmacy.objects.count() == 1


def test_a_blank_name_is_refused(role_users):
    with pytest.raises(ValidationError) as exc:
        _save(role_users, name="   ")

    assert exc.value.code == "pharmacy_name_missing"
    assert not Pharmacy.objects.exists()


def test_a_phone_that_cannot_be_called_is_refused(role_users):
    with pytest.raises(ValidationError) as exc:
        _save(role_users, phone="12")

    assert exc.value.code == "phone_invalid"
    assert not Pharmacy.objects.exists()


def test_half_a_point_is_refused(role_users):
    with pytest.raises(ValidationError) as exc:
        _save(role_users, latitude=Decimal("37.6"))

    assert exc.value.code == "point_incomplete"
    assert not Pharmacy.objects.exists()


def test_a_point_far_from_every_depot_is_refused(role_users):
    WarehouseFactory()

    with pytest.raises(ValidationError) as exc:
        _save(role_users, latitude=Decimal("-37.600000"), longitude=Decimal("-0.980000"))

    assert exc.value.code == "point_far_from_depots"
    assert not Pharmacy.objects.exists()


# Deactivating


def test_a_pharmacy_plans_name_is_deactivated_and_the_plans_keep_it(role_users):
    pharmacy = PharmacyFactory()
    plan = _medication_plan(role_users, pharmacy)

    pharmacy_active_set(actor=role_users["manager"], pharmacy=pharmacy, active=False)

    pharmacy.refresh_from_db()
    plan.refresh_from_db()
    assert (pharmacy.active, plan.pharmacy_id) == (False, pharmacy.pk)
    assert pharmacy.history.first().history_user == role_users["manager"]


def test_deactivating_an_inactive_pharmacy_is_refused(role_users):
    pharmacy = PharmacyFactory(active=False)

    with pytest.raises(ValidationError) as exc:
        pharmacy_active_set(actor=role_users["manager"], pharmacy=pharmacy, active=False)

    assert exc.value.code == "pharmacy_already_inactive"


def test_a_deactivated_pharmacy_comes_back(role_users):
    pharmacy = PharmacyFactory(active=False)

    pharmacy_active_set(actor=role_users["manager"], pharmacy=pharmacy, active=True)

    pharmacy.refresh_from_db()
    assert pharmacy.active is True


# The page's reads


def test_the_list_counts_only_the_medication_plans_still_delivering(role_users):
    carmen, lonja = PharmacyFactory(name="Farmacia del Carmen"), PharmacyFactory(name="Farmacia de la Lonja")
    _medication_plan(role_users, carmen, repeat_every_days=7)
    _medication_plan(role_users, carmen)
    paused = _medication_plan(role_users, carmen)
    paused.paused_at = timezone.now()
    paused.save(update_fields=["paused_at"])
    ended = _medication_plan(role_users, lonja, repeat_every_days=7)
    ended.repeat_until = ended.first_delivery_on
    ended.save(update_fields=["repeat_until"])

    later = timezone.localdate() + dt.timedelta(days=3)
    counted = {p.name: p.active_plans for p in pharmacies_with_plans(today=later)}

    assert counted == {"Farmacia del Carmen": 1, "Farmacia de la Lonja": 0}


def test_the_week_shows_each_day_with_its_spans_and_the_closed_days_empty():
    pharmacy = PharmacyFactory()
    pharmacy = pharmacies_with_plans(today=timezone.localdate()).get(pk=pharmacy.pk)

    week = week_hours(pharmacy)

    assert [(day.weekday, day.spans) for day in week] == [
        *((day, ["09:00–14:00", "17:00–20:30"]) for day in range(5)),
        (SATURDAY, ["10:00–13:30"]),
        (6, []),
    ]
