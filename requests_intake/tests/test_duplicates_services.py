"""Possible duplicates by document, phone, or name and address; merging one record into another.

Here the services, models and commands, called directly; the pages are tested in test_duplicates_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from requests_intake.duplicates import duplicates_for, duplicates_for_fields, household_merge
from requests_intake.models import AidRequest, Household, HouseholdMember
from requests_intake.selectors import households_search
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory
from requests_intake.tests.helpers.duplicates import _other

pytestmark = pytest.mark.django_db


def _found(hits) -> dict[int, tuple[str, ...]]:
    return {hit.household.pk: hit.reasons for hit in hits}


# Finding them


def test_the_same_document_is_a_possible_duplicate(carmen):
    other = _other(document_type="dni", document_number="12345678Z", merged_into=HouseholdFactory(phone="+34611000000"))
    # The unique constraint keeps two live records from sharing a document, so the lookup is checked on its input.
    hits = duplicates_for_fields(document_type="dni", document_number="12.345.678-z")

    assert _found(hits) == {carmen.pk: ("document",)}
    assert other.pk not in _found(hits)


def test_the_same_phone_is_a_possible_duplicate(carmen):
    other = _other(phone="+34968123456")

    assert _found(duplicates_for(carmen)) == {other.pk: ("phone",)}
    assert _found(duplicates_for_fields(phone="968 12 34 56")) == {carmen.pk: ("phone",), other.pk: ("phone",)}


def test_the_same_name_and_address_ignoring_accents_case_and_spaces_is_a_possible_duplicate(carmen):
    other = _other(given_name="CARMEN", family_name="Sanchez  Lopez", address="calle del almendro 3 2º")

    assert _found(duplicates_for(carmen)) == {other.pk: ("name_address",)}
    assert [hit.reason_labels for hit in duplicates_for(other)] == [["same name and address"]]


def test_every_rule_that_matches_is_given(carmen):
    other = _other(
        given_name="Carmen", family_name="Sánchez López", address="Calle del Almendro 3, 2º", phone=carmen.phone
    )

    assert _found(duplicates_for(carmen)) == {other.pk: ("phone", "name_address")}


@pytest.mark.parametrize(
    "fields",
    [
        {"given_name": "Carmen", "family_name": "Sánchez López", "address": "Calle del Almendro 5"},
        {"given_name": "Carlos", "family_name": "Sánchez López", "address": "Calle del Almendro 3, 2º"},
        {"given_name": "Carmen", "family_name": "Sánchez López", "address": ""},
    ],
)
def test_the_same_name_alone_or_the_same_address_alone_is_not_a_duplicate(carmen, fields):
    _other(**fields)

    assert duplicates_for(carmen) == []


def test_a_merged_record_is_never_offered_as_a_duplicate(carmen):
    _other(phone=carmen.phone, merged_into=carmen)

    assert duplicates_for(carmen) == []


def test_a_merged_record_has_no_duplicates(carmen):
    gone = _other(phone=carmen.phone, merged_into=carmen)

    assert duplicates_for(gone) == []


def test_nothing_to_compare_finds_nothing(carmen):
    assert duplicates_for_fields(document_type="none", given_name="Carmen") == []


def test_a_phone_that_cannot_be_normalised_is_compared_as_typed(carmen):
    _other(phone="12")

    assert list(_found(duplicates_for_fields(phone="12")).values()) == [("phone",)]


def test_merging_moves_requests_members_and_orders_and_fills_blanks(role_users, pair):
    keep, duplicate, order = pair
    aid_request = order.plan.request

    result = household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    aid_request.refresh_from_db()
    order.refresh_from_db()
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert (aid_request.household, order.household) == (keep, keep)
    assert list(keep.people.values_list("given_name", flat=True)) == ["Pablo"]
    assert duplicate.merged_into == keep
    assert (keep.email, keep.consent_on, keep.consent_scope) == ("carmen@example.org", dt.date(2025, 1, 15), "service")
    assert keep.reduced_mobility is True
    assert (keep.document_type, keep.document_number) == ("dni", "12345678Z")
    assert (result.requests_moved, result.members_moved, result.orders_moved) == (1, 1, 1)
    assert keep.members == 2


def test_merging_keeps_both_rows_and_both_histories(role_users, pair):
    keep, duplicate, order = pair
    aid_request = order.plan.request
    keep_history, duplicate_history = keep.history.count(), duplicate.history.count()

    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    assert Household.objects.filter(pk__in=[keep.pk, duplicate.pk]).count() == 2
    assert keep.history.count() == keep_history + 1
    assert duplicate.history.count() == duplicate_history + 1
    merged = duplicate.history.latest()
    assert (merged.merged_into_id, merged.history_user) == (keep.pk, role_users["social_worker"])
    assert merged.history_change_reason == f"Merged into household {keep.pk}"
    moved = aid_request.history.latest()
    assert (moved.household_id, moved.history_change_reason) == (keep.pk, f"Merged from household {duplicate.pk}")
    member = HouseholdMember.history.filter(given_name="Pablo").order_by("history_date")
    assert [row.household_id for row in member] == [duplicate.pk, keep.pk]


def test_the_merged_record_no_longer_appears_in_searches(role_users, pair):
    keep, duplicate, _order = pair

    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    assert list(households_search("carmen sanchez")) == [keep]


def test_a_member_listed_on_both_records_is_not_listed_twice(role_users, pair):
    keep, duplicate, _order = pair
    HouseholdMemberFactory(household=keep, given_name="Pablo", family_name="Sánchez", birth_date=dt.date(2012, 6, 1))
    duplicate.people.update(family_name="SANCHEZ")

    result = household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    assert keep.people.count() == 1
    assert duplicate.people.count() == 1
    assert (result.members_moved, result.members_already_listed) == (0, 1)


def test_the_kept_record_keeps_its_own_details(role_users, pair):
    keep, duplicate, _order = pair
    keep.email = "propio@example.org"
    keep.save()

    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    assert keep.email == "propio@example.org"
    assert keep.address == "Calle del Almendro 3, 2º"


def test_a_record_cannot_be_merged_into_itself(role_users, carmen):
    with pytest.raises(ValidationError) as refused:
        household_merge(actor=role_users["social_worker"], keep=carmen, duplicate=carmen)

    assert refused.value.code == "merge_into_itself"

    carmen.refresh_from_db()
    assert carmen.merged_into is None


def test_a_record_cannot_be_merged_twice(role_users, pair):
    keep, duplicate, order = pair
    third = _other()
    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    with pytest.raises(ValidationError) as refused:
        household_merge(actor=role_users["social_worker"], keep=third, duplicate=duplicate)

    assert refused.value.code == "already_merged"

    duplicate.refresh_from_db()
    order.refresh_from_db()
    assert (duplicate.merged_into, order.household) == (keep, keep)
    assert third.requests.count() == 0


def test_nothing_can_be_merged_into_a_merged_record(role_users, pair):
    keep, duplicate, _order = pair
    newcomer = _other(phone="+34611555444")
    aid_request_register(actor=role_users["intake_operator"], household=newcomer, channel="phone", needs=["food"])
    household_merge(actor=role_users["social_worker"], keep=keep, duplicate=duplicate)

    with pytest.raises(ValidationError) as refused:
        household_merge(actor=role_users["social_worker"], keep=duplicate, duplicate=newcomer)

    assert refused.value.code == "keep_was_merged"

    newcomer.refresh_from_db()
    assert newcomer.merged_into is None
    assert AidRequest.objects.filter(household=newcomer).count() == 1
