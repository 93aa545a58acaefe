"""Checks on `{{offer:<slug>.<field>}}` tokens at lint time, and their expansion for length budgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from difflib import get_close_matches

import regex

from cms.consistency.findings import Finding, Params, Severity, params
from cms.consistency.offer_format import OFFER_FIELDS, format_day, local_date, offer_value
from cms.consistency.offers import OfferFacts
from cms.consistency.text_spans import OFFER_TOKEN


def check_offer_tokens(
    text: str,
    offers: Mapping[str, OfferFacts],
    *,
    locale: str,
    now: dt.datetime | None = None,
    time_zone: str = "UTC",
    field: str = "",
    channel: str | None = None,
) -> list[Finding]:
    """Errors for unknown offers (`unknown_offer`), fields (`unknown_offer_field`) and values the offer does not
    have (`empty_offer_field`); a warning (`offer_ended`) for an offer over at `now`, whose sentence is withheld."""
    findings = []
    for match in OFFER_TOKEN.finditer(text):
        problem = _problem(match["slug"], match["field"] or "", offers, locale, now, time_zone)
        if problem is not None:
            rule, severity, message, suggestion, values = problem
            findings.append(
                Finding(
                    rule=rule,
                    severity=severity,
                    field=field,
                    locale=locale,
                    channel=channel,
                    start=match.start(),
                    end=match.end(),
                    message=message,
                    suggestion=suggestion,
                    params=values,
                )
            )
    return findings


def expand_offer_tokens(text: str, offers: Mapping[str, OfferFacts], locale: str, *, time_zone: str = "UTC") -> str:
    """Tokens replaced by their values whatever the time (unrenderable ones left as written): what budgets count."""

    def value(match: regex.Match[str]) -> str:
        offer = offers.get(match["slug"])
        rendered = None if offer is None else offer_value(offer, match["field"] or "", locale, time_zone=time_zone)
        return match.group() if rendered is None else rendered

    return OFFER_TOKEN.sub(value, text)


def _problem(
    slug: str, name: str, offers: Mapping[str, OfferFacts], locale: str, now: dt.datetime | None, time_zone: str
) -> tuple[str, Severity, str, str | None, Params] | None:
    offer = offers.get(slug)
    if offer is None:
        close = get_close_matches(slug, list(offers), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "check the offer's slug"
        values = params(offer=slug, close=", ".join(close) or None)
        return "unknown_offer", "error", f"refers to offer “{slug}”, which does not exist", hint, values
    if name not in OFFER_FIELDS:
        known = ", ".join(OFFER_FIELDS)
        values = params(offer=slug, name=name, known=known)
        return "unknown_offer_field", "error", f"offer {slug} has no field “{name}”", f"use one of: {known}", values
    if offer_value(offer, name, locale, time_zone=time_zone) is None:
        message = f"offer {slug} has no {name.replace('_', ' ')} in {locale}"
        values = params(offer=slug, name=name, locale=locale)
        return "empty_offer_field", "error", message, "fill it in on the offer, or remove the token", values
    if now is not None and now >= offer.ends_at:
        ended = format_day(local_date(offer.last_instant, time_zone), locale)
        message = f"offer {slug} ended on {ended}: the copy around this token is no longer served"
        values = params(offer=slug, ended=ended)
        return "offer_ended", "warning", message, "remove the sentence or refer to a current offer", values
    return None
