"""Changes to the item master data that the app itself makes (the admin edits the rest through its own forms)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inventory.models import Item

# What a coordinator may change on an item outside the admin: how much stock to keep and whom to buy it from.
RESTOCKING_FIELDS = ("safety_stock", "preferred_supplier")


@transaction.atomic
def item_restocking_update(*, item: Item, **changes) -> Item:
    """Sets an item's restocking settings after the model's own checks (`Item.clean`: the preferred supplier is
    someone we buy from). Nothing is saved if any check fails."""
    unknown = sorted(set(changes) - set(RESTOCKING_FIELDS))
    if unknown:
        raise ValidationError(
            _("Only the safety stock and the preferred supplier can be changed here, not %(fields)s.")
            % {"fields": ", ".join(unknown)},
            code="not_a_restocking_field",
        )
    for name, value in changes.items():
        setattr(item, name, value)
    try:
        item.full_clean()
    except ValidationError:
        # The caller's object goes back to what the database holds, so no refused value lingers on it.
        item.refresh_from_db(fields=list(changes))
        raise
    item.save(update_fields=list(changes))
    return item
