"""Re-indexing: the worker and `ipclaims rehash` bring stale images up to the current hashing scheme, once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, update

from ipclaims.cli import main as cli
from ipclaims.db import session_scope
from ipclaims.jobs.worker import run_once
from ipclaims.matching import pipeline
from ipclaims.models import ImageFeatures, ImageHash, WorkImage
from tests import images
from tests.conftest import IS_PG


def _register(client, holder, name="coffee"):
    work = client.post("/api/v1/works", json={"title": name}, headers=holder.headers).json()
    r = client.post(
        f"/api/v1/works/{work['id']}/images",
        headers=holder.headers,
        files={"file": (f"{name}.jpg", images.encode(images.photo(name)), "image/jpeg")},
    )
    assert r.status_code == 201
    return work["id"], r.json()["id"]


def _counts(image_id):
    with session_scope(write=False) as s:
        hashes = s.scalar(select(func.count()).select_from(ImageHash).where(ImageHash.image_id == image_id))
        features = s.scalar(select(func.count()).select_from(ImageFeatures).where(ImageFeatures.image_id == image_id))
        version = s.scalar(select(WorkImage.hash_version).where(WorkImage.id == image_id))
    return hashes, features, version


def test_worker_reindexes_stale_images_once(client, holder, specialist):
    _, image_id = _register(client, holder)
    hashes, features, version = _counts(image_id)
    assert hashes > 40 and features == 1 and version == pipeline.HASH_VERSION
    with session_scope() as s:  # as after an upgrade that bumped HASH_VERSION
        s.execute(update(WorkImage).where(WorkImage.id == image_id).values(hash_version=0))
        s.execute(ImageHash.__table__.delete().where(ImageHash.image_id == image_id))
    assert run_once()["reindexed"] == 1
    assert _counts(image_id) == (hashes, 1, pipeline.HASH_VERSION)
    assert run_once()["reindexed"] == 0  # nothing stale: a rerun does nothing twice
    found = client.post(
        "/api/v1/match", headers=specialist.headers, files={"file": ("q.jpg", images.encode(images.photo("coffee")), "image/jpeg")}
    ).json()
    assert found["matches"][0]["image_id"] == image_id and found["matches"][0]["verdict"] == "match"


def test_an_image_that_cannot_be_reindexed_does_not_hold_up_the_others(client, holder, env, monkeypatch):
    from pathlib import Path

    from ipclaims.jobs import hashing

    monkeypatch.setattr(hashing, "BATCH", 1)  # one image a sweep: the broken one would fill every batch
    monkeypatch.setattr(hashing, "_unindexable", set())
    ids = [_register(client, holder, name)[1] for name in ("coffee", "chelsea")]
    with session_scope() as s:
        s.execute(update(WorkImage).where(WorkImage.id.in_(ids)).values(hash_version=0))
        broken = s.scalar(select(WorkImage.path).where(WorkImage.id == min(ids)))
    (Path(env["IPCLAIMS_DATA_DIR"]) / broken).unlink()  # the first one's file is gone
    assert run_once()["reindexed"] == 0
    assert run_once()["reindexed"] == 1
    assert [_counts(i)[2] for i in sorted(ids)] == [0, pipeline.HASH_VERSION]


def test_rehash_command_reindexes_everything_with_all(client, holder, capsys):
    _, first = _register(client, holder, "coffee")
    _, second = _register(client, holder, "rocket")
    assert cli(["rehash", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["images"] == 0
    assert cli(["rehash", "--all", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["images"] == 2 and summary["reindexed"] == 2
    assert _counts(first)[0] > 40 and _counts(second)[0] > 40


@pytest.mark.postgres_only
@pytest.mark.skipif(not IS_PG, reason="IPCLAIMS_MATCH_INDEX=database ranks in PostgreSQL; the suite runs on it in CI")
def test_database_index_answers_like_the_memory_index(client, holder, specialist, set_env):
    _register(client, holder, "coffee")
    work_id, _ = _register(client, holder, "rocket")
    query = images.encode(images.EDITS["crop_75_corner"](images.photo("rocket")))

    def ask():
        r = client.post("/api/v1/match", headers=specialist.headers, files={"file": ("q.jpg", query, "image/jpeg")})
        assert r.status_code == 200
        return [(m["work_id"], m["verdict"], m["distance"]) for m in r.json()["matches"]]

    in_memory = ask()
    set_env(IPCLAIMS_MATCH_INDEX="database")
    assert ask() == in_memory and in_memory[0][:2] == (work_id, "match")
