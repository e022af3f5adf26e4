"""Every statement has a name: its title, else its first words cut at a word boundary."""

from __future__ import annotations

import pytest

from ravine.titles import ELLIPSIS, NAMING_CHARS, TITLE_CHARS, display_title

LONG = "We are sorry: yesterday's outage left thousands stranded, and we are refunding every fare."


def test_a_title_is_the_name() -> None:
    assert display_title("  Q3 results  ", LONG) == "Q3 results"


@pytest.mark.parametrize("title", [None, "", "   \n"])
def test_without_a_title_the_first_words_are_the_name(title: str | None) -> None:
    name = display_title(title, LONG)
    assert name == "We are sorry: yesterday's outage left thousands stranded, and we are refunding…"
    assert len(name) <= TITLE_CHARS + len(ELLIPSIS) and LONG.startswith(name[:-1])


def test_a_short_text_is_the_whole_name_on_one_line() -> None:
    assert display_title(None, "Happy travels!\n\n  See you  on board") == (
        "Happy travels! See you on board"
    )


def test_a_text_of_exactly_the_limit_is_not_cut() -> None:
    text = "x" * (TITLE_CHARS - 4) + " end"
    assert display_title(None, text) == text


def test_a_cut_ends_on_a_whole_word_without_trailing_punctuation() -> None:
    text = "word, " * 20  # every cut lands after a comma
    name = display_title(None, text)
    assert name.endswith(f"word{ELLIPSIS}") and len(name) <= TITLE_CHARS + 1


def test_a_name_is_read_from_the_start_of_the_text_only() -> None:
    # Naming thousands of statements reads their first NAMING_CHARS characters, not all.
    assert display_title(None, "Short start" + " " * NAMING_CHARS + LONG) == "Short start"
    assert display_title(None, "Short start" + " " * 50 + LONG).startswith("Short start We are")


def test_one_endless_word_is_cut_inside_it() -> None:
    assert display_title(None, "a" * 200) == "a" * TITLE_CHARS + ELLIPSIS
