"""Decoding of untrusted image uploads.

The type is sniffed from the first bytes, never from a file name or a declared MIME type, and Pillow is then told to
try only that one decoder, so a file that claims to be something it is not cannot reach a decoder we did not choose.
Pixel dimensions are checked from the header before any pixel data is decompressed: a 100 kB PNG can declare
100 000 × 100 000 pixels (a "decompression bomb"), and refusing it after `load()` would be too late.

Errors carry the HTTP status the API should answer with (CONTRACT.md "Conventions": 413, 415, 422), so the service
layer can map them without knowing about Pillow.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from PIL import Image, ImageOps

__all__ = [
    "ALLOWED_FORMATS",
    "CorruptImage",
    "DecodedImage",
    "ImageRejected",
    "ImageTooLarge",
    "UnsupportedImage",
    "open_for_matching",
    "open_image",
    "sniff_format",
    "to_gray_array",
]

DEFAULT_MAX_PIXELS: Final = 50_000_000

# Pillow format name -> MIME type. Only these decoders are ever invoked on untrusted bytes.
ALLOWED_FORMATS: Final[dict[str, str]] = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}


class ImageRejected(ValueError):
    """Base for every refusal; `status_code` is what the HTTP layer should answer."""

    status_code: int = 422
    code: str = "corrupt_image"


class UnsupportedImage(ImageRejected):
    status_code = 415
    code = "unsupported_media_type"


class ImageTooLarge(ImageRejected):
    status_code = 413
    code = "image_too_large"


class CorruptImage(ImageRejected):
    status_code = 422
    code = "corrupt_image"


def sniff_format(data: bytes) -> str | None:
    """The Pillow format name implied by the magic bytes, or None if the content is not an accepted type."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    # Classic TIFF only; BigTIFF ("II+\0") is rare for uploads and its decoder path is less hardened.
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    # "BM" followed by a plausible header: two bytes alone would accept too much random text.
    if head.startswith(b"BM") and len(data) >= 26:
        dib_size = int.from_bytes(data[14:18], "little")
        if dib_size in (12, 40, 52, 56, 64, 108, 124):
            return "BMP"
    return None


@dataclass(frozen=True, slots=True)
class DecodedImage:
    """A decoded first frame, EXIF orientation applied, alpha flattened on white.

    `width`/`height` are the full-resolution, oriented dimensions (what a viewer shows). `image` may be smaller when
    it came from the matching fast path; `scale` is `image.width / width`, so a box in `image` pixels divided by
    `scale` is a box in the caller's pixels.
    """

    image: Image.Image
    width: int
    height: int
    format: str
    sha256: str
    scale: float = 1.0

    @property
    def mime_type(self) -> str:
        return ALLOWED_FORMATS[self.format]


def open_image(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> DecodedImage:
    """Decode an upload at full resolution into RGB. Raises UnsupportedImage, ImageTooLarge or CorruptImage."""
    return _decode(data, max_pixels=max_pixels, mode="RGB", min_long_side=None)


def open_for_matching(
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    min_long_side: int = 960,
    mode: Literal["RGB", "L"] = "L",
) -> DecodedImage:
    """Decode for hashing and feature extraction only.

    JPEGs are decoded with `draft()`, i.e. by the libjpeg DCT scaler at 1/2, 1/4 or 1/8 size, keeping the long side at
    least `min_long_side` (a 1920×1080 photo decodes at half size, ~2.5× faster); with `mode="L"` libjpeg skips the colour
    conversion. Other formats are decoded fully and reduced with a box filter to the same size. The result is never
    upscaled.
    """
    return _decode(data, max_pixels=max_pixels, mode=mode, min_long_side=min_long_side)


def to_gray_array(image: Image.Image) -> np.ndarray:
    """uint8 luminance array (ITU-R 601, as Pillow's "L")."""
    if image.mode != "L":
        image = image.convert("L")
    return np.asarray(image)


def _open_header(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("image data must be bytes")
    fmt = sniff_format(bytes(data[:32]))
    if fmt is None:
        raise UnsupportedImage("not a JPEG, PNG, WebP, GIF, TIFF or BMP image")
    # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that, during open(). Our own limit is applied right
    # after, from the same header, so its warning is turned into the refusal it announces instead of escaping.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"image dimensions exceed the limit ({exc})") from None
    except Image.UnidentifiedImageError:
        # The magic bytes promised `fmt` and its decoder cannot read the header: a lie about the type or a broken one.
        raise UnsupportedImage(f"content is not a valid {fmt} image") from None
    except Exception as exc:  # decoders raise a zoo (SyntaxError, struct.error, OSError, ValueError...) on bad headers
        raise CorruptImage(f"unreadable {fmt} header: {type(exc).__name__}") from None
    width, height = im.size
    if width <= 0 or height <= 0:
        raise CorruptImage("image has no pixels")
    if width * height > max_pixels:
        raise ImageTooLarge(f"{width}x{height} pixels exceeds the limit of {max_pixels}")
    return im, fmt


def _decode(data: bytes, *, max_pixels: int, mode: str, min_long_side: int | None) -> DecodedImage:
    im, fmt = _open_header(data, max_pixels)
    sha256 = hashlib.sha256(data).hexdigest()
    width, height = im.size
    if _orientation(im) in (5, 6, 7, 8):  # EXIF orientations that turn the picture by 90°
        width, height = height, width
    try:
        if min_long_side is not None and fmt == "JPEG" and max(width, height) > min_long_side:
            ratio = min_long_side / max(width, height)
            im.draft(mode, (max(1, round(im.width * ratio)), max(1, round(im.height * ratio))))
        im.load()
        flat = _flatten(_exif_transpose(im), mode)
    except ImageRejected:
        raise
    except Exception as exc:  # truncated data, bad chunks, decoder errors: all mean the file is broken
        raise CorruptImage(f"cannot decode {fmt} image: {type(exc).__name__}: {exc}") from None
    finally:
        im.close()
    if min_long_side is not None:
        flat = _shrink(flat, min_long_side)
    return DecodedImage(image=flat, width=width, height=height, format=fmt, sha256=sha256, scale=flat.width / width)


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
        return value if isinstance(value, int) and 1 <= value <= 8 else 1
    except Exception:  # unreadable EXIF: treat as upright, as _exif_transpose does
        return 1


def _exif_transpose(im: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(im)
    except Exception:  # a malformed EXIF block should not make the picture itself unreadable
        return im


def _flatten(im: Image.Image, mode: str) -> Image.Image:
    """RGB (or L) with alpha composited on white and high bit depths scaled, not clipped."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        im = _high_depth_to_l(im)
    elif im.mode == "1":
        im = im.convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode in ("PA", "La", "RGBa"):
        im = im.convert("RGBA")
    if im.mode in ("LA", "RGBA"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba).convert("RGB")
    if im.mode != mode:
        im = im.convert(mode)
    return im


def _high_depth_to_l(im: Image.Image) -> Image.Image:
    """16-bit and 32-bit single-channel images: Pillow's convert("L") clips at 255, which whitens a 16-bit scan."""
    arr = np.asarray(im)
    if im.mode == "F":
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scaled = (np.nan_to_num(arr, nan=lo) - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")
    arr = arr.astype(np.int64)
    hi = int(arr.max()) if arr.size else 0
    if im.mode == "I" and hi > 65535:  # genuinely 32-bit data: stretch its own range
        lo = int(arr.min())
        arr = (arr - lo) * 255 // max(1, hi - lo)
    else:
        arr = np.clip(arr, 0, 65535) // 257 if hi > 255 or im.mode != "I" else np.clip(arr, 0, 255)
    return Image.fromarray(arr.astype(np.uint8), mode="L")


def _shrink(im: Image.Image, min_long_side: int) -> Image.Image:
    """Box-reduce by an integer factor while the long side stays >= min_long_side (cheap, like the JPEG scaler)."""
    factor = max(im.size) // min_long_side
    if factor >= 2:
        return im.reduce(factor)
    return im
