"""python -m loadtest.driver_page [--runs N]: how heavy the driver's phone page is, and how soon it paints, on slow 3G.

1. A throwaway SQLite database gets the demo town (`seed_demo`) and tomorrow's published plan (`plan_day`); the
   driver with the most stops is the one measured.
2. gunicorn serves it with production settings (DJANGO_DEBUG=0, static files collected, compressed and served by
   whitenoise), as `python -m loadtest` does.
3. Headless Chromium, phone-sized and in a fresh profile each run, signs in at full speed, then opens the driver's
   page under Chrome's "slow 3G" (400 ms latency, 400 kbit/s each way, set through the DevTools protocol) with an
   empty cache: the first visit of the day, before the service worker keeps anything.
4. It prints the bytes on the wire by kind (HTML, CSS, JS, fonts, images; compressed as sent, headers included) and
   the first contentful paint. The map is not part of the page: the stop's "Map" button hands the address to the
   phone's own map app.

A benchmark, not a test: the figures depend on the machine. Targets (issue 20): <= 150 KB and first paint <= 1 s.
"""

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "reparto-demo"  # fixtures.demo_city.DEMO_PASSWORD
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
TARGET_BYTES = 150 * 1024
TARGET_FCP_MS = 1000
KINDS = ("html", "css", "js", "font", "image", "other")
EXTENSIONS = {
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".woff2": "font",
    ".woff": "font",
    ".ttf": "font",
    ".otf": "font",
    ".png": "image",
    ".svg": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".ico": "image",
}


def _prepare() -> None:
    """Runs inside the throwaway database's environment: demo town, tomorrow planned, the busiest driver printed."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count

    from core.accounts import password_change_clear

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    call_command("plan_day", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Looked up by name: the rounds' app is not this script's business.
    round_model = next(model for model in apps.get_models() if model.__name__ == "Round")
    busiest = round_model.objects.annotate(stop_count=Count("stops")).order_by("-stop_count", "pk").first()
    if busiest is None or busiest.driver_id is None:
        sys.exit("plan_day left no round with a driver: nothing to measure.")
    driver = get_user_model().objects.get(pk=busiest.driver_id)
    password_change_clear(user=driver)  # the demo's published password must change first outside development
    print(driver.username, busiest.stop_count)  # noqa: T201 - read by the parent process


def _environment(database: Path, *, debug: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DJANGO_DEBUG": "1" if debug else "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{database}",
            # Plain http on the loopback, as scripts/serve-prod.sh: no TLS redirect, no HSTS, cookies over http.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "COOKIES_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "GEOCODER": "",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(env: dict, port: int) -> subprocess.Popen:
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, so stopping it stops its workers too
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit status {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    _stop(server)
    sys.exit("gunicorn did not answer /health/ within 60 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _kind(url: str) -> str:
    path = url.split("?", 1)[0].lower()
    return next((kind for extension, kind in EXTENSIONS.items() if path.endswith(extension)), "other")


def _measure_once(base_url: str, username: str) -> dict:
    """One cold visit under slow 3G: bytes on the wire by kind, the files, and the first contentful paint."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.browser.chromium import PHONE, chromium

    browser = chromium(PHONE, language="es")
    try:
        browser.set_page_load_timeout(120)
        browser.get(base_url + "/accounts/login/")
        browser.find_element(By.NAME, "username").send_keys(username)
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(browser, 30).until(lambda d: "/accounts/login/" not in d.current_url)

        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})  # the sign-in page's CSS would otherwise be free
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", SLOW_3G)
        browser.get(base_url + "/driver/")
        # Late files (modules, the service worker's registration) finish before the figures are read.
        WebDriverWait(browser, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
        time.sleep(2)
        entries = browser.execute_script(
            """
            const pick = (e) => ({name: e.name, transfer: e.transferSize, body: e.encodedBodySize,
                                  decoded: e.decodedBodySize});
            return {
              page: pick(performance.getEntriesByType("navigation")[0]),
              resources: performance.getEntriesByType("resource").map(pick),
              fcp: (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime,
              stops: document.querySelectorAll("li.stop").length,
            };
            """
        )
    finally:
        browser.quit()
    if "/driver/" not in entries["page"]["name"]:
        sys.exit(f"The driver's page did not open: the browser ended on {entries['page']['name']}")
    files = [("html", entries["page"])] + [(_kind(entry["name"]), entry) for entry in entries["resources"]]
    wire = dict.fromkeys(KINDS, 0)
    for kind, entry in files:
        wire[kind] += entry["transfer"]
    return {"wire": wire, "files": files, "fcp": entries["fcp"], "stops": entries["stops"]}


def _report(runs: list[dict], username: str) -> bool:
    first = runs[0]
    out = sys.stdout.write
    out(f"\nThe driver's page: {username}, {first['stops']} stops, slow 3G (400 ms, 50,000 B/s), cold cache\n\n")
    out(f"{'file':<52} {'kind':<6} {'on the wire':>12} {'unpacked':>10}\n")
    for kind, entry in first["files"]:
        name = "/" + entry["name"].split("/", 3)[-1]
        out(f"{name[:52]:<52} {kind:<6} {entry['transfer']:>12,} {entry['decoded']:>10,}\n")
    out(f"\n{'kind':<8} {'bytes on the wire':>18}\n")
    for kind in KINDS:
        if first["wire"][kind]:
            out(f"{kind:<8} {first['wire'][kind]:>18,}\n")
    total = sum(first["wire"].values())
    out(f"{'total':<8} {total:>18,}   ({total / 1024:.1f} KB; target <= {TARGET_BYTES // 1024} KB)\n\n")
    paints = [run["fcp"] for run in runs if run["fcp"] is not None]
    if len(paints) < len(runs):
        out(f"{len(runs) - len(paints)} run(s) recorded no first contentful paint\n")
    if not paints:
        return False
    fcp = statistics.median(paints)
    listed = ", ".join(f"{paint:.0f}" for paint in paints)
    out(f"First contentful paint: median {fcp:.0f} ms over {len(paints)} runs ({listed}); target <= {TARGET_FCP_MS}\n")
    return total <= TARGET_BYTES and fcp <= TARGET_FCP_MS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="cold visits to time (default 3); the median is kept")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        _prepare()
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="reparto-driver-page-") as folder:
        database = Path(folder) / "demo.sqlite3"
        prepared = subprocess.run(
            [PYTHON, "-m", "loadtest.driver_page", "--prepare"],
            cwd=ROOT,
            env=_environment(database, debug=True),  # seed_demo refuses a production-looking database
            capture_output=True,
            text=True,
        )
        if prepared.returncode:
            sys.exit(f"Preparing the demo database failed:\n{prepared.stderr[-3000:]}")
        username, _stops = prepared.stdout.split()[-2:]
        port = _free_port()
        server = _serve(_environment(database, debug=False), port)
        try:
            runs = [_measure_once(f"http://127.0.0.1:{port}", username) for _run in range(args.runs)]
        finally:
            _stop(server)
    return 0 if _report(runs, username) else 1


if __name__ == "__main__":
    sys.exit(main())
