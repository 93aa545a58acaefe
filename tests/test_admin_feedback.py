"""The entry editor's live feedback: lint panel, budget counters and previews per channel on unsaved data."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pytest

import cms.admin
from cms.admin.feedback import FieldCounters, LintPanel, feedback, feedback_context
from cms.admin.feedback_previews import Clip, Preview
from cms.admin.i18n import Translator
from cms.admin.problems import ProblemWords
from cms.consistency import OfferFacts, count_length, graphemes
from cms.model import ContentModel, load_model
from cms.model.entry_data import EntryData
from tests.demo_data import DemoEntry, demo_entries

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
"""One grapheme, seven code points."""
TEMPLATES = Path(cms.admin.__file__).parent / "templates"
IN_SPRING = dt.datetime(2026, 3, 25, 12, 0, tzinfo=dt.UTC)


SHOWN = {"product": "forge-chefs-knife", "brand_message": "spring-collection-2026"}
"""The demo entry each type's tests start from."""


@functools.cache
def _demo() -> list[DemoEntry]:
    return demo_entries()


def demo(type_name: str) -> EntryData:
    """A fresh copy of the type's demo entry named in SHOWN, as the editor would post it."""
    entry = next(entry for entry in _demo() if (entry.content_type, entry.slug) == (type_name, SHOWN[type_name]))
    return EntryData(base=copy.deepcopy(entry.base), overrides=copy.deepcopy(entry.overrides))


def preview_of(context: dict[str, Any], channel: str) -> Preview:
    return next(preview for preview in context["previews"] if preview.channel == channel)


def counters_of(context: dict[str, Any], element_id: str) -> FieldCounters:
    return next(counters for counters in context["counters"] if counters.element_id == element_id)


def render_feedback(context: dict[str, Any], language: str = "en") -> str:
    """The fragment as the admin renders it (Litestar's Jinja environment autoescapes too)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    template = environment.get_template("admin/entries/_feedback.html")
    words = ProblemWords(Translator(language), load_model(Path(cms.admin.__file__).parents[2] / "content_types"))
    return template.render(**context, lang=language, t=Translator(language), say=words)


def spring_sale() -> OfferFacts:
    return OfferFacts(
        slug="spring-sale",
        discount_kind="percent",
        discount_percent=Decimal("25"),
        starts_at=dt.datetime(2026, 3, 19, 23, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 4, 5, 22, 0, tzinfo=dt.UTC),
        title={"en": "Spring garden days"},
    )


# --- lint panel ----------------------------------------------------------------------------------


async def test_a_forbidden_term_in_a_product_name_is_an_error_naming_field_locale_and_span(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["en"]["name"] = "Forge knife, cheap and sharp"

    context = await feedback_context(model, "product", data, locale="en", channel=None)

    lint: LintPanel = context["lint"]
    [view] = [view for view in lint.errors if view.finding.rule == "forbidden_term"]
    assert (view.finding.field, view.finding.locale, view.finding.channel) == ("name", "en", None)
    assert (view.field["en"], view.field["fr"], view.channel) == ("Name", "Nom", None)
    assert view.excerpt is not None
    assert (view.excerpt.before, view.excerpt.marked, view.excerpt.after) == ("Forge knife, ", "cheap", " and sharp")
    assert view.finding.suggestion == "affordable, good value"
    assert lint.score <= 75


async def test_the_demo_product_has_no_errors(model: ContentModel, clean_db: None) -> None:
    context = await feedback_context(model, "product", demo("product"), locale="fr", channel="kiosk")

    assert context["lint"].errors == []


async def test_values_the_form_would_refuse_are_left_out_instead_of_breaking_feedback(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["en"]["price"] = {"amount": "12,", "currency": "EUR"}  # half typed
    data.base["en"]["name"] = ""
    data.base["fr"]["name"] = "Couteau de chef Forge"

    context = await feedback_context(model, "product", data, locale="fr", channel="web")

    web = preview_of(context, "web")
    assert web.price is None
    assert web.title is not None and web.title.shown == "Couteau de chef Forge"


# --- counters ------------------------------------------------------------------------------------


async def test_the_kiosk_counter_counts_an_emoji_sequence_as_one_and_shows_the_hard_state(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["en"]["name"] = f"Lamp {FAMILY} " + "x" * 34  # 41 graphemes, 47 code points

    context = await feedback_context(model, "product", data, locale="en", channel="kiosk")

    counts = {count.channel: count for count in counters_of(context, "counters-base-en-name").counts}
    assert (counts["kiosk"].length, counts["kiosk"].limit, counts["kiosk"].state) == (41, 40, "hard")
    assert (counts["app"].length, counts["app"].limit, counts["app"].state) == (41, 60, "ok")
    [override] = counters_of(context, "counters-overrides-kiosk-en-name").counts
    assert (override.channel, override.length, override.state, override.source) == ("kiosk", 41, "hard", "base")
    html = render_feedback(context)
    assert 'id="counters-base-en-name" hx-swap-oob="true"' in html
    assert "41/40" in html and "over the limit by 1" in html


async def test_a_counter_under_the_base_field_counts_the_channels_override_where_there_is_one(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["en"]["name"] = "A name well within every budget of every channel"  # 48: over app's soft 45
    data.overrides["kiosk"] = {"en": {"name": "Forge knife"}}

    context = await feedback_context(model, "product", data, locale="en", channel=None)

    counts = {count.channel: count for count in counters_of(context, "counters-base-en-name").counts}
    assert (counts["kiosk"].length, counts["kiosk"].state, counts["kiosk"].source) == (11, "ok", "override")
    assert (counts["app"].length, counts["app"].state, counts["app"].source) == (48, "soft", None)
    assert not any(c.element_id.startswith("counters-overrides-") for c in context["counters"])


async def test_counters_of_french_fields_say_they_fall_back_to_english(model: ContentModel, clean_db: None) -> None:
    data = demo("product")
    del data.base["fr"]["name"]

    context = await feedback_context(model, "product", data, locale="fr", channel=None)

    counts = counters_of(context, "counters-base-fr-name").counts
    assert {count.source for count in counts} == {"en"}
    assert {count.length for count in counts} == {len("Forge chef’s knife")}


# --- previews ------------------------------------------------------------------------------------


async def test_the_social_preview_cuts_a_brand_message_at_the_hard_budget_and_marks_the_fold(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("brand_message")
    post = "Spring is here. " + "🌷" * 140  # x_weighted: 16 + 2 × 140 = 296 > 280, and 156 code points
    data.overrides["social"]["en"]["social_text"] = post

    context = await feedback_context(model, "brand_message", data, locale="en", channel="social")

    social = context["previews"][0]
    assert (social.channel, social.layout, social.current) == ("social", "post", True)
    clip = social.text
    assert clip is not None and clip.cut
    assert clip.shown + clip.folded + clip.cut == post
    assert count_length(clip.shown, "x_weighted") <= 250 < count_length(clip.shown + "🌷", "x_weighted")
    assert count_length(clip.shown + clip.folded + "…", "x_weighted") <= 280
    html = render_feedback(context)
    assert "✂ cut here: at most 280 are served" in html
    assert "visible before “more”" in html


async def test_the_email_preview_is_an_inbox_row_with_subject_preheader_and_a_sandboxed_body(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("brand_message")
    data.base["en"]["subject_line"] = "Our spring collection is here, with rattan, linen and terracotta"  # 65
    data.base["en"]["body"]["blocks"][0]["children"][0]["text"] = "<script>alert('body')</script>"

    context = await feedback_context(model, "brand_message", data, locale="en", channel=None)

    email = preview_of(context, "email")
    assert (email.layout, email.sender) == ("inbox", "Maison Lumen")
    assert email.title is not None and email.text is not None
    assert (len(graphemes(email.title.shown)), email.title.folded) == (50, "and terracotta")  # soft: 50
    assert email.text.shown == "Rattan, linen and terracotta to let the light back in."
    html = render_feedback(context)
    assert "Our spring collection is here, with rattan, linen…" in html
    subject = 'title="Our spring collection is here, with rattan, linen and terracotta">'
    assert f'<span class="inbox-subject" {subject}Our spring collection is here, with rattan, linen…</span>' in html
    assert '<iframe class="email-body" sandbox srcdoc="' in html
    assert "<script>alert" not in html
    assert "&amp;lt;script&amp;gt;" in html  # escaped by the email renderer, then again into srcdoc


async def test_a_french_preview_without_french_values_shows_the_english_fallback(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["fr"] = {"name": "", "summary": ""}  # the French tab, left empty

    context = await feedback_context(model, "product", data, locale="fr", channel="web")

    web = context["previews"][0]
    assert (web.channel, web.locale, web.layout) == ("web", "fr", "card")
    assert web.title is not None and web.title.shown == "Forge chef’s knife"
    assert web.text is not None and web.text.shown.startswith("A forged chef’s knife")
    assert web.price == "89,00\xa0€"  # money is still formatted for the locale, as delivery does


async def test_previews_show_only_what_each_channel_exposes(model: ContentModel, clean_db: None) -> None:
    context = await feedback_context(model, "product", demo("product"), locale="en", channel="kiosk")

    by_channel = {preview.channel: preview for preview in context["previews"]}
    assert context["previews"][0].channel == "kiosk"
    assert set(by_channel) == {"web", "app", "kiosk", "email", "social", "assistant", "web_ch"}
    assert by_channel["kiosk"].details == [({"en": "Store aisle", "fr": "Allée en magasin"}, "A03")]
    assert by_channel["web"].details == []
    assert by_channel["social"].text is not None and by_channel["social"].text.shown.startswith("Forged in Thiers")


def test_offer_tokens_render_in_previews_as_delivery_renders_them(model: ContentModel) -> None:
    data = demo("brand_message")
    data.base["en"]["headline"] = "Save {{offer:spring-sale.discount}} on the garden."
    offers = {"spring-sale": spring_sale()}
    content_type = model.types["brand_message"]

    during = feedback(model, content_type, data, "en", "web", offers, {}, IN_SPRING)
    after = feedback(model, content_type, data, "en", "web", offers, {}, IN_SPRING + dt.timedelta(days=30))

    assert preview_of(during, "web").text == Clip("Save 25% on the garden.")
    assert preview_of(after, "web").text is None  # the sentence naming an ended offer is withheld


# --- the rendered fragment -----------------------------------------------------------------------


async def test_the_panel_escapes_editor_text_and_says_errors_block_publishing(
    model: ContentModel, clean_db: None
) -> None:
    data = demo("product")
    data.base["en"]["name"] = "<script>alert(1)</script> cheap knife"

    html = render_feedback(await feedback_context(model, "product", data, locale="en", channel="web"))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>cheap</mark> knife" in html
    assert 'role="status"' in html
    assert "Errors block publishing" in html
    assert "all channels" in html


@pytest.mark.parametrize(
    ("language", "clean", "label"), [("en", "No problems.", "Name"), ("fr", "Aucun problème.", "Nom")]
)
async def test_a_clean_entry_says_so_in_the_admin_language(
    model: ContentModel, clean_db: None, language: str, clean: str, label: str
) -> None:
    data = EntryData(base={"en": {"name": "Rattan pendant", "slug": "rattan-pendant"}})
    clean_context = await feedback_context(model, "product", data, locale="en", channel=None)
    data.base["en"]["name"] = "Cheap rattan pendant"
    dirty_context = await feedback_context(model, "product", data, locale="en", channel=None)

    assert clean in render_feedback(clean_context, language)
    assert f"<strong>{label}</strong>" in render_feedback(dirty_context, language)


def test_card_previews_show_the_channels_own_rendition_with_alt_text_in_the_locale(model: ContentModel) -> None:
    data = demo("product")
    data.base["en"]["images"] = ["asset-1"]
    rendition = {"width": 640, "height": 480}
    asset = {
        "id": "asset-1",
        "width": 960,
        "height": 720,
        "alt": {"en": "A knife on a board"},
        "blurhash": None,
        "dominantColor": "#808080",
        "focalPoint": {"x": 0.5, "y": 0.5},
        "renditions": {
            "app_640": {**rendition, "channel": "app", "urls": {"webp": "/media/asset-1/app_640?v=1"}},
            "kiosk_hd": {**rendition, "channel": "kiosk", "urls": {"webp": "/media/asset-1/kiosk_hd?v=1"}},
        },
    }

    context = feedback(model, model.types["product"], data, "fr", None, {}, {"asset-1": asset}, IN_SPRING)

    kiosk = preview_of(context, "kiosk")
    assert kiosk.image is not None
    assert (kiosk.image.url, kiosk.image.alt) == ("/media/asset-1/kiosk_hd?v=1", "A knife on a board")
    assert preview_of(context, "web").image is None  # no web rendition: the web card shows none
