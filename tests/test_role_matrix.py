"""Every page and action, for every role: who may open it and who gets 403. A new URL must be added here.

Objects are looked up after the permission check, so a role that may open a page gets 404 for a missing object
and a role that may not gets 403 before anything is read."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import DRIVER as D
from core.roles import INTAKE_OPERATOR as OP
from core.roles import LOGISTICS_PLANNER as P
from core.roles import MANAGER as M
from core.roles import SOCIAL_WORKER as S
from core.roles import SUPPLIER_COORDINATOR as C

pytestmark = pytest.mark.django_db

EVERYONE = {OP, S, P, D, C, M}

# url name: (method, roles allowed)
MATRIX = {
    "home": ("get", EVERYONE),
    "password_change": ("get", EVERYONE),
    # intake and social work
    "intake": ("get", {OP}),
    "request_new": ("get", {OP}),
    "assessment_queue": ("get", {S, M}),  # managers read every zone's queue, without deciding
    "assessment": ("get", {S}),
    "assessment_resume": ("post", {S}),
    "plan_detail": ("get", {S}),
    # the medication's chain of custody: the plan's social worker, and managers who read every plan
    "plan_custody": ("get", {S, M}),
    "household_detail": ("get", {OP, S, M}),
    "household_search": ("get", {OP, S, M}),
    "household_edit": ("get", {OP, S}),
    "household_place": ("get", {OP, S}),
    "household_merge": ("get", {S}),
    "household_audit": ("get", {M}),
    "households_import": ("get", {OP}),
    "households_export": ("get", {S, M}),
    "household_data_export": ("get", {S, M}),
    # case work: managers read cases and assign them; only social workers write case notes
    "cases_mine": ("get", {S}),
    # the conversation: intake and social workers read and answer (POST is tested in test_conversation_pages.py),
    # managers read
    "conversations": ("get", {OP, S, M}),
    "conversation": ("get", {OP, S, M}),
    "household_assign": ("post", {S, M}),
    "intervention_new": ("get", {S}),
    "visit_new": ("get", {S}),
    "visits_today": ("get", {S}),
    "visit_outcome": ("post", {S}),
    "visit_cancel": ("post", {S}),
    # inventory
    "stock": ("get", {P, C, M}),
    "stock_value_export": ("get", {P, C, M}),
    "lot_detail": ("get", {P, C, M}),
    "movement_reverse": ("post", {P, C, M}),
    "assembly": ("get", {P, C, M}),
    "assembly_pdf": ("get", {P, C, M}),
    "assembly_run": ("post", {P, C}),
    "purchase_orders": ("get", {P, C, M}),
    "purchase_order_new": ("get", {C}),
    "purchase_order_detail": ("get", {P, C, M}),
    "purchase_order_pdf": ("get", {P, C, M}),
    "purchase_order_document": ("get", {P, C, M}),
    "purchase_order_receive": ("post", {C}),
    "purchase_order_send": ("post", {C}),
    "purchase_order_cancel": ("post", {C}),
    "purchase_order_close": ("post", {C}),
    "donation_new": ("get", {C}),
    "suppliers": ("get", {C, M}),
    "supply_dashboard": ("get", {P, C, M}),
    "supply_alerts_refresh": ("post", {C}),
    "supply_alert_acknowledge": ("post", {C}),
    "supply_order_create": ("post", {C}),
    "stock_counts": ("get", {C, M}),
    "stock_count_detail": ("get", {C, M}),
    "stock_count_export": ("get", {C, M}),
    # logistics and routing
    "orders": ("get", {P, M}),
    "order_depot": ("post", {P}),
    "order_transfer": ("post", {P}),
    "depot_day": ("post", {P}),
    "order_split": ("post", {P}),
    # an order changes after approval from the planner's side (a van day) or the social worker's (the plan)
    "order_change": ("get", {P, S}),
    "order_reschedule": ("post", {P, S}),
    "order_cancel": ("post", {P, S}),
    "order_packs": ("post", {P, S}),
    "order_plan_end": ("post", {P, S}),
    "day_close": ("get", {P, M}),
    "driver_round": ("get", {D}),
    "round_started": ("post", {D}),
    "stop_delivered": ("post", {D}),
    "stop_picked_up": ("post", {D}),
    "stop_failed": ("post", {D}),
    "stop_failure_undone": ("post", {D}),
    "round_position_share": ("post", {D}),
    "round_position": ("post", {D}),
    "round_pdf": ("get", {P, D, M}),
    "run_summary_pdf": ("get", {P, M}),
    "planning": ("get", {P, M}),
    "board_map": ("get", {P, M}),
    "board_vans": ("get", {P, M}),
    "board_round_stops": ("get", {P, M}),
    "planning_week": ("get", {P, M}),
    "figures": ("get", {M}),
    "figures_export": ("get", {M}),
    "council_report_export": ("get", {M}),
    "delivery_costs": ("get", {M}),
    "fleet": ("get", {P, M}),
    "vehicle_availability": ("post", {P}),
    "vehicle_driver": ("post", {P}),
    "driver_shift_save": ("post", {P}),
    "driver_absence_add": ("post", {P}),
    "driver_absence_delete": ("post", {P}),
    "delivery_calendar": ("get", {P, M}),
    # the pharmacies medication is collected from, kept by planners and managers
    "pharmacies": ("get", {P, M}),
    "pharmacy_new": ("get", {P, M}),
    "pharmacy_edit": ("get", {P, M}),
    "pharmacy_active": ("post", {P, M}),
    "local_holiday_add": ("post", {P}),
    "local_holiday_remove": ("post", {P}),
    "zone_delivery_days": ("post", {P}),
    "depot_delivery_days": ("post", {P}),
    "pickups": ("get", {P, M}),
    "pickup_collect": ("post", {P}),
    "driver_sw": ("get", {D}),
    "driver_sync": ("post", {D}),
    "stop_concern": ("post", {D}),
    "stop_proof": ("get", {P, S, D, M}),
    "concerns": ("get", {S, M}),
    "concern_acknowledge": ("post", {S}),
    "concern_resolve": ("get", {S}),
    "planning_run_status": ("get", {P, M}),
    "planning_run_cancel": ("post", {P}),
    "run_publish": ("post", {P}),
    "run_unpublish": ("post", {P}),
    "stop_lock": ("post", {P}),
    "stop_move": ("post", {P}),
    "order_fit_live": ("post", {P}),
    "household_erase": ("get", {M}),
    # the complaints register: managers read, record and answer
    "complaints": ("get", {M}),
    "complaint_answer": ("get", {M}),
}
# Public pages: every role and a visitor who has not signed in read them.
PUBLIC = {
    "accessibility": "get",  # RD 1112/2018 asks the accessibility statement to be public
}
# Not behind a role: signing in and out, the language switch, the public request form, survey, status page and
# complaints form, the health check, the admin (staff only) and the APIs, which answer in JSON and have their own
# tests.
OUTSIDE = {
    "login",
    "logout",
    "set_language",
    "webform_request",
    "webform_thanks",
    "health",
    "survey_answer",
    "survey_thanks",
    "status_page",
    "complaint_public",
}
ARGUMENTS = {"kind": "route", "fmt": "csv", "depot": "nowhere"}


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            if not route.startswith(("admin/", "api/")):
                yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def _url(pattern: URLPattern) -> str:
    kwargs = {name: ARGUMENTS.get(name, 999999) for name in pattern.pattern.converters}
    return reverse(pattern.name, kwargs=kwargs)


PATTERNS = {pattern.name: pattern for pattern in _patterns(get_resolver().url_patterns)}


def test_every_url_is_in_the_matrix():
    assert set(PATTERNS) - OUTSIDE - set(PUBLIC) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_in_only_where_it_should(client, role_users, name):
    method, allowed = MATRIX[name]
    url = _url(PATTERNS[name])
    seen = {}
    for role, user in role_users.items():
        client.force_login(user)
        seen[role] = getattr(client, method)(url).status_code
    assert {role for role, status in seen.items() if status != 403} == allowed, seen


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client, name):
    method, _allowed = MATRIX[name]
    response = getattr(client, method)(_url(PATTERNS[name]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_a_public_page_opens_for_every_role_and_for_a_visitor(client, role_users, name):
    method = PUBLIC[name]
    url = _url(PATTERNS[name])
    seen = {"visitor": getattr(client, method)(url).status_code}
    for role, user in role_users.items():
        client.force_login(user)
        seen[role] = getattr(client, method)(url).status_code
    assert seen == dict.fromkeys(["visitor", *role_users], 200)
