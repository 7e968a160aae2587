"""The chain of custody of a plan's medication, for the household's social worker: from the pharmacy counter to the
hand at home, or where and why it stopped."""

from django.shortcuts import get_object_or_404, render

from core.permissions import permission_needed
from delivery.pickup_selectors import plan_custody
from requests_intake.models import AidPlan
from requests_intake.zone_access import zone_ensure_open


@permission_needed("requests_intake.view_aidplan")
def plan_custody_page(request, pk: int):
    """Per order of the plan, each round that carried it: the pickup (when, by which driver, handed over by whom)
    and the hand-over at home (when, received by whom), or the failure and its reason."""
    plan = get_object_or_404(AidPlan.objects.select_related("request__household", "request__zone", "pharmacy"), pk=pk)
    # The plan's request is in a zone, as on the plan page: another zone's social worker is refused.
    zone_ensure_open(request.user, plan.request.zone_id)
    return render(request, "delivery/plan_custody.html", {"plan": plan, "orders": plan_custody(plan)})
