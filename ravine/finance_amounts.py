"""Amounts in a tokenised text: "EUR 3.1 mn", "10 %", "$ 6.8 mln", even "EUR52 .7 m".

The finance rules compare the amount now with the amount before ("to EUR 3 mn from EUR 9 mn"),
and read a sum or percentage as a sign of financial text; this module finds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Final

from ravine import finance_lexicon as fl

YEARS: Final = range(1900, 2100)
_NUMBER: Final = re.compile(
    r"(?P<currency>[a-z]{1,3}\$|[€£$]|[a-z]{2,5})?(?P<sign>[-−])?(?P<digits>\d[\d,]*(?:\.\d+)?)"
    r"(?P<unit>[a-z%]*)"
)
_CONTINUATION: Final = re.compile(r"[.,]\d+")  # "EUR52 .7 m": a number split by a tokeniser
DIGIT: Final = re.compile(r"\d")
_THOUSANDS: Final = re.compile(r"\d{1,3}(,\d{3})+")


@dataclass(frozen=True, slots=True)
class Amount:
    """A number in the tokens [start, end): "EUR 3.1 mn", "10 %", "EUR52 .7 m", "minus EUR 3"."""

    start: int  # its first token: a sign word, a currency word or the number
    end: int
    number: float
    scale: float | None  # 1e6 for "mn"; None when no scale was given
    percent: bool
    currency: str | None  # "eur" for "EUR", "euro" or "€"
    signed: bool  # begins with a sign word: "a negative EUR 3 mn"

    @property
    def bare(self) -> bool:
        """A number with no currency, scale or percent: "120", "0.03"."""
        return not (self.currency or self.scale or self.percent)

    def minus(self, other: Amount) -> float | None:
        """This amount minus ``other``, None if they do not compare (a percentage and a sum,
        two currencies). A scale given on one side holds for both: "from 14.2 to 16.8 mln"."""
        if self.percent != other.percent or (
            self.currency and other.currency and self.currency != other.currency
        ):
            return None
        scale = self.scale or other.scale or 1.0
        return self.number * (self.scale or scale) - other.number * (other.scale or scale)


def _clean(token: str) -> str:
    return token.lower().strip("()[]{}\"'").rstrip(",;:.")


def _parse(digits: str) -> float:
    """ "1,234.5" and "318,000" have thousands separators, "0,2" a decimal comma."""
    if "," in digits:
        if "." in digits or _THOUSANDS.fullmatch(digits):
            digits = digits.replace(",", "")
        else:
            digits = digits.replace(",", ".", 1).replace(",", "")
    return float(digits)


def _amount_at(tokens: Sequence[str], j: int) -> Amount | None:
    """The amount starting at token ``j``, if any. "EUR", "mn", "%" and the like give its kind
    and scale; a bare number counts unless it looks like a year or a day of a month."""
    match = _NUMBER.fullmatch(_clean(tokens[j]))
    if match is None:
        return None
    currency = fl.CURRENCIES.get(match["currency"] or "")
    if match["currency"] and currency is None:
        return None  # "abc123"
    digits, unit, end = match["digits"], match["unit"], j + 1
    continued = end < len(tokens) and _CONTINUATION.fullmatch(tokens[end])
    if continued and not unit and "." not in digits:
        digits, end = digits + tokens[end], end + 1
    scale = fl.SCALES.get(unit)
    percent = unit == "%"
    if unit and scale is None and not percent:
        return None  # "3rd", "10x", "4g"
    following, second = [*map(_clean, tokens[end : end + 2]), "", ""][:2]
    if not unit and following in fl.SCALES:
        scale, end = fl.SCALES[following], end + 1
    elif not unit and following in fl.PERCENT:
        percent, end = True, end + 1
    elif not unit and (following, second) == ("per", "cent"):
        percent, end = True, end + 2
    start = j
    if currency is None and j > 0 and (currency := fl.CURRENCIES.get(_clean(tokens[j - 1]))):
        start = j - 1
    if currency is None and end < len(tokens) and _clean(tokens[end]) in fl.CURRENCIES:
        currency, end = fl.CURRENCIES[_clean(tokens[end])], end + 1
    number = -_parse(digits) if match["sign"] else _parse(digits)
    if not (currency or scale or percent):
        before = _clean(tokens[j - 1]) if j > 0 else ""
        if (number.is_integer() and int(number) in YEARS) or fl.MONTHS & {before, following}:
            return None
    signed = start > 0 and _clean(tokens[start - 1]) in fl.NEGATIVE_SIGNS
    if signed:
        start, number = start - 1, -number
    return Amount(start, end, number, scale, percent, currency, signed)


def find_amounts(tokens: Sequence[str]) -> list[Amount]:
    """Every amount in the tokens, left to right, none overlapping another."""
    found: list[Amount] = []
    end = 0
    for j in compress(range(len(tokens)), map(DIGIT.search, tokens)):
        if j >= end and (amount := _amount_at(tokens, j)) is not None:
            found.append(amount)
            end = amount.end
    return found
