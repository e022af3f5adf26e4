"""Where a source may connect, and for how long: the transport under every source's client.

- **Addresses.** A feed is somebody else's content, and so are its links: a URL or redirect
  that names a private, loopback, link-local or otherwise non-public address would make the
  runner fetch from inside the network it runs in (cloud metadata, admin ports). Every
  connection resolves its host and connects to the address it checked (no second lookup an
  attacker's DNS could answer differently), unless the deployment allows private addresses
  (``RAVINE_ALLOW_PRIVATE_NETWORK``: local sources, tests). Behind a proxy from the
  environment, the proxy connects, and the check is the proxy's.
- **Deadlines.** A timeout bounds each read; a server that sends a byte just before each
  timeout would hold the run for ever. :func:`deadline` sets the time by which a request must
  be complete, and every read of its connection waits at most until then.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from ingest.connectors.errors import FatalError

_deadline: ContextVar[float | None] = ContextVar("ravine_request_deadline", default=None)


class BlockedAddressError(FatalError):
    """A source's URL (or a redirect) leads to an address sources may not reach."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every read on this thread's connections ends by ``seconds`` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _bounded(timeout: float | None) -> float | None:
    """A read's timeout, cut to what is left before the request's deadline."""
    ends = _deadline.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


def public(address: str) -> bool:
    """Whether an IP address is one on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:  # fmt: skip
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname,
                                                      _bounded(timeout)))  # fmt: skip

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, *, allow_private: bool) -> None:
        self._backend = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        blocked = [a for a in addresses if not public(a)]
        if blocked and not self._allow_private:
            raise BlockedAddressError(
                f"{host} is at {blocked[0]}, a private, loopback or link-local address that "
                "sources may not reach; set RAVINE_ALLOW_PRIVATE_NETWORK=true to read local "
                "services (not retried)"
            )
        stream = self._backend.connect_tcp(
            addresses[0], port, _bounded(timeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return self._backend.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, over connections made by :class:`_GuardedBackend`."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__()
        # httpx does not take a network backend: its pool is made again with one (same
        # defaults as httpx's: its limits and TLS settings).
        pool = self._pool
        self._pool = httpcore.ConnectionPool(
            ssl_context=pool._ssl_context,
            max_connections=pool._max_connections,
            max_keepalive_connections=pool._max_keepalive_connections,
            keepalive_expiry=pool._keepalive_expiry,
            network_backend=_GuardedBackend(allow_private=allow_private),
        )
