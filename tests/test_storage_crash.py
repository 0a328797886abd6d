"""Storage across processes: a writer killed mid-save, concurrent writers, concurrent first opens,
and two app processes seeing each other's workspaces. SQLite always; PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from harness import storage
from harness.storage import NewFile, Store

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("TEST_DATABASE_URL")


def python(code: str, *args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def run(code: str, *args: str) -> str:
    p = python(code, *args)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    return out


def integrity_ok(url: str) -> None:
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []


# ---------------------------------------------------------------- killed mid-write

WRITER = """
    import os, sys, time
    import sqlalchemy as sa
    from harness.storage import Store, NewFile

    url, ws_id = sys.argv[1], sys.argv[2]
    store = Store(url)
    inserted = []

    @sa.event.listens_for(store.engine, "after_cursor_execute")
    def pause_mid_batch(conn, cursor, statement, *args):
        # After 6 of the 8 files are written inside the open transaction, tell the parent and wait to be killed.
        if statement.startswith("INSERT INTO files"):
            inserted.append(1)
            if len(inserted) == 6:
                print("MID", flush=True)
                time.sleep(60)

    big = [NewFile("posts.csv", os.urandom(1_000_000))]  # replaces the saved file of that name
    big += [NewFile(f"big{i}.bin", os.urandom(1_000_000)) for i in range(7)]
    store.add_files(ws_id, big, replace=True)
    print("DONE", flush=True)
"""


def test_killing_the_writer_mid_save_keeps_the_previous_state(db_url):
    with Store(db_url) as s:
        ws = s.create_workspace("S", settings={"org_type": "school"})
        s.add_files(ws.id, [NewFile("posts.csv", b"old posts"), NewFile("log.csv", b"old log")])
        before = s.get_workspace(ws.id)

    child = python(WRITER, db_url, ws.id)
    try:
        assert child.stdout.readline().strip() == "MID", child.stderr.read()
        if db_url.startswith("sqlite"):
            # The uncommitted megabytes really reached the disk (the cache spilled into the WAL).
            wal = Path(sa.make_url(db_url).database + "-wal")
            assert wal.stat().st_size > 2_000_000
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    integrity_ok(db_url)
    with Store(db_url) as s:
        after = s.get_workspace(ws.id)
        assert [(f.name, f.sha256, f.data) for f in after.files] == [
            (f.name, f.sha256, f.data) for f in before.files]
        assert (after.settings, after.updated_at) == (before.settings, before.updated_at)
        # The dead writer's lock is gone: the next save goes through at once.
        t0 = time.monotonic()
        s.add_files(ws.id, [NewFile("next.csv", b"1")])
        assert time.monotonic() - t0 < 5
        assert [f.name for f in s.get_workspace(ws.id, with_data=False).files] == ["posts.csv", "log.csv",
                                                                                   "next.csv"]
    integrity_ok(db_url)


# ---------------------------------------------------------------- concurrent writers

SAVER = """
    import sys
    from harness.storage import Store, NewFile

    url, fresh_url, ws_id, who = sys.argv[1:5]
    print("READY", flush=True)
    sys.stdin.readline()  # all processes begin together, once every interpreter has imported
    Store(fresh_url).close()  # several processes migrating a brand-new database at the same moment
    store = Store(url)
    for i in range(20):
        store.add_files(ws_id, [NewFile(f"{who}-{i}.csv", f"{who},{i}".encode())])
        store.save_mapping_preset(ws_id, f"{who}-{i}", {"n": i})  # read-modify-write of one JSON value
    print("OK", flush=True)
"""


def fresh_url_for(db_url: str, tmp_path: Path) -> tuple[str, callable]:
    if db_url.startswith("sqlite"):
        return storage.sqlite_url(tmp_path / "fresh.sqlite"), lambda: None
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))

    def drop():
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return db_url.rsplit("%3D", 1)[0] + "%3D" + schema, drop


def test_concurrent_saves_from_four_processes_all_land(db_url, tmp_path):
    with Store(db_url) as s:
        ws = s.create_workspace("Shared")
    fresh, drop = fresh_url_for(db_url, tmp_path)
    try:
        procs = [python(SAVER, db_url, fresh, ws.id, f"p{j}", stdin=subprocess.PIPE) for j in range(4)]
        assert [p.stdout.readline().strip() for p in procs] == ["READY"] * 4
        results = [p.communicate("go\n", timeout=120) for p in procs]
        for p, (out, err) in zip(procs, results):
            assert p.returncode == 0 and out.strip() == "OK", err
        with Store(db_url) as s:
            got = s.get_workspace(ws.id)
        expected = {f"p{j}-{i}" for j in range(4) for i in range(20)}
        assert {f.name.removesuffix(".csv") for f in got.files} == expected
        assert all(f.data == f.name.removesuffix(".csv").replace("-", ",").encode() for f in got.files)
        assert sorted(f.position for f in got.files) == list(range(1, 81))
        assert set(got.mapping_presets) == expected  # no lost update
        with Store(fresh) as s, s.read() as conn:
            versions = conn.execute(sa.select(storage.SCHEMA_VERSION_T.c.version)).scalars().all()
        assert sorted(versions) == [v for v, _, _ in storage.MIGRATIONS]  # migrated exactly once
    finally:
        drop()
    integrity_ok(db_url)


# ---------------------------------------------------------------- two app processes

READER = """
    import sys
    from harness.storage import Store

    store = Store(sys.argv[1])
    for w in store.list_workspaces():
        ws = store.get_workspace(w.id)
        print(w.name, *[f"{f.name}={f.data.decode()}" for f in ws.files])
"""

CREATOR = """
    import sys
    from harness.storage import Store, NewFile

    store = Store(sys.argv[1])
    ws = store.create_workspace("Made elsewhere")
    store.add_files(ws.id, [NewFile("b.csv", b"from the other process")])
    print(ws.id)
"""


def test_two_processes_see_the_same_workspaces(db_url):
    here = Store(db_url)  # opened first and kept open, like a running app replica
    try:
        ws = here.create_workspace("Made here")
        here.add_files(ws.id, [NewFile("a.csv", b"hello")])
        assert run(READER, db_url).splitlines() == ["Made here a.csv=hello"]
        other_id = run(CREATOR, db_url).strip()
        other = here.get_workspace(other_id)
        assert (other.name, [f.data for f in other.files]) == ("Made elsewhere", [b"from the other process"])
        assert {w.name for w in here.list_workspaces()} == {"Made here", "Made elsewhere"}
    finally:
        here.close()


# ---------------------------------------------------------------- a save waits for the one in progress


def test_a_save_waits_for_the_save_in_progress_and_loses_nothing(db_url):
    """Two app threads (separate Stores) editing presets at once: the second waits for the first's lock.

    Without the write lock taken up front (BEGIN IMMEDIATE on SQLite, SELECT ... FOR UPDATE on
    PostgreSQL) the slow save either fails with "database is locked" or overwrites the quick one.
    """
    import threading

    slow_store, quick_store = Store(db_url), Store(db_url)
    ws = slow_store.create_workspace("S")
    inside, order = threading.Event(), []

    def slow_change(presets):
        inside.set()
        time.sleep(0.5)
        presets["slow"] = {"a": 1}
        order.append("slow")

    slow = threading.Thread(target=slow_store.update_presets, args=(ws.id, slow_change))
    slow.start()
    try:
        assert inside.wait(10)
        quick_store.save_mapping_preset(ws.id, "quick", {"b": 2})
        order.append("quick")
    finally:
        slow.join(10)
    assert order == ["slow", "quick"]
    assert quick_store.get_workspace(ws.id).mapping_presets == {"slow": {"a": 1}, "quick": {"b": 2}}
    slow_store.close()
    quick_store.close()
