"""Project-wide promises: the solver core stands alone, production settings pass Django's deploy check, and both
translation catalogues are complete."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_the_solver_core_imports_no_django():
    code = "import sys, routing.solver; assert not [m for m in sys.modules if m.split('.')[0] == 'django']"

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "reparto.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DJANGO_DEBUG": "0"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


@pytest.mark.parametrize("language", ["es", "en"])
def test_translation_catalogue_is_complete(language):
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", encoding="utf-8") as handle:
        catalogue = read_po(handle)

    missing = [m.id for m in catalogue if m.id and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))]

    assert len(catalogue) > 200
    assert missing == []


def test_pages_speak_spanish_by_default_and_english_on_request(client, db, settings):
    settings.LANGUAGE_CODE = "es"  # the shipped default; the test suite otherwise runs in English

    assert "Iniciar sesión" in client.get("/accounts/login/").content.decode()

    client.cookies["django_language"] = "en"

    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_a_refusal_reaches_a_spanish_user_in_spanish(client, role_users, settings):
    from django.urls import reverse

    from requests_intake.models import Household
    from tests.test_slice_end_to_end import HOUSEHOLD_FORM

    settings.LANGUAGE_CODE = "es"
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("intake"), {**HOUSEHOLD_FORM, "document_number": "12345678A"})

    assert "La letra del DNI “12345678A” no es correcta" in response.content.decode()
    assert Household.objects.count() == 0
