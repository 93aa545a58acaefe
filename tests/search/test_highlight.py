"""Snippets: remembered per text and query, never mixed up between queries or text modes."""

from __future__ import annotations

from cms.search.highlight import Matcher, snippet
from cms.search.query import parse_query

TEXT = "A rapeseed-wax candle in a reusable ceramic pot, with a fragrance <composed> in Grasse."


def test_a_remembered_snippet_is_only_given_back_to_the_same_query_and_mode() -> None:
    candle, pot = Matcher(parse_query("candle", "english")), Matcher(parse_query("ceramic pot", "english"))
    first = snippet(TEXT, candle, "html")
    assert first is not None and "<mark>candle</mark>" in first
    assert snippet(TEXT, candle, "html") == first
    assert snippet(TEXT, pot, "html") == first.replace("<mark>candle</mark>", "candle").replace(
        "ceramic pot", "<mark>ceramic</mark> <mark>pot</mark>"
    )
    assert snippet(TEXT, candle, "text") == first.replace("<mark>candle</mark>", "«candle»").replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert snippet(TEXT, Matcher(parse_query("teapot", "english")), "html") is None
