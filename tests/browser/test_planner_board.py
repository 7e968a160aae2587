"""A planner plans tomorrow on the board, moves a stop to the other van and publishes the plan."""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from core.tests.factories import tomorrow
from delivery.manifests import arrival_window
from delivery.models import Round, Stop
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Notification
from routing.models import PlanningRun
from tests.browser.conftest import sign_in, wait_for
from tests.scenarios import approved_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _said(driver, text: str) -> bool:
    """Whether the page says `text`; False while the page is being replaced after a form was sent."""
    try:
        return text in driver.find_element(By.TAG_NAME, "main").text
    except StaleElementReferenceException:
        return False


def _button(driver, text: str):
    return driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


def test_a_planner_plans_moves_a_stop_and_publishes(browser, live_server, role_users):
    orders = [approved_order(role_users)[0] for _ in range(3)]
    depot = orders[0].warehouse
    # Two packs a van: three orders need both vans.
    vans = [VehicleFactory(depot=depot, driver=role_users["driver"], capacity_packs=2)]
    vans.append(VehicleFactory(depot=depot, capacity_packs=2))
    driver = browser()
    sign_in(driver, live_server.url, "logistics_planner")
    driver.get(f"{live_server.url}/planning/?date={tomorrow().isoformat()}")

    _button(driver, "Plan the day").click()
    wait_for(driver, lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Publish']"))
    run = PlanningRun.objects.get()
    assert (run.status, run.published_at) == (PlanningRun.Status.DONE, None)
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.RESERVED}
    full, other = sorted(Round.objects.filter(run=run), key=lambda r: -r.stops.count())
    assert (full.stops.count(), other.stops.count()) == (2, 1)

    # Move the full van's last stop to the front of the other van: the round's move form says where to, the
    # stop's row says which stop.
    moving = full.stops.order_by("sequence").last()
    form = driver.find_element(By.CSS_SELECTOR, f"#round-{full.pk} form.move")
    Select(form.find_element(By.NAME, "to_round")).select_by_value(str(other.pk))
    position = form.find_element(By.NAME, "position")
    position.clear()
    position.send_keys("1")
    row = driver.find_element(By.CSS_SELECTOR, f"#round-{full.pk} tbody tr:last-child")
    row.find_element(By.XPATH, ".//button[normalize-space()='Move']").click()
    wait_for(driver, lambda d: _said(d, "Moved"))
    moving.refresh_from_db()
    assert (moving.round_id, moving.sequence) == (other.pk, 1)
    assert list(other.stops.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]

    _button(driver, "Publish").click()
    wait_for(driver, EC.alert_is_present()).accept()  # "Publish this plan? …"
    wait_for(driver, lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Unpublish']"))
    run.refresh_from_db()
    assert run.published_at is not None
    assert set(DeliveryOrder.objects.values_list("status", flat=True)) == {DeliveryOrder.Status.PLANNED}
    told = Notification.objects.filter(event=Notification.Event.SCHEDULED)
    assert told.count() == 3
    # The household that moved is told the window of its new place on the other van, as the route sheet shows it.
    start, end = arrival_window(Stop.objects.select_related("order__household").get(pk=moving.pk))
    assert f"{start:%H:%M}–{end:%H:%M}" in told.get(request=moving.order.plan.request).body


def test_a_planner_moves_a_stop_up_and_enter_in_the_move_box_moves_nothing(browser, live_server, role_users):
    orders = [approved_order(role_users)[0] for _ in range(2)]
    van = VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(
        date=tomorrow(), requested_by=role_users["logistics_planner"], status=PlanningRun.Status.DONE, progress=100
    )
    at = timezone.make_aware(dt.datetime.combine(tomorrow(), dt.time(9)))
    round_ = Round.objects.create(
        run=run, date=tomorrow(), vehicle=van, driver=van.driver, depot=van.depot, start_at=at, end_at=at, distance_m=0
    )
    first, second = (
        Stop.objects.create(round=round_, order=order, sequence=n, arrival_at=at) for n, order in enumerate(orders, 1)
    )
    driver = browser()
    sign_in(driver, live_server.url, "logistics_planner")
    driver.get(f"{live_server.url}/planning/?date={tomorrow().isoformat()}")

    # Enter in the position box of the round's move form: its default button is disabled, nothing is sent.
    position = driver.find_element(By.CSS_SELECTOR, f"#round-{round_.pk} form.move input[name=position]")
    position.clear()
    position.send_keys("2", Keys.ENTER)
    assert list(round_.stops.order_by("sequence").values_list("pk", flat=True)) == [first.pk, second.pk]

    # ↑ on the second stop sends the round's form to that stop's address, one place up.
    row = driver.find_element(By.CSS_SELECTOR, f"#round-{round_.pk} tbody tr:last-child")
    row.find_element(By.CSS_SELECTOR, "button[aria-label='Move up']").click()
    wait_for(driver, lambda d: _said(d, "Moved"))
    assert list(round_.stops.order_by("sequence").values_list("pk", flat=True)) == [second.pk, first.pk]
