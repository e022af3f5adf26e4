"""A drop folder of CSV / JSON Lines files: each file once, resumable, read like `ingest file`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.connectors.base import Context
from ingest.connectors.errors import FatalError
from ingest.connectors.files import FilesCursor, FilesSettings
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.upstreams import FakeDrop


@pytest.fixture
def drop(tmp_path: Path) -> FakeDrop:
    return FakeDrop(tmp_path / "drop")


def test_rows_are_read_with_the_importers_rules(drop: FakeDrop, context: Context) -> None:
    pages = drain(connector_for("files", {"path": str(drop.folder)}, context))
    items = {item.external_id: item for page in pages for item in page.items}
    assert len(items) == 16
    assert items["s-004"].text == "The @northwindair app finally shows the gate in time."
    assert items["s-004"].published_at.isoformat() == "2025-06-02T11:30:00+00:00"
    assert (items["s-002"].author, items["s-002"].likes) == ("anna_k", 12)
    assert items["c-102"].lang == "pt"
    assert [r for page in pages for r in page.rejected] == [
        "2025-06-comments.jsonl line 7: invalid JSON: Expecting value (column 1)",
        "2025-06-comments.jsonl line 8: likes: 'many' is not a whole number",
        "2025-06-survey.csv line 8: created_at: 'not a date' is not a timestamp; use ISO 8601 "
        "(2015-02-24T11:35:52Z), RFC 2822 (Tue, 24 Feb 2015 11:35:52 -0800) or epoch seconds or "
        "milliseconds",
        "2025-06-survey.csv line 12: text is empty",
    ]


def test_each_file_is_read_once_and_a_changed_file_again(drop: FakeDrop, context: Context) -> None:
    connector = connector_for("files", {"path": str(drop.folder)}, context)
    done = drain(connector)[-1].cursor
    assert {name: (p.records, p.complete) for name, p in done.files.items()} == {
        "2025-06-comments.jsonl": (8, True),
        "2025-06-survey.csv": (12, True),
    }
    assert ids(drain(connector, done)) == []
    survey = drop.folder / "2025-06-survey.csv"
    survey.write_text(survey.read_text() + 's-013,2025-06-03T12:00:00Z,zoe,"Northwind again.",1\n')
    again = ids(drain(connector, done))
    assert len(again) == 11 and "s-013" in again  # the whole changed file; the upsert sorts it


def test_an_interrupted_file_resumes_after_its_last_page(drop: FakeDrop, context: Context) -> None:
    connector = connector_for("files", {"path": str(drop.folder), "batch_size": 3}, context)
    first, second = walk(connector.pages(FilesCursor()), 2)
    assert second.cursor.files["2025-06-comments.jsonl"].records == 6
    assert not second.cursor.files["2025-06-comments.jsonl"].complete
    rest = drain(connector, second.cursor)
    everything = ids([first, second]) + ids(rest)
    assert len(everything) == len(set(everything)) == 16


def test_an_unreadable_file_is_reported_once(drop: FakeDrop, context: Context) -> None:
    (drop.folder / "empty.csv").write_text("")
    connector = connector_for("files", {"path": str(drop.folder)}, context)
    pages = drain(connector)
    problems = [r for page in pages for r in page.rejected if r.startswith("empty.csv")]
    assert problems == [
        "empty.csv: " + f"{drop.folder / 'empty.csv'} is empty; export the data again"
    ]
    assert not [r for p in drain(connector, pages[-1].cursor) for r in p.rejected]


def test_columns_are_mapped_like_the_import_command(tmp_path: Path, context: Context) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "reviews.csv").write_text("ref,when,body\nr1,2025-06-01 10:00,Northwind was fine\n")
    mapping = {"external_id": "ref", "text": "body", "created_at": "when"}
    settings = {"path": str(folder), "map": mapping, "tz": "Europe/Amsterdam"}
    (item,) = [i for p in drain(connector_for("files", settings, context)) for i in p.items]
    assert (item.external_id, item.text) == ("r1", "Northwind was fine")
    assert item.published_at.isoformat() == "2025-06-01T08:00:00+00:00"  # naive → tz → UTC


def test_a_relative_path_is_read_from_the_sources_files_folder(tmp_path: Path) -> None:
    settings = FilesSettings.model_validate({"path": "drop"}, context={"base_dir": tmp_path})
    assert settings.path == tmp_path / "drop"


def test_a_missing_folder_is_fatal(tmp_path: Path, context: Context) -> None:
    with pytest.raises(FatalError, match="is not a folder"):
        drain(connector_for("files", {"path": str(tmp_path / "nowhere")}, context))
