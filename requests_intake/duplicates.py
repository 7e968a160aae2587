"""Finding households registered twice, and merging them into the record that stays.

Three rules make a possible duplicate: the same document (type and number), the same phone, or the same name and
the same address once case, accents, commas and extra spaces are ignored."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import fold
from logistics.models import DeliveryOrder
from requests_intake.documents import document_normalise, phone_normalise
from requests_intake.households import record_as
from requests_intake.models import DocumentType, Household

SAME_DOCUMENT = "document"
SAME_PHONE = "phone"
SAME_NAME_AND_ADDRESS = "name_address"
REASON_LABELS = {
    SAME_DOCUMENT: gettext_lazy("same document"),
    SAME_PHONE: gettext_lazy("same phone"),
    SAME_NAME_AND_ADDRESS: gettext_lazy("same name and address"),
}
# Blank on the record that stays → taken from the duplicate. Pairs travel together: half a location or half a
# consent is worse than none.
FILLED_TOGETHER = [
    ("birth_date",),
    ("phone",),
    ("email",),
    ("address", "postcode", "municipality"),
    ("latitude", "longitude"),
    ("zone",),
    ("access_notes",),
    ("consent_on", "consent_scope"),
    ("vulnerabilities",),
    ("diets",),
    ("preferred_days",),
    ("preferred_from", "preferred_until"),
]


@dataclass(frozen=True)
class DuplicateHit:
    household: Household
    reasons: tuple[str, ...]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[reason]) for reason in self.reasons]


def _same_text(text: str) -> str:
    """The form two spellings of one name or address share: "Calle  Mayor 3, 2º" and "calle mayor 3 2º"."""
    return " ".join(fold(text or "").replace(",", " ").split())


def _quietly(normalise, *args) -> str:
    # The record may hold a value typed before the checks existed; compare it as it is rather than fail.
    try:
        return normalise(*args)
    except ValidationError:
        return args[-1].strip()


def duplicates_for_fields(
    *,
    document_type: str = "",
    document_number: str = "",
    phone: str = "",
    given_name: str = "",
    family_name: str = "",
    address: str = "",
    exclude_pk: int | None = None,
) -> list[DuplicateHit]:
    """Households (not merged away) that match these details by document, phone, or name and address."""
    number = ""
    if document_type and document_type != DocumentType.NONE and document_number.strip():
        number = _quietly(document_normalise, document_type, document_number)
    phone = _quietly(phone_normalise, phone) if phone.strip() else ""
    name = _same_text(f"{given_name} {family_name}")
    place = _same_text(address)

    rules = Q()
    if number:
        rules |= Q(document_type=document_type, document_number=number)
    if phone:
        rules |= Q(phone=phone)
    if name and place:
        # search_text holds the folded name and address; every word must be there, the exact match is checked below.
        words = Q()
        for word in {*name.split(), *place.split()}:
            words &= Q(search_text__contains=word)
        rules |= words
    if not rules:
        return []

    candidates = Household.objects.filter(rules, merged_into__isnull=True).select_related("zone").order_by("pk")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    hits = []
    for other in candidates:
        reasons = []
        if number and (other.document_type, other.document_number) == (document_type, number):
            reasons.append(SAME_DOCUMENT)
        if phone and other.phone == phone:
            reasons.append(SAME_PHONE)
        if name and place and _same_text(other.full_name) == name and _same_text(other.address) == place:
            reasons.append(SAME_NAME_AND_ADDRESS)
        if reasons:
            hits.append(DuplicateHit(household=other, reasons=tuple(reasons)))
    return hits


def duplicates_for(household: Household) -> list[DuplicateHit]:
    """Other live households that may be this one registered again; none for a record already merged away."""
    if household.merged_into_id is not None:
        return []
    return duplicates_for_fields(
        document_type=household.document_type,
        document_number=household.document_number,
        phone=household.phone,
        given_name=household.given_name,
        family_name=household.family_name,
        address=household.address,
        exclude_pk=household.pk,
    )


@dataclass(frozen=True)
class MergeResult:
    keep: Household
    requests_moved: int
    members_moved: int
    members_already_listed: int
    orders_moved: int
    fields_filled: tuple[str, ...]


def _member_key(member) -> tuple[str, object]:
    return _same_text(f"{member.given_name} {member.family_name}"), member.birth_date


@transaction.atomic
def household_merge(*, actor, keep: Household, duplicate: Household) -> MergeResult:
    """Move the duplicate's requests, members and delivery orders to the record that stays, fill that record's
    blanks from the duplicate, and mark the duplicate merged; both rows and both histories are kept."""
    if keep.pk == duplicate.pk:
        raise ValidationError(
            _("A household cannot be merged into itself; nothing was changed."), code="merge_into_itself"
        )
    # Locked in primary-key order, so two people merging the same pair the other way round cannot deadlock.
    locked = {
        h.pk: h for h in Household.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if duplicate.merged_into_id is not None:
        raise ValidationError(
            _("Household %(pk)s was already merged into household %(into)s; nothing was changed.")
            % {"pk": duplicate.pk, "into": duplicate.merged_into_id},
            code="already_merged",
        )
    if keep.merged_into_id is not None:
        raise ValidationError(
            _(
                "Household %(pk)s was itself merged into household %(into)s: merge into that one instead; "
                "nothing was changed."
            )
            % {"pk": keep.pk, "into": keep.merged_into_id},
            code="keep_was_merged",
        )

    reason_in = _("Merged from household %(pk)s") % {"pk": duplicate.pk}
    requests = list(duplicate.requests.all())
    for aid_request in requests:
        aid_request.household = keep
        record_as(aid_request, actor=actor, reason=reason_in)
        aid_request.save(update_fields=["household"])

    # The same child listed on both records stays on the duplicate rather than appear twice on the one kept.
    listed = {_member_key(member) for member in keep.people.all()}
    moved = already = 0
    for member in duplicate.people.all():
        if _member_key(member) in listed:
            already += 1
            continue
        member.household = keep
        record_as(member, actor=actor, reason=reason_in)
        member.save(update_fields=["household"])
        listed.add(_member_key(member))
        moved += 1
    orders_moved = DeliveryOrder.objects.filter(household=duplicate).update(household=keep)

    # The duplicate is marked first: it frees its document for the record that stays (unique among live records).
    duplicate.merged_into = keep
    record_as(duplicate, actor=actor, reason=_("Merged into household %(pk)s") % {"pk": keep.pk})
    duplicate.save(update_fields=["merged_into"])

    filled = _fill_blanks(keep, duplicate)
    if keep.people.count() + 1 > keep.members:
        keep.members = keep.people.count() + 1
        filled.append("members")
    record_as(keep, actor=actor, reason=reason_in)
    # Saved even when nothing was filled: the kept record's history shows the merge.
    keep.save(update_fields=[*filled, "search_text"])
    return MergeResult(
        keep=keep,
        requests_moved=len(requests),
        members_moved=moved,
        members_already_listed=already,
        orders_moved=orders_moved,
        fields_filled=tuple(filled),
    )


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _fill_blanks(keep: Household, duplicate: Household) -> list[str]:
    filled = []
    if keep.document_type == DocumentType.NONE and duplicate.document_type != DocumentType.NONE:
        keep.document_type, keep.document_number = duplicate.document_type, duplicate.document_number
        filled += ["document_type", "document_number"]
    for names in FILLED_TOGETHER:
        if all(_blank(getattr(keep, name)) for name in names) and not all(
            _blank(getattr(duplicate, name)) for name in names
        ):
            for name in names:
                setattr(keep, name, getattr(duplicate, name))
            filled += names
    # Reduced mobility is never "blank": if either record says so, the driver must know.
    if duplicate.reduced_mobility and not keep.reduced_mobility:
        keep.reduced_mobility = True
        filled.append("reduced_mobility")
    return filled
