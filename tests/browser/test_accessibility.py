"""WCAG 2.1 AA in the browser: axe-core checks every page each role can open and every public page, a person
without a mouse registers a household and a request, and the key pages reflow at 200 % zoom.

axe-core comes from its npm package, vendored in tests/browser/vendor/ and injected by the test only: the app never
serves it."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import service_missing
from core.tests.factories import tomorrow
from delivery.concerns import concern_raise
from delivery.models import SatisfactionSurvey, Stop
from delivery.services import stop_mark_delivered
from inventory.counts import count_start
from inventory.models import StockLot
from inventory.purchasing import po_create, po_send
from inventory.tests.factories import SupplierFactory
from logistics.calendar_edit import delivery_days_set, local_holiday_add
from logistics.tests.factories import VehicleFactory
from requests_intake.channels import message_receive
from requests_intake.complaints import complaint_receive
from requests_intake.models import AidRequest, Household
from requests_intake.services import aid_request_register
from requests_intake.status_links import status_link_for
from requests_intake.tests.factories import HouseholdFactory, PharmacyFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.browser.chromium import DESKTOP, chromium, chromium_missing
from tests.browser.conftest import PASSWORD, wait_for
from tests.scenarios import approved_order

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
SURVEY_TOKEN = "a11y-survey-token"  # noqa: S105 (a test's survey link, not a secret)

PUBLIC_PAGES = [
    "login",
    "webform_request",
    "webform_thanks",
    "survey_answer",
    "survey_thanks",
    "status_page",
    "complaint_public",
    "accessibility",
    "not_found",
]
# The pages each role reaches from its menu and the links on them. A new page must be added here (or to NOT_PAGES):
# test_every_page_of_the_site_is_audited fails otherwise.
ROLE_PAGES: dict[str, list[str]] = {
    "intake_operator": [
        "home",
        "password_change",
        "intake",
        "request_new",
        "household_detail",
        "household_edit",
        "household_search",
        "households_import",
        "household_place",
        "conversations",
        "conversation",
    ],
    "social_worker": [
        "home",
        "assessment_queue",
        "assessment",
        "plan_detail",
        "household_detail",
        "household_edit",
        "household_merge",
        "households_export",
        "concerns",
        "concern_resolve",
        "cases_mine",
        "intervention_new",
        "visit_new",
        "visits_today",
        "order_change",
        "household_place",
        "conversations",
        "conversation",
        "plan_custody",
    ],
    "logistics_planner": [
        "home",
        "orders",
        "order_change",
        "planning",
        "planning_week",
        "day_close",
        "fleet",
        "pickups",
        "stock",
        "lot_detail",
        "assembly",
        "purchase_orders",
        "supply_dashboard",
        "delivery_calendar",
        "pharmacies",
        "pharmacy_new",
        "pharmacy_edit",
    ],
    "driver": ["home", "driver_round", "forbidden"],
    "supplier_coordinator": [
        "home",
        "stock",
        "lot_detail",
        "assembly",
        "purchase_orders",
        "purchase_order_new",
        "purchase_order_detail",
        "donation_new",
        "suppliers",
        "supply_dashboard",
        "stock_counts",
        "stock_count_detail",
    ],
    "manager": [
        "home",
        "assessment_queue",
        "figures",
        "delivery_costs",
        "households_export",
        "household_detail",
        "household_audit",
        "household_erase",
        "conversation",
        "orders",
        "planning",
        "planning_week",
        "day_close",
        "fleet",
        "delivery_calendar",
        "pickups",
        "concerns",
        "complaints",
        "complaint_answer",
        "stock",
        "purchase_orders",
        "suppliers",
        "stock_counts",
        "pharmacies",
        "plan_custody",
    ],
}
# Addresses no person reads as a page: files, JSON, and form targets that answer with a redirect.
NOT_PAGES = {
    "health": "JSON for load balancers",
    "logout": "form target",
    "set_language": "form target",
    "assessment_resume": "form target",
    "household_data_export": "JSON file",
    "movement_reverse": "form target",
    "assembly_pdf": "PDF",
    "assembly_run": "form target",
    "purchase_order_receive": "form target; its form is on purchase_order_detail",
    "purchase_order_send": "form target",
    "purchase_order_cancel": "form target",
    "purchase_order_close": "form target",
    "supply_alerts_refresh": "form target",
    "supply_alert_acknowledge": "form target",
    "supply_order_create": "form target",
    "stock_count_export": "CSV or XLSX file",
    "driver_sw": "service worker script",
    "driver_sync": "JSON",
    "round_started": "form target",
    "stop_delivered": "form target",
    "stop_failed": "form target",
    "stop_failure_undone": "form target",
    "stop_concern": "form target",
    "stop_proof": "picture",
    "concern_acknowledge": "form target",
    "household_assign": "form target",
    "visit_outcome": "form target",
    "visit_cancel": "form target",
    "purchase_order_document": "PDF",
    "purchase_order_pdf": "PDF",
    "stock_value_export": "CSV or XLSX file",
    "council_report_export": "CSV or XLSX file",
    "round_pdf": "PDF",
    "run_summary_pdf": "PDF",
    "vehicle_availability": "form target",
    "vehicle_driver": "form target",
    "driver_shift_save": "form target",
    "driver_absence_add": "form target",
    "driver_absence_delete": "form target",
    "pickup_collect": "form target",
    "figures_export": "CSV or XLSX file",
    "planning_run_status": "JSON",
    "planning_run_cancel": "form target",
    "run_publish": "form target",
    "run_unpublish": "form target",
    "stop_lock": "form target",
    "stop_move": "form target",
    "order_depot": "form target; its form is on orders",
    "order_transfer": "form target; its form is on planning",
    "order_reschedule": "form target; its form is on order_change",
    "order_cancel": "form target; its form is on order_change",
    "order_packs": "form target; its form is on order_change",
    "order_plan_end": "form target; its form is on order_change",
    "order_split": "form target; its button is on planning",
    "local_holiday_add": "form target; its form is on delivery_calendar",
    "local_holiday_remove": "form target; its form is on delivery_calendar",
    "zone_delivery_days": "form target; its form is on delivery_calendar",
    "depot_delivery_days": "form target; its form is on delivery_calendar",
    "board_map": "JSON for the planning board's map",
    "board_round_stops": "fragment of the planning board, fetched into planning",
    "order_fit_live": "form target; its button is on planning",
    "board_vans": "JSON for the planning board's map",
    "depot_day": "form target; its form is on orders, and it answers the post with a confirmation",
    "pharmacy_active": "form target; its button is on pharmacies",
    "round_position": "JSON from the driver's phone",
    "round_position_share": "form target; its button is on driver_round",
    "stop_picked_up": "form target",
}


@pytest.fixture(scope="module")
def axe_browser():
    """One Spanish browser for the whole module: the audit visits some eighty pages."""
    missing = chromium_missing()
    if missing:
        service_missing(missing)
    driver = chromium(DESKTOP, language="es")
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def signed_out(axe_browser):
    axe_browser.delete_all_cookies()
    return axe_browser


def _world(role_users) -> dict[str, str]:
    """A small day with one of everything a page can show, and the address of every page in the audit."""
    driver = role_users["driver"]
    delivered_order, item, warehouse = approved_order(role_users)
    pending_order, _item, _warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=driver)
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    stop_mark_delivered(actor=driver, stop=Stop.objects.get(order=delivered_order), received_by="Ana")
    concern = concern_raise(actor=driver, stop=Stop.objects.get(order=pending_order), text="Vive sola y no tenía luz.")
    SatisfactionSurvey.objects.create(order=delivered_order, token=SURVEY_TOKEN)
    status_link = status_link_for(pending_order.plan.request)
    complaint = complaint_receive(source="public_form", category="complaint", text="Llegó tarde.")
    waiting = aid_request_register(
        actor=role_users["intake_operator"], household=HouseholdFactory(), channel="phone", needs=["food"]
    )
    household = delivered_order.household
    other = HouseholdFactory(given_name="Carmen", family_name=household.family_name)
    supplier = SupplierFactory()
    coordinator = role_users["supplier_coordinator"]
    purchase = po_create(actor=coordinator, supplier=supplier, warehouse=warehouse, lines=[(item, 6)])
    po_send(actor=coordinator, purchase_order=purchase)
    count = count_start(actor=coordinator, warehouse=warehouse, counted_on=timezone.localdate())
    pack = delivered_order.lines.first().pack
    message_receive(channel="whatsapp", contact=household.phone, body="¿A qué hora venís?", external_id="a11y-1")
    local_holiday_add(
        actor=role_users["logistics_planner"], date=tomorrow() + dt.timedelta(days=40), name="Carthagineses"
    )
    delivery_days_set(actor=role_users["logistics_planner"], weekdays=[0, 1, 2, 3, 4], warehouse=warehouse)
    with_pk = {
        "request_new": {"household_id": other.pk},
        "household_detail": {"pk": household.pk},
        "household_edit": {"pk": household.pk},
        "household_audit": {"pk": household.pk},
        "household_erase": {"pk": household.pk},
        "household_merge": {"pk": household.pk, "other_pk": other.pk},
        "intervention_new": {"pk": household.pk},
        "visit_new": {"pk": household.pk},
        "concern_resolve": {"pk": concern.pk},
        "assessment": {"pk": waiting.pk},
        "plan_detail": {"pk": delivered_order.plan_id},
        "lot_detail": {"pk": StockLot.objects.filter(item=item).get().pk},
        "assembly_run": {"pack_pk": pack.pk},
        "purchase_order_detail": {"pk": purchase.pk},
        "stock_count_detail": {"pk": count.pk},
        "survey_answer": {"token": SURVEY_TOKEN},
        "survey_thanks": {"token": SURVEY_TOKEN},
        "status_page": {"token": status_link.token},
        "complaint_answer": {"pk": complaint.pk},
        "order_change": {"pk": pending_order.pk},
        "household_place": {"pk": household.pk},
        "conversation": {"pk": household.pk},
        "pharmacy_edit": {"pk": PharmacyFactory().pk},
        "plan_custody": {"pk": delivered_order.plan_id},
    }
    pages = {name: reverse(name, kwargs=kwargs) for name, kwargs in with_pk.items()}
    pages["not_found"] = "/no-such-page/"
    pages["forbidden"] = reverse("figures")  # the 403 page a driver meets
    pages["assembly"] = reverse("assembly") + f"?date={tomorrow().isoformat()}"
    pages["household_search"] = reverse("household_search") + f"?q={household.family_name}"  # with its results
    for names in [PUBLIC_PAGES, *ROLE_PAGES.values()]:
        for name in names:
            if name not in pages:
                pages[name] = reverse(name)
    return pages


def _sign_in(driver, base_url: str, username: str) -> None:
    driver.get(base_url + reverse("login"))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(driver, lambda d: reverse("login") not in d.current_url)


def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page in the browser, each with its impact and first targets.

    Selenium runs the script through the DevTools protocol, which the page's Content-Security-Policy does not
    govern: no exception to script-src is needed for the test."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(result => done(result.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')), count: v.nodes.length}))))
          .catch(error => done([{id: 'axe-error', impact: 'critical', help: String(error), targets: [], count: 1}]));
        """,
        WCAG_21_AA,
    )
    return found


def _error_heading(driver) -> str:
    headings = driver.find_elements(By.TAG_NAME, "h1")
    text = headings[0].text if headings else ""
    return text if text[:3] in ("403", "404", "500") else ""


def _audit(driver, base_url: str, names: list[str], pages: dict[str, str]) -> list[str]:
    problems = []
    for name in names:
        driver.get(base_url + pages[name])
        wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")
        error = _error_heading(driver)
        if error and name not in ("not_found", "forbidden"):
            problems.append(f"{name} ({pages[name]}): the page did not open: {error}")
            continue
        violations = axe_violations(driver)
        for violation in violations:
            if violation["impact"] in BLOCKING:
                problems.append(
                    f"{name} ({pages[name]}): {violation['id']} [{violation['impact']}] {violation['help']} "
                    f"at {violation['targets']} ({violation['count']} elements)"
                )
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_pages_have_no_serious_accessibility_violation(signed_out, live_server, role_users):
    pages = _world(role_users)

    problems = _audit(signed_out, live_server.url, PUBLIC_PAGES, pages)

    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_page_of_a_role_has_no_serious_accessibility_violation(signed_out, live_server, role_users, role):
    pages = _world(role_users)
    _sign_in(signed_out, live_server.url, role)

    problems = _audit(signed_out, live_server.url, ROLE_PAGES[role], pages)

    assert problems == []


def _url_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("admin/", "api/")):
                continue  # Django's admin and the JSON API are not part of the audited interface
            names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_page_of_the_site_is_audited():
    audited = set(PUBLIC_PAGES).union(*ROLE_PAGES.values())

    forgotten = _url_names(get_resolver().url_patterns) - audited - set(NOT_PAGES)

    assert sorted(forgotten) == []


def _press(driver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def _tab_to(driver, css: str, *, backwards: bool = False, limit: int = 60):
    """Press TAB (or SHIFT+TAB) until the focus is on the element `css` names, and return it. Fails if the keyboard
    cannot reach it, or reaches it without a visible focus ring."""
    target = driver.find_element(By.CSS_SELECTOR, css)
    if driver.switch_to.active_element == target:  # already there (a field with autofocus)
        return target
    for _ in range(limit):
        if backwards:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            _press(driver, Keys.TAB)
        if driver.switch_to.active_element == target:
            ring = driver.execute_script(
                "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];"
            )
            assert ring[0] != "none", f"{css} has no visible focus ring"
            assert ring[1] != "0px", f"{css} has no visible focus ring"
            return target
    raise AssertionError(f"{limit} presses of TAB never reached {css}")


def _type_into(driver, css: str, text: str) -> None:
    _tab_to(driver, css)
    _press(driver, text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_intake_operator_registers_a_household_and_a_request_with_the_keyboard_only(
    signed_out, live_server, role_users
):
    driver = signed_out
    driver.get(live_server.url + reverse("login"))
    _type_into(driver, "#id_username", "intake_operator")
    _type_into(driver, "#id_password", PASSWORD)
    _press(driver, Keys.ENTER)
    wait_for(driver, lambda d: d.current_url == live_server.url + reverse("home"))
    skip = _tab_to(driver, "a.skip-link", limit=1)  # the keyboard's first stop on the page
    assert skip.get_attribute("href").endswith("#main")
    assert skip.rect["y"] >= 0  # hidden above the page until focused

    _tab_to(driver, f"header nav a[href='{reverse('intake')}']")
    _press(driver, Keys.ENTER)
    wait_for(driver, lambda d: d.current_url.endswith(reverse("intake")))
    _type_into(driver, "#id_given_name", "Rosa")
    _type_into(driver, "#id_family_name", "Teclado Llano")
    _type_into(driver, "#id_document_type", "Sin documento")  # typing an option's name picks it in a list
    _type_into(driver, "#id_phone", "968000111")
    _type_into(driver, "#id_address", "Calle Mayor 1")
    _type_into(driver, "#id_postcode", "30201")
    _type_into(driver, "#id_municipality", "Cartagena")
    _tab_to(driver, "form.grid button[type=submit].primary")
    _press(driver, Keys.ENTER)
    wait_for(driver, lambda d: "/request/" in d.current_url)

    _tab_to(driver, "input[name=needs][value=food]")
    _press(driver, Keys.SPACE)
    _tab_to(driver, "button[name=triage][value=assessment]")
    _press(driver, Keys.ENTER)
    wait_for(driver, lambda d: "/request/" not in d.current_url)

    household = Household.objects.get(family_name="Teclado Llano")
    request = AidRequest.objects.get(household=household)
    assert (household.given_name, household.document_type, household.phone, household.postcode) == (
        "Rosa",
        "none",
        "+34968000111",
        "30201",
    )
    assert (request.status, request.needs, request.registered_by) == (
        AidRequest.Status.IN_ASSESSMENT,
        ["food"],
        role_users["intake_operator"],
    )


ZOOMED_PAGES = {None: ["login", "webform_request", "accessibility"], "intake_operator": ["intake", "household_edit"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(ZOOMED_PAGES))
def test_key_pages_at_200_percent_zoom_need_no_sideways_scrolling(signed_out, live_server, role_users, role):
    pages = _world(role_users)
    if role:
        _sign_in(signed_out, live_server.url, role)
    # A 1280 px wide screen at 200 % zoom lays the page out in 640 CSS pixels, each drawn twice as big.
    signed_out.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False}
    )
    try:
        widths = {}
        for name in ZOOMED_PAGES[role]:
            signed_out.get(live_server.url + pages[name])
            widths[name] = signed_out.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth];"
            )
    finally:
        signed_out.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    too_wide = {name: sizes for name, sizes in widths.items() if sizes[0] > sizes[1] + 1}
    assert too_wide == {}
