"""Read an upload's multipart form as it streams in: the file is refused the moment it passes the size limit,
and nothing is spooled to disk (the image is decoded from memory anyway)."""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from cms.media.errors import UploadRefused
from cms.media.upload import too_large_refusal

FORM_ALLOWANCE = 64 * 1024
"""Bytes allowed around the file in a multipart body: boundaries, part headers, alt texts."""
MAX_PARTS = 32
MAX_TEXT_BYTES = 8 * 1024
NO_FILE = "send one image as a multipart/form-data file field named `file`"


@dataclass
class UploadForm:
    file: bytearray | None = None
    filename: str = ""
    declared_type: str | None = None
    alt: dict[str, str] = field(default_factory=dict)


async def read_upload_form(request: Request[Any, Any, Any], max_file_bytes: int) -> UploadForm:
    media_type, options = request.content_type
    if media_type != "multipart/form-data" or not options.get("boundary"):
        raise UploadRefused(NO_FILE, 400, code="no_file")
    max_body = max_file_bytes + FORM_ALLOWANCE
    if int(request.headers.get("content-length") or 0) > max_body:
        raise too_large_refusal(max_file_bytes)  # refused before a byte of the body is read
    form, received = _FormBuilder(max_file_bytes), 0
    try:
        with PushMultipartParser(options["boundary"].encode(), max_segment_count=MAX_PARTS) as parser:
            async with aclosing(request.stream()) as chunks:
                async for chunk in chunks:
                    received += len(chunk)
                    if received > max_body:
                        raise too_large_refusal(max_file_bytes)
                    for event in parser.parse(chunk):
                        form.take(event)
    except MultipartError as error:
        raise UploadRefused(f"the multipart form cannot be read ({error}): {NO_FILE}", 400) from None
    if form.result.file is None:
        raise UploadRefused(NO_FILE, 400, code="no_file")
    return form.result


class _FormBuilder:
    def __init__(self, max_file_bytes: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.result = UploadForm()
        self.segment: MultipartSegment | None = None
        self.body = bytearray()

    def take(self, event: MultipartSegment | bytes | bytearray | None) -> None:
        if isinstance(event, MultipartSegment):
            self.segment, self.body = event, bytearray()
        elif event is not None:
            self.body += event
            if self._is_file() and len(self.body) > self.max_file_bytes:
                raise too_large_refusal(self.max_file_bytes)
            if not self._is_file() and len(self.body) > MAX_TEXT_BYTES:
                raise UploadRefused(f"the form field {self._name()!r} is over {MAX_TEXT_BYTES} bytes", 400)
        elif self.segment is not None:
            self._finish(self.segment)

    def _finish(self, segment: MultipartSegment) -> None:
        if self._is_file():
            if self.result.file is not None:
                raise UploadRefused(f"one image per request: {NO_FILE}", 400)
            self.result.file, self.result.filename = self.body, segment.filename or ""
            self.result.declared_type = segment.header("Content-Type")
        elif self._name().startswith("alt.") and segment.filename is None:
            self.result.alt[self._name().removeprefix("alt.")] = self.body.decode(segment.charset or "utf-8", "replace")
        self.segment = None

    def _is_file(self) -> bool:
        return self.segment is not None and self.segment.name == "file" and self.segment.filename is not None

    def _name(self) -> str:
        return (self.segment.name if self.segment else None) or ""
