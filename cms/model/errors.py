"""Problems found in a content model: each names the file, the key and the reason."""

from __future__ import annotations

import msgspec


class ModelProblem(msgspec.Struct, frozen=True):
    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}" if self.key else f"{self.file}: {self.reason}"


class InvalidModelError(Exception):
    """The content model cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"the content model has {len(problems)} problem(s):\n{lines}")
