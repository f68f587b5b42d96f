"""The web pages' part of the app: `install(app)` mounts the static files, adds the session middleware and the
page routers, and answers errors on page paths with a page (signed out → a redirect to `/login`).

Another part of the site adds its router to `ROUTERS` (each page router is included with `csrf_protect`, so no
form can skip it) and its templates under `templates/pages/`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from ipclaims.web import (
    admin,
    counter_draft,
    holder_claims,
    holder_new,
    holder_works,
    legal,
    login,
    notice_import,
    preferences,
    queue,
    reports_page,
    review_actions,
    review_page,
    uploader,
)
from ipclaims.web.auth import SignInRequired, optional_user
from ipclaims.web.csrf import csrf_protect
from ipclaims.web.session import PageSessionMiddleware, is_page_path
from ipclaims.web.templating import STATIC_PREFIX, pages_dir, render

# holder_new before holder_claims: `/claims/new` is not a claim id. review_page before holder_claims: it answers
# `/claims/{id}` for staff and hands a rights holder to the holder's page. legal's `/letters/export` is declared
# before `/letters/{id}.pdf` in its own router.
ROUTERS: tuple[APIRouter, ...] = (
    login.router,
    holder_new.router,
    review_page.router,
    holder_claims.router,
    holder_works.router,
    queue.router,
    review_actions.router,
    legal.router,
    admin.router,
    preferences.router,
    reports_page.router,
    notice_import.router,
    counter_draft.router,
    uploader.router,
)

ERROR_TITLES = {
    403: "You cannot open this page",
    404: "Page not found",
    410: "This link has expired",
    405: "Not allowed here",
    413: "Too large",
    415: "Unsupported file",
    422: "Something in the form was not valid",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Busy, try again",
}


async def error_page(request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None) -> Response | None:
    if not is_page_path(request.url.path):
        return None
    if status != 500:  # the user's navigation on the error page too (not after an unexpected error: keep it simple)
        try:
            await optional_user(request)
        except Exception:  # an error page must render even when the database is what failed
            request.state.page_user = False
    heading = ERROR_TITLES.get(status, title)
    # A 404 names nothing: another holder's claim must look exactly like no claim.
    text = "There is nothing here, or it is not yours to see." if status == 404 else detail
    response = render(request, "error.html", {"status": status, "heading": heading, "detail": text}, status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def install(app: FastAPI) -> None:
    app.add_middleware(PageSessionMiddleware)
    app.mount(STATIC_PREFIX, StaticFiles(directory=str(pages_dir() / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(csrf_protect)])

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.headers.get("hx-request"):  # htmx would swap the sign-in page into a fragment: go there instead
            return Response(status_code=204, headers={"HX-Redirect": exc.location})
        return RedirectResponse(exc.location, status_code=303)
