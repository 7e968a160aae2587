"""The manager's figures against a hand-built fortnight whose answers are worked out in conftest.py, the
period rules, the charts and the Spanish CSV; the page and its downloads are in test_figures_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from logistics.models import DeliveryOrder
from logistics.services import order_create_for_plan
from reports.charts import Series, bar_chart, nice_step
from reports.exports import tables_csv
from reports.metrics import Period, default_period, duration_text, percentile, period_check
from reports.selectors import manager_figures
from reports.tables import figures_tables
from reports.tests.fortnight import FORTNIGHT, at
from requests_intake.models import AidRequest
from requests_intake.tests.factories import HouseholdFactory
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


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
        "Pharmacy closed": 0,
        "Prescription not ready": 0,
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


def test_the_csv_export_writes_decimal_commas_in_spanish(world):
    with translation.override("es"):
        content = tables_csv(figures_tables(manager_figures(period=FORTNIGHT)))

    assert ";10,0\r\n" in content.decode("utf-8-sig")
