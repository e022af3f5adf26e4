"""The shared HTTP layer against a real local server: waits, retries, errors, conditional GET."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.connectors.errors import FatalError, PayloadError, RetriableError
from ingest.connectors.http import HttpClient, Validators
from ingest.connectors.waits import backoff_delay, exhausted_for, requested_wait
from tests.connectors.conftest import NOW
from tests.connectors.server import LocalServer, Reply

OK = Reply.json({"ok": True})


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after": "12"}, 12.0),
        ({"retry-after": "Tue, 03 Jun 2025 12:00:30 GMT"}, 30.0),  # an HTTP date
        ({"x-ratelimit-reset": "2025-06-03T12:05:00.000Z"}, 300.0),  # Mastodon: ISO 8601
        ({"ratelimit-reset": str(int(NOW.timestamp()) + 45)}, 45.0),  # Bluesky: epoch seconds
        ({"x-ratelimit-reset": "20"}, 20.0),  # Reddit: seconds from now
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_what_servers_ask_for_becomes_seconds(headers: dict[str, str], wait: float | None) -> None:
    assert requested_wait(headers, now=NOW) == wait


def test_an_exhausted_rate_limit_is_noticed_before_the_429() -> None:
    spent = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2025-06-03T12:01:00Z"}
    assert exhausted_for(spent, now=NOW) == 60.0
    assert exhausted_for({**spent, "x-ratelimit-remaining": "12"}, now=NOW) is None
    assert exhausted_for({"x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "5"}, now=NOW) == 5.0


def test_backoff_doubles_within_jittered_bounds_and_a_cap() -> None:
    for attempt, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (10, 30.0)]:
        low = backoff_delay(attempt, base=1.0, cap=30.0, rand=lambda: 0.0)
        high = backoff_delay(attempt, base=1.0, cap=30.0, rand=lambda: 1.0)
        assert (low, high) == (ceiling / 2, ceiling)


def test_a_429_with_only_a_reset_header_waits_until_the_reset(
    server: LocalServer, http: HttpClient, sleeps: list[float]
) -> None:
    server.queue("/x", Reply(429, b"", {"X-RateLimit-Reset": "2025-06-03T12:00:20Z"}))
    server.route("/x", lambda _: OK)
    assert http.get_json(server.base_url + "/x")[0] == {"ok": True}
    assert sleeps == [20.0]


def test_a_used_up_limit_pauses_the_next_request_until_the_reset(
    server: LocalServer, http: HttpClient, sleeps: list[float]
) -> None:
    spent = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2025-06-03T12:00:09Z"}
    server.queue("/x", Reply.json([], headers=spent))
    server.route("/x", lambda _: OK)
    http.get(server.base_url + "/x")
    assert sleeps == []
    http.get(server.base_url + "/x")
    assert sleeps == [9.0]


def test_a_wait_longer_than_a_run_waits_ends_the_source_without_sleeping(
    server: LocalServer, http: HttpClient, sleeps: list[float]
) -> None:
    server.queue("/x", Reply(429, b"", {"Retry-After": "3600"}))
    with pytest.raises(RetriableError, match=r"asks to wait 3600 s.*next run"):
        http.get(server.base_url + "/x")
    assert sleeps == [] and len(server.requests) == 1


def test_errors_name_the_url_without_its_query_string(
    server: LocalServer, http: HttpClient
) -> None:
    server.queue("/feed", *[Reply(503, b"")] * 3)
    with pytest.raises(RetriableError) as raised:
        http.get(server.base_url + "/feed", params={"rss": "s3cret-feed-token"})
    assert "/feed" in str(raised.value) and "s3cret" not in str(raised.value)


def test_not_found_is_fatal_and_names_what_to_check(server: LocalServer, http: HttpClient) -> None:
    with pytest.raises(FatalError, match="404 Not Found: check the source's URL"):
        http.get(server.base_url + "/missing")
    assert len(server.requests) == 1


def test_a_url_that_is_not_http_is_fatal(http: HttpClient) -> None:
    with pytest.raises(FatalError, match="check the source's URL"):
        http.get("ftp://example.com/feed")


def test_invalid_json_is_a_payload_error(server: LocalServer, http: HttpClient) -> None:
    server.route("/x", lambda _: Reply(200, b"{not json", {"Content-Type": "application/json"}))
    with pytest.raises(PayloadError, match="not JSON"):
        http.get_json(server.base_url + "/x")


def test_conditional_get_sends_the_validators_and_passes_a_304_through(
    server: LocalServer, http: HttpClient
) -> None:
    server.route("/f", lambda r: Reply(304 if r.headers.get("if-none-match") == '"v1"' else 200))
    validators = Validators(etag='"v1"', last_modified="Tue, 03 Jun 2025 09:15:00 GMT")
    assert http.get(server.base_url + "/f", validators=validators).status_code == 304
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 03 Jun 2025 09:15:00 GMT"
    assert http.get(server.base_url + "/f").status_code == 200
    assert "if-none-match" not in server.requests[-1].headers


def test_the_clock_decides_waits(server: LocalServer) -> None:
    """Injected clock and sleep: waits are computed against the server's reset time."""
    waits: list[float] = []
    later = datetime(2025, 6, 3, 12, 0, 15, tzinfo=UTC)
    client = HttpClient(__import__("httpx").Client(), sleep=waits.append, clock=lambda: later)
    server.queue("/x", Reply(429, b"", {"X-RateLimit-Reset": "2025-06-03T12:00:20Z"}))
    server.route("/x", lambda _: OK)
    client.get(server.base_url + "/x")
    client.close()
    assert waits == [5.0]
