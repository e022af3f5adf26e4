"""RejectWriter: JSON Lines contents, lazy creation, truncation, counts and samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.files.readers import MAX_RAW_CHARS
from ingest.files.rejects import MAX_SAMPLES, RejectWriter
from ravine.errors import ConfigError


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_rejects_are_written_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    with RejectWriter(path, source="tweets.csv") as rejects:
        rejects.add(line=3, error="expected 5 fields, found 7", raw='1,"a, b",c')
        rejects.add(line=9, error="text is empty", raw="café \\xe9 ☕\nsecond line")
    assert lines(path) == [
        {
            "file": "tweets.csv",
            "line": 3,
            "error": "expected 5 fields, found 7",
            "raw": '1,"a, b",c',
        },
        {
            "file": "tweets.csv",
            "line": 9,
            "error": "text is empty",
            "raw": "café \\xe9 ☕\nsecond line",
        },
    ]
    assert "☕" in path.read_text(encoding="utf-8")  # readable, not \\u escapes
    assert rejects.count == 2
    assert rejects.samples == [(3, "expected 5 fields, found 7"), (9, "text is empty")]


def test_file_is_created_only_when_a_reject_arrives(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    with RejectWriter(path, source="a.csv") as rejects:
        assert not path.exists()
        rejects.flush()
        assert not path.exists()
    assert not path.exists()
    assert rejects.count == 0


def test_writes_are_incremental_and_flush_reaches_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    with RejectWriter(path, source="a.csv") as rejects:
        rejects.add(line=2, error="e", raw="r")
        assert path.exists()
        rejects.flush()
        assert len(lines(path)) == 1
        for line in range(3, 3000):
            rejects.add(line=line, error="e", raw="x" * 100)
        assert path.stat().st_size > 300_000  # written as they come, not held back to the end
        rejects.flush()
        assert len(lines(path)) == 2998


def test_an_old_rejects_file_is_truncated_at_the_start(tmp_path: Path) -> None:
    path = tmp_path / "rejects.jsonl"
    path.write_text('{"file": "old.csv", "line": 1, "error": "old", "raw": ""}\n' * 5)
    with RejectWriter(path, source="new.csv"):
        assert path.read_text() == ""
    assert path.read_text() == ""
    with RejectWriter(path, source="new.csv") as rejects:
        rejects.add(line=4, error="new", raw="")
    assert lines(path) == [{"file": "new.csv", "line": 4, "error": "new", "raw": ""}]


def test_no_path_counts_and_samples_only(tmp_path: Path) -> None:
    with RejectWriter(None, source="a.csv") as rejects:
        for line in range(2, 102):
            rejects.add(line=line, error=f"error {line}", raw="raw")
        rejects.flush()
    assert rejects.count == 100
    assert len(rejects.samples) == MAX_SAMPLES == 20
    assert rejects.samples[0] == (2, "error 2")
    assert rejects.samples[-1] == (21, "error 21")
    assert list(tmp_path.iterdir()) == []


def test_raw_is_cut_and_surrogates_do_not_break_the_file(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    with RejectWriter(path, source="a.csv") as rejects:
        rejects.add(line=2, error="long", raw="y" * (MAX_RAW_CHARS + 50))
        rejects.add(line=3, error="bad byte", raw="caf\udce9")
    first, second = lines(path)
    assert first["raw"] == "y" * MAX_RAW_CHARS
    assert second["line"] == 3
    path.read_bytes().decode("utf-8")


def test_unusable_paths_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory; give a file name"):
        RejectWriter(tmp_path, source="a.csv")
    with pytest.raises(ConfigError, match=r"cannot write to the folder .*missing"):
        RejectWriter(tmp_path / "missing" / "r.jsonl", source="a.csv")
