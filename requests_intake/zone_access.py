"""Who may see which zone's records: one rule for every page, API, export and list.

A manager (who may read the audit) and anyone on no zone's list see every zone, which is how a small town with one
social worker runs. A user listed on zones sees those zones' records and the records not yet placed in any zone,
so that a household or a request whose postcode placed nowhere reaches someone instead of no one."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet


def zone_ids_for(user) -> set[int] | None:
    """The zones a user works in, or None for every zone."""
    if user.has_perm("requests_intake.view_audit"):
        return None
    ids = set(user.zones.values_list("pk", flat=True))
    return ids or None


def zone_open(visible: set[int] | None, zone_id: int | None) -> bool:
    """Whether a record of `zone_id` (None: not placed) is open to a user who sees `visible` (from zone_ids_for)."""
    return visible is None or zone_id is None or zone_id in visible


def zone_open_to(user, zone_id: int | None) -> bool:
    return zone_open(zone_ids_for(user), zone_id)


def zone_ensure_open(user, zone_id: int | None) -> None:
    """Refuse (403) a user who may not see a record of this zone."""
    if not zone_open_to(user, zone_id):
        raise PermissionDenied


def in_zone_ids(queryset: QuerySet, visible: set[int] | None, field: str = "zone") -> QuerySet:
    """`queryset` narrowed to the records `zone_open` lets through; `field` leads from a row to its zone."""
    if visible is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__in": visible}) | Q(**{f"{field}__isnull": True}))


def in_zones(queryset: QuerySet, user, field: str = "zone") -> QuerySet:
    return in_zone_ids(queryset, zone_ids_for(user), field)
