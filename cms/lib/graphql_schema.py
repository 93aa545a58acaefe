"""What every GraphQL schema of the CMS shares: quiet logging of client mistakes, caches, limits, masking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache

from cms.lib.query_limits import Limits, limits_rule
from cms.lib.unavailable import unavailable_of
from graphql import GraphQLError

logger = logging.getLogger(__name__)


def is_unexpected(error: GraphQLError) -> bool:
    """A failure of ours while executing (a bug, the database down), not a mistake in the request."""
    original = error.original_error
    return error.path is not None and original is not None and not isinstance(original, GraphQLError)


class QuietSchema(strawberry.Schema):
    """Logs only unexpected errors: a client's bad query is answered, not written to the server log."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            if is_unexpected(error) and unavailable_of(error) is not None:
                logger.warning("GraphQL execution failed, a service is unavailable: %s", error.original_error)
            elif is_unexpected(error):
                logger.error("GraphQL execution failed", exc_info=error.original_error)


class MaskUnexpectedErrors(MaskErrors):
    """ "Unexpected error." instead of internals; an unavailable service (a lost database connection, the media
    storage down) stays recognisable, as its client message with code SERVICE_UNAVAILABLE and the
    unavailability as original error, so the endpoint answers 503 for it."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        unavailable = unavailable_of(error)
        if unavailable is None:
            return super().anonymise_error(error)
        return GraphQLError(
            unavailable.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=unavailable,
            extensions={"code": "SERVICE_UNAVAILABLE"},
        )


def standard_extensions(limits: Limits, max_tokens: int) -> list[Callable[[], Any]]:
    """Parser and validation caches, size limits, and "Unexpected error." instead of internals."""
    # One rule class for every request: the validation cache is keyed by the rules, so a class built
    # per request would never be hit (and would fill the cache with copies).
    rule = limits_rule(limits)
    return [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules([rule]),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: MaskUnexpectedErrors(should_mask_error=is_unexpected),
    ]
