"""The contract every connector keeps, run over each one against its recorded upstream."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ingest.connectors.base import Connector, Context, Page
from ingest.connectors.errors import FatalError, PayloadError, RetriableError
from tests.connectors.cases import (
    CASES,
    HTTP_CASES,
    Case,
    Upstream,
    connector_for,
    drain,
    ids,
    walk,
)
from tests.connectors.conftest import POLICY, USER_AGENT
from tests.connectors.server import LocalServer, Reply

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


def started(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> tuple[Upstream, Connector[Any, Any]]:
    upstream, settings = case.setup(server, tmp_path)
    return upstream, connector_for(case.kind, settings, context)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_first_read_yields_pages_of_plain_text_in_utc(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    _, connector = started(case, server, tmp_path, context)
    pages = drain(connector)
    assert pages and all(isinstance(page, Page) for page in pages)
    found = ids(pages)
    assert len(found) == len(set(found)) == case.first, "each document once"
    for page in pages:
        assert type(page.cursor) is connector.cursor_model
        stored = json.loads(page.cursor.model_dump_json())  # the cursor survives JSON storage
        assert connector.cursor_model.model_validate(stored) == page.cursor
        for item in page.items:
            assert item.external_id and isinstance(item.external_id, str)
            assert item.published_at.utcoffset() == timedelta(0), item
            assert item.text == item.text.strip() and not MARKUP.search(item.text), item.text
            assert item.title is None or not MARKUP.search(item.title)
            for count in (item.likes, item.reposts, item.replies):
                assert count is None or (isinstance(count, int) and count >= 0)
            # The upstream record, for keep_raw: present, and storable as JSON as it is.
            assert item.raw, item
            assert json.loads(json.dumps(item.raw, allow_nan=False)) == item.raw
    assert pages[-1].cursor != connector.cursor_model(), "the cursor moved"


@pytest.mark.parametrize(
    "case",  # SEC EDGAR's client keeps to 5 requests a second: its restarts take ~15 s
    [
        pytest.param(case, marks=pytest.mark.slow) if case.kind == "sec_edgar" else case
        for case in CASES
    ],
    ids=str,
)
def test_every_page_cursor_is_a_safe_restart_point(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    """Stopping after any page (a crash, the page limit) and resuming loses nothing."""
    _, connector = started(case, server, tmp_path, context)
    everything = set(ids(drain(connector)))
    for stop in range(1, len(drain(connector)) + 1):
        before = walk(connector.pages(connector.cursor_model()), stop)
        after = drain(connector, before[-1].cursor)
        assert set(ids(before)) | set(ids(after)) == everything, f"lost items stopping at {stop}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_rerun_from_the_saved_cursor_brings_nothing_new(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    _, connector = started(case, server, tmp_path, context)
    first = drain(connector)
    again = drain(connector, first[-1].cursor)
    assert set(ids(again)) <= set(ids(first)), "only re-reads (an overlap window) are allowed"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_new_upstream_documents_arrive_incrementally(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    upstream, connector = started(case, server, tmp_path, context)
    first = drain(connector)
    upstream.advance()
    later = drain(connector, first[-1].cursor)
    assert len(set(ids(later)) - set(ids(first))) == case.new
    assert drain(connector, later[-1].cursor) is not None  # and the new cursor is usable


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_sends_its_user_agent(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    _, connector = started(case, server, tmp_path, context)
    drain(connector)
    assert {r.headers["user-agent"] for r in server.requests} == {USER_AGENT}


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_429_waits_as_the_server_asks_then_goes_on(
    case: Case, server: LocalServer, tmp_path: Path, context: Context, sleeps: list[float]
) -> None:
    _, connector = started(case, server, tmp_path, context)
    assert case.path is not None
    server.queue(case.path, Reply.json({"error": "Too many requests"}, status=429,
                                        headers={"Retry-After": "7"}))  # fmt: skip
    assert len(ids(drain(connector))) == case.first
    assert sleeps == [7.0]


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_5xx_and_dropped_connections_are_retried_with_growing_waits(
    case: Case, server: LocalServer, tmp_path: Path, context: Context, sleeps: list[float]
) -> None:
    _, connector = started(case, server, tmp_path, context)
    assert case.path is not None
    server.queue(case.path, Reply(502, b"<html>Bad gateway</html>"), Reply(503, b""))
    assert len(ids(drain(connector))) == case.first
    assert len(sleeps) == 2 and sleeps[0] < sleeps[1]


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_a_5xx_that_lasts_fails_the_source_as_retriable(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    _, connector = started(case, server, tmp_path, context)
    assert case.path is not None
    server.queue(case.path, *[Reply(500, b"oops")] * (POLICY.retries + 1))
    with pytest.raises(RetriableError, match="500 Internal Server Error 3 times"):
        drain(connector)
    assert len(server.requests_to(case.path)) == POLICY.retries + 1


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_refused_access_fails_at_once_without_retrying(
    case: Case, status: int, server: LocalServer, tmp_path: Path, context: Context,
    sleeps: list[float],
) -> None:  # fmt: skip
    _, connector = started(case, server, tmp_path, context)
    assert case.path is not None
    server.queue(case.path, Reply.json({"error": "Forbidden"}, status=status))
    with pytest.raises(FatalError, match=rf"{status}.*access refused"):
        drain(connector)
    assert len(server.requests_to(case.path)) == 1 and sleeps == []


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_a_malformed_payload_is_reported_not_stored(
    case: Case, server: LocalServer, tmp_path: Path, context: Context
) -> None:
    _, connector = started(case, server, tmp_path, context)
    assert case.path is not None
    server.queue(case.path, Reply(200, b"<html><body>Maintenance</body></html>",
                                  {"Content-Type": "text/html"}))  # fmt: skip
    with pytest.raises(PayloadError):
        drain(connector)


@pytest.mark.parametrize("case", HTTP_CASES, ids=str)
def test_an_unreachable_server_is_retriable(
    case: Case, server: LocalServer, tmp_path: Path, context: Context, sleeps: list[float]
) -> None:
    _, settings = case.setup(server, tmp_path)
    closed = LocalServer()  # bound, then closed: nothing listens on its port any more
    closed._httpd.server_close()
    moved = {k: (v.replace(server.base_url, closed.base_url) if isinstance(v, str) else v)
             for k, v in settings.items()}  # fmt: skip
    with pytest.raises(RetriableError, match="ConnectError"):
        drain(connector_for(case.kind, moved, context))
    assert len(sleeps) == POLICY.retries
