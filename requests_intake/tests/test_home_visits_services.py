"""Home visits: scheduling, the day put in order by the routing engine, and the outcome recorded as an intervention.

Here the services, models and commands, called directly; the pages are tested in test_home_visits_pages.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from requests_intake.models import HomeVisit, Intervention
from requests_intake.tests.helpers.home_visits import _household, _visit, home_visits_worker  # noqa: F401 (fixtures)
from requests_intake.visits import home_visit_cancel, home_visit_record_outcome, home_visit_schedule, visits_day

pytestmark = pytest.mark.django_db


def test_a_visit_is_scheduled_with_its_window_and_purpose(worker, zone):
    visit = _visit(worker, _household(zone, "Rosa", "37.6", "-0.98"), "10:00", "11:00", "Valoración")
    assert HomeVisit.objects.values_list("status", "window_start", "window_end", "purpose").get() == (
        "planned",
        dt.time(10),
        dt.time(11),
        "Valoración",
    )
    assert visit.scheduled_by == worker


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"date": dt.date(2000, 1, 1)}, "date", "date_in_past"),
        ({"window_start": dt.time(11), "window_end": dt.time(10)}, "window_end", "window_empty"),
        ({"window_start": dt.time(8), "window_end": dt.time(10)}, "window_start", "window_outside_hours"),
        ({"window_start": dt.time(14), "window_end": dt.time(16)}, "window_start", "window_outside_hours"),
        ({"purpose": "  "}, "purpose", "purpose_missing"),
    ],
)
def test_bad_visit_input_is_refused_and_nothing_is_scheduled(worker, zone, changes, field, code):
    fields = {
        "date": timezone.localdate(),
        "window_start": dt.time(10),
        "window_end": dt.time(11),
        "purpose": "Seguimiento",
    } | changes
    with pytest.raises(ValidationError) as caught:
        home_visit_schedule(actor=worker, household=_household(zone, "Rosa", "37.6", "-0.98"), worker=worker, **fields)
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert HomeVisit.objects.count() == 0


def test_a_driver_cannot_be_sent_on_a_home_visit(role_users, worker, zone):
    with pytest.raises(ValidationError) as caught:
        home_visit_schedule(
            actor=worker,
            household=_household(zone, "Rosa", "37.6", "-0.98"),
            worker=role_users["driver"],
            date=timezone.localdate(),
            window_start=dt.time(10),
            window_end=dt.time(11),
            purpose="x",
        )
    assert [e.code for e in caught.value.error_list] == ["worker_not_allowed"]
    assert HomeVisit.objects.count() == 0


def test_the_day_is_put_in_order_by_windows_and_travel(worker, zone, settings):
    settings.OSRM_URL = ""  # the offline estimate: straight line × road factor at the town speed
    late = _visit(worker, _household(zone, "Ana", "37.6100", "-0.9800"), "12:00", "13:00")
    first = _visit(worker, _household(zone, "Berta", "37.6000", "-0.9800"), "09:00", "10:00")
    second = _visit(worker, _household(zone, "Celia", "37.6050", "-0.9800"), "10:30", "11:30")
    day = visits_day(worker, timezone.localdate())
    assert [d.visit for d in day] == [first, second, late]
    assert [d.arrival for d in day] == [dt.time(9, 0), dt.time(10, 30), dt.time(12, 0)]
    # 556 m apart in a straight line, × 1.35 on the road at 25 km/h: 108 s, shown as 2 minutes.
    assert [d.travel_minutes for d in day] == [None, 2, 2]


def test_visits_without_a_location_or_closed_follow_the_route(worker, zone):
    routed = _visit(worker, _household(zone, "Ana", "37.6100", "-0.9800"), "12:00", "13:00")
    nowhere = _visit(worker, _household(zone, "Berta", None, None), "09:00", "10:00")
    cancelled = _visit(worker, _household(zone, "Celia", "37.6050", "-0.9800"), "10:30", "11:30")
    home_visit_cancel(actor=worker, visit=cancelled)
    day = visits_day(worker, timezone.localdate())
    assert [(d.visit, d.arrival) for d in day] == [(routed, dt.time(12)), (nowhere, None), (cancelled, None)]
    assert day[1].unplaced_reason == "The household's address has no location on the map."


def test_recording_the_outcome_makes_an_intervention_of_kind_home_visit(worker, zone):
    visit = _visit(worker, _household(zone, "Rosa", "37.6", "-0.98"), "10:00", "11:00", "Valoración")
    home_visit_record_outcome(actor=worker, visit=visit, duration_minutes=50, note="Vivienda en mal estado.")
    visit.refresh_from_db()
    assert visit.status == HomeVisit.Status.DONE
    assert Intervention.objects.values_list("kind", "duration_minutes", "topic", "note", "author").get() == (
        "home_visit",
        50,
        "Valoración",
        "Vivienda en mal estado.",
        worker.pk,
    )
    assert visit.intervention == Intervention.objects.get()


def test_an_outcome_cannot_be_recorded_twice(worker, zone):
    visit = _visit(worker, _household(zone, "Rosa", "37.6", "-0.98"), "10:00", "11:00")
    home_visit_record_outcome(actor=worker, visit=visit, duration_minutes=50, note="Hecho.")
    with pytest.raises(ValidationError) as caught:
        home_visit_record_outcome(actor=worker, visit=visit, duration_minutes=50, note="Otra vez.")
    assert [e.code for e in caught.value.error_list] == ["visit_not_planned"]
    assert Intervention.objects.count() == 1


def test_a_visit_of_tomorrow_cannot_have_an_outcome_yet(worker, zone):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    visit = _visit(worker, _household(zone, "Rosa", "37.6", "-0.98"), "10:00", "11:00", date=tomorrow)
    with pytest.raises(ValidationError) as caught:
        home_visit_record_outcome(actor=worker, visit=visit, duration_minutes=50, note="Hecho.")
    assert [e.code for e in caught.value.error_list] == ["visit_in_future"]
    visit.refresh_from_db()
    assert (visit.status, Intervention.objects.count()) == ("planned", 0)


def test_an_outcome_without_a_note_is_refused(worker, zone):
    visit = _visit(worker, _household(zone, "Rosa", "37.6", "-0.98"), "10:00", "11:00")
    with pytest.raises(ValidationError) as caught:
        home_visit_record_outcome(actor=worker, visit=visit, duration_minutes=50, note=" ")
    assert [e.code for e in caught.value.error_dict["note"]] == ["note_missing"]
    assert Intervention.objects.count() == 0
