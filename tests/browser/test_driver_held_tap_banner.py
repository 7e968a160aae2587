"""The driver's banner tells a tap held for its undo from an action waiting for signal, and a card the page jumps
to keeps its stop number clear of the sticky banner."""

import pytest
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.chromium import PHONE, network_offline
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stops(role_users) -> list[Stop]:
    orders = [approved_order(role_users)[0] for _ in range(3)]
    VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)  # publishes: the driver sees it
    return list(Stop.objects.order_by("sequence"))


def _phone(browser, live_server, settings, seconds: int):
    settings.DRIVER_TAP_UNDO_S = seconds
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")
    return driver


def _card(driver, stop: Stop):
    return driver.find_element(By.CSS_SELECTOR, f"li.stop[data-stop='{stop.pk}']")


def _deliver(driver, stop: Stop) -> None:
    _card(driver, stop).find_element(By.NAME, "received_by").send_keys("Carmen")
    _card(driver, stop).find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()


def test_a_tap_held_online_reads_as_saving_not_as_waiting_for_signal(browser, live_server, stops, settings):
    driver = _phone(browser, live_server, settings, seconds=30)

    _deliver(driver, stops[0])

    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: banner.is_displayed())
    assert banner.text == "1 action: saving in a few seconds…"
    outcome = _card(driver, stops[0]).find_element(By.CSS_SELECTOR, "[data-outcome-text]").text
    assert outcome == "Delivered · saving in a few seconds…"


def test_a_held_tap_waits_for_signal_once_its_seconds_are_over_offline(browser, live_server, stops, settings):
    driver = _phone(browser, live_server, settings, seconds=2)
    network_offline(driver, True)

    _deliver(driver, stops[0])
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "1 action: saving in a few seconds…" in banner.text)
    assert "waiting for signal" not in banner.text

    wait_for(driver, lambda d: banner.text.startswith("1 action waiting for signal · No signal"))
    assert "saving" not in banner.text
    outcome = _card(driver, stops[0]).find_element(By.CSS_SELECTOR, "[data-outcome-text]").text
    assert outcome == "Delivered · waiting for signal"


def test_a_card_jumped_to_shows_its_stop_number_below_the_banner(browser, live_server, stops, settings):
    driver = _phone(browser, live_server, settings, seconds=30)
    network_offline(driver, True)  # the longest banner: held tap and the no-signal sentence
    _deliver(driver, stops[0])
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: banner.is_displayed())

    driver.execute_script(f"location.hash = 'stop-{stops[1].pk}'")

    number = _card(driver, stops[1]).find_element(By.CSS_SELECTOR, ".seq")
    banner_box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", banner)
    number_box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", number)
    assert driver.execute_script("return window.scrollY") > 0
    assert banner_box["top"] == 0  # stuck at the top of the screen
    assert number_box["top"] >= banner_box["bottom"]
