"""A planner moves an order to another day and then cancels it, on the order's change page in a real browser: the
order, its history and what the page says agree after each step."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder
from tests.browser.chromium import DESKTOP
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(driver, action: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"form[action$='/{action}/'] button[type=submit]").click()


def test_a_planner_reschedules_then_cancels_an_order_on_its_page(browser, live_server, role_users):
    order, *_ = approved_order(role_users)
    later = tomorrow() + dt.timedelta(days=2)
    driver = browser(DESKTOP)
    sign_in(driver, live_server.url, "logistics_planner")
    driver.get(f"{live_server.url}/orders/{order.pk}/change/")

    # A date field is typed in the browser's own format; the value is what the form posts.
    day = driver.find_element(By.CSS_SELECTOR, "form[action$='/reschedule/'] input[name=due_date]")
    driver.execute_script("arguments[0].value = arguments[1]", day, later.isoformat())
    _submit(driver, "reschedule")

    wait_for(driver, lambda d: DeliveryOrder.objects.get(pk=order.pk).due_date == later)
    wait_for(driver, lambda d: later.strftime("%d/%m/%Y") in d.find_element(By.TAG_NAME, "main").text)

    Select(driver.find_element(By.CSS_SELECTOR, "form[action$='/cancel/'] select[name=reason]")).select_by_index(1)
    _submit(driver, "cancel")

    wait_for(driver, lambda d: DeliveryOrder.objects.get(pk=order.pk).status == DeliveryOrder.Status.CANCELLED)
    wait_for(driver, lambda d: "This order can no longer change." in d.find_element(By.TAG_NAME, "main").text)
    assert order.history.count() >= 3  # approved, moved, cancelled: each step written down
