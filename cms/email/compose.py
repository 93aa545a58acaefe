"""The HTML an inbox receives, and its plain-text part, from an email's copy.

The layout is a template (`templates/email.html`: tables, one stylesheet) whose styles `css-inline` writes into
every element's `style` (email clients ignore stylesheets; only the media queries stay in a `<style>`, for the
clients that read them). The editors' rich text is sanitized by `nh3` (Ammonia) down to the elements the email
renderer makes, its links tagged on the way. Merge tags of automation tools (`{{ first_name }}`,
`%%FirstName%%`, `*|FNAME|*`) are text to all three steps and pass through as written.
"""

from __future__ import annotations

import functools
from pathlib import Path

import css_inline
import jinja2
import msgspec
import nh3

from cms.email.content import EmailContent
from cms.email.links import Utm, tagged_link, tagged_links_in_text
from cms.email.words import words_for

GMAIL_CLIP_BYTES = 102 * 1024
"""Gmail clips a message whose HTML is over 102 KB ("[Message clipped] View entire message")."""

_BODY_TAGS = {"p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "strong", "em", "code", "a", "br", "span"}
_BODY_ATTRIBUTES = {tag: {"style"} for tag in _BODY_TAGS} | {"a": {"style", "href", "target"}}


class EmailTooLargeError(ValueError):
    """The HTML is over what Gmail shows unclipped; the message says by how much and what to cut."""

    def __init__(self, size: int) -> None:
        super().__init__(
            f"the email's HTML is {size:,} bytes, over the {GMAIL_CLIP_BYTES:,} bytes (102 KB) Gmail shows before"
            " clipping it: shorten the body or feature fewer products and tutorials"
        )
        self.size = size


class ComposedEmail(msgspec.Struct, frozen=True):
    html: str
    text: str

    @property
    def html_bytes(self) -> int:
        return len(self.html.encode())


def compose_email(content: EmailContent, utm: Utm) -> ComposedEmail:
    """The ready-to-send HTML and plain text of `content`; EmailTooLargeError when Gmail would clip it."""
    words = words_for(content.locale)
    page = _template().render(
        locale=content.locale,
        subject=content.subject,
        preheader=content.preheader,
        headline=content.headline,
        body_html=jinja2.utils.markupsafe.Markup(sanitized_body(content.body_html, utm)),
        offer=content.offer,
        products=content.products,
        tutorials=content.tutorials,
        words=words,
    )
    html = _inliner().inline(page)
    composed = ComposedEmail(html=html, text=plain_text(content, utm))
    if composed.html_bytes > GMAIL_CLIP_BYTES:
        raise EmailTooLargeError(composed.html_bytes)
    return composed


def sanitized_body(html: str, utm: Utm) -> str:
    """Rich-text HTML reduced to the email renderer's elements (no script, form, image or event handler), its
    links tagged with the UTM parameters they lack."""

    def tag_links(element: str, attribute: str, value: str) -> str | None:
        return tagged_link(value, utm) if element == "a" and attribute == "href" else value

    return nh3.clean(
        html,
        tags=_BODY_TAGS,
        attributes=_BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=tag_links,
        link_rel="noopener noreferrer",
    )


def plain_text(content: EmailContent, utm: Utm) -> str:
    """The text/plain part: the same copy and facts as the HTML, links written out."""
    words = words_for(content.locale)
    parts = [content.headline, tagged_links_in_text(content.body_text, utm)]
    offer = content.offer
    if offer is not None:
        facts = [offer.title + (f" — {offer.discount}" if offer.discount else "")]
        if offer.code:
            facts.append(f"{words['offer.code']} {offer.code}")
        facts += [f"{words['offer.until']} {offer.last_day}", f"{words['offer.shop']}: {offer.url}"]
        parts.append("\n".join(facts))
    if content.products:
        lines = [f"- {p.name}" + (f", {p.price}" if p.price else "") + f": {p.url}" for p in content.products]
        parts.append("\n".join([words["products.title"], *lines]))
    if content.tutorials:
        parts.append("\n".join([words["tutorials.title"], *(f"- {t.title}: {t.url}" for t in content.tutorials)]))
    if offer is not None and offer.legal_terms:
        parts.append(offer.legal_terms)
    return "\n\n".join(part for part in parts if part)


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("email.html")


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    # Media queries cannot be inlined: kept in a <style> for the clients that read them. No remote stylesheets.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
