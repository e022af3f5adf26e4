"""GET /entities and GET /documents over the sample data, on both backends."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source
from tests.api.conftest import client_for
from tests.cli import SAMPLE
from tests.factories import make_records, make_source

PROBLEM = "application/problem+json"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "revision": None}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_entities_list_counts_and_date_ranges(client: TestClient) -> None:
    items = client.get("/api/v1/entities").json()["items"]
    assert [e["slug"] for e in items] == ["brightleaf-foods", "helio-bank", "northwind-air"]
    northwind = items[2]
    statements = [
        json.loads(line)
        for line in (SAMPLE / "statements.jsonl").read_text().splitlines()
        if '"northwind-air"' in line
    ]
    assert northwind["corporate"]["documents"] == len(statements)
    assert northwind["public"]["documents"] > 600
    assert northwind["public"]["scored"] < northwind["public"]["documents"]  # non-English
    first = min(datetime.fromisoformat(s["published_at"]) for s in statements)
    assert datetime.fromisoformat(northwind["corporate"]["first"]) == first
    one = client.get("/api/v1/entities/northwind-air").json()
    assert one == northwind
    assert client.get("/api/v1/entities/Northwind").json()["slug"] == "northwind-air"  # alias


def test_entity_counts_leave_out_deleted_documents_and_count_unscored_ones(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    """First and last come from index seeks past deleted documents, scored counts from the
    roll-ups, unscored documents from the table: together, the undeleted documents."""
    with session_scope(session_factory, write=True) as session:
        entity_id, public = make_source(session)
        corporate = get_or_create_source(
            session, name="test-corporate", kind="file", voice="corporate", entity_id=entity_id
        ).id
        posts = make_records(entity_id, 6)
        for post in posts[4:]:  # the two newest are not English: stored, unscored
            post.neg = post.neu = post.pos = post.compound = None
            post.unscored_reason = "language 'de'"
        upsert_documents(session, source_id=public, records=posts)
        releases = make_records(entity_id, 2, voice="corporate")
        for release in releases:
            release.compound, release.unscored_reason = None, "language 'fr'"
        upsert_documents(session, source_id=corporate, records=releases)
        upsert_entity(session, name="Quiet Co")
    with session_scope(session_factory, write=True) as session:
        mark_deleted(session, source_id=public, external_ids=["post-0", "post-5"])
    with client_for(db_url) as client:
        northwind, quiet = client.get("/api/v1/entities").json()["items"]
    first, last = (datetime.fromisoformat(northwind["public"][k]) for k in ("first", "last"))
    assert northwind["public"]["documents"] == 4 and northwind["public"]["scored"] == 3
    assert (first, last) == (posts[1].published_at, posts[4].published_at)
    assert northwind["corporate"]["documents"] == 2 and northwind["corporate"]["scored"] == 0
    assert (
        quiet["public"]
        == quiet["corporate"]
        == {"documents": 0, "scored": 0, "first": None, "last": None}
    )


def test_unknown_entity_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/entities/acme")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "GET /api/v1/entities" in response.json()["detail"]


def test_documents_filter_and_page_without_overlap(client: TestClient) -> None:
    # Three weeks of the summer: many pages of 25, and all of them within one page of 500.
    params = {"entity": "northwind-air", "voice": "public", "since": "2025-07-01",
              "until": "2025-07-21", "limit": 25}  # fmt: skip
    seen: list[int] = []
    cursor = None
    while True:
        page = client.get(
            "/api/v1/documents", params={**params, "cursor": cursor} if cursor else params
        )
        assert page.status_code == 200
        body = page.json()
        seen += [d["id"] for d in body["items"]]
        for doc in body["items"]:
            assert doc["entity"] == "northwind-air" and doc["voice"] == "public"
            assert "2025-07-01" <= doc["published_at"][:10] <= "2025-07-21"
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) > 100
    times = [client.get("/api/v1/documents", params={**params, "limit": 500}).json()["items"]]
    published = [datetime.fromisoformat(d["published_at"]) for d in times[0]]
    assert published == sorted(published, reverse=True)
    assert len(times[0]) == len(seen)


def test_text_search_score_range_and_sort_by_compound(client: TestClient) -> None:
    params = {
        "q": "DELAYED",
        "max_compound": -0.1,
        "sort": "compound",
        "order": "asc",
        "limit": 500,
    }
    items = client.get("/api/v1/documents", params=params).json()["items"]
    assert items and all("delayed" in d["text"].lower() for d in items)
    compounds = [d["scores"]["compound"] for d in items]
    assert compounds == sorted(compounds) and max(compounds) <= -0.1


def test_keyset_pages_do_not_shift_when_documents_arrive(empty_client: TestClient) -> None:
    # Covered with writes in test_push.py; here: a cursor from another sort is refused.
    response = empty_client.get(
        "/api/v1/documents", params={"cursor": "bm9wZQ", "sort": "compound"}
    )
    assert response.status_code == 422 and "cursor" in response.json()["detail"]


def test_bad_parameters_are_422_problems_that_name_the_field(client: TestClient) -> None:
    for params, fragment in [
        ({"since": "2025-05-01", "until": "2025-01-01"}, "must be before"),
        ({"limit": 501}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"min_compound": 0.5, "max_compound": -0.5}, "min_compound"),
        ({"voice": "loud"}, "voice"),
    ]:
        response = client.get("/api/v1/documents", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == PROBLEM
        assert fragment in response.json()["detail"]
