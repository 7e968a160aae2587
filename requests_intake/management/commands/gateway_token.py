"""Create (or show) the service user a WhatsApp/SMS/e-mail gateway posts messages as, and print its API token."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from requests_intake.api.permissions import GATEWAY_PERMISSIONS

GATEWAY_GROUP = "gateway"


def gateway_group() -> Group:
    """The group of gateway users, with exactly the permissions the webhook needs and nothing else."""
    group, _created = Group.objects.get_or_create(name=GATEWAY_GROUP)
    permissions = []
    for code in GATEWAY_PERMISSIONS:
        app_label, codename = code.split(".")
        permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(permissions)
    return group


class Command(BaseCommand):
    help = "Create or show the service user a gateway posts messages as (POST /api/intake/messages/), and its token."

    def add_arguments(self, parser):
        parser.add_argument("name", help="user name for the gateway, e.g. whatsapp-gateway")
        parser.add_argument("--rotate", action="store_true", help="replace the token (the old one stops working)")

    @transaction.atomic
    def handle(self, *args, name: str, rotate: bool, **options):
        group = gateway_group()
        user, created = get_user_model().objects.get_or_create(username=name)
        if created:
            user.set_unusable_password()  # a service account signs in with its token only
            user.save(update_fields=["password"])
            user.groups.add(group)
        elif not user.groups.filter(pk=group.pk).exists():
            # Never turn a person's account into a token holder by mistake.
            raise CommandError(f"User {name!r} exists and is not a gateway; choose another name.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _new = Token.objects.get_or_create(user=user)
        self.stderr.write(f"{'Created' if created else 'Existing'} gateway user {name!r}; its token:")
        self.stdout.write(token.key)
