"""Every document masks the names of every tracked entity, not only its own: a post filed under
one airline that names another must not score that other's name ("united" is +1.8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest.push import PushBatch, store_pushed
from ravine.db import session_scope
from ravine.masking import PLACEHOLDER, entity_terms, unique_terms
from ravine.models import Document
from ravine.scoring import ScorerConfig, get_scorer
from tests.cli import ravine
from tests.test_repository_documents import assert_rollups_match_a_rebuild

P = PLACEHOLDER
# Filed under Northwind Air; "United" and "@united" name another tracked airline.
POSTS = {
    "p1": ("Northwind Air rebooked me on United, thank you", f"{P} rebooked me on {P}, thank you"),
    "p2": ("@united lost my bag, Northwind Air found it", f"{P} lost my bag, {P} found it"),
    "p3": ("Reunited with my bag at last", "Reunited with my bag at last"),
}
TRACKED = unique_terms(
    (
        *entity_terms(name="Northwind Air", slug="northwind-air", aliases=["@northwindair"]),
        *entity_terms(name="United", slug="united", aliases=["@united", "United Airlines"]),
    )
)

Capsys = pytest.CaptureFixture[str]
Sessions = sessionmaker[Session]


def expected_compound(masked: str) -> float:
    outcome = get_scorer(ScorerConfig()).score(masked, lang="en")
    assert outcome.scores is not None
    return round(outcome.scores.compound, 4)


def stored(factory: sessionmaker[Session]) -> dict[str, tuple[float | None, str | None]]:
    with session_scope(factory) as session:
        rows = session.execute(
            select(Document.external_id, Document.compound, Document.scorer_version)
        )
        return {key: (compound, version) for key, compound, version in rows}


def add_entities(capsys: Capsys, db_url: str, *, united: bool) -> None:
    added = ravine(capsys, db_url, "entities", "add", "Northwind Air", "--alias", "@northwindair")
    assert added.code == 0, added.err
    if united:
        add_united(capsys, db_url)


def add_united(capsys: Capsys, db_url: str) -> None:
    added = ravine(
        capsys, db_url, "entities", "add", "United", "--alias", "@united",
        "--alias", "United Airlines",
    )  # fmt: skip
    assert added.code == 0, added.err


def import_posts(capsys: Capsys, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    lines = [f'{key},2025-06-03T09:00:00Z,"{text}",en' for key, (text, _) in POSTS.items()]
    path.write_text("id,created_at,text,lang\n" + "\n".join(lines) + "\n")
    result = ravine(
        capsys, db_url, "ingest", "file", str(path), "--voice", "public",
        "--entity", "Northwind Air", "--workers", "1",
    )  # fmt: skip
    assert result.code == 0, result.err


def assert_masked_with_every_name(session_factory: Sessions) -> None:
    """Every post scores as if each tracked entity's names were the placeholder."""
    version = get_scorer(ScorerConfig()).version(TRACKED)
    assert stored(session_factory) == {
        key: (expected_compound(masked), version) for key, (_, masked) in POSTS.items()
    }


def test_an_imported_post_masks_another_entitys_names(
    capsys: Capsys, db_url: str, session_factory: Sessions, tmp_path: Path
) -> None:
    add_entities(capsys, db_url, united=True)
    import_posts(capsys, db_url, tmp_path)
    assert_masked_with_every_name(session_factory)


def test_a_pushed_post_masks_another_entitys_names(
    capsys: Capsys, db_url: str, session_factory: Sessions
) -> None:
    add_entities(capsys, db_url, united=True)
    documents = [
        {"external_id": key, "text": text, "created_at": "2025-06-03T09:00:00Z", "lang": "en"}
        for key, (text, _) in POSTS.items()
    ]
    batch = PushBatch(entity="northwind-air", voice="public", documents=documents)
    outcome = store_pushed(session_factory, batch, config=ScorerConfig(), max_text_chars=10_000)
    assert outcome.rejected == [] and outcome.counts.inserted == len(POSTS)
    assert_masked_with_every_name(session_factory)


def test_rescoring_after_adding_an_entity_masks_it_in_older_documents(
    capsys: Capsys, db_url: str, session_factory: Sessions, tmp_path: Path
) -> None:
    add_entities(capsys, db_url, united=False)
    import_posts(capsys, db_url, tmp_path)
    before = stored(session_factory)
    # Before United is tracked, its name scores: "united" is in VADER's lexicon.
    unmasked = POSTS["p1"][0].replace("Northwind Air", P)
    assert before["p1"][0] == expected_compound(unmasked) != expected_compound(POSTS["p1"][1])

    add_united(capsys, db_url)
    unscored_only = ravine(capsys, db_url, "score", "--workers", "1")
    assert unscored_only.code == 0 and "scored 0 documents" in unscored_only.err
    rescored = ravine(capsys, db_url, "score", "--rescore", "--workers", "1")
    assert rescored.code == 0 and f"scored {len(POSTS)} documents" in rescored.err

    version = get_scorer(ScorerConfig()).version(TRACKED)
    assert version != before["p1"][1]
    assert stored(session_factory) == {
        key: (expected_compound(masked), version) for key, (_, masked) in POSTS.items()
    }
    assert_rollups_match_a_rebuild(session_factory)
    again = ravine(capsys, db_url, "score", "--rescore", "--workers", "1")
    assert "scored 0 documents" in again.err


def test_entities_created_by_an_import_are_masked_in_its_documents(
    capsys: Capsys, db_url: str, session_factory: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,created_at,text,lang,entity\n"
        "a,2025-06-03T09:00:00Z,United was great,en,United\n"
        "b,2025-06-03T10:00:00Z,flew Delta after United cancelled,en,Delta\n"
    )
    result = ravine(
        capsys, db_url, "ingest", "file", str(path), "--voice", "public",
        "--entity-column", "entity", "--create-entities", "--workers", "1",
    )  # fmt: skip
    assert result.code == 0, result.err
    terms = unique_terms(("United", "Delta"))
    version = get_scorer(ScorerConfig()).version(terms)
    assert stored(session_factory) == {
        "a": (expected_compound(f"{P} was great"), version),
        "b": (expected_compound(f"flew {P} after {P} cancelled"), version),
    }
