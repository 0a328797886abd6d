"""A file waiting for its mapping is saved like any other (so a reload keeps it) and gets its mapping in one write."""

from __future__ import annotations

import pytest

from harness import storage
from harness.ingest.guess import PENDING, is_pending


def test_a_pending_file_survives_reopening_and_takes_its_mapping(tmp_path):
    db = storage.Store(storage.sqlite_url(tmp_path / "w.sqlite"))
    ws = db.create_workspace("Hill Trust")
    db.add_files(ws.id, [storage.NewFile("guests.csv", b"a,b\n1,2\n", PENDING)])
    again = storage.Store(storage.sqlite_url(tmp_path / "w.sqlite")).get_workspace(ws.id)
    assert [f.name for f in again.files] == ["guests.csv"] and is_pending(again.files[0].mapping)
    mapping = {"table": "involvement", "columns": {"occurred_at": "a"}}
    assert db.set_file_mapping(ws.id, "guests.csv", mapping)
    saved = db.get_workspace(ws.id).files[0]
    assert saved.mapping == mapping and not is_pending(saved.mapping) and saved.data == b"a,b\n1,2\n"
    with pytest.raises(storage.StorageError):
        db.set_file_mapping(ws.id, "gone.csv", mapping)
