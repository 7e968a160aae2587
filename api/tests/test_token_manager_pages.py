"""The token manager (the admin's API tokens): make a scoped token and see its key once, list them with their last
use, revoke. An administrator manages every token; a manager only tokens acting as themselves."""

import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import api_token_create, key_hash
from core.roles import DRIVER, INTAKE_OPERATOR, MANAGER

pytestmark = pytest.mark.django_db

ADD = "/admin/api/apitoken/add/"
LIST = "/admin/api/apitoken/"
NEW_HOUSEHOLD = {"given_name": "Ana", "family_name": "Ruiz", "document_type": "none"}


def signed_in(client, user, *, staff: bool = True):
    user.is_staff = staff
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-admin-password")


def shown_key(page) -> str:
    return re.search(r'value="(rpt_[^"]+)"', page.content.decode()).group(1)


def test_an_administrator_makes_an_intake_token_for_the_telephony_and_sees_its_key_once(
    client, role_users, administrator
):
    client.force_login(administrator)
    operator = role_users[INTAKE_OPERATOR]

    page = client.post(ADD, {"name": "telephony", "scope": "intake_only", "user": operator.pk})

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    key = shown_key(page)
    token = ApiToken.objects.get(name="telephony")
    assert (token.scope, token.user, token.key_hash) == ("intake_only", operator, key_hash(key))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.post("/api/v1/households/", NEW_HOUSEHOLD, format="json").status_code == 201
    listed = client.get(LIST).content.decode()
    assert "telephony" in listed
    assert key not in listed  # the list shows the prefix only
    assert token.prefix in listed


def test_a_manager_makes_tokens_only_acting_as_themselves(client, role_users):
    manager = role_users[MANAGER]
    signed_in(client, manager)

    form = client.get(ADD)
    assert form.status_code == 200
    assert list(form.context["form"].fields["user"].queryset) == [manager]

    refused = client.post(ADD, {"name": "bi", "scope": "read_only", "user": role_users[INTAKE_OPERATOR].pk})
    assert refused.context["form"].errors.as_data()["user"][0].code == "invalid_choice"
    assert not ApiToken.objects.exists()

    made = client.post(ADD, {"name": "bi", "scope": "read_only", "user": manager.pk})
    assert ApiToken.objects.get(name="bi").user == manager
    assert shown_key(made).startswith("rpt_")


def test_a_name_already_used_is_refused_with_its_code(client, role_users):
    api_token_create(name="bi", scope="read_only", username=MANAGER)
    signed_in(client, role_users[MANAGER])

    page = client.post(ADD, {"name": "bi", "scope": "read_only", "user": role_users[MANAGER].pk})

    assert page.status_code == 200
    assert page.context["form"].errors.as_data()["name"][0].code == "duplicate_name"
    assert ApiToken.objects.count() == 1


def test_a_manager_lists_and_revokes_only_their_own_tokens(client, role_users, administrator):
    mine, key = api_token_create(name="bi", scope="read_only", username=MANAGER)
    theirs, _key = api_token_create(name="telephony", scope="intake_only", username=INTAKE_OPERATOR)
    signed_in(client, role_users[MANAGER])

    listed = client.get(LIST).content.decode()
    assert "bi" in listed
    assert "telephony" not in listed

    client.post(LIST, {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None  # not in the manager's list, so not revoked through it
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/households/").status_code == 401


def test_a_token_is_never_edited_nor_deleted_in_the_admin(client, role_users, administrator):
    token, _key = api_token_create(name="bi", scope="read_only", username=MANAGER)
    client.force_login(administrator)

    client.post(f"/admin/api/apitoken/{token.pk}/change/", {"scope": "intake_only", "revoked_at": ""})
    client.post(f"/admin/api/apitoken/{token.pk}/delete/", {"post": "yes"})

    token.refresh_from_db()
    assert token.scope == "read_only"


def test_roles_without_the_token_permissions_are_refused(client, role_users):
    signed_in(client, role_users[DRIVER])
    assert client.get(ADD).status_code == 403
    signed_in(client, role_users[MANAGER], staff=False)
    assert client.get(ADD).status_code == 302  # to the admin's sign-in: the admin is for staff
