"""Extreme and malformed input gets a clear 4xx, never a 500, on both backends: dates at the
ends of the calendar, forged cursors, broken Unicode and control characters in pushes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.problems import Problem
from ravine.db import session_scope
from ravine.repository.apikeys import create_key
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for

READS = [
    "/api/v1/ravine", "/api/v1/ravine/summary", "/api/v1/ravine/reactions",
    "/api/v1/compare", "/dashboard/figure", "/api/v1/documents",
]  # fmt: skip
ENDS = [("0001-01-01", "0001-01-05"), ("9999-12-25", "9999-12-31"), ("1899-12-31", "1900-01-02")]


def cursor(value: object, doc_id: object) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, doc_id]).encode()).decode().rstrip("=")


@pytest.mark.parametrize(("since", "until"), ENDS)
def test_dates_at_the_ends_of_the_calendar_are_refused(
    client: TestClient, since: str, until: str
) -> None:
    for path in READS:
        response = client.get(path, params={"entity": "northwind-air", "since": since,
                                            "until": until})  # fmt: skip
        assert response.status_code == 422, (path, response.text)
        assert "out of range: use a date from 1900-01-01 to 2999-12-31" in response.json()["detail"]


@pytest.mark.parametrize(
    ("sort", "forged"),
    [
        ("published_at", cursor("2025-01-01T00:00:00+00:00", 10**30)),  # no row has that id
        ("published_at", cursor("2025-01-01T00:00:00", 5)),  # a time without a zone
        ("published_at", cursor("2025-01-01T00:00:00+00:00", -1)),
        ("published_at", cursor("2025-01-01T00:00:00+00:00", 1.5)),
        ("compound", cursor("NaN", 5)),
        ("compound", cursor("2025-01-01", 5)),  # another sort's cursor
        ("published_at", "not base64 at all!"),
    ],
)
def test_forged_cursors_are_refused(client: TestClient, sort: str, forged: str) -> None:
    response = client.get("/api/v1/documents", params={"sort": sort, "cursor": forged})
    assert response.status_code == 422, response.text
    assert "cursor is not one this API issued" in response.json()["detail"]


@pytest.fixture
def pushing(
    db_url: str, session_factory: sessionmaker[Session]
) -> Iterator[tuple[TestClient, str]]:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="United")
        _, key = create_key(session, name="tests")
    with client_for(db_url) as client:
        yield client, key


def post(pushing: tuple[TestClient, str], body: dict[str, object]) -> object:
    client, key = pushing
    raw = json.dumps(body).encode("utf-8", "surrogatepass")  # as a client may send "\\ud800"
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    return client.post("/api/v1/documents", content=raw, headers=headers)


GOOD = {"external_id": "g1", "text": "lost my bag", "created_at": "2025-01-01T00:00:00Z"}


def test_a_lone_surrogate_rejects_its_document_and_the_others_land(
    pushing: tuple[TestClient, str],
) -> None:
    bad = {"external_id": "b1", "text": "bad \ud800 text", "created_at": "2025-01-01T00:00:00Z"}
    response = post(pushing, {"entity": "united", "voice": "public", "documents": [GOOD, bad]})
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["error"].startswith("text contains a lone surrogate (\\ud800)")


def test_control_characters_in_a_source_name_and_broken_json_are_422(
    pushing: tuple[TestClient, str],
) -> None:
    named = {"entity": "united", "voice": "public", "documents": [GOOD], "source": "a\x00b"}
    response = post(pushing, named)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["detail"].startswith("source: contains a control character")  # type: ignore[attr-defined]
    client, key = pushing
    broken = client.post(
        "/api/v1/documents", content=b'{"entity": "united", "documents": [}',
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )  # fmt: skip
    assert broken.status_code == 422
    assert broken.json()["detail"] == "body: not valid JSON at character 36: Expecting value"


def test_all_documents_rejected_is_a_problem_in_the_documented_shape(
    pushing: tuple[TestClient, str],
) -> None:
    empty = {"external_id": "e", "text": "", "created_at": "2025-01-01T00:00:00Z"}
    response = post(
        pushing, {"entity": "united", "voice": "public", "documents": [GOOD, empty, empty]}
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    refused = post(pushing, {"entity": "united", "voice": "public", "documents": [empty]})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    problem = Problem.model_validate(refused.json())  # type: ignore[attr-defined]
    assert problem.errors is not None
    assert [(e.field, e.message) for e in problem.errors] == [("documents.0", "text is empty")]


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="United")
        _, key = create_key(session, name="tests")
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    documents = [{**GOOD, "external_id": str(i), "text": "x" * 50_000} for i in range(30)]
    body = json.dumps({"entity": "united", "voice": "public", "documents": documents}).encode()
    with client_for(db_url, max_body_mb=1) as client:
        declared = client.post("/api/v1/documents", content=body, headers=headers)
        assert declared.status_code == 413
        assert "over the 1 MB limit (RAVINE_MAX_BODY_MB)" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for start in range(0, len(body), 65_536):
                yield body[start : start + 65_536]

        streamed = client.post("/api/v1/documents", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        small = client.post("/api/v1/documents", content=body[:0] + json.dumps(
            {"entity": "united", "voice": "public", "documents": [GOOD]}).encode(),
            headers=headers)  # fmt: skip
        assert small.status_code == 200, small.text


@pytest.mark.parametrize("attack", ["'; DROP TABLE documents; --", "' OR '1'='1", "%' --"])
def test_injection_strings_are_matched_as_text(client: TestClient, attack: str) -> None:
    before = client.get("/api/v1/entities").json()
    for params in ({"q": attack}, {"entity": attack}, {"source": attack}, {"lang": attack[:16]}):
        response = client.get("/api/v1/documents", params=params)
        assert response.status_code in (200, 404, 422), response.text  # 422: q has no word
        if response.status_code == 200:
            assert response.json()["items"] == []
    assert client.get("/api/v1/entities").json() == before  # nothing was dropped
