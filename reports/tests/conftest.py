"""Fixtures that the reports' service tests and page tests share: the figures' hand-built fortnight (`world`,
`surveys`) and the council's March (`march`). test_costs.py builds a `world` of its own, which wins there."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, SatisfactionSurvey, Stop
from delivery.services import stop_mark_delivered, stop_mark_failed
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder, DeliveryOrderLine
from logistics.services import order_create_for_plan
from logistics.tests.factories import VehicleFactory
from reports.tests.fortnight import at
from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, HouseholdMemberFactory, ZoneFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order, approved_plan


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def march(role_users):
    """h1 (DNI, north, elderly and alone, 79, with a baby of 1 and a child of 15): two deliveries at the door.
    h2 (NIE, no zone, 40): one collection at the depot. h3: a failed visit only. h1 also had a delivery in February.
    Requests received in March: 2 approved, 1 rejected for income, 1 answered at intake, 1 in assessment."""
    food = pack_with({ItemFactory(unit_cost=Decimal("2.5000")): 2}, programme="food")  # 5.00
    baby = pack_with({ItemFactory(unit_cost=Decimal("8.0000")): 1}, programme="baby")  # 8.00
    h1 = HouseholdFactory(
        document_type="dni",
        zone=ZoneFactory(name="Norte"),
        vulnerabilities=["elderly", "lives_alone"],
        birth_date=dt.date(1950, 5, 1),
    )
    HouseholdMemberFactory(household=h1, birth_date=dt.date(2029, 1, 1))
    HouseholdMemberFactory(household=h1, birth_date=dt.date(2015, 3, 14))
    h2 = HouseholdFactory(document_type="nie", zone=None, birth_date=dt.date(1990, 1, 1))
    h3 = HouseholdFactory(document_type="passport")
    plan = approved_plan(role_users)
    warehouse = WarehouseFactory()
    vehicle = VehicleFactory(depot=warehouse)  # 90 €/day + 0.25 €/km
    driver = role_users["driver"]

    def order(household, due, *lines, mode="home"):
        made = DeliveryOrder.objects.create(
            plan=plan, household=household, warehouse=warehouse, due_date=due, status="delivered", mode=mode
        )
        for pack, units in lines:
            DeliveryOrderLine.objects.create(order=made, pack=pack, quantity=units)
        return made

    def round_on(day, *stops):
        run = PlanningRun.objects.create(date=day, requested_by=driver)
        made = Round.objects.create(
            run=run,
            date=day,
            vehicle=vehicle,
            driver=driver,
            depot=warehouse,
            start_at=_at(day, 9),
            end_at=_at(day, 13),
            distance_m=20_000,
        )
        for sequence, (stop_order, outcome) in enumerate(stops, start=1):
            Stop.objects.create(
                round=made,
                order=stop_order,
                sequence=sequence,
                arrival_at=_at(day),
                outcome=outcome,
                failure_reason="not_home" if outcome == "failed" else "",
            )

    round_on(dt.date(2030, 2, 25), (order(h1, dt.date(2030, 2, 25), (food, 1)), "delivered"))
    round_on(
        dt.date(2030, 3, 4),
        (order(h1, dt.date(2030, 3, 4), (food, 2), (baby, 1)), "delivered"),
        (order(h3, dt.date(2030, 3, 4), (food, 1)), "failed"),
    )
    round_on(dt.date(2030, 3, 11), (order(h1, dt.date(2030, 3, 11), (food, 1)), "delivered"))
    collected = order(h2, dt.date(2030, 3, 20), (food, 1), mode="pickup")
    collected.collected_at = _at(dt.date(2030, 3, 20))
    collected.save(update_fields=["collected_at"])
    for status, code in (
        ("approved", ""),
        ("approved", ""),
        ("rejected", "income"),
        ("info_only", ""),
        ("in_assessment", ""),
    ):
        AidRequest.objects.create(
            household=h3,
            channel="phone",
            received_at=_at(dt.date(2030, 3, 5)),
            registered_by=role_users["intake_operator"],
            status=status,
            rejection_code=code,
            rejection_reason="Ingresos por encima del umbral" if code else "",
        )
    return h1, h2, h3


@pytest.fixture
def world(role_users):
    """Six requests received in the fortnight, five decisions, five visits on five rounds, one round not driven.

    request  household  zone   channel   received     decided      first delivery         hours to
    r1       h1         Casco  phone     2 Mar 09:00  2 Mar 15:00  4 Mar 11:00 (+13 Mar)   6 / 50
    r2       h1         Casco  whatsapp  3 Mar 10:00  4 Mar 10:00  10 Mar 12:00           24 / 170
    r3       h2         Casco  web form  9 Mar 08:00  9 Mar 20:00  failed 11 Mar, not home 12 / —
    r4       h3 (4 p.)  Peral  phone     10 Mar 09:00 12 Mar 09:00 12 Mar 17:00           48 / 56
    r5       h4         Peral  e-mail    2 Mar 00:15  (waiting)    —   Sunday 23:15 UTC: still week 10 locally
    r6       h5         none   phone     5 Mar 11:00  answered at intake: a request, not a decision
    r7       h6         Casco  phone     20 Feb 09:00 rejected 3 Mar 09:00: a decision (264 h), not received
    r8       h6         Casco  sms       16 Mar 00:15 outside the fortnight
    """
    users = role_users
    casco, peral = ZoneFactory(name="Casco Antiguo"), ZoneFactory(name="Barrio Peral")
    h1, h2 = HouseholdFactory(zone=casco), HouseholdFactory(zone=casco)
    h3 = HouseholdFactory(zone=peral, members=4)
    o1, _item, warehouse = approved_order(users, household=h1)
    # A household's second request delivered the same day: the social worker confirms it at approval.
    o2, _item, _warehouse = approved_order(users, household=h1, same_day_confirmed=True)
    o3, _item, _warehouse = approved_order(users, household=h2)
    o4, item4, _warehouse = approved_order(users, household=h3)
    # received and approved today: outside the period
    o5, _item, _warehouse = approved_order(users, household=h2, same_day_confirmed=True)
    o1_again = order_create_for_plan(plan=o1.plan, due_date=tomorrow())  # r1's second delivery
    VehicleFactory(depot=warehouse, driver=users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    planned = Round.objects.get()
    stops = {order: Stop.objects.get(order=order) for order in (o1, o1_again, o2, o3, o4, o5)}
    for order in (o1, o1_again, o2, o4):
        stop_mark_delivered(actor=users["driver"], stop=stops[order])
    stop_mark_failed(actor=users["driver"], stop=stops[o3], reason="not_home")

    def drive(day: int, metres: int, order=None, recorded_at=None) -> Round:
        round_ = Round.objects.create(
            run=planned.run,
            date=dt.date(2026, 3, day),
            vehicle=planned.vehicle,
            driver=planned.driver,
            depot=planned.depot,
            start_at=at(day, 9),
            end_at=at(day, 14),
            distance_m=metres,
        )
        if order is not None:
            Stop.objects.filter(order=order).update(round=round_, sequence=1, recorded_at=recorded_at)
        return round_

    drive(4, 12_000, o1, at(4, 11))
    drive(10, 8_000, o2, at(10, 12))
    drive(11, 5_500, o3, at(11, 10))
    drive(12, 10_000, o4, at(12, 17))
    drive(13, 4_500, o1_again, at(13, 10))
    drive(14, 9_000, o5)  # its one stop still to deliver: not driven, so its distance is left out

    def dated(order, channel: str, received: dt.datetime, decided: dt.datetime) -> None:
        AidRequest.objects.filter(pk=order.plan.request_id).update(
            channel=channel, received_at=received, decided_at=decided
        )

    dated(o1, "phone", at(2, 9), at(2, 15))
    dated(o2, "whatsapp", at(3, 10), at(4, 10))
    dated(o3, "web_form", at(9, 8), at(9, 20))
    dated(o4, "phone", at(10, 9), at(12, 9))
    operator = users["intake_operator"]
    aid_request_register(
        actor=operator,
        household=HouseholdFactory(zone=peral),
        channel="email",
        needs=["food"],
        received_at=at(2, 0, 15),
    )
    info_only = aid_request_register(
        actor=operator,
        household=HouseholdFactory(),
        channel="phone",
        needs=["other"],
        received_at=at(5, 11),
        answer="El comedor social abre a las 13:00.",
        topic="aid_information",
    )
    AidRequest.objects.filter(pk=info_only.pk).update(decided_at=at(5, 11, 10))
    h6 = HouseholdFactory(zone=casco)
    rejected = aid_request_register(
        actor=operator, household=h6, channel="phone", needs=["food"], received_at=at(20, 9, month=2)
    )
    AidRequest.objects.filter(pk=rejected.pk).update(
        status="rejected",
        rejection_code="income",
        rejection_reason="Ingresos por encima del umbral.",
        decided_at=at(3, 9),
    )
    aid_request_register(actor=operator, household=h6, channel="sms", needs=["food"], received_at=at(16, 0, 15))
    return SimpleNamespace(
        casco=casco,
        peral=peral,
        packs=[order.lines.get().pack for order in (o1, o2, o4)],
        item4=item4,
        orders={"o1": o1, "o2": o2, "o3": o3, "o4": o4, "o5": o5, "o1_again": o1_again},
    )


@pytest.fixture
def surveys(world):
    """Six surveys on the world's orders; five sent in the fortnight, four of them answered so far.

    order  zone   sent         answered      score  on time  comment
    o1     Casco  3 Mar 12:00  3 Mar 18:00   5      yes      Muy amables, gracias.
    o2     Casco  5 Mar 12:00  6 Mar 09:00   4      no       —
    o4     Peral  10 Mar 12:00 16 Mar 10:00  2      yes      =1+2 suma  (answered after the period: still counted)
    o3     Casco  12 Mar 12:00 —
    o5     Casco  11 Mar 12:00 11 Mar 20:00  5      (pick-up) Recogido sin esperas.
    o1b    Casco  20 Feb 12:00 2 Mar 10:00   1      no       Fuera   (sent before the period: left out)
    """
    rows = [
        ("o1", at(3, 12), at(3, 18), 5, True, "Muy amables, gracias."),
        ("o2", at(5, 12), at(6, 9), 4, False, ""),
        ("o4", at(10, 12), at(16, 10), 2, True, "=1+2 suma"),
        ("o3", at(12, 12), None, None, None, ""),
        ("o5", at(11, 12), at(11, 20), 5, None, "Recogido\x01 sin esperas."),
        ("o1_again", at(20, 12, month=2), at(2, 10), 1, False, "Fuera"),
    ]
    for key, sent_at, answered_at, score, on_time, comment in rows:
        survey = SatisfactionSurvey.objects.create(order=world.orders[key], token=f"token-{key}")
        SatisfactionSurvey.objects.filter(pk=survey.pk).update(
            sent_at=sent_at, answered_at=answered_at, score=score, on_time=on_time, comment=comment
        )
    return world
