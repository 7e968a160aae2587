"""The change history of a household, for managers: who changed which field, from what to what.

Here the services, models and commands, called directly; the pages are tested in test_audit_pages.py."""

import datetime as dt

import pytest

from inventory.tests.factories import PackFactory
from requests_intake.audit import FieldChange, household_audit
from requests_intake.households import MembersChange, household_update, members_save
from requests_intake.models import AidPlanLine
from requests_intake.tests.factories import HouseholdMemberFactory, ZoneFactory
from requests_intake.tests.helpers.audit import audit_household  # noqa: F401 (fixtures)
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


def test_a_change_row_lists_only_the_fields_that_changed(role_users, household):
    zone = ZoneFactory(name="Zona Norte")
    household_update(actor=role_users["social_worker"], household=household, zone=zone, members=3)

    latest = household_audit(household, show_vulnerability=True)[0]

    assert (latest.who, latest.action, latest.subject) == ("social_worker", "changed", "Household record")
    assert latest.changes == [FieldChange("Members", "2", "3"), FieldChange("Zone", "—", "Zona Norte")]


def test_members_are_in_the_history_with_their_changes(role_users, household):
    member = HouseholdMemberFactory(household=household, given_name="Iker", birth_date=dt.date(2016, 1, 10))
    members_save(
        actor=role_users["social_worker"],
        household=household,
        change=MembersChange(changed=[(member, {"birth_date": dt.date(2016, 2, 10)})]),
    )
    members_save(actor=role_users["social_worker"], household=household, change=MembersChange(removed=[member]))

    rows = [row for row in household_audit(household, show_vulnerability=True) if row.subject == "Member Iker Sánchez"]

    assert [(row.action, row.who, row.reason) for row in rows] == [
        ("deleted", "social_worker", "Member removed"),
        ("changed", "social_worker", "Member corrected"),
        ("created", "", ""),
    ]
    assert rows[1].changes == [FieldChange("Birth date", "10/01/2016", "10/02/2016")]


def test_a_decision_and_its_plan_are_in_the_history(role_users, django_assert_max_num_queries):
    order, _item, _warehouse = approved_order(role_users)
    household = order.household
    aid_request = order.plan.request
    pack = PackFactory(name="Lote higiene")
    AidPlanLine.objects.create(plan=order.plan, pack=pack, quantity=2, every_nth=4)

    with django_assert_max_num_queries(8):
        rows = household_audit(household, show_vulnerability=True)

    decision = next(
        row for row in rows if row.subject == f"Request {aid_request.reference}" and row.action == "changed"
    )
    changes = {change.label: (change.old, change.new) for change in decision.changes}
    assert changes["Status"] == ("Awaiting assessment", "Approved")
    assert changes["Decided by"] == ("—", "social_worker")
    created = {row.subject: row.changes for row in rows if row.action == "created"}
    assert f"Aid plan of {aid_request.reference}" in created
    assert created[f"Plan line of {aid_request.reference}: Lote higiene"] == [
        FieldChange("Pack", None, "Lote higiene"),
        FieldChange("Quantity", None, "2"),
        FieldChange("With every nth delivery", None, "4"),
    ]


def test_vulnerability_is_left_out_for_those_who_may_not_see_it(role_users, household):
    household_update(actor=role_users["social_worker"], household=household, vulnerabilities=["elderly"])

    hidden = household_audit(household, show_vulnerability=False)
    shown = household_audit(household, show_vulnerability=True)

    assert [c.label for row in hidden for c in row.changes if c.label == "Vulnerability"] == []
    assert FieldChange("Vulnerability", "Gender violence", "Elderly person") in shown[0].changes
