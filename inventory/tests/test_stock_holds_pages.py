"""The lot page when a write-off would take units held for an order: a form error."""

import pytest
from django.urls import reverse

from inventory.tests.stock_holds_world import ledger_state

pytestmark = pytest.mark.django_db


def test_the_lot_page_shows_the_refused_write_off_as_a_form_error(client, actor, held):
    _order, lot = held
    before = ledger_state(lot)
    client.force_login(actor)

    response = client.post(
        reverse("lot_detail", args=[lot.pk]), {"action": "write_off", "quantity": "9", "reason": "damaged"}
    )

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["stock_held"]
    assert ledger_state(lot) == before
