"""create_app(): routers, exception handlers, body limits, lifespan."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy import text

from ipclaims import __version__
from ipclaims.auth.api import router as accounts_router
from ipclaims.claims.api import router as claims_router
from ipclaims.config import Mode, get_settings
from ipclaims.db import get_engine, run_read
from ipclaims.errors import install_handlers
from ipclaims.http import BodyLimitMiddleware, openapi_components
from ipclaims.letters.api import router as letters_router
from ipclaims.matching.api import router as matching_router
from ipclaims.matching.service import warm_library
from ipclaims.review.api import router as review_router
from ipclaims.works.api import router as works_router

log = logging.getLogger("ipclaims")


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    settings.check_secure()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.match_index == "memory" and settings.env is not Mode.TEST:
        # A million hashes take seconds to load: do it now, beside serving, rather than in the first match request.
        threading.Thread(target=warm_library, name="ipclaims-library-warmup", daemon=True).start()
    yield
    get_engine().dispose()


def create_app() -> FastAPI:
    settings = get_settings()
    settings.check_secure()
    app = FastAPI(
        title="ipclaims",
        version=__version__,
        summary="Copyright and trademark claim processing: intake, legal elements, matching, counter-notices.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    install_handlers(app)
    app.add_middleware(BodyLimitMiddleware)
    for router in (claims_router, review_router, works_router, matching_router, accounts_router, letters_router):
        app.include_router(router)

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
