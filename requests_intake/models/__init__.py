from requests_intake.models.absences import HouseholdAbsence
from requests_intake.models.cases import CaseAssignment, HomeVisit, Intervention
from requests_intake.models.complaints import Complaint
from requests_intake.models.conversations import MessageOptOut
from requests_intake.models.households import (
    ConsentScope,
    ContactChannel,
    Diet,
    DocumentType,
    Household,
    HouseholdMember,
    NationalityGroup,
    Sex,
    Vulnerability,
    Weekday,
)
from requests_intake.models.notifications import Notification
from requests_intake.models.pharmacies import Pharmacy, PharmacyHours
from requests_intake.models.plans import AidPlan, AidPlanLine, PackRule
from requests_intake.models.requests import (
    AidRequest,
    Channel,
    KeywordAction,
    Need,
    Priority,
    ReferralSource,
    RejectionCode,
    RequestMessage,
)
from requests_intake.models.status import StatusLink
from requests_intake.models.zones import Zone

__all__ = [
    "AidPlan",
    "AidPlanLine",
    "AidRequest",
    "CaseAssignment",
    "Channel",
    "Complaint",
    "ConsentScope",
    "ContactChannel",
    "Diet",
    "DocumentType",
    "HomeVisit",
    "Household",
    "HouseholdAbsence",
    "HouseholdMember",
    "Intervention",
    "KeywordAction",
    "MessageOptOut",
    "NationalityGroup",
    "Need",
    "Notification",
    "PackRule",
    "Pharmacy",
    "PharmacyHours",
    "Priority",
    "ReferralSource",
    "RejectionCode",
    "RequestMessage",
    "Sex",
    "StatusLink",
    "Vulnerability",
    "Weekday",
    "Zone",
]
