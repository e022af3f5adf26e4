"""Admission of data requests: a few at a time, and none for a client that has left.

Under load every request used to start at once: dozens of threads shared one interpreter, each
answer took as long as all of them together, the health check queued behind them, and work for
clients that had given up went on for seconds. Here at most ``limit`` data requests (``/api/``
and ``/dashboard/`` reads) are worked on at once; the others wait on the event loop, where
waiting costs nothing, and one whose client disconnects while it waits is dropped unanswered.
Health checks, the page and its assets are never held back.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DATA_PATHS = ("/api/", "/dashboard/")


class Admission:
    """ASGI middleware holding data reads to ``limit`` at a time."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not scope["path"].startswith(DATA_PATHS)
        ):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = anyio.Semaphore(self.limit)
        first = await receive()  # a GET's (empty) body; the next message is the disconnect
        if not await _admitted(self._slots, receive):
            return  # the client left while waiting: nobody to answer
        try:
            await self.app(scope, _replaying(first, receive), send)
        finally:
            self._slots.release()


async def _admitted(slots: anyio.Semaphore, receive: Receive) -> bool:
    """Take a slot, unless the client disconnects first (then False, and no slot is held)."""
    if slots.value > 0:
        await slots.acquire()
        return True
    left = acquired = False
    async with anyio.create_task_group() as group:

        async def watch() -> None:
            nonlocal left
            if (await receive())["type"] == "http.disconnect":
                left = True
                group.cancel_scope.cancel()

        group.start_soon(watch)
        await slots.acquire()
        acquired = True
        group.cancel_scope.cancel()
    if left and acquired:  # granted just as the client left: give it back
        slots.release()
    return acquired and not left


def _replaying(first: Message, receive: Receive) -> Receive:
    """``receive`` that hands the already-read body message over once, first."""
    pending = [first]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
