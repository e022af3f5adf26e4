"""Language handling: VADER reads English, so other languages are left unscored."""

from __future__ import annotations

import pytest

from ravine.language import detect_language, normalise_lang
from ravine.scoring import Scorer


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("EN-us", "en"),
        ("en_GB", "en"),
        (" fr-CA ", "fr"),
        ("eng", "en"),
        ("zh-Hant-TW", "zh"),
        ("", None),
        ("  ", None),
        ("und", None),
        ("UND", None),
        (None, None),
    ],
)
def test_normalise_lang(code: str | None, expected: str | None) -> None:
    assert normalise_lang(code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le service client est vraiment décevant, je ne recommande pas cette compagnie.", "fr"),
        ("Der Kundenservice dieser Firma ist wirklich enttäuschend, ich empfehle sie nicht.", "de"),
        ("El servicio al cliente de esta empresa es muy decepcionante, no lo recomiendo.", "es"),
        ("Heute ist ein schöner Tag und wir gehen im Park spazieren.", "de"),
    ],
)  # fmt: skip
def test_other_languages_are_detected(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "lol this is lit fr fr",
        "omg ur flight was sooo late smh",
        "ngl kinda vibing w the new update tbh",
        "bruh wtf is this",
        "yasss queen slay",
        "gr8 service, thx!!",
        "lmaooo",
        "@anonymous gonna b there l8r #yolo",
    ],
)
def test_short_english_slang_is_not_called_foreign(text: str) -> None:
    assert detect_language(text) in ("en", None)
    outcome = Scorer().score(text)
    assert outcome.scores is not None
    assert outcome.unscored_reason is None


def test_two_english_function_words_skip_the_model() -> None:
    # py3langid alone calls this Spanish (p > 0.9); two English function words settle it, so
    # mixed-language posts are scored rather than dropped.
    text = "Qué bonito día para ir a la playa con mis amigos, and the sun"
    assert detect_language(text) == "en"


def test_short_foreign_text_is_unsure_not_foreign() -> None:
    assert detect_language("merci beaucoup") is None


def test_given_foreign_language_is_left_unscored() -> None:
    outcome = Scorer().score("I love it", lang="fr")
    assert outcome.scores is None
    assert outcome.lang == "fr"
    assert outcome.unscored_reason == "language 'fr' (given): VADER reads English only"


def test_detected_foreign_language_is_left_unscored() -> None:
    outcome = Scorer().score("Der Kundenservice dieser Firma ist wirklich enttäuschend.")
    assert outcome.scores is None
    assert outcome.lang == "de"
    assert outcome.unscored_reason == "language 'de' (detected): VADER reads English only"


def test_given_english_variant_is_scored_without_detection() -> None:
    outcome = Scorer().score("Der Kundenservice ist wirklich gut!", lang="en-GB")
    assert outcome.scores is not None
    assert outcome.lang == "en"


def test_undetermined_given_language_falls_back_to_detection() -> None:
    outcome = Scorer().score(
        "Le service client est vraiment décevant, je ne reviendrai pas.", lang="und"
    )
    assert outcome.scores is None
    assert outcome.unscored_reason == "language 'fr' (detected): VADER reads English only"


def test_unsure_detection_is_scored_as_english_without_a_language() -> None:
    outcome = Scorer().score("lmaooo")
    assert outcome.lang is None
    assert outcome.scores is not None
