"""Reference works and their images: ownership, upload limits by content, and what is kept on refusal."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests import images

API = "/api/v1/works"


def _work(client, actor, title="Harbour Lights poster", **extra):
    r = client.post(API, json={"title": title, "kind": "copyright", **extra}, headers=actor.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _upload(client, actor, work_id, data, name="upload.bin", ctype="application/octet-stream"):
    return client.post(f"{API}/{work_id}/images", files={"file": (name, data, ctype)}, headers=actor.headers)


def _stored_files(env) -> list[Path]:
    root = Path(env["IPCLAIMS_DATA_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_work_is_created_listed_and_read_by_its_owner(client, holder):
    work = _work(client, holder, registration_number="VA 2-345-678", description="screen print, 2024")
    assert work["title"] == "Harbour Lights poster" and work["kind"] == "copyright"
    assert work["registration_number"] == "VA 2-345-678" and work["images"] == []
    assert work["id"] and work["created_at"]
    assert client.get(f"{API}/{work['id']}", headers=holder.headers).json()["id"] == work["id"]
    listed = client.get(API, headers=holder.headers).json()
    assert [w["id"] for w in listed["items"]] == [work["id"]] and listed["next_cursor"] is None


def test_another_holders_work_is_a_404_and_never_listed(client, holder, make_account, specialist):
    other = make_account("rights_holder", name="Holder B")
    work = _work(client, holder)
    r = client.get(f"{API}/{work['id']}", headers=other.headers)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert client.get(API, headers=other.headers).json()["items"] == []
    data = images.encode(images.photo("coffee"))
    assert _upload(client, other, work["id"], data, "a.jpg", "image/jpeg").status_code == 404
    # The work is checked before the file is looked at: not a 415 that would tell the file was read.
    assert _upload(client, other, work["id"], b"%PDF-1.7", "a.pdf", "application/pdf").status_code == 404
    assert _upload(client, holder, "NOPE", b"%PDF-1.7", "a.pdf", "application/pdf").status_code == 404
    # Staff see every work.
    assert [w["id"] for w in client.get(API, headers=specialist.headers).json()["items"]] == [work["id"]]


def test_roles_and_validation(client, holder, specialist):
    assert client.post(API, json={"title": "x"}).status_code == 401
    assert client.post(API, json={"title": "x"}, headers=specialist.headers).status_code == 403
    r = client.post(API, json={"title": "  "}, headers=holder.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][:2] == ["body", "title"]
    assert client.post(API, json={"title": "x", "kind": "patent"}, headers=holder.headers).status_code == 422
    assert client.post(API, content=b"{nope", headers={**holder.headers, "content-type": "application/json"}).status_code == 422
    assert client.get(f"{API}?cursor=zzz", headers=holder.headers).status_code == 422
    # A well-formed cursor of the wrong type (a number where a work id belongs) is refused the same way.
    forged = base64.urlsafe_b64encode(b"[7]").decode().rstrip("=")
    r = client.get(API, params={"cursor": forged}, headers=holder.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    # Staff may register a work for a rights holder.
    r = client.post(API, json={"title": "For A", "on_behalf_of": holder.id}, headers=specialist.headers)
    assert r.status_code == 201 and r.json()["owner_id"] == holder.id


def test_list_pages_with_a_cursor(client, holder):
    ids = [_work(client, holder, title=f"work {i}")["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        page = client.get(API, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=holder.headers).json()
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5


def test_image_upload_is_content_addressed_and_idempotent(client, holder, env):
    work = _work(client, holder)
    data = images.encode(images.photo("astronaut"))
    r = _upload(client, holder, work["id"], data, "poster.png", "image/png")  # the name and type lie: content wins
    assert r.status_code == 201, r.text
    image = r.json()
    assert image["width"] == 512 and image["height"] == 512 and image["media_type"] == "image/jpeg"
    assert image["hashed"] is True and len(image["sha256"]) == 64
    again = _upload(client, holder, work["id"], data, "copy.jpg", "image/jpeg").json()
    assert again["id"] == image["id"]
    stored = [p for p in _stored_files(env) if "works" in p.parts]
    assert len(stored) == 1 and stored[0].name.startswith(image["sha256"])
    assert [i["id"] for i in client.get(f"{API}/{work['id']}", headers=holder.headers).json()["images"]] == [image["id"]]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"%PDF-1.7 not an image at all", 415),
        (b"GIF89a" + b"\x00" * 4, 415),  # the magic of a GIF, then no GIF: a lie about the type
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415),
        (images.png_header(100_000, 100_000), 413),  # 10 gigapixels declared in a few bytes
        (images.png_header(9_000, 9_000), 413),  # over the 50 MP default
        (images.encode(images.photo("coffee"))[:2000], 422),  # truncated JPEG
    ],
    ids=["pdf", "broken-gif", "svg", "bomb-10gp", "bomb-81mp", "truncated-jpeg"],
)
def test_refused_uploads_answer_problem_json_and_keep_nothing(client, holder, env, data, status):
    work = _work(client, holder)
    r = _upload(client, holder, work["id"], data, "x.jpg", "image/jpeg")
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status and r.json()["detail"]
    assert _stored_files(env) == []
    assert client.get(f"{API}/{work['id']}", headers=holder.headers).json()["images"] == []


def test_upload_size_limit_and_body_shape(client, holder, set_env, env):
    work = _work(client, holder)
    set_env(IPCLAIMS_MAX_UPLOAD_BYTES="50000")
    big = images.encode(images.photo("retina"), quality=95)
    assert len(big) > 50_000
    r = _upload(client, holder, work["id"], big, "big.jpg", "image/jpeg")
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    r = client.post(f"{API}/{work['id']}/images", json={"file": "base64..."}, headers=holder.headers)
    assert r.status_code == 415
    r = client.post(f"{API}/{work['id']}/images", files={"image": ("a.jpg", b"x", "image/jpeg")}, headers=holder.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "file"]
    assert _upload(client, holder, work["id"], b"", "empty.jpg", "image/jpeg").status_code == 422
    assert _stored_files(env) == []


def _exif_rotated_jpeg() -> bytes:
    im = images.photo("coffee")  # 600×400 landscape
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    return images.encode(im, exif=exif.tobytes())


def _cmyk_jpeg() -> bytes:
    return images.encode(images.photo("rocket").convert("CMYK"))


def _palette_png_with_alpha() -> bytes:
    im = images.photo("chelsea").convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    im.info["transparency"] = 0
    return images.encode(im, "PNG", transparency=0)


def _png_16bit() -> bytes:
    arr = np.asarray(images.photo("camera").convert("L")).astype(np.uint16) * 257
    im = Image.fromarray(arr)
    assert im.mode.startswith("I;16")
    return images.encode(im, "PNG")


def _animated_gif() -> bytes:
    frames = [images.photo("astronaut").convert("P"), images.photo("coffee").resize((512, 512)).convert("P")]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def _rgba_webp() -> bytes:
    im = images.photo("astronaut").convert("RGBA")
    im.putalpha(200)
    return images.encode(im, "WEBP", quality=80)


@pytest.mark.parametrize(
    ("make", "media_type", "size"),
    [
        (_exif_rotated_jpeg, "image/jpeg", (400, 600)),  # EXIF orientation applied: portrait as a viewer shows it
        (_cmyk_jpeg, "image/jpeg", (640, 427)),
        (_palette_png_with_alpha, "image/png", (451, 300)),
        (_png_16bit, "image/png", (512, 512)),
        (_animated_gif, "image/gif", (512, 512)),
        (_rgba_webp, "image/webp", (512, 512)),
        (lambda: images.encode(images.photo("chelsea"), "TIFF"), "image/tiff", (451, 300)),
        (lambda: images.encode(images.photo("chelsea"), "BMP"), "image/bmp", (451, 300)),
    ],
    ids=["exif-rotated", "cmyk", "palette-alpha", "16-bit", "animated-gif", "rgba-webp", "tiff", "bmp"],
)
def test_formats_and_modes_are_accepted_and_indexed(client, holder, make, media_type, size):
    work = _work(client, holder)
    r = _upload(client, holder, work["id"], make(), "upload", "application/octet-stream")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["media_type"] == media_type and (body["width"], body["height"]) == size and body["hashed"]
