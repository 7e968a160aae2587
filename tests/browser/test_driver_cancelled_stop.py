"""A driver's phone that was offline when an order was cancelled drops its stop at the next sync: with a tap
waiting to go, and with nothing to send at all, as soon as the signal is back."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.changes import order_call_off
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.chromium import PHONE, network_offline
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round_of_two(role_users) -> list[Stop]:
    orders = [approved_order(role_users)[0] for _ in range(2)]
    VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)  # publishes: the driver sees it
    return list(Stop.objects.order_by("sequence"))


def _shown(driver) -> set[int]:
    # Read in one script: the list is drawn again when a sync answers, and an element found before that goes stale.
    stops = driver.execute_script("return [...document.querySelectorAll('li.stop')].map(item => item.dataset.stop)")
    return {int(stop) for stop in stops}


def _phone_with_round(browser, live_server, stops):
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")
    wait_for(driver, lambda d: _shown(d) == {stop.pk for stop in stops})
    # The page asks the server once on load which stops were taken off; let that answer arrive before the test
    # writes, or the server's read and the test's write meet in SQLite's shared in-memory database ("table locked").
    sync = reverse("driver_sync")
    script = f"return performance.getEntriesByType('resource').some(entry => entry.name.includes('{sync}'))"
    wait_for(driver, lambda d: d.execute_script(script))
    return driver


def test_the_cancelled_stop_goes_with_the_next_batch_the_phone_sends(browser, live_server, role_users):
    first, second = _round_of_two(role_users)
    driver = _phone_with_round(browser, live_server, [first, second])

    network_offline(driver, True)
    order_call_off(actor=role_users["logistics_planner"], order=first.order, reason="household_request")
    driver.find_element(By.CSS_SELECTOR, "button.start-round").click()  # queued: no signal
    wait_for(driver, lambda d: "1 action waiting" in d.find_element(By.ID, "driver-queue").text)
    assert _shown(driver) == {first.pk, second.pk}  # the phone cannot know yet

    network_offline(driver, False)

    wait_for(driver, lambda d: _shown(d) == {second.pk})
    assert "taken off" in driver.find_element(By.TAG_NAME, "body").text.lower()


def test_with_nothing_to_send_the_phone_asks_as_soon_as_the_signal_is_back(browser, live_server, role_users):
    first, second = _round_of_two(role_users)
    driver = _phone_with_round(browser, live_server, [first, second])

    network_offline(driver, True)
    order_call_off(actor=role_users["logistics_planner"], order=second.order, reason="household_away")
    network_offline(driver, False)

    # Well within the minute the phone otherwise waits between two questions.
    wait_for(driver, lambda d: _shown(d) == {first.pk}, timeout=15)
