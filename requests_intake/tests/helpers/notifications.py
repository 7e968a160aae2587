"""A registered request and a notification for it, for the notifications tests."""

from requests_intake.models import Notification
from requests_intake.notifications import notification_create
from requests_intake.services import aid_request_register
from requests_intake.tests.factories import HouseholdFactory


def _request(*, household=None, **fields):
    """A registered request with the given contact fields (its "received" message already stored)."""
    request = aid_request_register(
        actor=None, household=household or HouseholdFactory(), channel=fields.pop("channel", "phone"), needs=["food"]
    )
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    return request


def _pending(request, event=Notification.Event.APPROVED, **context) -> Notification:
    return notification_create(request=request, event=event, **context)
