"""Browser tests: headless Chromium against a live server. Where Chromium is missing they skip on a laptop and fail
in CI, like every test that needs a service."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import service_missing
from tests.browser.chromium import DESKTOP, chromium, chromium_missing

PASSWORD = "secret-pass-123"  # core.tests.factories.UserFactory's


@pytest.fixture
def browser(settings, tmp_path):
    """A factory of signed-out browsers (`browser(size)`); every one is closed after the test."""
    missing = chromium_missing()
    if missing:
        service_missing(missing)
    settings.MEDIA_ROOT = tmp_path / "media"
    opened = []

    def open_browser(size=DESKTOP):
        driver = chromium(size, language="en")
        driver.set_page_load_timeout(30)
        opened.append(driver)
        return driver

    yield open_browser
    for driver in opened:
        driver.quit()


def wait_for(driver, condition, timeout: float = 15):
    return WebDriverWait(driver, timeout).until(condition)


def sign_in(driver, base_url: str, username: str) -> None:
    driver.get(base_url + "/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, lambda d: "/accounts/login/" not in d.current_url)
