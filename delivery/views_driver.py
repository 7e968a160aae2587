"""The driver's phone page, the queue it sends when the signal comes back, and the proof it leaves behind."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from core.api import RETRY_AFTER_S
from core.permissions import any_permission_needed, permission_needed
from delivery.concerns import CONCERN_MAX_CHARS, concern_raise
from delivery.driver_sync import actions_apply, domain_refusal, stops_removed
from delivery.forms import ConcernForm, DeliveredForm, FailedForm
from delivery.manifests import arrival_window
from delivery.models import Round, Stop
from delivery.pharmacy_pickups import HANDED_OVER_BY_MAX, failure_reasons_for, stop_mark_picked_up
from delivery.pickup_selectors import opening_hours_on, pickups_by_order
from delivery.proof import EXTENSIONS, KINDS, proof_content_type
from delivery.selectors import driver_next_round, driver_rounds, round_for_manifest
from delivery.services import round_start, stop_failure_undo, stop_mark_delivered, stop_mark_failed
from delivery.views_positions import position_config
from inventory.reservations import InsufficientStock
from logistics.models import DeliveryOrder
from requests_intake.zone_access import zone_open_to

# More than this in one request is not a phone's queue.
SYNC_MAX_ACTIONS = 100
# Photos are shrunk on the phone to this many pixels on their longest side.
PHOTO_MAX_PIXELS = 1280


def _stop_card(stop: Stop, pickups: dict[int, Stop]) -> dict:
    """What the hand-over needs and nothing about the household's situation. A pharmacy pickup shows the pharmacy
    (where, its phone, its hours that day); the home stop of a medication order shows whether it was collected."""
    household, plan = stop.order.household, stop.order.plan
    window_start, window_end = arrival_window(stop)
    pickup = stop.kind == Stop.Kind.PICKUP
    # The home stop's own pickup on this round, if the medication is collected on the way.
    medication_pickup = None if pickup else pickups.get(stop.order_id)
    failed_with_pickup = medication_pickup is not None and medication_pickup.outcome == Stop.Outcome.FAILED
    return {
        "stop": stop,
        "household": household,
        "is_pickup": pickup,
        "window_start": window_start,
        "window_end": window_end,
        "pharmacy": plan.pharmacy,
        "pharmacy_hours": opening_hours_on(plan.pharmacy, stop.round.date) if pickup and plan.pharmacy else "",
        "prescription_ref": plan.prescription_ref,
        "medication_pickup": medication_pickup,
        "lines": stop.order.lines.all(),
        "reasons": failure_reasons_for(stop.kind),
        # Until the failure is settled nothing has been sent: the driver may still take it back. A home stop that
        # failed with its pickup is taken back with the pickup, on the pickup's card.
        "undoable": stop.outcome == Stop.Outcome.FAILED
        and stop.order.status == DeliveryOrder.Status.FAILED
        and not failed_with_pickup,
    }


def _page_config(request, round_: Round | None) -> dict:
    """Settings and words for static/js/driver/, which has no translation catalogue of its own."""
    # A queued photo must fit in one request with room to spare for the JSON around it.
    room = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.PROOF_MAX_BYTES * 2) - 64 * 1024
    return {
        "user": request.user.pk,
        "round": round_.pk if round_ else None,
        "sync_url": reverse("driver_sync"),
        "sw_url": reverse("driver_sw"),
        "sw_scope": reverse("driver_round"),
        "batch_chars": room,
        "photo_max_bytes": min(settings.PROOF_MAX_BYTES, room * 3 // 4),
        "photo_max_pixels": PHOTO_MAX_PIXELS,
        "reasons": {value: str(label) for value, label in Stop.FailureReason.choices},
        "undo_seconds": settings.DRIVER_TAP_UNDO_S,
        "position": position_config(round_),  # static/js/driver/position.js
        "texts": {
            # A tap held for its undo (DRIVER_TAP_UNDO_S) has not left the phone on purpose: not "waiting for signal".
            "held_one": _("1 action: saving in a few seconds…"),
            # {count} is replaced on the phone; keep it as it is.
            "held_many": _("{count} actions: saving in a few seconds…"),
            "waiting_one": _("1 action waiting for signal"),
            # {count} is replaced on the phone; keep it as it is.
            "waiting_many": _("{count} actions waiting for signal"),
            "sending": _("Sending…"),
            "offline": _("No signal: what you record stays on this phone and is sent later."),
            "session": _("Your session has ended: sign in again to send what is waiting. Nothing is lost."),
            "server_error": _("The server did not take the actions; trying again shortly."),
            "delivered": _("Delivered"),
            "failed": _("Not delivered"),
            # {reason} is replaced on the phone; keep it as it is.
            "failed_confirm": _("Record this stop as not delivered ({reason})? You can undo it for a few minutes."),
            "picked_up": _("Picked up"),
            "pickup_failed": _("Not picked up"),
            # {reason} is replaced on the phone; keep it as it is.
            "pickup_failed_confirm": _(
                "Record this pickup as not done ({reason})? The home visit fails with it. You can undo it for a few "
                "minutes."
            ),
            "handed_over_by_missing": _("Write who at the pharmacy handed the medication over."),
            "medication_picked_up": _("Medication picked up: hand it over here."),
            "undo": _("Undo"),
            "undo_note": _("Wrong stop? It stays on the phone a few seconds before it is sent."),
            "started": _("Round started"),
            "waiting": _("waiting for signal"),
            "held": _("saving in a few seconds…"),
            "sent": _("sent"),
            "concern_queued": _("Concern kept; it goes to social services with the signal."),
            "photo_error": _("That photo could not be read or made small enough; take it again."),
            "storage_full": _("The phone has no room left for the photo; the delivery was kept without it."),
            "storage_error": _("The phone could not keep this action; use the form again with signal."),
            "stop_removed": _("A stop was taken off your round: its order was cancelled or moved to another day."),
        },
    }


# Compressed: 28 stops of forms are ~90 KB of HTML, 2 s on a slow 3G signal; about 6 KB once compressed (issue 20,
# `python -m loadtest.driver_page`). Django pads each compressed answer with random bytes against BREACH.
@gzip_page
@permission_needed("delivery.record_delivery")
def driver_round(request):
    """The driver's phone page: only what the hand-over needs, in delivery order."""
    round_ = driver_next_round(request.user, timezone.localdate())
    if round_ is not None:
        round_ = round_for_manifest(round_.pk)
    stops = list(round_.stops.all()) if round_ else []
    # Started once no order of it is still waiting at the depot.
    may_start = any(stop.order.status == DeliveryOrder.Status.PLANNED for stop in stops)
    # At 24 stops the page is long: the stops still to do come first, the next at the top; done ones are folded.
    pickups = pickups_by_order(stops)
    cards = [_stop_card(stop, pickups) for stop in sorted(stops, key=lambda s: s.sequence)]
    to_do = [card for card in cards if card["stop"].outcome == Stop.Outcome.PENDING]
    done = [card for card in cards if card["stop"].outcome != Stop.Outcome.PENDING]
    return render(
        request,
        "delivery/driver_round.html",
        {
            "round": round_,
            "cards": to_do,
            "done_cards": done,
            "next_card": to_do[0] if to_do else None,
            "total": len(cards),
            "may_start": may_start,
            "concern_max": CONCERN_MAX_CHARS,
            "handed_over_by_max": HANDED_OVER_BY_MAX,
            "driver_config": _page_config(request, round_),
        },
    )


def _own_stop(request, pk: int) -> Stop:
    stop = get_object_or_404(Stop.objects.select_related("round", "order__household"), pk=pk)
    if not driver_rounds(request.user).filter(pk=stop.round_id).exists():
        raise PermissionDenied
    return stop


def _back_to(stop: Stop):
    return redirect(f"{reverse('driver_round')}#stop-{stop.pk}")


@require_POST
@permission_needed("delivery.record_delivery")
def stop_delivered(request, pk: int):
    stop = _own_stop(request, pk)
    form = DeliveredForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return _back_to(stop)
    try:
        stop_mark_delivered(
            actor=request.user,
            stop=stop,
            received_by=form.cleaned_data["received_by"],
            photo=form.cleaned_data["photo"],
        )
    except (ValidationError, InsufficientStock) as exc:
        messages.error(request, domain_refusal(exc)[1])
    else:
        messages.success(request, _("Stop %(number)s delivered.") % {"number": stop.sequence})
    return _back_to(stop)


@require_POST
@permission_needed("delivery.record_delivery")
def stop_picked_up(request, pk: int):
    """The plain form of a pharmacy pickup; with JavaScript the page queues it like the other actions."""
    stop = _own_stop(request, pk)
    try:
        stop_mark_picked_up(actor=request.user, stop=stop, handed_over_by=request.POST.get("handed_over_by", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Stop %(number)s: medication picked up.") % {"number": stop.sequence})
    return _back_to(stop)


@require_POST
@permission_needed("delivery.record_delivery")
def stop_failed(request, pk: int):
    stop = _own_stop(request, pk)
    form = FailedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the delivery failed; nothing was saved."))
        return _back_to(stop)
    try:
        stop_mark_failed(actor=request.user, stop=stop, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if stop.kind == Stop.Kind.PICKUP:
            message = _("Stop %(number)s recorded as not picked up.")
        else:
            message = _("Stop %(number)s recorded as not delivered.")
        messages.warning(request, message % {"number": stop.sequence})
    return _back_to(stop)


@require_POST
@permission_needed("delivery.record_delivery")
def stop_failure_undone(request, pk: int):
    stop = _own_stop(request, pk)
    try:
        stop_failure_undo(actor=request.user, stop=stop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Stop %(number)s is to be delivered again.") % {"number": stop.sequence})
    return _back_to(stop)


@require_POST
@permission_needed("delivery.record_delivery", "delivery.add_welfareconcern")
def stop_concern(request, pk: int):
    """A welfare concern from the plain form; with JavaScript the page queues it like the other actions."""
    stop = _own_stop(request, pk)
    form = ConcernForm(request.POST)
    try:
        if not form.is_valid():
            # The form's own errors (with their codes) go the same way as the service's refusals.
            raise ValidationError([error for errors in form.errors.as_data().values() for error in errors])
        concern_raise(actor=request.user, stop=stop, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your concern was passed on to social services."))
    return _back_to(stop)


@require_POST
@permission_needed("delivery.record_delivery")
def round_started(request, pk: int):
    """The driver leaves the depot: the round's orders are out for delivery."""
    round_ = get_object_or_404(driver_rounds(request.user), pk=pk)
    count = round_start(actor=request.user, round_=round_)
    messages.success(request, _("Round started: %(count)s orders out for delivery.") % {"count": count})
    return redirect("driver_round")


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
@permission_needed("delivery.record_delivery")
def driver_sync(request):
    """The phone's queue: {"actions": [...], "known": [stop ids shown]} in, one answer per action and the ids of
    stops taken off its rounds out (see delivery.driver_sync)."""
    try:
        body = json.loads(request.body)
    except RequestDataTooBig:
        return _json_error(_("Too much was sent at once; the phone will send fewer actions at a time."), 413)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes, not a phone's queue
        return _json_error(_("The request is not readable JSON; nothing was recorded."), 400)
    actions = body.get("actions") if isinstance(body, dict) else None
    if not isinstance(actions, list):
        return _json_error(_("The request has no list of actions; nothing was recorded."), 400)
    if len(actions) > SYNC_MAX_ACTIONS:
        return _json_error(
            _("At most %(limit)s actions at a time; nothing was recorded.") % {"limit": SYNC_MAX_ACTIONS}, 400
        )
    try:
        answers = actions_apply(driver=request.user, actions=actions)
    except (OperationalError, InterfaceError):
        # The database, not the actions: the phone keeps its queue and sends it again; keys make that safe.
        response = _json_error(_("The server is briefly unavailable; the phone will send again shortly."), 503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    # Stops taken off the driver's rounds since the phone loaded its page: it drops them from the screen.
    removed = stops_removed(driver=request.user, known=body.get("known"))
    return JsonResponse({"answers": answers, "removed": removed})


# static/js/driver/: every module the page imports, so that the service worker keeps them all for the offline page.
DRIVER_MODULES = ("main", "config", "storage", "screen", "queue", "sync", "hold", "signature", "photo", "position")


@permission_needed("delivery.record_delivery")
def driver_sw(request):
    """The service worker, served from /driver/ so that it may look after the driver's page."""
    precache = [static("reparto.css"), static("css/driver.css"), static("js/language.js"), static("favicon.svg")]
    precache += [static(f"js/driver/{module}.js") for module in DRIVER_MODULES]
    # A new list (another module, or new contents under hashed production names) is a new cache.
    version = hashlib.sha256(json.dumps(precache).encode()).hexdigest()[:12]
    config = {
        "cache": f"reparto-driver-{version}",
        "page": reverse("driver_round"),
        # Not static(""): production's manifest storage has no entry for a folder and raises.
        "static_prefix": settings.STATIC_URL,
        "precache": precache,
    }
    response = render(
        request, "delivery/driver_sw.js", {"sw_config": json.dumps(config)}, content_type="application/javascript"
    )
    # The browser checks for a new worker on each visit; never let a cache hide one.
    response["Cache-Control"] = "no-cache"
    return response


def _may_see_proof(user, stop: Stop) -> bool:
    if user.has_perm("routing.view_planningrun"):
        return True
    if user.has_perm("delivery.record_delivery") and stop.round.driver_id == user.pk:
        return True
    if user.has_perm("requests_intake.view_aidplan"):
        # A social worker on some zones reads those zones' households, and households not yet placed.
        return zone_open_to(user, stop.order.household.zone_id)
    return False


@any_permission_needed("routing.view_planningrun", "requests_intake.view_aidplan", "delivery.record_delivery")
def stop_proof(request, pk: int, kind: str):
    """A stop's signature or photo, read from private storage for those who may see it; never a public URL."""
    stop = get_object_or_404(Stop.objects.select_related("round", "order__household"), pk=pk)
    if not _may_see_proof(request.user, stop):
        raise PermissionDenied
    if kind not in KINDS or not getattr(stop, kind):
        raise Http404
    content_type = proof_content_type(stop, kind)
    try:
        file = getattr(stop, kind).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="stop-{stop.pk}-{kind}.{EXTENSIONS[content_type]}"'
    response["Cache-Control"] = "private, no-store"
    return response
