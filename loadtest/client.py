"""The load client: signed-in sessions that ask for pages over HTTP and time each answer.

Standard library only, no Django, so it runs as a plain second process against any Reparto server. A fixed number
of requests per page is shuffled into one queue and `concurrency` threads work through it, each thread with its
own signed-in session per user, as that many people at their desks would."""

import http.client
import math
import queue
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInFailed(RuntimeError):
    """The server did not accept the user's password; the load cannot start."""


@dataclass(frozen=True)
class Task:
    page: str
    username: str
    path: str


@dataclass
class PageResult:
    timings_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


class Session:
    """One user's browser: cookies, a kept-alive connection when the server allows it, and sign-in by the form."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        headers["Host"] = f"{self.host}:{self.port}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A server that closed the kept-alive connection: open a new one once.
                self.connection.close()
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, response, content

    def sign_in(self, username: str, password: str) -> None:
        status, _response, page = self.request("GET", "/accounts/login/")
        token = CSRF_FIELD.search(page)
        if status != 200 or token is None:
            raise SignInFailed(f"the sign-in page answered {status}")
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode(), "next": "/"}
        ).encode()
        status, response, _page = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SignInFailed(f"{username} could not sign in (answer {status}); check --password")


def _worker(
    base_url: str,
    password: str,
    tasks: "queue.Queue[Task]",
    results: dict[str, PageResult],
    lock: threading.Lock,
    warm: set[str],
    refused: list[str],
) -> None:
    sessions: dict[str, Session] = {}
    while not refused:
        try:
            task = tasks.get_nowait()
        except queue.Empty:
            return
        session = sessions.get(task.username)
        if session is None:
            session = sessions[task.username] = Session(base_url)
            try:
                session.sign_in(task.username, password)
            except (SignInFailed, OSError, http.client.HTTPException) as error:
                refused.append(str(error))  # every thread stops: timings without a session mean nothing
                return
        if task.page not in warm:
            # The first answer of each page in each thread pays for imports and template loading; not counted.
            session.request("GET", task.path)
            warm.add(task.page)
        started = time.perf_counter()
        try:
            status, response, _content = session.request("GET", task.path)
            failure = None if status == 200 else f"{status} {task.path} {response.getheader('Location', '')}".strip()
        except (OSError, http.client.HTTPException) as error:
            failure = f"{type(error).__name__} {task.path}"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            result = results.setdefault(task.page, PageResult())
            if failure is None:
                result.timings_ms.append(elapsed)
            else:
                result.errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(failure)


def load_run(
    base_url: str, *, tasks: list[Task], password: str, concurrency: int, seed: int = 8
) -> tuple[dict[str, PageResult], float]:
    """Ask for every task's page once, `concurrency` at a time, in shuffled order; (results by page, seconds).

    Raises SignInFailed when a user cannot sign in."""
    shuffled = list(tasks)
    random.Random(seed).shuffle(shuffled)
    work: queue.Queue[Task] = queue.Queue()
    for task in shuffled:
        work.put(task)
    results: dict[str, PageResult] = {}
    lock = threading.Lock()
    refused: list[str] = []
    threads = [
        threading.Thread(target=_worker, args=(base_url, password, work, results, lock, set(), refused), daemon=True)
        for _n in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if refused:
        raise SignInFailed(refused[0])
    return results, time.perf_counter() - started


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered) - 1e-9)))
    return ordered[rank - 1]
