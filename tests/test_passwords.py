"""Passwords: the weak ones the adversarial test got through are refused with a code each; everyone can change their
own password; the demo's accounts must change theirs before anything else outside development."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core.accounts import PASSWORD_CHANGE_GROUP, password_change_require
from core.passwords import keyboard_fold, sequence_share
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # the factories' password
NEW = "tortilla-verde-en-marzo"


def _refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [error.code for error in exc.error_list]
    return []


@pytest.fixture
def lucia():
    return UserFactory.build(username="operadora", first_name="Lucía", last_name="Martínez", email="lm@example.org")


def test_twelve_times_the_same_letter_is_refused():
    assert _refusals("aaaaaaaaaaaa") == ["password_too_repetitive"]


def test_twelve_spaces_are_refused():
    assert _refusals(" " * 12) == ["password_too_repetitive"]


def test_a_password_with_one_character_for_more_than_half_is_refused():
    assert _refusals("xxxxxxxabcde") == ["password_too_repetitive"]


def test_a_keyboard_row_is_refused():
    assert _refusals("qwertyuiopas") == ["password_sequence"]


def test_the_alphabet_backwards_is_refused():
    assert _refusals("zyxwvutsrqpo") == ["password_sequence"]


def test_a_short_run_inside_a_long_password_is_allowed():
    assert _refusals("qwer-tortilla-verde") == []


def test_the_share_of_runs_counts_only_runs_of_four_or_more():
    assert (sequence_share("abcxyzab"), sequence_share("abcdwxyz")) == (0.0, 1.0)


def test_the_towns_name_is_refused_whatever_its_case_and_accents(settings):
    settings.MUNICIPALITY_NAME = "Cartagena"

    assert (_refusals("Cartagena2026"), _refusals("CÁRTAGENA-de-levante")) == (
        ["password_place_name"],
        ["password_place_name"],
    )


def test_a_town_of_two_words_refuses_each_word(settings):
    settings.MUNICIPALITY_NAME = "San Javier"

    assert (_refusals("javier-y-sus-gatos"), _refusals("sanjavier-gatos")) == (
        ["password_place_name"],
        ["password_place_name"],
    )


def test_the_name_reparto_is_refused_without_any_town_set(settings):
    settings.MUNICIPALITY_NAME = ""

    assert _refusals("Reparto-del-lunes") == ["password_place_name"]


def test_the_users_name_without_accents_is_refused(lucia):
    assert _refusals("lucia.martinez", lucia) == ["password_too_similar"]


def test_the_users_whole_name_run_together_is_refused(lucia):
    assert _refusals("luciamartinez", lucia) == ["password_too_similar"]


def test_a_password_unlike_the_users_name_is_accepted(lucia):
    assert _refusals(NEW, lucia) == []


def test_folding_drops_accents_and_case_but_keeps_the_enye():
    assert keyboard_fold("Lucía MARTÍNEZ Peñas") == "lucia martinez peñas"


# --- changing one's own password --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake_operator", "driver", "supplier_coordinator"])
def test_anyone_signed_in_can_change_their_own_password(client, role_users, role):
    user = role_users[role]
    client.force_login(user)

    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert response.url == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_a_weak_new_password_is_refused_and_the_old_one_stays(client, role_users, settings):
    settings.MUNICIPALITY_NAME = "Cartagena"
    user = role_users["driver"]
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Cartagena2026", "new_password2": "Cartagena2026"},
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_password2"]] == ["password_place_name"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_navigation_links_to_the_password_change_page(client, role_users):
    client.force_login(role_users["driver"])

    assert f'href="{reverse("password_change")}"' in client.get(reverse("driver_round")).content.decode()


# --- demo accounts must change the published password -----------------------------------------------------------


@pytest.fixture
def demo_operator(role_users):
    user = role_users["intake_operator"]
    password_change_require(usernames=[user.username])
    return user


def test_outside_development_a_demo_account_is_sent_to_change_its_password(client, demo_operator, settings):
    settings.DEBUG = False
    client.force_login(demo_operator)

    response = client.get(reverse("intake"))

    assert response.status_code == 302
    assert response.url == reverse("password_change")


def test_the_password_change_page_says_why_and_lets_the_person_sign_out(client, demo_operator, settings):
    settings.DEBUG = False
    client.force_login(demo_operator)

    page = client.get(reverse("password_change"))

    assert page.status_code == 200
    assert "Choose a new password before you go on" in page.content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_after_the_change_the_demo_account_works_and_is_not_asked_again(client, demo_operator, settings):
    settings.DEBUG = False
    client.force_login(demo_operator)

    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert client.get(reverse("intake")).status_code == 200
    assert not demo_operator.groups.filter(name=PASSWORD_CHANGE_GROUP).exists()
    client.logout()
    demo_operator.refresh_from_db()  # its new password hash signs the next session
    client.force_login(demo_operator)
    assert client.get(reverse("intake")).status_code == 200


def test_a_refused_new_password_keeps_the_demo_account_on_the_change_page(client, demo_operator, settings):
    settings.DEBUG = False
    client.force_login(demo_operator)

    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"},
    )

    assert client.get(reverse("intake")).url == reverse("password_change")
    assert demo_operator.groups.filter(name=PASSWORD_CHANGE_GROUP).exists()


def test_in_development_the_demo_password_is_not_forced(client, demo_operator, settings):
    settings.DEBUG = True
    client.force_login(demo_operator)

    assert client.get(reverse("intake")).status_code == 200


def test_an_account_not_required_to_change_goes_straight_in(client, role_users, settings):
    settings.DEBUG = False
    client.force_login(role_users["intake_operator"])

    assert client.get(reverse("intake")).status_code == 200


def test_seed_demo_requires_every_demo_account_to_change_its_password(settings):
    call_command("seed_demo", "--force", stdout=io.StringIO())

    required = get_user_model().objects.filter(groups__name=PASSWORD_CHANGE_GROUP)
    assert sorted(required.values_list("username", flat=True)) == sorted(
        [
            "admin",
            "operadora",
            "trabajadora",
            "planificador",
            "conductor1",
            "conductor2",
            "conductor3",
            "proveedores",
            "gerente",
        ]
    )
