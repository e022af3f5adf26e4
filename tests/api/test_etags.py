"""Read responses carry a strong ETag named by the data they read: 304 while it is unchanged,
a new tag after a write to that entity, the same tag after a write to another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source
from tests.api.conftest import client_for
from tests.factories import make_records

RANGE = {"since": "2025-03-01", "until": "2025-03-10"}
READS = [
    ("/api/v1/ravine", {"entity": "acme", "freq": "day", **RANGE}),
    ("/api/v1/ravine", {"entity": "acme", "format": "csv", **RANGE}),
    ("/api/v1/ravine/summary", {"entity": "acme", **RANGE}),
    ("/api/v1/ravine/reactions", {"entity": "acme", **RANGE}),
    ("/api/v1/documents", {"entity": "acme"}),
    ("/api/v1/entities/acme", {}),
    ("/dashboard/figure", {"entity": "acme", **RANGE}),
]


def add(factory: sessionmaker[Session], entity: str, first: int, count: int) -> None:
    """``count`` more public posts of ``entity``, numbered from ``first``."""
    with session_scope(factory, write=True) as session:
        entity_id = upsert_entity(session, name=entity)[0].id
        source = get_or_create_source(session, name=f"{entity}-posts", kind="file", voice="public")
        records = make_records(entity_id, first + count)[first:]
        upsert_documents(session, source_id=source.id, records=records)


@pytest.fixture
def api(db_url: str, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    add(session_factory, "Acme", 0, 40)
    add(session_factory, "Globex", 0, 40)
    with client_for(db_url) as client:
        yield client


def etags(api: TestClient) -> dict[str, str]:
    found = {}
    for path, params in READS:
        response = api.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        tag = response.headers["etag"]
        assert tag.startswith('"') and not tag.startswith("W/"), tag  # strong
        again = api.get(path, params=params, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == tag
        found[f"{path}?{sorted(params.items())}"] = tag
    return found


def test_tags_move_with_writes_to_their_entity_only(
    api: TestClient, session_factory: sessionmaker[Session]
) -> None:
    first = etags(api)
    listing = api.get("/api/v1/entities").headers["etag"]
    add(session_factory, "Globex", 40, 10)
    assert etags(api) == first  # another entity's data changed
    assert api.get("/api/v1/entities").headers["etag"] != listing  # the listing shows both
    add(session_factory, "Acme", 40, 10)
    second = etags(api)
    assert all(second[key] != first[key] for key in first), second
    stale = {"If-None-Match": first[next(iter(first))]}
    series = api.get("/api/v1/ravine", params=READS[0][1], headers=stale)
    assert series.status_code == 200
    assert sum(p["public"]["n"] for p in series.json()["periods"]) == 50


def test_a_copy_is_served_compressed_and_equal(api: TestClient) -> None:
    path, params = READS[0]
    plain = api.get(path, params=params, headers={"Accept-Encoding": "identity"})
    for _ in range(2):  # computed, then sent from memory
        zipped = api.get(path, params=params, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["etag"] == plain.headers["etag"]
        assert zipped.headers["content-encoding"] == "gzip"
        assert int(zipped.headers["content-length"]) < len(plain.content) / 3
        assert zipped.content == plain.content  # as the client decompresses it


def test_a_list_of_tags_and_a_star_match(api: TestClient) -> None:
    path, params = READS[4]
    tag = api.get(path, params=params).headers["etag"]
    for header in (f'"other", {tag}', f"W/{tag}", "*"):
        assert api.get(path, params=params, headers={"If-None-Match": header}).status_code == 304
    assert api.get(path, params=params, headers={"If-None-Match": '"other"'}).status_code == 200
