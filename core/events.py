"""A tiny in-process event bus: domain services announce what happened; whoever listens is told after commit.

Why it exists (layering): the outbound webhooks live in the `api` app, which sits above every domain app and may
import them all; a domain service (intake, orders, stock) must not import `api`. So the services call `emit()`
here, in `core` below them, and `api` subscribes its handler in `ApiConfig.ready()`. Routing subscribes too
(`RoutingConfig.ready()`): an order delivered or failed on a round under way times the round's other stops again
(routing.eta), which delivery, below routing, may not call. With no subscriber an event costs one list check."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

Handler = Callable[[str, dict[str, Any]], None]

_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    """Call `handler(event, payload)` for every event emitted from now on (once per handler, however often added)."""
    if handler not in _handlers:
        _handlers.append(handler)


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def emit(event: str, payload: dict[str, Any]) -> None:
    """Tell the subscribers once the current transaction commits; a rolled-back change announces nothing."""
    if not _handlers:
        return
    handlers = list(_handlers)

    def deliver() -> None:
        for handler in handlers:
            handler(event, payload)

    transaction.on_commit(deliver)
