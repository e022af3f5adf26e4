"""Two writers creating the same new source at once both get it (on PostgreSQL a naive
select-then-insert made the second fail with a unique violation: a 500 for a push)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.repository.sources import get_or_create_source


def test_a_source_created_twice_at_once_is_one_source(
    session_factory: sessionmaker[Session],
) -> None:
    found: list[int] = []
    failed: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(session_factory, write=True) as session:
                found.append(get_or_create_source(session, name="api:public", kind="api",
                                                  voice="public").id)  # fmt: skip
        except BaseException as error:  # reported below, in the test's own thread
            failed.append(error)

    with session_scope(session_factory, write=True) as session:
        first = get_or_create_source(session, name="api:public", kind="api", voice="public").id
        racer = threading.Thread(target=second)
        racer.start()
        racer.join(0.5)  # it waits for this transaction (SQLite: for the write lock)
        assert racer.is_alive()
    racer.join(30)
    assert not failed, failed
    assert found == [first]


def test_a_name_taken_by_another_voice_is_refused(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory, write=True) as session:
        get_or_create_source(session, name="api:public", kind="api", voice="public")
    refused = pytest.raises(ConfigError, match="already holds api documents of the public voice")
    with refused, session_scope(session_factory, write=True) as session:
        get_or_create_source(session, name="api:public", kind="api", voice="corporate")
