"""The live day on the board: a planner sees the vans under way on the map, at their drivers' last shared position,
and moves a stop by dragging its row; a driver agrees to share the van's position on the phone."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from core.tests.factories import tomorrow
from delivery.models import Round, Stop, VanPosition
from routing.tests.board_world import two_van_draft
from routing.tests.live_day_world import fix, live_day, on_the_day
from tests.browser.chromium import PHONE, full_page_png
from tests.browser.conftest import sign_in, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep what the browser saw (for looking at the pages by eye).
SHOTS = os.environ.get("LIVE_DAY_SHOTS", "")


def _shot(driver, name: str) -> None:
    if SHOTS:
        with open(os.path.join(SHOTS, f"{name}.png"), "wb") as file:
            file.write(full_page_png(driver))


# HTML5 drag and drop is not driven by Selenium's actions in Chromium: the events are sent as a person's drag sends
# them, with one DataTransfer carried from the start to the drop.
DRAG = """
const [from, to] = arguments;
const data = new DataTransfer();
const send = (node, type) =>
  node.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
send(from, "dragstart");
send(to, "dragover");
send(to, "drop");
send(from, "dragend");
"""


def test_the_board_shows_each_van_under_way_at_its_last_position(browser, live_server, role_users):
    day = live_day(role_users)
    fix(day["first"], at=timezone.now() - dt.timedelta(minutes=3), latitude=37.611, longitude=-0.978)
    fix(day["second"], at=timezone.now() - dt.timedelta(minutes=40), latitude=37.600, longitude=-0.990)
    later = Stop.objects.filter(round=day["first"]).order_by("sequence").last()
    Stop.objects.filter(pk=later.pk).update(expected_at=on_the_day(10, 5))
    driver = browser()
    sign_in(driver, live_server.url, "logistics_planner")

    driver.get(f"{live_server.url}/planning/?date={tomorrow().isoformat()}")

    vans = wait_for(
        driver,
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, ".map-van")) == 2 and d.find_elements(By.CSS_SELECTOR, ".map-van")
        ),
    )
    _shot(driver, "board-vans")
    labels = sorted(van.get_attribute("textContent") for van in vans)
    assert labels[0].startswith("Furgoneta A · ")
    assert labels[1].startswith("Furgoneta B · ")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".map-van.stale")) == 1
    assert "ETA 10:05 (planned 09:30)" in driver.find_element(By.ID, f"round-{day['first'].pk}").text


def test_a_planner_drags_a_stop_onto_the_other_van(browser, live_server, role_users):
    draft = two_van_draft(role_users)
    moving = Stop.objects.filter(round=draft["first"]).order_by("sequence").last()
    driver = browser()
    sign_in(driver, live_server.url, "logistics_planner")
    driver.get(f"{live_server.url}/planning/?date={tomorrow().isoformat()}")

    row = driver.find_element(By.CSS_SELECTOR, f'tr[data-move-url="/planning/stops/{moving.pk}/move/"]')
    onto = driver.find_element(By.CSS_SELECTOR, f"#round-{draft['second'].pk} tbody tr")
    driver.execute_script(DRAG, row, onto)

    wait_for(driver, lambda d: "Moved" in d.find_element(By.TAG_NAME, "main").text)
    moving.refresh_from_db()
    assert (moving.round_id, moving.sequence) == (draft["second"].pk, 1)
    _shot(driver, "board-dragged")


def test_a_driver_agrees_to_share_the_position_on_the_phone(browser, live_server, role_users):
    day = live_day(role_users, out=())
    Round.objects.filter(pk=day["first"].pk).update(position_shared_at=None)
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    driver.get(f"{live_server.url}/driver/")
    _shot(driver, "driver-share-off")

    driver.find_element(By.XPATH, "//button[normalize-space()='Share my position during this round']").click()

    wait_for(driver, lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Stop sharing my position']"))
    assert Round.objects.get(pk=day["first"].pk).position_shared_at is not None
    _shot(driver, "driver-share-on")


def test_a_driver_sharing_the_position_sends_where_the_van_is(browser, live_server, role_users):
    day = live_day(role_users)  # the first round has left, its driver agreed to share the position
    driver = browser(PHONE)
    sign_in(driver, live_server.url, "driver")
    # The phone's position, as the browser would give it once the driver allowed the page to read it.
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": live_server.url, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": 37.6123, "longitude": -0.9811, "accuracy": 20}
    )

    driver.get(f"{live_server.url}/driver/")

    wait_for(driver, lambda d: VanPosition.objects.filter(round=day["first"]).exists())
    position = VanPosition.objects.get(round=day["first"])
    assert (str(position.latitude), str(position.longitude), position.accuracy_m) == ("37.612300", "-0.981100", 20)
    wait_for(driver, lambda d: "Sharing your position" in d.find_element(By.ID, "position-status").text)
