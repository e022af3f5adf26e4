"""GET /entities and GET /documents over the sample data, on both backends."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi.testclient import TestClient

from tests.cli import SAMPLE

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


def test_unknown_entity_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/entities/acme")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "GET /api/v1/entities" in response.json()["detail"]


def test_documents_filter_and_page_without_overlap(client: TestClient) -> None:
    params = {"entity": "northwind-air", "voice": "public", "since": "2025-06-01",
              "until": "2025-09-30", "limit": 25}  # fmt: skip
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
            assert "2025-06-01" <= doc["published_at"][:10] <= "2025-09-30"
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
