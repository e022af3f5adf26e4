"""The finance lexicon: which words name a metric, which say it moved, and which of VADER's
rated words are plain business terms in financial text.

VADER's lexicon was rated on social-media and review language, where "profit" is a benefit
(+1.9), "share" is kindness (+1.2) and "gross" is disgust (-2.1); in a results release they are
names of figures. And most finance news is the direction a figure moved, which VADER cannot see:
"fell", "rose" and "narrowed" are not in its lexicon, and whether a move is good depends on the
figure ("costs rose" is bad news, "sales rose" good). The rules that use these lists are in
:mod:`ravine.finance_vader` and docs/finance-lexicon.md. The lists are our own; the idea of a
lexicon read in its financial sense follows Loughran and McDonald (2011) and Henry (2008).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final


def _words(groups: Mapping[str, str]) -> frozenset[str]:
    """The union of space-separated word groups; each key says why its group is listed."""
    return frozenset(word for group in groups.values() for word in group.split())


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# ---- metrics ----------------------------------------------------------------------------------
GOOD_WHEN_UP: Final = _words(
    {
        "what a company earns": "profit profits earnings ebit ebitda ebita eps income result "
        "results profitability margin margins surplus roi roe roce",
        "what it sells": "sales revenue revenues turnover order orders intake backlog bookings "
        "deliveries shipments export exports volume volumes traffic output production demand "
        "occupancy utilisation utilization",
        "what its owners hold": "dividend dividends shares share stock stocks valuation value "
        "index",
        "what it has to spend": "cash liquidity savings",
        "the size of its market": "market markets economy gdp customers subscribers passengers",
    }
)
BAD_WHEN_UP: Final = _words(
    {
        "what a company loses": "loss losses deficit",
        "what it pays out": "costs cost expenses expense expenditure expenditures charges",
        "what it owes": "debt debts borrowings gearing liabilities arrears",
        "what it writes off": "impairment impairments writedown writedowns write-down "
        "write-downs write-off write-offs provisions",
        "what it does to jobs": "layoffs redundancies unemployment",
    }
)
# Two-word metrics whose first word is no metric alone, or another one: "share price", "return
# on equity". Both words are marked.
METRIC_PAIRS: Final[Mapping[tuple[str, str], int]] = {
    ("share", "price"): 1,
    ("stock", "price"): 1,
    ("cash", "flow"): 1,
    ("return", "on"): 1,
}
# A metric word right before one of these names something else: "share capital", "share issue".
NOT_METRIC_BEFORE: Final = _set(
    "capital issue issues offering subscription subscriptions exchange swap option options "
    "buyback buybacks repurchase repurchases register holder holders"
)
# A metric word ending one of these phrases is not a metric: "in order to", "as a result".
NOT_METRIC_PHRASES: Final = frozenset({("in", "order"), ("as", "a", "result")})
# A move of these says nothing signed: dearer prices are good for the seller, bad for the buyer.
TWO_SIDED: Final = _set(
    "price prices fee fees fare fares tariff tariffs rate rates rent rents tax taxes inflation"
)
# Words only financial text uses: with one, a text is read as finance even if no rule fires.
# Everyday words that finance uses too ("share", "value", "company") are not enough.
MARKERS: Final = _words(
    {
        "results": "profit profits earnings ebit ebitda ebita eps revenue revenues sales "
        "turnover orders intake backlog dividend dividends margin margins profitability income "
        "deficit impairment impairments writedowns pretax pre-tax fiscal",
        "corporate forms and deals": "corporation subsidiary subsidiaries shareholder "
        "shareholders stockholders acquisition acquire acquires acquired oyj abp plc ltd inc "
        "corp",
    }
)
# A comparison between these is a swing between profit and loss: "to a profit from a loss".
PROFIT_LIKE: Final = _set("profit profits earnings eps income result ebit ebitda")
LOSS_LIKE: Final = _set("loss losses deficit")

# ---- directions -------------------------------------------------------------------------------
UP: Final = _words(
    {
        "verbs of rising": "rose rise rises rising risen increased increase increases increasing "
        "grew grow grows growing grown climbed climb climbs climbing jumped jump jumps jumping "
        "soared soar soars soaring surged surge surges surging rocketed skyrocketed gained gain "
        "gains gaining boosted boost boosts expanded expand expands expanding widened widen "
        "widens widening raised raise raises raising lifted lift lifts rebounded rebound hiked "
        "hike hikes accelerated exceeded exceed exceeds surpassed surpass topped",
        "multiples": "doubled tripled trebled quadrupled",
        "nouns and comparatives": "growth expansion upturn higher larger bigger up",
    }
)
DOWN: Final = _words(
    {
        "verbs of falling": "fell fall falls falling fallen decreased decrease decreases "
        "decreasing declined decline declines declining dropped drop drops dropping slumped "
        "slump slumps narrowed narrow narrows narrowing shrank shrink shrinks shrinking shrunk "
        "lowered lowering slid slide slides sliding slipped slip slips plunged plunge plunges "
        "plummeted tumbled tumble tumbles sank sink sinks sunk contracted dipped dip dips eased "
        "reduced reduce reduces reducing cut cuts cutting halved diminished trimmed slashed",
        "nouns and comparatives": "reduction reductions contraction downturn lower smaller down",
    }
)
# Moves that say better or worse whatever the metric: "loss improved" is good news too.
BETTER: Final = _set(
    "improved improve improves improving improvement strengthened strengthen strengthens "
    "recovered recover recovers recovery outperformed"
)
WORSE: Final = _set(
    "weakened weaken weakens weakening deteriorated deteriorate deteriorates deterioration "
    "worsened worsen worsens worsening"
)
# Nouns reach a metric forward only through "in" or "of": "growth in sales", but "growth
# markets" are markets, not a move of them.
NOUNS: Final = _set(
    "growth expansion upturn reduction reductions contraction downturn improvement "
    "deterioration recovery"
)
# Direction words read from behind only: "profit was up", "EUR 3 mn, down from EUR 9 mn".
BACKWARD_ONLY: Final = _set("up down")
# "up to" means "at most" ("up to EUR 100"), except after these: "profit was up to EUR 9 mn".
UP_TO_MOVES: Final = _set("was is were are been be went gone go goes going")
# Up to 3 words after these, "up" and "down" are parts of a verb, not moves: "making up 5 %",
# "set up", "let our passengers down".
PHRASAL: Final = _set(
    "make makes made making set sets setting sign signs signed signing take takes took taken "
    "taking step steps stepped stepping shut shuts shutting break breaks broke breaking let "
    "lets letting put puts putting turn turns turned turning back backed wind winds wound "
    "winding end ends ended ending follow followed line lined team teamed sum summed"
)
# A direction word may reach its metric forward over these: "an increase in the group's net
# sales", "cut its operating costs", and over a period ("third-quarter earnings", "2009 sales").
SKIPPABLE: Final = _set(
    "in of the its their our his her a an this that net operating gross total group group's "
    "company company's firm firm's 's xentity pre-tax pretax comparable quarterly annual "
    "consolidated adjusted underlying market cash order per"
)
PERIODS: Final = _set("quarter half year month months week q1 q2 q3 q4 h1 h2")
# Words that end a direction word's reach forward before its metric: "fell as costs rose".
STOPS: Final = _set(
    "as and or but while because after before since with on at for to from by than when if "
    "despite although though whereas which amid into over under about due"
)
# A metric after these qualifies another: in "EBIT excluding restructuring costs grew", EBIT
# grew. "of" qualifies only after a metric: "cost of sales" is a cost.
QUALIFIERS: Final = _set("excluding including excl incl before after ex less")
# Words that end a direction word's reach backward: a new clause, with its own subject.
CLAUSE_WORDS: Final = _set("while whereas but although though however meanwhile which who when")
# Words between a direction word and an amount that still tie the two: "fell by 5 %", "rose to
# EUR 3 mn", "down some 10 %"; a move tied to a sum or percentage is a move of a figure.
TO_AMOUNT: Final = _set(
    "by of to from some about nearly almost around approximately roughly over just slightly sharply"
)

# ---- comparisons ------------------------------------------------------------------------------
# "A compared with B", "A versus B", "A against B": A is now, B before.
COMPARED: Final = _set("compared comparison versus vs vs. against")
# "from" after these opens a range, not a change: "prices range from EUR 5 to EUR 9".
RANGES: Final = _set("range ranges ranging ranged vary varies varying varied")
# Words that may stand between "to", "from" or "compared with" and its amount, besides metric
# and currency words: "from a net loss of EUR 6 mn", "to a negative EUR 3 mn", "to some 5 %".
SIDE_WORDS: Final = _set(
    "a an the its their of at net operating pre-tax pretax gross total comparable adjusted "
    "group's company's 's some about nearly almost around approximately roughly over under "
    "just only negative positive minus last previous prior year year's"
)
# A period after these ends no clause: "EUR 3 mn vs. EUR 5 mn", "Acme Inc. said".
DOTTED: Final = _set("vs. inc. ltd. co. corp. plc. mr. ms. dr. approx. ca.")
# A number right after these is below zero: "a negative EUR 3 mn" (VADER would read "negative").
NEGATIVE_SIGNS: Final = _set("negative minus")

# ---- amounts ----------------------------------------------------------------------------------
# Currency words and signs -> one code, so that "EUR 3 mn ( $ 4 mn )" is not read as two sums.
CURRENCIES: Final[Mapping[str, str]] = {
    **dict.fromkeys(["eur", "euro", "euros", "€"], "eur"),
    **dict.fromkeys(["usd", "us$", "$", "dollar", "dollars"], "usd"),
    **dict.fromkeys(["gbp", "£", "pound", "pounds", "sterling"], "gbp"),
    **dict.fromkeys(["sek", "krona", "kronor"], "sek"),
    **dict.fromkeys(["jpy", "yen"], "jpy"),
    **dict.fromkeys(["cny", "rmb", "yuan"], "cny"),
    **dict.fromkeys(["lvl", "lats"], "lvl"),
    **dict.fromkeys(["ltl", "litas"], "ltl"),
    **{code: code for code in _set("nok dkk chf cad aud rub inr")},
}
SCALES: Final[Mapping[str, float]] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "millions": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip
PERCENT: Final = _set("% percent pct percentage")  # and "per cent"
# A bare number next to a month is a date: "1 January", "March 31".
MONTHS: Final = _set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)

# ---- finance words VADER lacks or misreads, with a valence on its -4..4 scale ------------------
FINANCE_VALENCES: Final[Mapping[str, float]] = {
    # analysts' verdicts and market mood
    **dict.fromkeys(["upgrade", "upgraded", "upgrades", "outperform", "outperformed"], 1.5),
    **dict.fromkeys(["downgrade", "downgraded", "downgrades", "underperform"], -1.5),
    "bullish": 1.5,
    "bearish": -1.5,
    # beating a forecast; VADER reads "beating" as violence (-2.0)
    **dict.fromkeys(["beat", "beats", "beating"], 1.5),
    # money kept, rated like the loss it is the opposite of
    "savings": 1.3,
    # failures VADER has no entry for ("bankrupt" is -2.6 there)
    **dict.fromkeys(["bankruptcy", "insolvency", "insolvent"], -2.5),
    # jobs and write-offs lost, rated like VADER's "loss" (-1.3)
    **dict.fromkeys(["layoffs", "lay-offs", "redundancies"], -1.3),
    **dict.fromkeys(["impairment", "impairments", "writedown", "writedowns"], -1.3),
    **dict.fromkeys(["write-down", "write-downs", "write-off", "write-offs"], -1.3),
    # penalties, as VADER's "penalty" (-2.0) but milder
    **dict.fromkeys(["fined", "penalties"], -1.5),
}

# ---- VADER words that are plain business terms in financial text -------------------------------
NEUTRAL_SENSES: Final[Mapping[str, str]] = {
    "equity and market share, not sharing": "share shares",
    "amounts (deal value, worth EUR 5 mn), not moral worth": "value values worth valued",
    "interest rates and income, not curiosity": "interest",
    "lending and accounting credits, not praise": "credit credits",
    "financial instruments, collateral, and the security industry": "security securities secured",
    "balance-sheet items": "asset assets liability liabilities",
    "gross margin and gross profit, not disgust": "gross",
    "shares and loans outstanding, not excellence": "outstanding",
    "contracts and the sides to them, not accord": "agreement agreements party parties",
    "product-line names": "solution solutions",
    "an adverb of order, rated +1.4 by VADER": "respectively",
    "in names (United States, United Kingdom)": "united",
    "industries (energy, defence, safety)": "energy defense safety",
    "treasury shares and departments": "treasury",
    "the company suffix Limited": "limited",
    "special dividends and items": "special",
    "dates (effective 1 January)": "effective",
    "regulatory steps, not praise": "approval approved consent",
    "duties and lines of business (responsible for, engaged in)": "responsible engaged",
    "a count (the number of shares)": "number",
    "payments are transactions, not grievances": "pay",
    "a block of shares, not an obstacle": "block",
    "investment trusts and bank guarantees": "trust guarantee",
}
NEUTRAL: Final = _words(NEUTRAL_SENSES)
# Words that are plain before these: "fair value" (an accounting measure, not fairness), "free
# cash flow", "free float", "natural gas", "natural resources", "as well as" (a conjunction).
PLAIN_BEFORE: Final[Mapping[str, frozenset[str]]] = {
    "fair": _set("value values"),
    "free": _set("cash float"),
    "natural": _set("gas resources"),
    "well": _set("as"),
}
