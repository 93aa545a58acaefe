"""Where a webhook may be sent: an http(s) URL whose host resolves only to public addresses.

Every attempt resolves the host again, checks each address, and connects to the address it checked (the
`Host` header and TLS server name stay the URL's host), so a name that later resolves to a private
address (DNS rebinding) cannot turn a subscription into a way into the internal network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit, urlunsplit

import msgspec


class TargetError(ValueError):
    """A webhook URL that is malformed or points where webhooks may not go."""


class Target(msgspec.Struct, frozen=True):
    url: str
    """The URL to connect to: the checked address in place of the host name."""
    host: str
    """The `Host` header (and TLS server name) to send: the URL's own host."""


def check_url(url: str) -> SplitResult:
    """The URL split, or TargetError saying what is wrong with it."""
    if len(url) > 2000:
        raise TargetError("url: longer than 2,000 characters")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as error:
        raise TargetError(f"url: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise TargetError(f"url: must start with https:// or http://, not {parts.scheme or 'nothing'!r}")
    if not parts.hostname:
        raise TargetError("url: has no host")
    if parts.username or parts.password:
        raise TargetError("url: credentials in the URL are not allowed; put a token in the path or query")
    return parts


async def resolve_target(url: str, *, allow_private: bool) -> Target:
    """Check the URL and the addresses its host resolves to now; connect to the first of them."""
    parts = check_url(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise TargetError(f"url: host {host!r} does not resolve ({error.strerror or error})") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not allow_private:
        for address in addresses:
            if not address.is_global or address.is_multicast:
                raise TargetError(
                    f"url: host {host!r} resolves to {address}, a loopback, private or reserved address; "
                    "webhooks go to public addresses (set CMS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it)"
                )
    first = addresses[0]
    literal = f"[{first}]" if first.version == 6 else str(first)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = f"{host}:{parts.port}" if parts.port else host
    return Target(url=urlunsplit(parts._replace(netloc=netloc)), host=host_header)
