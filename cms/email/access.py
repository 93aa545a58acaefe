"""Who may pull email: a bearer token (or session) that may read email or content, or a feed token in the URL.

Klaviyo's web feeds cannot send headers, so a feed URL carries its token (`?token=cms_…`). A URL ends up in tool
settings, proxies and logs: a token there is accepted only when its sole scope is `email:read` (read-only, and
revocable like every token: `cms token revoke <id>`); a broader token in a URL is refused, never used.
"""

from __future__ import annotations

from collections.abc import Mapping

from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN

from cms.auth.principal import EMAIL, READ, Principal
from cms.auth.request import AccessError, Credentials, principal_of
from cms.auth.tokens import TokenError, check_token
from cms.email.errors import EmailFeedError

TOKEN_PARAMETER = "token"
FEED_SCOPE = "email:read"
_HOW = f"send `Authorization: Bearer <token>` or `?{TOKEN_PARAMETER}=<token>` with a token of scope `{FEED_SCOPE}`"


async def email_reader(request: Credentials, query: Mapping[str, str]) -> Principal:
    """The principal pulling email; EmailFeedError (400, 401 or 403) saying why it may not."""
    url_token = query.get(TOKEN_PARAMETER)
    if url_token is not None:
        if "authorization" in request.headers:
            raise EmailFeedError(
                HTTP_400_BAD_REQUEST, "two_tokens", "send the token once: in the Authorization header or in the URL"
            )
        return await _url_token_principal(url_token)
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
    if principal.permissions != {EMAIL} or principal.delivery_channels:
        raise EmailFeedError(
            HTTP_403_FORBIDDEN,
            "token_too_broad",
            f"`{TOKEN_PARAMETER}`: a token in a URL may only have the `{FEED_SCOPE}` scope (URLs end up in logs and"
            f" tool settings); create one with `cms token create --name <name> --scope {FEED_SCOPE}`, or send this"
            " one in the Authorization header",
            parameter=TOKEN_PARAMETER,
        )
    return principal
