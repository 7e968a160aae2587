"""A complaint received on a Monday, for test_complaints_services.py and test_complaints_pages.py."""

import datetime as dt

from requests_intake.complaints import complaint_receive
from requests_intake.models import Complaint

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _receive(category=Complaint.Category.COMPLAINT, now=MONDAY, **kwargs) -> Complaint:
    return complaint_receive(source=Complaint.Source.STAFF, category=category, text="Llegó tarde.", now=now, **kwargs)
