"""Scorer: VADER's numbers for one sentence, for several the mean over those with sentiment,
overrides, versions."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path
from statistics import fmean

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ravine.errors import ConfigError
from ravine.scoring import (
    SCORED_MIN_WORDS,
    ScoreOutcome,
    Scorer,
    ScorerConfig,
    Scores,
    get_scorer,
)
from ravine.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]
VADER = SentimentIntensityAnalyzer()
SCORER = Scorer(ScorerConfig(model="vader"))  # VADER's numbers; finance: test_finance_scoring.py

PRESS_RELEASE = (
    "Acme Corp. today announced record quarterly revenue of $3.5 billion. "
    "Customers love the new products and growth was excellent! "
    "The company regrets the outage that affected some users in the U.S. last month. "
    "Mr. Smith will present the results on Jan. 5 at the annual meeting. "
    "We are proud, grateful and excited about the future."
)


def _vader_scores(text: str, sentences: int) -> Scores:
    raw = VADER.polarity_scores(text)
    return Scores(
        neg=raw["neg"],
        neu=raw["neu"],
        pos=raw["pos"],
        compound=raw["compound"],
        sentences=sentences,
    )


@pytest.mark.parametrize(
    "text",
    ["The flight was late, but the crew was GREAT!!", "Wow! Great flight :)", "meh :( never again"],
)
def test_one_sentence_is_scored_exactly_as_vader(text: str) -> None:
    outcome = SCORER.score(text, lang="en")
    assert outcome == ScoreOutcome(scores=_vader_scores(text, 1), lang="en", unscored_reason=None)


def _toned_mean(sentences: list[str] | tuple[str, ...], key: str) -> float:
    """The mean of ``key`` over the sentences whose compound is not 0 (all, if none is)."""
    parts = [VADER.polarity_scores(sentence) for sentence in sentences]
    toned = [part for part in parts if part["compound"] != 0] or parts
    return fmean(part[key] for part in toned)


def test_long_text_gets_the_mean_of_its_sentences_with_sentiment() -> None:
    sentences = split_sentences(PRESS_RELEASE, min_words=SCORED_MIN_WORDS)
    assert len(sentences) == 5
    compounds = [VADER.polarity_scores(sentence)["compound"] for sentence in sentences]
    assert 0 < compounds.count(0.0) < 5  # facts beside sentences with sentiment
    scores = SCORER.score(PRESS_RELEASE, lang="en").scores
    assert scores is not None
    assert scores.sentences == 5
    for key in ("neg", "neu", "pos", "compound"):
        assert getattr(scores, key) == pytest.approx(_toned_mean(sentences, key))
    assert scores.compound != pytest.approx(fmean(compounds))  # facts do not dilute the tone
    assert scores.compound != VADER.polarity_scores(PRESS_RELEASE)["compound"]


def test_a_text_without_sentiment_scores_neutral() -> None:
    text = "The new plant opens in Austin in May. It employs about forty people on two shifts."
    scores = SCORER.score(text, lang="en").scores
    assert scores is not None and scores.sentences == 2
    assert (scores.compound, scores.neu) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The food on the flight was great. The service in the cabin was terrible.",
         ("The food on the flight was great.", "The service in the cabin was terrible.")),
        ("great phone for the price honestly. battery easily lasts two whole days. would buy again",
         ("great phone for the price honestly.",
          "battery easily lasts two whole days. would buy again")),
    ],
)  # fmt: skip
def test_two_sentences_get_their_mean_too(text: str, sentences: tuple[str, ...]) -> None:
    scores = SCORER.score(text, lang="en").scores
    assert scores is not None
    assert scores.sentences == 2
    assert scores.compound == pytest.approx(_toned_mean(sentences, "compound"))


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_empty_text_is_left_unscored(text: str) -> None:
    outcome = SCORER.score(text, lang="en-US")
    assert outcome.scores is None
    assert outcome.unscored_reason == "empty text"
    assert outcome.lang == "en"


def test_score_many_keeps_order_and_masks_every_item() -> None:
    items: list[tuple[str, str | None]] = [
        ("@united lost my bag", None),
        ("", "en"),
        ("Le service client est vraiment décevant, je ne reviendrai pas.", None),
        ("United is great", "en"),
    ]
    terms = ("United", "@united")
    outcomes = SCORER.score_many(iter(items), mask_terms=terms)
    assert outcomes == [SCORER.score(text, lang=lang, mask_terms=terms) for text, lang in items]
    assert [o.unscored_reason is None for o in outcomes] == [True, False, False, True]
    first = outcomes[0].scores
    assert first is not None
    assert first.compound < 0


def test_lexicon_override_changes_score_and_version(tmp_path: Path) -> None:
    path = tmp_path / "overrides.tsv"
    path.write_text("# brand words\n\nunited\t0\nDelayed\t-3.5\n", encoding="utf-8")
    config = ScorerConfig.from_file(path)
    assert config.lexicon_overrides == (("delayed", -3.5), ("united", 0.0))
    custom = Scorer(config)
    plain = SCORER.score("united", lang="en").scores
    overridden = custom.score("united", lang="en").scores
    assert plain is not None
    assert overridden is not None
    assert plain.compound > 0
    assert overridden.compound == 0
    delayed = custom.score("my flight was delayed", lang="en").scores
    assert delayed is not None
    assert delayed.compound < VADER.polarity_scores("my flight was delayed")["compound"]
    assert custom.version() != SCORER.version()


def test_json_overrides_match_tsv(tmp_path: Path) -> None:
    tsv = tmp_path / "o.tsv"
    tsv.write_text("united\t0\ndelayed\t-3.5\n", encoding="utf-8")
    jsn = tmp_path / "o.json"
    jsn.write_text('{"delayed": -3.5, "united": 0}', encoding="utf-8")
    assert ScorerConfig.from_file(jsn) == ScorerConfig.from_file(tsv)
    assert ScorerConfig.from_file(None) == ScorerConfig()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("good\t1\nbad -2\n", "line 2: no tab"),
        ("good\t1\n# ok\nbad\tterrible\n", "line 3: valence 'terrible'"),
        ("good\t9\n", "line 1: .*outside -4..4"),
        ("good\tnan\n", "line 1: .*outside -4..4"),
        ("good\t1\nGOOD\t2\n", "line 2: word 'good' appears twice"),
        ("kind of\t1\n", "line 1: word 'kind of' must be one token"),
        ('{"good": 1,\n "bad": }', "line 2: Expecting value"),
        ('{"good": "1"}', "valence '1' for 'good' is not a number"),
        ('{"good": true}', "valence True for 'good' is not a number"),
    ],
)
def test_bad_override_file_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "overrides.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"lexicon overrides {re.escape(str(path))}.*{message}"):
        ScorerConfig.from_file(path)


def test_tsv_error_says_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "overrides.tsv"
    path.write_text("good = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 1: .*; expected word<TAB>number$"):
        ScorerConfig.from_file(path)


def test_missing_override_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        ScorerConfig.from_file(tmp_path / "absent.tsv")


def test_version_format_and_stability() -> None:
    version = SCORER.version(["United", "@united"])
    assert re.fullmatch(r"vader3\.3\.2-[0-9a-f]{8}", version)
    assert len(version) <= 64
    assert Scorer(SCORER.config).version(["@UNITED", "united"]) == version
    assert SCORER.version(["Delta"]) != version
    assert SCORER.version() != version


def test_version_is_the_same_in_another_process() -> None:
    code = (
        "from ravine.scoring import Scorer, ScorerConfig; "
        "print(Scorer(ScorerConfig(model='vader')).version(['United', '@united']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == SCORER.version(["United", "@united"])


def test_get_scorer_builds_one_scorer_per_config() -> None:
    assert get_scorer() is get_scorer(ScorerConfig())
    assert get_scorer(ScorerConfig(analyzer="reference")) is not get_scorer()
    overrides = ScorerConfig(lexicon_overrides=(("united", 0.0),))
    assert get_scorer(overrides) is get_scorer(ScorerConfig(lexicon_overrides=(("united", 0.0),)))


RULE_WORDS = ["not", "but", "never", "very", "kind of", "no", "least", "so", "this", "without"]
NEUTRAL_WORDS = ["the", "flight", "crew", "food", "and", "it", "was", "IS", "Service", "at"]
ENDINGS = ["", ".", "!", "?", "!!!", "?!", "...", " :)"]
_WORD = st.one_of(
    st.sampled_from(sorted(VADER.lexicon)).map(lambda w: w.upper() if len(w) % 3 == 0 else w),
    st.sampled_from(RULE_WORDS),
    st.sampled_from(NEUTRAL_WORDS),
)
_SENTENCE = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(_WORD, min_size=1, max_size=12),
    st.sampled_from(ENDINGS),
)


@settings(deadline=None)
@given(st.lists(_SENTENCE, min_size=1, max_size=4))
def test_one_sentence_gets_vaders_scores_and_several_their_toned_mean(sentences: list[str]) -> None:
    text = " ".join(sentences)
    parts = split_sentences(text, min_words=SCORED_MIN_WORDS)
    scores = SCORER.score(text, lang="en").scores
    if len(parts) == 1:
        assert scores == _vader_scores(text, 1)
        return
    assert scores is not None
    assert scores.sentences == len(parts)
    for key in ("neg", "neu", "pos", "compound"):
        assert getattr(scores, key) == pytest.approx(_toned_mean(parts, key))


def test_outcomes_survive_the_trip_to_and_from_worker_processes() -> None:
    scorer = Scorer()
    outcomes = [
        scorer.score("Great service, thank you!", lang="en"),
        scorer.score("   "),
        scorer.score("Le service était excellent et rapide.", lang="fr"),
        scorer.score("Bad. Worse. Awful. Terrible. Dreadful.", lang="en"),
    ]
    assert [o.scores is None for o in outcomes] == [False, True, True, False]
    assert pickle.loads(pickle.dumps(outcomes)) == outcomes


def test_the_fast_and_reference_analyzers_score_and_version_alike() -> None:
    """The setting picks an implementation, not numbers: stored scores stay comparable."""
    texts = [
        "Great flight, but the food was NOT good at all!!! 😡",
        "I'm kind of disappointed... the crew were lovely though :)",
        "Record quarter. Revenue rose 12%. We thank our people. Outlook raised. Great times.",
        "Northwind Air lost my bag again #fail",
        "",
    ]
    for overrides in [(), (("bag", -1.5), ("times", 2.0))]:
        fast = Scorer(ScorerConfig(lexicon_overrides=overrides, analyzer="fast"))
        reference = Scorer(ScorerConfig(lexicon_overrides=overrides, analyzer="reference"))
        assert fast.version(["Northwind Air"]) == reference.version(["Northwind Air"])
        items = [(text, "en") for text in texts]
        terms = ["Northwind Air"]
        assert fast.score_many(items, mask_terms=terms) == reference.score_many(
            items, mask_terms=terms
        )


def test_an_unknown_analyzer_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="expected fast or reference"):
        ScorerConfig(analyzer="quick")


def test_short_sentences_are_read_with_their_neighbour() -> None:
    """Under SCORED_MIN_WORDS words a sentence is emphasis, not a thought of its own: "Worst
    airline ever. Never again." scores as VADER reads it whole, a longer pair as a mean."""
    short = "Worst airline ever. Never flying again!"
    assert SCORER.score(short, lang="en").scores == _vader_scores(short, 1)
    long = "The crew on my flight to Boston was wonderful. The food they served was awful."
    scores = SCORER.score(long, lang="en").scores
    assert scores is not None and scores.sentences == 2
    assert scores.compound != VADER.polarity_scores(long)["compound"]
