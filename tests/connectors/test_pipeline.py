"""Items → records: alias matching by the masking rules, column limits, scoring with masking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.connectors.base import Item
from ingest.entity_directory import EntityInfo
from ingest.live.pipeline import PageScorer, mentions
from ravine.masking import entity_terms
from ravine.scoring import ScorerConfig, get_scorer

TERMS = entity_terms(name="Northwind Air", slug="northwind-air", aliases=["@northwindair", "NWND"])
ENTITY = EntityInfo(id=7, slug="northwind-air", mask_terms=TERMS)
WHEN = datetime(2025, 6, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("Flew Northwind Air today", True),
        ("so done with #NorthwindAir", True),  # a multi-word name as one hashtag
        ("NORTHWIND AIR lost my bag", True),
        ("thanks @northwindair!", True),
        ("Northwind Air (NASDAQ: NWND) reports traffic", True),
        ("$NWND up 4% today", True),
        ("sailing the Northwind Airs of Scotland", False),  # not a whole word
        ("mail jobs@northwindair.example", False),
        ("Helio Bank launches a mortgage", False),
    ],
)
def test_posts_are_about_the_entity_when_masking_would_change_them(text: str, about: bool) -> None:
    assert mentions(text, TERMS) is about


def scorer(*, match: bool = True, max_text_chars: int = 1000) -> PageScorer:
    return PageScorer(
        entity=ENTITY, voice="public", match=match, config=ScorerConfig(),
        max_text_chars=max_text_chars,
    )  # fmt: skip


def test_records_are_scored_with_the_entitys_names_masked() -> None:
    item = Item(external_id="1", text="Northwind Air lost my bag. Awful.", published_at=WHEN,
                lang="en", likes=3)  # fmt: skip
    batch = scorer().batch([item, Item(external_id="2", text="unrelated", published_at=WHEN)])
    (record,) = batch.records
    assert batch.unmatched == 1 and batch.rejected == []
    expected = get_scorer(ScorerConfig()).score(item.text, lang="en", mask_terms=TERMS)
    assert expected.scores is not None and record.compound == round(expected.scores.compound, 4)
    assert (record.entity_id, record.voice, record.likes, record.lang) == (7, "public", 3, "en")
    assert record.scorer_version == get_scorer(ScorerConfig()).version(TERMS)


def test_a_match_in_the_title_counts() -> None:
    item = Item(
        external_id="1", text="Record month.", title="Northwind Air traffic", published_at=WHEN
    )
    assert len(scorer().batch([item]).records) == 1


def test_values_are_fitted_to_their_columns() -> None:
    long_id = "https://example.com/" + "x" * 600
    item = Item(external_id=long_id, text="Northwind Air rocks", published_at=WHEN,
                url="https://example.com/" + "y" * 2100, author="a" * 700, title="t" * 1200,
                lang="a-very-long-language-tag")  # fmt: skip
    (record,) = scorer().batch([item]).records
    assert record.external_id.startswith("sha256:") and len(record.external_id) == 71
    assert record.url is None and len(record.author or "") == 500
    assert len(record.title or "") == 1000 and (record.lang is None or len(record.lang) <= 16)


def test_texts_over_the_limit_are_rejected() -> None:
    item = Item(external_id="big", text="Northwind Air, " * 20, published_at=WHEN)
    batch = scorer(max_text_chars=50).batch([item])
    assert batch.records == [] and batch.rejected == [
        "big: text of 300 characters is over the 50 limit (RAVINE_MAX_TEXT_CHARS)"
    ]
