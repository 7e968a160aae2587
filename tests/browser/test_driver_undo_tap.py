"""A wrong tap on the driver's phone is taken back before anything leaves it: Delivered and Not delivered wait a
few seconds on the phone with an Undo button, offline as well as online, and a page reloaded meanwhile still
offers the undo (or sends the tap once its time is over)."""

import time

import pytest
from selenium.webdriver.common.by import By

from delivery.models import DriverAction, Stop
from tests.browser.chromium import network_offline
from tests.browser.conftest import wait_for
from tests.browser.driver_phone import card, phone, published_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stops(role_users) -> list[Stop]:
    return published_round(role_users, 2)


def _not_home(driver, stop: Stop) -> None:
    shown = card(driver, stop)
    shown.find_element(By.CSS_SELECTOR, "details.failed-reasons summary").click()
    shown.find_element(By.XPATH, ".//button[normalize-space()='Nobody at home']").click()
    driver.switch_to.alert.accept()


def _undo_buttons(driver, stop: Stop) -> list:
    return card(driver, stop).find_elements(By.CSS_SELECTOR, ".undo-tap button")


def test_an_offline_failure_undone_at_once_never_reaches_the_server(browser, live_server, role_users, stops, settings):
    first, _second = stops
    driver = phone(browser, live_server, settings, seconds=30)
    network_offline(driver, True)

    _not_home(driver, first)
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "1 action: saving in a few seconds" in banner.text)  # held, not yet queued
    _undo_buttons(driver, first)[0].click()

    wait_for(driver, lambda d: card(d, first).find_element(By.CSS_SELECTOR, ".pending-only").is_displayed())
    assert _undo_buttons(driver, first) == []
    network_offline(driver, False)
    driver.execute_script("window.dispatchEvent(new Event('online'))")
    wait_for(driver, lambda d: not banner.is_displayed())
    assert (
        driver.execute_script(f"return localStorage.getItem('reparto.driver.held.{role_users['driver'].pk}')") == "[]"
    )
    time.sleep(1)
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.count() == 0


def test_a_delivery_not_undone_is_sent_once_its_seconds_are_over(browser, live_server, role_users, stops, settings):
    first, _second = stops
    driver = phone(browser, live_server, settings, seconds=2)

    card(driver, first).find_element(By.NAME, "received_by").send_keys("Carmen")
    card(driver, first).find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()
    assert len(_undo_buttons(driver, first)) == 1
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING  # held on the phone for now

    wait_for(driver, lambda d: Stop.objects.get(pk=first.pk).outcome == Stop.Outcome.DELIVERED)
    wait_for(driver, lambda d: _undo_buttons(d, first) == [])
    assert Stop.objects.get(pk=first.pk).received_by == "Carmen"
    assert DriverAction.objects.filter(accepted=True).count() == 1


def test_a_page_reloaded_within_the_seconds_still_offers_the_undo(browser, live_server, role_users, stops, settings):
    first, _second = stops
    driver = phone(browser, live_server, settings, seconds=30)

    _not_home(driver, first)
    driver.get(f"{live_server.url}/driver/")

    wait_for(driver, lambda d: len(_undo_buttons(d, first)) == 1)
    _undo_buttons(driver, first)[0].click()
    wait_for(driver, lambda d: card(d, first).find_element(By.CSS_SELECTOR, ".pending-only").is_displayed())
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.count() == 0
