"""A driver on a phone-sized screen starts the round, delivers one stop, and records a failure while offline."""

import time

import pytest
from selenium.webdriver.common.by import By

from logistics.models import DeliveryOrder
from routing.models import DriverAction, PlanningRun, Stop
from routing.services import planning_run_execute
from tests.browser.chromium import PHONE, network_offline
from tests.browser.conftest import sign_in, wait_for
from tests.factories import VehicleFactory, tomorrow
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _published_round_of_two(role_users) -> list[Stop]:
    orders = [approved_order(role_users)[0] for _ in range(2)]
    VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)  # publishes: the driver sees it
    return list(Stop.objects.order_by("sequence"))


def _stop(driver, stop: Stop):
    return driver.find_element(By.CSS_SELECTOR, f"li.stop[data-stop='{stop.pk}']")


def _recorded(stop: Stop, outcome: str, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stop.refresh_from_db()
        if stop.outcome == outcome:
            return True
        time.sleep(0.2)
    return False


def test_a_driver_closes_a_round_on_the_phone_with_an_offline_moment(browser, live_server, role_users):
    first, second = _published_round_of_two(role_users)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")

    driver.find_element(By.CSS_SELECTOR, "button.start-round").click()
    wait_for(driver, lambda d: DeliveryOrder.objects.filter(status=DeliveryOrder.Status.OUT_FOR_DELIVERY).count() == 2)

    card = _stop(driver, first)
    card.find_element(By.NAME, "received_by").send_keys("Carmen")
    card.find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()
    assert _recorded(first, Stop.Outcome.DELIVERED)
    assert first.received_by == "Carmen"

    # The signal drops at the second door: the failure waits on the phone, then goes when the signal is back.
    network_offline(driver, True)
    _stop(driver, second).find_element(By.XPATH, ".//button[normalize-space()='Nobody at home']").click()
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "1 action waiting" in banner.text)
    time.sleep(1)
    second.refresh_from_db()
    assert second.outcome == Stop.Outcome.PENDING  # nothing reached the server yet

    network_offline(driver, False)
    assert _recorded(second, Stop.Outcome.FAILED)
    assert second.failure_reason == Stop.FailureReason.NOT_HOME
    wait_for(driver, lambda d: not banner.is_displayed())
    # Each tap was recorded once, under its key, however many times the phone tried to send it.
    assert DriverAction.objects.filter(accepted=True).count() == 3
    assert DeliveryOrder.objects.get(pk=second.order_id).status == DeliveryOrder.Status.RESCHEDULED
