"""Concerns taken up before they became cases are in progress afterwards, owned by whoever took them up; the others
stay open."""

import datetime as dt

import pytest
from django.utils import timezone

from delivery.models import WelfareConcern

BEFORE = [("delivery", "0004_stop_history")]
AFTER = [("delivery", "0005_welfare_concern_cases")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_acknowledged_concern_becomes_in_progress_with_its_acknowledger_as_owner(migrator):
    apps = migrator.from_empty(BEFORE)
    User = apps.get_model("auth", "User")  # noqa: N806
    driver, worker = User.objects.create(username="conductor"), User.objects.create(username="marta")
    household = apps.get_model("requests_intake", "Household").objects.create(
        given_name="Ana", family_name="Pérez", document_type="none", address="Calle Mayor 1", municipality="Cartagena"
    )
    Concern = apps.get_model("delivery", "WelfareConcern")  # noqa: N806
    taken = Concern.objects.create(
        household=household,
        raised_by=driver,
        text="Sin luz.",
        acknowledged_at=timezone.now() - dt.timedelta(days=2),
        acknowledged_by=worker,
    )
    waiting = Concern.objects.create(household=household, raised_by=driver, text="Nadie abre.")

    migrator(AFTER)

    assert {c.pk: (c.status, c.owner_id) for c in WelfareConcern.objects.all()} == {
        taken.pk: (WelfareConcern.Status.IN_PROGRESS, worker.pk),
        waiting.pk: (WelfareConcern.Status.OPEN, None),
    }
