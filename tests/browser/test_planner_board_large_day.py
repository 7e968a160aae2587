"""On a large day the board lists its rounds closed: a planner opens one in place (its table fetched by board.js),
locks a stop from it, and the map is drawn from data fetched apart from the page."""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Round, Stop
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_opens_a_round_in_place_and_locks_a_stop(browser, live_server, role_users, monkeypatch):
    monkeypatch.setattr("routing.board_selectors.BOARD_OPEN_STOPS", 2)  # three stops make a large day
    orders = [approved_order(role_users)[0] for _ in range(3)]
    van = VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], status=PlanningRun.Status.DONE, progress=100
    )
    at = timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(9)))
    round_ = Round.objects.create(
        run=run, date=tomorrow(), vehicle=van, driver=van.driver, depot=van.depot, start_at=at, end_at=at, distance_m=0
    )
    stops = [
        Stop.objects.create(round=round_, order=order, sequence=n, arrival_at=at) for n, order in enumerate(orders, 1)
    ]
    driver = browser()
    sign_in(driver, live_server.url, "logistics_planner")
    board = f"{live_server.url}/planning/?date={tomorrow().isoformat()}"
    driver.get(board)

    # The map's stops come from their own address once the page is drawn.
    wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#board-map .map-stop")) == 3)
    assert not driver.find_elements(By.ID, "board-map-data")
    assert not driver.find_elements(By.CSS_SELECTOR, f"#round-{round_.pk}-stops")

    driver.find_element(By.XPATH, "//a[normalize-space()='Show its 3 stops']").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#round-{round_.pk}-stops tbody tr"))
    assert driver.current_url == board  # opened in place: no new page
    assert len(driver.find_elements(By.CSS_SELECTOR, f"#round-{round_.pk}-stops tbody tr")) == 3

    row = driver.find_element(By.CSS_SELECTOR, f"#round-{round_.pk}-stops tbody tr:nth-child(2)")
    row.find_element(By.XPATH, ".//button[normalize-space()='Lock']").click()
    wait_for(driver, lambda d: f"round={round_.pk}" in d.current_url)
    stops[1].refresh_from_db()
    assert stops[1].locked
    # Back on the board with that round open, as the server lists it.
    assert driver.find_elements(By.CSS_SELECTOR, f"#round-{round_.pk}-stops tbody tr.locked")
