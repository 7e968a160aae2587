"""`manage.py check --deploy` warnings for settings that look right alone but are wrong together, and the checks
that stop a start with a missing translation catalogue."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PROXY_WITHOUT_COUNT = "reparto.W001"
CATALOGUE_MISSING = "reparto.E001"


@register(Tags.translation)
def catalogue_check(app_configs, **kwargs) -> list[Error]:
    """Without the compiled catalogue of the site's language, Django silently speaks English: texts stored for
    households (seeding before `compilemessages`) stay English for good. Say so at start instead."""
    language = settings.LANGUAGE_CODE.split("-")[0]
    if language == "en":
        return []  # the source strings are English
    searched = [Path(folder) / language / "LC_MESSAGES" / "django.mo" for folder in settings.LOCALE_PATHS]
    if any(path.is_file() for path in searched):
        return []
    return [
        Error(
            f"The compiled translation catalogue for LANGUAGE_CODE={settings.LANGUAGE_CODE!r} is missing "
            f"(looked for {', '.join(str(p) for p in searched)}): every page and message would be in English.",
            hint="Run `python manage.py compilemessages` (or `make messages`) before starting or seeding.",
            id=CATALOGUE_MISSING,
        )
    ]


@register(Tags.security, deploy=True)
def proxy_count_check(app_configs, **kwargs) -> list[Warning]:
    """Behind a proxy without TRUSTED_PROXY_COUNT, every visitor has the proxy's address: five wrong passwords from
    anywhere lock an account for everyone, and the public form's hourly limit is the whole town's."""
    behind_proxy = bool(settings.SECURE_PROXY_SSL_HEADER) or settings.USE_X_FORWARDED_HOST
    if not behind_proxy or settings.TRUSTED_PROXY_COUNT:
        return []
    return [
        Warning(
            "Reparto runs behind a proxy (BEHIND_TLS_PROXY is set) but TRUSTED_PROXY_COUNT is 0, so the sign-in "
            "lockout and the rate limits see every visitor as the proxy.",
            hint="Set TRUSTED_PROXY_COUNT=1 behind nginx on the same machine, 2 behind a load balancer and nginx, "
            "and have each proxy append to X-Forwarded-For (docs/deploy.md).",
            id=PROXY_WITHOUT_COUNT,
        )
    ]
