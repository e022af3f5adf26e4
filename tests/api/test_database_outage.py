"""With its database down the API answers 503 problems with Retry-After, never naming the
database's host, and recovers by itself once the database is back. Runs against a private
PostgreSQL server that the test stops and starts (never the shared one)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ravine import migrate
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.documents import upsert_documents
from tests.api.conftest import client_for
from tests.factories import make_records, make_source
from tests.private_postgres import private_postgres

READS = [
    "/api/v1/entities",
    "/api/v1/ravine?entity=northwind-air&since=2025-03-01&until=2025-03-02",
    "/api/v1/documents?entity=northwind-air",
    "/dashboard/figure?entity=northwind-air",
]


@pytest.mark.postgres
def test_an_outage_is_a_503_with_retry_after_and_the_api_recovers() -> None:
    with tempfile.TemporaryDirectory() as folder, private_postgres(Path(folder)) as server:
        engine = make_engine(server.url)
        migrate.upgrade(engine)
        with session_scope(make_session_factory(engine), write=True) as session:
            entity_id, source_id = make_source(session)
            upsert_documents(session, source_id=source_id, records=make_records(entity_id, 20))
        engine.dispose()
        with client_for(server.url) as client:
            assert all(client.get(path).status_code == 200 for path in READS)
            server.stop()
            for path in [*READS, "/readyz"]:
                down = client.get(path)
                assert down.status_code == 503, (path, down.text)
                assert down.headers["content-type"] == "application/problem+json"
                assert int(down.headers["retry-after"]) > 0
                assert "127.0.0.1" not in down.text and str(server.port) not in down.text
            assert client.get("/healthz").status_code == 200  # the process itself is fine
            server.start()
            assert all(client.get(path).status_code == 200 for path in READS)
            assert client.get("/readyz").json()["status"] == "ready"
