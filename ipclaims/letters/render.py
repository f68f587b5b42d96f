"""Letters from templates/letters/ (Jinja2, autoescaped) to PDF/A-3b through WeasyPrint.

Nothing a letter shows is fetched from outside the project (CONTRACT.md "Letters"): the only URLs WeasyPrint may
resolve are the project's own static files under STATIC_BASE; `file:`, network, `data:` and every other URL is
refused by `fetch`, so notifier text such as ``<img src="file:///etc/passwd">`` is escaped by Jinja and, should any
markup ever slip through, still loads nothing. Rendering is pure (HTML string in, bytes out) so the worker can run
it in a process pool.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from PIL import ImageFile

from ipclaims.errors import AppError
from ipclaims.letters.templates import static_dir, templates_dir

_TRUNCATED = ImageFile.LOAD_TRUNCATED_IMAGES
try:  # WeasyPrint loads Pango when imported: a machine without it must still serve everything but letters.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetchingError

    IMPORT_ERROR: str | None = None
except OSError as exc:  # pragma: no cover - exercised only on a machine without Pango
    weasyprint = None
    FontConfiguration = None
    URLFetchingError = OSError
    IMPORT_ERROR = str(exc)
finally:
    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES; the upload checks rely on Pillow refusing
    # a truncated JPEG, and letters load no images, so Pillow's own setting is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = _TRUNCATED

log = logging.getLogger("ipclaims.letters")


def available() -> bool:
    """Whether this machine can render letters at all (WeasyPrint and Pango loaded)."""
    return weasyprint is not None


# A host that can never resolve (RFC 2606 .invalid): relative links in the templates resolve under it, and `fetch`
# maps exactly this prefix to templates/letters/static/ and nothing else.
STATIC_BASE = "https://letters.ipclaims.invalid/static/"
INSTALL_HINT = (
    "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core (WeasyPrint needs Pango and fonts)"
)


class RendererUnavailable(AppError):
    status, code, title = 503, "renderer-unavailable", "Letter rendering unavailable"


def long_date(value: date | datetime | None) -> str:
    """Dates for people: "16 July 2026" (ISO dates go in the metadata)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B %Y')}"


# A provision ("§ 512(c)(3)(A)(i)", "Art. 16(2)(d)", "reg 78(4)(e)–(f)") is never split across lines: Unicode allows a
# break between ")" and "(", which would leave "(i)" alone on the next line.
_PROVISION = re.compile(r"((?:§§?|Art\.|Arts|reg|regs|s|ss) [0-9][^\s,;]*)")


def cite(value: str | None) -> Markup:
    return Markup(_PROVISION.sub(r'<span class="cite">\1</span>', str(escape(value or ""))))


def _humanise(value: str | None) -> str:
    return (value or "").replace("_", " ")


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = long_date
    env.filters["human"] = _humanise
    env.filters["cite"] = cite
    return env


def html_for(kind: str, context: dict[str, Any]) -> str:
    return environment().get_template(f"{kind}.html").render(kind=kind, **context)


def fetch(url: str) -> dict[str, Any]:
    """WeasyPrint's URL fetcher: the project's own static files, nothing else (no file:, network or data:)."""
    if url.startswith(STATIC_BASE):
        name = url[len(STATIC_BASE) :].split("?", 1)[0].split("#", 1)[0]
        root = static_dir().resolve()
        path = (root / name).resolve()
        if path.is_relative_to(root) and path.is_file():
            return {"string": path.read_bytes(), "mime_type": _MIME.get(path.suffix, "application/octet-stream"), "redirected_url": url}
    log.warning("letter render: refused to fetch %s", url[:200])
    raise URLFetchingError(f"letters fetch nothing outside the project: {url[:80]}")


_MIME = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".woff2": "font/woff2"}


def check_available() -> None:
    if weasyprint is None:
        raise RendererUnavailable(f"the PDF renderer cannot run on this machine: {IMPORT_ERROR}; install: {INSTALL_HINT}")


STYLESHEET = "letter.css"


# Kept per thread, not per process: Pango's font maps are not meant to be shared between threads, and the API renders
# a letter in the request threadpool (a worker's pool process renders on one thread and keeps them for every letter).
_PER_THREAD = threading.local()


def _fonts() -> Any:
    """One font configuration per thread: building Pango's font map for every letter cost a sixth of a render."""
    fonts = getattr(_PER_THREAD, "fonts", None)
    if fonts is None:
        fonts = _PER_THREAD.fonts = FontConfiguration()
    return fonts


def _stylesheet() -> Any:
    """The letters' one stylesheet, parsed once per thread (its parse cost a quarter of a render). The templates link
    none: every letter is rendered with this one."""
    sheet = getattr(_PER_THREAD, "stylesheet", None)
    if sheet is None:
        sheet = _PER_THREAD.stylesheet = weasyprint.CSS(url=STATIC_BASE + STYLESHEET, url_fetcher=fetch, font_config=_fonts())
    return sheet


def pdf_from_html(html: str) -> bytes:
    """PDF/A-3b (XMP pdfaid part 3 / conformance B, sRGB output intent, fonts embedded) of one letter's HTML."""
    check_available()
    document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetch)
    pdf = document.write_pdf(stylesheets=[_stylesheet()], font_config=_fonts(), pdf_variant="pdf/a-3b", srgb=True, uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)


def render(kind: str, context: dict[str, Any]) -> bytes:
    return pdf_from_html(html_for(kind, context))
