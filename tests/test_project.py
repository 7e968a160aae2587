"""Project-wide promises: the solver core stands alone, production settings pass Django's deploy check, and every
translation catalogue is complete and keeps the source's placeholders and tags."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent

# scripts/ is not a package; load the checker the way the integrator runs it, from its file.
_spec = importlib.util.spec_from_file_location("i18n_check", ROOT / "scripts" / "i18n_check.py")
i18n_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n_check)


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


@pytest.mark.parametrize("language", ["es", "en", "ca"])
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


def test_pages_speak_catalan_when_the_language_cookie_is_catalan(client, db, settings):
    settings.LANGUAGE_CODE = "es"
    client.cookies["django_language"] = "ca"

    page = client.get("/accounts/login/").content.decode()

    assert '<html lang="ca">' in page
    assert "<h1>Inicia la sessió</h1>" in page
    assert "Iniciar sesión" not in page
    assert '<option value="ca" selected>català</option>' in page


@pytest.mark.parametrize("path", i18n_check.catalogue_paths(), ids=lambda path: path.parent.parent.name)
def test_no_translation_loses_or_renames_a_placeholder_or_a_tag(path):
    assert i18n_check.check(path, placeholders_only=True) == []


def test_the_placeholder_check_names_what_a_translation_lost_or_invented():
    renamed = Message("%(name)s: {value} <b>now</b>", "%(nom)s: {valor} <b>ara", flags=["python-format"])
    swapped = Message("%s of %d", "%d de %s", flags=["python-format"])

    assert i18n_check.placeholder_problems(renamed) == [
        "named placeholders: missing %(name)s; unknown %(nom)s",
        "format fields: missing value; unknown valor",
        "HTML tags: source has ['/b', 'b'], translation has ['b']",
    ]
    assert i18n_check.placeholder_problems(swapped) == [
        "positional placeholders: source has ['%s', '%d'], translation has ['%d', '%s']"
    ]


def test_a_singular_form_may_spell_out_its_number_but_the_plural_form_needs_the_counter():
    spelled_out = Message(("1 action", "{count} actions"), ("1 acció", "{count} accions"))
    counter_lost = Message(("%(n)s day", "%(n)s days"), ("%(n)s dia", "dies"), flags=["python-format"])
    literal_percent = Message("Share (%)", "Percentatge (%)")

    assert i18n_check.placeholder_problems(spelled_out) == []
    assert i18n_check.placeholder_problems(counter_lost) == ["named placeholders: missing %(n)s"]
    assert i18n_check.placeholder_problems(literal_percent) == []


def test_the_catalogue_check_reports_untranslated_fuzzy_and_broken_entries(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ca\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Close"\nmsgstr "Tanca"\n\n'
        '#, python-format\nmsgid "Lot %(code)s"\nmsgstr "Partida %(codi)s"\n\n'
        'msgid "Open"\nmsgstr "Obre"\n',
        encoding="utf-8",
    )

    assert i18n_check.check(path) == [
        f"{path}:6: 'Save': untranslated",
        f"{path}:10: 'Close': fuzzy",
        f"{path}:14: 'Lot %(code)s': named placeholders: missing %(code)s; unknown %(codi)s",
    ]
    assert i18n_check.check(path, placeholders_only=True) == [
        f"{path}:14: 'Lot %(code)s': named placeholders: missing %(code)s; unknown %(codi)s"
    ]
    assert i18n_check.main([str(path), "--placeholders-only"]) == 1


def test_a_refusal_reaches_a_spanish_user_in_spanish(client, role_users, settings):
    from django.urls import reverse

    from requests_intake.models import Household
    from tests.test_slice_end_to_end import HOUSEHOLD_FORM

    settings.LANGUAGE_CODE = "es"
    client.force_login(role_users["intake_operator"])

    response = client.post(reverse("intake"), {**HOUSEHOLD_FORM, "document_number": "12345678A"})

    assert "La letra del DNI “12345678A” no es correcta" in response.content.decode()
    assert Household.objects.count() == 0
