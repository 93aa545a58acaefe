"""Read an export file line by line: each line decoded to its record, or a refusal naming line and field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from cms.transfer.records import FORMAT, FORMAT_VERSION, End, Header, Line, line_decoder


class Refusal(msgspec.Struct, frozen=True):
    """Why one line cannot be imported: `path` names the field inside the record (`versions[2].data.base.en.price`)."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.path or '(record)'}: {self.reason}"


class UnreadableFile(Exception):
    """The file as a whole cannot be imported (another format, another model, cut short): nothing is applied."""


_AT = re.compile(r" - at `\$\.?(.*)`$")


def decode_line(number: int, text: bytes) -> Line | Refusal:
    try:
        return line_decoder.decode(text)
    except msgspec.ValidationError as error:
        message = str(error)
        located = _AT.search(message)
        path = located.group(1) if located else ""
        return Refusal(number, path, _AT.sub("", message))
    except msgspec.DecodeError as error:
        return Refusal(number, "", f"not a JSON record ({error}): the line is cut short or damaged")


def read_header(path: Path) -> Header:
    """The file's header; UnreadableFile when it is not an export file of this format version."""
    with path.open("rb") as stream:
        first = stream.readline()
    decoded = decode_line(1, first) if first.strip() else Refusal(1, "", "the file is empty")
    if not isinstance(decoded, Header) or decoded.format != FORMAT:
        raise UnreadableFile(f"{path}: line 1 is not the header of a {FORMAT} file")
    if decoded.version != FORMAT_VERSION:
        raise UnreadableFile(
            f"{path}: format version {decoded.version}, but this CMS reads version {FORMAT_VERSION}: "
            "export it again with the same version of the CMS as this one, or upgrade this one"
        )
    return decoded


def records(path: Path) -> Iterator[tuple[int, Line | Refusal]]:
    """Every line after the header, numbered from 2, decoded. The end line is checked: a file without it, or
    whose count differs, was cut short (UnreadableFile); so is a last line without its newline."""
    count, ended = 0, False
    with path.open("rb") as stream:
        stream.readline()
        for number, text in enumerate(stream, start=2):
            if ended:
                raise UnreadableFile(f"{path}: line {number}: a line after the end line")
            if not text.endswith(b"\n"):
                raise UnreadableFile(f"{path}: line {number} has no end of line: the file was cut short")
            decoded = decode_line(number, text)
            if isinstance(decoded, End):
                if decoded.records != count:
                    raise UnreadableFile(
                        f"{path}: line {number}: the end line counts {decoded.records} records, the file has {count}"
                    )
                ended = True
                continue
            if isinstance(decoded, Header):
                decoded = Refusal(number, "type", "a second header")
            count += 1
            yield number, decoded
    if not ended:
        raise UnreadableFile(f"{path}: no end line: the file was cut short (export it again)")
