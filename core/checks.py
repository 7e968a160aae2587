"""`manage.py check --deploy` warnings for settings that look right alone but are wrong together."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROXY_WITHOUT_COUNT = "reparto.W001"


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
