"""inventory 0009 budgets packs made before programmes existed by their size."""

import importlib

import pytest
from django.apps import apps

from inventory.models import Pack
from inventory.tests.factories import PackFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("inventory.migrations.0009_pack_programme_from_size")


def test_baby_and_hygiene_packs_take_their_programme_from_their_size_and_the_rest_stay_food():
    baby, hygiene, large = PackFactory(size="baby"), PackFactory(size="hygiene"), PackFactory(size="large")
    chosen = PackFactory(size="baby", programme="medication")

    MIGRATION.programme_from_size(apps, None)

    assert dict(Pack.objects.values_list("pk", "programme")) == {
        baby.pk: "baby",
        hygiene.pk: "hygiene",
        large.pk: "food",
        chosen.pk: "medication",  # a programme someone chose is kept
    }
