"""``ravine ingest file`` end to end through the real CLI, on SQLite files and PostgreSQL."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ravine.db import make_engine
from ravine.models import Document, IngestRun
from ravine.repository.statistics import LARGE_IMPORT
from tests.cli import SAMPLE, import_posts, load_sample, ravine


def test_sample_loads_and_stats_count_every_document(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    load_sample(capsys, db_url)
    result = ravine(capsys, db_url, "stats", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    posts = sum(1 for _ in (SAMPLE / "posts.csv").open()) - 1
    statements = sum(1 for _ in (SAMPLE / "statements.jsonl").open())
    assert sum(r["documents"] for r in rows if r["voice"] == "public") == posts
    assert sum(r["documents"] for r in rows if r["voice"] == "corporate") == statements
    assert {r["entity"] for r in rows} == {"northwind-air", "helio-bank", "brightleaf-foods"}
    assert len({r["month"] for r in rows}) == 12
    summer = [r for r in rows if r["entity"] == "northwind-air" and r["month"] == "2025-07"]
    by_voice = {r["voice"]: r["mean_compound"] for r in summer}
    assert by_voice["corporate"] > 0.5 > 0 > by_voice["public"]  # the sample's ravine
    csv_out = ravine(capsys, db_url, "stats", "--csv", "--entity", "Helio").out.splitlines()
    assert csv_out[0] == "entity,voice,month,documents,scored,mean_compound"
    assert len(csv_out) == 1 + 24


def test_importing_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine
) -> None:
    load_sample(capsys, db_url)
    with Session(engine) as session:
        before = session.scalars(select(Document.id)).all()
    again = import_posts(capsys, db_url)
    assert again.code == 0 and "already imported" in again.err
    forced = import_posts(capsys, db_url, "--force", "--workers", "1")
    assert forced.code == 0 and " 0 new, 0 updated" in forced.err
    with Session(engine) as session:
        assert session.scalars(select(Document.id)).all() == before


BAD_CSV = (
    b"id,created_at,text,likes,author\n"
    b"1,2015-02-24 11:35:52 -0800,@united my flight was delayed,3,ann\n"  # line 2: good
    b"2,2015-02-24 12:00:00 -0800,   ,1,bob\n"  # line 3: no text
    b"3,yesterday-ish,what a trip,0,cy\n"  # line 4: unparseable time
    b"4,2015-02-24T20:00:00Z,caf\xe9 was bad,0,dee\n"  # line 5: invalid UTF-8 (latin-1 byte)
    b"5,2015-02-24T21:00:00Z,fine flight,many,eve\n"  # line 6: wrong type
    b"6,2015-02-24T22:00:00Z," + b"x" * 3000 + b",1,fay\n"  # line 7: oversized text
    b"7,2015-02-24T23:00:00Z,too,many,fields,here\n"  # line 8: wrong field count
    b'8,Tue, 24 Feb 2015 23:30:00 +0000,"quoted, with comma",2,gus\n'  # line 9: 6 fields
    b"9,1424822400000,great crew thanks,2147483647,hal\n"  # line 10: good, epoch ms, INT max
    b"10,1424822400000,great crew,2147483648,ivy\n"  # line 11: count over the INTEGER column
)


def test_bad_rows_are_rejected_with_line_numbers_and_good_rows_land(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAVINE_MAX_TEXT_CHARS", "2000")
    path, rejects = tmp_path / "tweets.csv", tmp_path / "rejects.jsonl"
    path.write_bytes(BAD_CSV)
    assert ravine(capsys, db_url, "entities", "add", "United", "--alias", "@united").code == 0
    result = ravine(
        capsys,
        db_url,
        "ingest",
        "file",
        str(path),
        "--voice",
        "public",
        "--entity",
        "united",
        "--map",
        "external_id=id",
        "--rejects",
        str(rejects),
        "--workers",
        "1",
    )
    assert result.code == 1, result.err
    assert "2 new" in result.err and "8 rejected" in result.err
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["line"] for r in rejected] == [3, 4, 5, 6, 7, 8, 9, 11]
    errors = " | ".join(r["error"] for r in rejected)
    for fragment in ("text is empty", "yesterday-ish", "UTF-8", "likes", "2,000", "fields"):
        assert fragment in errors
    for line in (3, 4, 5):
        assert f"line {line}:" in result.err
    with Session(engine) as session:
        docs = {d.external_id: d for d in session.scalars(select(Document))}
        runs = session.scalars(select(IngestRun)).all()
    assert set(docs) == {"1", "9"}
    assert docs["1"].published_at.isoformat() == "2015-02-24T19:35:52+00:00"
    assert docs["1"].compound is not None and docs["1"].compound < 0  # "@united" is masked
    assert docs["9"].published_at.isoformat() == "2015-02-25T00:00:00+00:00"
    assert docs["9"].likes == 2**31 - 1
    assert [(r.status, r.inserted, r.rejected) for r in runs] == [("partial", 2, 8)]


def test_gzip_jsonl_with_mixed_timestamps_is_stored_in_utc(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    rows = [
        {"text": "Record results this quarter.", "created_at": "Tue, 24 Feb 2015 11:35:52 -0800"},
        {"text": "We apologise for the outage.", "created_at": 1424808952},
        {"text": "New routes announced.", "created_at": "2015-03-08 02:30:00"},  # naive, NY
    ]
    path = tmp_path / "statements.data"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    result = ravine(
        capsys,
        db_url,
        "ingest",
        "file",
        str(path),
        "--format",
        "jsonl",
        "--voice",
        "corporate",
        "--entity",
        "Acme",
        "--create-entities",
        "--tz",
        "America/New_York",
        "--workers",
        "1",
    )
    assert result.code == 0, result.err
    with Session(engine) as session:
        times = sorted(d.published_at.isoformat() for d in session.scalars(select(Document)))
    assert times == [
        "2015-02-24T19:35:52+00:00",
        "2015-02-24T20:15:52+00:00",
        "2015-03-08T07:30:00+00:00",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "file", "missing.csv", "--voice", "public", "--entity", "x"],
        ["ingest", "file", "{sample}/posts.csv", "--voice", "public", "--entity", "nobody"],
        ["ingest", "file", "{sample}/posts.csv", "--voice", "public"],
        ["ingest", "file", "{sample}/posts.csv", "--voice", "loud", "--entity", "x"],
        ["ingest", "file", "{sample}/posts.csv", "--voice", "public", "--entity-column", "nope"],
        ["stats", "--json", "--csv"],
    ],
)
def test_usage_and_configuration_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], db_url: str, args: list[str]
) -> None:
    args = [a.replace("{sample}", str(SAMPLE)) for a in args]
    result = ravine(capsys, db_url, *args)
    assert result.code == 2
    message = result.err.strip().splitlines()
    assert message and "Traceback" not in result.err
    assert len([line for line in message if line.startswith("error:")]) <= 1


def test_the_reference_scorer_setting_stores_the_same_scores_and_versions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = {}
    for analyzer in ("fast", "reference"):
        monkeypatch.setenv("RAVINE_SCORER", analyzer)
        url = f"sqlite:///{tmp_path / analyzer}.db"
        load_sample(capsys, url)
        engine = make_engine(url)
        with Session(engine) as session:
            rows = session.execute(
                select(Document.external_id, Document.compound, Document.scorer_version)
            )
            stored[analyzer] = sorted(tuple(row) for row in rows)
        engine.dispose()
    assert len(stored["fast"]) > 1000
    assert stored["fast"] == stored["reference"]


def test_a_large_import_refreshes_the_planner_statistics(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """Plans chosen from stale statistics read an entity's documents in seconds, not ms."""
    path = tmp_path / "many.csv"
    lines = [f"{i},2025-01-{1 + i % 28:02d}T10:00:00Z,post {i}" for i in range(LARGE_IMPORT)]
    path.write_text("id,created_at,text\n" + "\n".join(lines) + "\n")
    found = ravine(
        capsys, db_url, "ingest", "file", str(path), "--voice", "public", "--entity", "Acme",
        "--create-entities", "--workers", "1",
    )  # fmt: skip
    assert found.code == 0, found.err
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            analyzed = connection.execute(text(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            )).scalars()  # fmt: skip
            assert set(analyzed) >= {"documents", "hourly_stats", "rollup_days"}


def test_a_row_with_a_lone_surrogate_is_rejected_and_the_others_land(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    """JSON's \\ud800 escape decodes to half a character no database stores: the row is
    rejected with its reason (it used to stop the import, on every rerun)."""
    path = tmp_path / "posts.jsonl"
    rows = [
        '{"id": 1, "created_at": "2025-01-01T10:00:00Z", "text": "fine"}',
        '{"id": 2, "created_at": "2025-01-01T11:00:00Z", "text": "broken \\ud800 text"}',
        '{"id": 3, "created_at": "2025-01-01T12:00:00Z", "text": "also fine"}',
    ]
    path.write_text("\n".join(rows) + "\n")
    args = ["ingest", "file", str(path), "--voice", "public", "--entity", "Acme",
            "--create-entities", "--workers", "1"]  # fmt: skip
    found = ravine(capsys, db_url, *args)
    assert found.code == 1, found.err  # some rows rejected
    assert "line 2" in found.err and "lone surrogate" in found.err
    with Session(engine) as session:
        assert sorted(session.scalars(select(Document.external_id))) == ["1", "3"]
    assert ravine(capsys, db_url, *args).code == 0  # a rerun skips the finished file


def test_rows_run_together_by_an_open_quote_are_reported_not_lost_silently(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "open.csv"
    path.write_text(
        'id,created_at,text\n1,2025-01-01T10:00:00Z,"left open\n'
        "2,2025-01-01T11:00:00Z,swallowed\n3,2025-01-01T12:00:00Z,swallowed too\n"
        '4,2025-01-01T13:00:00Z,"closed here"\n'
    )
    found = ravine(capsys, db_url, "ingest", "file", str(path), "--voice", "public",
                   "--entity", "Acme", "--create-entities", "--workers", "1")  # fmt: skip
    assert found.code == 1  # never 0 with rows lost
    assert "a quote left open?" in found.err and "lines 2–5" in found.err
