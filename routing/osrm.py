"""Road distances and travel times from an OSRM server's table service. Imports no Django.

https://project-osrm.org/docs/v5.24.0/api/#table-service
"""

import http.client
import json
import math
import urllib.error
import urllib.request
from collections.abc import Sequence

from routing.solver.model import Location

Matrix = tuple[tuple[int, ...], ...]

# osrm-routed refuses a table of more than --max-table-size squared cells (100 by default); bigger
# tables are asked for in blocks of sources × destinations, which also keeps each URL short.
MAX_TABLE_SIZE = 100


class TravelTimeUnavailable(Exception):
    """The road server gave no usable answer; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"OSRM table request {url} failed: {reason}")


def osrm_table(
    base_url: str, locations: Sequence[Location], *, timeout: float, max_table_size: int = MAX_TABLE_SIZE
) -> tuple[Matrix, Matrix]:
    """Return (metres, seconds) by road between every pair of locations; seconds round up, as offline."""
    if max_table_size < 1:
        raise ValueError("max_table_size must be at least 1")
    size = len(locations)
    distance = [[0] * size for _ in range(size)]
    duration = [[0] * size for _ in range(size)]
    if size < 2:
        return _frozen(distance), _frozen(duration)
    blocks = [range(start, min(start + max_table_size, size)) for start in range(0, size, max_table_size)]
    for sources in blocks:
        for destinations in blocks:
            _fill_block(base_url, locations, sources, destinations, timeout, distance, duration)
    return _frozen(distance), _frozen(duration)


def _fill_block(
    base_url: str,
    locations: Sequence[Location],
    sources: range,
    destinations: range,
    timeout: float,
    distance: list[list[int]],
    duration: list[list[int]],
) -> None:
    if sources == destinations:
        points = [locations[i] for i in sources]
        query = ""
    else:
        points = [locations[i] for i in sources] + [locations[j] for j in destinations]
        first_destination = len(sources)
        query = "&sources={}&destinations={}".format(
            ";".join(str(k) for k in range(first_destination)),
            ";".join(str(k) for k in range(first_destination, len(points))),
        )
    # OSRM wants longitude first.
    coordinates = ";".join(f"{p.longitude:.6f},{p.latitude:.6f}" for p in points)
    url = f"{base_url.rstrip('/')}/table/v1/driving/{coordinates}?annotations=distance,duration{query}"
    answer = _get_json(url, timeout)
    if answer.get("code") != "Ok":
        raise TravelTimeUnavailable(url, _described(answer, "the answer has no code"))
    metres = _table(url, answer, "distances", len(sources), len(destinations))
    seconds = _table(url, answer, "durations", len(sources), len(destinations))
    for row, i in enumerate(sources):
        for column, j in enumerate(destinations):
            if metres[row][column] is None or seconds[row][column] is None:
                raise TravelTimeUnavailable(url, f"no road found from point {i} to point {j}")
            if not all(isinstance(value, int | float) for value in (metres[row][column], seconds[row][column])):
                raise TravelTimeUnavailable(url, f"the entry from point {i} to point {j} is not a number")
            distance[i][j] = round(metres[row][column])
            duration[i][j] = math.ceil(seconds[row][column])


def _get_json(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Reparto"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        # OSRM explains a refused query in a JSON body ({"code": "InvalidQuery", "message": "..."}).
        detail = _described(_parsed(exc.read()) or {}, exc.reason)
        raise TravelTimeUnavailable(url, f"HTTP {exc.code}: {detail}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TravelTimeUnavailable(url, f"no answer within {timeout} s") from exc
        raise TravelTimeUnavailable(url, f"could not connect: {exc.reason}") from exc
    except TimeoutError as exc:
        raise TravelTimeUnavailable(url, f"no answer within {timeout} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise TravelTimeUnavailable(url, f"connection failed: {exc!r}") from exc
    answer = _parsed(body)
    if answer is None:
        raise TravelTimeUnavailable(url, "the answer is not a JSON object")
    return answer


def _parsed(body: bytes) -> dict | None:
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _described(answer: dict, fallback: object) -> str:
    code, message = answer.get("code"), answer.get("message")
    if code and message:
        return f"{code}: {message}"
    return str(code or message or fallback)


def _table(url: str, answer: dict, key: str, rows: int, columns: int) -> list[list[float | None]]:
    table = answer.get(key)
    if (
        not isinstance(table, list)
        or len(table) != rows
        or any(not isinstance(row, list) or len(row) != columns for row in table)
    ):
        raise TravelTimeUnavailable(url, f"the answer has no {rows}×{columns} {key!r} table")
    return table


def _frozen(matrix: list[list[int]]) -> Matrix:
    return tuple(tuple(row) for row in matrix)
