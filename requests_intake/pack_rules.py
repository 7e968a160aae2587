"""The rule table that proposes an aid plan's packs from who lives in the household."""

import datetime as dt

from requests_intake.models import Household, PackRule


def youngest_age(household: Household, on: dt.date) -> int | None:
    ages = [age for age in (m.age_on(on) for m in household.people.all()) if age is not None]
    return min(ages) if ages else None


def pack_proposal(household: Household, *, needs: list[str], on: dt.date) -> list[tuple]:
    """(pack, quantity, every_nth) for every active rule the household matches; the social worker may change it.

    A rule matches when the household's size is in its range, its need (if any) was asked for, and, for rules
    about small children, a member is younger than the rule's age."""
    youngest = youngest_age(household, on)
    proposal: dict[int, tuple] = {}
    for rule in PackRule.objects.filter(active=True).select_related("pack"):
        if household.members < rule.min_members:
            continue
        if rule.max_members is not None and household.members > rule.max_members:
            continue
        if rule.need and rule.need not in needs:
            continue
        if rule.child_under_years is not None and (youngest is None or youngest >= rule.child_under_years):
            continue
        # Two rules for the same pack: the larger quantity wins, so overlapping ranges do not double a pack.
        current = proposal.get(rule.pack_id)
        if current is None or rule.quantity > current[1]:
            proposal[rule.pack_id] = (rule.pack, rule.quantity, rule.every_nth)
    return list(proposal.values())
