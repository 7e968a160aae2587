"""Small things the driver-page tests share: real images, a round with two stops, a second driver, a sync call."""

import base64
import io
import json
import os
import uuid

from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.tests.factories import UserFactory, tomorrow
from delivery.models import Stop
from logistics.tests.factories import VehicleFactory
from routing.models import PlanningRun
from routing.services import planning_run_execute
from tests.scenarios import approved_order


def image_bytes(image_format: str, size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=image_format)
    return buffer.getvalue()


def noisy_jpeg(size: tuple[int, int] = (200, 200)) -> bytes:
    """A JPEG that does not compress: tens of kilobytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format="JPEG")
    return buffer.getvalue()


def data_url(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


PNG_URL = data_url(image_bytes("PNG"), "image/png")
JPEG_URL = data_url(image_bytes("JPEG"), "image/jpeg")


def round_with_two_stops(role_users) -> tuple[Stop, Stop]:
    """Two households on one round of the role driver, tomorrow, in visiting order."""
    first, _item, warehouse = approved_order(role_users)
    second, _item, _warehouse = approved_order(role_users)
    VehicleFactory(depot=warehouse, driver=role_users["driver"])
    run = PlanningRun.objects.create(date=tomorrow(), requested_by=role_users["logistics_planner"])
    planning_run_execute(run_id=run.pk)
    stops = list(Stop.objects.filter(order__in=[first, second]).order_by("sequence"))
    assert len(stops) == 2
    assert stops[0].round_id == stops[1].round_id
    return stops[0], stops[1]


def another_driver(role_users, username: str = "otro-conductor"):
    other = UserFactory(username=username)
    other.groups.add(role_users["driver"].groups.get())
    return other


def action(kind: str, *, key: str | None = None, done_at=None, **fields) -> dict:
    """An action as the phone queues it; the key is new unless given."""
    return {
        "key": key or str(uuid.uuid4()),
        "kind": kind,
        "done_at": (done_at or timezone.now()).isoformat(),
        **fields,
    }


def sync(client, actions):
    return client.post(reverse("driver_sync"), data=json.dumps({"actions": actions}), content_type="application/json")
