"""`/works`: registering a reference work and uploading its images through the works service, with the API's
limits, and another holder's work as the 404 page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from PIL import Image

from tests.web.conftest import WebUser, csrf_of


def jpeg(color: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 64), color).save(buffer, "JPEG")
    return buffer.getvalue()


def test_register_a_work_and_upload_images(make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> None:
    owner = signed_in(make_web_user("rights_holder"))
    token = csrf_of(owner.get("/works").text)
    blank = owner.post("/works", data={"title": "  ", "kind": "copyright", "description": "kept", "csrf_token": token})
    assert blank.status_code == 422 and "Give the work a title" in blank.text and ">kept</textarea>" in blank.text
    made = owner.post("/works", data={"title": "Lighthouse at dawn", "kind": "copyright", "csrf_token": token})
    assert made.status_code == 303
    work_url = made.headers["location"].split("?")[0]
    files = [("file", ("a.jpg", jpeg(), "image/jpeg")), ("file", ("b.jpg", jpeg((10, 90, 200)), "image/jpeg"))]
    up = owner.post(work_url + "/images", data={"csrf_token": token}, files=files)
    assert up.status_code == 303 and up.headers["location"].endswith("?added=2")
    page = owner.get(up.headers["location"]).text
    assert "2 images were added" in page
    srcs = re.findall(r'<img src="(/works/[^"]+/images/[^"]+)"', page)
    assert len(srcs) == 2
    image = owner.get(srcs[0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg" and image.content[:2] == b"\xff\xd8"
    assert "Lighthouse at dawn" in owner.get("/works").text
    # Not an image: refused with the API's status, the page says which file.
    bad = owner.post(work_url + "/images", data={"csrf_token": token}, files=[("file", ("notes.txt", b"hello", "text/plain"))])
    assert bad.status_code == 415 and "notes.txt" in bad.text
    none = owner.post(work_url + "/images", data={"csrf_token": token})
    assert none.status_code == 422 and "Choose at least one image" in none.text
    without_csrf = owner.post(work_url + "/images", files=files)
    assert without_csrf.status_code == 403
    # Another holder sees none of it.
    other = signed_in(make_web_user("rights_holder"))
    for path in (work_url, srcs[0]):
        assert other.get(path).status_code == 404, path
    other_token = csrf_of(other.get("/works").text)
    assert other.post(work_url + "/images", data={"csrf_token": other_token}, files=files).status_code == 404
    assert "Lighthouse at dawn" not in other.get("/works").text
