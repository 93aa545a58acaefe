"""The GraphQL multipart request spec (`operations`, `map`, files) for uploads through `POST /graphql`.

Read as the body streams in, with the parser Litestar uses; the size limit is enforced while reading.
Files land in the variables as `UploadedFile`s, which the `Upload` scalar passes through untouched.
"""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from cms.lib.graphql_http import BadRequestError, GraphQLRequest, checked_request, decode_json

TEXT_LIMIT = 256 * 1024
SPEC = "send `operations`, `map` and the files (GraphQL multipart request spec)"


class PayloadTooLargeError(BadRequestError):
    status = 413


@dataclass
class UploadedFile:
    data: bytes
    filename: str
    content_type: str | None


@dataclass
class _Parts:
    texts: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)


async def read_multipart_graphql(request: Request[Any, Any, Any], max_file_bytes: int) -> GraphQLRequest:
    _, options = request.content_type
    if not options.get("boundary"):
        raise BadRequestError(f"multipart request without a boundary: {SPEC}")
    parts = await _read_parts(request, options["boundary"].encode(), max_file_bytes)
    if "operations" not in parts.texts:
        raise BadRequestError(f"missing `operations` part: {SPEC}")
    operations = decode_json(parts.texts["operations"], "`operations`")
    mapping = decode_json(parts.texts.get("map", b"{}"), "`map`")
    if not isinstance(operations, dict) or not isinstance(mapping, dict):
        raise BadRequestError(f"`operations` and `map` must be JSON objects: {SPEC}")
    for key, paths in mapping.items():
        if key not in parts.files:
            raise BadRequestError(f"`map` names file part {key!r}, which was not sent")
        for path in paths if isinstance(paths, list) else []:
            _place(operations, str(path), parts.files[key])
    return checked_request(operations)


async def _read_parts(request: Request[Any, Any, Any], boundary: bytes, max_file_bytes: int) -> _Parts:
    parts, segment, body, received = _Parts(), None, bytearray(), 0
    limit = max_file_bytes + TEXT_LIMIT
    try:
        with PushMultipartParser(boundary, max_segment_count=16) as parser:
            async with aclosing(request.stream()) as chunks:
                async for chunk in chunks:
                    received += len(chunk)
                    if received > limit:
                        raise PayloadTooLargeError(f"the upload is over {max_file_bytes} bytes")
                    for event in parser.parse(chunk):
                        if isinstance(event, MultipartSegment):
                            segment, body = event, bytearray()
                        elif event is not None:
                            body += event
                        elif segment is not None:
                            _keep(parts, segment, bytes(body))
    except MultipartError as error:
        raise BadRequestError(f"the multipart body cannot be read ({error}): {SPEC}") from None
    return parts


def _keep(parts: _Parts, segment: MultipartSegment, body: bytes) -> None:
    name = segment.name or ""
    if segment.filename is not None:
        parts.files[name] = UploadedFile(body, segment.filename, segment.header("Content-Type"))
    elif len(body) > TEXT_LIMIT:
        raise PayloadTooLargeError(f"the form field {name!r} is over {TEXT_LIMIT} bytes")
    else:
        parts.texts[name] = body


def _place(operations: dict[str, Any], path: str, upload: UploadedFile) -> None:
    """Put the file where `map` says, e.g. `variables.file` or `variables.files.0`."""
    *parents, last = path.split(".")
    target: Any = operations
    try:
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = upload
        else:
            target[last] = upload
    except (KeyError, IndexError, ValueError, TypeError):
        raise BadRequestError(f"`map` path {path!r} does not exist in `operations`") from None
