"""Real photographs (scikit-image's bundled data) and the edits infringers make, encoded as upload bytes."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "hubble_deep_field", "retina")
UNRELATED = ("camera", "coins", "moon", "brick", "grass", "gravel", "cell", "clock", "colorwheel", "page", "text")


@cache
def photo(name: str) -> Image.Image:
    import skimage.data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arr = getattr(skimage.data, name)()
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    im = Image.fromarray(arr)
    return im.convert("RGB")


def png_header(width: int, height: int, *, color_type: int = 2) -> bytes:
    """A valid PNG signature and IHDR declaring `width`×`height` (8-bit, RGB by default), with one tiny IDAT: a
    decompression bomb's shape, whose header passes and whose pixel data does not."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def encode(im: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG" and im.mode not in ("RGB", "L", "CMYK"):
        im = im.convert("RGB")
    im.save(buf, fmt, **({"quality": 90} | params if fmt == "JPEG" else params))
    return buf.getvalue()


def crop(im: Image.Image, area: float, anchor: tuple[float, float] = (0.5, 0.5)) -> Image.Image:
    side = area**0.5
    w, h = round(im.width * side), round(im.height * side)
    x, y = round((im.width - w) * anchor[0]), round((im.height - h) * anchor[1])
    return im.crop((x, y, x + w, y + h))


def screenshot(im: Image.Image) -> Image.Image:
    """The picture inside a phone app's chrome: status bar, header, caption and buttons."""
    w, h = 720, 1560
    canvas = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(canvas)
    d.rectangle((0, 0, w, 60), fill=(245, 245, 245))
    d.text((20, 20), "9:41", fill=(0, 0, 0))
    d.text((20, 90), "@someone  posted a photo", fill=(20, 20, 20))
    ph = round(im.height * w / im.width)
    canvas.paste(im.resize((w, ph)), (0, 160))
    for i in range(4):
        d.text((20, 200 + ph + 30 * i), "nice pic, so many likes, follow for more " * 2, fill=(40, 40, 40))
    d.rectangle((0, h - 100, w, h), fill=(240, 240, 240))
    return canvas


def caption(im: Image.Image) -> Image.Image:
    out = im.copy()
    d = ImageDraw.Draw(out)
    d.rectangle((0, round(im.height * 0.82), im.width, im.height), fill=(0, 0, 0))
    d.text((10, round(im.height * 0.86)), "WHEN THE WEEKEND FINALLY ARRIVES", fill=(255, 255, 255))
    return out


EDITS = {
    "rescale_half": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.BILINEAR),
    "rescale_double": lambda im: im.resize((im.width * 2, im.height * 2), Image.Resampling.BICUBIC),
    "jpeg_q30": lambda im: Image.open(io.BytesIO(encode(im, quality=30))),
    "crop_75_corner": lambda im: crop(im, 0.75, (0.0, 1.0)),
    "crop_50_centre": lambda im: crop(im, 0.5),
    "mirror": ImageOps.mirror,
    "grayscale": lambda im: ImageOps.grayscale(im).convert("RGB"),
    "brighter": lambda im: ImageEnhance.Brightness(im).enhance(1.4),
    "rotate_4": lambda im: im.rotate(4, Image.Resampling.BICUBIC, expand=True),
    "caption": caption,
    "border": lambda im: ImageOps.expand(im, border=40, fill=(200, 30, 30)),
    "screenshot": screenshot,
}
