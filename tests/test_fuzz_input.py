"""Arbitrary bytes and Unicode (surrogates, NUL, control and direction marks, long strings)
through the file importer and the push API, on both backends: every record is stored or
rejected with its reason, nothing is half-written, nothing crashes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.models import Document, Source
from ravine.repository.apikeys import create_key
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for
from tests.cli import ravine

HOSTILE = ["\x00", "\ud800", "\udfff", "\u202e", "\u200b", "\x1b[31m", "\r", "\n", "\t", "\ufeff",
           "'; DROP TABLE documents; --", "<script>", "\U0001f600", "e\u0301"]  # fmt: skip
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=40),  # surrogates too
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=5), max_size=8).map("".join),
    st.just("x" * 200_000),  # longer than any field allows
)
times = st.one_of(st.sampled_from(["2025-01-01T10:00:00Z", "1735725600", "not a time", ""]),
                  texts)  # fmt: skip
fields = {"text": texts, "created_at": times, "author": texts, "title": texts,
          "likes": st.one_of(st.integers(-5, 10**20), texts)}  # fmt: skip
rows = st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=6)
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck))


def documents(session_factory: sessionmaker[Session], source: str) -> int:
    with session_scope(session_factory) as session:
        query = select(func.count()).select_from(Document).join(Source)
        return int(session.scalar(query.where(Source.name == source)) or 0)


def as_jsonl(records: list[dict[str, Any]]) -> bytes:
    lines = [json.dumps({"id": i, **row}) for i, row in enumerate(records)]  # \ud800 escaped
    return ("\n".join(lines) + "\n").encode()


def as_csv(records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text", "created_at", "author", "title", "likes"])
    for i, row in enumerate(records):
        writer.writerow([i, row["text"], row["created_at"], row["author"], row["title"],
                         row["likes"]])  # fmt: skip
    return out.getvalue().encode("utf-8", "surrogatepass")  # lone surrogates: invalid UTF-8


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_imports_store_or_reject_every_record(
    capsys: pytest.CaptureFixture[str], db_url: str, session_factory: sessionmaker[Session],
    tmp_path_factory: pytest.TempPathFactory, kind: str,
) -> None:  # fmt: skip
    @FUZZ
    @given(records=rows)
    def check(records: list[dict[str, Any]]) -> None:
        folder = tmp_path_factory.mktemp("fuzz")
        path = Path(folder) / f"posts.{kind}"
        path.write_bytes(as_jsonl(records) if kind == "jsonl" else as_csv(records))
        result = ravine(capsys, db_url, "ingest", "file", str(path), "--voice", "public",
                        "--entity", "Acme", "--create-entities", "--workers", "1",
                        "--source", path.parent.name)  # fmt: skip
        assert result.code in (0, 1), result.err  # 1: some rows rejected
        assert "Traceback" not in result.err
        stored = documents(session_factory, path.parent.name)
        summary = result.err + result.out
        if result.code == 0:
            assert stored >= 1
        else:
            assert "rejected" in summary, summary
        assert stored <= len(records)

    check()


@pytest.fixture
def api(db_url: str, session_factory: sessionmaker[Session]) -> Iterator[tuple[TestClient, str]]:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="United")
        _, key = create_key(session, name="fuzz")
    with client_for(db_url) as client:
        yield client, key


@pytest.mark.slow
def test_pushes_store_or_reject_every_document(
    api: tuple[TestClient, str], session_factory: sessionmaker[Session]
) -> None:
    client, key = api
    headers = {"X-API-Key": key, "Content-Type": "application/json"}

    @FUZZ
    @given(records=rows, source=texts)
    def check(records: list[dict[str, Any]], source: str) -> None:
        pushed = [{"external_id": str(i), **r} for i, r in enumerate(records)]
        body = {"entity": "united", "voice": "public", "source": source[:200] or None,
                "documents": pushed}  # fmt: skip
        raw = json.dumps(body).encode()  # surrogates and NUL as JSON escapes
        response = client.post("/api/v1/documents", content=raw, headers=headers)
        assert response.status_code in (200, 422), response.text
        answer = response.json()
        if response.status_code == 200:
            assert answer["inserted"] + answer["updated"] + answer["unchanged"] + answer[
                "rejected"] == len(records)  # fmt: skip
            assert len(answer["errors"]) == answer["rejected"]
            assert documents(session_factory, answer["source"]) >= answer["inserted"]
        else:
            assert answer["detail"]  # a reason, in one line
            assert "\n" not in answer["detail"]

    check()
