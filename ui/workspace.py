"""This session's workspace: open, refresh and save it (files, settings, presets), through ``harness.storage``.

Per-user state lives in ``st.session_state`` only; the one process-wide object is the database handle
(a connection pool, thread-safe), cached as a resource. Every write goes to the database first: on failure
the user is told and the session copy is left unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets

import streamlit as st

from harness import storage, targets
from harness.safety import md_escape

def database_url() -> str | None:
    """``HC_DATABASE_URL`` from the environment, else ``[database] url`` in secrets, else the SQLite default."""
    import os

    if os.environ.get(storage.ENV_URL):
        return None  # storage.default_url() reads it
    try:
        return st.secrets["database"]["url"]
    except (KeyError, FileNotFoundError, AttributeError, TypeError):
        return None
    except Exception:  # no secrets file at all (StreamlitSecretNotFoundError)
        return None


@st.cache_resource(max_entries=2, show_spinner=False)
def _store(url: str) -> storage.Store:
    # One engine (connection pool) per process, shared by every session; Store is thread-safe.
    return storage.Store(url or None)


def store() -> storage.Store | None:
    """The database, or None when it cannot be opened (the app then keeps work in this session only)."""
    url = database_url() or storage.default_url()
    try:
        return _store(url)
    except Exception as exc:  # a bad URL, a server down, a read-only disk: say so, keep working
        st.session_state["store_error"] = str(exc).splitlines()[0][:300]
        return None


def _session_copy(saved: storage.Workspace) -> dict:
    ws = saved.to_session()
    ws["updated_at"] = saved.updated_at
    if not ws["settings"]:
        ws["settings"] = targets.settings_to_dict(targets.default_settings("school"))
    return ws


def _new_session_workspace() -> dict:
    return {"id": None, "name": "This session", "files": [], "use_sample": True,
            "settings": targets.settings_to_dict(targets.default_settings("school")), "mapping_presets": {},
            # Secret per workspace: pseudonyms stay stable within it and cannot be reversed by outsiders.
            "salt": secrets.token_hex(16), "updated_at": None}


DEFAULT_WORKSPACE = "My organisation"


def open_workspace(ws_id: str | None = None) -> dict:
    """Load a saved workspace into this session (the most recently changed one, or a new one if none)."""
    db = store()
    if db is None:
        ws = _new_session_workspace()
    else:
        saved = db.get_workspace(ws_id) if ws_id else None
        if saved is None:
            listed = db.list_workspaces()
            saved = db.get_workspace(listed[0].id) if listed else db.create_workspace(
                DEFAULT_WORKSPACE, settings=targets.settings_to_dict(targets.default_settings("school")))
        ws = _session_copy(saved)
    st.session_state["workspace"] = ws
    # Widgets keyed to the old workspace's state would carry over; start them fresh.
    for key in ("processed_uploads", "needs_mapping", "published_link", "workspace_choice", "ws_rename",
                "ws_delete_sure", "manage_review"):
        st.session_state.pop(key, None)
    return ws


def workspace() -> dict:
    ws = st.session_state.get("workspace")
    return ws if ws is not None else open_workspace()


def refresh_workspace() -> None:
    """Reload this session's workspace when another session or app process has changed it."""
    ws = workspace()
    db = store()
    if db is None or not ws.get("id"):
        return
    current = next((w for w in db.list_workspaces() if w.id == ws["id"]), None)
    if current is None:  # deleted elsewhere
        open_workspace()
    elif ws.get("updated_at") is None or current.updated_at > ws["updated_at"]:
        open_workspace(ws["id"])


def _save(action: str, fn, *args) -> bool:
    """Run one store write for this session's workspace; on failure say so and change nothing."""
    ws = workspace()
    db = store()
    if db is None or not ws.get("id"):
        return True
    try:
        fn(db, ws["id"], *args)
    except storage.StorageError as exc:
        st.error(f"Could not {action}: {md_escape(exc)} Nothing was changed.")
        return False
    except Exception as exc:  # the database went away mid-write: the transaction rolled back
        st.error(f"Could not {action}: the database did not answer ({md_escape(str(exc).splitlines()[0][:200])}). "
                 "Nothing was changed.")
        return False
    saved = db.get_workspace(ws["id"], with_data=False)
    if saved is not None:
        ws["updated_at"] = saved.updated_at
    return True


def upload_day() -> str:
    """Today (UTC) as an ISO date: the upload day a new file is read against and saved with."""
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def add_file(name: str, data: bytes, sha256: str, mapping: dict | None = None, *,
             replace: bool = False) -> dict | None:
    """Add an upload to the workspace, saved first; its entry (``name`` is where it went), None if not saved.

    The rule is ``storage.place_upload``: the same bytes again change nothing; a different file with a
    name already used is kept beside it (``Follows (2).csv``) unless ``replace``.
    ``sha256`` is the hash ``ui.loaders.ingest_upload`` computed: the bytes are hashed once per upload.
    """
    ws = workspace()
    place = storage.place_upload(name, sha256, [(f["name"], f["sha256"]) for f in ws["files"]], replace=replace)
    if place.action == "same":
        return next(f for f in ws["files"] if f["name"] == place.name)
    saved: list = []
    if not _save(f"save '{name}'", lambda db, i: saved.extend(
            db.add_files(i, [storage.NewFile(name, data, mapping, sha256)], replace=replace))):
        return None
    stored = saved[0].name if saved else place.name  # the database decides when another session got there first
    entry = {"name": stored, "sha256": sha256, "size": len(data), "data": data,
             "mapping": json.dumps(mapping, sort_keys=True) if mapping else "",
             "uploaded": saved[0].uploaded_at.date().isoformat() if saved else upload_day()}
    ws["files"] = [f for f in ws["files"] if f["name"] != stored] + [entry]
    ws["use_sample"] = False
    return entry


def replace_file(name: str, with_name: str) -> bool:
    """Replace the saved ``name`` by the upload kept beside it as ``with_name`` (the user chose to)."""
    if not _save(f"replace '{name}'", lambda db, i: db.replace_file(i, name, with_name)):
        return False
    ws = workspace()
    new = next((f for f in ws["files"] if f["name"] == with_name), None)
    if new is None:
        return False
    ws["files"] = [f for f in ws["files"] if f["name"] not in (name, with_name)] + [{**new, "name": name}]
    return True


def loaded_files() -> list[dict]:
    """The workspace's files that are read (not those still waiting for a column mapping)."""
    from harness.ingest.guess import is_pending

    return [f for f in workspace()["files"] if not is_pending(f["mapping"])]


def pending_files() -> list[dict]:
    """Uploads no reader recognised, saved until the person confirms a mapping (they survive a reload)."""
    from harness.ingest.guess import is_pending

    return [f for f in workspace()["files"] if is_pending(f["mapping"])]


def add_pending(name: str, data: bytes, sha256: str) -> dict | None:
    from harness.ingest.guess import PENDING

    return add_file(name, data, sha256, PENDING)


def set_mapping(name: str, mapping: dict) -> bool:
    """Give a saved file (one waiting for its mapping) the mapping the person confirmed, in one write."""
    if not _save(f"save the mapping of '{name}'", lambda db, i: db.set_file_mapping(i, name, mapping)):
        return False
    for f in workspace()["files"]:
        if f["name"] == name:
            f["mapping"] = json.dumps(mapping, sort_keys=True) if mapping else ""
    return True


def remove_file(name: str) -> None:
    if _save(f"remove '{name}'", lambda db, i: db.remove_file(i, name)):
        ws = workspace()
        ws["files"] = [f for f in ws["files"] if f["name"] != name]


def use_sample() -> None:
    """Empty the workspace and show the sample school."""
    if _save("switch to the sample school", lambda db, i: db.clear_files(i, use_sample=True)):
        ws = workspace()
        ws["files"], ws["use_sample"] = [], True


def save_settings(new: dict) -> bool:
    if _save("save the settings", lambda db, i: db.save_settings(i, new)):
        workspace()["settings"] = new
        return True
    return False


def save_preset(name: str, mapping: dict) -> bool:
    if _save(f"save the preset '{name}'", lambda db, i: db.save_mapping_preset(i, name, mapping)):
        workspace()["mapping_presets"][name] = mapping
        return True
    return False


def create_workspace(name: str) -> bool:
    db = store()
    if db is None:
        st.error("New workspaces need the app's database, which could not be opened.")
        return False
    try:
        saved = db.create_workspace(name, settings=targets.settings_to_dict(targets.default_settings("school")))
    except storage.StorageError as exc:
        st.error(f"The workspace was not created: {md_escape(exc)}")
        return False
    open_workspace(saved.id)
    return True


def rename_workspace(name: str) -> bool:
    if _save("rename the workspace", lambda db, i: db.rename_workspace(i, name)):
        workspace()["name"] = name.strip()
        return True
    return False


def delete_workspace() -> bool:
    """Delete this session's workspace (files, settings, review links) and open another."""
    if _save("delete the workspace", lambda db, i: db.delete_workspace(i)):
        open_workspace()
        return True
    return False


def is_sample() -> bool:
    ws = workspace()
    return not ws["files"] and ws["use_sample"]


def is_empty() -> bool:
    """Nothing of the organisation's own is loaded yet (the sample, or an empty workspace): the checklist shows."""
    return not loaded_files()


def settings() -> targets.Settings:
    """This workspace's settings as an object, parsed once each time they change (see :func:`settings_key`)."""
    return _parsed_settings()[1]


def settings_key() -> str:
    """The settings as canonical JSON, written once per change: what caches of scores are keyed on."""
    return _parsed_settings()[2]


def _parsed_settings() -> tuple[dict, targets.Settings, str]:
    # The session keeps the saved form (a dict, as stored and as the Settings page edits it). It is parsed
    # again only when it differs from the copy parsed last time (a comparison of small dicts, no JSON).
    ws = workspace()
    memo = ws.get("settings_parsed")
    if memo is None or memo[0] != ws["settings"]:
        parsed = targets.settings_from_dict(ws["settings"])
        memo = ws["settings_parsed"] = (copy.deepcopy(ws["settings"]), parsed,
                                        json.dumps(targets.settings_to_dict(parsed), sort_keys=True))
    return memo


def secret_section(name: str) -> dict | None:
    """One ``[name]`` table of this deployment's secrets, or None (also when there is no secrets file)."""
    try:
        section = st.secrets.get(name) if name in st.secrets else None
    except Exception:  # no secrets file at all
        return None
    return dict(section) if section is not None else None
