"""An integrator's whole journey through /api/v1/, holding only the schema and tokens: a request is created, approved,
planned, published, driven out and delivered, and every step is announced to its receiver as a signed webhook.

Only the world the integrator finds (a depot with stock, a pack, a van and its driver, the webhook subscription the
administrator keeps in the admin, the tokens) is set up directly. Every step of the journey is an HTTP call with a
token, and every path it calls must be in the schema. Planning a day is the one step without an endpoint (the
planning board starts it), so it runs through the board's service, marked below."""

import datetime as dt
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.models import WebhookSubscription
from api.tokens import api_token_create
from core.roles import DRIVER, INTAKE_OPERATOR, LOGISTICS_PLANNER, SOCIAL_WORKER
from inventory.ledger import lot_receive
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.tests.factories import VehicleFactory
from routing.services import planning_run_start

pytestmark = pytest.mark.django_db

SECRET = "the-integrators-shared-secret"
# How old a signature's timestamp a receiver still takes (the docs: refuse an old `t`).
TOLERANCE_S = 300


class WebhookReceiver:
    """The integrator's end: an HTTP server on 127.0.0.1 that keeps every POST it is sent and answers 204."""

    def __init__(self):
        self.posts: list[tuple[dict, bytes]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                posts.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/reparto-events"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)


@pytest.fixture
def receiver():
    running = WebhookReceiver()
    running.thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


def signed_by_reparto(headers: dict, body: bytes) -> bool:
    """What the docs tell a receiver to do, written from them: split `t=…,v1=…`, recompute HMAC-SHA256 with the
    shared secret over "<t>.<body>", compare in constant time, and refuse a stale timestamp."""
    parts = dict(part.split("=", 1) for part in headers["X-Reparto-Signature"].split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > TOLERANCE_S:
        return False
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Caller:
    """One token holder calling /api/v1/. Each call's after-commit work runs as on a live server (the webhooks, the
    planning task), and the operations used are noted in `used`, to be found in the schema at the end."""

    def __init__(self, header: str, *, capture, used: set[tuple[str, str]]):
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=header)
        self.capture, self.used = capture, used

    def get(self, path: str, query: dict | None = None):
        return self._call("get", path, query or {})

    def post(self, path: str, body: dict | None = None, *, expect: int = 200):
        # An Idempotency-Key on every POST, as an integrator that may send again does.
        return self._call("post", path, body, expect=expect, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))

    def _call(self, method: str, path: str, data, *, expect: int = 200, **extra):
        with self.capture(execute=True):
            answer = getattr(self.client, method)(path, data, **extra)
        assert answer.status_code == expect, (method, path, answer.content)
        self.used.add((method, path))
        return answer.json()


def in_schema(paths: dict, method: str, path: str) -> bool:
    """Whether a concrete call (`/api/v1/orders/7/`) is an operation of the schema (`/api/v1/orders/{id}/`)."""
    for template, operations in paths.items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method in operations:
            return True
    return False


def test_an_integrator_follows_a_request_to_its_delivery_through_the_api_and_hears_each_step_signed(
    role_users, receiver, django_capture_on_commit_callbacks
):
    # The world the integrator finds: a depot with stock, a pack, a van with its driver, and a subscription to
    # every order and request event, which the administrator keeps in the admin (there is no API for it).
    depot = WarehouseFactory()
    item = ItemFactory()
    lot_receive(
        actor=role_users["supplier_coordinator"],
        item=item,
        warehouse=depot,
        lot_code="L1",
        quantity=20,
        expiry_date=None,
    )
    pack = pack_with({item: 2})
    van = VehicleFactory(depot=depot, driver=role_users[DRIVER])
    WebhookSubscription.objects.create(
        url=receiver.url,
        secret=SECRET,
        events=["request.received", "request.decided", "order.scheduled", "order.out_for_delivery", "order.delivered"],
    )
    _token, intake_key = api_token_create(name="telephony", scope="intake_only", username=INTAKE_OPERATOR)

    def person(role: str) -> str:
        return f"Token {Token.objects.create(user=role_users[role]).key}"

    used: set[tuple[str, str]] = set()

    def caller(header: str) -> Caller:
        return Caller(header, capture=django_capture_on_commit_callbacks, used=used)

    phones = caller(f"Token {intake_key}")  # the telephony platform's integration token, intake only
    social_worker = caller(person(SOCIAL_WORKER))
    planner = caller(person(LOGISTICS_PLANNER))
    driver = caller(person(DRIVER))
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    schema = planner.get("/api/schema/", {"format": "json"})
    assert schema["openapi"].startswith("3.")

    # 1. The telephony platform registers the caller's household and the request (intake-only token).
    household = phones.post(
        "/api/v1/households/",
        {
            "given_name": "Rosa",
            "family_name": "Navarro",
            "document_type": "none",
            "phone": "968 55 44 33",
            "address": "Calle Mayor 12",
            "postcode": "30201",
            "municipality": "Cartagena",
            "latitude": "37.603000",
            "longitude": "-0.982000",
            "members": 3,
        },
        expect=201,
    )
    request = phones.post(
        "/api/v1/requests/", {"household": household["id"], "channel": "phone", "needs": ["food"]}, expect=201
    )
    assert request["status"] == "in_assessment"

    # 2. A social worker finds the pack by its code and approves the request for tomorrow.
    packs = social_worker.get("/api/v1/packs/", {"code": pack.code})["results"]
    assert [row["id"] for row in packs] == [pack.pk]
    decided = social_worker.post(
        f"/api/v1/requests/{request['id']}/approve/",
        {"packs": [{"pack": packs[0]["id"], "quantity": 1}], "priority": 1, "first_delivery_on": day},
    )
    assert decided["status"] == "approved"
    plans = social_worker.get("/api/v1/plans/", {"request": request["id"]})["results"]
    assert [plan["household"] for plan in plans] == [household["id"]]

    # 3. The planner sees the order due tomorrow, stock held for it.
    orders = planner.get("/api/v1/orders/", {"date": day, "status": "reserved"})["results"]
    assert [(order["plan"], order["household"]) for order in orders] == [(plans[0]["id"], household["id"])]
    order_url = f"/api/v1/orders/{orders[0]['id']}/"

    # THE ONE STEP NOT THROUGH THE API: planning a day has no endpoint (planning-runs/ lists, reads and publishes
    # runs; the board starts them). The board's own service plans tomorrow as a draft, as the board does.
    with django_capture_on_commit_callbacks(execute=True):
        planning_run_start(actor=role_users[LOGISTICS_PLANNER], date=dt.date.fromisoformat(day), publish=False)

    runs = [run for run in planner.get("/api/v1/planning-runs/")["results"] if run["date"] == day]
    assert [(run["status"], run["published_at"]) for run in runs] == [("done", None)]
    published = planner.post(f"/api/v1/planning-runs/{runs[0]['id']}/publish/")
    assert published["published_at"] is not None
    rounds = planner.get("/api/v1/rounds/", {"date": day, "run": runs[0]["id"]})["results"]
    assert [(round_["vehicle"], round_["driver"]) for round_ in rounds] == [(van.pk, role_users[DRIVER].pk)]
    stops = planner.get("/api/v1/stops/", {"order": orders[0]["id"]})["results"]
    assert [(stop["round"], stop["outcome"]) for stop in stops] == [(rounds[0]["id"], "pending")]
    assert planner.get(order_url)["status"] == "planned"

    # 4. The driver's phone reads its round, starts it and reports the hand-over.
    mine = driver.get("/api/v1/driver/rounds/")
    assert [[stop["id"] for stop in round_["stops"]] for round_ in mine] == [[stops[0]["id"]]]
    now = timezone.now().isoformat()
    started = driver.post(
        "/api/v1/driver/sync/",
        {"actions": [{"key": str(uuid.uuid4()), "kind": "start", "round": mine[0]["id"], "done_at": now}]},
    )
    assert [answer["accepted"] for answer in started["answers"]] == [True]
    assert planner.get(order_url)["status"] == "out"
    handed_over = driver.post(
        "/api/v1/driver/sync/",
        {
            "actions": [
                {
                    "key": str(uuid.uuid4()),
                    "kind": "delivered",
                    "stop": stops[0]["id"],
                    "received_by": "Rosa Navarro",
                    "done_at": now,
                }
            ],
            "known": [stops[0]["id"]],
        },
    )
    assert [(answer["accepted"], answer["code"]) for answer in handed_over["answers"]] == [(True, None)]
    assert handed_over["removed"] == []

    # 5. The order reads delivered, and its stop says so too.
    assert planner.get(order_url)["status"] == "delivered"
    assert planner.get("/api/v1/orders/", {"date": day, "status": "delivered"})["results"][0]["id"] == orders[0]["id"]
    assert planner.get(f"/api/v1/stops/{stops[0]['id']}/")["outcome"] == "delivered"

    # 6. The receiver heard every step, in order, each signed and fresh.
    events = []
    for headers, body in receiver.posts:
        assert signed_by_reparto(headers, body), headers
        sent = json.loads(body)
        assert headers["X-Reparto-Event"] == sent["event"]
        assert headers["X-Reparto-Delivery"] == str(sent["id"])
        events.append((sent["event"], sent["data"]))
    order_id = orders[0]["id"]
    assert events == [
        ("request.received", {"request": request["id"], "reference": request["reference"], "status": "in_assessment"}),
        ("request.decided", {"request": request["id"], "reference": request["reference"], "status": "approved"}),
        ("order.scheduled", {"order": order_id, "status": "planned"}),
        ("order.out_for_delivery", {"order": order_id, "status": "out"}),
        ("order.delivered", {"order": order_id, "status": "delivered"}),
    ]

    # Every operation the journey used is one the schema describes.
    missing = [(m, p) for m, p in sorted(used) if p.startswith("/api/v1/") and not in_schema(schema["paths"], m, p)]
    assert missing == []
    assert not in_schema(schema["paths"], "post", f"/api/v1/stops/{stops[0]['id']}/")  # the check can say no
