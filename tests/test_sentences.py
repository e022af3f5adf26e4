"""Sentence splitting: where long texts are cut before their sentences are averaged."""

from __future__ import annotations

import pytest

from ravine.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The flight was late. The crew was kind.", ["The flight was late.", "The crew was kind."]),
        ("Wow!!! Great service?! Thanks", ["Wow!!!", "Great service?!", "Thanks"]),
        ("Wait... what happened", ["Wait...", "what happened"]),
        ("Wait\u2026 what happened", ["Wait\u2026", "what happened"]),
        ('She said "never again!" Then she left.', ['She said "never again!"', "Then she left."]),
        ("first line\nsecond line", ["first line", "second line"]),
        ("para one\n\npara two\r\nthree", ["para one", "para two", "three"]),
        ("", []),
        ("  \n\n \t ", []),
        ("Hello .  \n  World", ["Hello .", "World"]),
    ],
)
def test_splits_on_end_punctuation_and_line_breaks(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Acme Inc. reported record growth",
        "Globex Corp. and Initech Ltd. merged with Foo Co. and Bar LLC. today",
        "Mr. Smith, Mrs. Jones, Ms. Lee and Dr. Who met on Main St. yesterday",
        "Apples vs. pears, e.g. fruit, i.e. food, etc. were served",
        "The U.S. and the U.K. signed a deal",
        "Results from Jan. to Dec. look fine",
        "Order No. 5 ships in approx. two days",
        "J. Smith and A. B. Jones wrote it",
        "Revenue grew 3.5 percent to 1.25 billion",
        "(Inc. in brackets) is fine",
    ],
)
def test_does_not_split_after_abbreviations_initials_or_decimals(text: str) -> None:
    assert split_sentences(text) == [text]


def test_keeps_punctuation_with_its_sentence() -> None:
    pieces = split_sentences("Terrible!!! Why?? Fine.")
    assert pieces == ["Terrible!!!", "Why??", "Fine."]
    assert "".join(pieces).count("!") == 3


def test_splits_after_an_abbreviation_that_ends_in_other_punctuation() -> None:
    assert split_sentences("We love Acme Inc.! Really.") == ["We love Acme Inc.!", "Really."]


def test_a_sentence_may_end_with_an_ordinary_word_before_a_period() -> None:
    assert split_sentences("Shares rose in June. Costs fell.") == [
        "Shares rose in June.",
        "Costs fell.",
    ]
