"""What an upload really is, read from its bytes, and images made safe to keep.

The browser's name and declared type are the uploader's to choose: a script renamed .jpg says
image/jpeg. The type is read from the file's first bytes (``filetype``) and an image is decoded
and written again by Pillow, which keeps the pixels and drops every piece of metadata (GPS
position, camera serial, date taken).
"""

import struct
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

import filetype  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
VIDEO_TYPES = {"video/mp4", "video/webm", "video/quicktime"}
ACCEPT = ",".join([*IMAGE_TYPES, *sorted(VIDEO_TYPES)])
REFUSED = "Upload a photo (JPEG, PNG or WebP) or a video (MP4, WebM or MOV)."
UNREADABLE = "This image could not be read: it may be damaged or incomplete."
THUMBNAIL_SIZE = (480, 480)
# Modes each format can write; anything else is converted first.
WRITABLE_MODES = {"JPEG": {"L", "RGB", "CMYK"}, "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"}}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    thumbnail: bytes


def detected_type(upload: IO[bytes]) -> str:
    """The MIME type the content itself shows, or a ValidationError if it is not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in IMAGE_TYPES and mime not in VIDEO_TYPES:
        raise ValidationError({"file": REFUSED})
    return mime


def _decoded(upload: IO[bytes], pillow_format: str) -> Image.Image:
    """The image's pixels, refusing decompression bombs and damaged files alike."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: a bomb all the same.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[pillow_format]) as image:
                image.load()
                return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"file": "This image has too many pixels."}) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        # Pillow's decoders fail on damaged input in any of these ways: all are a bad upload.
        raise ValidationError({"file": UNREADABLE}) from None


def _encoded(image: Image.Image, pillow_format: str, icc_profile: bytes | None) -> bytes:
    modes = WRITABLE_MODES.get(pillow_format, {"RGB", "RGBA"})
    if image.mode not in modes:
        image = image.convert("RGBA" if "A" in image.getbands() and "RGBA" in modes else "RGB")
    # No metadata is carried over: Pillow writes EXIF or XMP only when given them.
    image.info = {}
    out = BytesIO()
    options: dict[str, bytes | int] = {"icc_profile": icc_profile} if icc_profile else {}
    if pillow_format in ("JPEG", "WEBP"):
        options["quality"] = 90
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


def image_clean(upload: IO[bytes], content_type: str) -> CleanImage:
    """The image re-encoded in its own format, upright, without metadata; and a thumbnail."""
    pillow_format = IMAGE_TYPES[content_type]
    image = _decoded(upload, pillow_format)
    icc_profile = image.info.get("icc_profile")
    data = _encoded(image.copy(), pillow_format, icc_profile)
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    return CleanImage(data=data, thumbnail=_encoded(small, pillow_format, icc_profile))
