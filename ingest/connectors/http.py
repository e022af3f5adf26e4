"""The one HTTP layer every connector uses: timeouts, retries, rate limits, error classes,
and the limits that keep a hostile or broken server from holding a run.

Connection errors and 5xx are retried with exponential backoff and jitter; a 429 (or 503) waits
what the server asks (``Retry-After`` or the rate-limit reset), and a response saying no requests
are left pauses the next one until the reset. A wait longer than ``max_wait`` is not slept
through: the source fails as retriable and the next run carries on. 401/403 and other 4xx fail
at once as fatal, with no retry loop. Messages name the URL without its query string, and never
a header, so tokens stay out of logs.

Limits: a request must be complete within ``deadline`` seconds (however slowly the server
sends), a body may not decode to more than ``max_bytes``, and redirects are followed only to
the same host (or one of ``redirect_hosts``), never from https to http; connections go to
public addresses only (:mod:`ingest.connectors.guard`).
"""

from __future__ import annotations

import json
import logging
import random
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import httpx

from ingest.connectors.errors import (
    FatalError,
    GoneError,
    PayloadError,
    RetriableError,
    TooLargeError,
)
from ingest.connectors.guard import GuardedTransport, deadline
from ingest.connectors.waits import backoff_delay, exhausted_for, requested_wait

log = logging.getLogger(__name__)

Params = Mapping[str, str | int]


MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How patient a source is; the defaults suit a cron run every few minutes."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # the first retry waits 0.5-1 s, then 1-2 s, 2-4 s …
    backoff_cap: float = 60.0
    max_wait: float = 120.0
    deadline: float = 60.0  # a whole request, body included
    max_bytes: int = 20_000_000  # a body, decoded
    redirect_hosts: tuple[str, ...] = ()  # other hosts a redirect may lead to


@dataclass(frozen=True, slots=True)
class Validators:
    """A response's ETag and Last-Modified, sent back so an unchanged resource costs a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}

    @classmethod
    def of(cls, response: httpx.Response) -> Validators:
        return cls(
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified")
        )


def make_client(
    *, user_agent: str, policy: HttpPolicy, allow_private: bool = False
) -> httpx.Client:
    """An httpx client for one source: its User-Agent and timeouts, connections to public
    addresses only unless ``allow_private``; :class:`HttpClient` follows the redirects."""
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(policy.timeout, connect=min(policy.timeout, 10.0)),
        transport=GuardedTransport(allow_private=allow_private),
        follow_redirects=False,
    )


def where(url: httpx.URL | str) -> str:
    """A URL fit for a message: no query string (it may hold a key), no user info."""
    parsed = httpx.URL(str(url))
    return f"{parsed.scheme}://{parsed.host}{f':{parsed.port}' if parsed.port else ''}{parsed.path}"


def _refusal(response: httpx.Response) -> FatalError:
    status = response.status_code
    target = f"{where(response.request.url)} answered {status} {HTTPStatus(status).phrase}"
    if status in (401, 403):
        return FatalError(
            f"{target}: access refused; check the token named by the source's *_env setting "
            "and that the server allows this client (not retried)"
        )
    if status in (404, 410):
        return GoneError(f"{target}: check the source's URL, account or query (not retried)")
    return FatalError(f"{target}: the request was refused; check the source's settings")


class HttpClient:
    """Wraps an injected ``httpx.Client`` (tests point it at a server on 127.0.0.1)."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        policy: HttpPolicy = HttpPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self.policy = policy
        self._sleep, self._rand, self._clock = sleep, rand, clock
        self._paused_until: float | None = None  # a clock timestamp; set when none are left

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        validators: Validators | None = None,
    ) -> httpx.Response:
        """A 2xx response (or 304 when ``validators`` were sent); anything else raises."""
        sent = {**(headers or {}), **(validators.headers() if validators else {})}
        return self._send("GET", url, params=params, headers=sent)

    def post(
        self, url: str, *, headers: Mapping[str, str] | None = None, **body: Any
    ) -> httpx.Response:
        """A POST (token endpoints); ``body`` is httpx's ``data``, ``json`` and ``auth``.
        Retried like a GET: the only POSTs connectors send ask for tokens, and may be repeated."""
        return self._send("POST", url, headers=headers or {}, **body)

    def _send(
        self, method: str, url: str, *, headers: Mapping[str, str], **options: Any
    ) -> httpx.Response:
        """The response at the end of the redirects (each checked by :func:`_redirect`)."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self._attempts(method, url, headers=headers, **options)
            if response.status_code not in REDIRECTS or "location" not in response.headers:
                return response
            url = _redirect(response, self.policy)
            if response.status_code == 303:
                method, options = "GET", {k: v for k, v in options.items() if k == "params"}
        raise FatalError(f"{where(url)}: more than {MAX_REDIRECTS} redirects (not retried)")

    def _attempts(
        self, method: str, url: str, *, headers: Mapping[str, str], **options: Any
    ) -> httpx.Response:
        attempt = 0
        while True:
            self._respect_pause(url)
            started = time.monotonic()
            try:
                response = self._fetch(method, url, headers=headers, **options)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise FatalError(f"{where(url)}: {exc}; check the source's URL") from None
            except httpx.TransportError as exc:
                if time.monotonic() - started >= self.policy.deadline:
                    raise RetriableError(
                        f"{where(url)}: no complete answer within {self.policy.deadline:g} s "
                        "(the source's deadline); the next run tries again"
                    ) from None
                failure = RetriableError(
                    f"{where(url)}: {type(exc).__name__} ({exc or 'no detail'})"
                )
                wait = self._backoff(attempt)
            else:
                self._note_limits(response)
                status = response.status_code
                if status < 400:
                    return response
                if status != 429 and status < 500:
                    raise _refusal(response)
                failure = RetriableError(
                    f"{where(url)} answered {status} {HTTPStatus(status).phrase} "
                    f"{attempt + 1} times; the next run tries again"
                )
                wait = self._server_wait(response) or self._backoff(attempt)
            if attempt >= self.policy.retries:
                raise failure
            attempt += 1
            log.info(
                "retrying %s in %.1f s (attempt %d of %d): %s",
                where(url), wait, attempt + 1, self.policy.retries + 1, failure,
            )  # fmt: skip
            self._sleep(wait)

    def _fetch(
        self, method: str, url: str, *, headers: Mapping[str, str], **options: Any
    ) -> httpx.Response:
        """One request, its body read as it arrives: within the deadline, and decoded at most
        ``max_bytes`` (decoded here, a piece at a time: a compressed body of zeros would
        otherwise inflate a thousandfold in one step)."""
        limit = self.policy.max_bytes
        with (
            deadline(self.policy.deadline),
            self._client.stream(method, url, headers=headers, **options) as response,
        ):
            decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
            for chunk in response.iter_raw():
                if not decoder.feed(chunk):
                    raise TooLargeError(
                        f"{where(url)} sent more than {limit / 1e6:g} MB (the source's "
                        "max_bytes); raise max_bytes if the feed really is that large"
                    )
            body = decoder.finish(url)
        # The body is decoded already: the headers that described its transfer go.
        transfer = ("content-encoding", "content-length", "transfer-encoding")
        kept = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in transfer]
        return httpx.Response(
            response.status_code, headers=kept, content=body, request=response.request
        )

    def get_json(
        self, url: str, *, params: Params | None = None, headers: Mapping[str, str] | None = None
    ) -> tuple[Any, httpx.Response]:
        """The decoded JSON body and the response (for its Link and rate-limit headers)."""
        response = self.get(url, params=params, headers=headers)
        try:
            return json.loads(response.content), response
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            kind = response.headers.get("content-type", "no content type")
            raise PayloadError(
                f"{where(url)} sent {kind} that is not JSON ({exc}); the next run tries again"
            ) from None

    def _backoff(self, attempt: int) -> float:
        policy = self.policy
        return backoff_delay(attempt, base=policy.backoff, cap=policy.backoff_cap, rand=self._rand)

    def _server_wait(self, response: httpx.Response) -> float | None:
        """What a 429/503 asks for; longer than ``max_wait`` ends the run for this source."""
        wait = requested_wait(response.headers, now=self._clock())
        if wait is not None and wait > self.policy.max_wait:
            raise RetriableError(
                f"{where(response.request.url)} is rate limiting: it asks to wait {wait:.0f} s, "
                f"more than the {self.policy.max_wait:.0f} s a run waits; the next run goes on"
            )
        return wait

    def _note_limits(self, response: httpx.Response) -> None:
        reset = exhausted_for(response.headers, now=self._clock())
        if reset is not None:
            self._paused_until = self._clock().timestamp() + reset

    def _respect_pause(self, url: str) -> None:
        if self._paused_until is None:
            return
        wait = self._paused_until - self._clock().timestamp()
        self._paused_until = None
        if wait <= 0:
            return
        if wait > self.policy.max_wait:
            raise RetriableError(
                f"{where(url)}: the rate limit is used up for {wait:.0f} s, more than the "
                f"{self.policy.max_wait:.0f} s a run waits; the next run goes on"
            )
        log.info("rate limit used up: waiting %.1f s before %s", wait, where(url))
        self._sleep(wait)


# zlib's window bits for each Content-Encoding: gzip's header, or deflate's (zlib or gzip).
_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": 32 + zlib.MAX_WBITS,
}


class _Decoder:
    """A body's bytes decoded (gzip, deflate or none) into at most ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        name = encoding.strip().lower()
        self._inflate = zlib.decompressobj(_WBITS[name]) if name in _WBITS else None

    def feed(self, data: bytes) -> bool:
        """Add raw bytes; False once the decoded body passes the limit."""
        if self._inflate is None:
            return self._keep(data)
        while data:
            piece = self._inflate.decompress(data, self.limit - self.size + 1)
            if not self._keep(piece):
                return False
            data = self._inflate.unconsumed_tail
        return True

    def finish(self, url: str) -> bytes:
        if self._inflate is not None:
            try:
                self._keep(self._inflate.flush())
            except zlib.error as exc:
                raise PayloadError(f"{where(url)} sent a broken compressed body ({exc})") from None
        return b"".join(self.parts)

    def _keep(self, piece: bytes) -> bool:
        self.size += len(piece)
        self.parts.append(piece)
        return self.size <= self.limit


def _redirect(response: httpx.Response, policy: HttpPolicy) -> str:
    """Where a redirect leads, if it may be followed: https stays https, the port stays the
    same, and so does the host (or a subdomain either way: example.com and www.example.com)
    unless the source names the new host in ``redirect_hosts``."""
    source, target = response.request.url, response.request.url.join(response.headers["location"])
    if source.scheme == "https" and target.scheme != "https":
        raise FatalError(
            f"{where(source)} redirects to {where(target)}: from https to http, which is not "
            "followed (not retried)"
        )
    old, new = source.host, target.host
    related = old == new or old.endswith(f".{new}") or new.endswith(f".{old}")
    same_port = source.port == target.port  # None: the scheme's own port
    if not (same_port and (related or new in policy.redirect_hosts)):
        moved = new if source.port == target.port else f"{new}:{target.port or 'default port'}"
        raise FatalError(
            f"{where(source)} redirects to another host, {moved}; add the host to the "
            "source's redirect_hosts to follow it (not retried)"
        )
    return str(target)
