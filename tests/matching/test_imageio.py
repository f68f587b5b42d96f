"""Decoding untrusted uploads (ipclaims.matching.imageio): tiny images refused, big ones decoded without holding
several copies of themselves, the pixel limit the setting says and no other."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

from ipclaims.errors import PayloadTooLarge, Unprocessable
from ipclaims.matching import imageio, pipeline
from tests import images


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


@pytest.mark.parametrize("size", [(1, 1), (2, 600), (600, 2), (15, 800)])
def test_images_too_small_to_recognise_are_refused(size):
    with pytest.raises(Unprocessable) as refused:
        imageio.open_for_matching(_png(Image.new("L", size, 128)))
    assert refused.value.status == 422 and "too small" in str(refused.value)


@pytest.mark.parametrize("size", [(16, 16), (16, 900), (1200, 16)])
def test_the_smallest_accepted_images_hash_and_verify(size):
    rng = np.random.default_rng(7)
    im = Image.fromarray(rng.integers(0, 256, (size[1], size[0]), dtype=np.uint8), "L")
    decoded = imageio.open_for_matching(_png(im))
    reference = pipeline.reference_signature(decoded.image)
    query = pipeline.query_signature(decoded.image)
    evidence = pipeline.Evidence(0, 64, (0.0, 0.0, 1.0, 1.0), (0.0, 0.0, 1.0, 1.0), False)
    judged = pipeline.judge(query, reference.features, reference.thumb, evidence)  # no OpenCV error on a thin strip
    assert judged.verdict in ("match", "possible", "none")


def test_the_pixel_limit_is_the_settings_not_pillows():
    header = images.png_header(10_000, 9_500, color_type=0)  # 95 MP: above Pillow's own 89 MP warning threshold
    with pytest.raises(PayloadTooLarge):
        imageio.open_for_matching(header)  # the 50 MP default
    with pytest.raises(Unprocessable, match="cannot decode"):  # allowed by a 120 MP setting: refused only for its missing pixel data
        imageio.open_for_matching(header, max_pixels=120_000_000)


@pytest.mark.parametrize("mode", ["I;16", "RGBA", "P"])
def test_reduced_decode_equals_decoding_then_reducing(mode):
    """Reducing before converting gives the picture the old order (convert, then reduce) gave, within rounding."""
    photo = images.photo("astronaut").resize((2048, 2048))
    if mode == "I;16":
        im = Image.fromarray(np.asarray(photo.convert("L")).astype(np.uint16) * 257)
    elif mode == "RGBA":
        im = photo.convert("RGBA")
        im.putalpha(255)
    else:
        im = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=128)
    decoded = imageio.open_for_matching(_png(im), min_long_side=960)
    assert decoded.image.size == (1024, 1024) and decoded.image.mode == "L"
    expected = np.asarray(photo.convert("L").reduce(2), dtype=np.int16)
    assert np.abs(np.asarray(decoded.image, dtype=np.int16) - expected).mean() < 3.0


# Peak memory of decoding one 49 MP PNG (7000×7000, just under the 50 MP limit) in a fresh interpreter, in MB above
# what the interpreter held before. Before reducing first: ~940 MB (16-bit) and ~1,120 MB (RGBA); now ~150 and ~380.
_PEAK = textwrap.dedent("""
    import json, sys
    from ipclaims.matching import imageio

    def high_water_mb():  # VmHWM: this process's own peak (ru_maxrss would carry the forking parent's over exec)
        line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    data = open(sys.argv[1], "rb").read()
    before = high_water_mb()
    decoded = imageio.open_for_matching(data)
    print(json.dumps({"size": decoded.image.size, "peak_mb": high_water_mb() - before}))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads VmHWM from /proc/self/status")
@pytest.mark.parametrize("mode", ["I;16", "RGBA"])
def test_a_large_upload_is_decoded_without_copies_of_itself(mode, tmp_path):
    side = 7000
    ramp = np.broadcast_to((np.arange(side, dtype=np.uint32) * 65535 // side).astype(np.uint16), (side, side))
    if mode == "I;16":
        im = Image.fromarray(np.ascontiguousarray(ramp))
    else:
        grey = Image.fromarray((ramp >> 8).astype(np.uint8))
        im = Image.merge("RGBA", (grey, grey.transpose(Image.Transpose.TRANSPOSE), grey, grey))
    path = tmp_path / "big.png"
    im.save(path, "PNG", compress_level=1)
    del im
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(out.stdout)
    assert result["size"] == [1000, 1000]  # reduced by 7 to the 960 px working size
    # The decoded pixels alone are 98 MB (16-bit) and 196 MB (RGBA); one temporary of that size is allowed.
    assert result["peak_mb"] < 450, result
