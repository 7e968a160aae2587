"""The manager opens the figures for the day that was just delivered and reads them on the page."""

import pytest
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Stop
from delivery.services import stop_mark_delivered, stop_mark_failed
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _figure(driver, label: str) -> str:
    term = driver.find_element(By.XPATH, f"//dl[@class='figures']//dt[normalize-space()='{label}']")
    return term.find_element(By.XPATH, "following-sibling::dd").text.strip()


def test_the_managers_page_shows_the_days_deliveries_and_failures(browser, live_server, role_users):
    orders = [approved_order(role_users)[0] for _ in range(2)]
    for order in orders:
        VehicleFactory(depot=order.warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    first, second = (Stop.objects.get(order=order) for order in orders)
    stop_mark_delivered(actor=role_users["driver"], stop=first, received_by="Ana")
    stop_mark_failed(actor=role_users["driver"], stop=second, reason=Stop.FailureReason.NOT_HOME)

    driver = browser()
    sign_in(driver, live_server.url, "manager")
    day = tomorrow().isoformat()
    driver.get(f"{live_server.url}/figures/?first={day}&last={day}")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "dl.figures"))

    assert _figure(driver, "Deliveries") == "1"
    assert _figure(driver, "Failure rate") == "50.0 %"
    assert _figure(driver, "Households served") == "1"
    reasons = driver.find_element(By.XPATH, "//table[.//th[contains(., 'Reason')]]").text
    assert "Nobody at home" in reasons


def test_a_driver_cannot_open_the_managers_figures(browser, live_server, role_users):
    driver = browser()
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/figures/")
    assert "403" in driver.find_element(By.TAG_NAME, "h1").text
    assert not driver.find_elements(By.CSS_SELECTOR, "dl.figures")
