"""`ravine ingest run` end to end on both backends: pages, cursors, reruns, failures, locks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ravine.db import make_session_factory, session_scope
from ravine.models import Document, IngestRun, Source
from ravine.repository.locks import source_run_lock
from ravine.repository.runs import start_run
from tests.cli import ravine
from tests.connectors.live import STORED, Upstreams, runs, stored, write_sources
from tests.connectors.server import LocalServer, Reply

SECRET = "tok-9f3b2c7d-very-secret"


@pytest.fixture
def upstreams(server: LocalServer, tmp_path: Path) -> Upstreams:
    return Upstreams.start(server, tmp_path)


def test_a_run_stores_every_source_quietly_and_a_rerun_adds_nothing(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    first = ravine(capsys, db_url, "ingest", "run", "--config", str(config))
    assert (first.code, first.out) == (0, "")
    assert first.err == (  # silent under cron, but for rows that could not be read
        "WARNING drop: 4 items could not be read, e.g. 2025-06-comments.jsonl line 7: invalid "
        "JSON: Expecting value (column 1)\n"
    )
    assert stored(engine) == STORED
    done = dict(runs(engine))
    assert {name: run.status for name, run in done.items()} == {
        "newsroom": "ok", "hn": "ok", "mastodon": "ok", "drop": "partial",  # 4 bad rows
    }  # fmt: skip
    hn = done["hn"]
    assert (hn.fetched, hn.inserted, hn.updated, hn.rejected) == (20, 18, 0, 0)
    assert hn.details["unmatched"] == 2 and hn.details["pages"] == 4
    assert (done["drop"].rejected, done["mastodon"].details["skipped"]) == (4, 3)
    again = ravine(capsys, db_url, "ingest", "run", "--config", str(config), "--force")
    assert again.code == 0 and stored(engine) == STORED
    reruns = [run for _, run in runs(engine)][4:]
    assert len(reruns) == 4 and sum(run.inserted for run in reruns) == 0
    assert sum(run.updated for run in reruns) == 0


def test_sources_that_are_not_due_wait(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    sources = upstreams.sources(server, newsroom={"every": "0s"})
    del sources["drop"]
    config = write_sources(tmp_path / "sources.toml", sources, defaults={"every": "1h"})
    for _ in range(2):
        result = ravine(capsys, db_url, "ingest", "run", "-c", str(config))
        assert (result.code, result.out, result.err) == (0, "", "")  # cron: silent on success
    names = [name for name, _ in runs(engine)]
    assert sorted(names[3:]) == ["newsroom"]  # only the source due every 0 s ran again
    status = ravine(capsys, db_url, "ingest", "status", "--json")
    rows = {row["source"]: row for row in json.loads(status.out)}
    assert rows["hn"]["status"] == "ok" and rows["hn"]["inserted"] == 18
    assert rows["hn"]["next_due"] > rows["hn"]["last_run"]


def test_the_page_limit_stops_a_run_and_the_next_run_goes_on(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    args = ("ingest", "run", "-c", str(config), "--source", "hn", "--max-pages", "1")
    assert ravine(capsys, db_url, *args).code == 0
    (_, first), = runs(engine)  # fmt: skip
    assert first.details["more"] is True and first.fetched == 6
    with Session(engine) as session:
        source = session.scalars(select(Source).where(Source.name == "hn")).one()
        assert source.cursor["state"]["page"] == 1 and source.cursor["state"]["until"]
    for _ in range(3):
        assert ravine(capsys, db_url, *args).code == 0
    assert stored(engine)["hn"] == STORED["hn"]
    assert [run.details["more"] for _, run in runs(engine)] == [True, True, True, True]
    assert ravine(capsys, db_url, *args).code == 0
    assert runs(engine)[-1][1].fetched == 1  # only the overlap window: the pass was complete


def test_a_failing_source_is_recorded_and_the_others_still_run(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    upstreams = Upstreams.start(server, tmp_path, token="the-right-token")
    monkeypatch.setenv("NORTHWIND_MASTODON_TOKEN", SECRET)
    sources = upstreams.sources(server, mastodon={"token_env": "NORTHWIND_MASTODON_TOKEN"})
    config = write_sources(tmp_path / "sources.toml", sources)
    result = ravine(capsys, db_url, "--debug", "ingest", "run", "-c", str(config))
    assert result.code == 1
    assert "mastodon failed:" in result.err and "401 Unauthorized" in result.err
    assert stored(engine) == {name: n for name, n in STORED.items() if name != "mastodon"}
    failed = dict(runs(engine))["mastodon"]
    assert failed.status == "failed" and "401" in (failed.error or "")
    assert server.requests_to(upstreams.mastodon.tag_path)[0].headers["authorization"] == (
        f"Bearer {SECRET}"
    )
    again = ravine(capsys, db_url, "--debug", "ingest", "run", "-c", str(config), "-s", "mastodon",
                   "--log-format", "json")  # fmt: skip
    assert again.code == 1 and json.loads(again.err.splitlines()[-1])["status"] == "failed"
    assert SECRET not in result.out + result.err + again.out + again.err
    with Session(engine) as session:
        saved = [repr(row.__dict__) for row in session.scalars(select(Source))]
        saved += [repr(row.__dict__) for row in session.scalars(select(IngestRun))]
    assert SECRET not in "".join(saved)


def test_json_logs_carry_each_sources_outcome(
    capsys: pytest.CaptureFixture[str], db_url: str, server: LocalServer, upstreams: Upstreams,
    tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(config), "--log-format", "json")
    assert result.code == 0 and result.out == ""
    logs = [json.loads(line) for line in result.err.splitlines()]
    finished = {log["source"]: log for log in logs if "status" in log}
    assert finished["hn"]["inserted"] == 18 and finished["hn"]["level"] == "info"
    assert finished["drop"]["status"] == "partial" and finished["drop"]["rejected"] == 4
    assert [log["level"] for log in logs if log.get("source") == "drop"] == ["info", "warning"]


def test_a_source_another_run_is_reading_is_skipped(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    assert ravine(capsys, db_url, "ingest", "sync", "-c", str(config)).code == 0
    with Session(engine) as session:
        hn = session.scalars(select(Source.id).where(Source.name == "hn")).one()
    with source_run_lock(engine, hn) as taken:
        assert taken
        with source_run_lock(engine, hn) as again:
            assert not again
        result = ravine(capsys, db_url, "ingest", "run", "-c", str(config))
    assert result.code == 0
    assert "hn" not in stored(engine) and "hn" not in dict(runs(engine))
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "hn").code == 0
    assert stored(engine)["hn"] == STORED["hn"]


def test_a_run_killed_earlier_is_closed_as_interrupted(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    assert ravine(capsys, db_url, "ingest", "sync", "-c", str(config)).code == 0
    with session_scope(make_session_factory(engine), write=True) as session:
        hn = session.scalars(select(Source.id).where(Source.name == "hn")).one()
        start_run(session, source_id=hn, details={})  # a run that never finished
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "hn").code == 0
    (_, killed), (_, rerun) = runs(engine)
    assert (killed.status, rerun.status) == ("interrupted", "ok")


def test_edited_posts_update_their_text_and_scores(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    run_mastodon = ("ingest", "run", "-c", str(config), "-s", "mastodon")
    assert ravine(capsys, db_url, *run_mastodon).code == 0
    status = next(s for s in upstreams.mastodon.tag if not s["account"]["noindex"])
    with Session(engine) as session:
        before = session.scalars(
            select(Document).where(Document.external_id == status["uri"])
        ).one()
    upstreams.mastodon.edit(status["id"], "<p>#northwind lost my bag. Awful, terrible service.</p>")
    assert ravine(capsys, db_url, *run_mastodon).code == 0
    with Session(engine) as session:
        after = session.scalars(select(Document).where(Document.external_id == status["uri"])).one()
    assert after.text == "#northwind lost my bag. Awful, terrible service."
    assert after.compound is not None and before.compound is not None
    assert after.compound < -0.5 < before.compound
    assert runs(engine)[-1][1].updated == 1


def test_settings_that_change_the_stream_start_its_cursor_afresh(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    sources = upstreams.sources(server)
    config = write_sources(tmp_path / "sources.toml", sources)
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "hn").code == 0
    sources["hn"]["query"] = "Northwind Air"  # another stream: the old cursor does not apply
    write_sources(config, sources)
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "hn").code == 0
    (_, first), (_, second) = runs(engine)
    assert second.fetched == first.fetched == 20 and second.inserted == 0
    with Session(engine) as session:
        cursor = session.scalars(select(Source.cursor).where(Source.name == "hn")).one()
    assert cursor["key"].endswith("|Northwind Air|(story,comment)")


def test_the_run_budget_stops_a_run_between_pages_and_the_next_run_goes_on(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    sources = upstreams.sources(server, hn={"budget": "0s"})
    config = write_sources(tmp_path / "sources.toml", sources)
    args = ("ingest", "run", "-c", str(config), "--source", "hn")
    assert ravine(capsys, db_url, *args).code == 0
    (_, first), = runs(engine)  # fmt: skip
    assert first.details["more"] is True and first.fetched == 6  # one page, then the budget
    for _ in range(4):
        assert ravine(capsys, db_url, *args).code == 0
    assert stored(engine)["hn"] == STORED["hn"]


def test_a_flooding_source_fails_alone_with_one_line(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    """A feed that inflates past max_bytes fails its source with the reason; the others run,
    and its lock is free for the next run."""
    bomb = gzip.compress(b"<rss>" + b" " * 50_000_000, 9)
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
    server.route("/bomb.xml", lambda _: Reply(200, bomb, headers))
    sources = upstreams.sources(server, newsroom={"url": f"{server.base_url}/bomb.xml",
                                                  "max_bytes": 1_000_000})  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", sources)
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(config))
    assert result.code == 1
    assert "newsroom failed:" in result.err and "sent more than 1 MB" in result.err
    assert stored(engine) == {name: n for name, n in STORED.items() if name != "newsroom"}
    again = ravine(capsys, db_url, "ingest", "run", "-c", str(config), "-s", "newsroom")
    assert again.code == 1 and "locked" not in again.err  # the failed run left no lock


def test_a_poisoned_feed_entry_no_longer_fails_its_source(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path,
) -> None:  # fmt: skip
    """``&#xD800;`` (half a character) in one title once failed the feed on every run: it is
    stored as the replacement character U+FFFD, with its neighbours."""
    body = upstreams.feed.bodies[0].replace(b"to launch Lisbon", b"to launch Lis&#xD800;bon")
    assert body != upstreams.feed.bodies[0]
    upstreams.feed.bodies = [body]
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(config), "--source", "newsroom")
    assert result.code == 0, result.err
    assert stored(engine)["newsroom"] == STORED["newsroom"]
    with Session(engine) as session:
        titles = session.scalars(select(Document.title)).all()
    assert "Northwind Air to launch Lis\ufffdbon and Porto routes" in titles


def test_sources_may_not_read_private_addresses_unless_the_deployment_allows_it(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    upstreams: Upstreams, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("RAVINE_ALLOW_PRIVATE_NETWORK")
    config = write_sources(tmp_path / "sources.toml", upstreams.sources(server))
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(config), "--source", "newsroom")
    assert result.code == 1
    assert "127.0.0.1, a private, loopback or link-local address" in result.err
    assert "RAVINE_ALLOW_PRIVATE_NETWORK=true" in result.err
    assert not server.requests_to(upstreams.feed.path)
