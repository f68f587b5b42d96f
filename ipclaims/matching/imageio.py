"""Decoding of untrusted image uploads.

The type is sniffed from the first bytes, never from a file name or a declared MIME type, and Pillow is then told to
try only that one decoder, so a file that claims to be something it is not cannot reach a decoder we did not choose.
Pixel dimensions are checked from the header before any pixel data is decompressed: a 100 kB PNG can declare
100 000 × 100 000 pixels (a "decompression bomb"), and refusing it after `load()` would be too late.

Refusals are the application's own errors (`ipclaims.errors`: 413, 415, 422 as CONTRACT.md "Conventions" says), so
the service layer passes them on without knowing about Pillow.

Memory: nothing is decoded before a share of the per-process decode budget (`IPCLAIMS_DECODE_MEMORY_BYTES`) is
held, the EXIF orientation included (read from the file's bytes, never by decoding), so a burst of small files that
declare large pictures (a 381 kB PNG can declare 7000×7000 16-bit RGBA) waits its turn instead of multiplying the
memory each one needs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
import threading
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from ipclaims.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia

__all__ = [
    "ALLOWED_FORMATS",
    "DecodeBudget",
    "DecodedImage",
    "decode_budget",
    "open_for_matching",
    "open_image",
    "sniff_format",
    "to_gray_array",
]

DEFAULT_MAX_PIXELS: Final = 50_000_000
# Narrower than this on either side and there is nothing to recognise (a rule, a 1-pixel strip, a favicon); OpenCV's
# feature pyramid cannot even be built on a 1-2 px image. Refused as 422 rather than indexed as noise.
MIN_SIDE: Final = 16
DEFAULT_DECODE_MEMORY_BYTES: Final = 512_000_000

# Pillow format name -> MIME type. Only these decoders are ever invoked on untrusted bytes.
ALLOWED_FORMATS: Final[dict[str, str]] = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
    "BMP": "image/bmp",
}


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
    """Decode an upload at full resolution into RGB. Raises UnsupportedMedia (415), PayloadTooLarge (413) or Unprocessable (422)."""
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
        raise UnsupportedMedia("not a JPEG, PNG, WebP, GIF, TIFF or BMP image")
    # Pillow warns above its own MAX_IMAGE_PIXELS (~89 MP) and raises above twice that, during open(). Our limit
    # (`max_pixels`, from IPCLAIMS_MAX_IMAGE_PIXELS) is applied right after, from the same header and before any pixel
    # is decoded, so Pillow's warning is silenced and its hard error (~179 MP, a ceiling on any setting) refused.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as exc:
        raise PayloadTooLarge(f"image dimensions exceed the limit ({exc})") from None
    except UnidentifiedImageError:
        # The magic bytes promised `fmt` and its decoder cannot read the header: a lie about the type or a broken one.
        raise UnsupportedMedia(f"content is not a valid {fmt} image") from None
    except Exception as exc:  # decoders raise a zoo (SyntaxError, struct.error, OSError, ValueError...) on bad headers
        raise Unprocessable(f"unreadable {fmt} header: {type(exc).__name__}") from None
    width, height = im.size
    if width <= 0 or height <= 0:
        raise Unprocessable("image has no pixels")
    if width * height > max_pixels:
        raise PayloadTooLarge(f"{width}x{height} pixels exceeds the limit of {max_pixels}")
    if min(width, height) < MIN_SIDE:
        raise Unprocessable(f"{width}x{height} pixels is too small to match (at least {MIN_SIDE} px on each side)")
    return im, fmt


def _decode(data: bytes, *, max_pixels: int, mode: str, min_long_side: int | None) -> DecodedImage:
    im, fmt = _open_header(data, max_pixels)
    sha256 = hashlib.sha256(data).hexdigest()
    width, height = im.size
    orientation = _orientation(im, data)  # read from the file: a reduced copy no longer carries it (TIFF tags)
    if orientation in (5, 6, 7, 8):  # EXIF orientations that turn the picture by 90°
        width, height = height, width
    flat: Image.Image | None = None
    try:
        if min_long_side is not None and fmt == "JPEG" and max(width, height) > min_long_side:
            ratio = min_long_side / max(width, height)
            im.draft(mode, (max(1, round(im.width * ratio)), max(1, round(im.height * ratio))))
        # After draft(), `im.size` and `im.mode` are what the decoder will actually produce: the cost is known before
        # a single pixel is decompressed, and no pixel is until this process's budget has room for it.
        with decode_budget.share(decode_cost(im, reduced=min_long_side is not None)):
            im.load()
            # Reduce first, at the decoded mode, then turn and flatten the small copy: converting and compositing a
            # 50 MP image at full size is what costs the memory.
            small = _reducible(im)
            if min_long_side is not None:
                small = _shrink(small, min_long_side)
            flat = _flatten(_upright(small, orientation), mode)
            if flat is not im:  # release the full-size pixels inside the share they were counted against
                im.close()
    except Exception as exc:  # truncated data, bad chunks, decoder errors: all mean the file is broken
        raise Unprocessable(f"cannot decode {fmt} image: {type(exc).__name__}: {exc}") from None
    finally:
        if flat is not im:  # already small, upright and in `mode`: the decoded image is the answer itself
            im.close()
    return DecodedImage(image=flat, width=width, height=height, format=fmt, sha256=sha256, scale=flat.width / width)


# Bytes per pixel of Pillow's in-memory layout (Storage.c): 1 for the 8-bit single-band modes, 2 for 16-bit grey,
# 4 for everything else (RGB is stored as 4 bytes like RGBA; 16-bit-per-sample RGB(A) PNGs are decoded to 8 bits).
_STORED_BYTES: Final[dict[str, int]] = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


def decode_cost(im: Image.Image, *, reduced: bool) -> int:
    """Estimated peak bytes of decoding `im` (header read, `draft()` applied) as `_decode` does.

    The decoded picture (w×h×bands×bytes-per-sample in Pillow's layout) plus its working copies: a palette expanded
    to RGB(A) (4 more bytes a pixel), an image with alpha premultiplied by `Image.reduce` (4 more: measured, a 49 MP
    RGBA PNG peaks at twice its decoded size), 16-bit grey scaled to 8 bits (1 more), 32-bit I/F scaled through
    numpy (13 more), and, when the result is not reduced (`open_image`), the full-size conversions to RGBA, the white
    background, the composite and the final RGB (4 bytes each).
    """
    pixels = im.width * im.height
    per_pixel = _STORED_BYTES.get(im.mode, 4)
    if im.mode in ("P", "PA", "LA", "RGBA"):
        per_pixel += 4
    elif im.mode.startswith("I;16"):
        per_pixel += 1
    elif im.mode in ("I", "F"):
        per_pixel += 13
    if not reduced:
        per_pixel += 16
    return pixels * per_pixel


class DecodeBudget:
    """Bytes of decoded pixels this process may hold at once (`IPCLAIMS_DECODE_MEMORY_BYTES`).

    A decode waits until its estimated cost fits beside the decodes in progress; one that costs more than the whole
    budget runs alone (an image under `IPCLAIMS_MAX_IMAGE_PIXELS` is always decodable). Small decodes (a thumbnail, a
    JPEG the DCT scaler reduced) fit beside a large one. After each large decode, freed memory is handed back to the
    system (`malloc_trim`): glibc keeps freed blocks in the arena of the thread that freed them, so the next decode,
    on another threadpool thread, would otherwise take fresh memory beside them (see also `configure_malloc`).
    """

    # Below this a decode is small enough that trimming after it would cost more than it returns.
    TRIM_ABOVE: Final = 16_000_000

    def __init__(self, limit: int = DEFAULT_DECODE_MEMORY_BYTES) -> None:
        self.limit = limit
        self.in_use = 0
        self.peak = 0  # the most bytes held at once since start (for tests and the bench)
        self._large = 0
        self._cond = threading.Condition()

    @contextmanager
    def share(self, cost: int) -> Iterator[None]:
        cost = max(0, min(cost, self.limit))
        large = cost > self.TRIM_ABOVE
        with self._cond:
            self._cond.wait_for(lambda: self.in_use == 0 or self.in_use + cost <= self.limit)
            self.in_use += cost
            self.peak = max(self.peak, self.in_use)
            self._large += large
        trim = False
        try:
            yield
        finally:
            with self._cond:
                self.in_use -= cost
                self._large -= large
                trim = large
                self._cond.notify_all()
            if trim:
                trim_heap()


decode_budget = DecodeBudget()


def set_decode_budget(limit: int) -> None:
    """Applied from the settings at application start (tests may set their own)."""
    decode_budget.limit = max(1, limit)


_libc: ctypes.CDLL | None = None
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _libc.malloc_trim  # noqa: B018  (glibc only: musl and macOS have no malloc_trim)
    _libc.mallopt  # noqa: B018
except (OSError, AttributeError):
    _libc = None


# Allocations from this size up are mmap()ed and unmapped on free, whatever glibc's dynamic threshold has grown to.
MMAP_THRESHOLD: Final = 1 << 20
_M_MMAP_THRESHOLD: Final = -3  # mallopt parameter number (malloc.h)


def configure_malloc() -> None:
    """Make large blocks go back to the system as soon as they are freed (glibc; a no-op elsewhere).

    Pillow holds a decoded picture in 16 MB blocks. glibc's mmap threshold starts at 128 kB but rises to the size of
    any mmapped block freed, so after the first large decode those blocks come from the thread's heap arena and stay
    there when freed: a burst of decodes on different threadpool threads then holds a picture's worth of memory per
    thread. A fixed threshold turns that adjustment off. Called once per serving process (`main.create_app`).
    """
    if _libc is not None:
        _libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def trim_heap() -> None:
    """Return free heap memory of every malloc arena to the system (glibc); a no-op elsewhere."""
    if _libc is not None:
        _libc.malloc_trim(0)


def _orientation(im: Image.Image, data: bytes) -> int:
    """The EXIF orientation (1-8), from the bytes the header read left in `im.info` or, for PNG, the eXIf chunk.

    Never `PngImageFile.getexif()`: when the eXIf chunk is not before the pixel data it decodes the whole picture to
    find it, before any budget is held. Everything else is what `Image.getexif()` reads (JPEG APP1, the WebP EXIF
    chunk, TIFF tags, XMP), none of which decodes pixels.
    """
    try:
        if isinstance(im, PngImagePlugin.PngImageFile) and "exif" not in im.info:
            raw = _png_exif(data)
            if raw is not None:
                im.info["exif"] = raw
            exif = Image.Image.getexif(im)  # the base method: no load()
        else:
            exif = im.getexif()
        value = exif.get(0x0112, 1)
        return value if isinstance(value, int) and 1 <= value <= 8 else 1
    except Exception:  # unreadable EXIF: treat the picture as upright
        return 1


def _png_exif(data: bytes) -> bytes | None:
    """The eXIf chunk's payload, prefixed as Pillow stores it, found by its type and checked by its CRC.

    A search rather than a walk of every chunk: a hostile file can split its pixel data into millions of tiny IDAT
    chunks, and a Python loop over them would cost more than the decode it avoids.
    """
    at = data.find(b"eXIf", 12)
    while at != -1:
        length = int.from_bytes(data[at - 4 : at], "big")
        end = at + 4 + length
        if end + 4 <= len(data) and zlib.crc32(data[at:end]) == int.from_bytes(data[end : end + 4], "big"):
            return b"Exif\x00\x00" + bytes(data[at + 4 : end])
        at = data.find(b"eXIf", at + 4)
    return None


# EXIF orientation → the transpose that shows the picture upright (the table `ImageOps.exif_transpose` applies).
_UPRIGHT: Final[dict[int, Image.Transpose]] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
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
        out[top : top + strip.shape[0]] = strip // 257
    return Image.fromarray(out, mode="L")


def _shrink(im: Image.Image, min_long_side: int) -> Image.Image:
    """Box-reduce by an integer factor while the long side stays >= min_long_side (cheap, like the JPEG scaler)."""
    factor = max(im.size) // min_long_side
    if factor >= 2:
        return im.reduce(factor)
    return im
