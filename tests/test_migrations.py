"""Migrations are the only way the schema is made: they round-trip and match the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from ravine import migrate
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.errors import SchemaNotCurrentError
from ravine.models import Base, HourlyStat, RollupDay
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.rollup_days import rebuild_days
from ravine.repository.rollups import rebuild
from ravine.repository.series import hour_columns
from tests.databases import DatabaseFactory
from tests.factories import make_source

TABLES = {
    "entities",
    "sources",
    "documents",
    "ingest_runs",
    "hourly_stats",
    "api_keys",
    "voice_totals",
    "rollup_days",
    "alert_events",
    "alert_deliveries",
    "rollup_mode",
    "annotations",
    "alembic_version",
}


def tables(engine: Engine) -> set[str]:
    """The schema's tables, leaving out those SQLite's FTS5 keeps for the text index."""
    names = set(inspect(engine).get_table_names())
    if engine.dialect.name == "sqlite":
        search = {name for name in names if name.startswith(migrate.SEARCH_TABLE)}
        assert search == {"document_search", "document_search_data", "document_search_idx",
                          "document_search_config"}  # fmt: skip
        names -= search
    return names


def test_upgrade_downgrade_upgrade_round_trips(databases: DatabaseFactory) -> None:
    engine = make_engine(databases.empty())
    try:
        assert migrate.is_empty(engine)
        migrate.upgrade(engine)
        assert tables(engine) == TABLES
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert tables(engine) == TABLES
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_with_the_models(databases: DatabaseFactory) -> None:
    engine = make_engine(databases.migrated())
    try:
        with engine.connect() as connection:
            include = migrate.compared_object(connection.dialect.name)
            opts = {"compare_type": True, "include_object": include}
            context = MigrationContext.configure(connection, opts=opts)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_documents_have_the_natural_key_and_series_index(databases: DatabaseFactory) -> None:
    engine = make_engine(databases.migrated())
    try:
        inspector = inspect(engine)
        uniques = [tuple(u["column_names"]) for u in inspector.get_unique_constraints("documents")]
        assert ("source_id", "external_id") in uniques
        indexes = [tuple(i["column_names"]) for i in inspector.get_indexes("documents")]
        assert ("entity_id", "voice", "published_at", "id") in indexes
    finally:
        engine.dispose()


def test_prepare_for_writes_creates_an_empty_database_and_refuses_an_old_one(
    databases: DatabaseFactory,
) -> None:
    engine = make_engine(databases.empty())
    try:
        assert migrate.prepare_for_writes(engine) is True
        assert migrate.prepare_for_writes(engine) is False
        migrate.downgrade(engine, "base")
        engine.dispose()
        with pytest.raises(SchemaNotCurrentError, match="run `ravine db upgrade`"):
            migrate.prepare_for_writes(engine)
    finally:
        engine.dispose()


def test_the_recorded_head_is_the_newest_migration() -> None:
    """A new migration must update HEAD_REVISION: it is what every command checks against."""
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_the_read_path_migration_packs_the_days_already_rolled_up(
    databases: DatabaseFactory,
) -> None:
    """Roll-up hours stored before revision 5c2e8f1a9d43 are packed into days by it, exactly
    as the code packs them (a rebuild gives the same bytes)."""
    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine, "8d41f0b7c2e5")
        big = 2**62 + 12_345  # int64 values survive the packing whole
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO entities (id, slug, name, aliases, created_at) "
                "VALUES (1, 'acme', 'Acme', '[]', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            for hour, voice, n in [("2025-03-09 23:00:00", "public", 3),
                                   ("2025-03-10 00:00:00", "public", 1),
                                   ("2025-03-10 07:00:00", "public", 2),
                                   ("2025-03-10 07:00:00", "corporate", 5)]:  # fmt: skip
                stamp = hour + ("" if engine.dialect.name == "sqlite" else "+00")
                connection.execute(
                    text(
                        "INSERT INTO hourly_stats VALUES (1, :voice, :hour, :n, 1, 0, -7, 49, "
                        ":n, :n, 3, :big, 1, 0)"
                    ),
                    {"voice": voice, "hour": stamp + (".000000" if "+" not in stamp else ""),
                     "n": n, "big": big},
                )  # fmt: skip
        migrate.upgrade(engine, "5c2e8f1a9d43")  # later revisions recount from documents
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            migrated = session.execute(select(RollupDay.voice, RollupDay.day, RollupDay.hours))
            packed = sorted((voice, day, bytes(blob)) for voice, day, blob in migrated)
            assert [(voice, str(day)) for voice, day, _ in packed] == [
                ("corporate", "2025-03-10"), ("public", "2025-03-09"), ("public", "2025-03-10")
            ]  # fmt: skip
            hours = hour_columns(session, entity_id=1)["public"]
            assert hours.sums[:, 0].tolist() == [3, 1, 2] and hours.sums[0, 8] == big
        with session_scope(factory, write=True) as session:
            rebuild_days(session)
            rebuilt = session.execute(select(RollupDay.voice, RollupDay.day, RollupDay.hours))
            assert sorted((voice, day, bytes(blob)) for voice, day, blob in rebuilt) == packed
    finally:
        engine.dispose()


def _stored_rollups(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every hourly roll-up row, and every packed day, in key order."""
    with session_scope(make_session_factory(engine)) as session:
        columns = HourlyStat.__table__.columns
        hours = session.execute(select(*columns).order_by(HourlyStat.voice, HourlyStat.hour))
        days = session.execute(select(RollupDay.voice, RollupDay.day, RollupDay.hours))
        return (
            [tuple(row) for row in hours],
            sorted((voice, day, bytes(blob)) for voice, day, blob in days),
        )


def test_the_log_weight_migration_recounts_the_weighted_sums(databases: DatabaseFactory) -> None:
    """Revision 9b7d2c4e6f10 gives the roll-ups a rebuild gives, and its downgrade the
    linear weights of before: 5,000 likes weigh 13, then 5,001."""
    engine = make_engine(databases.migrated())
    try:
        start = datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
        with session_scope(make_session_factory(engine), write=True) as session:
            entity_id, source_id = make_source(session)
            records = [
                DocumentRecord(
                    external_id=f"post-{i}", entity_id=entity_id, voice="public",
                    text=f"post {i}", published_at=start + timedelta(minutes=70 * i),
                    likes=likes, reposts=i, replies=None, neg=0.0, neu=0.5, pos=0.5,
                    compound=0.25 * i - 0.5, sentences=1, scorer_version="test",
                )
                for i, likes in enumerate([0, 1, 5_000, None, 2**31 - 1])
            ]  # fmt: skip
            upsert_documents(session, source_id=source_id, records=records)
        logged = _stored_rollups(engine)
        migrate.downgrade(engine, "5c2e8f1a9d43")
        linear = _stored_rollups(engine)
        weights = [row[8] for row in linear[0]]  # w, one document per hour
        assert weights == [1, 1 + 1 + 1, 5_000 + 2 + 1, 3 + 1, 2**31 - 1 + 4 + 1]
        assert [row[3] for row in linear[0]] == [row[3] for row in logged[0]]  # n unchanged
        migrate.upgrade(engine)
        assert _stored_rollups(engine) == logged
        assert [row[8] for row in logged[0]] == [1, 2, 13, 3, 32]
        with session_scope(make_session_factory(engine), write=True) as session:
            rebuild(session)
        assert _stored_rollups(engine) == logged
    finally:
        engine.dispose()
