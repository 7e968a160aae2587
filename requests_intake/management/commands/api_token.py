"""Issue, rotate or revoke a person's API token. The token opens through /api/ what the person's role opens."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from requests_intake.api.tokens import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Print USER's API token, making one if needed. It carries the user's role: a driver's token reads no "
        "household and no stock. For gateways use gateway_token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the person's user name")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="replace the token (the old one stops working)")
        action.add_argument("--revoke", action="store_true", help="delete the token and print nothing")

    def handle(self, *args, username: str, rotate: bool, revoke: bool, **options):
        if revoke:
            if not api_token_revoke(username=username):
                raise CommandError(f"User {username!r} has no API token; nothing was revoked.")
            self.stderr.write(f"The API token of {username!r} was revoked.")
            return
        try:
            token, new = api_token_issue(username=username, rotate=rotate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(f"{'New' if new else 'Existing'} API token of {username!r}:")
        self.stdout.write(token.key)
