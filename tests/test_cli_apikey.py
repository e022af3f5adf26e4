"""`ravine apikey`: the key is printed once, stored only as a hash, listed by prefix, revocable."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ravine.apikeys import hash_key
from ravine.db import session_scope
from ravine.models import ApiKey
from ravine.repository.apikeys import check_key
from tests.cli import load_sample, ravine


def test_create_list_revoke(
    capsys: pytest.CaptureFixture[str], db_url: str, session_factory: sessionmaker[Session]
) -> None:
    created = ravine(capsys, db_url, "apikey", "create", "nightly")
    assert created.code == 0
    key = created.out.strip()
    assert key.startswith("rvn_") and len(key) > 40
    with session_scope(session_factory) as session:
        row = session.scalars(select(ApiKey)).one()
        assert row.key_hash == hash_key(key) and key not in (row.prefix, row.key_hash)
    listed = json.loads(ravine(capsys, db_url, "apikey", "list", "--json").out)
    assert listed[0]["name"] == "nightly" and key.startswith(listed[0]["prefix"])
    assert key not in json.dumps(listed)
    assert ravine(capsys, db_url, "apikey", "create", "nightly").code == 2  # names are unique
    assert ravine(capsys, db_url, "apikey", "revoke", "nightly").code == 0
    with session_scope(session_factory) as session:
        assert check_key(session, key) is None
    assert json.loads(ravine(capsys, db_url, "apikey", "list", "--json").out)[0]["revoked"]
    assert ravine(capsys, db_url, "apikey", "revoke", "nobody").code == 2


def test_rollup_rebuild_reports_rows(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    load_sample(capsys, db_url)
    result = ravine(capsys, db_url, "rollup", "rebuild")
    assert result.code == 0 and "hourly roll-up rows" in result.err
