"""The near-duplicate rule: which texts are the same, and which copies count once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ravine.duplicates import AUTHOR_WINDOW, WINDOW, duplicates, normalise, text_key

T = datetime(2025, 3, 1, 12, tzinfo=UTC)
LONG = "The flight to Denver was delayed again"  # seven words: copies by anyone collapse


def test_case_links_mentions_punctuation_and_spacing_make_no_difference() -> None:
    assert normalise("RT @bob: The flight   to Denver was DELAYED again!! https://t.co/x1") == (
        normalise(LONG)
    )
    assert normalise(LONG) == "the flight to denver was delayed again"
    assert normalise("#delayed… again 😡 www.example.com/a?b=1") == "delayed again"
    assert normalise("jobs@united.com rocks") == "jobs united com rocks"  # not a mention
    assert normalise("RT") == normalise("@bob https://t.co/x") == ""


def test_one_key_for_the_same_text_and_none_for_nothing_left() -> None:
    assert text_key(LONG, "ann") == text_key(f"RT @ann: {LONG.upper()}!", "bob")
    assert text_key(LONG, "ann") != text_key(LONG + " today", "ann")
    assert text_key("https://t.co/x @bob", "ann") is None
    assert -(2**63) <= (text_key(LONG, None) or 0) < 2**63  # a signed 64-bit integer


def test_a_short_text_shares_its_key_with_its_own_authors_repeats_only() -> None:
    assert text_key("Thank you!", "ann") == text_key("thank you", "ann")
    assert text_key("Thank you!", "ann") != text_key("Thank you!", "bob")
    assert text_key("Thank you!", None) is None  # nobody can be shown to have repeated it


def test_copies_by_anyone_within_a_day_count_once() -> None:
    members = [(1, "ann", T), (2, "bob", T + WINDOW), (3, None, T + WINDOW + timedelta(hours=1))]
    assert duplicates(members) == {2, 3}  # 3 is within a day of 2, itself a copy
    later = [(1, "ann", T), (2, "bob", T + WINDOW + timedelta(seconds=1))]
    assert duplicates(later) == set()


def test_an_authors_repeats_count_once_for_thirty_days() -> None:
    members = [(1, "ann", T), (2, "ann", T + AUTHOR_WINDOW), (3, "bob", T + AUTHOR_WINDOW)]
    assert duplicates(members) == {2, 3}  # 3: within a day of ann's repeat
    assert duplicates([(1, "ann", T), (2, "ann", T + AUTHOR_WINDOW * 2 + WINDOW)]) == set()


def test_the_earliest_counts_whatever_order_documents_arrive_in() -> None:
    members = [(7, "bob", T + timedelta(hours=2)), (9, "ann", T), (3, "cy", T)]
    assert duplicates(members) == {7, 9}  # same instant: the lower id is first
    assert duplicates(list(reversed(members))) == {7, 9}
