"""The driver's page is ES modules (static/js/driver/): production must serve them under hashed names that import
each other by those names, and the service worker must keep every one of them for the page without signal."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse

from delivery.views_driver import DRIVER_MODULES

pytestmark = pytest.mark.django_db

DRIVER_FOLDER = Path(settings.BASE_DIR) / "static" / "js" / "driver"
IMPORT = re.compile(r"""^import .* from "\./([\w.]+)";$""", re.MULTILINE)


@pytest.fixture
def production_static(settings, tmp_path):
    """Our static folder collected as production collects it: hashed names, compressed copies, a manifest."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]  # not the admin's
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "core.staticfiles.ModuleAwareStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def _service_worker_config(client, user) -> dict:
    client.force_login(user)
    body = client.get(reverse("driver_sw")).content.decode()
    return json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])


def test_every_driver_module_is_listed_for_the_service_worker():
    assert sorted(f"{name}.js" for name in DRIVER_MODULES) == sorted(p.name for p in DRIVER_FOLDER.glob("*.js"))


def test_collected_modules_import_each_other_by_their_hashed_names(production_static):
    main = (production_static / staticfiles_storage.stored_name("js/driver/main.js")).read_text(encoding="utf-8")

    imported = sorted(IMPORT.findall(main))

    assert imported == sorted(
        Path(staticfiles_storage.stored_name(f"js/driver/{name}.js")).name
        for name in ("config", "hold", "photo", "queue", "screen", "signature", "storage", "sync")
    )


def test_the_service_worker_keeps_the_very_files_the_page_loads_in_production(production_static, client, role_users):
    config = _service_worker_config(client, role_users["driver"])

    loaded = {static("js/driver/main.js")}
    for path in DRIVER_FOLDER.glob("*.js"):
        collected = production_static / staticfiles_storage.stored_name(f"js/driver/{path.name}")
        folder = static(f"js/driver/{path.name}").rsplit("/", 1)[0]
        loaded |= {f"{folder}/{name}" for name in IMPORT.findall(collected.read_text(encoding="utf-8"))}

    assert config["static_prefix"] == "/static/"
    assert loaded <= set(config["precache"])
    assert re.fullmatch(r"/static/js/driver/main\.[0-9a-f]{12}\.js", static("js/driver/main.js"))
