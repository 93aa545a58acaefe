"""Links in email: absolute, and tagged with the campaign's UTM parameters unless they set them already.

Links are edited as text, never parsed and re-encoded: a link may hold an automation tool's merge tag
(`https://shop.example.com/?u={{ email }}`), which a URL library would percent-encode into something the tool no
longer recognises.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote

import msgspec

UTM_MEDIUM = "email"


class Utm(msgspec.Struct, frozen=True):
    """The UTM parameters email links carry (`utm_medium` is always `email`)."""

    source: str
    campaign: str
    medium: str = UTM_MEDIUM

    def parameters(self) -> dict[str, str]:
        return {"utm_source": self.source, "utm_medium": self.medium, "utm_campaign": self.campaign}


def absolute_url(url: str, base_url: str) -> str:
    """`url` made absolute against the public `base_url` (an origin, no trailing slash) when root-relative."""
    if url.startswith("/") and not url.startswith("//"):
        return base_url.rstrip("/") + url
    return url


def tagged_link(url: str, utm: Utm) -> str:
    """`url` with each UTM parameter it does not set yet appended (http and https links only), its fragment kept."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    address, hash_mark, fragment = url.partition("#")
    _, question_mark, query = address.partition("?")
    present = {name.lower() for name, _ in parse_qsl(query.replace("&amp;", "&"), keep_blank_values=True)}
    missing = [f"{name}={quote(value, safe='')}" for name, value in utm.parameters().items() if name not in present]
    if not missing:
        return url
    joiner = "" if question_mark and (not query or query.endswith("&")) else ("&" if question_mark else "?")
    return f"{address}{joiner}{'&'.join(missing)}{hash_mark}{fragment}"


_URL_IN_TEXT = re.compile(r"https?://[^\s()<>]+")
_MERGE_TAG_MARKS = ("{{", "{%", "%%", "*|")


def tagged_links_in_text(text: str, utm: Utm) -> str:
    """The plain-text part's URLs tagged; a URL holding a merge tag is left as written (where it ends cannot be
    told from text: `?u={{ email }}` has spaces)."""

    def tag(match: re.Match[str]) -> str:
        url = match[0]
        return url if any(mark in url for mark in _MERGE_TAG_MARKS) else tagged_link(url, utm)

    return _URL_IN_TEXT.sub(tag, text)
