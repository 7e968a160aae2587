"""The orders list of a day: a page at a time, filtered by status, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from core.tests.factories import tomorrow
from logistics.models import DeliveryOrder
from tests.scenarios import approved_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_orders(role_users) -> list[DeliveryOrder]:
    """Three orders due tomorrow, stock reserved, in the list's order (same priority: by number)."""
    return sorted((approved_order(role_users)[0] for _ in range(3)), key=lambda order: order.pk)


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr("logistics.views.ORDERS_PER_PAGE", 2)


def _page(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("orders"), {"date": tomorrow().isoformat(), **query})
    assert response.status_code == 200
    return response.content.decode()


def _listed(page: str) -> list[int]:
    """The order numbers in the table, top to bottom."""
    # Each number links to the order's change page.
    return [int(number) for number in re.findall(r'<tr class="status-\w+"><td><a [^>]*>(\d+)</a></td>', page)]


def test_the_first_page_holds_the_first_orders_and_links_to_the_next(client, role_users, three_orders, two_a_page):
    page = _page(client, role_users["logistics_planner"])

    assert _listed(page) == [three_orders[0].pk, three_orders[1].pk]
    assert "Orders 1–2 of 3" in page
    assert f'href="?date={tomorrow().isoformat()}&amp;page=2" rel="next"' in page


def test_the_second_page_holds_the_rest(client, role_users, three_orders, two_a_page):
    page = _page(client, role_users["logistics_planner"], page="2")

    assert _listed(page) == [three_orders[2].pk]
    assert "Orders 3–3 of 3" in page


def test_a_page_that_is_not_a_number_shows_the_first_and_one_past_the_end_the_last(
    client, role_users, three_orders, two_a_page
):
    planner = role_users["logistics_planner"]

    assert _listed(_page(client, planner, page="first")) == [three_orders[0].pk, three_orders[1].pk]
    assert _listed(_page(client, planner, page="99")) == [three_orders[2].pk]


def test_a_single_page_shows_no_page_links(client, role_users, three_orders):
    page = _page(client, role_users["logistics_planner"])

    assert _listed(page) == [order.pk for order in three_orders]
    assert 'rel="next"' not in page
    assert 'aria-label="Pages of orders"' not in page


def test_the_status_filter_lists_only_that_status_and_keeps_it_in_the_page_links(
    client, role_users, three_orders, two_a_page
):
    short = three_orders[1]
    DeliveryOrder.objects.filter(pk=short.pk).update(status=DeliveryOrder.Status.SHORT)

    page = _page(client, role_users["logistics_planner"], status="reserved")

    assert _listed(page) == [three_orders[0].pk, three_orders[2].pk]
    assert '<option value="reserved" selected>Stock reserved</option>' in page
    # The counts above the table stay those of the whole day.
    assert re.search(r"Not enough stock: <strong>1</strong>", page)
    assert re.search(r"Stock reserved: <strong>2</strong>", page)


def test_a_status_with_no_orders_says_so(client, role_users, three_orders):
    page = _page(client, role_users["logistics_planner"], status="delivered")

    assert _listed(page) == []
    assert "No orders in that status are due that day." in page


def test_an_unknown_status_is_reported_and_every_order_listed(client, role_users, three_orders):
    page = _page(client, role_users["logistics_planner"], status="lost")

    assert "There is no order status “lost”: every status is shown." in page
    assert _listed(page) == [order.pk for order in three_orders]


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_orders(
    client, role_users, three_orders, django_assert_num_queries
):
    client.force_login(role_users["logistics_planner"])
    client.get(reverse("orders"), {"date": tomorrow().isoformat()})  # warm: templates and translations loaded
    # Session, user, two permission lookups, the user's roles, the count, the page, its households, lines and packs,
    # the counts, the depots (once a page: the choices of every row's depot form) and the zones (the day's depot
    # form, for planners).
    with django_assert_num_queries(12):
        page = client.get(reverse("orders"), {"date": tomorrow().isoformat()}).content.decode()
    approved_order(role_users)

    with django_assert_num_queries(12):
        client.get(reverse("orders"), {"date": tomorrow().isoformat()})
    line = three_orders[0].lines.get()
    assert f"{line.quantity} × {line.pack.name}" in page
    assert three_orders[0].household.full_name in page


def test_a_driver_may_not_read_the_orders_list(client, role_users, three_orders):
    client.force_login(role_users["driver"])

    assert client.get(reverse("orders"), {"date": tomorrow().isoformat()}).status_code == 403


def test_a_manager_reads_each_orders_depot_without_a_form_to_change_it(client, role_users, three_orders):
    page = _page(client, role_users["manager"])

    depots = re.findall(r"</td>\s*<td>([^<]*)</td></tr>", page)
    assert depots == [order.warehouse.name for order in three_orders]
    assert reverse("order_depot", args=[three_orders[0].pk]) not in page


def test_a_planner_gets_a_depot_form_on_each_open_order(client, role_users, three_orders):
    page = _page(client, role_users["logistics_planner"])

    assert [f'action="{reverse("order_depot", args=[order.pk])}"' in page for order in three_orders] == [True] * 3
