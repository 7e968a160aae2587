"""A history row's reason fits its column on every database: PostgreSQL refuses what SQLite would keep."""

import pytest

from requests_intake.households import record_as
from requests_intake.models import Pharmacy

pytestmark = pytest.mark.django_db

COLUMN = Pharmacy.history.model._meta.get_field("history_change_reason").max_length


def test_a_reason_longer_than_the_column_is_cut_with_an_ellipsis(role_users):
    pharmacy = Pharmacy(name="Farmacia del Puerto")
    record_as(pharmacy, actor=role_users["logistics_planner"], reason="Horario: " + "lunes 09:00–14:00, " * 20)
    pharmacy.save()

    reason = pharmacy.history.get().history_change_reason
    assert len(reason) == COLUMN
    assert reason.startswith("Horario: lunes 09:00–14:00")
    assert reason.endswith("…")


def test_a_short_reason_is_kept_whole(role_users):
    pharmacy = Pharmacy(name="Farmacia del Puerto")
    record_as(pharmacy, actor=role_users["logistics_planner"], reason="Desactivada")
    pharmacy.save()

    assert pharmacy.history.get().history_change_reason == "Desactivada"
