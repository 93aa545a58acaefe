"""Figures written in copy, English or French: percentages, amounts of money, dates and promo codes.

Numbers read both ways (`12,99`, `12.99`, `1 299,00`, `1,299.00`); a number with no `%` or
currency next to it (a year, `1,5 L`) is not a figure.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple

import regex
from babel.dates import get_month_names

from cms.consistency.offers import Money

FigureKind = Literal["percent", "money", "date", "code"]
_SPACE = r"[ \u00a0\u202f]"
_NUMBER = rf"\d{{1,3}}(?:(?:{_SPACE}|[.,])\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?"
_CURRENCIES = {
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "eur": "EUR",
    "usd": "USD",
    "gbp": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "chf": "CHF",
}
_SYMBOL = r"€|\$|£|(?i:EUR|USD|GBP|CHF)"
_MONEY = regex.compile(
    rf"(?<![\w.,])(?:(?P<before>{_SYMBOL}){_SPACE}?(?P<amount>{_NUMBER})"
    rf"|(?P<amount>{_NUMBER}){_SPACE}?(?P<after>{_SYMBOL}|(?i:euros?)))(?![\w])",
)
_PERCENT = regex.compile(
    rf"(?<![\w.,])(?P<number>\d+(?:[.,]\d+)?){_SPACE}?(?:%|(?i:pour{_SPACE}?cent|per{_SPACE}?cent))"
)
_CODE = regex.compile(
    rf"(?i:\bcode(?:{_SPACE}+promo)?|\bcoupon){_SPACE}*:?{_SPACE}*[«\"“]?{_SPACE}*(?P<code>[A-Z0-9][A-Z0-9_-]{{2,}})(?![\w])"
)
_SLASHED = regex.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![\d/])")
_ISO = regex.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")


class Day(NamedTuple):
    day: int
    month: int
    year: int | None


class Figure(NamedTuple):
    kind: FigureKind
    start: int
    end: int
    value: Decimal | Money | Day | str


def find_figures(text: str, locale: str) -> list[Figure]:
    """Every figure in `text`, in order of position."""
    figures = [
        *(_figure("percent", m.span(), parse_number(m["number"], locale)) for m in _PERCENT.finditer(text)),
        *(_money(m, locale) for m in _MONEY.finditer(text)),
        *(_figure("code", m.span("code"), m["code"]) for m in _CODE.finditer(text)),
        *_dates(text, locale),
    ]
    return sorted(figures, key=lambda figure: (figure.start, figure.end))


def _figure(kind: FigureKind, span: tuple[int, int], value: Decimal | Money | Day | str) -> Figure:
    return Figure(kind, span[0], span[1], value)


def parse_number(raw: str, locale: str) -> Decimal:
    """`12,99` and `12.99` → 12.99; `1 299,00` and `1,299.00` → 1299.00; `1,299` → 1299 in English only."""
    digits = regex.sub(_SPACE, "", raw)
    separators = [char for char in digits if char in ".,"]
    if not separators:
        return Decimal(digits)
    decimal_mark = separators[-1]
    grouped = regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits) is not None
    if len(set(separators)) == 1 and grouped and (len(separators) > 1 or decimal_mark == (",", ".")[locale == "fr"]):
        decimal_mark = ""  # "1,299" in English, "1.299" in French: thousands, not decimals
    whole, _, fraction = digits.rpartition(decimal_mark) if decimal_mark else (digits, "", "")
    return Decimal(regex.sub(r"[.,]", "", whole) + ("." + fraction if fraction else ""))


def _money(match: regex.Match[str], locale: str) -> Figure:
    symbol = (match["before"] or match["after"]).lower()
    money = Money(parse_number(match["amount"], locale), _CURRENCIES[symbol])
    return _figure("money", match.span(), money)


def _dates(text: str, locale: str) -> list[Figure]:
    found = []
    for match in _named_dates().finditer(text):
        month = _month_number(match["month"])
        day = int(match["day"] or match["day2"])
        year = match["year"] or match["year2"]
        found.append((match.span(), day, month, int(year) if year else None))
    for match in _SLASHED.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        day, month = (b, a) if locale == "en" and b > 12 >= a else (a, b)
        year = match["year"] and int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
        found.append((match.span(), day, month, year or None))
    found += [(m.span(), int(m["day"]), int(m["month"]), int(m["year"])) for m in _ISO.finditer(text)]
    return [_figure("date", span, Day(d, m, y)) for span, d, m, y in found if 1 <= d <= 31 and 1 <= m <= 12]


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("en", "fr"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower()] = number  # "janv." keeps its dot, so a full stop after "mars" is not taken
                names[name.lower().rstrip(".")] = number
    return names


@lru_cache(maxsize=1)
def _named_dates() -> regex.Pattern[str]:
    """`31 mars`, `1er avril 2026`, `31 March`, `March 31`, `March 31st, 2026` (month names of en and fr)."""
    month = "|".join(sorted((regex.escape(name) for name in _months()), key=len, reverse=True))
    day_month = rf"(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?{_SPACE}+(?P<month>{month})(?:{_SPACE}+(?P<year>\d{{4}}))?"
    month_day = rf"(?P<month>{month}){_SPACE}+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?{_SPACE}+(?P<year2>\d{{4}}))?"
    return regex.compile(rf"(?<![\w])(?:{day_month}|{month_day})(?![\w])", regex.IGNORECASE)


def _month_number(name: str) -> int:
    return _months()[name.lower()]
