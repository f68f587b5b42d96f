"""The worker's letter sweep: every pending letter rendered off the request path, in a process pool on every core.

HTML is built in this process (it reads the database); WeasyPrint — the CPU — runs in the pool and stores the
bytes content-addressed, returning only the digest. The row is then marked under its lock, re-checked so two
workers never both finish one letter. A render that fails is recorded (`failed`, attempts, error) and retried on
later sweeps up to `service.MAX_ATTEMPTS`, visible to staff in the letter list meanwhile; it is never dropped.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.letters import archive, render, service
from ipclaims.models import Letter, LetterStatus

log = logging.getLogger("ipclaims.worker")

BATCH = 64
# Fewer letters than this render in this process: starting pool processes (spawn, each importing WeasyPrint) costs
# seconds, more than rendering a handful (~0.2 s each).
POOL_MIN = 8
Outcome = tuple[str, int] | str  # (sha256, size) when rendered, else the error


def render_to_archive(html: str, data_dir: str) -> Outcome:
    """In a pool process: render and store; errors come back as text (a process pool cannot pickle every one)."""
    try:
        pdf = render.pdf_from_html(html)
        return archive.store(pdf, Path(data_dir)), len(pdf)
    except Exception as exc:  # a letter's failure is recorded on its row, never lost
        return f"{type(exc).__name__}: {exc}"


def _pool(size: int) -> Executor:
    # spawn, not fork: the worker holds database connections and threads that a forked child must not inherit.
    return ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"))


def _record(ids_outcomes: dict[str, Outcome], now: datetime) -> tuple[int, int]:
    rendered = failed = 0
    with session_scope() as session:
        for letter_id, outcome in ids_outcomes.items():
            letter = session.scalars(select(Letter).where(Letter.id == letter_id).with_for_update(skip_locked=True)).first()
            if letter is None or letter.status is LetterStatus.RENDERED:
                continue  # another worker finished it (its bytes are the same file, content-addressed)
            if isinstance(outcome, tuple):
                letter.sha256, letter.size = outcome
                letter.status, letter.rendered_at, letter.error = LetterStatus.RENDERED, now, None
                letter.attempts += 1
                rendered += 1
            else:
                service.mark_failed(letter, outcome)
                failed += 1
    return rendered, failed


def _build(settings: Settings, seen: set[str]) -> tuple[dict[str, str], dict[str, Outcome]]:
    """The next batch of due letters' HTML (read here: it needs the database), and the errors of those that failed."""
    htmls: dict[str, str] = {}
    errors: dict[str, Outcome] = {}
    with session_scope(write=False) as session:
        ids = [i for i in service.due_ids(session, BATCH + len(seen)) if i not in seen][:BATCH]
        seen.update(ids)
        for letter_id in ids:
            letter = session.get(Letter, letter_id)
            assert letter is not None
            try:
                htmls[letter_id] = service.html_of(session, letter, settings)
            except Exception as exc:  # recorded on the row
                log.exception("letter %s: building its HTML failed", letter_id)
                errors[letter_id] = f"{type(exc).__name__}: {exc}"
    return htmls, errors


def render_pending(now: datetime, settings: Settings) -> dict[str, int]:
    """Render every letter due now (pending, or failed with attempts left); each is tried once per sweep.

    With a pool the sweep is a pipeline: while the pool renders one batch, this process builds the next batch's HTML
    and records the one before, so the cores that render never wait for the database."""
    if not render.available():
        return {"letters_unrenderable": 1}  # logged by the caller's summary; rows stay pending until Pango exists
    seen: set[str] = set()
    rendered = failed = 0
    data_dir = str(settings.data_dir)
    pool: Executor | None = None
    in_flight: tuple[list[str], list[Future[Outcome]], dict[str, Outcome]] | None = None

    def finish(batch: tuple[list[str], list[Future[Outcome]], dict[str, Outcome]]) -> None:
        nonlocal rendered, failed
        ids, futures, outcomes = batch
        outcomes.update(zip(ids, (f.result() for f in futures), strict=True))
        done, bad = _record(outcomes, now)
        rendered, failed = rendered + done, failed + bad

    try:
        while True:
            htmls, outcomes = _build(settings, seen)
            if not htmls and not outcomes:
                break  # nothing more is due
            if pool is None and len(htmls) < POOL_MIN:
                outcomes.update({i: render_to_archive(h, data_dir) for i, h in htmls.items()})
                finish(([], [], outcomes))
                continue
            pool = pool or _pool(min(2, os.cpu_count() or 1))
            batch = (list(htmls), [pool.submit(render_to_archive, h, data_dir) for h in htmls.values()], outcomes)
            if in_flight is not None:
                finish(in_flight)
            in_flight = batch
    finally:
        if in_flight is not None:
            finish(in_flight)
        if pool is not None:
            pool.shutdown()
    return {"letters_rendered": rendered, "letters_failed": failed}
