"""Annotations: added with a key, listed as JSON and CSV, refused clearly when wrong, deleted,
and shown with the series; every write renames the entity's chart answers (new ETags)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.repository.apikeys import create_key
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for

LAUNCH = {"entity": "acme", "date": "2025-03-10", "label": "Rocket skates launch",
          "url": "https://acme.example/news/skates"}  # fmt: skip
OUTAGE = {"entity": "Acme Corp", "date": "2025-04-01", "end_date": "2025-04-03",
          "label": "=Outage"}  # fmt: skip


@pytest.fixture
def key(session_factory: sessionmaker[Session]) -> str:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="Acme Corp", slug="acme")
        _, key = create_key(session, name="analyst")
    return key


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    with client_for(db_url) as client:
        yield client


def add(api: TestClient, key: str | None, body: dict[str, Any]) -> Any:
    return api.post("/api/v1/annotations", json=body, headers={"X-API-Key": key} if key else {})


def listed(api: TestClient, **params: str) -> list[dict[str, Any]]:
    response = api.get("/api/v1/annotations", params={"entity": "acme", **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_annotations_are_added_listed_by_overlap_and_deleted(api: TestClient, key: str) -> None:
    made = add(api, key, LAUNCH)
    assert made.status_code == 201, made.text
    launch = made.json()
    assert {k: launch[k] for k in ("entity", "date", "end_date", "label", "url", "created_by")} == {
        "entity": "acme", "date": "2025-03-10", "end_date": None,
        "label": "Rocket skates launch", "url": "https://acme.example/news/skates",
        "created_by": "analyst",
    }  # fmt: skip
    assert launch["created_at"].endswith("Z")
    assert add(api, key, OUTAGE).status_code == 201
    assert [a["label"] for a in listed(api)] == ["Rocket skates launch", "=Outage"]
    # A range is listed by any range it overlaps: the outage ends on the 3rd.
    assert [a["label"] for a in listed(api, since="2025-04-03")] == ["=Outage"]
    assert [a["label"] for a in listed(api, until="2025-03-31")] == ["Rocket skates launch"]
    assert listed(api, since="2025-04-04") == []
    sheet = api.get("/api/v1/annotations", params={"entity": "acme", "format": "csv"})
    lines = sheet.text.splitlines()
    assert sheet.headers["content-type"].startswith("text/csv")
    assert lines[0] == "id,date,end_date,label,url,created_at,created_by"
    assert lines[2].split(",")[1:4] == ["2025-04-01", "2025-04-03", "'=Outage"]  # no formula
    assert api.delete(f"/api/v1/annotations/{launch['id']}").status_code == 401
    deleted = api.delete(f"/api/v1/annotations/{launch['id']}", headers={"X-API-Key": key})
    assert deleted.status_code == 204
    assert [a["label"] for a in listed(api)] == ["=Outage"]
    again = api.delete(f"/api/v1/annotations/{launch['id']}", headers={"X-API-Key": key})
    assert again.status_code == 404
    assert "no annotation" in again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"entity": "nobody"}, 404, "no entity 'nobody'"),
        ({"end_date": "2025-03-09"}, 422, "end_date (2025-03-09) is before date (2025-03-10)"),
        ({"date": "2025-02-30"}, 422, "date"),
        ({"label": ""}, 422, "label"),
        ({"label": "x" * 201}, 422, "label"),
        ({"label": "bad\x00label"}, 422, "NUL"),
        ({"url": "javascript:alert(1)"}, 422, "http:// or https://"),
        ({"url": "ftp://acme.example/x"}, 422, "http:// or https://"),
    ],
)
def test_bad_input_is_refused_with_what_to_change(
    api: TestClient, key: str, change: dict[str, str], status: int, words: str
) -> None:
    response = add(api, key, {**LAUNCH, **change})
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert listed(api) == []


def test_writes_need_a_valid_key(api: TestClient, key: str) -> None:
    assert add(api, None, LAUNCH).status_code == 401
    assert add(api, "not-a-key", LAUNCH).status_code == 401
    assert listed(api) == []


def test_reads_refuse_bad_parameters(api: TestClient, key: str) -> None:
    bad = api.get("/api/v1/annotations", params={"entity": "acme", "since": "2025-05-01",
                                                  "until": "2025-04-01"})  # fmt: skip
    assert bad.status_code == 422
    assert "must not be after" in bad.json()["detail"]
    assert api.get("/api/v1/annotations", params={"entity": "nobody"}).status_code == 404
    assert api.get("/api/v1/annotations", params={"entity": "ac\x00me"}).status_code == 422


def test_the_series_shows_them_and_every_write_renames_the_answer(
    api: TestClient, key: str
) -> None:
    params = {"entity": "acme", "since": "2025-03-01", "until": "2025-03-31"}
    before = api.get("/api/v1/ravine", params=params)
    assert before.status_code == 200, before.text
    assert before.json()["annotations"] == []
    etag = before.headers["etag"]
    assert (
        api.get("/api/v1/ravine", params=params, headers={"If-None-Match": etag}).status_code == 304
    )
    made = add(api, key, LAUNCH).json()
    add(api, key, OUTAGE)  # after the range: not shown
    after = api.get("/api/v1/ravine", params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert [a["id"] for a in after.json()["annotations"]] == [made["id"]]
    figure = api.get("/dashboard/figure", params=params).json()
    assert figure["annotations"] == [{"date": "2025-03-10", "end_date": None,
                                      "label": "Rocket skates launch",
                                      "url": "https://acme.example/news/skates"}]  # fmt: skip
    api.delete(f"/api/v1/annotations/{made['id']}", headers={"X-API-Key": key})
    assert api.get("/api/v1/ravine", params=params).json()["annotations"] == []
