"""A pharmacy pickup on the driver's phone without signal: the name of who handed the medication over is required,
the tap is kept on the phone, the home card says the medication is in the van, and once the signal is back the
pickup and then the home delivery reach the server in that order (issue 16, item 2)."""

import pytest
from selenium.webdriver.common.by import By

from delivery.models import DriverAction, Stop
from delivery.tests.pharmacy_world import medication_round
from tests.browser.chromium import PHONE, network_offline
from tests.browser.conftest import sign_in, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _card(driver, stop: Stop):
    return driver.find_element(By.CSS_SELECTOR, f"li.stop[data-stop='{stop.pk}']")


def test_an_offline_pickup_then_delivery_reach_the_server_in_order(browser, live_server, role_users, settings):
    settings.DRIVER_TAP_UNDO_S = 0
    pickup, home = medication_round(role_users)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")
    network_offline(driver, True)

    pickup_card = _card(driver, pickup)
    pickup_card.find_element(By.XPATH, ".//button[normalize-space()='Picked up']").click()
    # Without a name nothing is kept: the browser's own check stops the form before the phone's queue sees it.
    queue_key = f"reparto.driver.queue.{role_users['driver'].pk}"
    assert driver.execute_script("return localStorage.getItem(arguments[0])", queue_key) in (None, "[]")
    pickup_card.find_element(By.NAME, "handed_over_by").send_keys("Marta Ros")
    pickup_card.find_element(By.XPATH, ".//button[normalize-space()='Picked up']").click()

    note = _card(driver, home).find_element(By.CSS_SELECTOR, ".note.medication")
    wait_for(driver, lambda d: note.text == "Medication picked up: hand it over here.")
    assert "Picked up" in pickup_card.find_element(By.CSS_SELECTOR, "[data-outcome-text]").text
    _card(driver, home).find_element(By.NAME, "received_by").send_keys("Rosa")
    _card(driver, home).find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "2 actions waiting" in banner.text)
    assert DriverAction.objects.count() == 0

    network_offline(driver, False)
    driver.execute_script("window.dispatchEvent(new Event('online'))")

    wait_for(driver, lambda d: Stop.objects.get(pk=home.pk).outcome == Stop.Outcome.DELIVERED)
    pickup.refresh_from_db()
    home.refresh_from_db()
    assert (pickup.outcome, pickup.handed_over_by) == (Stop.Outcome.DELIVERED, "Marta Ros")
    assert home.received_by == "Rosa"
    assert list(DriverAction.objects.order_by("received_at").values_list("kind", "accepted")) == [
        ("picked_up", True),
        ("delivered", True),
    ]
