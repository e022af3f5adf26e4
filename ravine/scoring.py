"""Sentiment scoring: VADER with entity masking, means over sentences, English only.

A one-sentence text gets exactly vaderSentiment's scores (with the finance model, when it has no
finance pattern) and a text of several sentences the mean of those of its sentences that carry
sentiment, so every length is on one scale and results can be checked against VADER's
human-rated corpora; the rules around it are in docs/design.md, "Scoring rules".
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, normalize

from ravine.errors import ConfigError
from ravine.finance_vader import FINANCE_RULES_VERSION, FinanceVader
from ravine.language import detect_language, normalise_lang
from ravine.masking import PLACEHOLDER, Masker, masker
from ravine.sentences import split_sentences
from ravine.vader_fast import FastVader

if TYPE_CHECKING:
    from ravine.config import Settings

# Bump when masking, splitting or language rules change, so stored scores are found stale.
RULES_VERSION = "2"
VADER_VERSION = importlib.metadata.version("vaderSentiment")
# VADER's lexicon is rated on -4..+4; an override outside it is a typo, not a stronger word.
MAX_VALENCE = 4.0

# Sentences of fewer words than this are read together with the one before them (or after,
# when first): "Worst airline ever. Never again." is one emphatic thought, not two to average.
# Raters read such runs whole; on VADER's rated tweets r is 0.859 with 3 (every sentence
# apart), 0.866 with 5 and 0.869 with 6, while longer texts barely move (docs/design.md).
SCORED_MIN_WORDS = 6

ANALYZERS = ("fast", "reference")  # see ravine.config.Settings.scorer
MODELS = ("finance", "vader")  # see ravine.config.Settings.sentiment_model

_TSV_HINT = "expected word<TAB>number"
_JSON_HINT = 'expected a JSON object {"word": number}'


@dataclass(frozen=True, slots=True)
class Scores:
    """VADER's four numbers; for several sentences, their means over those with sentiment."""

    neg: float
    neu: float
    pos: float
    compound: float
    sentences: int


@dataclass(frozen=True, slots=True)
class ScoreOutcome:
    """Scores, or the one-line reason a document was left unscored."""

    scores: Scores | None
    lang: str | None
    unscored_reason: str | None


def _entry(word: str, value: float | str) -> tuple[str, float]:
    """Validate one override; the ValueError says what is wrong with it."""
    if len(word.split()) != 1:
        raise ValueError(f"word {word!r} must be one token without spaces")
    try:
        valence = float(value)
    except ValueError:
        raise ValueError(f"valence {value!r} for {word!r} is not a number") from None
    if not math.isfinite(valence) or abs(valence) > MAX_VALENCE:
        raise ValueError(f"valence {value!r} for {word!r} is outside -4..4")
    return word.strip().lower(), valence


def _read_tsv(text: str, where: str) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = raw.split("\t")
        try:
            if len(fields) < 2:
                raise ValueError(f"no tab in {line!r}")
            word, valence = _entry(fields[0], fields[1].strip())
            if word in overrides:
                raise ValueError(f"word {word!r} appears twice")
        except ValueError as error:
            raise ConfigError(f"{where} line {number}: {error}; {_TSV_HINT}") from None
        overrides[word] = valence
    return overrides


def _read_json(text: str, where: str) -> dict[str, float]:
    """Read a JSON object; pairs rather than a dict, so repeated words are caught."""
    try:
        data: Any = json.loads(text, object_pairs_hook=list)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{where} line {error.lineno}: {error.msg}; {_JSON_HINT}") from None
    overrides: dict[str, float] = {}
    for key, value in data:
        try:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"valence {value!r} for {key!r} is not a number")
            word, valence = _entry(key, value)
            if word in overrides:
                raise ValueError(f"word {word!r} appears twice")
        except ValueError as error:
            raise ConfigError(f"{where}: {error}; {_JSON_HINT}") from None
        overrides[word] = valence
    return overrides


@dataclass(frozen=True, slots=True)
class ScorerConfig:
    """Per-deployment scoring settings; hashable, so one Scorer can be cached per config.

    ``model`` picks the numbers: "finance" (:mod:`ravine.finance_vader`, VADER with the finance
    lexicon and rules) or "vader" (VADER alone); it is part of :meth:`Scorer.version`.
    ``analyzer`` picks the implementation, not the numbers: "fast" (:mod:`ravine.vader_fast`)
    gives vaderSentiment's exact scores, so it is not part of the version. With the finance
    model, "reference" scores the texts with no finance pattern with vaderSentiment itself.
    """

    lexicon_overrides: tuple[tuple[str, float], ...] = ()
    analyzer: str = "fast"
    model: str = "finance"

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ConfigError(f"scorer {self.analyzer!r} is unknown; expected fast or reference")
        if self.model not in MODELS:
            raise ConfigError(
                f"sentiment model {self.model!r} is unknown; expected finance or vader"
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> ScorerConfig:
        return cls.from_file(
            settings.lexicon_overrides, analyzer=settings.scorer, model=settings.sentiment_model
        )

    @classmethod
    def from_file(
        cls, path: Path | None, *, analyzer: str = "fast", model: str = "finance"
    ) -> ScorerConfig:
        """Read word -> valence overrides from a JSON object or TSV file; None means none."""
        if path is None:
            return cls(analyzer=analyzer, model=model)
        where = f"lexicon overrides {path}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{where}: cannot read ({error})") from None
        reader = _read_json if text.lstrip().startswith("{") else _read_tsv
        overrides = reader(text, where)
        return cls(
            lexicon_overrides=tuple(sorted(overrides.items())), analyzer=analyzer, model=model
        )


@dataclass(frozen=True, slots=True)
class SentenceContributions:
    """The terms of one scored sentence (or of a whole one-sentence text) and the final
    valence of each, VADER's "!"/"?" emphasis as the pseudo-term ``!``; no masked name ever
    appears. ``total`` is the sum VADER squashes into the compound."""

    terms: tuple[tuple[str, float], ...]
    total: float

    @property
    def compound(self) -> float:
        """The sentence's compound, rounded as VADER rounds it."""
        return round(float(normalize(self.total)), 4)


class Analyzer(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


class Explainer(Protocol):
    def contributions(self, text: str) -> list[tuple[str, float]]: ...


def _analyzer(config: ScorerConfig) -> Analyzer:
    """The configured VADER, with the lexicon overrides applied (building one takes ~0.1 s),
    inside the finance rules unless the model is plain VADER."""
    overrides = {word.lower(): valence for word, valence in config.lexicon_overrides}
    plain: Analyzer
    if config.analyzer == "fast":
        plain = FastVader(overrides)
    else:
        reference = SentimentIntensityAnalyzer()
        reference.lexicon = {**reference.lexicon, **overrides}
        plain = cast(Analyzer, reference)
    return FinanceVader(overrides, plain=plain) if config.model == "finance" else plain


class Scorer:
    """One VADER analyzer per process and the rules around it."""

    def __init__(self, config: ScorerConfig = ScorerConfig()) -> None:
        self.config = config
        self._analyzer = _analyzer(config)

    def _polarity(self, text: str, sentences: int) -> Scores:
        raw = self._analyzer.polarity_scores(text)
        return Scores(
            neg=raw["neg"],
            neu=raw["neu"],
            pos=raw["pos"],
            compound=raw["compound"],
            sentences=sentences,
        )

    def _scores(self, masked: str) -> Scores:
        sentences = split_sentences(masked, min_words=SCORED_MIN_WORDS)
        if len(sentences) < 2:
            return self._polarity(masked, len(sentences))
        # VADER sums a text's valences, so its compound grows with the number of sentences; a
        # mean of the sentences' scores keeps one scale at every length. Sentences without
        # sentiment (compound 0: facts, greetings) are left out of it, so the share of factual
        # sentences (high in a press release, low in a post) does not dilute the tone.
        parts = [self._analyzer.polarity_scores(sentence) for sentence in sentences]
        toned = [part for part in parts if part["compound"] != 0] or parts
        neg, neu, pos, compound = (
            math.fsum(part[key] for part in toned) / len(toned)
            for key in ("neg", "neu", "pos", "compound")
        )
        return Scores(neg=neg, neu=neu, pos=pos, compound=compound, sentences=len(sentences))

    @functools.cached_property
    def _explainer(self) -> Explainer:
        """The analyzer that reports contributions: the fast one, whose numbers are the
        reference's, even when the reference scores."""
        if isinstance(self._analyzer, FastVader | FinanceVader):
            return self._analyzer
        return cast(Explainer, _analyzer(replace(self.config, analyzer="fast")))

    def contributions(
        self, text: str, *, mask_terms: Sequence[str] = ()
    ) -> list[SentenceContributions]:
        """Why a text scores what it does: the sentences that carry sentiment, as the scorer
        reads them, each with its terms' final valences. The text's compound is the mean of
        their compounds (0 when there are none), so each term's part of it can be told."""
        masked = masker(tuple(mask_terms))(text)
        sentences = split_sentences(masked, min_words=SCORED_MIN_WORDS)
        parts = [self._sentence(part) for part in (sentences if len(sentences) > 1 else [masked])]
        return [part for part in parts if part.compound != 0]

    def _sentence(self, text: str) -> SentenceContributions:
        terms = self._explainer.contributions(text)
        total = float(sum(valence for _, valence in terms))  # in VADER's order: the same float
        shown = tuple((term, valence) for term, valence in terms if term != PLACEHOLDER)
        return SentenceContributions(terms=shown, total=total)

    def score(
        self, text: str, *, lang: str | None = None, mask_terms: Sequence[str] = ()
    ) -> ScoreOutcome:
        """Score one document; ``lang`` is the source's language tag, if it has one."""
        return self._score(text, lang, masker(tuple(mask_terms)))

    def _score(self, text: str, lang: str | None, hide: Masker) -> ScoreOutcome:
        given = normalise_lang(lang)
        if not text.strip():
            return ScoreOutcome(scores=None, lang=given, unscored_reason="empty text")
        masked = hide(text)
        used, source = (given, "given") if given else (detect_language(masked), "detected")
        if used is not None and used != "en":
            reason = f"language '{used}' ({source}): VADER reads English only"
            return ScoreOutcome(scores=None, lang=used, unscored_reason=reason)
        return ScoreOutcome(scores=self._scores(masked), lang=used, unscored_reason=None)

    def score_many(
        self, items: Iterable[tuple[str, str | None]], *, mask_terms: Sequence[str] = ()
    ) -> list[ScoreOutcome]:
        """Score (text, lang) documents masked with the same terms, in input order."""
        hide = masker(tuple(mask_terms))
        return [self._score(text, lang, hide) for text, lang in items]

    def version(self, mask_terms: Sequence[str] = ()) -> str:
        """vaderSentiment's version plus a hash of every setting that changes a score; the
        finance model's starts "finvader" and hashes its rules' version too."""
        settings: dict[str, object] = {
            "rules": RULES_VERSION,
            "placeholder": PLACEHOLDER,
            "lexicon_overrides": sorted(self.config.lexicon_overrides),
            "mask_terms": sorted({" ".join(term.split()).casefold() for term in mask_terms}),
        }
        prefix = "vader"
        if self.config.model == "finance":
            settings["finance_rules"] = FINANCE_RULES_VERSION
            prefix = "finvader"
        encoded = json.dumps(settings, sort_keys=True).encode()
        return f"{prefix}{VADER_VERSION}-{hashlib.sha256(encoded).hexdigest()[:8]}"


@functools.cache
def _cached_scorer(config: ScorerConfig) -> Scorer:
    return Scorer(config)


def get_scorer(config: ScorerConfig = ScorerConfig()) -> Scorer:
    """The process's Scorer for ``config``, built on first use."""
    return _cached_scorer(config)
