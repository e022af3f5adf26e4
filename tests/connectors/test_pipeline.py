"""Items → records: alias matching by the masking rules, column limits, scoring with masking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.connectors.base import Item
from ingest.entity_directory import EntityInfo
from ingest.live.pipeline import PageScorer, mentions
from ravine.masking import PLACEHOLDER, entity_terms, unique_terms
from ravine.scoring import ScorerConfig, get_scorer

TERMS = entity_terms(name="Northwind Air", slug="northwind-air", aliases=["@northwindair", "NWND"])
ENTITY = EntityInfo(id=7, slug="northwind-air", mask_terms=TERMS)
# Every tracked entity's names: Northwind Air's and another airline's.
TRACKED = unique_terms((*TERMS, *entity_terms(name="United", slug="united", aliases=[])))
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


def scorer(*, match: bool = True, max_text_chars: int = 1000, keep_raw: bool = False) -> PageScorer:
    return PageScorer(
        entity=ENTITY, mask_terms=TRACKED, voice="public", match=match, config=ScorerConfig(),
        max_text_chars=max_text_chars, keep_raw=keep_raw,
    )  # fmt: skip


def test_records_are_scored_with_the_entitys_names_masked() -> None:
    item = Item(external_id="1", text="Northwind Air lost my bag. Awful.", published_at=WHEN,
                lang="en", likes=3)  # fmt: skip
    batch = scorer().batch([item, Item(external_id="2", text="unrelated", published_at=WHEN)])
    (record,) = batch.records
    assert batch.unmatched == 1 and batch.rejected == []
    expected = get_scorer(ScorerConfig()).score(item.text, lang="en", mask_terms=TRACKED)
    assert expected.scores is not None and record.compound == round(expected.scores.compound, 4)
    assert (record.entity_id, record.voice, record.likes, record.lang) == (7, "public", 3, "en")
    assert record.scorer_version == get_scorer(ScorerConfig()).version(TRACKED)


def test_another_tracked_entitys_name_is_masked_but_does_not_match() -> None:
    about = Item(external_id="1", text="Northwind Air rebooked me on United", published_at=WHEN,
                 lang="en")  # fmt: skip
    elsewhere = Item(external_id="2", text="United rebooked me", published_at=WHEN, lang="en")
    batch = scorer().batch([about, elsewhere])
    (record,) = batch.records
    assert batch.unmatched == 1
    as_placeholders = f"{PLACEHOLDER} rebooked me on {PLACEHOLDER}"
    expected = get_scorer(ScorerConfig()).score(as_placeholders, lang="en")
    assert expected.scores is not None and record.compound == round(expected.scores.compound, 4)


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


@pytest.mark.parametrize("field", ["external_id", "text", "title", "author", "url", "lang"])
@pytest.mark.parametrize(("bad", "reason"), [("\x00", "NUL"), ("\ud800", "lone surrogate")])
def test_an_item_with_a_text_no_database_stores_is_rejected_alone(
    field: str, bad: str, reason: str
) -> None:
    good = Item(external_id="ok", text="Northwind Air is fine", published_at=WHEN,
                title="t", author="a", url="https://x.example/1", lang="en")  # fmt: skip
    values = {"external_id": "p1", "text": "Northwind Air is late", "title": "t",
              "author": "a", "url": "https://x.example/2", "lang": "en"}  # fmt: skip
    values[field] = values[field] + bad
    poisoned = Item(published_at=WHEN, **values)
    batch = scorer().batch([poisoned, good])
    assert [record.external_id for record in batch.records] == ["ok"]
    (why,) = batch.rejected
    assert f"{field} contains a {reason}" in why


def test_a_poisoned_raw_record_is_left_out_and_its_document_kept() -> None:
    item = Item(external_id="p1", text="Northwind Air is late", published_at=WHEN,
                raw={"note": "half \ud800 a character"})  # fmt: skip
    (record,) = scorer(keep_raw=True).batch([item]).records
    assert record.raw is None and record.text == "Northwind Air is late"
