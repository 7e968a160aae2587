"""Travel matrices: OSRM's table service against a fake server on this machine, the offline fallback, the cache."""

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from routing.osrm import TravelTimeUnavailable, osrm_table
from routing.solver.distances import road_matrices
from routing.solver.model import Location
from routing.travel import travel_matrices

DEPOT = Location(37.6196, -0.965)
ALMENDRO = Location(37.617393, -0.97271)
SALITRE = Location(37.599626, -0.999143)

Answer = tuple[int, dict | None]  # HTTP status, JSON body


def table_answer(distances: list[list[float | None]], durations: list[list[float | None]]) -> Answer:
    return 200, {"code": "Ok", "distances": distances, "durations": durations}


class FakeOsrm:
    """An HTTP server on 127.0.0.1 that records each path asked for and answers with `answer(path)`."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.answer: Callable[[str], Answer] = lambda path: (500, None)
        self.delay_s = 0.0
        self.released = threading.Event()
        self.url = ""


@pytest.fixture
def osrm():
    fake = FakeOsrm()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.paths.append(self.path)
            if fake.delay_s:
                fake.released.wait(fake.delay_s)
            status, body = fake.answer(self.path)
            payload = json.dumps(body).encode() if body is not None else b"Internal Server Error"
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if body is not None else "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as the timeout test wants

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    fake.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_osrm_is_asked_in_longitude_latitude_order_for_distances_and_durations(osrm):
    osrm.answer = lambda path: table_answer([[0, 1200.4], [1190.6, 0]], [[0, 150.2], [148.0, 0]])

    osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)

    assert osrm.paths == [
        "/table/v1/driving/-0.965000,37.619600;-0.972710,37.617393?annotations=distance,duration",
    ]


def test_osrm_matrices_are_whole_metres_and_seconds_rounded_up(osrm):
    osrm.answer = lambda path: table_answer(
        [[0, 1200.4, 3000.5], [1190.6, 0, 2500.0], [2999.2, 2510.7, 0]],
        [[0, 150.2, 300.0], [148.0, 0, 260.9], [299.01, 261.5, 0]],
    )

    distance, duration = osrm_table(osrm.url, [DEPOT, ALMENDRO, SALITRE], timeout=2)

    assert distance == ((0, 1200, 3000), (1191, 0, 2500), (2999, 2511, 0))
    assert duration == ((0, 151, 300), (148, 0, 261), (300, 262, 0))


def test_a_table_bigger_than_the_server_allows_is_asked_for_in_blocks(osrm):
    points = [DEPOT, ALMENDRO, SALITRE]

    def answer(path: str) -> Answer:
        # Every cell says where it is: 100 × source + destination, counted in the whole table.
        query = dict(part.split("=") for part in path.split("?")[1].split("&"))
        coordinates = path.split("?")[0].rsplit("/", 1)[1].split(";")
        index = [points.index(Location(float(c.split(",")[1]), float(c.split(",")[0]))) for c in coordinates]
        sources = [index[int(k)] for k in query["sources"].split(";")] if "sources" in query else index
        targets = [index[int(k)] for k in query["destinations"].split(";")] if "destinations" in query else index
        cells = [[100 * i + j for j in targets] for i in sources]
        return table_answer(cells, cells)

    osrm.answer = answer

    distance, duration = osrm_table(osrm.url, points, timeout=2, max_table_size=2)

    assert distance == duration == ((0, 1, 2), (100, 101, 102), (200, 201, 202))
    assert len(osrm.paths) == 4
    assert "sources=0;1&destinations=2" in osrm.paths[1]


def test_an_answer_with_an_error_code_is_refused_with_the_code_and_message(osrm):
    osrm.answer = lambda path: (400, {"code": "InvalidQuery", "message": "Query string malformed close to position 3"})

    with pytest.raises(TravelTimeUnavailable) as refused:
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)

    assert refused.value.url.startswith(f"{osrm.url}/table/v1/driving/")
    assert refused.value.reason == "HTTP 400: InvalidQuery: Query string malformed close to position 3"
    assert str(refused.value) == f"OSRM table request {refused.value.url} failed: {refused.value.reason}"


def test_an_ok_status_with_a_code_other_than_ok_is_refused(osrm):
    osrm.answer = lambda path: (200, {"code": "NoSegment", "message": "Could not find a matching segment"})

    with pytest.raises(TravelTimeUnavailable, match="failed: NoSegment: Could not find a matching segment$"):
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)


def test_a_server_error_is_refused_with_its_status(osrm):
    osrm.answer = lambda path: (500, None)

    with pytest.raises(TravelTimeUnavailable, match="failed: HTTP 500: Internal Server Error$"):
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)


def test_a_server_slower_than_the_timeout_is_refused(osrm):
    osrm.delay_s = 5
    osrm.answer = lambda path: table_answer([[0, 1], [1, 0]], [[0, 1], [1, 0]])

    with pytest.raises(TravelTimeUnavailable, match=r"failed: no answer within 0.2 s$"):
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=0.2)


def test_a_pair_without_a_road_is_refused_naming_the_points(osrm):
    osrm.answer = lambda path: table_answer([[0, 1200], [None, 0]], [[0, 150], [None, 0]])

    with pytest.raises(TravelTimeUnavailable, match="failed: no road found from point 1 to point 0$"):
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)


def test_an_answer_without_the_distance_table_is_refused(osrm):
    osrm.answer = lambda path: (200, {"code": "Ok", "durations": [[0, 150], [148, 0]]})

    with pytest.raises(TravelTimeUnavailable, match="failed: the answer has no 2×2 'distances' table$"):
        osrm_table(osrm.url, [DEPOT, ALMENDRO], timeout=2)


def test_a_server_nobody_listens_on_is_refused():
    with pytest.raises(TravelTimeUnavailable, match="failed: could not connect: "):
        osrm_table("http://127.0.0.1:1", [DEPOT, ALMENDRO], timeout=2)  # port 1: nothing listens there


def test_without_osrm_url_the_offline_estimate_is_used(settings, osrm):
    settings.OSRM_URL = ""

    matrices = travel_matrices([DEPOT, ALMENDRO, SALITRE])

    assert matrices == road_matrices(
        [DEPOT, ALMENDRO, SALITRE], road_factor=settings.ROUTING_ROAD_FACTOR, speed_kmh=settings.ROUTING_SPEED_KMH
    )
    assert osrm.paths == []


def test_with_osrm_url_the_server_answers(settings, osrm):
    settings.OSRM_URL = osrm.url
    osrm.answer = lambda path: table_answer([[0, 1200.4], [1190.6, 0]], [[0, 150.2], [148.0, 0]])

    assert travel_matrices([DEPOT, ALMENDRO]) == (((0, 1200), (1191, 0)), ((0, 151), (148, 0)))
    assert len(osrm.paths) == 1


def test_when_osrm_fails_planning_goes_on_with_the_offline_estimate_and_a_warning(settings, osrm, caplog):
    settings.OSRM_URL = osrm.url
    osrm.answer = lambda path: (500, None)

    with caplog.at_level(logging.WARNING, logger="routing.travel"):
        matrices = travel_matrices([DEPOT, ALMENDRO])

    assert matrices == road_matrices(
        [DEPOT, ALMENDRO], road_factor=settings.ROUTING_ROAD_FACTOR, speed_kmh=settings.ROUTING_SPEED_KMH
    )
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "HTTP 500" in caplog.records[0].getMessage()
    assert "offline estimate" in caplog.records[0].getMessage()


def test_a_second_request_for_the_same_points_is_served_from_the_cache(settings, osrm):
    settings.OSRM_URL = osrm.url
    osrm.answer = lambda path: table_answer([[0, 1200.4], [1190.6, 0]], [[0, 150.2], [148.0, 0]])

    first = travel_matrices([DEPOT, ALMENDRO])
    second = travel_matrices([Location(37.6196, -0.965), Location(37.617393, -0.97271)])

    assert second == first
    assert len(osrm.paths) == 1


def test_a_fallback_is_not_cached_so_the_next_plan_asks_the_server_again(settings, osrm):
    settings.OSRM_URL = osrm.url
    osrm.answer = lambda path: (500, None)
    travel_matrices([DEPOT, ALMENDRO])
    osrm.answer = lambda path: table_answer([[0, 1200], [1190, 0]], [[0, 150], [148, 0]])

    assert travel_matrices([DEPOT, ALMENDRO]) == (((0, 1200), (1190, 0)), ((0, 150), (148, 0)))
    assert len(osrm.paths) == 2
