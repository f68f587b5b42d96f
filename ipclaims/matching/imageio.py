"""Decoding of untrusted image uploads.

The type is sniffed from the first bytes, never from a file name or a declared MIME type, and Pillow is then told to
try only that one decoder, so a file that claims to be something it is not cannot reach a decoder we did not choose.
Pixel dimensions are checked from the header before any pixel data is decompressed: a 100 kB PNG can declare
100 000 × 100 000 pixels (a "decompression bomb"), and refusing it after `load()` would be too late.

Errors carry the HTTP status the API should answer with (CONTRACT.md "Conventions": 413, 415, 422), so the service
layer can map them without knowing about Pillow.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import warnings
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from PIL import Image

__all__ = [
    "ALLOWED_FORMATS",
    "CorruptImage",
    "DecodedImage",
    "ImageRejected",
    "ImageTooLarge",
    "ImageTooSmall",
    "UnsupportedImage",
    "open_for_matching",
    "open_image",
    "sniff_format",
    "to_gray_array",
]

DEFAULT_MAX_PIXELS: Final = 50_000_000
# Narrower than this on either side and there is nothing to recognise (a rule, a 1-pixel strip, a favicon); OpenCV's
# feature pyramid cannot even be built on a 1-2 px image. Refused as 422 rather than indexed as noise.
MIN_SIDE: Final = 16
# A decode that needs more than this many pixels in memory at once (any non-JPEG, or a JPEG the DCT scaler cannot
# reduce) takes one of LARGE_DECODE_SLOTS turns per process: a 50 MP PNG holds ~200-400 MB while it is converted and
# reduced, and a threadpool of requests decoding such files at once must not multiply that.
LARGE_DECODE_PIXELS: Final = 8_000_000
LARGE_DECODE_SLOTS: Final = 2
_large_decodes = threading.BoundedSemaphore(LARGE_DECODE_SLOTS)

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


class ImageTooSmall(ImageRejected):
    status_code = 422
    code = "image_too_small"


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
    # Pillow warns above its own MAX_IMAGE_PIXELS (~89 MP) and raises above twice that, during open(). Our limit
    # (`max_pixels`, from IPCLAIMS_MAX_IMAGE_PIXELS) is applied right after, from the same header and before any pixel
    # is decoded, so Pillow's warning is silenced and its hard error (~179 MP, a ceiling on any setting) refused.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as exc:
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
    if min(width, height) < MIN_SIDE:
        raise ImageTooSmall(f"{width}x{height} pixels is too small to match (at least {MIN_SIDE} px on each side)")
    return im, fmt


def _decode(data: bytes, *, max_pixels: int, mode: str, min_long_side: int | None) -> DecodedImage:
    im, fmt = _open_header(data, max_pixels)
    sha256 = hashlib.sha256(data).hexdigest()
    width, height = im.size
    orientation = _orientation(im)  # read from the file: a reduced copy no longer carries it (TIFF tags)
    if orientation in (5, 6, 7, 8):  # EXIF orientations that turn the picture by 90°
        width, height = height, width
    flat: Image.Image | None = None
    try:
        if min_long_side is not None and fmt == "JPEG" and max(width, height) > min_long_side:
            ratio = min_long_side / max(width, height)
            im.draft(mode, (max(1, round(im.width * ratio)), max(1, round(im.height * ratio))))
        # After draft(), `im.size` is what libjpeg will actually produce.
        turn = _large_decodes if im.width * im.height > LARGE_DECODE_PIXELS else contextlib.nullcontext()
        with turn:
            im.load()
            # Reduce first, at the decoded mode, then turn and flatten the small copy: converting and compositing a
            # 50 MP image at full size is what costs the memory.
            small = _reducible(im)
            if min_long_side is not None:
                small = _shrink(small, min_long_side)
            flat = _flatten(_upright(small, orientation), mode)
    except ImageRejected:
        raise
    except Exception as exc:  # truncated data, bad chunks, decoder errors: all mean the file is broken
        raise CorruptImage(f"cannot decode {fmt} image: {type(exc).__name__}: {exc}") from None
    finally:
        if flat is not im:  # already small, upright and in `mode`: the decoded image is the answer itself
            im.close()
    return DecodedImage(image=flat, width=width, height=height, format=fmt, sha256=sha256, scale=flat.width / width)


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
        return value if isinstance(value, int) and 1 <= value <= 8 else 1
    except Exception:  # unreadable EXIF: treat the picture as upright
        return 1


# EXIF orientation → the transpose that shows the picture upright (the table `ImageOps.exif_transpose` applies).
_UPRIGHT: Final[dict[int, Image.Transpose]] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHT.get(orientation)
    return im if method is None else im.transpose(method)


def _reducible(im: Image.Image) -> Image.Image:
    """`im` in a mode `Image.reduce` averages correctly: palettes expanded (averaging palette indices is noise),
    1-bit and 16-bit scaled to 8-bit grey. Everything else (L, RGB, RGBA, CMYK, I, F, ...) reduces as it is."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        return _sixteen_to_l(im)
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("P", "PA"):
        return im.convert("RGBA" if im.mode == "PA" or "transparency" in im.info else "RGB")
    return im


def _flatten(im: Image.Image, mode: str) -> Image.Image:
    """`_reducible`'s (reduced) output as RGB or L: alpha composited on white, 32-bit depths scaled, not clipped."""
    if im.mode in ("I", "F"):
        im = _high_depth_to_l(im)
    elif im.mode in ("La", "RGBa"):
        im = im.convert("RGBA")
    if im.mode in ("LA", "RGBA"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba).convert("RGB")
    if im.mode != mode:
        im = im.convert(mode)
    return im


STRIP_ROWS: Final = 256


def _high_depth_to_l(im: Image.Image) -> Image.Image:
    """32-bit single-channel images (I, F): Pillow's convert("L") clips at 255, which whitens a 16-bit scan."""
    arr = np.asarray(im)
    if im.mode == "F":
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scaled = (np.nan_to_num(arr, nan=lo) - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")
    hi = int(arr.max()) if arr.size else 0
    if hi > 65535:  # genuinely 32-bit data: stretch its own range (float32: no int64 copies)
        lo = int(arr.min())
        scaled = (arr.astype(np.float32) - np.float32(lo)) * np.float32(255 / max(1, hi - lo))
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")
    # A 32-bit container: 16-bit values are scaled, 8-bit ones kept.
    out = np.clip(arr, 0, 65535) // 257 if hi > 255 else np.clip(arr, 0, 255)
    return Image.fromarray(out.astype(np.uint8), mode="L")


def _sixteen_to_l(im: Image.Image) -> Image.Image:
    """I;16 data scaled to 8 bits a strip at a time, so a 50 MP scan is never copied whole."""
    out = np.empty((im.height, im.width), np.uint8)
    for top in range(0, im.height, STRIP_ROWS):
        strip = np.asarray(im.crop((0, top, im.width, min(im.height, top + STRIP_ROWS))))
        out[top:top + strip.shape[0]] = strip // 257
    return Image.fromarray(out, mode="L")


def _shrink(im: Image.Image, min_long_side: int) -> Image.Image:
    """Box-reduce by an integer factor while the long side stays >= min_long_side (cheap, like the JPEG scaler)."""
    factor = max(im.size) // min_long_side
    if factor >= 2:
        return im.reduce(factor)
    return im
