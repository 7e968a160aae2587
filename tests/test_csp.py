"""The content security policy: only our own scripts run, and no template carries an inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / d for d in ("templates", "requests_intake", "inventory", "logistics", "routing")
]


def test_every_page_says_scripts_come_only_from_us(client, role_users):
    client.force_login(role_users["logistics_planner"])
    policy = client.get("/planning/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "https://tile.openstreetmap.org" in directives["img-src"]


def test_the_public_form_has_the_policy_too(client):
    assert "script-src 'self'" in client.get("/solicitar/")["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        if _has_inline_script(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def _has_inline_script(html: str) -> bool:
    tags = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    inline = [t for t in tags if "src=" not in t and 'type="application/json"' not in t]
    return bool(inline) or re.search(r"\son[a-z]+=[\"']", html, re.IGNORECASE) is not None


@pytest.mark.parametrize(
    ("html", "inline"),
    [
        ('<script src="/static/js/board.js" defer></script>', False),
        ('<script id="map" type="application/json">{}</script>', False),
        ("<script>alert(1)</script>", True),
        ('<select onchange="this.form.submit()">', True),
    ],
)
def test_the_template_check_tells_inline_scripts_apart(html, inline):
    assert _has_inline_script(html) is inline
