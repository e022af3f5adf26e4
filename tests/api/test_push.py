"""POST /documents with API keys, idempotence, per-item errors and read protection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.repository.apikeys import create_key, revoke_key
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for

POSTS = [
    {"external_id": "t1", "text": "@united my flight was delayed",
     "created_at": "2025-02-24 11:35:52 -0800", "author": "ann", "likes": 3},
    {"external_id": "t2", "text": "Great crew, thanks United!", "created_at": 1740500000},
    {"external_id": "t3", "text": "", "created_at": "2025-02-25T10:00:00Z"},
]  # fmt: skip


@pytest.fixture
def key(session_factory: sessionmaker[Session]) -> str:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="United", aliases=["@united", "United Airlines"])
        _, key = create_key(session, name="tests")
    return key


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    with client_for(db_url) as client:
        yield client


def push(
    api: TestClient, key: str | None, documents: list[dict[str, object]], **extra: str
) -> object:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"entity": "united", "voice": "public", "documents": documents, **extra}
    return api.post("/api/v1/documents", json=body, headers=headers)


def test_push_stores_scores_and_reports_bad_items(api: TestClient, key: str) -> None:
    response = push(api, key, POSTS)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["inserted"], body["updated"], body["unchanged"], body["rejected"]) == (2, 0, 0, 1)
    assert body["errors"] == [{"index": 2, "error": "text is empty"}]
    docs = api.get("/api/v1/documents", params={"entity": "united", "sort": "published_at",
                                                 "order": "asc"}).json()["items"]  # fmt: skip
    assert [d["external_id"] for d in docs] == ["t1", "t2"]
    assert docs[0]["published_at"] == "2025-02-24T19:35:52Z"
    assert docs[0]["scores"]["compound"] < 0  # "@united" masked: VADER alone says +0.2263
    assert docs[0]["source"] == "api:public"


def test_push_is_idempotent_and_updates_edits(api: TestClient, key: str) -> None:
    assert push(api, key, POSTS[:2]).json()["inserted"] == 2
    again = push(api, key, POSTS[:2]).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    edited = [{**POSTS[0], "text": "@united my flight was delayed. Update: they fixed it, thanks!"}]
    assert push(api, key, edited).json()["updated"] == 1
    total = api.get("/api/v1/entities/united").json()["public"]["documents"]
    assert total == 2


def test_keys_are_required_checked_and_revocable(
    api: TestClient, key: str, session_factory: sessionmaker[Session]
) -> None:
    missing = push(api, None, POSTS[:1])
    assert (
        missing.status_code == 401 and missing.headers["content-type"] == "application/problem+json"
    )
    assert "ravine apikey create" in missing.json()["detail"]
    assert push(api, "rvn_wrong", POSTS[:1]).status_code == 401
    by_header = api.post(
        "/api/v1/documents",
        json={"entity": "united", "voice": "public", "documents": POSTS[:1]},
        headers={"X-API-Key": key},
    )
    assert by_header.status_code == 200
    with session_scope(session_factory, write=True) as session:
        revoke_key(session, name="tests")
    assert push(api, key, POSTS[:1]).status_code == 401


@pytest.mark.parametrize(
    ("documents", "extra", "status", "fragment"),
    [
        ([{"text": "", "created_at": "x"}], {}, 422, "all 1 documents were rejected"),
        ([{"text": "hi", "created_at": "2025-01-01"}] * 1001, {}, 422, "documents"),
        ([], {}, 422, "documents"),
        (POSTS[:1], {"entity": "nobody"}, 404, "no entity"),
        (POSTS[:1], {"voice": "loud"}, 422, "voice"),
    ],
)
def test_bad_requests_are_problems(
    api: TestClient, key: str, documents: list[dict[str, object]], extra: dict[str, str],
    status: int, fragment: str,
) -> None:  # fmt: skip
    response = push(api, key, documents, **extra)
    assert response.status_code == status
    assert fragment in response.json()["detail"]


def posted(external_id: str, day: str) -> dict[str, object]:
    return {"external_id": external_id, "text": f"post {external_id}", "created_at": day}


def test_pages_do_not_shift_when_documents_arrive(api: TestClient, key: str) -> None:
    older = [posted(f"o{i}", f"2025-03-{1 + i:02d}") for i in range(20)]
    push(api, key, older)
    params = {"entity": "united", "limit": 8}
    first = api.get("/api/v1/documents", params=params).json()
    newer = [posted(f"n{i}", f"2025-04-{1 + i:02d}") for i in range(5)]
    push(api, key, newer)
    seen = [d["external_id"] for d in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/api/v1/documents", params={**params, "cursor": cursor}).json()
        seen += [d["external_id"] for d in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"o{i}" for i in reversed(range(20))]


def test_reads_can_require_a_key(db_url: str, key: str) -> None:
    with client_for(db_url, read_requires_key=True) as api:
        assert api.get("/api/v1/entities").status_code == 401
        ok = api.get("/api/v1/entities", headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200
        assert api.get("/healthz").status_code == 200  # probes stay open


def test_nul_characters_are_refused_not_a_server_error(api: TestClient, key: str) -> None:
    nul = [{"external_id": "n1", "text": "bad\x00byte", "created_at": "2025-01-01"}]
    body = push(api, key, [*nul, POSTS[1]]).json()
    assert body["rejected"] == 1 and "NUL" in body["errors"][0]["error"]
    assert (
        api.post(
            "/api/v1/documents",
            json={"entity": "un\x00ited", "voice": "public", "documents": POSTS[:1]},
            headers={"X-API-Key": key},
        ).status_code
        == 404
    )
    assert api.get("/api/v1/documents", params={"q": "a\x00b"}).status_code == 422
