"""People for the fleet tests: a user in the driver group."""

from django.contrib.auth.models import Group

from core.tests.factories import UserFactory


def _driver(username: str, first_name: str):
    user = UserFactory(username=username, first_name=first_name, last_name="Ruiz")
    user.groups.add(Group.objects.get(name="driver"))
    return user
