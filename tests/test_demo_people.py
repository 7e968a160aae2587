"""The demo town's people make sense to whoever opens a record: a partner near the holder's age, children born when
the holder was an adult, a vulnerability that fits who lives there, and no address given to two households."""

import datetime as dt
import io
import random

import pytest
from django.contrib.auth import get_user_model

from fixtures.demo_city import DEMO_CASES, FLOORS, _address, _people, _record_details
from requests_intake.models import HouseholdMember, Vulnerability
from requests_intake.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def _age(day: dt.date) -> int:
    return (TODAY - day).days // 365


@pytest.mark.parametrize("seed", range(40))
def test_a_demo_household_has_ages_and_a_vulnerability_that_fit(seed):
    rng = random.Random(seed)
    household = HouseholdFactory(members=rng.choice([1, 2, 3, 4, 5, 6]), vulnerabilities=[], access_notes="")
    for _ in range(3):  # several draws per household: the first may give it no vulnerability at all
        _people(household, rng, TODAY)
        household.vulnerabilities = []
        _record_details(household, rng, TODAY)
        holder = _age(household.birth_date)
        people = list(household.people.all())
        for member in people:
            years = _age(member.birth_date)
            if member.relationship == HouseholdMember.Relationship.PARTNER:
                assert abs(years - holder) <= 9
            else:
                assert holder - years >= 18
        ages = [holder, *(_age(m.birth_date) for m in people)]
        if Vulnerability.ELDERLY in household.vulnerabilities:
            assert max(ages) >= 65
        if Vulnerability.MINORS in household.vulnerabilities:
            assert min(ages[1:], default=99) < 18
        if Vulnerability.LIVES_ALONE in household.vulnerabilities:
            assert household.members == 1
        household.people.all().delete()


@pytest.mark.parametrize("seed", range(20))
def test_no_two_people_at_a_demo_home_share_a_given_name(seed):
    rng = random.Random(seed)
    household = HouseholdFactory(given_name="Carmen", members=6, vulnerabilities=[], access_notes="")

    _people(household, rng, TODAY)

    names = ["Carmen", *household.people.values_list("given_name", flat=True)]
    assert len(names) == len(set(names)) == 6


def test_a_door_drawn_twice_gets_the_next_free_floor_instead():
    taken: set[str] = set()
    first = _address(random.Random(5), known_street=True, taken=taken)
    again = _address(random.Random(5), known_street=True, taken=taken)

    assert first != again
    assert again.rsplit(", ", 1)[0] == first.rsplit(", ", 1)[0] or again.rsplit(", ", 1)[1] in FLOORS
    assert taken == {first, again}


def test_a_door_with_every_floor_taken_moves_to_the_next_number():
    taken: set[str] = set()
    drawn = [_address(random.Random(5), known_street=True, taken=taken) for _ in range(len(FLOORS) + 1)]

    assert len(set(drawn)) == len(FLOORS) + 1
    street_and_number = {address.rsplit(", ", 1)[0] for address in drawn}
    assert len(street_and_number) == 2


def test_the_demo_social_worker_holds_cases_she_can_open():
    from django.core.management import call_command

    from requests_intake.cases import case_ensure_readable, my_cases

    call_command("seed_demo", "--force", stdout=io.StringIO())
    worker = get_user_model().objects.get(username="trabajadora")

    cases = list(my_cases(worker))

    assert len(cases) == DEMO_CASES
    for household in cases:
        case_ensure_readable(worker, household)  # refuses with PermissionDenied where she could not
