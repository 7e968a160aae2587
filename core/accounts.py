"""Accounts that must choose a new password before doing anything else (the demo's, whose password is published).

Kept as membership of one group, so an administrator can also require it of anyone from the admin."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

PASSWORD_CHANGE_GROUP = "password_change_required"


def password_change_pending(user) -> bool:
    """Whether the user must choose a new password before using Reparto."""
    return user.groups.filter(name=PASSWORD_CHANGE_GROUP).exists()


@transaction.atomic
def password_change_require(*, usernames: Iterable[str]) -> int:
    """Send these users to the password-change page until they choose a new password; how many there are."""
    group, _created = Group.objects.get_or_create(name=PASSWORD_CHANGE_GROUP)
    users = list(get_user_model().objects.filter(username__in=list(usernames)))
    group.user_set.add(*users)
    return len(users)


@transaction.atomic
def password_change_clear(*, user) -> None:
    """The user chose a new password: nothing more is required of them."""
    group = Group.objects.filter(name=PASSWORD_CHANGE_GROUP).first()
    if group is not None:
        group.user_set.remove(user)
