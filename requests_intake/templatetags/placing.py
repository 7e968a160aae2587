"""`{% address_unplaced household %}`: said at once, wherever the household is shown, when its address has no point."""

from django import template

from requests_intake.address_hints import streets_like_address

register = template.Library()


@register.inclusion_tag("requests_intake/_address_unplaced.html", takes_context=True)
def address_unplaced(context, household):
    shown = household.address and not household.has_location
    user = context.get("user")
    return {
        "household": household,
        "shown": shown,
        "may_place": bool(user and user.has_perm("requests_intake.change_household")),
        "suggestions": streets_like_address(household) if shown else [],
    }
