"""The preferred-supplier rule as the admin and the API apply it: the model's rule, with the model's words."""

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework.test import APIClient

from inventory.tests.factories import DonorFactory, ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def form_data(instance, **changes) -> dict:
    """An admin change form's fields as the browser would post them."""
    data = {name: "" if value is None else value for name, value in model_to_dict(instance).items()}
    data.update(changes)
    return data


def test_the_item_admin_refuses_a_donor_as_preferred_supplier(admin_client):
    item, donor = ItemFactory(), DonorFactory()

    response = admin_client.post(
        reverse("admin:inventory_item_change", args=[item.pk]), form_data(item, preferred_supplier=donor.pk)
    )

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["preferred_supplier"]] == ["preferred_supplier_is_donor"]
    item.refresh_from_db()
    assert item.preferred_supplier is None


def test_the_item_admin_accepts_a_supplier(admin_client):
    item, supplier = ItemFactory(), SupplierFactory()

    response = admin_client.post(
        reverse("admin:inventory_item_change", args=[item.pk]), form_data(item, preferred_supplier=supplier.pk)
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.preferred_supplier == supplier


def test_the_supplier_admin_refuses_making_a_preferred_supplier_a_donor(admin_client):
    supplier = SupplierFactory()
    ItemFactory(preferred_supplier=supplier)

    response = admin_client.post(
        reverse("admin:inventory_supplier_change", args=[supplier.pk]), form_data(supplier, kind="donor")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["kind"]] == ["donor_is_preferred_supplier"]
    supplier.refresh_from_db()
    assert supplier.kind == "supplier"


def test_the_api_refuses_a_donor_in_the_models_words(role_users):
    item, donor = ItemFactory(), DonorFactory()
    client = APIClient()
    client.force_authenticate(role_users["supplier_coordinator"])

    response = client.patch(
        reverse("api_item-detail", args=[item.pk]), {"preferred_supplier": donor.pk, "safety_stock": 9}, format="json"
    )

    # The API adds no copy of the rule: its refusal is the model's, word for word.
    item.preferred_supplier = donor
    with pytest.raises(ValidationError) as refused:
        item.clean()
    assert response.status_code == 400
    assert response.json() == refused.value.message_dict
    item.refresh_from_db()
    assert (item.preferred_supplier, item.safety_stock) == (None, 0)
