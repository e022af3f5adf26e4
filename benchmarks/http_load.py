"""A small HTTP/1.1 client on asyncio streams, for measuring a server on 127.0.0.1.

It costs the shared machine far less CPU per request than a general client (httpx spends
about a millisecond per request in Python), so the server, not the load generator, is what
the figures measure. Keep-alive connections; bodies are read whole (Content-Length or chunked).
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One keep-alive connection to ``base`` (``http://host:port``)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, target: str, headers: dict[str, str] | None = None) -> Reply:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        lines = [f"GET {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            return await _read_reply(self._reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def abandon(self) -> None:
        """Hang up at once, whatever is in flight (a client that gives up)."""
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _read_reply(reader: asyncio.StreamReader) -> Reply:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readexactly(2)
        body = b"".join(parts)
    else:
        body = b""
    return Reply(status, headers, body)


@dataclass
class Timings:
    """Latencies in seconds, and the replies that were not 200."""

    seconds: list[float] = field(default_factory=list)
    errors: int = 0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile (q in 0..100); NaN when nothing was measured."""
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


async def sequential(base: str, target: str, count: int, headers: dict[str, str]) -> Timings:
    """``count`` requests one after another on one connection."""
    found = Timings()
    connection = Connection(base)
    try:
        for _ in range(count):
            started = time.perf_counter()
            reply = await connection.get(target, headers)
            found.seconds.append(time.perf_counter() - started)
            found.errors += reply.status != 200
    finally:
        await connection.close()
    return found


async def _worker(
    connection: Connection, target: str, headers: dict[str, str], found: Timings
) -> None:
    while True:
        started = time.perf_counter()
        try:
            reply = await connection.get(target, headers)
            found.errors += reply.status != 200
        except (asyncio.IncompleteReadError, ConnectionError):
            found.errors += 1
            continue
        found.seconds.append(time.perf_counter() - started)


async def _prober(connection: Connection, target: str, every: float, found: Timings) -> None:
    """One request at a time to ``target`` (a health check), about every ``every`` seconds."""
    while True:
        started = time.perf_counter()
        reply = await connection.get(target)
        found.seconds.append(time.perf_counter() - started)
        found.errors += reply.status != 200
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))


async def load(
    base: str,
    target: str,
    *,
    connections: int,
    seconds: float,
    headers: dict[str, str],
    probe: str | None = None,
) -> tuple[Timings, Timings]:
    """``connections`` clients requesting ``target`` back to back for ``seconds``, and a
    health probe beside them; then every client hangs up, with its request in flight
    unanswered (as clients that give up do). Returns the load's timings and the probe's."""
    found, probed = Timings(), Timings()
    clients = [Connection(base) for _ in range(connections)]
    tasks = [asyncio.create_task(_worker(c, target, headers, found)) for c in clients]
    if probe is not None:
        clients.append(Connection(base))
        tasks.append(asyncio.create_task(_prober(clients[-1], probe, 0.05, probed)))
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    for client in clients:
        client.abandon()
    await asyncio.gather(*tasks, return_exceptions=True)
    return found, probed
