"""Swagger UI and ReDoc draw the schema in a real browser under the site's content security policy (no inline
script, nothing from a CDN): if the policy blocked their start-up scripts, the pages would stay blank."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import browser, sign_in, wait_for  # noqa: F401 - `browser` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(driver, selector: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, selector)
    return found[0].text if found else ""


def test_swagger_ui_draws_the_schema_under_the_policy(browser, live_server, role_users):  # noqa: F811
    driver = browser()
    sign_in(driver, live_server.url, "manager")
    driver.get(live_server.url + "/api/docs/")
    wait_for(driver, lambda d: "Reparto API" in _text(d, ".swagger-ui .info .title"))
    assert "/api/v1/households/" in driver.find_element(By.TAG_NAME, "body").text


def test_redoc_draws_the_schema_under_the_policy(browser, live_server, role_users):  # noqa: F811
    driver = browser()
    sign_in(driver, live_server.url, "manager")
    driver.get(live_server.url + "/api/redoc/")
    wait_for(driver, lambda d: "Reparto API" in _text(d, "h1"))
    assert "households" in driver.find_element(By.TAG_NAME, "body").text.lower()
