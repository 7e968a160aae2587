"""python -m loadtest.staticfiles: `collectstatic` with the production storage, minus source-map references.

The vendored static/vendor/leaflet/leaflet.js ends with `//# sourceMappingURL=leaflet.js.map`, a file that is not
shipped, and the production storage refuses to collect a reference it cannot find. Until that line goes (or the
map is added), the load test collects with this storage, which leaves source-map comments as they are; every
other file is hashed, compressed and listed in the manifest exactly as the production storage does it, so the
server reads the result with its own storage."""

import os
import sys

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in (p if isinstance(p, str) else p[0])))
        for extension, rules in patterns
    )


class StaticFilesWithoutSourceMaps(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if settings.DEBUG:
        sys.exit("Run with DJANGO_DEBUG=0: development serves static files as they are.")
    # Before anything opens the storage: the storage handler reads STORAGES once.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "loadtest.staticfiles.StaticFilesWithoutSourceMaps"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
