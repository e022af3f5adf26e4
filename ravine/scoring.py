"""Sentiment scoring: VADER with entity masking, per-sentence means for long texts, English only.

Short texts get exactly vaderSentiment's scores, so results can be checked against VADER's
human-rated corpora; the rules around it are in docs/design.md, "Scoring rules".
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Any, Protocol, cast

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ravine.errors import ConfigError
from ravine.language import detect_language, normalise_lang
from ravine.masking import PLACEHOLDER, Masker, masker
from ravine.sentences import split_sentences
from ravine.vader_fast import FastVader

if TYPE_CHECKING:
    from ravine.config import Settings

# Bump when masking, splitting or language rules change, so stored scores are found stale.
RULES_VERSION = "1"
VADER_VERSION = importlib.metadata.version("vaderSentiment")
# VADER's lexicon is rated on -4..+4; an override outside it is a typo, not a stronger word.
MAX_VALENCE = 4.0

ANALYZERS = ("fast", "reference")  # see ravine.config.Settings.scorer

_TSV_HINT = "expected word<TAB>number"
_JSON_HINT = 'expected a JSON object {"word": number}'


@dataclass(frozen=True, slots=True)
class Scores:
    """VADER's four numbers; for long texts, their means over the sentences."""

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

    ``analyzer`` picks the implementation, not the numbers: "fast" (:mod:`ravine.vader_fast`)
    gives vaderSentiment's exact scores, so it is not part of :meth:`Scorer.version`.
    """

    lexicon_overrides: tuple[tuple[str, float], ...] = ()
    long_text_sentences: int = 3
    analyzer: str = "fast"

    def __post_init__(self) -> None:
        if self.long_text_sentences < 1:
            raise ConfigError(
                f"long_text_sentences is {self.long_text_sentences}; expected 1 or more"
            )
        if self.analyzer not in ANALYZERS:
            raise ConfigError(f"scorer {self.analyzer!r} is unknown; expected fast or reference")

    @classmethod
    def from_settings(cls, settings: Settings) -> ScorerConfig:
        return cls.from_file(settings.lexicon_overrides, analyzer=settings.scorer)

    @classmethod
    def from_file(
        cls, path: Path | None, *, long_text_sentences: int = 3, analyzer: str = "fast"
    ) -> ScorerConfig:
        """Read word -> valence overrides from a JSON object or TSV file; None means none."""
        if path is None:
            return cls(long_text_sentences=long_text_sentences, analyzer=analyzer)
        where = f"lexicon overrides {path}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{where}: cannot read ({error})") from None
        reader = _read_json if text.lstrip().startswith("{") else _read_tsv
        overrides = reader(text, where)
        return cls(
            lexicon_overrides=tuple(sorted(overrides.items())),
            long_text_sentences=long_text_sentences,
            analyzer=analyzer,
        )


class Analyzer(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


def _analyzer(config: ScorerConfig) -> Analyzer:
    """The configured VADER, with the lexicon overrides applied (building one takes ~0.1 s)."""
    overrides = {word.lower(): valence for word, valence in config.lexicon_overrides}
    if config.analyzer == "fast":
        return FastVader(overrides)
    reference = SentimentIntensityAnalyzer()
    reference.lexicon = {**reference.lexicon, **overrides}
    return cast(Analyzer, reference)


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
        sentences = split_sentences(masked)
        if len(sentences) <= self.config.long_text_sentences:
            return self._polarity(masked, len(sentences))
        # VADER's compound saturates on long texts; the sentence mean does not.
        parts = [self._polarity(sentence, 1) for sentence in sentences]
        return Scores(
            neg=fmean(part.neg for part in parts),
            neu=fmean(part.neu for part in parts),
            pos=fmean(part.pos for part in parts),
            compound=fmean(part.compound for part in parts),
            sentences=len(sentences),
        )

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
        """vaderSentiment's version plus a hash of every setting that changes a score."""
        settings = {
            "rules": RULES_VERSION,
            "placeholder": PLACEHOLDER,
            "long_text_sentences": self.config.long_text_sentences,
            "lexicon_overrides": sorted(self.config.lexicon_overrides),
            "mask_terms": sorted({" ".join(term.split()).casefold() for term in mask_terms}),
        }
        encoded = json.dumps(settings, sort_keys=True).encode()
        return f"vader{VADER_VERSION}-{hashlib.sha256(encoded).hexdigest()[:8]}"


@functools.cache
def _cached_scorer(config: ScorerConfig) -> Scorer:
    return Scorer(config)


def get_scorer(config: ScorerConfig = ScorerConfig()) -> Scorer:
    """The process's Scorer for ``config``, built on first use."""
    return _cached_scorer(config)
