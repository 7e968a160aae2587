"""Sign in as each demo user in headless Chromium and save a screenshot of the page that role works on.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]   (needs `pip install selenium` and Debian's chromium)
"""

import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.chromium import DESKTOP, PHONE, chromium, full_page_png  # noqa: E402

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
PASSWORD = "reparto-demo"

PAGES = [
    ("operadora", "/intake/?q=garcia", DESKTOP, "intake"),
    ("operadora", "/intake/households/9/request/", DESKTOP, "intake-request"),
    ("trabajadora", "/assessment/", DESKTOP, "assessment-queue"),
    ("trabajadora", "/assessment/65/", DESKTOP, "assessment"),
    ("planificador", "/planning/", DESKTOP, "planning"),
    ("planificador", "/orders/", DESKTOP, "orders"),
    ("conductor1", "/driver/", PHONE, "driver"),
    ("proveedores", "/stock/", DESKTOP, "stock"),
    ("gerente", "/", DESKTOP, "manager-home"),
    ("proveedores", "/supplies/", DESKTOP, "supplies"),
    ("proveedores", "/purchases/", DESKTOP, "purchases"),
    ("proveedores", "/purchases/1/", DESKTOP, "purchase-order"),
    ("proveedores", "/donations/new/", DESKTOP, "donation"),
    ("proveedores", "/stock/lots/1/", DESKTOP, "lot"),
    ("proveedores", "/counts/", DESKTOP, "counts"),
    ("planificador", "/assembly/", DESKTOP, "assembly"),
    ("trabajadora", "/households/4/", DESKTOP, "household"),
    ("trabajadora", "/households/4/edit/", DESKTOP, "household-edit"),
    ("gerente", "/households/4/history/", DESKTOP, "household-history"),
    ("trabajadora", "/plans/1/", DESKTOP, "plan"),
    ("operadora", "/households/import/", DESKTOP, "import"),
    ("operadora", "/solicitar/", PHONE, "webform"),
    ("gerente", "/figures/", DESKTOP, "figures"),
    ("planificador", "/day-close/", DESKTOP, "day-close"),
    ("trabajadora", "/conversations/", DESKTOP, "conversations"),
    ("planificador", "/calendar/", DESKTOP, "calendar"),
    ("gerente", "/figures/costs/", DESKTOP, "costs"),
    ("operadora", "/households/4/place/", DESKTOP, "place"),
]
# `screenshots.py URL DIR supplies lot` takes only the pages named.
ONLY = set(sys.argv[3:])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for username, path, size, name in PAGES:
        if ONLY and name not in ONLY:
            continue
        driver = chromium(size)
        try:
            driver.get(BASE + "/accounts/login/")
            driver.find_element(By.NAME, "username").send_keys(username)
            driver.find_element(By.NAME, "password").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
            WebDriverWait(driver, 10).until(lambda d: "/accounts/login/" not in d.current_url)
            driver.get(BASE + path)
            target = OUT / f"{name}.png"
            target.write_bytes(full_page_png(driver))
            print(target)  # noqa: T201 - a command-line tool reports what it wrote
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
