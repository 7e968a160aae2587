"""Two requests of one household asking the same thing are found for the assessment queue by one rule:
same household, same needs in any order, both open (`asks_the_same`, `queue_repeats`)."""

import pytest

from requests_intake.models import AidRequest
from requests_intake.selectors import asks_the_same, queue_repeats
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory()


def _ask(role_users, household, needs: list[str]) -> AidRequest:
    return aid_request_register(actor=role_users["intake_operator"], household=household, channel="phone", needs=needs)


def test_two_open_requests_of_one_household_with_the_same_needs_point_at_each_other(role_users, zone):
    household = HouseholdFactory(zone=zone)
    first = _ask(role_users, household, ["food", "hygiene"])
    second = _ask(role_users, household, ["hygiene", "food"])

    repeats = queue_repeats([first, second], None)

    assert repeats == {first.pk: [second], second.pk: [first]}


def test_a_third_repeat_lists_both_others_oldest_first(role_users, zone):
    household = HouseholdFactory(zone=zone)
    first, second, third = (_ask(role_users, household, ["food"]) for _ in range(3))

    assert queue_repeats([third], None) == {third.pk: [first, second]}


def test_different_needs_are_not_a_repeat(role_users, zone):
    household = HouseholdFactory(zone=zone)
    food = _ask(role_users, household, ["food"])
    _ask(role_users, household, ["food", "hygiene"])

    assert queue_repeats([food], None) == {}


def test_the_same_needs_from_another_household_are_not_a_repeat(role_users, zone):
    one = _ask(role_users, HouseholdFactory(zone=zone), ["food"])
    _ask(role_users, HouseholdFactory(zone=zone), ["food"])

    assert queue_repeats([one], None) == {}


@pytest.mark.parametrize("status", [AidRequest.Status.APPROVED, AidRequest.Status.REFERRED])
def test_a_request_already_decided_is_no_repeat(role_users, zone, status):
    household = HouseholdFactory(zone=zone)
    decided = _ask(role_users, household, ["food"])
    AidRequest.objects.filter(pk=decided.pk).update(status=status)
    open_one = _ask(role_users, household, ["food"])

    assert queue_repeats([open_one], None) == {}


def test_a_request_waiting_for_information_is_still_open_and_counts(role_users, zone):
    household = HouseholdFactory(zone=zone)
    waiting = _ask(role_users, household, ["food"])
    AidRequest.objects.filter(pk=waiting.pk).update(status=AidRequest.Status.MORE_INFO)
    new = _ask(role_users, household, ["food"])

    assert queue_repeats([new], None) == {new.pk: [waiting]}


def test_a_repeat_outside_the_zones_asked_for_is_left_out(role_users, zone):
    household = HouseholdFactory(zone=zone)
    first = _ask(role_users, household, ["food"])
    _ask(role_users, household, ["food"])

    assert queue_repeats([first], {ZoneFactory().pk}) == {}
    assert list(queue_repeats([first], {zone.pk})) == [first.pk]


def test_an_empty_page_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queue_repeats([], None) == {}


def test_a_request_is_not_a_repeat_of_itself(role_users, zone):
    request = _ask(role_users, HouseholdFactory(zone=zone), ["food"])

    assert asks_the_same(request, request) is False
