"""Readability bounds per locale: average and longest sentence length in words; simple and deterministic."""

from __future__ import annotations

from cms.consistency.findings import Params, Severity, params
from cms.consistency.text_spans import Span, count_words, sentence_spans
from cms.consistency.voice_config import Readability

Problem = tuple[str, Severity, Span, str, str, Params]
"""rule, severity, span, message, suggestion, params."""


def check_readability(text: str, protected: list[Span], bounds: Readability) -> list[Problem]:
    """A problem per sentence over `max_sentence_words`, and one for the text over the average bound."""
    counted = [(span, count_words(text, span, protected)) for span in sentence_spans(text)]
    counted = [(span, words) for span, words in counted if words]
    problems: list[Problem] = []
    if bounds.max_sentence_words is not None:
        problems += [
            (
                "sentence_too_long",
                bounds.severity,
                span,
                f"this sentence has {words} words; keep sentences to {bounds.max_sentence_words} at most",
                "split it in two",
                params(words=words, limit=bounds.max_sentence_words),
            )
            for span, words in counted
            if words > bounds.max_sentence_words
        ]
    limit = bounds.max_average_sentence_words
    if limit is not None and counted:
        average = sum(words for _, words in counted) / len(counted)
        if average > limit:
            message = f"sentences average {average:.1f} words; aim for {limit:g} or fewer"
            values = params(average=f"{average:.1f}", limit=f"{limit:g}")
            problems.append(
                ("average_sentence_length", bounds.severity, (0, len(text)), message, "use shorter sentences", values)
            )
    return problems
