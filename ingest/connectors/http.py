"""The one HTTP layer every connector uses: timeouts, retries, rate limits, error classes.

Connection errors and 5xx are retried with exponential backoff and jitter; a 429 (or 503) waits
what the server asks (``Retry-After`` or the rate-limit reset), and a response saying no requests
are left pauses the next one until the reset. A wait longer than ``max_wait`` is not slept
through: the source fails as retriable and the next run carries on. 401/403 and other 4xx fail
at once as fatal, with no retry loop. Messages name the URL without its query string, and never
a header, so tokens stay out of logs.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import httpx

from ingest.connectors.errors import FatalError, GoneError, PayloadError, RetriableError
from ingest.connectors.waits import backoff_delay, exhausted_for, requested_wait

log = logging.getLogger(__name__)

Params = Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """How patient a source is; the defaults suit a cron run every few minutes."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # the first retry waits 0.5-1 s, then 1-2 s, 2-4 s …
    backoff_cap: float = 60.0
    max_wait: float = 120.0


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


def make_client(*, user_agent: str, policy: HttpPolicy) -> httpx.Client:
    """An httpx client for one source: its User-Agent, timeouts, redirects followed."""
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(policy.timeout, connect=min(policy.timeout, 10.0)),
        follow_redirects=True,
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
        attempt = 0
        while True:
            self._respect_pause(url)
            try:
                response = self._client.request(method, url, headers=headers, **options)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise FatalError(f"{where(url)}: {exc}; check the source's URL") from None
            except httpx.TransportError as exc:
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
