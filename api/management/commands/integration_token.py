"""Integration tokens: `integration_token create NAME --scope SCOPE --user USER`, `revoke NAME`, `list`.

(`api_token` is the per-person DRF token of requests_intake.)"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, revoke or list the API tokens of integrations (each with a scope; the key is shown once)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Make a token and print its key (shown this once only).")
        create.add_argument("name")
        create.add_argument("--scope", required=True, choices=ApiToken.Scope.values)
        create.add_argument("--user", required=True, help="The account the token acts as (its role's rights).")
        revoke = commands.add_parser("revoke", help="Stop a token working.")
        revoke.add_argument("name")
        commands.add_parser("list", help="Every token: name, scope, user, key prefix, last use, revoked.")

    def handle(self, *args, **options):
        try:
            if options["command"] == "create":
                token, key = api_token_create(name=options["name"], scope=options["scope"], username=options["user"])
                self.stdout.write(key)
                self.stderr.write(f"Token {token.name} ({token.scope}) made; its key is shown once, above.")
            elif options["command"] == "revoke":
                token = api_token_revoke(name=options["name"])
                self.stdout.write(f"{token.name} revoked at {token.revoked_at:%Y-%m-%d %H:%M}.")
            else:
                for token in ApiToken.objects.select_related("user"):
                    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                    revoked = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                    self.stdout.write(
                        f"{token.name}\t{token.scope}\t{token.user.username}\t{token.prefix}…\tused {used}\t{revoked}"
                    )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
