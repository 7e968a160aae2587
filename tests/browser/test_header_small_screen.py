"""The header keeps to tidy rows: at 360 px the manager's fourteen links sit on one line that scrolls sideways
instead of wrapping into three, the page itself never scrolls sideways, and at 1366 px the menu is one line too."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _header(driver) -> dict:
    return driver.execute_script(
        """const nav = document.querySelector('header.top nav');
        const links = [...nav.querySelectorAll('a')].map((a) => Math.round(a.getBoundingClientRect().top));
        return {rows: new Set(links).size, links: links.length,
                header: document.querySelector('header.top').getBoundingClientRect().height,
                page: document.documentElement.scrollWidth, navScrolls: nav.scrollWidth > nav.clientWidth};"""
    )


@pytest.mark.parametrize(("width", "tallest"), [(360, 170), (1366, 100)])
def test_the_managers_menu_is_one_line_at_phone_and_laptop_widths(browser, live_server, role_users, width, tallest):
    driver = browser((max(width, 500), 800))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    sign_in(driver, live_server.url, "manager")
    driver.get(live_server.url + "/")

    header = _header(driver)

    assert header["links"] >= 10
    assert header["rows"] == 1
    assert header["header"] < tallest
    assert header["page"] <= width  # nothing sticks out sideways (a scrollbar may take a few pixels)


def test_a_link_scrolled_out_of_sight_is_still_reached_by_the_keyboard(browser, live_server, role_users):
    driver = browser((500, 800))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    )
    sign_in(driver, live_server.url, "manager")
    driver.get(live_server.url + "/")
    last = driver.find_elements(By.CSS_SELECTOR, "header.top nav a")[-1]

    driver.execute_script("arguments[0].focus()", last)

    box = driver.execute_script("return arguments[0].getBoundingClientRect().right", last)
    assert box <= 360
