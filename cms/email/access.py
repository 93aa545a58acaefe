"""Who may pull email: a bearer token (or session) that may read email or content, or a feed token in the URL.

Klaviyo's web feeds cannot send headers, so a feed URL carries its credentials. A URL ends up in tool settings,
proxies and logs, so two ways, both only for a token whose sole scope is `email:read` (read-only, and revocable
like every token: `cms token revoke <id>`); a broader token in a URL is refused, never used:
- a signed URL (`?feed=<token id>&signature=…`, printed by `cms token sign-url`): no secret in the URL, and it
  opens that one path only (the signature is an HMAC of the path keyed by what the server stores of the token);
- the token itself (`?token=cms_…`), which opens every feed.
"""

from __future__ import annotations

from collections.abc import Mapping

from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN

from cms.auth.principal import EMAIL, READ, Principal
from cms.auth.request import AccessError, Credentials, principal_of
from cms.auth.tokens import TokenError, check_signed_path, check_token
from cms.email.errors import EmailFeedError

TOKEN_PARAMETER = "token"
FEED_PARAMETER = "feed"
SIGNATURE_PARAMETER = "signature"
URL_PARAMETERS = (TOKEN_PARAMETER, FEED_PARAMETER, SIGNATURE_PARAMETER)
FEED_SCOPE = "email:read"
_HOW = f"send `Authorization: Bearer <token>` or `?{TOKEN_PARAMETER}=<token>` with a token of scope `{FEED_SCOPE}`"


async def email_reader(request: Credentials, query: Mapping[str, str], path: str) -> Principal:
    """The principal pulling email at `path`; EmailFeedError (400, 401 or 403) saying why it may not."""
    given = [name for name in URL_PARAMETERS if name in query]
    if given:
        if "authorization" in request.headers:
            raise EmailFeedError(
                HTTP_400_BAD_REQUEST, "two_tokens", "send the token once: in the Authorization header or in the URL"
            )
        if given == [TOKEN_PARAMETER]:
            return await _url_token_principal(query[TOKEN_PARAMETER])
        if sorted(given) == sorted([FEED_PARAMETER, SIGNATURE_PARAMETER]):
            return await _signed_url_principal(query[FEED_PARAMETER], path, query[SIGNATURE_PARAMETER])
        raise EmailFeedError(
            HTTP_400_BAD_REQUEST,
            "bad_url_credentials",
            f"a feed URL carries either `{TOKEN_PARAMETER}`, or `{FEED_PARAMETER}` and `{SIGNATURE_PARAMETER}`"
            " together (a signed URL from `cms token sign-url`)",
            parameter=given[0],
        )
    try:
        principal = await principal_of(request)
    except AccessError as error:
        raise EmailFeedError(error.status, "unauthorized", f"{error.message}: {_HOW}") from None
    if principal.kind == "anonymous":
        raise EmailFeedError(HTTP_401_UNAUTHORIZED, "unauthorized", f"email feeds need a token: {_HOW}")
    if not (principal.can(EMAIL) or principal.can(READ)):
        raise EmailFeedError(
            HTTP_403_FORBIDDEN, "forbidden", f"this token may not read email: it needs the `{FEED_SCOPE}` scope"
        )
    return principal


async def _url_token_principal(token_text: str) -> Principal:
    try:
        principal = await check_token(token_text)
    except TokenError as error:
        raise EmailFeedError(
            HTTP_401_UNAUTHORIZED, "unauthorized", f"`{TOKEN_PARAMETER}`: {error}", parameter=TOKEN_PARAMETER
        ) from None
    return _only_reading_email(principal, TOKEN_PARAMETER)


async def _signed_url_principal(token_id: str, path: str, signature: str) -> Principal:
    try:
        principal = await check_signed_path(token_id, path, signature)
    except TokenError as error:
        raise EmailFeedError(
            HTTP_401_UNAUTHORIZED, "unauthorized", f"`{SIGNATURE_PARAMETER}`: {error}", parameter=SIGNATURE_PARAMETER
        ) from None
    return _only_reading_email(principal, FEED_PARAMETER)


def _only_reading_email(principal: Principal, parameter: str) -> Principal:
    if principal.permissions != {EMAIL} or principal.delivery_channels:
        raise EmailFeedError(
            HTTP_403_FORBIDDEN,
            "token_too_broad",
            f"`{parameter}`: a token in a URL may only have the `{FEED_SCOPE}` scope (URLs end up in logs and"
            f" tool settings); create one with `cms token create --name <name> --scope {FEED_SCOPE}`, or send this"
            " one in the Authorization header",
            parameter=parameter,
        )
    return principal
