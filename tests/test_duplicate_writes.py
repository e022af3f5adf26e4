"""Near-duplicates counted once: kept so by every write, switched by ``ravine rollup rebuild``,
on SQLite and PostgreSQL. Roll-ups always equal a rebuild from the documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from cli.exit_codes import ExitCode
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.models import Document, HourlyStat, IngestRun, VoiceTotal
from ravine.records import DocumentRecord, ScoreFields
from ravine.repository.authors import author_sample
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.duplicates import collapsing, members_query, switch
from ravine.repository.rescoring import ScoreUpdate, apply_scores
from ravine.repository.rollups import rebuild
from tests.cli import ravine
from tests.databases import DatabaseFactory
from tests.factories import make_source
from tests.test_repository_documents import assert_rollups_match_a_rebuild

T = datetime(2025, 3, 4, 9, tzinfo=UTC)
COPIED = "Stuck at the gate for three hours, no word from the crew"


def post(
    key: str, text: str, author: str | None, at: datetime, compound: float = -0.5
) -> DocumentRecord:
    return DocumentRecord(
        external_id=key, entity_id=1, voice="public", text=text, author=author, published_at=at,
        neg=0.3, neu=0.7, pos=0.0, compound=compound, sentences=1, scorer_version="test",
    )  # fmt: skip


# An original, a retweet an hour later, a copy two days on (counts again), a short reply by
# two people (both count) and the same person's repeat of it (counts once).
POSTS = [
    post("original", COPIED, "ann", T, -0.6),
    post("retweet", f"RT @ann: {COPIED} https://t.co/x", "bob", T + timedelta(hours=1), -0.6),
    post("much-later", COPIED, "cy", T + timedelta(days=2), -0.4),
    post("thanks-1", "Thanks!", "dan", T + timedelta(hours=2), 0.5),
    post("thanks-2", "thanks", "eve", T + timedelta(hours=3), 0.5),
    post("thanks-3", "THANKS!!", "dan", T + timedelta(hours=4), 0.5),
]


def flagged(factory: sessionmaker[Session]) -> set[str]:
    with session_scope(factory) as session:
        query = select(Document.external_id).where(Document.is_duplicate)
        return set(session.scalars(query))


def counted(factory: sessionmaker[Session]) -> int:
    with session_scope(factory) as session:
        return int(session.scalar(select(func.sum(HourlyStat.n))) or 0)


@pytest.fixture
def collapsed(session_factory: sessionmaker[Session]) -> int:
    """A source of entity 1 in a database whose roll-ups collapse near-duplicates."""
    with session_scope(session_factory, write=True) as session:
        _, source_id = make_source(session)
        switch(session, collapse=True)
    return source_id


def test_copies_count_once_and_a_rerun_changes_nothing(
    session_factory: sessionmaker[Session], collapsed: int
) -> None:
    for _ in range(2):
        with session_scope(session_factory, write=True) as session:
            upsert_documents(session, source_id=collapsed, records=POSTS)
        assert flagged(session_factory) == {"retweet", "thanks-3"}
        assert counted(session_factory) == 4
        assert_rollups_match_a_rebuild(session_factory)
    with session_scope(session_factory) as session:
        totals = session.scalars(select(VoiceTotal)).one()  # still stored, listed and totalled
        assert (totals.documents, totals.scored) == (6, 6)


def test_the_earliest_copy_counts_whatever_order_they_arrive_in(
    session_factory: sessionmaker[Session], collapsed: int
) -> None:
    for batch in (POSTS[1:2], POSTS[:1], POSTS[2:]):  # the retweet is stored before its source
        with session_scope(session_factory, write=True) as session:
            upsert_documents(session, source_id=collapsed, records=batch)
        assert_rollups_match_a_rebuild(session_factory)
    assert flagged(session_factory) == {"retweet", "thanks-3"}


def test_deleting_editing_and_rescoring_decide_again(
    session_factory: sessionmaker[Session], collapsed: int
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=collapsed, records=POSTS)
        mark_deleted(session, source_id=collapsed, external_ids=["original"])
    assert flagged(session_factory) == {"thanks-3"}  # the retweet now counts in its place
    assert_rollups_match_a_rebuild(session_factory)
    edited = post("thanks-3", "Thanks for nothing, again and again", "dan", T, 0.5)
    copy = post("much-later", f"{COPIED}!", "cy", T + timedelta(hours=5), -0.4)
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=collapsed, records=[edited, copy])
    assert flagged(session_factory) == {"much-later"}
    assert_rollups_match_a_rebuild(session_factory)
    with session_scope(session_factory, write=True) as session:
        retweet = session.scalars(select(Document).where(Document.external_id == "retweet")).one()
        unscored = ScoreFields(None, None, None, None, None, "fr", "test", "not English")
        apply_scores(session, [ScoreUpdate(retweet.id, unscored)])
    assert flagged(session_factory) == set()  # nothing scored left before the late copy
    assert counted(session_factory) == 4
    assert_rollups_match_a_rebuild(session_factory)


def test_switching_marks_or_clears_every_duplicate(
    session_factory: sessionmaker[Session], collapsed: int
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=collapsed, records=POSTS)
        switch(session, collapse=False)
        rebuild(session)
        assert not collapsing(session)
    assert flagged(session_factory) == set() and counted(session_factory) == 6
    with session_scope(session_factory, write=True) as session:
        session.execute(Document.__table__.update().values(text_key=None))  # as if older
        assert switch(session, collapse=True) == 2
        rebuild(session)
    assert flagged(session_factory) == {"retweet", "thanks-3"} and counted(session_factory) == 4
    assert_rollups_match_a_rebuild(session_factory)


def test_the_author_sample_reads_what_the_roll_ups_count(
    session_factory: sessionmaker[Session], collapsed: int
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=collapsed, records=POSTS)
    with session_scope(session_factory) as session:
        sampled = author_sample(
            session, entity_id=1, voice="public", since=T, until=T + timedelta(days=3)
        )
        latest = author_sample(
            session, entity_id=1, voice="public", since=T, until=T + timedelta(days=3), limit=2
        )
    assert len(sampled.at) == 4 and list(sampled.at) == sorted(sampled.at)
    assert sampled.x.tolist() == [-6000, 5000, 5000, -4000]  # ann, dan, eve, cy
    assert sampled.author.tolist() == [0, 1, 2, 3]
    assert latest.at.tolist() == sampled.at.tolist()[-2:]


def write_posts(path: Path, rows: list[str]) -> Path:
    path.write_text("id,created_at,author,text,entity\n" + "\n".join(rows) + "\n")
    return path


def test_the_setting_takes_effect_with_a_rebuild_and_writers_wait_for_it(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = COPIED.replace(",", "")
    posts = write_posts(tmp_path / "posts.csv", [
        f"1,2025-03-04T09:00:00Z,ann,{text},Northwind Air",
        f"2,2025-03-04T10:00:00Z,bob,RT @ann: {text},Northwind Air",
        "3,not a time,cy,a post without a time,Northwind Air",
        f"4,2025-03-06T10:00:00Z,cy,{text},Northwind Air",
    ])  # fmt: skip
    ingest = ("ingest", "file", str(posts), "--voice", "public", "--entity-column", "entity",
              "--map", "external_id=id", "--workers", "1")  # fmt: skip
    assert ravine(capsys, db_url, "entities", "add", "Northwind Air").code == 0
    assert ravine(capsys, db_url, *ingest).code == ExitCode.PARTIAL  # the bad row
    assert counted(session_factory) == 3
    monkeypatch.setenv("RAVINE_COLLAPSE_DUPLICATES", "true")
    refused = ravine(capsys, db_url, *ingest)
    assert refused.code == ExitCode.USAGE and "run `ravine rollup rebuild`" in refused.err
    applied = ravine(capsys, db_url, "rollup", "rebuild")
    assert applied.code == 0 and "1 near-duplicates left out" in applied.err
    assert counted(session_factory) == 2
    again = ravine(capsys, db_url, *ingest, "--force")  # a rerun: nothing lost or added
    assert again.code == ExitCode.PARTIAL and "0 new" in again.err and "1 rejected" in again.err
    assert flagged(session_factory) == {"2"} and counted(session_factory) == 2
    with session_scope(session_factory) as session:
        runs = session.scalars(select(IngestRun).order_by(IngestRun.id)).all()
        assert [run.rejected for run in runs] == [1, 1]  # the bad row, each time
        assert session.scalar(select(func.count()).select_from(Document)) == 3
    assert_rollups_match_a_rebuild(session_factory)


def test_a_new_database_takes_the_setting_as_it_is(
    capsys: pytest.CaptureFixture[str], databases: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.empty()
    monkeypatch.setenv("RAVINE_COLLAPSE_DUPLICATES", "true")
    assert ravine(capsys, url, "entities", "add", "Northwind Air").code == 0
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        assert collapsing(session)
    engine.dispose()


def test_a_write_finds_the_documents_sharing_its_keys_by_index(
    session_factory: sessionmaker[Session], collapsed: int, engine: Engine
) -> None:
    """Deciding again reads the keys' documents, never the voice's."""
    posts = [
        post(str(i), f"Post number {i} about the trip we took in May", f"u{i % 97}",
             T + timedelta(minutes=i))
        for i in range(3_000)
    ]  # fmt: skip
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=collapsed, records=posts)
        keys = sorted(set(session.scalars(select(Document.text_key).limit(3))))
    query = members_query(1, "public", [k for k in keys if k is not None])
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    index = "ix_documents_entity_id_voice_text_key"
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE documents")
            plan = connection.exec_driver_sql(f"EXPLAIN {compiled}").scalars().all()
            assert any(index in line for line in plan) and not any(
                "Seq Scan" in line for line in plan
            ), plan
            return
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    assert [row[3] for row in plan] == [
        f"SEARCH documents USING INDEX {index} (entity_id=? AND voice=? AND text_key=?)"
    ]
