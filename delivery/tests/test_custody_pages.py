"""The medication's chain of custody, for the household's social worker: picked up when, by which driver, handed
over by whom, delivered when and to whom, or why not; reached from the plan page, refused to other roles and zones
(issue 16, item 2)."""

import pytest
from django.urls import reverse

from core.dates import moment_text
from core.tests.factories import UserFactory
from delivery.models import Stop
from delivery.pharmacy_pickups import stop_mark_picked_up
from delivery.services import round_start, stop_mark_delivered, stop_mark_failed
from delivery.tests.pharmacy_world import medication_round
from requests_intake.models import AidRequest
from requests_intake.tests.factories import ZoneFactory
from tests.scenarios import approved_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication(role_users):
    driver = role_users["driver"]
    driver.first_name, driver.last_name = "Paco", "Conductor"
    driver.save(update_fields=["first_name", "last_name"])
    pickup, home = medication_round(role_users)
    round_start(actor=driver, round_=pickup.round)
    return pickup, home


def _custody(client, user, plan):
    client.force_login(user)
    return client.get(reverse("plan_custody", args=[plan.pk]))


def test_the_social_worker_reads_the_whole_chain_from_pharmacy_to_home(client, role_users, medication):
    pickup, home = medication
    stop_mark_picked_up(actor=role_users["driver"], stop=pickup, handed_over_by="Marta Ros")
    stop_mark_delivered(actor=role_users["driver"], stop=home, received_by="Rosa, la hija")
    pickup.refresh_from_db()
    home.refresh_from_db()

    page = _custody(client, role_users["social_worker"], home.order.plan).content.decode()

    assert "Farmacia Ldo. Muñoz" in page
    picked = moment_text(pickup.recorded_at)
    assert f"Picked up {picked} by Paco Conductor, handed over by Marta Ros" in page
    assert f"Delivered {moment_text(home.recorded_at)}, received by Rosa, la hija" in page


def test_a_failed_pickup_shows_its_reason_on_both_links(client, role_users, medication):
    pickup, home = medication
    stop_mark_failed(actor=role_users["driver"], stop=pickup, reason=Stop.FailureReason.PRESCRIPTION_NOT_READY)

    page = _custody(client, role_users["social_worker"], home.order.plan).content.decode()

    assert "<strong>Not picked up</strong>: Prescription not ready" in page
    assert "<strong>Not delivered</strong>: Prescription not ready" in page
    assert "handed over by" not in page


def test_a_medication_still_to_collect_says_so(client, role_users, medication):
    _pickup, home = medication

    page = _custody(client, role_users["social_worker"], home.order.plan).content.decode()

    assert "Not picked up yet." in page
    assert "Not delivered yet." in page
    assert "driver: Paco Conductor" in page


def test_a_manager_reads_it_too(client, role_users, medication):
    _pickup, home = medication

    assert _custody(client, role_users["manager"], home.order.plan).status_code == 200


@pytest.mark.parametrize("role", ["driver", "intake_operator", "logistics_planner", "supplier_coordinator"])
def test_other_roles_are_refused(client, role_users, medication, role):
    _pickup, home = medication

    assert _custody(client, role_users[role], home.order.plan).status_code == 403


def test_a_social_worker_of_another_zone_is_refused(client, role_users, medication):
    _pickup, home = medication
    theirs = ZoneFactory()
    theirs.social_workers.add(UserFactory(username="otra-trabajadora"))
    AidRequest.objects.filter(pk=home.order.plan.request_id).update(zone=theirs)
    ZoneFactory().social_workers.add(role_users["social_worker"])

    assert _custody(client, role_users["social_worker"], home.order.plan).status_code == 403


def test_a_social_worker_of_the_plans_zone_gets_in(client, role_users, medication):
    _pickup, home = medication
    mine = ZoneFactory()
    mine.social_workers.add(role_users["social_worker"])
    AidRequest.objects.filter(pk=home.order.plan.request_id).update(zone=mine)

    assert _custody(client, role_users["social_worker"], home.order.plan).status_code == 200


def test_a_plan_that_does_not_exist_is_not_found(client, role_users):
    client.force_login(role_users["social_worker"])

    assert client.get(reverse("plan_custody", args=[999999])).status_code == 404


def test_the_plan_page_links_to_the_chain_of_custody_of_a_medication_plan(client, role_users, medication):
    _pickup, home = medication
    plan = home.order.plan
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert f'href="{reverse("plan_custody", args=[plan.pk])}"' in page


def test_the_plan_page_of_a_plan_without_medication_has_no_such_link(client, role_users):
    plan = approved_plan(role_users)
    client.force_login(role_users["social_worker"])

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert reverse("plan_custody", args=[plan.pk]) not in page


def test_an_order_not_yet_on_a_round_says_so(client, role_users):
    plan = approved_plan(role_users)

    page = _custody(client, role_users["social_worker"], plan).content.decode()

    assert "Not on a round yet." in page
    assert "This plan names no pharmacy." in page
