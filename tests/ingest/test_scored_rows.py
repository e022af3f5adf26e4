"""Parsed rows and their scores become records field by field, every text masked alike."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.entity_directory import EntityInfo
from ingest.files.fields import ParsedRow, document_key
from ingest.scored_rows import scored_records, scoring_job
from ingest.scoring_jobs import run_score_job
from ravine.masking import unique_terms
from ravine.scoring import ScorerConfig, get_scorer

AIR = EntityInfo(id=7, slug="northwind-air", mask_terms=("northwind air",))
BANK = EntityInfo(id=9, slug="contoso-bank", mask_terms=("contoso bank", "contoso"))
TRACKED = unique_terms((*AIR.mask_terms, *BANK.mask_terms))


def row(text: str, **fields: object) -> ParsedRow:
    values: dict[str, object] = {
        "external_id": None,
        "text": text,
        "published_at": datetime(2024, 5, 1, 10, 30, tzinfo=UTC),
        "author": None,
        "url": None,
        "title": None,
        "lang": None,
        "likes": None,
        "reposts": None,
        "replies": None,
        "entity": None,
    }
    return ParsedRow(**{**values, **fields})  # type: ignore[arg-type]


def test_every_field_lands_where_it_belongs() -> None:
    config = ScorerConfig()
    rows = [
        (
            row(
                "Northwind Air lost my bag again, awful",
                external_id="a1",
                author="dana",
                url="https://example.com/a1",
                title="Lost bag",
                lang="en",
                likes=3,
                reposts=2,
                replies=1,
            ),
            AIR,
        ),
        (row("Contoso Bank is great, thanks!", author="lee"), BANK),
        (row("Le service était très lent et personne ne répondait."), AIR),
    ]
    scorer = get_scorer(config)
    scored = run_score_job(scoring_job(rows, config=config, mask_terms=TRACKED))
    version = scorer.version(TRACKED)
    first, second, third = scored_records(rows, scored, voice="public", version=version)

    expected = scorer.score("Northwind Air lost my bag again, awful", mask_terms=TRACKED)
    assert expected.scores is not None
    assert (first.external_id, first.entity_id, first.voice) == ("a1", 7, "public")
    assert (first.author, first.url, first.title, first.lang) == (
        "dana",
        "https://example.com/a1",
        "Lost bag",
        "en",
    )
    assert (first.likes, first.reposts, first.replies) == (3, 2, 1)
    assert first.text == "Northwind Air lost my bag again, awful"
    assert first.published_at == datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    assert first.compound == round(expected.scores.compound, 4) < 0
    assert (first.neg, first.neu, first.pos) == tuple(
        round(value, 3) for value in (expected.scores.neg, expected.scores.neu, expected.scores.pos)
    )
    assert first.sentences == expected.scores.sentences
    assert first.scorer_version == version
    assert first.unscored_reason is None and first.raw is None

    assert second.entity_id == 9 and second.compound is not None and second.compound > 0
    assert second.scorer_version == version
    assert second.external_id == document_key(
        entity="contoso-bank",
        author="lee",
        published_at=datetime(2024, 5, 1, 10, 30, tzinfo=UTC),
        text="Contoso Bank is great, thanks!",
    )

    assert third.entity_id == 7 and third.compound is None and third.lang == "fr"
    assert third.unscored_reason is not None and "fr" in third.unscored_reason


def test_no_rows_make_a_job_with_no_texts() -> None:
    job = scoring_job([], config=ScorerConfig(), mask_terms=TRACKED)
    assert run_score_job(job) == []
    assert scored_records([], [], voice="public", version="v") == []
