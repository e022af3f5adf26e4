"""Entity masking: the entity's own names must not move its sentiment."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from ravine.masking import PLACEHOLDER, entity_terms, mask
from ravine.scoring import Scorer

UNITED = entity_terms(name="United", slug="united", aliases=["United Airlines", "@united"])
P = PLACEHOLDER
UP = PLACEHOLDER.upper()


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def test_entity_terms_dedupes_case_insensitively_longest_first() -> None:
    terms = entity_terms(
        name="American Airlines",
        slug="american-airlines",
        aliases=["AA", "american  airlines", "@AmericanAir", " ", "aa"],
    )
    assert terms == ("American Airlines", "@AmericanAir", "AA")


def test_placeholder_is_neutral_for_vader(vader: SentimentIntensityAnalyzer) -> None:
    rule_words = (
        set(BOOSTER_DICT) | set(NEGATE) | {w for case in SPECIAL_CASES for w in case.split()}
    )
    for token in (P, UP, f"{P}'s"):
        assert token.lower() not in vader.lexicon
        assert token.lower() not in rule_words | {"but", "no", "least", "kind", "never", "this"}
    assert len(P) > 2  # VADER strips punctuation only from tokens longer than two characters
    assert P.isalpha()
    assert not P.isupper()
    assert UP.isupper()


def test_handle_mention_no_longer_scores_positive(vader: SentimentIntensityAnalyzer) -> None:
    text = "@united my flight was delayed"
    assert vader.polarity_scores(text)["compound"] == pytest.approx(0.2263)
    outcome = Scorer().score(text, lang="en", mask_terms=UNITED)
    assert outcome.scores is not None
    assert outcome.scores.compound < 0


@pytest.mark.parametrize(
    ("text", "stand_in"),
    [
        ("UNITED IS TERRIBLE", "TABLE IS TERRIBLE"),
        ("United IS TERRIBLE", "Table IS TERRIBLE"),
        ("UNITED is TERRIBLE", "TABLE is TERRIBLE"),
        ("@UNITED IS NOT GOOD", "TABLE IS NOT GOOD"),
    ],
)
def test_all_caps_differential_is_unchanged(
    vader: SentimentIntensityAnalyzer, text: str, stand_in: str
) -> None:
    outcome = Scorer().score(text, lang="en", mask_terms=UNITED)
    assert outcome.scores is not None
    assert outcome.scores.compound == vader.polarity_scores(stand_in)["compound"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("United Airlines lost my bag", f"{P} lost my bag"),
        ("united \t  airlines\nlost it", f"{P}\nlost it"),
        ("UNITED AIRLINES lost it", f"{UP} lost it"),
        ("flew #UnitedAirlines and #united today", f"flew {P} and {P} today"),
        ("#UNITEDAIRLINES forever", f"{UP} forever"),
        ("@United thanks", f"{P} thanks"),
        ("buying $united stock", f"buying {P} stock"),
        ("United's crew", f"{P}'s crew"),
        ("UNITED'S crew", f"{UP}'S crew"),
        ("United\u2019s crew", f"{P}\u2019s crew"),
        ("(United) was fine, United.", f"({P}) was fine, {P}."),
    ],
)
def test_masks_phrases_handles_hashtags_cashtags_and_possessives(text: str, expected: str) -> None:
    assert mask(text, UNITED) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Reunited at last",
        "Unitedly we stand",
        "reply to #united_help please",
        "mail jobs@united.com",
        "#UnitedAirlines2024 promo",
    ],
)
def test_does_not_mask_inside_other_words(text: str) -> None:
    assert mask(text, UNITED) == text


def test_prefixed_terms_match_literally() -> None:
    terms = entity_terms(name="Delta", slug="delta", aliases=["$DAL", "@delta_assist"])
    assert mask("$DAL fell; @Delta_Assist replied", terms) == f"{UP} fell; {P} replied"
    assert mask("DAL and delta_assist", terms) == "DAL and delta_assist"


def test_term_order_does_not_matter() -> None:
    assert mask("United Airlines rocks", ["United", "United Airlines"]) == f"{P} rocks"


def test_no_terms_leaves_text_alone() -> None:
    assert mask("United rocks", ()) == "United rocks"
    assert mask("United rocks", ["", "  ", "#"]) == "United rocks"


@pytest.mark.parametrize(
    "text",
    [
        "I love United but not the food",
        "@united never again, UNITED!!! #united",
        "not United's fault, $united is kind of great",
    ],
)
def test_one_token_per_mention(text: str) -> None:
    masked = mask(text, UNITED)
    assert masked != text
    assert len(masked.split()) == len(text.split())
