"""Why a campaign cannot be launched (or its launch cancelled), naming the field, in English and French."""

from __future__ import annotations

from typing import Any

from cms.workflow.errors import InvalidStateError


class CampaignRefused(InvalidStateError):
    """A refusal with the campaign field it is about; `message` is English, `extensions.messages` both languages.

    `code` is `INVALID_STATE` unless given (`LINT` when the consistency gate refuses a member).
    """

    def __init__(self, field: str, english: str, french: str, *, code: str | None = None, **extensions: Any) -> None:
        super().__init__(
            f"campaign field `{field}`: {english}",
            field=field,
            messages={"en": f"campaign field `{field}`: {english}", "fr": f"champ de campagne « {field} » : {french}"},
            **extensions,
        )
        if code is not None:
            self.code = code

    def message_in(self, language: str) -> str:
        messages: dict[str, str] = self.extensions["messages"]
        return messages.get(language, self.message)
