"""The manager's figures against a hand-built fortnight whose answers are worked out below, its page and export."""

import datetime as dt
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.tests.factories import tomorrow
from delivery.models import Round, SatisfactionSurvey, Stop
from delivery.services import stop_mark_delivered, stop_mark_failed
from logistics.models import DeliveryOrder
from logistics.services import order_create_for_plan
from logistics.tests.factories import VehicleFactory
from reports.charts import Series, bar_chart, nice_step
from reports.exports import tables_csv
from reports.metrics import Period, default_period, duration_text, percentile, period_check
from reports.selectors import manager_figures
from reports.tables import figures_tables
from requests_intake.models import AidRequest
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory, ZoneFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
FORTNIGHT = Period(first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 15))  # ISO weeks 10 and 11
HOUR = dt.timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=MADRID)


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


def _hours(span: dt.timedelta | None) -> float | None:
    return None if span is None else round(span / HOUR, 4)


def test_requests_are_counted_by_channel_zone_and_local_iso_week(world):
    figures = manager_figures(period=FORTNIGHT)

    assert figures.requests == 6
    channels = {row.label: row.count for row in figures.by_channel}
    assert channels == {
        "Phone": 3,
        "WhatsApp": 1,
        "Web form": 1,
        "E-mail": 1,
        "SMS": 0,
        "Web chat": 0,
        "In person": 0,
        "Referral": 0,
    }
    assert figures.by_channel[0].label == "Phone"
    assert [(row.label, row.count) for row in figures.by_zone] == [
        ("Casco Antiguo", 3),
        ("Barrio Peral", 2),
        ("No zone", 1),
    ]
    assert [(week.iso_week, week.first, week.last, week.count) for week in figures.by_week] == [
        ("2026-W10", dt.date(2026, 3, 2), dt.date(2026, 3, 8), 4),
        ("2026-W11", dt.date(2026, 3, 9), dt.date(2026, 3, 15), 2),
    ]


def test_time_to_decision_counts_decisions_made_in_the_period_but_not_answers_at_intake(world):
    decision = manager_figures(period=FORTNIGHT).to_decision

    # 6, 12, 24, 48 and 264 hours: the median is the middle one; the 90th percentile lies 60% of the way
    # from the 4th to the 5th value: 48 + 0.6 × 216.
    assert decision.count == 5
    assert _hours(decision.median) == 24
    assert _hours(decision.p90) == 177.6


def test_time_to_delivery_runs_from_receipt_to_each_requests_first_delivery(world):
    delivery = manager_figures(period=FORTNIGHT).to_delivery

    # 50, 56 and 170 hours (r1's delivery on 13 March is its second, not a delay): 56 + 0.8 × 114.
    assert delivery.count == 3
    assert _hours(delivery.median) == 56
    assert _hours(delivery.p90) == 147.2


def test_deliveries_per_day_failure_rate_and_reasons(world):
    figures = manager_figures(period=FORTNIGHT)

    active = [(day.day.day, day.delivered, day.failed) for day in figures.visits if day.delivered or day.failed]
    assert active == [(4, 1, 0), (10, 1, 0), (11, 0, 1), (12, 1, 0), (13, 1, 0)]
    assert len(figures.visits) == 14  # every day of the fortnight, for the chart
    assert (figures.delivered, figures.failed, figures.failure_rate) == (4, 1, 20.0)
    assert figures.failure_reasons[0].label == "Nobody at home"
    assert {row.label: row.count for row in figures.failure_reasons} == {
        "Nobody at home": 1,
        "Refused": 0,
        "Wrong address": 0,
        "No access": 0,
    }


def test_km_per_delivery_counts_the_rounds_that_were_driven(world):
    figures = manager_figures(period=FORTNIGHT)

    # 12 + 8 + 5.5 (the failed visit's round was driven too) + 10 + 4.5 km, over 4 deliveries.
    assert (figures.rounds, figures.km, figures.km_per_delivery) == (5, 40.0, 10.0)


def test_households_served_are_counted_once_and_packs_per_pack(world):
    figures = manager_figures(period=FORTNIGHT)

    # h1 had three deliveries, h3 one; h2's visit failed.
    assert (figures.households, figures.people) == (2, 2 + 4)
    first, second, fourth = world.packs
    assert sorted((pack.code, quantity) for pack, quantity in figures.packs) == sorted(
        [(first.code, 2), (second.code, 1), (fourth.code, 1)]
    )
    assert figures.packs[0] == (first, 2)
    assert figures.packs_delivered == 4


def test_a_zone_narrows_every_figure_except_the_kilometres(world):
    figures = manager_figures(period=FORTNIGHT, zone=world.peral)

    assert figures.requests == 2
    assert {row.label: row.count for row in figures.by_channel if row.count} == {"Phone": 1, "E-mail": 1}
    assert [(row.label, row.count) for row in figures.by_zone] == [("Barrio Peral", 2)]
    assert (figures.to_decision.count, _hours(figures.to_decision.median)) == (1, 48)
    assert (figures.to_delivery.count, _hours(figures.to_delivery.p90)) == (1, 56)
    assert (figures.delivered, figures.failed, figures.failure_rate) == (1, 0, 0.0)
    assert (figures.households, figures.people) == (1, 4)
    assert [(pack.code, quantity) for pack, quantity in figures.packs] == [(world.packs[2].code, 1)]
    # A round crosses zones: the distance stays that of every round, over every zone's deliveries.
    assert (figures.km, figures.km_per_delivery) == (40.0, 10.0)


def test_a_period_without_activity_has_zeros_and_no_medians(world):
    figures = manager_figures(period=Period(dt.date(2025, 1, 6), dt.date(2025, 1, 12)))

    assert (figures.requests, figures.delivered, figures.households, figures.rounds) == (0, 0, 0, 0)
    assert (figures.to_decision.median, figures.failure_rate, figures.km_per_delivery) == (None, None, None)
    assert figures.to_decision.median_text == "—"


def _collected(order: DeliveryOrder, at_depot: dt.datetime) -> DeliveryOrder:
    """The order handed over at the depot counter (the pick-up service's end state)."""
    DeliveryOrder.objects.filter(pk=order.pk).update(
        mode=DeliveryOrder.Mode.PICKUP,
        status=DeliveryOrder.Status.DELIVERED,
        collected_by="Ana Pérez",
        collected_at=at_depot,
    )
    return order


def test_orders_collected_at_the_depot_count_as_delivered_but_not_as_visits_or_km(role_users, world):
    order, _item, _warehouse = approved_order(role_users, household=HouseholdFactory(zone=world.peral, members=3))
    AidRequest.objects.filter(pk=order.plan.request_id).update(received_at=at(11, 9))
    _collected(order, at(12, 10))

    figures = manager_figures(period=FORTNIGHT)

    assert (figures.delivered, figures.delivered_at_door, figures.collected) == (5, 4, 1)
    assert (figures.failed, figures.failure_rate) == (1, 20.0)  # 1 failed of 5 visits at the door, as before
    assert (figures.rounds, figures.km, figures.km_per_delivery) == (5, 40.0, 10.0)  # nobody drove the pick-up
    assert [(d.day.day, d.delivered, d.failed, d.collected) for d in figures.visits if d.collected] == [(12, 1, 0, 1)]
    assert (figures.households, figures.people) == (3, 2 + 4 + 3)
    assert figures.packs_delivered == 5
    assert (order.lines.get().pack, 1) in figures.packs
    # 25 hours from receipt to the counter joins 50, 56 and 170: median (50 + 56) / 2, 90th 56 + 0.7 × 114.
    assert (figures.to_delivery.count, _hours(figures.to_delivery.median)) == (4, 53)
    assert _hours(figures.to_delivery.p90) == 135.8
    in_peral = manager_figures(period=FORTNIGHT, zone=world.peral)
    assert (in_peral.delivered, in_peral.collected, in_peral.households) == (2, 1, 2)


def test_a_request_collected_before_the_period_has_its_first_delivery_before_it_too(world):
    earlier = order_create_for_plan(plan=world.orders["o1"].plan, due_date=dt.date(2026, 3, 1))
    _collected(earlier, at(1, 10))

    figures = manager_figures(period=FORTNIGHT)

    # r1's door delivery on 4 March is no longer its first: 56 and 170 hours remain.
    assert (figures.to_delivery.count, _hours(figures.to_delivery.median)) == (2, 113)
    assert (figures.delivered, figures.collected) == (4, 0)


def test_a_collection_after_a_door_delivery_before_the_period_is_not_a_first_delivery(world):
    before = Period(dt.date(2026, 3, 5), dt.date(2026, 3, 15))  # r1's door delivery on 4 March is outside
    later = order_create_for_plan(plan=world.orders["o1"].plan, due_date=dt.date(2026, 3, 6))
    _collected(later, at(6, 10))

    figures = manager_figures(period=before)

    # Only r2 (170 h) and r4 (56 h): r1 was first served on 4 March.
    assert (figures.to_delivery.count, _hours(figures.to_delivery.median)) == (2, 113)
    assert (figures.collected, figures.households) == (1, 2)


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


def test_satisfaction_counts_the_surveys_sent_in_the_period_and_their_answers(surveys):
    satisfaction = manager_figures(period=FORTNIGHT).satisfaction

    assert (satisfaction.sent, satisfaction.answered, satisfaction.response_rate) == (5, 4, 80.0)
    assert satisfaction.scores == (0, 1, 0, 1, 2)
    assert satisfaction.average_score == 4.0  # (5 + 4 + 2 + 5) / 4
    assert (satisfaction.on_time, satisfaction.on_time_answers, satisfaction.on_time_share) == (2, 3, 66.7)
    assert [(c.answered_on.day, c.score, c.on_time, c.text) for c in satisfaction.comments] == [
        (16, 2, True, "=1+2 suma"),
        (11, 5, None, "Recogido\x01 sin esperas."),
        (3, 5, True, "Muy amables, gracias."),
    ]


def test_satisfaction_in_a_zone_counts_only_its_requests(surveys):
    satisfaction = manager_figures(period=FORTNIGHT, zone=surveys.casco).satisfaction

    assert (satisfaction.sent, satisfaction.answered, satisfaction.response_rate) == (4, 3, 75.0)
    assert (satisfaction.average_score, satisfaction.on_time_share) == (4.7, 50.0)  # 14 / 3; 1 of 2
    assert [c.text for c in satisfaction.comments] == ["Recogido\x01 sin esperas.", "Muy amables, gracias."]


def test_satisfaction_without_surveys_has_zeros_and_no_averages(world):
    satisfaction = manager_figures(period=FORTNIGHT).satisfaction

    assert (satisfaction.sent, satisfaction.answered, satisfaction.scores) == (0, 0, (0, 0, 0, 0, 0))
    assert (satisfaction.response_rate, satisfaction.average_score, satisfaction.on_time_share) == (None, None, None)
    assert satisfaction.comments == ()


def test_stock_cover_lists_the_lowest_cover_first(role_users):
    plenty, plenty_item, _warehouse = approved_order(role_users, on_hand=10, per_pack=2)
    scarce, scarce_item, _warehouse = approved_order(role_users, on_hand=4, per_pack=2)

    cover = manager_figures(period=FORTNIGHT).cover

    # Two units due tomorrow each; 28 days of horizon: 4 × 28 / 2 and 10 × 28 / 2.
    assert [(row.item, row.days_of_cover) for row in cover] == [(scarce_item, 56.0), (plenty_item, 140.0)]


def test_percentile_interpolates_between_the_nearest_values():
    assert percentile([4, 1, 3, 2], 0.9) == pytest.approx(3.7)
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([7], 0.9) == 7
    assert percentile([], 0.5) is None


def test_durations_read_as_days_and_hours():
    assert duration_text(dt.timedelta(hours=53, minutes=40)) == "2 d 5 h"
    assert duration_text(dt.timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert duration_text(None) == "—"


def test_the_default_period_is_this_iso_week_and_the_three_before():
    assert default_period(dt.date(2026, 11, 25)) == Period(dt.date(2026, 11, 2), dt.date(2026, 11, 25))
    assert default_period(dt.date(2026, 11, 23)) == Period(dt.date(2026, 11, 2), dt.date(2026, 11, 23))


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as refused:
        period_check(first=dt.date(2026, 3, 15), last=dt.date(2026, 3, 2))
    assert refused.value.code == "period_reversed"


def test_a_period_longer_than_366_days_is_refused():
    assert period_check(first=dt.date(2024, 1, 1), last=dt.date(2024, 12, 31)).last == dt.date(2024, 12, 31)
    with pytest.raises(ValidationError) as refused:
        period_check(first=dt.date(2025, 1, 1), last=dt.date(2026, 1, 2))
    assert refused.value.code == "period_too_long"


def test_bar_heights_follow_the_values_on_a_round_scale():
    chart = bar_chart(key="c", title="t", y_label="y", labels=["a", "b"], series=[Series("n", [2, 4], "#000")])

    low, high = (bar.segments[0] for bar in chart.bars)
    assert high.height == 2 * low.height
    assert chart.bottom - high.y == high.height
    assert [tick.value for tick in chart.y_ticks] == [0, 1, 2, 3, 4]
    assert [bar.total for bar in chart.bars] == [2, 4]
    assert high.title == "b · n: 4"
    assert nice_step(37) == 10
    assert nice_step(3) == 1


def test_stacked_bars_put_the_first_series_at_the_bottom_and_skip_empty_parts():
    chart = bar_chart(
        key="c",
        title="t",
        y_label="y",
        labels=["a", "b"],
        series=[Series("delivered", [3, 0], "#0a0"), Series("failed", [1, 2], "#a00")],
    )

    delivered, failed = chart.bars[0].segments
    assert failed.y + failed.height == delivered.y
    assert [segment.title for segment in chart.bars[1].segments] == ["b · failed: 2"]
    assert [entry.name for entry in chart.legend] == ["delivered", "failed"]


def test_a_long_chart_labels_every_few_bars_and_drops_the_totals():
    labels = [f"{day}/03" for day in range(1, 61)]
    chart = bar_chart(key="c", title="t", y_label="y", labels=labels, series=[Series("n", [1] * 60, "#000")])

    assert [bar.label for bar in chart.bars if bar.show_label][:3] == ["1/03", "5/03", "9/03"]
    assert not chart.show_totals


def test_a_chart_refuses_values_that_do_not_fit():
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart(key="c", title="t", y_label="y", labels=["a"], series=[Series("n", [1, 2], "#000")])
    with pytest.raises(ValueError, match="negative"):
        bar_chart(key="c", title="t", y_label="y", labels=["a"], series=[Series("n", [-1], "#000")])


FORTNIGHT_QUERY = {"first": "2026-03-02", "last": "2026-03-15"}


def test_the_page_shows_the_figures_and_charts_for_the_period_asked(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), {**FORTNIGHT_QUERY, "zone": world.casco.code})

    assert response.status_code == 200
    assert response.context["figures"].period == FORTNIGHT
    assert response.context["figures"].zone == world.casco
    page = response.content.decode()
    assert "Requests received per week" in page
    assert "Visits per day: delivered and not delivered" in page
    assert page.count("<svg") == 2
    assert "2026-W10" in page
    assert "Casco Antiguo" in page
    assert f"/figures/export.csv/?first=2026-03-02&amp;last=2026-03-15&amp;zone={world.casco.code}" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2026-03-15", "last": "2026-03-02"}, "before it starts"),
        ({"first": "2025-01-01", "last": "2026-01-02"}, "runs 367 days"),
        ({"first": "2026-02-30", "last": "2026-03-15"}, "Enter a valid date."),
        ({"zone": "nowhere"}, "Select a valid choice."),
    ],
)
def test_a_bad_period_or_zone_shows_the_error_and_the_default_period(client, role_users, query, message):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Showing the last four weeks" in response.content.decode()
    assert response.context["figures"].period == default_period(timezone.localdate())
    assert response.context["figures"].zone is None


def test_the_page_opens_with_the_last_four_weeks(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"))

    assert response.status_code == 200
    assert response.context["figures"].period == default_period(timezone.localdate())
    assert "Showing the last four weeks" not in response.content.decode()


def test_the_page_shows_the_satisfaction_section_with_its_chart(client, role_users, surveys):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures"), FORTNIGHT_QUERY)

    page = response.content.decode()
    assert page.count("<svg") == 3
    assert "Satisfaction: answers per score" in page
    assert 'id="table-comments"' in page
    assert "Muy amables, gracias." in page
    assert "5 · Very good" in page


def test_the_page_reads_a_bounded_number_of_queries(client, role_users, world, django_assert_max_num_queries):
    client.force_login(role_users["manager"])
    # A session's first request fixes its expiry (three queries of the idle-timeout middleware), not the page's cost.
    client.get(reverse("figures"), FORTNIGHT_QUERY)

    # 25 for the figures, 2 for the first level (requests closed at intake by topic, the complaints register), 7 for
    # the budgets card (packs with their items, the year's order lines, recurring plans with their lines, budgets,
    # alerts): none of them grows with the data.
    with django_assert_max_num_queries(34):
        response = client.get(reverse("figures"), FORTNIGHT_QUERY)

    assert response.status_code == 200


def _csv_sections(content: bytes) -> dict[str, list[str]]:
    sections = {}
    for block in content.decode("utf-8-sig").split("\r\n\r\n"):
        lines = [line for line in block.split("\r\n") if line]
        if lines:
            sections[lines[0]] = lines[1:]
    return sections


def test_the_csv_export_holds_every_table_separated_by_semicolons(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["csv"]), FORTNIGHT_QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures-2026-03-02-2026-03-15.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    sections = _csv_sections(response.content)
    titles = [table.title for table in figures_tables(manager_figures(period=FORTNIGHT))]
    assert list(sections) == titles
    assert sections["Requests by channel"][:3] == ["Channel;Requests;Share (%)", "Phone;3;50.0", "E-mail;1;16.7"]
    assert sections["Requests by week"][1:] == ["2026-W10;2026-03-02;2026-03-08;4", "2026-W11;2026-03-09;2026-03-15;2"]
    assert "Received → decided;5;24.0;177.6;1.0;7.4" in sections["Time to decision and delivery"]
    assert "Km per delivery (all zones);10.0" in sections["Summary"]
    assert "Households served (unduplicated);2" in sections["Summary"]
    assert "2026-03-11;0;1;100.0;0" in sections["Deliveries per day"]


def test_the_csv_export_holds_the_satisfaction_section_and_keeps_formulas_as_text(client, role_users, surveys):
    client.force_login(role_users["manager"])

    sections = _csv_sections(client.get(reverse("figures_export", args=["csv"]), FORTNIGHT_QUERY).content)

    assert sections["Satisfaction"] == [
        "Figure;Value",
        "Surveys sent;5",
        "Surveys answered;4",
        "Response rate (%);80.0",
        "Average score (1 to 5);4.0",
        "Arrived in the time we gave (%);66.7",
    ]
    assert sections["Satisfaction scores"] == [
        "Score;Answers;Share (%)",
        "1 · Very bad;0;0.0",
        "2 · Bad;1;25.0",
        "3 · Fair;0;0.0",
        "4 · Good;1;25.0",
        "5 · Very good;2;50.0",
    ]
    assert sections["Latest comments"] == [
        "Answered on;Score;On time;Comment",
        "2026-03-16;2;Yes;'=1+2 suma",  # a leading apostrophe: a spreadsheet shows it, never runs it
        "2026-03-11;5;;Recogido\x01 sin esperas.",
        "2026-03-03;5;Yes;Muy amables, gracias.",
    ]


def test_the_xlsx_export_keeps_comments_as_plain_text(client, role_users, surveys):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), FORTNIGHT_QUERY)

    sheet = load_workbook(io.BytesIO(response.content))["Latest comments"]
    assert [cell.value for cell in sheet[2]][1:] == [2, "Yes", "=1+2 suma"]
    assert sheet["D2"].data_type == "s"  # text, not a formula
    assert sheet["D3"].value == "Recogido sin esperas."  # a control character XML cannot hold is dropped
    assert sheet["A2"].value.date() == dt.date(2026, 3, 16)
    assert list(load_workbook(io.BytesIO(response.content))["Satisfaction"].values)[1:3] == [
        ("Surveys sent", 5),
        ("Surveys answered", 4),
    ]


def test_the_csv_export_writes_decimal_commas_in_spanish(world):
    with translation.override("es"):
        content = tables_csv(figures_tables(manager_figures(period=FORTNIGHT)))

    assert ";10,0\r\n" in content.decode("utf-8-sig")


def test_the_xlsx_export_has_one_sheet_per_table(client, role_users, world):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), {**FORTNIGHT_QUERY, "zone": world.peral.code})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-2026-03-15-{world.peral.code}.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Requests by week",
        "Requests by channel",
        "Requests by zone",
        "Time to decision and delivery",
        "Deliveries per day",
        "Why deliveries failed",
        "Packs delivered",
        "Satisfaction",
        "Satisfaction scores",
        "Latest comments",
        "Stock cover",
    ]
    rows = list(workbook["Requests by zone"].values)
    assert rows == [("Zone", "Requests", "Share (%)"), ("Barrio Peral", 2, 100.0)]
    per_day = list(workbook["Deliveries per day"].values)
    day, *counts = per_day[1]
    assert (day.date(), *counts) == (dt.date(2026, 3, 12), 1, 0, 0.0, 0)  # a real date cell, not text


def test_an_export_with_a_bad_period_goes_back_to_the_page_to_say_why(client, role_users):
    client.force_login(role_users["manager"])

    response = client.get(reverse("figures_export", args=["xlsx"]), {"first": "2026-03-15", "last": "2026-03-02"})

    assert response.status_code == 302
    assert response.url == reverse("figures") + "?first=2026-03-15&last=2026-03-02"


def test_an_unknown_export_format_is_not_found(client, role_users):
    client.force_login(role_users["manager"])

    assert client.get(reverse("figures_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("name", ["figures", "figures_export"])
def test_only_managers_see_the_figures(client, role_users, name):
    url = reverse(name) if name == "figures" else reverse(name, args=["csv"])
    seen = {}
    for role, user in role_users.items():
        client.force_login(user)
        seen[role] = client.get(url).status_code

    assert seen == {role: 200 if role == "manager" else 403 for role in role_users}


def test_the_figures_link_is_in_the_managers_menu_only(client, role_users):
    client.force_login(role_users["manager"])
    assert reverse("figures") in client.get(reverse("home")).content.decode()
    client.force_login(role_users["logistics_planner"])
    assert reverse("figures") not in client.get(reverse("home")).content.decode()
