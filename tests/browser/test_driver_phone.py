"""A driver on a phone-sized screen starts the round, delivers one stop, and records a failure while offline."""

import time

import pytest
from PIL import Image
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import DriverAction, Stop
from delivery.views_driver import PHOTO_MAX_PIXELS
from inventory.models import Reservation
from inventory.reservations import InsufficientStock
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.chromium import PHONE, network_offline
from tests.browser.conftest import sign_in, wait_for
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


def _not_home(driver, stop) -> None:
    """Record "nobody at home" as a driver does: open the reasons, choose one, confirm (one tap never records it)."""
    card = _stop(driver, stop)
    card.find_element(By.CSS_SELECTOR, "details.failed-reasons summary").click()
    card.find_element(By.XPATH, ".//button[normalize-space()='Nobody at home']").click()
    alert = driver.switch_to.alert
    assert "Nobody at home" in alert.text
    alert.accept()


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
    _not_home(driver, second)
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


def test_a_refused_delivery_is_shown_on_its_card_and_leaves_the_queue(browser, live_server, role_users, monkeypatch):
    first, second = _published_round_of_two(role_users)

    def stock_gone(*, actor, order, on):
        raise InsufficientStock({Reservation.objects.filter(order=order).first().item: (2, 0)})

    monkeypatch.setattr("delivery.services.order_dispatch_stock", stock_gone)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")

    _stop(driver, first).find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()
    message = _stop(driver, first).find_element(By.CSS_SELECTOR, "[data-stop-message]")
    wait_for(driver, lambda d: "call the depot" in message.text)
    _not_home(driver, second)

    # The refusal did not hold back the next action, and nothing is left to send again.
    assert _recorded(second, Stop.Outcome.FAILED)
    wait_for(driver, lambda d: not d.find_element(By.ID, "driver-queue").is_displayed())
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert list(DriverAction.objects.order_by("pk").values_list("code", flat=True)) == ["insufficient_stock", ""]


def test_a_batch_the_server_cannot_take_whole_is_sent_one_action_at_a_time(
    browser, live_server, role_users, monkeypatch
):
    first, second = _published_round_of_two(role_users)
    monkeypatch.setattr("delivery.views_driver.SYNC_MAX_ACTIONS", 1)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")

    network_offline(driver, True)
    for stop in (first, second):
        _not_home(driver, stop)
    banner = driver.find_element(By.ID, "driver-queue")
    wait_for(driver, lambda d: "2 actions waiting" in banner.text)
    network_offline(driver, False)

    assert _recorded(first, Stop.Outcome.FAILED)
    assert _recorded(second, Stop.Outcome.FAILED)
    wait_for(driver, lambda d: not banner.is_displayed())
    assert DriverAction.objects.filter(accepted=True).count() == 2


def test_an_action_the_server_cannot_take_at_all_is_shown_and_dropped(browser, live_server, role_users, monkeypatch):
    first, _second = _published_round_of_two(role_users)
    monkeypatch.setattr("delivery.views_driver.SYNC_MAX_ACTIONS", 0)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")

    _not_home(driver, first)

    message = _stop(driver, first).find_element(By.CSS_SELECTOR, "[data-stop-message]")
    wait_for(driver, lambda d: "At most 0 actions at a time" in message.text)
    wait_for(driver, lambda d: not d.find_element(By.ID, "driver-queue").is_displayed())
    first.refresh_from_db()
    assert first.outcome == Stop.Outcome.PENDING
    assert DriverAction.objects.count() == 0


def test_a_delivery_carries_the_drawn_signature_and_the_shrunk_photo(
    browser, live_server, role_users, settings, tmp_path
):
    first, _second = _published_round_of_two(role_users)
    settings.PROOF_MAX_BYTES = 300 * 1024
    picture = tmp_path / "door.png"
    Image.new("RGB", (3000, 2000), (200, 120, 40)).save(picture)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")

    card = _stop(driver, first)
    card.find_element(By.CSS_SELECTOR, "details.proof summary").click()
    canvas = card.find_element(By.CSS_SELECTOR, "[data-signature] canvas")
    ActionChains(driver).move_to_element(canvas).click_and_hold().move_by_offset(60, 20).move_by_offset(
        40, -30
    ).release().perform()
    card.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(picture))
    preview = card.find_element(By.CSS_SELECTOR, "img.photo-preview")
    wait_for(driver, lambda d: preview.is_displayed())
    card.find_element(By.XPATH, ".//button[normalize-space()='Delivered']").click()

    assert _recorded(first, Stop.Outcome.DELIVERED)
    assert first.signature.read(8) == b"\x89PNG\r\n\x1a\n"
    with Image.open(first.photo) as photo:
        # The page shrinks a phone photo to photo_max_pixels on its longer side before queueing it.
        assert (photo.format, max(photo.size)) == ("JPEG", PHOTO_MAX_PIXELS)
