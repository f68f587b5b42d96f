"""create_app(): routers, exception handlers, body limits, lifespan, event subscribers."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from swagger_ui_bundle import swagger_ui_path

from ipclaims import __version__, integrations, letters, notifications
from ipclaims.auth.api import router as accounts_router
from ipclaims.claims.api import router as claims_router
from ipclaims.config import Mode, Settings, get_settings
from ipclaims.db import dispose, get_engine, run_read
from ipclaims.errors import install_handlers
from ipclaims.http import PROBLEM_RESPONSES, BodyLimitMiddleware, HeaderEncodingMiddleware, openapi_components
from ipclaims.integrations.api import router as integrations_router
from ipclaims.letters.api import router as letters_router
from ipclaims.mailroom.api import router as mailroom_router
from ipclaims.matching import imageio
from ipclaims.matching.api import router as matching_router
from ipclaims.matching.service import warm_library
from ipclaims.reports.api import router as reports_router
from ipclaims.review.api import router as review_router
from ipclaims.web import app as web
from ipclaims.works.api import conflicts_router
from ipclaims.works.api import router as works_router

log = logging.getLogger("ipclaims")

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_ASSETS = "/docs/assets"


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    settings.check_secure()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.match_index == "memory" and settings.env is not Mode.TEST:
        # A million hashes take seconds to load: do it now, beside serving, rather than in the first match request.
        threading.Thread(target=warm_library, name="ipclaims-library-warmup", daemon=True).start()
    yield
    dispose(get_engine())


def create_app() -> FastAPI:
    settings = get_settings()
    settings.check_secure()
    notifications.register()  # what events ask of the world: mail; each domain with follow-ups registers its own
    integrations.register()  # webhooks to the platform, grey-area flags at intake
    letters.register()  # the owed letters
    app = FastAPI(
        title="ipclaims",
        version=__version__,
        summary="Copyright and trademark claim processing: intake, legal elements, matching, counter-notices.",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # `_docs` below: Swagger UI from the installed package, not a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    imageio.set_decode_budget(settings.decode_memory_bytes)
    imageio.configure_malloc()
    install_handlers(app, page=web.error_page)
    # The JSON API's routers first: routes are tried in order, and no page path starts with /api/ nor any API path
    # without it, so the order answers every request alike; an API request (intake above all) then stops at its
    # own router instead of first trying every page route (a tenth of an intake's CPU when the pages came first).
    for router in (
        claims_router,
        review_router,
        works_router,
        conflicts_router,
        matching_router,
        accounts_router,
        reports_router,
        integrations_router,
        letters_router,
        mailroom_router,
    ):
        app.include_router(router, responses=PROBLEM_RESPONSES)
    web.install(app)  # the pages: their routers, static files and session cookie (innermost middleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(HeaderEncodingMiddleware)  # added last: runs first, before anything decodes a header
    if settings.serves_docs:
        _docs(app, settings)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_components(
                get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        # Admitted like any reader: a health probe must never take the last pooled connection from a request.
        await run_read(lambda session: session.execute(text("SELECT 1")).scalar_one())
        return {"status": "ok"}

    return app


def _docs(app: FastAPI, _settings: Settings) -> None:
    """/docs and its assets from the `swagger-ui-bundle-v2` wheel: the page works on a machine without internet."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title=f"{app.title} API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )
