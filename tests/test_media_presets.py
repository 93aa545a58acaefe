"""Image presets in channels.toml: checked at load time, each problem naming its file, key and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.model import load_model
from cms.model.loader import read_model
from tests.model_copies import break_file, copy_shipped_model

WEB_400 = 'web_400 = { width = 400, formats = ["webp", "avif"] }'
SOCIAL_CARD = 'social_card = { width = 1200, height = 630, fit = "cover", formats = ["jpeg", "webp"], quality = 85 }'

BROKEN_PRESETS = [
    pytest.param(WEB_400, "web_400 = { width = 0 }", "channels.web.images.web_400.width", "positive", id="zero-width"),
    pytest.param(WEB_400, 'web_400 = { width = 400, formats = ["gif"] }', "channels.web.images.web_400.formats",
                 "unknown format 'gif' (known: webp, avif, jpeg, png)", id="unknown-format"),
    pytest.param(WEB_400, "web_400 = { width = 400, formats = [] }", "channels.web.images.web_400.formats",
                 "at least one format", id="no-format"),
    pytest.param(WEB_400, 'web_400 = { width = 400, formats = ["webp", "webp"] }',
                 "channels.web.images.web_400.formats", "listed twice", id="format-twice"),
    pytest.param(WEB_400, "web_400 = { width = 400, height = 300 }", "channels.web.images.web_400.height",
                 'only applies to fit = "contain" or "cover"', id="height-without-crop"),
    pytest.param(SOCIAL_CARD, 'social_card = { width = 1200, fit = "cover" }',
                 "channels.social.images.social_card.height", 'fit = "cover" needs a positive height', id="no-height"),
    pytest.param(SOCIAL_CARD, 'social_card = { width = 1200, height = -630, fit = "cover" }',
                 "channels.social.images.social_card.height", "positive height", id="negative-height"),
    pytest.param(WEB_400, "web_400 = { width = 400, quality = 0 }", "channels.web.images.web_400.quality",
                 "between 1 and 100", id="quality"),
    pytest.param(WEB_400, "app_640 = { width = 400 }", "channels.app.images.app_640",
                 "already declared by channel 'web'", id="name-used-by-another-channel"),
    pytest.param(WEB_400, '"Web 400" = { width = 400 }', "channels.web.images.Web 400", "lower-case", id="bad-name"),
    # msgspec decodes the preset table, so its path names no preset: `images[...]`.
    pytest.param(WEB_400, 'web_400 = { width = 400, fit = "stretch" }', "channels.web.images[...].fit",
                 "invalid enum value 'stretch'", id="unknown-fit"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key", "reason"), BROKEN_PRESETS)
def test_a_broken_preset_names_its_key_and_reason(tmp_path: Path, old: str, new: str, key: str, reason: str) -> None:
    model_dir = copy_shipped_model(tmp_path)
    break_file(model_dir, "channels.toml", old, new)
    _, problems = read_model(model_dir)
    assert [(problem.file, problem.key) for problem in problems] == [("channels.toml", key)]
    assert reason in problems[0].reason


def test_the_shipped_channels_have_their_presets(tmp_path: Path) -> None:
    model = load_model(copy_shipped_model(tmp_path))
    presets = {name: channel.images for name, channel in model.channels.items()}
    assert {name: sorted(images) for name, images in presets.items()} == {
        "web": ["web_1600", "web_400", "web_800"],
        "app": ["app_1280", "app_640"],
        "kiosk": ["kiosk_hd"],
        "email": ["email_600"],
        "social": ["social_card", "social_square"],
        "assistant": [],
        "web_ch": [],
    }
    assert presets["email"]["email_600"].formats == ("jpeg",)
    assert (presets["kiosk"]["kiosk_hd"].width, presets["kiosk"]["kiosk_hd"].height) == (1920, 1080)
