"""`ravine ingest check|sync|status` and `run`'s usage errors, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli import ravine
from tests.connectors.live import Upstreams, stored, write_sources
from tests.connectors.server import LocalServer

ROOT = Path(__file__).resolve().parents[2]


def test_check_lists_every_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[entities]]\nname = "Acme"\n\n[[sources]]\nname = "hn"\nkind = "hackernews"\n'
        'entity = "acme"\nvoice = "public"\n\n[[sources]]\nname = "feed"\nkind = "rss"\n'
        'entity = "globex"\nvoice = "corporate"\nurl = "https://acme.example/feed"\n'
        'api_key = "123"\n'
    )
    result = ravine(
        capsys, f"sqlite:///{tmp_path / 'unused.db'}", "ingest", "check", "-c", str(path)
    )
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines() == [
        f'{path}:4: sources[0] "hn": query is missing; add it, e.g. query = "Northwind"',
        f"{path}:13: sources[1] \"feed\": unknown entity 'globex'; declare it in an "
        "[[entities]] table (declared: acme)",
        f"{path}:16: sources[1] \"feed\": 'api_key' looks like a secret; this kind of source "
        "takes none, remove it",
    ]
    assert not (tmp_path / "unused.db").exists()  # check never touches the database


def test_check_accepts_the_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    example = ROOT / "examples" / "sources.toml"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAVINE_SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/x")
        patch.setenv("RAVINE_SMTP_URL", "smtp://localhost")
        result = ravine(
            capsys, f"sqlite:///{tmp_path / 'x.db'}", "ingest", "check", "-c", str(example)
        )
    assert result.code == 0
    assert result.err.strip() == (
        f"{example}: 2 entities, 10 sources (app_store, bluesky, files, hackernews, mastodon, "
        "reddit, rss, sec_edgar), 3 alert rules, 2 channels; no problems"
    )


def test_sync_writes_entities_and_sources_and_guards_their_documents(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    upstreams = Upstreams.start(server, tmp_path)
    sources = upstreams.sources(server)
    config = write_sources(tmp_path / "sources.toml", sources)
    first = ravine(capsys, db_url, "ingest", "sync", "-c", str(config))
    assert first.err.strip() == (
        "entities: 1 added, 0 already there; sources: 4 added, 0 updated, 0 unchanged"
    )
    sources["hn"]["query"] = "Northwind Air"
    config = write_sources(config, sources)
    second = ravine(capsys, db_url, "ingest", "sync", "-c", str(config))
    assert "sources: 0 added, 1 updated, 3 unchanged" in second.err
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "newsroom").code == 0
    assert stored(engine) == {"newsroom": 5}
    sources["newsroom"]["voice"] = "public"
    del sources["drop"]
    config = write_sources(config, sources)
    refused = ravine(capsys, db_url, "ingest", "sync", "-c", str(config))
    assert refused.code == 2
    assert refused.err.strip() == (
        f"{config}:10: sources \"newsroom\": source 'newsroom' already holds rss documents of "
        "the corporate voice for another entity, kind or voice; give the changed source a new name"
    )
    sources["newsroom"]["voice"] = "corporate"
    config = write_sources(config, sources)
    last = ravine(capsys, db_url, "ingest", "sync", "-c", str(config))
    assert last.err.strip().endswith("; not in the file (not run): drop")


def test_run_refuses_unknown_sources_and_broken_files(
    capsys: pytest.CaptureFixture[str], db_url: str, server: LocalServer, tmp_path: Path
) -> None:
    upstreams = Upstreams.start(server, tmp_path)
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    unknown = ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "nope")
    assert unknown.code == 2 and "no source named nope" in unknown.err
    broken = tmp_path / "broken.toml"
    broken.write_text(config.read_text().replace('voice = "public"', 'voice = "crowd"', 1))
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(broken))
    assert result.code == 2 and "voice: Input should be 'corporate' or 'public'" in result.err


def test_status_shows_each_sources_last_run_and_next_due(
    capsys: pytest.CaptureFixture[str], db_url: str, server: LocalServer, tmp_path: Path
) -> None:
    upstreams = Upstreams.start(server, tmp_path)
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "hn").code == 0
    rows = json.loads(ravine(capsys, db_url, "ingest", "status", "--json").out)
    by_name = {row["source"]: row for row in rows}
    assert set(by_name) == {"newsroom", "hn", "mastodon", "drop"}
    hn = by_name["hn"]
    assert (hn["kind"], hn["entity"], hn["voice"], hn["status"]) == (
        "hackernews", "northwind-air", "public", "ok",
    )  # fmt: skip
    assert (hn["fetched"], hn["inserted"], hn["rejected"], hn["error"]) == (20, 18, 0, None)
    assert by_name["newsroom"]["last_run"] is None and by_name["newsroom"]["next_due"] is None
    table = ravine(capsys, db_url, "ingest", "status", "--source", "hn").out.splitlines()
    header = ["source", "status", "last_run", "inserted", "updated", "rejected", "next_due"]
    assert [cell for cell in table[0].split() if cell != "┃"] == header
    cells = [cell for cell in table[2].split() if cell != "│"]
    assert cells[:3] == ["hn", "ok", hn["last_run"][:10]] and "18" in cells
