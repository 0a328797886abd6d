"""Saved workspaces (harness.storage) on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest
import sqlalchemy as sa

from harness import storage
from harness.storage import NewFile, Store, StorageError, WorkspaceNotFound

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- where the database lives


def test_default_is_a_sqlite_file_in_the_repository_data_folder(monkeypatch):
    monkeypatch.delenv(storage.ENV_URL, raising=False)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert storage.default_url() == "sqlite:///" + os.path.join(root, "data", "harnessing.sqlite")


@pytest.mark.parametrize("value, expected", [
    ("postgresql+psycopg://u:p@db:5432/hc", "postgresql+psycopg://u:p@db:5432/hc"),
    ("sqlite:////srv/hc.sqlite", "sqlite:////srv/hc.sqlite"),
    ("/srv/state/hc.sqlite", "sqlite:////srv/state/hc.sqlite"),
])
def test_env_variable_gives_a_url_or_a_path(monkeypatch, value, expected):
    monkeypatch.setenv(storage.ENV_URL, value)
    assert storage.default_url() == expected


def _schema_version(store) -> int:
    with store.read() as conn:
        return conn.execute(sa.select(sa.func.max(storage.SCHEMA_VERSION_T.c.version))).scalar() or 0


def test_first_use_creates_the_file_and_its_folders(monkeypatch, tmp_path):
    path = tmp_path / "a" / "b" / "hc.sqlite"
    monkeypatch.setenv(storage.ENV_URL, str(path))
    with Store() as s:
        assert _schema_version(s) == storage.SCHEMA_VERSION
        assert s.list_workspaces() == []
    assert path.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_password_is_hidden_in_repr():
    assert "secret" not in storage.sa.make_url("postgresql+psycopg://u:secret@h/db").render_as_string(
        hide_password=True)


def test_unsupported_database_is_a_plain_message():
    with pytest.raises(StorageError, match="Unsupported database 'mysql'"):
        Store("mysql://u@h/db")


# ---------------------------------------------------------------- workspaces and files


def test_workspace_round_trip(store):
    settings = {"org_type": "nonprofit", "targets": {"k_factor": 0.2}, "weights": {}, "followers_override": {}}
    ws = store.create_workspace("  Riverside School ", settings=settings, salt="s" * 32)
    assert (ws.name, ws.settings, ws.salt, ws.use_sample, ws.files) == (
        "Riverside School", settings, "s" * 32, True, [])
    store.add_files(ws.id, [NewFile("posts.csv", b"a,b\n1,2\n"),
                            {"name": "log.csv", "data": b"x\n", "mapping": json.dumps({"Date": "occurred_at"})}])
    store.save_mapping_preset(ws.id, "Our CRM", {"Date": "occurred_at"})
    got = store.get_workspace(ws.id)
    assert [(f.name, f.size, f.sha256, f.data, f.mapping) for f in got.files] == [
        ("posts.csv", 8, sha(b"a,b\n1,2\n"), b"a,b\n1,2\n", None),
        ("log.csv", 2, sha(b"x\n"), b"x\n", {"Date": "occurred_at"}),
    ]
    assert got.mapping_presets == {"Our CRM": {"Date": "occurred_at"}}
    assert got.use_sample is False  # as ui.workspace.add_file does
    assert got.created_at.tzinfo is not None and got.updated_at >= got.created_at


def test_to_session_matches_the_app_session_workspace(store):
    ws = store.create_workspace("S", settings={"org_type": "school"})
    store.add_files(ws.id, [NewFile("m.csv", b"1", {"b": 2, "a": 1}), NewFile("n.csv", b"2")])
    session = store.get_workspace(ws.id).to_session()
    assert set(session) == {"id", "name", "files", "use_sample", "settings", "mapping_presets", "salt"}
    day = store.get_workspace(ws.id).files[0].uploaded_at.date().isoformat()  # ingest reads year-less dates by it
    assert session["files"] == [
        {"name": "m.csv", "sha256": sha(b"1"), "size": 1, "data": b"1", "mapping": '{"a": 1, "b": 2}', "uploaded": day},
        {"name": "n.csv", "sha256": sha(b"2"), "size": 1, "data": b"2", "mapping": "", "uploaded": day},
    ]


def test_replace_on_request_overwrites_and_moves_to_the_end(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("a", b"1"), NewFile("b", b"2"), NewFile("c", b"3")])
    store.add_files(ws.id, [NewFile("a", b"new")], replace=True)
    files = store.get_workspace(ws.id).files
    assert [(f.name, f.data) for f in files] == [("b", b"2"), ("c", b"3"), ("a", b"new")]
    assert [f.position for f in files] == sorted(f.position for f in files)


def test_same_name_different_bytes_is_kept_beside_the_first(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("Follows.csv", b"page one")])
    [second] = store.add_files(ws.id, [NewFile("Follows.csv", b"page two")])
    [third] = store.add_files(ws.id, [NewFile("Follows.csv", b"last quarter")])
    assert (second.name, third.name) == ("Follows (2).csv", "Follows (3).csv")
    files = store.get_workspace(ws.id).files
    assert [(f.name, f.data) for f in files] == [("Follows.csv", b"page one"), ("Follows (2).csv", b"page two"),
                                                 ("Follows (3).csv", b"last quarter")]
    assert [storage.shown_name(f.name) for f in files] == ["Follows.csv", "Follows.csv (2)", "Follows.csv (3)"]


def test_the_same_bytes_again_change_nothing(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("Follows.csv", b"page one"), NewFile("Follows.csv", b"page two"),
                            NewFile("x.csv", b"x")])
    before = store.get_workspace(ws.id)
    again = store.add_files(ws.id, [NewFile("Follows.csv", b"page two"), NewFile("Follows.csv", b"page one")])
    assert [f.name for f in again] == ["Follows (2).csv", "Follows.csv"]
    after = store.get_workspace(ws.id)
    assert [(f.name, f.data, f.position) for f in after.files] == [(f.name, f.data, f.position) for f in before.files]
    assert after.updated_at == before.updated_at


def test_replace_the_earlier_file_with_the_one_kept_beside_it(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("Follows.csv", b"page one"), NewFile("x.csv", b"x"),
                            NewFile("Follows.csv", b"page two")])
    assert store.replace_file(ws.id, "Follows.csv", "Follows (2).csv") is True
    files = store.get_workspace(ws.id).files
    assert [(f.name, f.data) for f in files] == [("x.csv", b"x"), ("Follows.csv", b"page two")]
    assert files[0].position < files[1].position
    assert store.replace_file(ws.id, "Follows.csv", "Follows (2).csv") is False  # nothing beside it now
    assert [(f.name, f.data) for f in store.get_workspace(ws.id).files] == [("x.csv", b"x"), ("Follows.csv", b"page two")]


def test_repeated_name_in_one_batch_keeps_both_unless_the_bytes_match(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("a", b"1"), NewFile("b", b"2"), NewFile("a", b"3"), NewFile("a", b"1")])
    assert [(f.name, f.data) for f in store.get_workspace(ws.id).files] == [("a", b"1"), ("b", b"2"), ("a (2)", b"3")]


@pytest.mark.parametrize("name, sha, saved, replace, expected", [
    ("Follows.csv", "h1", [], False, ("new", "Follows.csv")),
    ("Follows.csv", "h1", [("Follows.csv", "h1")], False, ("same", "Follows.csv")),
    ("Follows.csv", "h1", [("Follows.csv", "h1")], True, ("same", "Follows.csv")),
    ("Follows.csv", "h2", [("Follows.csv", "h1")], False, ("beside", "Follows (2).csv")),
    ("Follows.csv", "h2", [("Follows.csv", "h1")], True, ("replace", "Follows.csv")),
    ("Follows.csv", "h3", [("Follows.csv", "h1"), ("Follows (2).csv", "h2")], False, ("beside", "Follows (3).csv")),
    ("Follows.csv", "h2", [("Follows.csv", "h1"), ("Follows (2).csv", "h2")], False, ("same", "Follows (2).csv")),
    ("Follows.csv", "h3", [("Follows.csv", "h1"), ("Follows (3).csv", "h2")], False, ("beside", "Follows (2).csv")),
    ("notes", "h2", [("notes", "h1")], False, ("beside", "notes (2)")),
    ("Views.csv", "h1", [("Follows.csv", "h1")], False, ("new", "Views.csv")),
])
def test_place_upload(name, sha, saved, replace, expected):
    assert storage.place_upload(name, sha, saved, replace=replace) == storage.Placement(*expected)


@pytest.mark.parametrize("stored, shown", [
    ("Follows.csv", "Follows.csv"), ("Follows (2).csv", "Follows.csv (2)"), ("a (12).xlsx", "a.xlsx (12)"),
    ("notes (2)", "notes (2)"), ("Report (1).csv", "Report (1).csv"), ("Forms (Responses).csv", "Forms (Responses).csv"),
])
def test_shown_name(stored, shown):
    assert storage.shown_name(stored) == shown


def test_a_database_failure_mid_batch_leaves_the_previous_files(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("keep", b"old")])
    before = store.get_workspace(ws.id)
    inserts = []

    def fail_on_second_insert(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO files"):
            inserts.append(statement)
            if len(inserts) == 2:
                raise RuntimeError("disk full")

    sa.event.listen(store.engine, "before_cursor_execute", fail_on_second_insert)
    try:
        with pytest.raises(Exception, match="disk full"):
            store.add_files(ws.id, [NewFile("keep", b"replacement"), NewFile("x", b"1"), NewFile("y", b"2")])
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", fail_on_second_insert)
    after = store.get_workspace(ws.id)
    assert [(f.name, f.data, f.position) for f in after.files] == [("keep", b"old", 1)]
    assert after.updated_at == before.updated_at


@pytest.mark.parametrize("item, message", [
    (NewFile("", b"1"), "needs a name"),
    (NewFile("   ", b"1"), "needs a name"),
    (NewFile("x" * 300, b"1"), "too long"),
    (NewFile("a.csv", None), "a.csv: the file's contents are missing"),
    (NewFile("a.csv", b"1", ["not", "a", "dict"]), "a.csv: the column mapping"),
    ("just a string", "must have a name"),
    ({"name": "m.csv", "data": b"1", "mapping": "{not json"}, "m.csv: the saved column mapping is not readable"),
])
def test_bad_files_are_refused_with_a_message_and_nothing_saved(store, item, message):
    ws = store.create_workspace("S")
    with pytest.raises(StorageError, match=message):
        store.add_files(ws.id, [NewFile("good", b"1"), item])
    assert store.get_workspace(ws.id).files == []


def test_listing_reads_no_file_bytes(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("a", b"12345"), NewFile("b", b"678")])
    seen = []
    listener = lambda conn, cursor, statement, *a: seen.append(statement)  # noqa: E731
    sa.event.listen(store.engine, "before_cursor_execute", listener)
    try:
        summaries = store.list_workspaces()
        light = store.get_workspace(ws.id, with_data=False)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listener)
    assert [(s.name, s.files, s.total_size) for s in summaries] == [("S", 2, 8)]
    assert [f.data for f in light.files] == [None, None]
    assert not [s for s in seen if "bytes" in s]
    assert [f.data for f in store.get_workspace(ws.id).files] == [b"12345", b"678"]


def test_list_shows_empty_workspaces_most_recent_first(store):
    a = store.create_workspace("A")
    store.create_workspace("B")
    store.save_settings(a.id, {"org_type": "school"})
    assert [(s.name, s.files, s.total_size) for s in store.list_workspaces()] == [("A", 0, 0), ("B", 0, 0)]


def test_remove_file_rename_and_presets(store):
    ws = store.create_workspace("S")
    store.add_files(ws.id, [NewFile("a", b"1"), NewFile("b", b"2")])
    assert store.remove_file(ws.id, "a") is True
    assert store.remove_file(ws.id, "a") is False
    store.rename_workspace(ws.id, "Renamed")
    store.save_mapping_preset(ws.id, "one", {"a": 1})
    store.save_mapping_preset(ws.id, "two", {"b": 2})
    store.save_mapping_preset(ws.id, "one", {"a": 3})
    got = store.get_workspace(ws.id)
    assert (got.name, [(f.name, f.mapping) for f in got.files], got.mapping_presets, got.use_sample) == (
        "Renamed", [("b", None)], {"one": {"a": 3}, "two": {"b": 2}}, False)


def test_delete_workspace_removes_files_and_reviews(store):
    from harness import reviews

    ws, other = store.create_workspace("S"), store.create_workspace("T")
    store.add_files(ws.id, [NewFile("a", b"1")])
    store.add_files(other.id, [NewFile("a", b"2")])
    token, _ = reviews.publish_review(store, ws.id, {"period": {}}, title="R")
    assert store.delete_workspace(ws.id) is True
    assert store.delete_workspace(ws.id) is False
    assert store.get_workspace(ws.id) is None
    assert reviews.open_review(store, token) is None
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.FILES)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.REVIEWS)).scalar() == 0
    assert store.get_workspace(other.id).files[0].data == b"2"


@pytest.mark.parametrize("call", [
    lambda s: s.add_files("nope", [NewFile("a", b"1")]),
    lambda s: s.remove_file("nope", "a"),
    lambda s: s.save_settings("nope", {}),
    lambda s: s.save_mapping_preset("nope", "p", {}),
    lambda s: s.rename_workspace("nope", "x"),
])
def test_unknown_workspace_is_a_plain_message(store, call):
    with pytest.raises(WorkspaceNotFound, match="no longer exists"):
        call(store)


@pytest.mark.parametrize("value", [{"x": float("nan")}, {"x": object()}])
def test_settings_must_be_plain_json(store, value):
    ws = store.create_workspace("S")
    with pytest.raises(StorageError, match="not plain JSON"):
        store.save_settings(ws.id, value)


def test_restart_keeps_everything(db_url):
    with Store(db_url) as s:
        ws = s.create_workspace("S", settings={"org_type": "school"})
        s.add_files(ws.id, [NewFile("a", b"\x00\xff" * 1000)])
    with Store(db_url) as s:
        got = s.get_workspace(ws.id)
        assert (got.settings, got.files[0].data) == ({"org_type": "school"}, b"\x00\xff" * 1000)


# ---------------------------------------------------------------- schema versions


def test_migrated_schema_matches_the_table_definitions(store):
    insp = sa.inspect(store.engine)
    for name, table in storage.METADATA.tables.items():
        assert {c["name"] for c in insp.get_columns(name)} == {c.name for c in table.columns}, name
    with store.read() as conn:
        versions = conn.execute(sa.select(storage.SCHEMA_VERSION_T.c.version)).scalars().all()
    assert sorted(versions) == [v for v, _, _ in storage.MIGRATIONS]


def test_reopening_applies_nothing_twice(db_url):
    for _ in range(3):
        Store(db_url).close()
    with Store(db_url) as s, s.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.SCHEMA_VERSION_T)).scalar() == len(
            storage.MIGRATIONS)


V1_SQL = """
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR(255) NOT NULL,
                             applied_at DATETIME NOT NULL);
INSERT INTO schema_version VALUES (1, 'workspaces and files', '2026-01-05 09:00:00.000000');
CREATE TABLE workspaces (id VARCHAR(32) PRIMARY KEY, name VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL, settings TEXT NOT NULL, mapping_presets TEXT NOT NULL, salt VARCHAR(64) NOT NULL,
    use_sample BOOLEAN NOT NULL);
CREATE TABLE files (workspace_id VARCHAR(32) NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL, sha256 VARCHAR(64) NOT NULL, size BIGINT NOT NULL, bytes BLOB NOT NULL,
    mapping TEXT, uploaded_at DATETIME NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (workspace_id, name));
INSERT INTO workspaces VALUES ('w1', 'Old school', '2026-01-05 09:00:00.000000', '2026-01-06 10:30:00.000000',
    '{"org_type": "school"}', '{"CRM": {"Date": "occurred_at"}}', 'abc', 0);
INSERT INTO files VALUES ('w1', 'posts.csv', 'aa', 3, X'616263', NULL, '2026-01-06 10:30:00.000000', 1);
"""


def test_a_version_1_database_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(V1_SQL)
    with Store(storage.sqlite_url(path)) as s:
        assert _schema_version(s) == storage.SCHEMA_VERSION
        ws = s.get_workspace("w1")
        assert (ws.name, ws.settings, ws.mapping_presets, ws.salt) == (
            "Old school", {"org_type": "school"}, {"CRM": {"Date": "occurred_at"}}, "abc")
        assert [(f.name, f.data, f.uploaded_at.isoformat()) for f in ws.files] == [
            ("posts.csv", b"abc", "2026-01-06T10:30:00+00:00")]
        from harness import reviews
        token, _ = reviews.publish_review(s, "w1", {"period": {}}, title="First")  # the v2 tables work
        assert reviews.open_review(s, token).title == "First"


def test_a_newer_database_is_refused_plainly(tmp_path):
    url = storage.sqlite_url(tmp_path / "new.sqlite")
    Store(url).close()
    with sqlite3.connect(tmp_path / "new.sqlite") as raw:
        raw.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01 00:00:00')")
    with pytest.raises(StorageError, match="newer version of the app"):
        Store(url)


def test_clear_files_removes_every_file_at_once_and_sets_the_sample_flag(store):
    ws = store.create_workspace("S")
    other = store.create_workspace("T")
    store.add_files(ws.id, [NewFile("a", b"1"), NewFile("b", b"2")])
    store.add_files(other.id, [NewFile("a", b"1")])
    assert store.get_workspace(ws.id).use_sample is False
    assert store.clear_files(ws.id) == 2
    after = store.get_workspace(ws.id)
    assert after.files == [] and after.use_sample is True
    assert [f.name for f in store.get_workspace(other.id).files] == ["a"]
    with pytest.raises(storage.WorkspaceNotFound):
        store.clear_files("no-such-workspace")
