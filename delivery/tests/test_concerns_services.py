"""Welfare concerns, the services: a concern is kept and mailed to its zone, refused when empty, too long or
not the round's driver's, and taken up and resolved once."""

import pytest
from django.core.exceptions import ValidationError

from core.tests.factories import UserFactory
from delivery.concerns import concern_acknowledge, concern_raise, concern_resolve
from delivery.models import WelfareConcern
from delivery.tests.concern_world import _in_zone
from requests_intake.timeline import household_timeline
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


def test_a_concern_in_a_zone_without_social_workers_is_kept_without_mail(
    role_users, mailoutbox, django_capture_on_commit_callbacks
):
    stop = planned_stop(role_users)
    _in_zone(stop)

    with django_capture_on_commit_callbacks(execute=True):
        concern_raise(actor=role_users["driver"], stop=stop, text="La vivienda no tiene luz.")

    assert mailoutbox == []
    assert WelfareConcern.objects.count() == 1


@pytest.mark.parametrize(("text", "code"), [("   ", "text_missing"), ("x" * 1001, "too_long")])
def test_an_empty_or_overlong_concern_is_refused(role_users, text, code):
    stop = planned_stop(role_users)

    with pytest.raises(ValidationError) as refused:
        concern_raise(actor=role_users["driver"], stop=stop, text=text)
    assert refused.value.code == code
    assert WelfareConcern.objects.count() == 0


def test_an_open_concern_resolved_at_once_becomes_the_resolvers(role_users, two_zones):
    mine, _theirs = two_zones
    worker = role_users["social_worker"]

    concern_resolve(actor=worker, concern=mine, action_taken="Llamada", closing_note="Todo bien.")

    mine.refresh_from_db()
    assert (mine.status, mine.owner, mine.acknowledged_by) == (WelfareConcern.Status.RESOLVED, worker, worker)


@pytest.mark.parametrize(
    ("action_taken", "closing_note", "codes"),
    [
        ("Llamada", "  ", {"closing_note": ["note_missing"]}),
        ("", "Todo bien.", {"action_taken": ["action_missing"]}),
        ("Llamada", "x" * 2001, {"closing_note": ["too_long"]}),
    ],
)
def test_a_concern_is_not_resolved_without_the_action_and_the_note(
    role_users, two_zones, action_taken, closing_note, codes
):
    mine, _theirs = two_zones
    concern_acknowledge(actor=role_users["social_worker"], concern=mine)

    with pytest.raises(ValidationError) as refused:
        concern_resolve(
            actor=role_users["social_worker"], concern=mine, action_taken=action_taken, closing_note=closing_note
        )

    assert {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()} == codes
    mine.refresh_from_db()
    assert (mine.status, mine.resolved_at, mine.action_taken, mine.closing_note) == (
        WelfareConcern.Status.IN_PROGRESS,
        None,
        "",
        "",
    )


def test_a_resolved_concern_cannot_be_resolved_again(role_users, two_zones):
    mine, _theirs = two_zones
    worker = role_users["social_worker"]
    concern_resolve(actor=worker, concern=mine, action_taken="Llamada", closing_note="Todo bien.")

    with pytest.raises(ValidationError) as refused:
        concern_resolve(actor=UserFactory(username="otra"), concern=mine, action_taken="Otra", closing_note="Otra.")

    assert refused.value.code == "already_resolved"
    mine.refresh_from_db()
    assert (mine.resolved_by, mine.closing_note) == (worker, "Todo bien.")


def test_a_concern_and_its_resolution_stay_on_the_households_timeline(role_users, two_zones):
    mine, _theirs = two_zones
    concern_resolve(actor=role_users["social_worker"], concern=mine, action_taken="Llamada", closing_note="Todo bien.")

    events = [e for e in household_timeline(mine.household, case_notes=True) if e.kind == "concern"]

    assert [(e.title, e.detail) for e in events] == [
        ("Concern resolved", "Llamada · Todo bien."),
        ("A driver's concern", "En mi zona. · Resolved · social_worker"),
    ]
    assert [e for e in household_timeline(mine.household) if e.kind == "concern"] == []
