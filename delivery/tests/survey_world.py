"""For the survey tests: delivered and collected orders, and the checks that an answer changed nothing."""

from core.tests.factories import tomorrow
from delivery.models import SatisfactionSurvey, Stop
from delivery.services import stop_mark_delivered
from logistics.models import DeliveryOrder
from logistics.tests.factories import VehicleFactory
from requests_intake.tests.factories import HouseholdFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order


def _delivered_orders(role_users, *households: dict) -> list[DeliveryOrder]:
    """One order per household (English-speaking unless told), planned in one run and delivered at the door."""
    orders = [
        approved_order(role_users, household=HouseholdFactory(**{"language": "en", **household}))[0]
        for household in households
    ]
    VehicleFactory(depot=orders[0].warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    for order in orders:
        stop_mark_delivered(actor=role_users["driver"], stop=Stop.objects.get(order=order))
        order.refresh_from_db()
    return orders


def _delivered_order(role_users, **household) -> DeliveryOrder:
    return _delivered_orders(role_users, household)[0]


def _unchanged(survey: SatisfactionSurvey) -> tuple:
    survey.refresh_from_db()
    return survey.answered_at, survey.score, survey.on_time, survey.comment
