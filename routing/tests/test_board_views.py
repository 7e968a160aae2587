"""The planning board in the browser's place: what it shows, and each action it posts, for the right and wrong role."""

import json
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from inventory.tests.factories import PackFactory, WarehouseFactory
from logistics.models import DeliveryOrder, DeliveryOrderLine, DriverAbsence
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import run_progress
from routing.tests.board_world import at as _at
from routing.tests.board_world import two_van_draft
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db

# What one board costs, whatever the number of stops: session and user, the run, rounds and stops, lines and packs,
# the shifts, the readiness (with what the orders waiting for stock lack: their packs' items, the free stock and the
# items' names), the map's depots and the plan's totals (vans, km, cost).
BOARD_QUERIES = 34


@pytest.fixture
def draft(role_users):
    """A finished, unpublished plan for tomorrow: van A with two stops, van B with one, both from one depot."""
    return two_van_draft(role_users, publish_when_done=False)["run"]


def _page(client, user, **query) -> str:
    client.force_login(user)
    return client.get(reverse("planning"), {"date": tomorrow().isoformat(), **query}).content.decode()


def _main(page: str) -> str:
    """The page's main element, whatever attributes the base template gives it: the header's forms left out."""
    return re.search(r"<main\b[^>]*>(.*)</main>", page, re.S).group(1)


def _map_data(page: str) -> dict:
    block = re.search(r'<script id="board-map-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def _said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _sequence(run: PlanningRun) -> dict[str, list[int]]:
    """Each van's stops, as order ids in delivery order."""
    rounds = run.rounds.order_by("vehicle__name")
    return {r.vehicle.name: list(r.stops.order_by("sequence").values_list("order_id", flat=True)) for r in rounds}


# What the board shows


def test_the_board_gives_the_map_each_round_with_its_numbered_stops(client, role_users, draft):
    first, second = draft.rounds.order_by("vehicle__name")

    data = _map_data(_page(client, role_users["logistics_planner"]))

    assert [(r["id"], r["name"], [s["sequence"] for s in r["stops"]]) for r in data["rounds"]] == [
        (first.pk, "Furgoneta A", [1, 2]),
        (second.pk, "Furgoneta B", [1]),
    ]
    assert data["rounds"][0]["depot"] == [37.6196, -0.965]
    assert data["rounds"][0]["stops"][0]["point"] == [37.605, -0.985]
    assert data["rounds"][0]["colour"] != data["rounds"][1]["colour"]
    assert data["depots"] == [{"name": "Almacén central", "point": [37.6196, -0.965]}]
    assert data["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_the_map_uses_the_tile_server_from_the_settings(client, role_users, draft, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    data = _map_data(_page(client, role_users["logistics_planner"]))

    assert data["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def test_a_draft_shows_its_badge_and_a_publish_button(client, role_users, draft):
    page = _page(client, role_users["logistics_planner"])

    assert '<span class="badge draft">Draft</span>' in page
    assert reverse("run_publish", args=[draft.pk]) in page
    assert reverse("run_unpublish", args=[draft.pk]) not in page
    assert "Re-optimise (keeps locked stops)" in page


def test_a_published_plan_offers_unpublish_instead(client, role_users, draft):
    draft.published_at = timezone.now()
    draft.published_by = role_users["logistics_planner"]
    draft.save(update_fields=["published_at", "published_by"])

    page = _page(client, role_users["logistics_planner"])

    assert '<span class="badge published">Published</span>' in page
    assert reverse("run_unpublish", args=[draft.pk]) in page
    assert reverse("run_publish", args=[draft.pk]) not in page


def test_a_published_plan_offers_no_moves_and_no_re_optimising_until_unpublished(client, role_users, draft):
    draft.published_at = timezone.now()
    draft.published_by = role_users["logistics_planner"]
    draft.save(update_fields=["published_at", "published_by"])

    page = _page(client, role_users["logistics_planner"])

    assert 'class="move"' not in page
    assert '<button type="submit" class="primary" disabled>Re-optimise (keeps locked stops)</button>' in page
    lock = r'<button type="submit" class="lock" aria-pressed="false" formaction="[^"]+" name="locked" value="1">Lock'
    assert re.search(lock, page)


def test_each_round_table_lists_its_stops_with_window_packs_and_controls(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)

    page = _page(client, role_users["logistics_planner"])

    assert f'id="round-{stop.round_id}"' in page
    assert stop.order.household.full_name in page
    line = stop.order.lines.get()
    assert f"{line.quantity} × {line.pack.name}" in page
    assert reverse("stop_lock", args=[stop.pk]) in page
    assert reverse("stop_move", args=[stop.pk]) in page


def test_a_manager_reads_the_board_but_every_action_is_disabled(client, role_users, draft):
    page = _page(client, role_users["manager"])

    forms = re.findall(r'<form method="post".*?</form>', _main(page), re.S)
    buttons = [button for form in forms for button in re.findall(r"<button[^>]*>", form)]
    assert len(buttons) == 1 + 1 + 3 * 3  # re-optimise, publish, and per stop: lock, up, down
    assert all(" disabled" in button for button in buttons)


def test_a_planner_gets_live_buttons(client, role_users, draft):
    page = _page(client, role_users["logistics_planner"])

    assert re.search(r'<button type="submit" class="primary">Publish</button>', page)


def test_the_readiness_lists_orders_short_of_stock_vans_and_drivers(client, role_users):
    short, _item, depot = approved_order(role_users, on_hand=1, per_pack=2)
    driver = role_users["driver"]
    driver.first_name, driver.last_name = "Marta", "Ruiz"
    driver.save(update_fields=["first_name", "last_name"])
    VehicleFactory(depot=depot, name="Furgoneta verde", driver=driver)

    page = _page(client, role_users["logistics_planner"])

    assert short.status == DeliveryOrder.Status.SHORT
    assert "Orders without their stock (1)" in page
    assert short.household.full_name in page
    assert "Vans available (1)" in page
    assert re.search(r"Furgoneta verde.*Marta Ruiz.*09:00–14:00", page, re.S)
    assert "Drivers working (1)" in page


def test_a_van_whose_driver_is_off_is_shown_staying_at_the_depot_with_why(client, role_users):
    driver = role_users["driver"]
    VehicleFactory(name="Furgoneta roja", driver=driver)
    DriverAbsence.objects.create(driver=driver, starts_on=tomorrow(), ends_on=tomorrow())

    page = _page(client, role_users["logistics_planner"])

    assert "Vans staying at the depot (1)" in page
    assert "driver is off that day and no other driver is free." in page
    assert "Vans available (0)" in page


def test_the_depot_choice_hides_other_depots_rounds(client, role_users, draft):
    north = WarehouseFactory(code="norte", name="Almacén norte", latitude="37.630000", longitude="-0.990000")

    data = _map_data(_page(client, role_users["logistics_planner"], depot=[north.pk]))

    assert data["rounds"] == []
    assert data["depots"] == [{"name": "Almacén norte", "point": [37.63, -0.99]}]


def test_an_unknown_depot_is_reported_and_every_depot_shown(client, role_users, draft):
    page = _page(client, role_users["logistics_planner"], depot="999999")

    assert "Select a valid choice. 999999 is not one of the available choices." in page
    assert [r["name"] for r in _map_data(page)["rounds"]] == ["Furgoneta A", "Furgoneta B"]


def test_a_run_in_progress_shows_the_bar_and_refreshes_without_javascript(client, role_users, draft):
    running = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], status=PlanningRun.Status.RUNNING, progress=40
    )

    page = _page(client, role_users["logistics_planner"])

    assert '<progress max="100" value="40"' in page
    assert reverse("planning_run_status", args=[running.pk]) in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert re.search(r'<button type="submit" class="primary" disabled>Publish</button>', page)


def test_each_round_has_one_form_for_its_stops_and_one_to_move_them(client, role_users, draft):
    page = _main(_page(client, role_users["logistics_planner"]))

    # Re-optimise and publish, then two a round, however many stops: not three forms a stop.
    assert page.count('<form method="post"') == 2 + 2 * 2
    assert page.count('name="csrfmiddlewaretoken"') == 2 + 2 * 2
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    move = reverse("stop_move", args=[stop.pk])
    assert f'formaction="{move}" name="position" value="1"' in page  # ↑
    assert f'formaction="{move}" name="position" value="3" disabled' in page  # ↓, the round's last stop
    assert f'form="round-{stop.round_id}-move" formaction="{move}">Move</button>' in page


def test_the_move_form_ignores_enter_in_its_position_box(client, role_users, draft):
    first = draft.rounds.get(vehicle__name="Furgoneta A")

    page = _page(client, role_users["logistics_planner"])

    # A form's first submit button answers Enter; a disabled one submits nothing, so no stop moves by accident.
    move_form = re.search(rf'<form method="post" id="round-{first.pk}-move" class="move">(.*?)</form>', page, re.S)
    assert re.findall(r"<button[^>]*>", move_form.group(1))[0] == '<button type="submit" disabled hidden>'


def test_the_board_reads_as_many_queries_for_more_stops(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])
    url = f"{reverse('planning')}?date={tomorrow().isoformat()}"
    client.get(url)  # warm: templates and translations loaded
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    first = draft.rounds.get(vehicle__name="Furgoneta A")
    for sequence in (3, 4):
        order = approved_order(role_users)[0]
        Stop.objects.create(round=first, order=order, sequence=sequence, arrival_at=_at(9, 40 + sequence))

    with CaptureQueriesContext(connection) as after:
        client.get(url)

    assert len(after.captured_queries) == len(before.captured_queries)
    assert len([q for q in after.captured_queries if q["sql"].startswith('SELECT "routing_stop"')]) == 1  # once


def _stops_added(round_: Round, count: int) -> None:
    """`count` more stops at the end of the round, each a new household's order of the round's first order's packs
    and a second pack: rows written in bulk, since only how many there are matters here."""
    model = round_.stops.order_by("sequence").first().order
    second_pack = PackFactory()
    households = Household.objects.bulk_create(
        [HouseholdFactory.build(zone=model.household.zone) for _ in range(count)]
    )
    orders = DeliveryOrder.objects.bulk_create(
        [
            DeliveryOrder(plan=model.plan, household=h, warehouse=model.warehouse, due_date=model.due_date)
            for h in households
        ]
    )
    packs = [(line.pack, line.quantity) for line in model.lines.all()] + [(second_pack, 2)]
    DeliveryOrderLine.objects.bulk_create(
        [DeliveryOrderLine(order=order, pack=pack, quantity=quantity) for order in orders for pack, quantity in packs]
    )
    last = round_.stops.count()
    Stop.objects.bulk_create(
        [
            Stop(round=round_, order=order, sequence=last + i, arrival_at=_at(10, i % 60))
            for i, order in enumerate(orders, start=1)
        ]
    )


def test_the_board_of_sixty_stops_reads_as_many_queries_as_the_board_of_six(client, role_users, draft):
    first, second = draft.rounds.order_by("vehicle__name")
    _stops_added(first, 2)
    _stops_added(second, 1)
    client.force_login(role_users["logistics_planner"])
    url = f"{reverse('planning')}?date={tomorrow().isoformat()}"
    client.get(url)  # warm: the session's first request, templates and translations
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    _stops_added(first, 30)
    _stops_added(second, 24)

    with CaptureQueriesContext(connection) as sixty:
        page = client.get(url).content.decode()

    assert Stop.objects.filter(round__run=draft).count() == 60
    assert len(sixty.captured_queries) == len(six.captured_queries) == BOARD_QUERIES
    assert page.count('name="locked"') == 60  # every stop's row, with its lock button
    stop_queries = [q["sql"] for q in sixty.captured_queries if 'FROM "routing_stop"' in q["sql"]]
    assert len([sql for sql in stop_queries if sql.startswith('SELECT "routing_stop"."id"')]) == 1


# A large day: rounds listed closed, opened one at a time


@pytest.fixture
def large(monkeypatch):
    """Two stops are a large day."""
    monkeypatch.setattr("routing.board_selectors.BOARD_OPEN_STOPS", 2)


def test_a_large_days_rounds_are_listed_closed_each_with_a_link_to_its_stops(client, role_users, draft, large):
    first, second = draft.rounds.order_by("vehicle__name")

    page = _page(client, role_users["logistics_planner"])

    assert "3 stops on the rounds shown: each round's stop list opens on its own." in page
    assert f'href="?date={tomorrow().isoformat()}&amp;round={first.pk}#round-{first.pk}">Show its 2 stops</a>' in page
    assert f'href="?date={tomorrow().isoformat()}&amp;round={second.pk}#round-{second.pk}">Show its 1 stop</a>' in page
    assert f'href="?date={tomorrow().isoformat()}&amp;round=all">' in page
    assert "/lock/" not in page
    assert 'class="move"' not in page
    # The map still draws every stop: board.js fetches them from the address the page gives it.
    assert 'id="board-map-data"' not in page
    map_url = re.search(r'id="board-map"[^>]* data-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert [len(r["stops"]) for r in client.get(map_url).json()["rounds"]] == [2, 1]


def test_a_large_days_round_header_still_shows_its_warnings(client, role_users, draft, large):
    Stop.objects.filter(round__vehicle__name="Furgoneta A", sequence=2).update(arrival_at=_at(14, 30))

    page = _page(client, role_users["logistics_planner"])

    assert "arrives at 14:30, after its window closes at 14:00." in page


def test_asking_for_a_round_opens_that_round_alone(client, role_users, draft, large):
    first, second = draft.rounds.order_by("vehicle__name")

    page = _page(client, role_users["logistics_planner"], round=str(second.pk))

    assert f'id="round-{second.pk}-stops"' in page
    assert f'id="round-{first.pk}-stops"' not in page
    assert f"round={first.pk}#round-{first.pk}" in page


def test_asking_for_every_round_opens_them_all(client, role_users, draft, large):
    first, second = draft.rounds.order_by("vehicle__name")

    page = _page(client, role_users["logistics_planner"], round="all")

    assert f'id="round-{first.pk}-stops"' in page
    assert f'id="round-{second.pk}-stops"' in page
    assert "each round's stop list opens on its own" not in page


def test_a_round_that_is_not_a_number_is_reported_and_the_rounds_stay_closed(client, role_users, draft, large):
    page = _page(client, role_users["logistics_planner"], round="first")

    assert "There is no round “first”: choose a round on the board." in page
    assert "-stops" not in page


def test_a_move_comes_back_with_both_rounds_open(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    second = draft.rounds.get(vehicle__name="Furgoneta B")
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": second.pk, "position": "1"})

    assert response.url == (
        f"{reverse('planning')}?date={tomorrow().isoformat()}&round={second.pk}&round={stop.round_id}#round-{second.pk}"
    )


# Plan the day


def test_planning_from_the_board_makes_a_draft_nobody_is_told_of(
    client, role_users, django_capture_on_commit_callbacks
):
    order, _item, depot = approved_order(role_users)
    VehicleFactory(depot=depot, driver=role_users["driver"])
    client.force_login(role_users["logistics_planner"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("planning"), {"date": tomorrow().isoformat()})

    run = PlanningRun.objects.get()
    assert (run.status, run.publish_when_done, run.published_at) == (PlanningRun.Status.DONE, False, None)
    order.refresh_from_db()
    assert order.status == DeliveryOrder.Status.RESERVED
    assert response.url == f"{reverse('planning')}?date={tomorrow().isoformat()}"
    assert '<span class="badge draft">Draft</span>' in client.get(response.url).content.decode()


def test_fitting_waiting_orders_into_a_published_plan_publishes_the_result(
    client, role_users, draft, django_capture_on_commit_callbacks
):
    client.force_login(role_users["logistics_planner"])
    client.post(reverse("run_publish", args=[draft.pk]))
    late, _item, _depot = approved_order(role_users, household=HouseholdFactory(latitude="37.606000"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning"), {"date": tomorrow().isoformat(), "insert": "1"})

    run = PlanningRun.objects.latest("created_at")
    assert (run.kind, run.status, run.publish_when_done) == (PlanningRun.Kind.INSERT, PlanningRun.Status.DONE, True)
    assert run.published_at is not None
    late.refresh_from_db()
    assert late.status == DeliveryOrder.Status.PLANNED


def test_a_manager_cannot_plan_from_the_board(client, role_users):
    VehicleFactory()
    client.force_login(role_users["manager"])

    client.post(reverse("planning"), {"date": tomorrow().isoformat()})

    assert PlanningRun.objects.count() == 0


# The progress endpoint


def test_the_status_endpoint_answers_the_runs_progress_in_json(client, role_users):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"], progress=30)
    client.force_login(role_users["manager"])

    response = client.get(reverse("planning_run_status", args=[run.pk]))

    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body == run_progress(run)
    assert (body["id"], body["status"], body["progress"], body["finished"]) == (run.pk, "queued", 30, False)


def test_the_status_of_a_missing_run_is_not_found(client, role_users):
    client.force_login(role_users["logistics_planner"])

    assert client.get(reverse("planning_run_status", args=[999999])).status_code == 404


# Cancel


def test_cancelling_a_queued_run_stops_it_and_returns_to_the_board(client, role_users):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning_run_cancel", args=[run.pk]))

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.CANCELLED
    assert response.url == f"{reverse('planning')}?date={tomorrow().isoformat()}"


def test_a_manager_may_not_cancel_a_run(client, role_users):
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    client.force_login(role_users["manager"])

    assert client.post(reverse("planning_run_cancel", args=[run.pk])).status_code == 403

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.QUEUED


def test_cancelling_a_finished_run_is_refused_with_a_message(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("planning_run_cancel", args=[draft.pk]))

    assert [level for level, _text in _said(response)] == ["error"]
    draft.refresh_from_db()
    assert draft.status == PlanningRun.Status.DONE


# Lock


def test_locking_a_stop_keeps_it_for_re_optimising(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_lock", args=[stop.pk]), {"locked": "1", "depot": [str(stop.round.depot_id)]})

    stop.refresh_from_db()
    assert stop.locked is True
    assert _said(response) == [("success", "Stop 2 of Furgoneta A locked: re-optimising keeps it there.")]
    assert response.url == (
        f"{reverse('planning')}?date={tomorrow().isoformat()}&depot={stop.round.depot_id}&round={stop.round_id}"
        f"#round-{stop.round_id}"
    )


def test_unlocking_a_stop(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    Stop.objects.filter(pk=stop.pk).update(locked=True)
    client.force_login(role_users["logistics_planner"])

    client.post(reverse("stop_lock", args=[stop.pk]), {"locked": "0"})

    stop.refresh_from_db()
    assert stop.locked is False


def test_a_manager_may_not_lock_a_stop(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    client.force_login(role_users["manager"])

    assert client.post(reverse("stop_lock", args=[stop.pk]), {"locked": "1"}).status_code == 403

    stop.refresh_from_db()
    assert stop.locked is False


def test_a_lock_value_that_is_neither_yes_nor_no_is_refused(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_lock", args=[stop.pk]), {"locked": "maybe"})

    assert _said(response) == [("error", "Say 1 to lock the stop or 0 to unlock it.")]
    stop.refresh_from_db()
    assert stop.locked is False


# Move and reorder


def test_moving_a_stop_up_swaps_it_with_the_one_before(client, role_users, draft):
    before = _sequence(draft)["Furgoneta A"]
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": stop.round_id, "position": "1"})

    assert _sequence(draft)["Furgoneta A"] == [before[1], before[0]]
    assert _said(response) == [("success", "Moved, no warnings.")]


def test_moving_a_stop_to_another_round_at_a_position(client, role_users, draft):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    staying = Stop.objects.get(round__vehicle__name="Furgoneta B").order_id
    second = draft.rounds.get(vehicle__name="Furgoneta B")
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": second.pk, "position": "1"})

    assert _sequence(draft)["Furgoneta B"] == [stop.order_id, staying]
    assert response.url.endswith(f"#round-{second.pk}")


def test_the_warnings_of_a_move_are_shown_as_warnings(client, role_users, draft, monkeypatch):
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=1)
    monkeypatch.setattr("routing.views.stop_move", lambda **kwargs: ["Arrives at 14:20, after its window (14:00)."])
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": stop.round_id, "position": "2"})

    assert _said(response) == [("warning", "Arrives at 14:20, after its window (14:00).")]


def test_a_manager_may_not_move_a_stop(client, role_users, draft):
    before = _sequence(draft)
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    client.force_login(role_users["manager"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": stop.round_id, "position": "1"})

    assert response.status_code == 403
    assert _sequence(draft) == before


@pytest.mark.parametrize(
    ("to_round", "position", "message"),
    [
        ("999999", "1", "There is no round “999999”: choose one of the rounds on the board."),
        ("abc", "1", "There is no round “abc”: choose one of the rounds on the board."),
        (None, "first", "The position must be a whole number: 1 is the first stop of the round."),
        (None, "0", "The position must be a whole number: 1 is the first stop of the round."),
        (None, "", "Give the position in the round: 1 is the first stop."),
    ],
)
def test_a_move_with_a_bad_round_or_position_changes_nothing(client, role_users, draft, to_round, position, message):
    before = _sequence(draft)
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    client.force_login(role_users["logistics_planner"])

    response = client.post(
        reverse("stop_move", args=[stop.pk]), {"to_round": to_round or stop.round_id, "position": position}
    )

    assert _said(response) == [("error", message)]
    assert _sequence(draft) == before


def test_a_move_the_service_refuses_is_reported_and_changes_nothing(client, role_users, draft):
    before = _sequence(draft)
    stop = Stop.objects.get(round__vehicle__name="Furgoneta A", sequence=2)
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("stop_move", args=[stop.pk]), {"to_round": stop.round_id, "position": "9"})

    assert [level for level, _text in _said(response)] == ["error"]
    assert _sequence(draft) == before


# Publish and unpublish


def test_publishing_a_draft_plans_its_orders(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("run_publish", args=[draft.pk]))

    draft.refresh_from_db()
    assert (draft.published_by, draft.published_at is not None) == (role_users["logistics_planner"], True)
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.PLANNED}
    assert _said(response) == [
        ("success", "Plan published: the orders are planned, and drivers and households are told.")
    ]


def test_a_manager_may_not_publish(client, role_users, draft):
    client.force_login(role_users["manager"])

    assert client.post(reverse("run_publish", args=[draft.pk])).status_code == 403

    draft.refresh_from_db()
    assert draft.published_at is None
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}


def test_publishing_twice_is_refused_with_a_message(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])
    client.post(reverse("run_publish", args=[draft.pk]), follow=True)  # the board reads its message
    draft.refresh_from_db()
    first = draft.published_at

    response = client.post(reverse("run_publish", args=[draft.pk]))

    assert [level for level, _text in _said(response)] == ["error"]
    draft.refresh_from_db()
    assert draft.published_at == first


def test_unpublishing_makes_the_plan_a_draft_again(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])
    client.post(reverse("run_publish", args=[draft.pk]), follow=True)  # the board reads its message

    response = client.post(reverse("run_unpublish", args=[draft.pk]))

    draft.refresh_from_db()
    assert draft.published_at is None
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}
    assert _said(response) == [("success", "Plan unpublished: it is a draft again and drivers no longer see it.")]


def test_a_manager_may_not_unpublish(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])
    client.post(reverse("run_publish", args=[draft.pk]), follow=True)  # the board reads its message
    client.force_login(role_users["manager"])

    assert client.post(reverse("run_unpublish", args=[draft.pk])).status_code == 403

    draft.refresh_from_db()
    assert draft.published_at is not None


def test_unpublishing_a_draft_is_refused_with_a_message(client, role_users, draft):
    client.force_login(role_users["logistics_planner"])

    response = client.post(reverse("run_unpublish", args=[draft.pk]))

    assert [level for level, _text in _said(response)] == ["error"]
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}


def test_the_action_endpoints_refuse_get(client, role_users, draft):
    stop = Stop.objects.first()
    client.force_login(role_users["logistics_planner"])

    for url in (
        reverse("run_publish", args=[draft.pk]),
        reverse("run_unpublish", args=[draft.pk]),
        reverse("planning_run_cancel", args=[draft.pk]),
        reverse("stop_lock", args=[stop.pk]),
        reverse("stop_move", args=[stop.pk]),
    ):
        assert client.get(url).status_code == 405
