"""Offline evaluation set for image matching: references, edited copies and distractors.

Every image comes from packages already on the machine: scikit-image's bundled data and the Debian wallpaper
packages (gnome-backgrounds, plasma-workspace-wallpapers, mate-backgrounds), plus seeded synthetic distractors
(documents, UI mock-ups, shapes). Nothing is downloaded.

Layout under bench/data/ (git-ignored):
  sources/<source>.jpg      every source image, references and distractors (≤ 2 MP)
  queries/<split>/<...>     edited copies of references and of distractors, and unedited distractors
  speed/*.jpg               ≥ 2 MP JPEGs for bench/match_speed.py
  manifest.json             sources (role, split, eligibility), queries (edit, group, expected reference or null)

Roles and splits: sources are grouped into families first (a wallpaper's resolutions, its light/dark variants, the
colour variants of one design) so no picture appears on both sides of a split. Families are shuffled with a fixed
seed, two thirds become references and the rest distractors, and each part is divided into a "tune" split (thresholds are chosen
on it) and a "test" split (bench/match_quality.py reports on it). Sources with too little structure to be
identified by anyone (flat colour, a 256 px tile) are distractors only; the manifest records why.

Run: python bench/evaldata.py [--force]
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import math
import os
import re
import sys
import time
import warnings
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
MANIFEST = DATA / "manifest.json"
VERSION = 4  # bump when the generator changes; a stale manifest is rebuilt
SEED = 20240611
REF_MAX_PIXELS = 2_000_000
WALLPAPER_GLOBS = (
    "/usr/share/wallpapers/*/contents/images*/*",
    "/usr/share/backgrounds/**/*",
    "/usr/share/mate-background*/**/*",
)
FONT_DIR = "/usr/share/fonts/truetype/dejavu"

Image.MAX_IMAGE_PIXELS = 200_000_000  # the 5120×2880 wallpapers are trusted local files


# --------------------------------------------------------------------------------------------------------------------
# sources


@dataclass
class Source:
    id: str
    origin: str
    family: str
    kind: str  # "photo" | "wallpaper" | "synthetic"
    role: str = ""  # "reference" | "distractor"
    split: str = ""  # "tune" | "test"
    eligible: bool = True
    why_not: str = ""
    path: str = ""
    width: int = 0
    height: int = 0


def _skimage_sources() -> list[tuple[str, str, Callable[[], np.ndarray]]]:
    import skimage.data as d

    names = [
        "astronaut", "camera", "chelsea", "coffee", "rocket", "coins", "moon", "page", "text", "clock",
        "hubble_deep_field", "immunohistochemistry", "retina", "brick", "grass", "gravel", "cell", "colorwheel",
        "logo", "horse", "binary_blobs", "checkerboard", "shepp_logan_phantom",
    ]  # fmt: skip
    out: list[tuple[str, str, Callable[[], np.ndarray]]] = []
    for n in names:
        if hasattr(d, n):
            out.append((f"sk-{n}", f"skimage.data.{n}", getattr(d, n)))
    out.append(("sk-motorcycle", "skimage.data.stereo_motorcycle[0]", lambda: d.stereo_motorcycle()[0]))
    return out


def _wallpaper_family(path: str) -> str:
    base = os.path.basename(path)
    if path.startswith("/usr/share/wallpapers/"):
        return "plasma-" + path.split("/")[4]  # every resolution and the _dark set of one wallpaper
    if "/gnome/" in path:
        return "gnome-" + re.sub(r"-[ld]$", "", os.path.splitext(base)[0])
    stem = re.sub(r"(_\d+x\d+)?$", "", os.path.splitext(base)[0])
    stem = re.sub(r"^(Ubuntu-Mate)-.*", r"\1", stem)  # colour variants of one design
    stem = re.sub(r"^(MATE-Stripes)-.*", r"\1", stem)
    return "mate-" + stem


def _wallpaper_sources() -> list[tuple[str, str, str]]:
    """(id, path, family) — one file per family, the largest, preferring the light variant."""
    files: set[str] = set()
    for g in WALLPAPER_GLOBS:
        files.update(glob.glob(g, recursive=True))
    picked: dict[str, tuple[tuple[int, int], str]] = {}
    for f in sorted(files):
        if not re.search(r"\.(jpe?g|png|webp)$", f, re.I) or "screenshot" in f or not os.path.isfile(f):
            continue
        fam = _wallpaper_family(f)
        try:
            with Image.open(f) as im:
                size = im.size
        except Exception:
            continue
        dark = "_dark" in f or re.search(r"-d\.\w+$", f) is not None
        key = (0 if dark else 1, size[0] * size[1])
        if fam not in picked or key > picked[fam][0]:
            picked[fam] = (key, f)
    return [(fam, f, fam) for fam, (_, f) in sorted(picked.items())]


def _to_rgb(arr: np.ndarray) -> Image.Image:
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype != np.uint8:
        a = arr.astype(np.float64)
        a = (a - a.min()) / max(1e-9, a.max() - a.min()) * 255
        arr = a.astype(np.uint8)
    im = Image.fromarray(arr)
    if im.mode == "RGBA":
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    return im.convert("RGB")


def _load_wallpaper(path: str) -> Image.Image:
    im = Image.open(path)
    target = math.sqrt(REF_MAX_PIXELS * 4 / (im.width * im.height))
    if target < 1:
        im.draft("RGB", (int(im.width * target), int(im.height * target)))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(bg, rgba).convert("RGB")
    return im.convert("RGB")


def _limit(im: Image.Image, max_pixels: int = REF_MAX_PIXELS) -> Image.Image:
    px = im.width * im.height
    if px <= max_pixels:
        return im
    f = math.sqrt(max_pixels / px)
    return im.resize((max(1, int(im.width * f)), max(1, int(im.height * f))), Image.Resampling.LANCZOS)


def _information(im: Image.Image) -> tuple[int, float]:
    """(ORB keypoints at ~768 px, grey-level std): a blank picture cannot be a reference anyone stakes a takedown on
    (transparent overlays composited on white, a flat tile); it still serves as a distractor."""
    import cv2

    g = im.convert("L")
    g.thumbnail((768, 768))
    arr = np.asarray(g)
    kps = cv2.ORB_create(nfeatures=2000).detect(arr, None)
    return len(kps), float(arr.std())


# --------------------------------------------------------------------------------------------------------------------
# synthetic distractors


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = os.path.join(FONT_DIR, name)
    if os.path.exists(path):
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


_TEXT = (
    "the quick brown fox jumps over lazy dog rights holder claim notice counter reference image platform trust "
    "safety review decision escalation copyright trademark registration sample gallery photo sunset mountain city "
    "river forest ocean holiday weekend amazing beautiful look share follow like comment new post today"
)
WORDS = _TEXT.split()


def _sentence(rng: np.random.Generator, n: int) -> str:
    return " ".join(str(rng.choice(WORDS)) for _ in range(n)).capitalize()


def _synthetic(kind: str, rng: np.random.Generator) -> Image.Image:
    w, h = int(rng.integers(700, 1400)), int(rng.integers(600, 1100))
    if kind == "shapes":
        im = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(0, 256, 3)))
        d = ImageDraw.Draw(im)
        for _ in range(int(rng.integers(15, 60))):
            x0, y0 = int(rng.integers(-50, w)), int(rng.integers(-50, h))
            x1, y1 = x0 + int(rng.integers(20, w // 2)), y0 + int(rng.integers(20, h // 2))
            col = tuple(int(v) for v in rng.integers(0, 256, 3))
            [d.ellipse, d.rectangle][int(rng.integers(0, 2))]((x0, y0, x1, y1), fill=col)
        return im
    if kind == "document":
        im = Image.new("RGB", (w, h), (250, 250, 246))
        d = ImageDraw.Draw(im)
        y = 30
        d.text((40, y), _sentence(rng, 5).title(), fill=(20, 20, 20), font=_font(34, True))
        y += 70
        while y < h - 40:
            d.text((40, y), _sentence(rng, int(rng.integers(6, 12))), fill=(40, 40, 40), font=_font(20))
            y += int(rng.integers(28, 40))
        return im
    if kind == "ui":
        im = Image.new("RGB", (w, h), (245, 246, 248))
        d = ImageDraw.Draw(im)
        d.rectangle((0, 0, w, 60), fill=(40, 60, 110))
        d.text((20, 15), _sentence(rng, 3), fill="white", font=_font(26, True))
        for i in range(int(rng.integers(4, 9))):
            y = 90 + i * 90
            d.rounded_rectangle((20, y, w - 20, y + 75), 10, fill=(255, 255, 255), outline=(210, 210, 215))
            d.ellipse((35, y + 12, 85, y + 62), fill=tuple(int(v) for v in rng.integers(60, 220, 3)))
            d.text((100, y + 12), _sentence(rng, 4), fill=(30, 30, 30), font=_font(22, True))
            d.text((100, y + 42), _sentence(rng, 7), fill=(110, 110, 110), font=_font(16))
        return im
    if kind == "noise":
        base = rng.normal(0, 1, (h // 16 + 1, w // 16 + 1, 3))
        arr = np.asarray(Image.fromarray(((base - base.min()) / np.ptp(base) * 255).astype(np.uint8)).resize((w, h)))
        return Image.fromarray(arr).filter(ImageFilter.GaussianBlur(2))
    # gradient with a few soft blobs: the kind of low-structure image that fools global hashes
    yy, xx = np.mgrid[0:h, 0:w]
    c0, c1 = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    t = (xx / w * rng.uniform(-1, 1) + yy / h * rng.uniform(-1, 1)) % 1.0
    arr = c0[None, None, :] * (1 - t[..., None]) + c1[None, None, :] * t[..., None]
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(50, 300)
        arr += 60 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))[..., None] * rng.uniform(-1, 1, 3)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


SYNTHETIC_KINDS = ("shapes", "document", "ui", "noise", "gradient")
N_SYNTHETIC = 30


# --------------------------------------------------------------------------------------------------------------------
# edits


def _seed(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode()) ^ SEED


def crop(im: Image.Image, rng: np.random.Generator, area: float, centred: bool, aspect_jitter: float = 0) -> Image.Image:
    aspect = math.exp(rng.uniform(-aspect_jitter, aspect_jitter)) if aspect_jitter else 1.0
    fw = min(1.0, math.sqrt(area) * math.sqrt(aspect))
    fh = min(1.0, area / fw)
    cw, ch = round(im.width * fw), round(im.height * fh)
    if centred:
        x, y = (im.width - cw) // 2, (im.height - ch) // 2
    else:  # push towards a corner/edge: the case centre-only region hashes miss
        x = int(rng.integers(0, im.width - cw + 1))
        y = int(rng.integers(0, im.height - ch + 1))
    return im.crop((x, y, x + cw, y + ch))


def scale(im: Image.Image, f: float, resample: Image.Resampling = Image.Resampling.BICUBIC) -> Image.Image:
    return im.resize((max(8, round(im.width * f)), max(8, round(im.height * f))), resample)


def rotate(im: Image.Image, deg: float, *, crop_inner: bool, fill: tuple[int, int, int] = (0, 0, 0)) -> Image.Image:
    out = im.rotate(deg, Image.Resampling.BICUBIC, expand=not crop_inner, fillcolor=fill)
    if crop_inner:  # largest axis-aligned rectangle free of the filled corners, as phone editors do
        a = math.radians(abs(deg))
        w, h = im.size
        cw = (w * math.cos(a) - h * math.sin(a)) / math.cos(2 * a)
        ch = (h * math.cos(a) - w * math.sin(a)) / math.cos(2 * a)
        x, y = (w - cw) / 2, (h - ch) / 2
        out = out.crop((int(x) + 1, int(y) + 1, int(x + cw) - 1, int(y + ch) - 1))
    return out


def text_overlay(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    out = im.copy()
    d = ImageDraw.Draw(out)
    size = max(14, im.height // 9)
    f = _font(size, bold=True)
    for where in ("top", "bottom"):
        msg = _sentence(rng, int(rng.integers(2, 5))).upper()
        tw = d.textlength(msg, font=f)
        x = max(4, (im.width - tw) / 2)
        y = im.height * 0.04 if where == "top" else im.height * 0.96 - size * 1.2
        d.text((x, y), msg, font=f, fill="white", stroke_width=max(1, size // 14), stroke_fill="black")
    return out


def _logo(size: int, rng: np.random.Generator) -> Image.Image:
    logo = Image.new("RGBA", (size * 3, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(logo)
    col = tuple(int(v) for v in rng.integers(0, 256, 3))
    d.ellipse((2, 2, size - 2, size - 2), fill=(*col, 255), outline=(255, 255, 255, 255), width=max(1, size // 20))
    d.text((size * 0.3, size * 0.18), "©", font=_font(int(size * 0.55), True), fill=(255, 255, 255, 255))
    d.text((size * 1.1, size * 0.25), "STOCK", font=_font(int(size * 0.45), True), fill=(255, 255, 255, 230))
    return logo


def logo_overlay(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    out = im.convert("RGBA")
    size = max(16, int(min(im.size) * rng.uniform(0.12, 0.2)))
    logo = _logo(size, rng)
    alpha = logo.getchannel("A").point(lambda v: int(v * 0.75))
    logo.putalpha(alpha)
    corner = int(rng.integers(0, 5))
    pos = [(10, 10), (im.width - logo.width - 10, 10), (10, im.height - size - 10),
           (im.width - logo.width - 10, im.height - size - 10),
           ((im.width - logo.width) // 2, (im.height - size) // 2)][corner]  # fmt: skip
    out.alpha_composite(logo, (max(0, pos[0]), max(0, pos[1])))
    return out.convert("RGB")


def pad(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Letterbox to a square or 9:16 canvas, as re-uploads to feed formats do."""
    colour = [(0, 0, 0), (255, 255, 255), tuple(int(v) for v in rng.integers(0, 256, 3))][int(rng.integers(0, 3))]
    side = max(im.size)
    if rng.random() < 0.5:
        canvas = Image.new("RGB", (side, side), colour)
    else:
        canvas = Image.new("RGB", (im.width, int(im.width * 16 / 9)) if im.width < im.height * 16 / 9
                           else (im.width, im.height + im.height // 2), colour)  # fmt: skip
    canvas.paste(im, ((canvas.width - im.width) // 2, (canvas.height - im.height) // 2))
    return canvas


def border(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    width = max(4, int(min(im.size) * rng.uniform(0.03, 0.08)))
    colour = tuple(int(v) for v in rng.integers(0, 256, 3))
    out = ImageOps.expand(im, border=width, fill=colour)
    inner = max(2, width // 4)
    return ImageOps.expand(out, border=inner, fill=(255, 255, 255))


def _status_bar(d: ImageDraw.ImageDraw, w: int, h: int, fg: tuple[int, int, int]) -> None:
    d.text((24, h * 0.2), "9:41", font=_font(int(h * 0.55), True), fill=fg)
    for i in range(4):
        d.rectangle((w - 170 + i * 12, h * (0.7 - 0.12 * i), w - 162 + i * 12, h * 0.75), fill=fg)
    d.rounded_rectangle((w - 100, h * 0.3, w - 40, h * 0.72), 5, outline=fg, width=2)
    d.rectangle((w - 96, h * 0.36, w - 60, h * 0.66), fill=fg)


def screenshot_phone(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    dark = rng.random() < 0.4
    bg, fg = ((18, 18, 18), (235, 235, 235)) if dark else ((255, 255, 255), (20, 20, 20))
    w = int(rng.choice([720, 1080]))
    h = int(w * 19.5 / 9)
    canvas = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(canvas)
    bar = int(w * 0.07)
    _status_bar(d, w, bar, fg)
    d.line((20, bar * 1.6, 50, bar * 1.2), fill=fg, width=4)  # back arrow
    d.line((20, bar * 1.6, 50, bar * 2.0), fill=fg, width=4)
    d.text((80, bar * 1.2), _sentence(rng, 2), font=_font(int(bar * 0.5), True), fill=fg)
    top = int(bar * 2.6)
    d.ellipse((20, top, 20 + bar, top + bar), fill=tuple(int(v) for v in rng.integers(50, 200, 3)))
    d.text((30 + bar, top + bar * 0.25), "@" + str(rng.choice(WORDS)), font=_font(int(bar * 0.4), True), fill=fg)
    top += int(bar * 1.4)
    margin = 0 if rng.random() < 0.6 else int(w * 0.04)
    pw = w - 2 * margin
    ph = min(int(im.height * pw / im.width), int(h * 0.6))
    pw = int(im.width * ph / im.height)
    canvas.paste(im.resize((pw, ph), Image.Resampling.BICUBIC), ((w - pw) // 2, top))
    y = top + ph + 20
    for i, sym in enumerate(("♥", "💬", "↗")):
        d.text((30 + i * 90, y), sym if sym != "💬" else "◯", font=_font(int(bar * 0.6)), fill=fg)
    y += int(bar * 1.1)
    d.text((24, y), f"{int(rng.integers(10, 9999))} likes", font=_font(int(bar * 0.42), True), fill=fg)
    for _ in range(3):
        y += int(bar * 0.7)
        d.text((24, y), _sentence(rng, 7), font=_font(int(bar * 0.38)), fill=fg)
    d.rectangle((0, h - bar, w, h), fill=(30, 30, 30) if dark else (245, 245, 245))
    for i in range(5):
        cx = w * (i + 0.5) / 5
        d.rectangle((cx - 18, h - bar * 0.7, cx + 18, h - bar * 0.3), outline=fg, width=3)
    return canvas


def screenshot_desktop(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    w, h = 1920, 1080
    canvas = Image.new("RGB", (w, h), (250, 250, 250))
    d = ImageDraw.Draw(canvas)
    d.rectangle((0, 0, w, 40), fill=(222, 225, 230))
    for i in range(3):
        d.rounded_rectangle((10 + i * 240, 6, 240 + i * 240, 40), 8, fill=(250, 250, 250) if i == 0 else (210, 213, 218))
        d.text((24 + i * 240, 13), _sentence(rng, 2), font=_font(15), fill=(40, 40, 40))
    d.rectangle((0, 40, w, 84), fill=(250, 250, 250))
    d.rounded_rectangle((120, 48, w - 200, 78), 14, fill=(235, 236, 240))
    d.text((140, 54), f"https://{rng.choice(WORDS)}.example.com/{rng.choice(WORDS)}/{int(rng.integers(1e5))}",
           font=_font(16), fill=(60, 60, 60))  # fmt: skip
    d.line((0, 84, w, 84), fill=(200, 200, 200))
    d.text((60, 110), _sentence(rng, 6).title(), font=_font(34, True), fill=(20, 20, 20))
    frac = rng.uniform(0.4, 0.7)
    ph = int((h - 260) * frac / 0.7)
    pw = int(im.width * ph / im.height)
    if pw > w * 0.7:
        pw = int(w * 0.7)
        ph = int(im.height * pw / im.width)
    x0 = int(rng.integers(60, max(61, w - pw - 380)))
    canvas.paste(im.resize((pw, ph), Image.Resampling.LANCZOS), (x0, 180))
    sx = x0 + pw + 40
    for i in range(12):
        d.text((sx, 190 + i * 32), _sentence(rng, 4), font=_font(18), fill=(70, 70, 70))
    d.text((x0, 190 + ph), _sentence(rng, 9), font=_font(18), fill=(90, 90, 90))
    return canvas


def picture_in_picture(im: Image.Image, host: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The reference as a small inset (25–45 % of the width) over an unrelated host frame."""
    canvas = _limit(host.copy(), 1_200_000)
    frac = rng.uniform(0.25, 0.45)
    pw = int(canvas.width * frac)
    ph = int(im.height * pw / im.width)
    if ph > canvas.height * 0.8:
        ph = int(canvas.height * 0.8)
        pw = int(im.width * ph / im.height)
    inset = ImageOps.expand(im.resize((pw, ph), Image.Resampling.BILINEAR), border=3, fill=(255, 255, 255))
    m = int(canvas.width * 0.03)
    corners = [(m, m), (canvas.width - inset.width - m, m), (m, canvas.height - inset.height - m),
               (canvas.width - inset.width - m, canvas.height - inset.height - m)]  # fmt: skip
    canvas.paste(inset, corners[int(rng.integers(0, 4))])
    return canvas


def host_with_inset(im: Image.Image, host: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The reference as the main picture with an unrelated inset covering a corner (a reaction/stream layout)."""
    canvas = im.copy()
    pw = int(canvas.width * rng.uniform(0.25, 0.35))
    ph = int(host.height * pw / host.width)
    inset = ImageOps.expand(host.resize((pw, ph), Image.Resampling.BILINEAR), border=3, fill=(0, 0, 0))
    canvas.paste(inset, (canvas.width - inset.width - 10, canvas.height - inset.height - 10))
    return canvas


def _jpeg(im: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


# name -> (group, function(image, rng, host) -> image, save format, quality)
Edit = Callable[[Image.Image, np.random.Generator, Image.Image], Image.Image]
EDITS: dict[str, tuple[str, Edit, str, int]] = {
    "exact": ("exact", lambda im, r, h: im, "JPEG", 95),
    "crop90_centre": ("crop90", lambda im, r, h: crop(im, r, 0.90, True), "JPEG", 90),
    "crop90_off": ("crop90", lambda im, r, h: crop(im, r, 0.90, False, 0.15), "JPEG", 90),
    "crop75_centre": ("crop75", lambda im, r, h: crop(im, r, 0.75, True), "JPEG", 90),
    "crop75_off": ("crop75", lambda im, r, h: crop(im, r, 0.75, False, 0.25), "JPEG", 90),
    "crop50_centre": ("crop50", lambda im, r, h: crop(im, r, 0.50, True), "JPEG", 90),
    "crop50_off": ("crop50", lambda im, r, h: crop(im, r, 0.50, False, 0.3), "JPEG", 90),
    "crop50_corner": ("crop50", lambda im, r, h: crop(im, r, 0.50, False), "PNG", 0),
    "scale_0.25": ("scale", lambda im, r, h: scale(im, 0.25, Image.Resampling.LANCZOS), "JPEG", 85),
    "scale_0.5": ("scale", lambda im, r, h: scale(im, 0.5, Image.Resampling.BILINEAR), "JPEG", 85),
    "scale_1.5": ("scale", lambda im, r, h: scale(im, 1.5), "JPEG", 85),
    "scale_2": ("scale", lambda im, r, h: scale(im, 2.0), "JPEG", 80),
    "jpeg_30": ("jpeg", lambda im, r, h: im, "JPEG", 30),
    "jpeg_50": ("jpeg", lambda im, r, h: im, "JPEG", 50),
    "jpeg_95_webp": ("jpeg", lambda im, r, h: _jpeg(im, 95), "WEBP", 80),
    "rot_+5": ("rotate", lambda im, r, h: rotate(im, 5, crop_inner=False), "JPEG", 90),
    "rot_-5": ("rotate", lambda im, r, h: rotate(im, -5, crop_inner=False, fill=(255, 255, 255)), "JPEG", 90),
    "rot_3_cropped": ("rotate", lambda im, r, h: rotate(im, 3, crop_inner=True), "JPEG", 90),
    "hflip": ("flip", lambda im, r, h: ImageOps.mirror(im), "JPEG", 90),
    "brightness+": ("colour", lambda im, r, h: ImageEnhance.Brightness(im).enhance(1.45), "JPEG", 90),
    "brightness-": ("colour", lambda im, r, h: ImageEnhance.Brightness(im).enhance(0.55), "JPEG", 90),
    "contrast+": ("colour", lambda im, r, h: ImageEnhance.Contrast(im).enhance(1.6), "JPEG", 90),
    "contrast-": ("colour", lambda im, r, h: ImageEnhance.Contrast(im).enhance(0.5), "JPEG", 90),
    "saturation+": ("colour", lambda im, r, h: ImageEnhance.Color(im).enhance(2.0), "JPEG", 90),
    "grayscale": ("colour", lambda im, r, h: ImageOps.grayscale(im).convert("RGB"), "JPEG", 90),
    "text": ("overlay", lambda im, r, h: text_overlay(im, r), "JPEG", 85),
    "logo": ("overlay", lambda im, r, h: logo_overlay(im, r), "JPEG", 85),
    "pad": ("pad_border", lambda im, r, h: pad(im, r), "JPEG", 90),
    "border": ("pad_border", lambda im, r, h: border(im, r), "PNG", 0),
    "aspect_wide": ("aspect", lambda im, r, h: im.resize((round(im.width * 1.33), im.height)), "JPEG", 90),
    "aspect_tall": ("aspect", lambda im, r, h: im.resize((im.width, round(im.height * 1.3))), "JPEG", 90),
    "screenshot_phone": ("screenshot", lambda im, r, h: screenshot_phone(im, r), "PNG", 0),
    "screenshot_phone_jpeg": ("screenshot", lambda im, r, h: screenshot_phone(im, r), "JPEG", 70),
    "screenshot_desktop": ("screenshot", lambda im, r, h: screenshot_desktop(im, r), "PNG", 0),
    "pip": ("pip", lambda im, r, h: picture_in_picture(im, h, r), "JPEG", 85),
    "pip_host": ("pip", lambda im, r, h: host_with_inset(im, h, r), "JPEG", 85),
    "combo_crop_text_jpeg": ("combo", lambda im, r, h: text_overlay(crop(im, r, 0.75, False, 0.2), r), "JPEG", 50),
    "combo_scale_rot_bright": (
        "combo",
        lambda im, r, h: ImageEnhance.Brightness(rotate(scale(im, 0.5), -3, crop_inner=True)).enhance(1.25),
        "JPEG",
        75,
    ),
    "combo_flip_crop_gray": (
        "combo",
        lambda im, r, h: ImageOps.grayscale(crop(ImageOps.mirror(im), r, 0.6, False)).convert("RGB"),
        "JPEG",
        80,
    ),
    "combo_screenshot_crop": ("combo", lambda im, r, h: screenshot_phone(crop(im, r, 0.7, False, 0.2), r), "JPEG", 75),
}
# Distractors get the unedited image plus these (chrome, captions and logos are shared with the positives, so a
# matcher that keys on them shows up as false positives).
DISTRACTOR_EDITS = (
    "crop75_off", "scale_0.5", "jpeg_30", "rot_+5", "hflip", "grayscale", "text", "logo", "pad", "border",
    "aspect_wide", "screenshot_phone", "screenshot_desktop", "pip", "combo_crop_text_jpeg",
)  # fmt: skip


@dataclass
class Query:
    path: str
    source: str
    edit: str
    group: str
    split: str
    expected: str | None  # reference source id, or None for distractors
    width: int = 0
    height: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------------------------
# build


def _save(im: Image.Image, path: Path, fmt: str, quality: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "JPEG":
        im.convert("RGB").save(path, "JPEG", quality=quality)
    elif fmt == "WEBP":
        im.save(path, "WEBP", quality=quality, method=2)
    else:
        im.save(path, "PNG", compress_level=1)


EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _make_queries(args: tuple[Source, list[str], list[str], str]) -> list[Query]:
    src, edits, host_paths, out_dir = args
    im = Image.open(DATA / src.path).convert("RGB")
    out: list[Query] = []
    for name in edits:
        group, fn, fmt, q = EDITS[name]
        rng = np.random.default_rng(_seed(src.id, name))
        host = Image.open(DATA / host_paths[int(rng.integers(0, len(host_paths)))]).convert("RGB")
        edited = fn(im, rng, host)
        rel = f"{out_dir}/{src.id}__{name}.{EXT[fmt]}"
        if name == "exact" and src.role == "reference":
            rel = src.path  # the very file registered: distance 0
        else:
            _save(edited, DATA / rel, fmt, q)
        out.append(Query(rel, src.id, name, group, src.split, src.id if src.role == "reference" else None, edited.width, edited.height))
    return out


def _prepare_source(item: tuple[str, str, str, str, int]) -> Source:
    sid, origin, family, kind, synth_index = item
    if kind == "synthetic":
        im = _synthetic(SYNTHETIC_KINDS[synth_index % len(SYNTHETIC_KINDS)], np.random.default_rng(_seed(sid)))
    elif kind == "photo":
        fn = dict((s, f) for s, _, f in _skimage_sources())[sid]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = _to_rgb(fn())
    else:
        im = _load_wallpaper(origin)
    im = _limit(im)
    src = Source(sid, origin, family, kind, width=im.width, height=im.height, path=f"sources/{sid}.jpg")
    kps, std = _information(im)
    if kind == "synthetic":
        src.eligible, src.why_not = False, "synthetic distractor"
    elif min(im.size) < 256:
        src.eligible, src.why_not = False, f"too small ({im.width}x{im.height})"
    elif std < 8:
        src.eligible, src.why_not = False, f"blank or near-blank (grey-level std {std:.1f}, {kps} ORB keypoints)"
    _save(im, DATA / src.path, "JPEG", 95)
    return src


def _speed_files(sources: list[Source]) -> list[str]:
    """≥ 2 MP baseline JPEGs (1920×1080 crops of the big wallpapers), for the hashing speed benchmark."""
    out = []
    for s in sources:
        if s.kind != "wallpaper" or len(out) >= 24:
            continue
        im = Image.open(s.origin)
        if im.width < 1920 or im.height < 1080:
            continue
        im.draft("RGB", (1920, 1080))
        im = ImageOps.fit(im.convert("RGB"), (1920, 1088), Image.Resampling.LANCZOS)
        rel = f"speed/{s.id}.jpg"
        _save(im, DATA / rel, "JPEG", 90)
        out.append(rel)
    return out


def build(force: bool = False, workers: int | None = None) -> dict[str, Any]:
    if MANIFEST.exists() and not force:
        manifest = json.loads(MANIFEST.read_text())
        if manifest.get("version") == VERSION:
            return manifest
    t0 = time.perf_counter()
    DATA.mkdir(parents=True, exist_ok=True)
    items: list[tuple[str, str, str, str, int]] = []
    for sid, origin, _ in _skimage_sources():
        items.append((sid, origin, sid, "photo", 0))
    for sid, path, fam in _wallpaper_sources():
        items.append((sid, path, fam, "wallpaper", 0))
    for i in range(N_SYNTHETIC):
        items.append((f"syn-{SYNTHETIC_KINDS[i % len(SYNTHETIC_KINDS)]}-{i:02d}", "synthetic", f"syn-{i}", "synthetic", i))
    workers = workers or min(4, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        sources = list(pool.map(_prepare_source, items))

    # roles and splits by family, seeded
    rng = np.random.default_rng(SEED)
    eligible = sorted({s.family for s in sources if s.eligible})
    rng.shuffle(eligible)
    n_refs = len(eligible) * 2 // 3  # distractors still outnumber references: the rest + ineligible + synthetic
    ref_fams = set(eligible[:n_refs])
    ref_list, dis_list = eligible[:n_refs], sorted({s.family for s in sources} - ref_fams)
    rng.shuffle(dis_list)
    split_of = {f: ("tune" if i % 2 == 0 else "test") for i, f in enumerate(ref_list)}
    split_of.update({f: ("tune" if i % 2 == 0 else "test") for i, f in enumerate(dis_list)})
    for s in sources:
        s.role = "reference" if s.family in ref_fams else "distractor"
        s.split = split_of[s.family]

    jobs = []
    for split in ("tune", "test"):
        hosts = [s.path for s in sources if s.role == "distractor" and s.split == split and s.kind != "synthetic"]
        for s in sources:
            if s.split != split:
                continue
            edits = list(EDITS) if s.role == "reference" else ["exact", *DISTRACTOR_EDITS]
            jobs.append((s, edits, [h for h in hosts if h != s.path], f"queries/{split}"))
    with ProcessPoolExecutor(workers) as pool:
        queries = [q for qs in pool.map(_make_queries, jobs) for q in qs]
    speed = _speed_files(sources)
    manifest = {
        "version": VERSION,
        "seed": SEED,
        "built_seconds": round(time.perf_counter() - t0, 1),
        "sources": [asdict(s) for s in sources],
        "queries": [asdict(q) for q in queries],
        "speed_files": speed,
        "splits": {
            sp: {
                "references": sorted(s.id for s in sources if s.role == "reference" and s.split == sp),
                "distractor_sources": sorted(s.id for s in sources if s.role == "distractor" and s.split == sp),
            }
            for sp in ("tune", "test")
        },
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1))
    return manifest


def load(force: bool = False) -> dict[str, Any]:
    return build(force=force)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--force", action="store_true", help="rebuild even if bench/data/manifest.json is current")
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args(argv)
    m = build(force=a.force, workers=a.workers)
    srcs = m["sources"]
    print(f"built in {m['built_seconds']} s" if a.force or "built_seconds" in m else "")
    for sp in ("tune", "test"):
        refs = m["splits"][sp]["references"]
        dis = m["splits"][sp]["distractor_sources"]
        qs = [q for q in m["queries"] if q["split"] == sp]
        pos = sum(q["expected"] is not None for q in qs)
        print(f"{sp}: {len(refs)} references, {len(dis)} distractor sources, {pos} edited copies, "
              f"{len(qs) - pos} distractor queries")  # fmt: skip
    for s in srcs:
        if not s["eligible"] and s["kind"] != "synthetic":
            print(f"  distractor only: {s['id']}: {s['why_not']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
