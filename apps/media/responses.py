"""Serving a stored file to someone already allowed to see it.

Local files stream from the view, with byte ranges so that a browser can seek in a video (it
asks for ``Range: bytes=...``; Django's FileResponse always sends the whole file). Files in S3
are not proxied: the view redirects to a signed URL that expires within minutes.
"""

import re
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class RangeNotSatisfiable(Exception):
    pass


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``Range`` header, or None to send the whole file.

    Several ranges at once are answered with the whole file, as RFC 9110 allows.
    """
    match = RANGE.match(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable
    return start, end


def _chunks(handle: IO[bytes], length: int) -> Iterator[bytes]:
    with handle:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


def _local(
    request: HttpRequest, field: FieldFile, content_type: str, name: str
) -> HttpResponseBase:
    stored = str(field.name)
    size = field.storage.size(stored)
    try:
        span = requested_range(request.headers.get("Range", ""), size)
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    handle = field.storage.open(stored, "rb")
    response: HttpResponseBase
    if span is None:
        response = FileResponse(handle, content_type=content_type, filename=name)
    else:
        start, end = span
        handle.seek(start)
        response = StreamingHttpResponse(
            _chunks(handle, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Accept-Ranges"] = "bytes"
    return response


def stored_file_response(
    request: HttpRequest, field: FieldFile, *, content_type: str, name: str
) -> HttpResponseBase:
    """The file itself (local storage) or a redirect to a short-lived signed URL (S3)."""
    if isinstance(field.storage, FileSystemStorage):
        response = _local(request, field, content_type, name)
    else:
        url = field.storage.url(  # type: ignore[call-arg]
            field.name,
            expire=settings.MEDIA_URL_EXPIRY_SECONDS,
            parameters={"ResponseContentDisposition": f'inline; filename="{name}"'},
        )
        response = redirect(url)
    # Health data: no shared or browser cache keeps it, signed URL included.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
