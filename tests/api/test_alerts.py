"""GET /api/v1/alerts: the events the rules caught, filtered by entity and days, with each
channel's delivery; also carried by the series answer, whose ETag a new event changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.analytics.alerts import Finding
from ravine.db import session_scope
from ravine.repository.alerts import store_event
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for


def _finding(day: date, kind: str = "band") -> Finding:
    return Finding(
        kind=kind, day=day, started=None, direction="up", value=0.9, expected=0.2, low=-0.1,  # type: ignore[arg-type]
        high=0.5, ci_low=0.7, ci_high=1.1, score=7.0,
        detail=f"the ravine was +0.90 on {day}, outside its 90-day band",
    )  # fmt: skip


def _store(
    factory: sessionmaker[Session], slug: str, day: date, *, send: bool = True
) -> int | None:
    with session_scope(factory, write=True) as session:
        entity, _ = upsert_entity(session, name=slug.title(), slug=slug)
        return store_event(
            session, rule="band", entity_id=entity.id, finding=_finding(day),
            channels=["slack", "mail"], send=send,
        )  # fmt: skip


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    with client_for(db_url) as client:
        yield client


def _items(api: TestClient, **params: str) -> list[dict[str, Any]]:
    response = api.get("/api/v1/alerts", params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_events_are_listed_newest_first_with_their_deliveries(
    api: TestClient, session_factory: sessionmaker[Session]
) -> None:
    first = _store(session_factory, "acme", date(2025, 3, 1))
    assert _store(session_factory, "acme", date(2025, 3, 1)) is None  # stored once
    _store(session_factory, "acme", date(2025, 4, 2), send=False)
    _store(session_factory, "globex", date(2025, 3, 15))
    acme = _items(api, entity="acme")
    assert [(item["day"], item["entity"]) for item in acme] == [
        ("2025-04-02", "acme"), ("2025-03-01", "acme")
    ]  # fmt: skip
    assert acme[1]["id"] == first and acme[1]["detail"].startswith("the ravine was +0.90")
    assert acme[1]["deliveries"] == [
        {"channel": "slack", "status": "pending", "attempts": 0, "sent_at": None},
        {"channel": "mail", "status": "pending", "attempts": 0, "sent_at": None},
    ]
    assert {d["status"] for d in acme[0]["deliveries"]} == {"skipped"}
    assert [item["entity"] for item in _items(api)] == ["acme", "globex", "acme"]
    window = _items(api, since="2025-03-02", until="2025-03-31")
    assert [(item["entity"], item["day"]) for item in window] == [("globex", "2025-03-15")]


def test_bad_requests_get_clear_answers(
    api: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _store(session_factory, "acme", date(2025, 3, 1))
    missing = api.get("/api/v1/alerts", params={"entity": "nobody"})
    assert missing.status_code == 404
    backwards = api.get("/api/v1/alerts", params={"since": "2025-05-01", "until": "2025-04-01"})
    assert backwards.status_code == 422 and "must not be after" in backwards.text
    assert api.get("/api/v1/alerts", params={"since": "May"}).status_code == 422


def test_the_series_answer_carries_the_events_and_a_new_one_renames_it(
    api: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _store(session_factory, "acme", date(2025, 3, 1))
    params = {"entity": "acme", "since": "2025-02-01", "until": "2025-03-31"}
    before = api.get("/api/v1/ravine", params=params)
    assert before.status_code == 200, before.text
    assert [alert["day"] for alert in before.json()["alerts"]] == ["2025-03-01"]
    _store(session_factory, "acme", date(2025, 3, 20))
    after = api.get(
        "/api/v1/ravine", params=params, headers={"If-None-Match": before.headers["etag"]}
    )
    assert after.status_code == 200
    assert [alert["day"] for alert in after.json()["alerts"]] == ["2025-03-20", "2025-03-01"]
