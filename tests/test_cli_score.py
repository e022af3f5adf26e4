"""``ravine score``: stale scores are found and replaced, roll-ups follow, workers don't matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ravine.db import make_engine
from ravine.models import Document
from tests.cli import SAMPLE, import_posts, load_sample, ravine
from tests.databases import DatabaseFactory
from tests.test_repository_documents import assert_rollups_match_a_rebuild

Scores = dict[str, tuple[object, ...]]


def scores(db_url: str) -> Scores:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return {
                d.external_id: (d.neg, d.neu, d.pos, d.compound, d.sentences, d.lang,
                                d.scorer_version, d.unscored_reason)
                for d in session.scalars(select(Document))
            }  # fmt: skip
    finally:
        engine.dispose()


@pytest.mark.slow
def test_workers_do_not_change_results(
    capsys: pytest.CaptureFixture[str], databases: DatabaseFactory
) -> None:
    one, two = databases.migrated(), databases.migrated()
    load_sample(capsys, one)
    assert ravine(capsys, two, "entities", "import", str(SAMPLE / "entities.csv")).code == 0
    result = import_posts(capsys, two, "--workers", "2", "--batch-size", "300")
    assert result.code == 0, result.err
    ones, twos = scores(one), scores(two)
    posts = {key: value for key, value in ones.items() if key.startswith("p")}
    assert posts == twos
    assert sum(value[3] is None for value in twos.values()) > 0  # some non-English, unscored


def test_rescore_replaces_stale_scores_and_keeps_rollups_exact(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    session_factory: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_sample(capsys, db_url)
    before = scores(db_url)
    nothing = ravine(capsys, db_url, "score", "--workers", "1")
    assert nothing.code == 0 and "scored 0 documents" in nothing.err

    overrides = tmp_path / "lexicon.tsv"
    overrides.write_text("# stronger words for airline complaints\ndelayed\t-3.5\nstranded\t-3.9\n")
    monkeypatch.setenv("RAVINE_LEXICON_OVERRIDES", str(overrides))
    rescored = ravine(capsys, db_url, "score", "--rescore", "--workers", "2")
    assert rescored.code == 0, rescored.err
    after = scores(db_url)
    assert after.keys() == before.keys()
    assert len({value[6] for value in after.values()}) == 1  # all entities' names, one version
    assert not {value[6] for value in after.values()} & {value[6] for value in before.values()}
    engine = make_engine(db_url)
    with Session(engine) as session:
        texts = {d.external_id: d.text for d in session.scalars(select(Document))}
    engine.dispose()
    changed = {key for key in after if after[key][3] != before[key][3]}
    assert changed and all("delayed" in texts[k] or "stranded" in texts[k] for k in changed)
    assert all(after[k][3] <= before[k][3] for k in changed)  # type: ignore[operator]
    assert_rollups_match_a_rebuild(session_factory)  # type: ignore[arg-type]

    again = ravine(capsys, db_url, "score", "--rescore", "--workers", "1")
    assert "scored 0 documents" in again.err


def test_a_new_alias_makes_every_entitys_scores_stale(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    load_sample(capsys, db_url)
    assert ravine(capsys, db_url, "entities", "add", "Helio Bank", "--alias", "HelioPay").code == 0
    result = ravine(capsys, db_url, "score", "--rescore", "--workers", "1")
    assert result.code == 0
    count = int(result.err.split("scored ")[1].split(" documents")[0].replace(",", ""))
    assert count == len(scores(db_url))  # every document masks Helio Bank's names too
