"""A missing translation catalogue stops the start loudly instead of serving English (issue 22, item 13)."""

from core.checks import CATALOGUE_MISSING, catalogue_check


def test_a_missing_catalogue_for_the_sites_language_is_an_error(settings, tmp_path):
    settings.LANGUAGE_CODE = "es"
    settings.LOCALE_PATHS = [tmp_path]

    errors = catalogue_check(None)

    assert [error.id for error in errors] == [CATALOGUE_MISSING]
    assert "compilemessages" in errors[0].hint


def test_a_compiled_catalogue_passes(settings, tmp_path):
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "es" / "LC_MESSAGES" / "django.mo").write_bytes(b"")
    settings.LANGUAGE_CODE = "es"
    settings.LOCALE_PATHS = [tmp_path]

    assert catalogue_check(None) == []


def test_english_needs_no_catalogue(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.LOCALE_PATHS = [tmp_path]

    assert catalogue_check(None) == []


def test_the_api_says_obligatorio_like_every_other_form():
    from django.utils import translation
    from rest_framework.fields import Field

    with translation.override("es"):
        assert str(Field.default_error_messages["required"]) == "Este campo es obligatorio."


def test_spanish_forms_speak_plainly_of_codes_and_phones():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        assert gettext("SKU") == "Código"
        assert gettext("Stored in E.164 form.") == "Teléfono con prefijo, p. ej. +34 600 000 000."
        assert gettext("Only the round's driver can start it.") == "Solo quien conduce la ruta puede iniciarla."
