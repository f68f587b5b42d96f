"""Decoding holds memory only inside the per-process budget (issue 16, defect 1): the EXIF orientation is read from
the file's bytes, nothing is decoded before a share of the budget is held, and concurrent decodes of small files that
declare large pictures never hold more than the budget's worth at once."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import threading
import zlib
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image, ImageFile

from ipclaims.matching import imageio
from tests import images


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hostile_png(side: int) -> bytes:
    """16-bit RGBA, side×side, a grey ramp: a few hundred kB that decode to side²×4 bytes (×2 while reduced)."""
    compressor = zlib.compressobj(9)
    parts = []
    for y in range(side):
        level = (y * 65535 // side).to_bytes(2, "big")
        parts.append(compressor.compress(b"\x00" + (level * 3 + b"\xff\xff") * side))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()  # "Exif\0\0" + TIFF header, as a JPEG APP1 carries it


def png_with_exif_after_pixels(width: int, height: int, orientation: int) -> bytes:
    """A PNG whose eXIf chunk follows the pixel data: Pillow's getexif() decodes the whole image to reach it."""
    rng = np.random.default_rng(3)
    data = images.encode(Image.fromarray(rng.integers(0, 256, (height, width), dtype=np.uint8), "L"), "PNG")
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _chunk(b"eXIf", _exif(orientation)[6:]) + data[iend:]


@pytest.fixture
def loads_outside_budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """Every pixel decode (`ImageFile.load`) made while no budget share was held, as (width, height)."""
    outside: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        if self.tile and imageio.decode_budget.in_use == 0:
            outside.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    yield outside


def test_png_orientation_after_the_pixels_is_read_without_decoding(loads_outside_budget):
    data = png_with_exif_after_pixels(300, 200, orientation=6)
    decoded = imageio.open_for_matching(data, min_long_side=960)
    assert (decoded.width, decoded.height) == (200, 300)  # turned by 90°, as a viewer shows it
    assert decoded.image.size == (200, 300)
    assert loads_outside_budget == []


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_orientation_is_applied_for_every_format_that_carries_exif(fmt, loads_outside_budget):
    im = images.photo("astronaut").resize((600, 400))
    data = images.encode(im, fmt, exif=_exif(8))
    loads_outside_budget.clear()  # preparing the picture decoded it, not the code under test
    decoded = imageio.open_image(data)
    assert (decoded.width, decoded.height) == (400, 600)
    expected = np.asarray(im.transpose(Image.Transpose.ROTATE_90).convert("L"), dtype=np.int16)
    got = np.asarray(decoded.image.convert("L"), dtype=np.int16)
    assert np.abs(got - expected).mean() < 12  # the same picture, turned the way orientation 8 says
    assert loads_outside_budget == []


def test_the_hostile_png_is_not_decoded_before_the_budget_is_held(loads_outside_budget):
    decoded = imageio.open_for_matching(hostile_png(1200), min_long_side=400)
    assert decoded.image.size == (400, 400)
    assert loads_outside_budget == []


def test_concurrent_decodes_never_hold_more_than_the_budget(monkeypatch):
    data = hostile_png(1500)  # costs 1500² × 8 bytes = 18 MB by the estimate
    with Image.open(io.BytesIO(data)) as im:
        cost = imageio.decode_cost(im, reduced=True)
    assert cost == 1500 * 1500 * 8
    budget = imageio.DecodeBudget(limit=int(cost * 2.5))  # room for two at once, not three
    monkeypatch.setattr(imageio, "decode_budget", budget)
    held: list[int] = []
    original = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        if self.tile:  # a decode still to do (load() on a loaded image is a no-op)
            held.append(budget.in_use)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def decode() -> None:
        try:
            barrier.wait()
            imageio.open_for_matching(data, min_long_side=300)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=decode) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(held) == 6 and min(held) >= cost  # every decode inside a share
    assert budget.peak <= budget.limit and budget.peak == 2 * cost
    assert budget.in_use == 0


def test_a_decode_larger_than_the_whole_budget_still_runs_alone():
    budget = imageio.DecodeBudget(limit=1000)
    with budget.share(10_000):
        assert budget.in_use == 1000
    with budget.share(10), budget.share(10):  # small shares fit beside each other
        assert budget.in_use == 20
    assert budget.in_use == 0


# A burst of hostile uploads in a fresh interpreter, with the budget the settings default to: the process's peak
# stays near what one decode at a time needs, not the sum of all of them.
_BURST = textwrap.dedent("""
    import json, sys, threading
    from ipclaims.matching import imageio

    def high_water_mb():
        line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    imageio.configure_malloc()
    imageio.set_decode_budget(int(sys.argv[2]))
    data = open(sys.argv[1], "rb").read()
    before = high_water_mb()
    threads = [threading.Thread(target=imageio.open_for_matching, args=(data,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"peak_mb": high_water_mb() - before, "budget_peak": imageio.decode_budget.peak}))
""")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads VmHWM from /proc/self/status")
def test_a_burst_of_hostile_uploads_stays_within_the_budget(tmp_path):
    path = tmp_path / "hostile.png"
    path.write_bytes(hostile_png(4000))  # 16 MP: 64 MB decoded, 128 MB while reduced; 8 at once would be ~1 GB
    budget = 150_000_000
    out = subprocess.run([sys.executable, "-c", _BURST, str(path), str(budget)], capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(out.stdout)
    assert result["budget_peak"] <= budget
    assert result["peak_mb"] < 300, result  # one decode's worth and slack, never several
