"""The social worker's decisions: each one recorded with who and when, each refusal changing nothing.

Here the services, models and commands, called directly; the pages are tested in test_decisions_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.tests.factories import tomorrow
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from requests_intake.decisions import (
    aid_request_approve,
    aid_request_ask_information,
    aid_request_refer,
    aid_request_reject,
    aid_request_resume,
    plan_pause,
    plan_renew,
    plan_resume,
)
from requests_intake.models import AidPlan, AidRequest, HouseholdMember, Notification, PackRule
from requests_intake.pack_rules import pack_proposal
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, PharmacyFactory
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db


def test_asking_for_information_puts_the_request_on_hold_and_tells_the_requester(role_users, waiting):
    aid_request_ask_information(actor=role_users["social_worker"], request=waiting, what="Empadronamiento")

    waiting.refresh_from_db()
    assert (waiting.status, waiting.information_needed) == (AidRequest.Status.MORE_INFO, "Empadronamiento")
    assert waiting.notifications.filter(event=Notification.Event.MORE_INFO).exists()
    aid_request_resume(actor=role_users["social_worker"], request=waiting)
    waiting.refresh_from_db()
    assert waiting.status == AidRequest.Status.IN_ASSESSMENT


def test_a_request_waiting_for_information_can_still_be_decided(role_users, waiting):
    aid_request_ask_information(actor=role_users["social_worker"], request=waiting, what="DNI")

    aid_request_refer(actor=role_users["social_worker"], request=waiting, to="Cáritas parroquial")

    waiting.refresh_from_db()
    assert (waiting.status, waiting.referred_to, waiting.decided_by) == (
        AidRequest.Status.REFERRED,
        "Cáritas parroquial",
        role_users["social_worker"],
    )


def test_a_rejection_keeps_its_code_and_text(role_users, waiting):
    aid_request_reject(actor=role_users["social_worker"], request=waiting, code="residence", reason="Vive en Murcia")

    waiting.refresh_from_db()
    assert (waiting.rejection_code, waiting.rejection_reason, waiting.status) == (
        "residence",
        "Vive en Murcia",
        AidRequest.Status.REJECTED,
    )


@pytest.mark.parametrize(
    ("call", "kwargs", "field", "code"),
    [
        (aid_request_reject, {"reason": "  ", "code": "other"}, "reason", "reason_missing"),
        (aid_request_reject, {"reason": "x", "code": "because"}, "code", "bad_rejection_code"),
        (aid_request_refer, {"to": ""}, "to", "referral_missing"),
        (aid_request_ask_information, {"what": " "}, "what", "information_missing"),
    ],
)
def test_a_decision_without_its_reason_is_refused_and_changes_nothing(role_users, waiting, call, kwargs, field, code):
    with pytest.raises(ValidationError) as refused:
        call(actor=role_users["social_worker"], request=waiting, **kwargs)

    assert [error.code for error in refused.value.error_dict[field]] == [code]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (AidRequest.Status.IN_ASSESSMENT, None)


def test_a_closed_request_cannot_be_decided_again(role_users, waiting):
    aid_request_refer(actor=role_users["social_worker"], request=waiting, to="Cruz Roja")

    with pytest.raises(ValidationError) as refused:
        aid_request_reject(actor=role_users["social_worker"], request=waiting, reason="x")

    assert refused.value.code == "already_decided"


def test_approval_records_validity_and_pharmacy_only_for_medication(role_users):
    WarehouseFactory()
    pack = pack_with({ItemFactory(): 1})
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    with pytest.raises(ValidationError) as refused:
        aid_request_approve(
            actor=role_users["social_worker"],
            request=request,
            packs=[(pack, 1)],
            priority=1,
            first_delivery_on=tomorrow(),
            pharmacy=PharmacyFactory(name="Farmacia Mayor"),
        )
    assert refused.value.error_dict["pharmacy"][0].code == "pharmacy_without_medication"
    with pytest.raises(ValidationError) as refused:
        aid_request_approve(
            actor=role_users["social_worker"],
            request=request,
            packs=[(pack, 1)],
            priority=1,
            first_delivery_on=tomorrow(),
            valid_until=timezone.localdate(),
        )
    assert refused.value.error_dict["valid_until"][0].code == "valid_until_before_first_delivery"
    assert AidPlan.objects.count() == 0


def test_a_paused_plan_makes_no_orders_until_it_is_resumed(role_users):
    from logistics.services import orders_create_recurring

    plan = approved_plan(role_users, repeat_every_days=7)
    next_week = tomorrow() + dt.timedelta(days=6)

    plan_pause(actor=role_users["social_worker"], plan=plan, reason="En el hospital")
    assert orders_create_recurring(today=next_week) == []
    with pytest.raises(ValidationError) as refused:
        plan_pause(actor=role_users["social_worker"], plan=plan, reason="again")
    assert refused.value.code == "plan_already_paused"

    plan_resume(actor=role_users["social_worker"], plan=plan)
    assert [o.due_date for o in orders_create_recurring(today=next_week)] == [tomorrow() + dt.timedelta(days=7)]


def test_eligibility_ends_the_orders_and_renewal_extends_it(role_users):
    from logistics.services import orders_create_recurring

    plan = approved_plan(role_users, repeat_every_days=7, valid_until=tomorrow() + dt.timedelta(days=3))
    assert orders_create_recurring(today=tomorrow() + dt.timedelta(days=6)) == []

    with pytest.raises(ValidationError) as refused:
        plan_renew(actor=role_users["social_worker"], plan=plan, valid_until=timezone.localdate())
    assert refused.value.error_dict["valid_until"][0].code == "valid_until_not_future"
    plan_renew(actor=role_users["social_worker"], plan=plan, valid_until=tomorrow() + dt.timedelta(days=90))
    assert len(orders_create_recurring(today=tomorrow() + dt.timedelta(days=6))) == 1


def test_a_monthly_line_rides_every_fourth_weekly_delivery(role_users):
    from logistics.services import orders_create_recurring

    food, hygiene = pack_with({ItemFactory(): 1}), pack_with({ItemFactory(): 1})
    plan = approved_plan(role_users, packs=[(food, 1), (hygiene, 1, 4)], repeat_every_days=7)
    for week in range(1, 5):
        orders_create_recurring(today=tomorrow() + dt.timedelta(days=7 * week - 1))

    packs_by_week = [sorted(line.pack_id for line in order.lines.all()) for order in plan.orders.order_by("due_date")]
    assert packs_by_week == [
        sorted([food.pk, hygiene.pk]),
        [food.pk],
        [food.pk],
        [food.pk],
        sorted([food.pk, hygiene.pk]),
    ]
    assert DeliveryOrder.objects.count() == 5


def test_the_rule_table_proposes_packs_by_size_need_and_a_baby(role_users):
    small, family, baby, hygiene = (pack_with({ItemFactory(): 1}) for _ in range(4))
    PackRule.objects.create(name="s", max_members=2, need="food", pack=small)
    PackRule.objects.create(name="f", min_members=3, need="food", pack=family)
    PackRule.objects.create(name="b", child_under_years=2, pack=baby)
    PackRule.objects.create(name="h", pack=hygiene, every_nth=4)
    PackRule.objects.create(name="off", pack=small, quantity=5, active=False)
    household = HouseholdFactory(members=3)
    HouseholdMember.objects.create(
        household=household,
        given_name="Luz",
        relationship="child",
        birth_date=timezone.localdate() - dt.timedelta(days=200),
    )

    proposal = pack_proposal(household, needs=["food"], on=timezone.localdate())
    assert sorted((p.pk, q, n) for p, q, n in proposal) == sorted(
        [(family.pk, 1, 1), (baby.pk, 1, 1), (hygiene.pk, 1, 4)]
    )
    assert [p for p, *_ in pack_proposal(HouseholdFactory(members=1), needs=["hygiene"], on=timezone.localdate())] == [
        hygiene
    ]


def test_plans_about_to_end_are_reminded_once_to_the_zone_social_workers(role_users, mailoutbox):
    from requests_intake.reviews import plans_review_remind
    from requests_intake.tests.factories import ZoneFactory

    zone = ZoneFactory()
    worker = role_users["social_worker"]
    worker.email = "marta@example.org"
    worker.save()
    zone.social_workers.add(worker)
    WarehouseFactory()
    request = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(zone=zone), channel="phone", needs=["food"]
    )
    aid_request_approve(
        actor=worker,
        request=request,
        packs=[(pack_with({ItemFactory(): 1}), 1)],
        priority=1,
        first_delivery_on=tomorrow(),
        valid_until=tomorrow() + dt.timedelta(days=10),
    )

    assert plans_review_remind(today=timezone.localdate()) == 1
    assert plans_review_remind(today=timezone.localdate()) == 0
    [mail] = mailoutbox
    assert mail.to == ["marta@example.org"]
    assert request.reference in mail.body


def test_the_review_reminder_runs_daily_from_beat():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["intake-plans-review"]
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {15})
