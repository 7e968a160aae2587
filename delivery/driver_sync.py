"""What the driver's phone queued while it had no signal, applied when the signal comes back.

Each action carries a key the phone made. The phone sends its queue again whenever it did not hear the answer,
so a key already seen gets the answer stored the first time and changes nothing. Each action is applied on its
own: one refused action never holds back the rest of the queue. Every refusal carries a stable `code` for the
phone and a translated message for the driver."""

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.dates import MOMENT_FORMAT, day_text
from delivery.concerns import concern_raise
from delivery.models import DriverAction, Round, Stop
from delivery.pharmacy_pickups import stop_mark_picked_up
from delivery.proof import PHOTO, SIGNATURE, proof_from_data_url
from delivery.selectors import driver_rounds
from delivery.services import round_start, stop_mark_delivered, stop_mark_failed
from inventory.reservations import InsufficientStock

START = "start"
DELIVERED = "delivered"
FAILED = "failed"
CONCERN = "concern"
# The medication collected at the pharmacy, with who handed it over (delivery.pharmacy_pickups).
PICKED_UP = "picked_up"
KINDS = (START, DELIVERED, FAILED, CONCERN, PICKED_UP)
# A phone's clock runs a little off; more than this ahead is a wrong clock, not a delivery.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
# Rounds are planned a day or so ahead; a time days before its round's date is a wrong clock, not a delivery. This
# also keeps times the database cannot store (year 1, year 9999 once shifted to UTC) out of the ledger.
EARLIEST_BEFORE_ROUND = dt.timedelta(days=2)
RECEIVED_BY_MAX = Stop._meta.get_field("received_by").max_length
MESSAGE_MAX = DriverAction._meta.get_field("message").max_length

logger = logging.getLogger(__name__)


class Refused(Exception):
    """An action the server will not apply; its message is for the driver, its code for the phone."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


def actions_apply(*, driver, actions: list) -> list[dict]:
    """Apply the phone's actions in the order it sent them; one answer per action, never an exception.

    The one exception let through is the database being unreachable: the caller answers 503 and the phone keeps
    its queue, since a refusal would make it drop actions that were never looked at."""
    return [_action_apply_safely(driver, action) for action in actions]


def _answer(key, accepted: bool, message: str, code: str = "") -> dict:
    return {"key": key, "accepted": accepted, "code": code or None, "message": message}


def _action_apply_safely(driver, action) -> dict:
    try:
        return _action_apply(driver, action)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        # A bug must cost one action, not the queue behind it: the phone drops a refused action and goes on.
        key = _key(action.get("key")) if isinstance(action, dict) else None
        logger.exception("Driver action %s from user %s failed", key, driver.pk)
        return _answer(str(key) if key else None, False, _unexpected_message(), "unexpected_error")


def _unexpected_message() -> str:
    return _("The server could not record this action; nothing was recorded. Tell the depot what you did.")


def _action_apply(driver, action) -> dict:
    if not isinstance(action, dict):
        return _answer(
            None, False, _("An action from the phone could not be read; it was not recorded."), "unreadable_action"
        )
    raw_key = action.get("key")
    key = _key(raw_key)
    if key is None:
        sent = raw_key if isinstance(raw_key, str) else None
        return _answer(sent, False, _("The action has no valid key; it was not recorded."), "invalid_key")
    answer_key = str(key)
    try:
        previous = DriverAction.objects.filter(key=key).first()
        if previous is not None:
            return _replay(previous, driver=driver, kind=action.get("kind"), key=answer_key)
        kind = action.get("kind")
        if kind not in KINDS:
            raise Refused(
                _("The phone sent an action this server does not know; it was not recorded."), code="unknown_kind"
            )
        round_, stop = _target(driver, kind, action)
        done_at = _done_at(action.get("done_at"), round_)
    except Refused as refusal:
        return _answer(answer_key, False, str(refusal), refusal.code)
    try:
        with transaction.atomic():
            # Every action on a stop (or round) waits for the same row, so two copies of one key arriving together
            # queue up and the second finds the first one's record.
            locked = Stop.objects.filter(pk=stop.pk) if stop else Round.objects.filter(pk=round_.pk)
            locked.select_for_update().first()
            previous = DriverAction.objects.filter(key=key).first()
            if previous is not None:
                return _replay(previous, driver=driver, kind=kind, key=answer_key)
            accepted, code, message = _perform(driver, kind, round_, stop, action, done_at)
            message = message[:MESSAGE_MAX]
            DriverAction.objects.create(
                key=key,
                driver=driver,
                stop=stop,
                round=round_,
                kind=kind,
                done_at=done_at,
                accepted=accepted,
                code=code,
                message=message,
            )
    except IntegrityError:
        # The same key was recorded by a parallel request between our look and our insert.
        return _replay(DriverAction.objects.get(key=key), driver=driver, kind=kind, key=answer_key)
    return _answer(answer_key, accepted, message, code)


def _key(value) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _replay(previous: DriverAction, *, driver, kind, key: str) -> dict:
    if previous.driver_id != driver.pk or previous.kind != kind:
        return _answer(
            key, False, _("This key was already used for another action; it was not recorded."), "key_reused"
        )
    return _answer(key, previous.accepted, previous.message, previous.code)


def _target(driver, kind: str, action: dict) -> tuple[Round, Stop | None]:
    """The round and stop the action is about (no stop for starting the round). Only the driver's own."""
    if kind == START:
        round_id = _id(action.get("round"))
        round_ = driver_rounds(driver).filter(pk=round_id).first() if round_id is not None else None
        if round_ is None:
            raise Refused(
                _("Round %(round)s is not one of your rounds; nothing was recorded.")
                % {"round": _shown_id(action.get("round"))},
                code="not_your_round",
            )
        return round_, None
    stop_id = _id(action.get("stop"))
    stops = Stop.objects.select_related("round", "order__household").filter(pk=stop_id, round__in=driver_rounds(driver))
    stop = stops.first() if stop_id is not None else None
    if stop is None:
        # The same answer for a stop that does not exist and one on someone else's round: nothing to learn.
        raise Refused(
            _("Stop %(stop)s is not on your rounds; nothing was recorded.") % {"stop": _shown_id(action.get("stop"))},
            code="not_your_stop",
        )
    return stop.round, stop


def _shown_id(value) -> str:
    # Only a number or a short string is echoed: a nested structure is not worth turning into text.
    return str(value)[:20] if isinstance(value, int | str) else "?"


def _id(value) -> int | None:
    """A row id as the phone may send it: a number or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _done_at(value, round_: Round) -> dt.datetime:
    """When it happened on the phone: a readable time, not ahead of the server's clock by more than a little and
    not days before the round's date."""
    try:
        done_at = parse_datetime(value) if isinstance(value, str) else None
        if done_at is not None and timezone.is_naive(done_at):
            done_at = timezone.make_aware(done_at)
    except (ValueError, OverflowError):
        done_at = None
    if done_at is None:
        raise Refused(_("The action has no readable time; nothing was recorded."), code="unreadable_time")
    if done_at > timezone.now() + CLOCK_TOLERANCE:
        raise Refused(
            _("The action's time (%(time)s) is in the future; check the phone's clock. Nothing was recorded.")
            % {"time": _shown_time(done_at)},
            code="time_in_future",
        )
    earliest = timezone.make_aware(dt.datetime.combine(round_.date - EARLIEST_BEFORE_ROUND, dt.time.min))
    if done_at < earliest:
        raise Refused(
            _(
                "The action's time (%(time)s) is days before the round of %(date)s; check the phone's clock. "
                "Nothing was recorded."
            )
            % {"time": _shown_time(done_at), "date": day_text(round_.date)},
            code="time_before_round",
        )
    return done_at


def _shown_time(value: dt.datetime) -> str:
    try:
        value = timezone.localtime(value)
    except OverflowError:
        pass  # year 1 or 9999 cannot move to local time; the phone's own offset says enough
    return value.strftime(MOMENT_FORMAT)


def _perform(driver, kind: str, round_: Round, stop: Stop | None, action: dict, done_at) -> tuple[bool, str, str]:
    """Run the service for the action in its own savepoint: (accepted, code, message). Any failure is a refusal
    with the stop named so the driver knows which; the savepoint leaves nothing of it behind."""
    number = stop.sequence if stop else 0
    try:
        with transaction.atomic():
            return True, "", _perform_service(driver, kind, round_, stop, action, done_at)
    except (OperationalError, InterfaceError):
        raise
    except (ValidationError, InsufficientStock) as exc:
        code, problem = domain_refusal(exc)
    except Exception:
        logger.exception("Driver action %s on stop %s failed", kind, stop.pk if stop else None)
        code, problem = "unexpected_error", _unexpected_message()
    return False, code, _("Stop %(number)s: %(problem)s") % {"number": number, "problem": problem}


def _perform_service(driver, kind: str, round_: Round, stop: Stop | None, action: dict, done_at) -> str:
    number = stop.sequence if stop else 0
    if kind == START:
        count = round_start(actor=driver, round_=round_)
        if not count:
            return _("The round had already started.")
        return _("Round started: %(count)s orders out for delivery.") % {"count": count}
    if kind == DELIVERED:
        stop_mark_delivered(actor=driver, stop=stop, done_at=done_at, **_delivery_details(action))
        return _("Stop %(number)s delivered.") % {"number": number}
    if kind == PICKED_UP:
        # Not a string (a number, a list) is no name: the service refuses it as missing, with its code.
        stop_mark_picked_up(
            actor=driver, stop=stop, handed_over_by=_text(action.get("handed_over_by")), done_at=done_at
        )
        return _("Stop %(number)s: medication picked up.") % {"number": number}
    if kind == FAILED:
        stop_mark_failed(actor=driver, stop=stop, reason=_text(action.get("reason")), done_at=done_at)
        if stop.kind == Stop.Kind.PICKUP:
            return _("Stop %(number)s recorded as not picked up.") % {"number": number}
        return _("Stop %(number)s recorded as not delivered.") % {"number": number}
    concern_raise(actor=driver, stop=stop, text=_text(action.get("text")))
    return _("Stop %(number)s: your concern was passed on to social services.") % {"number": number}


def domain_refusal(exc: ValidationError | InsufficientStock) -> tuple[str, str]:
    """A service's refusal as (code, message for the driver); shared with the plain form's views."""
    if isinstance(exc, InsufficientStock):
        # The holds guarantee the units, so the ledger was changed behind the order's back: only the depot can
        # put it right, and the driver must not think the delivery counted.
        return "insufficient_stock", _(
            "%(problem)s The delivery was not recorded; call the depot so they can check the stock."
        ) % {"problem": str(exc)}
    errors = exc.error_list if hasattr(exc, "error_list") else [e for each in exc.error_dict.values() for e in each]
    code = next((error.code for error in errors if error.code), "refused")
    return code, " ".join(exc.messages)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _delivery_details(action: dict) -> dict:
    received_by = _text(action.get("received_by")).strip()
    if len(received_by) > RECEIVED_BY_MAX:
        raise ValidationError(
            _("“Received by” is longer than %(limit)s characters; nothing was saved.") % {"limit": RECEIVED_BY_MAX},
            code="received_by_too_long",
        )
    details = {"received_by": received_by}
    for kind in (SIGNATURE, PHOTO):
        data_url = action.get(kind)
        details[kind] = proof_from_data_url(data_url, kind=kind) if data_url else None
    return details


# A phone sends the stops it shows with each sync; more than a day's rounds could hold is not a phone's page.
KNOWN_MAX = 500


def stops_removed(*, driver, known) -> list[int]:
    """Of the stop ids the phone shows (`known`), those no longer on the driver's rounds: taken off because
    their order was cancelled or moved to another day. The phone drops them, even after a day without signal.

    Only ids the phone sent come back, so a driver learns nothing about other drivers' stops."""
    if not isinstance(known, list):
        return []
    ids = sorted({value for value in known[:KNOWN_MAX] if isinstance(value, int) and not isinstance(value, bool)})
    still = set(Stop.objects.filter(pk__in=ids, round__in=driver_rounds(driver)).values_list("pk", flat=True))
    return [stop_id for stop_id in ids if stop_id not in still]
