"""Sentence splitting: where long texts are cut before their sentences are averaged."""

from __future__ import annotations

import pytest

from ravine.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The flight was late. The crew was kind.", ["The flight was late.", "The crew was kind."]),
        ("Terrible service today!!! Why is it always me?? Never again.",
         ["Terrible service today!!!", "Why is it always me?? Never again."]),
        ("The crew waited... Then we boarded", ["The crew waited...", "Then we boarded"]),
        ("The crew waited… Then we boarded", ["The crew waited…", "Then we boarded"]),
        ('She said "never again!" Then she left early.',
         ['She said "never again!"', "Then she left early."]),
        ("Sales rose 5 percent. 2026 looks even better.",
         ["Sales rose 5 percent.", "2026 looks even better."]),
        ("first line is here\nsecond line is here", ["first line is here", "second line is here"]),
        ("para one is here\n\npara two is here\r\nthird one is here",
         ["para one is here", "para two is here", "third one is here"]),
        ("", []),
        ("  \n\n \t ", []),
    ],
)  # fmt: skip
def test_splits_on_end_punctuation_and_line_breaks(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "omg!! best flight ever. thank u so much",  # no capital after the punctuation
        "Wait... what happened to my bag",
        "so good!!! so so good!!!",
    ],
)
def test_lower_case_after_punctuation_continues_the_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wow!!! Great service today. Thanks!", ["Wow!!! Great service today. Thanks!"]),
        ("Wow! The crew was great. The food was bad. Thanks!",
         ["Wow! The crew was great.", "The food was bad. Thanks!"]),
        ("Great flight :)\n:)\nLoved it all", ["Great flight :) :) Loved it all"]),
        ("Hi.", ["Hi."]),
    ],
)  # fmt: skip
def test_fragments_of_fewer_than_three_words_join_a_neighbour(
    text: str, expected: list[str]
) -> None:
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
    pieces = split_sentences("It was terrible!!! Why did they do that?? It is fine now.")
    assert pieces == ["It was terrible!!!", "Why did they do that??", "It is fine now."]
    assert "".join(pieces).count("!") == 3


def test_splits_after_an_abbreviation_that_ends_in_other_punctuation() -> None:
    assert split_sentences("We really love Acme Inc.! Really we do.") == [
        "We really love Acme Inc.!",
        "Really we do.",
    ]


def test_a_sentence_may_end_with_an_ordinary_word_before_a_period() -> None:
    assert split_sentences("Shares rose in June. Costs fell sharply.") == [
        "Shares rose in June.",
        "Costs fell sharply.",
    ]
