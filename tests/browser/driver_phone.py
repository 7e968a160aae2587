"""A published round of the driver's and the driver's phone on it, shared by the phone's browser tests."""

from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.chromium import PHONE
from tests.browser.conftest import sign_in
from tests.scenarios import approved_order


def published_round(role_users, orders: int) -> list[Stop]:
    """`orders` orders planned tomorrow on the driver's van and published (the driver sees them), in order."""
    approved = [approved_order(role_users)[0] for _ in range(orders)]
    VehicleFactory(depot=approved[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)  # publishes: the driver sees it
    return list(Stop.objects.order_by("sequence"))


def phone(browser, live_server, settings, seconds: int):
    """The driver's phone on its round, a tap held `seconds` for its undo."""
    settings.DRIVER_TAP_UNDO_S = seconds
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")
    return driver


def card(driver, stop: Stop):
    return driver.find_element(By.CSS_SELECTOR, f"li.stop[data-stop='{stop.pk}']")
