"""The driver's consent to share the van's position during a round, and the fixes the phone then sends."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import permission_needed
from delivery.models import Round
from delivery.positions import round_is_under_way, round_position_share, van_position_record
from delivery.selectors import driver_rounds

# The phone sends a fix at most once a minute, sooner once the van has moved this far since the last one sent.
POSITION_EVERY_S = 60
POSITION_EVERY_M = 200

# What the phone hears for each refusal: a fix it should not have sent stops it from sending more (409), one it sent
# too soon waits (429), one it got wrong is a bug to see (400).
STATUS_BY_CODE = {
    "position_not_shared": 409,
    "round_not_under_way": 409,
    "position_too_soon": 429,
    "not_the_driver": 403,
}


def _own_round(request, pk: int) -> Round:
    round_ = get_object_or_404(Round, pk=pk)
    if not driver_rounds(request.user).filter(pk=round_.pk).exists():
        raise PermissionDenied
    return round_


@require_POST
@permission_needed("delivery.record_delivery")
def round_position_share_view(request, pk: int):
    """The toggle on the driver's page: share the van's position during this round, or stop sharing it."""
    round_ = _own_round(request, pk)
    share = request.POST.get("share")
    if share not in ("1", "0"):
        messages.error(request, _("Say 1 to share the position or 0 to stop; nothing was changed."))
        return redirect("driver_round")
    try:
        round_position_share(actor=request.user, round_=round_, share=share == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        # Sharing needs no message of its own: the page it returns to already says the position is shared.
        if share == "0":
            messages.success(request, _("Your position is no longer shared; what was sent has been deleted."))
    return redirect("driver_round")


@require_POST
@permission_needed("delivery.record_delivery")
def round_position_view(request, pk: int):
    """One fix from the phone: {"latitude", "longitude", "accuracy" (m, optional), "recorded_at" (ISO, optional)}."""
    round_ = _own_round(request, pk)
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        return _refusal(_("The position is not readable JSON; nothing was stored."), "unreadable", 400)
    if not isinstance(body, dict):
        return _refusal(_("The position must be an object with a latitude and a longitude."), "unreadable", 400)
    try:
        position = van_position_record(
            actor=request.user,
            round_=round_,
            latitude=body.get("latitude"),
            longitude=body.get("longitude"),
            accuracy=body.get("accuracy"),
            recorded_at=body.get("recorded_at"),
        )
    except ValidationError as exc:
        return _refusal(" ".join(exc.messages), exc.code, STATUS_BY_CODE.get(exc.code, 400))
    return JsonResponse({"stored": True, "recorded_at": position.recorded_at.isoformat()}, status=201)


def _refusal(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def position_config(round_: Round | None) -> dict | None:
    """What static/js/driver/position.js needs: where to send, whether the driver agreed and the round is under
    way, how often to send, and its words. None without a round."""
    if round_ is None:
        return None
    return {
        "url": reverse("round_position", args=[round_.pk]),
        "shared": round_.position_shared_at is not None,
        "under_way": round_is_under_way(round_),
        "every_s": POSITION_EVERY_S,
        "every_m": POSITION_EVERY_M,
        "texts": {
            "sharing": _("Sharing your position with the depot."),
            "denied": _("The phone did not allow the page to read its position: nothing is shared."),
            "stopped": _("Position no longer shared: the round is over or sharing was turned off."),
        },
    }
