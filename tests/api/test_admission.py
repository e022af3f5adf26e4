"""Data requests are worked on a few at a time; one whose client leaves while waiting is dropped,
and health checks never wait."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from api.admission import Admission


class HeldApp:
    """An ASGI app whose requests run until released, recording which ones started."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release = anyio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.started.append(scope["path"])
        assert (await receive())["type"] == "http.request"  # the body still arrives first
        if scope["path"] != "/healthz":
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


class Client:
    """One request's side of the ASGI conversation; ``leave()`` disconnects it."""

    def __init__(self, path: str) -> None:
        self.scope = {"type": "http", "method": "GET", "path": path}
        self.gone = anyio.Event()
        self.sent: list[dict[str, Any]] = []
        self._body_read = False

    async def receive(self) -> dict[str, Any]:
        if not self._body_read:
            self._body_read = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    def leave(self) -> None:
        self.gone.set()


@pytest.mark.anyio
async def test_a_waiting_request_whose_client_leaves_is_never_started() -> None:
    inner = HeldApp()
    app = Admission(inner, limit=1)
    first, waiting, health = Client("/api/v1/ravine"), Client("/api/v1/compare"), Client("/healthz")
    async with anyio.create_task_group() as group:
        group.start_soon(app, first.scope, first.receive, first.send)
        await anyio.wait_all_tasks_blocked()
        group.start_soon(app, waiting.scope, waiting.receive, waiting.send)
        await anyio.wait_all_tasks_blocked()
        assert inner.started == ["/api/v1/ravine"]  # the second waits for the slot
        await app(health.scope, health.receive, health.send)  # not held back
        assert health.sent[-1]["body"] == b"ok"
        waiting.leave()
        await anyio.wait_all_tasks_blocked()
        inner.release.set()
    assert inner.started == ["/api/v1/ravine", "/healthz"]
    assert waiting.sent == [] and first.sent[-1]["body"] == b"ok"
    later = Client("/api/v1/entities")  # the slot was given back
    await app(later.scope, later.receive, later.send)
    assert later.sent[-1]["body"] == b"ok"


@pytest.mark.anyio
async def test_waiting_requests_run_in_turn_once_a_slot_frees() -> None:
    inner = HeldApp()
    app = Admission(inner, limit=2)
    clients = [Client(f"/api/v1/{i}") for i in range(5)]
    async with anyio.create_task_group() as group:
        for client in clients:
            group.start_soon(app, client.scope, client.receive, client.send)
        await anyio.wait_all_tasks_blocked()
        assert len(inner.started) == 2
        inner.release.set()
    assert len(inner.started) == 5
    assert all(client.sent[-1]["body"] == b"ok" for client in clients)
