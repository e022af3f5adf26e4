"""Sentence splitting: where texts are cut before their sentences' scores are averaged."""

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
    ("text", "expected"),
    [
        ("great phone. battery lasts two days. would buy again",
         ["great phone. battery lasts two days.", "would buy again"]),
        ("the battery died after a week. the seller never answered. never again",
         ["the battery died after a week.", "the seller never answered. never again"]),
        ("omg!! best flight ever. thank u so much", ["omg!! best flight ever.", "thank u so much"]),
        ("this is awesome!!! love it so much?! why would anyone hate it",
         ["this is awesome!!!", "love it so much?!", "why would anyone hate it"]),
        ("would i buy it again? no. not for any price", ["would i buy it again? no.",
                                                         "not for any price"]),
        ("so did i. then we all went home", ["so did i.", "then we all went home"]),
    ],
)  # fmt: skip
def test_lower_case_text_is_split_too(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wait... what happened to my bag",  # an ellipsis before lower case is a pause
        "great player… when it worked at all",
        "The characters ... are paper thin and the plot drags",
        "so good!!! so so good!!!",  # two fragments, one sentence
        'A boy said "she looks like Pink!" when I walked by',
        "a great camera (really!) for the price",
    ],
)
def test_pauses_and_quoted_exclamations_continue_the_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("love it 😍 will buy again", ["love it 😍 will buy again"]),  # fragments join
        ("this phone is awful :( never buying it again",
         ["this phone is awful :(", "never buying it again"]),
        ("meh :( never again", ["meh :( never again"]),
        ("best purchase ever 👍🏽👍🏽 the battery lasts forever",
         ["best purchase ever 👍🏽👍🏽", "the battery lasts forever"]),
        ("what a great day! 😍 see you all soon", ["what a great day! 😍", "see you all soon"]),
        ("the staff were lovely :-) :D the food was cold",
         ["the staff were lovely :-) :D", "the food was cold"]),
        ("I ❤️ this phone so much", ["I ❤️ this phone so much"]),
    ],
)  # fmt: skip
def test_emoji_and_emoticons_end_a_sentence_and_stay_with_it(
    text: str, expected: list[str]
) -> None:
    assert split_sentences(text) == expected


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
        "the U.S. and e.g. the U.K. sell it at approx. two dollars",
        "we met Dr. Lee and Prof. Kim at 5 p.m. today",
        "costs rose 3.5 % to $1.2bn after the v2.0 update shipped",
        "see https://example.com/a.b?q=1 or www.example.co.uk for more",
        "write to support@example.com or j.doe@mail.example.org for help",
        "the app crashed on ios 17.2.1 again and again",
        "Order No. 5 and vol. 2 ship before Fig. 3 is printed",
    ],
)
def test_does_not_split_after_abbreviations_initials_numbers_or_addresses(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it works on v2.0. the old one did not", ["it works on v2.0.", "the old one did not"]),
        ("shop at example.com. they ship fast", ["shop at example.com.", "they ship fast"]),
        ("mail me at a.b@example.com. thanks a lot", ["mail me at a.b@example.com.",
                                                       "thanks a lot"]),
        ("no. it is not worth the money", ["no. it is not worth the money"]),
        ("it cost me 20. not worth it at all", ["it cost me 20.", "not worth it at all"]),
    ],
)  # fmt: skip
def test_a_number_or_address_may_end_a_sentence(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Love your work! http://x.co/abc", ["Love your work! http://x.co/abc"]),
        ("@acme @help it broke. #fail #acme", ["@acme @help it broke. #fail #acme"]),
        ("It's great! I'm in. We love it here",
         ["It's great! I'm in. We love it here"]),
    ],
)  # fmt: skip
def test_handles_hashtags_and_links_are_not_words_of_a_fragment(
    text: str, expected: list[str]
) -> None:
    assert split_sentences(text) == expected


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
