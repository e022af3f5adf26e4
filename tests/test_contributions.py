"""Token contributions reconcile with the scores: the valences a text's terms are reported with
sum to the total VADER squashes into the compound, sentence by sentence."""

from __future__ import annotations

import math
import random

import pytest
from vaderSentiment.vaderSentiment import normalize

from ravine.masking import PLACEHOLDER
from ravine.scoring import Scorer, ScorerConfig, SentenceContributions
from ravine.vader_fast import EMPHASIS, FastVader
from tests.test_vader_fast import KINDS, REFERENCE, corpus, generated

SCORERS = {
    "finance": Scorer(ScorerConfig()),
    "vader": Scorer(ScorerConfig(model="vader")),
}
FINANCE = [
    "Operating profit fell to EUR 3 mn from EUR 9 mn.",
    "Net loss narrowed to EUR 1.2 mn compared with EUR 4.5 mn a year earlier!",
    "Costs rose sharply, but net sales did not fall.",
    "The company swung to a net loss of EUR 6 mn from a profit of EUR 2 mn in 2008.",
]


def compound_of(parts: list[SentenceContributions]) -> float:
    """The text's compound by the Scorer's rule: the mean over sentences with sentiment."""
    return math.fsum(part.compound for part in parts) / len(parts) if parts else 0.0


def mixed_texts(count: int = 600) -> list[str]:
    """Generated texts of every kind, joined into texts of one to four sentences."""
    rng = random.Random("contributions")
    pieces = [text for kind in KINDS for text in generated(kind)[:200]] + FINANCE
    return [". ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(count)]


def assert_reconciled(scorer: Scorer, texts: list[str], terms: tuple[str, ...] = ()) -> None:
    wrong = []
    for text in texts:
        parts = scorer.contributions(text, mask_terms=terms)
        outcome = scorer.score(text, lang="en", mask_terms=terms)
        assert outcome.scores is not None
        for part in parts:
            assert math.fsum(v for _, v in part.terms) == pytest.approx(part.total, abs=1e-12)
        if compound_of(parts) != outcome.scores.compound:
            wrong.append((text, compound_of(parts), outcome.scores.compound))
    assert not wrong, f"{len(wrong)} of {len(texts)} differ, e.g. {wrong[:3]}"


@pytest.mark.parametrize("model", SCORERS)
def test_tweets_reconcile_with_their_compound(model: str) -> None:
    assert_reconciled(SCORERS[model], corpus("tweets"))


@pytest.mark.parametrize("model", SCORERS)
def test_generated_texts_of_several_sentences_reconcile(model: str) -> None:
    assert_reconciled(SCORERS[model], mixed_texts())


def test_finance_rules_show_as_the_word_that_carries_the_news() -> None:
    [part] = SCORERS["finance"].contributions(FINANCE[0])
    assert part.terms == (("fell", -2.5),)
    assert part.compound == SCORERS["finance"].score(FINANCE[0]).scores.compound  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_one_sentence_sum_is_what_vader_normalises(kind: str) -> None:
    """FastVader alone: the summed valences, emphasis included, give the reference's compound
    bit for bit, for every kind of generated text (negation, "but", caps, idioms, emoji)."""
    fast = FastVader()
    for text in generated(kind)[:1000]:
        total = float(sum(valence for _, valence in fast.contributions(text)))
        assert round(normalize(total), 4) == REFERENCE.polarity_scores(text)["compound"], text


def test_rules_act_on_the_reported_valences() -> None:
    fast = FastVader()
    assert fast.contributions("The food was not good") == [("good", 1.9 * -0.74)]
    assert fast.contributions("very good") == [("good", 1.9 + 0.293)]
    # "but" halves what comes before it and weighs what follows by 1.5
    assert fast.contributions("good but bad") == [("good", 0.95), ("bad", -2.5 * 1.5)]


def test_emphasis_is_its_own_term_signed_like_the_text() -> None:
    fast = FastVader()
    assert fast.contributions("awful!!") == [("awful", -2.0), (EMPHASIS, -0.584)]
    assert fast.contributions("great!") == [("great", 3.1), (EMPHASIS, 0.292)]
    assert fast.contributions("the gate!!") == []  # no sentiment, no emphasis


def test_masked_names_never_appear_and_still_reconcile() -> None:
    """ "united" is +1.8 in VADER's lexicon; masked, it neither scores nor shows."""
    scorer = SCORERS["vader"]
    texts = ["United lost my bag, great job United!", "UNITED is the worst. Flew United again"]
    for text in texts:
        parts = scorer.contributions(text, mask_terms=("United",))
        terms = {term for part in parts for term, _ in part.terms}
        assert "united" not in terms and PLACEHOLDER not in terms
    assert_reconciled(scorer, texts, ("United",))


def test_a_text_without_sentiment_has_no_contributions() -> None:
    assert SCORERS["finance"].contributions("The flight leaves at 9. Gate 12.") == []


def test_the_reference_analyzer_reports_the_fast_ones_contributions() -> None:
    reference = Scorer(ScorerConfig(analyzer="reference"))
    for text in [*FINANCE, *corpus("tweets")[:300]]:
        assert reference.contributions(text) == SCORERS["finance"].contributions(text)
