"""The driver's banner tells a tap held for its undo from an action waiting for signal, and a card the page jumps
to keeps its stop number clear of the sticky banner."""

import pytest
from selenium.webdriver.common.by import By

from delivery.models import Stop
from tests.browser.chromium import network_offline
from tests.browser.conftest import wait_for
from tests.browser.driver_phone import card, phone, published_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stops(role_users) -> list[Stop]:
    return published_round(role_users, 3)


def _deliver(driver, stop: Stop) -> None:
    card(driver, stop).find_element(By.NAME, "received_by").send_keys("Carmen")
    card(driver, stop).find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()


def test_a_tap_held_online_reads_as_saving_not_as_waiting_for_signal(browser, live_server, stops, settings):
    driver = phone(browser, live_server, settings, seconds=30)

    _deliver(driver, stops[0])

    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: banner.is_displayed())
    assert banner.text == "1 action: saving in a few seconds…"
    outcome = card(driver, stops[0]).find_element(By.CSS_SELECTOR, "[data-outcome-text]").text
    assert outcome == "Delivered · saving in a few seconds…"


def test_a_held_tap_waits_for_signal_once_its_seconds_are_over_offline(browser, live_server, stops, settings):
    driver = phone(browser, live_server, settings, seconds=2)
    network_offline(driver, True)

    _deliver(driver, stops[0])
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "1 action: saving in a few seconds…" in banner.text)
    assert "waiting for signal" not in banner.text

    wait_for(driver, lambda d: banner.text.startswith("1 action waiting for signal · No signal"))
    assert "saving" not in banner.text
    outcome = card(driver, stops[0]).find_element(By.CSS_SELECTOR, "[data-outcome-text]").text
    assert outcome == "Delivered · waiting for signal"


def test_a_card_jumped_to_shows_its_stop_number_below_the_banner(browser, live_server, stops, settings):
    driver = phone(browser, live_server, settings, seconds=30)
    network_offline(driver, True)  # the longest banner: held tap and the no-signal sentence
    _deliver(driver, stops[0])
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: banner.is_displayed())

    driver.execute_script(f"location.hash = 'stop-{stops[1].pk}'")

    number = card(driver, stops[1]).find_element(By.CSS_SELECTOR, ".seq")
    banner_box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", banner)
    number_box = driver.execute_script("return arguments[0].getBoundingClientRect().toJSON()", number)
    assert driver.execute_script("return window.scrollY") > 0
    assert banner_box["top"] == 0  # stuck at the top of the screen
    assert number_box["top"] >= banner_box["bottom"]
