"""The sign-in page is Reparto's own, not Django's bare form: one field a line with its label, a refusal said in a
box screen readers announce, and where to turn with a forgotten password."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_each_field_has_its_own_line_with_its_label(client):
    page = client.get("/accounts/login/").content.decode()

    assert page.count('<div class="field">') == 2
    assert '<label for="id_username">' in page
    assert '<label for="id_password">' in page
    assert 'autocomplete="current-password"' in page
    assert "Forgotten your password? A manager can set you a new one." in page


def test_a_refused_sign_in_is_said_in_an_alert_and_marks_nothing_as_signed_in(client):
    User.objects.create_user("carmen", password="a-long-pass-4821")

    page = client.post("/accounts/login/", {"username": "carmen", "password": "wrong"})

    body = page.content.decode()
    assert page.status_code == 200
    assert '<div class="message error" role="alert">' in body
    assert "_auth_user_id" not in client.session


def test_the_right_password_still_signs_in_and_follows_next(client):
    User.objects.create_user("carmen", password="a-long-pass-4821")

    response = client.post(
        "/accounts/login/", {"username": "carmen", "password": "a-long-pass-4821", "next": "/accesibilidad/"}
    )

    assert response.status_code == 302
    assert response.url == "/accesibilidad/"
