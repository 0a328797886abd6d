"""UI plumbing shared by the pages: workspace state, cached harness calls, sidebar, widgets.

No numbers are computed here: everything comes from ``harness``. Caches are
keyed on the sha256 of uploaded bytes (never on a DataFrame: Streamlit hashes
large frames from a sample, so two different uploads could collide) and are
bounded with ``max_entries`` and ``ttl``. Per-user state lives in
``st.session_state`` only; nothing mutable lives at module level.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

import streamlit as st

from harness import access, periods, storage, targets, views
from harness.dataset import Dataset, combine
from harness.safety import md_escape

def _leave_legacy_multipage_mode() -> None:
    """Make a deep link work on a fresh server.

    Streamlit sees the ``pages/`` folder and, until ``st.navigation`` has run
    once in the process, runs a requested page file directly (legacy
    multipage mode): no ``app.py``, so no page config, no shared sidebar, and
    every file in ``pages/`` listed. That happens to the first visitor after a
    restart who opens a link to a page, such as a shared review. Switching
    the (process-wide) flag off and rerunning sends that run through
    ``app.py``, which routes to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_multipage_mode()


PILLAR_ORDER = ("involvement", "co_creation", "connections", "community")
PILLAR_PAGES = {
    "involvement": "pages/involvement.py",
    "co_creation": "pages/co_creation.py",
    "connections": "pages/connections.py",
    "community": "pages/community.py",
}
CUSTOM = "custom"


# ---------------------------------------------------------------- saved workspaces

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


def add_file(name: str, data: bytes, mapping: dict | None = None) -> dict | None:
    """Add (or replace, by name) an upload in the workspace, saved first; None if it could not be saved."""
    if not _save(f"save '{name}'", lambda db, i: db.add_files(i, [storage.NewFile(name, data, mapping)])):
        return None
    ws = workspace()
    entry = {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "data": data,
             "mapping": json.dumps(mapping, sort_keys=True) if mapping else ""}
    ws["files"] = [f for f in ws["files"] if f["name"] != name] + [entry]
    ws["use_sample"] = False
    return entry


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


def upload_limits():
    """Upload limits: the defaults, or ``HC_MAX_...`` environment variables, or ``[limits]`` in secrets."""
    import os

    from harness.ingest.limits import DEFAULT_LIMITS, LimitsError, limits_from

    try:
        return limits_from(_secret_section("limits"), os.environ)
    except LimitsError as exc:
        st.session_state["limits_error"] = str(exc)
        return DEFAULT_LIMITS


def ingest_file(name: str, sha256: str, mapping_json: str, data: bytes) -> list:
    """Reports for one upload under this deployment's limits (cached by content hash and limits)."""
    limits = upload_limits()
    return _ingest_file(name, sha256, mapping_json, repr(limits), data, limits)


@st.cache_resource(max_entries=64, ttl=6 * 3600, show_spinner=False)
def _ingest_file(name: str, sha256: str, mapping_json: str, limits_key: str, _data: bytes, _limits) -> list:
    """Reports for one upload, cached by content hash (the bytes are not hashed again).

    A resource cache, not a data cache: a data cache unpickles a fresh copy of every table on every read,
    which at a million rows costs more than the rest of a rerun. Reports are never changed after ingest
    (harness code does not mutate its inputs), so one shared copy is safe.
    """
    from harness.ingest import ingest_bytes

    mapping = json.loads(mapping_json) if mapping_json else None
    return ingest_bytes(name, _data, mapping=mapping, limits=_limits)


def _reports_of(files: list[dict]) -> list:
    reports = []
    for f in files:
        reports.extend(ingest_file(f["name"], f["sha256"], f["mapping"], f["data"]))
    return reports


def file_reports() -> list:
    return _reports_of(workspace()["files"])


@st.cache_resource(max_entries=2, ttl=24 * 3600, show_spinner="Loading the sample school…")
def _sample() -> tuple[Dataset, list]:
    from harness.loading import load_sample

    return load_sample()


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner="Combining your files…")
def _combined(key: tuple, _files: list[dict]) -> Dataset:
    # Keyed on (name, sha256, mapping) of every file; the files are only read on a miss.
    # Cached as a resource (not copied on every rerun); harness code never mutates a Dataset.
    return combine([r for r in _reports_of(_files) if r.ok])


def dataset_key() -> tuple:
    if is_sample():
        return ("sample",)
    return tuple((f["name"], f["sha256"], f["mapping"]) for f in workspace()["files"])


def dataset() -> Dataset:
    if is_sample():
        return _sample()[0]
    return _combined(dataset_key(), list(workspace()["files"]))


def current_reports() -> list:
    return _sample()[1] if is_sample() else file_reports()


def settings() -> "targets.Settings":
    return targets.settings_from_dict(workspace()["settings"])


# ---------------------------------------------------------------- who may edit

def _secret_section(name: str) -> dict | None:
    try:
        section = st.secrets.get(name) if name in st.secrets else None
    except Exception:  # no secrets file at all
        return None
    return dict(section) if section is not None else None


def auth_configured() -> bool:
    """Hosted use: ``[auth]`` in secrets turns on sign-in for editors (review links stay open)."""
    return _secret_section("auth") is not None


def _login_provider() -> str | None:
    return access.login_provider(_secret_section("auth"))


def editor_email() -> str | None:
    """The signed-in editor's email (for the review audit trail), or None on an open laptop install."""
    if not auth_configured():
        return None
    return st.user.to_dict().get("email") if st.user.is_logged_in else None


def editor_allowed() -> bool:
    if not auth_configured():
        return True
    return access.may_edit({**st.user.to_dict(), "is_logged_in": st.user.is_logged_in},
                           _secret_section("editors"))


def sign_in_page() -> None:
    """What someone who may not edit sees instead of the workspace."""
    st.title("Harnessing Connections")
    if not st.user.is_logged_in:
        st.write("Sign in to see and change your organisation's workspace.")
        st.caption("Opening a review link from a colleague? You need no account: use the link exactly as it was "
                   "sent to you.")
        st.button("Sign in", key="sign_in", type="primary", on_click=st.login, args=(_login_provider(),)
                  if _login_provider() else ())
        return
    email = st.user.to_dict().get("email") or "This account"
    st.error(f"**{md_escape(email)}** is not on this app's list of editors, so the workspace is not shown. "
             "Ask whoever runs the app to add your email or your organisation's domain under `[editors]` in its "
             "secrets.", icon=":material/lock:")
    st.button("Sign out", key="sign_out_refused", on_click=st.logout)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def review_charts(review_id: int, _snapshot: dict) -> dict:
    """A published review's chart specs, built once per review (its snapshot never changes)."""
    from harness.snapshot_views import chart_specs

    return chart_specs(_snapshot)


def review_link(token: str) -> str:
    """The full link to a review: ``public_url`` from secrets if set, else this app's address."""
    return access.review_link(token, (_secret_section("app") or {}).get("public_url"), st.context.url)


# ---------------------------------------------------------------- period and filters

def period() -> periods.Period:
    preset = st.session_state.get("period_preset", periods.DEFAULT_PRESET)
    if preset == CUSTOM:
        start = st.session_state.get("period_start")
        end = st.session_state.get("period_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end:
            return periods.Period(start, end)
        preset = periods.DEFAULT_PRESET
    return cached(periods.default_period, preset)


def platforms() -> tuple[str, ...] | None:
    chosen = st.session_state.get("platforms")
    return tuple(sorted(chosen)) if chosen else None


@st.cache_data(max_entries=64, ttl=6 * 3600, show_spinner=False)
def _scorecard(key: tuple, start: dt.date, end: dt.date, settings_json: str, plats, _ds: Dataset):
    from harness import scoring

    s = targets.settings_from_dict(json.loads(settings_json))
    return scoring.score_pillars(_ds, period=periods.Period(start, end), settings=s, platforms=plats)


def scorecard():
    p = period()
    return _scorecard(dataset_key(), p.start, p.end, json.dumps(workspace()["settings"], sort_keys=True),
                      platforms(), dataset())


# ---------------------------------------------------------------- sidebar

def _workspace_picker() -> None:
    ws = workspace()
    db = store()
    n = len(ws["files"])
    files = "showing the sample" if is_sample() else f"{n} file{'s' if n != 1 else ''}"
    if db is None:
        st.warning("Your work is not being saved: the database could not be opened "
                   f"({md_escape(st.session_state.get('store_error', 'unknown problem'))}).",
                   icon=":material/cloud_off:")
        return
    listed = db.list_workspaces()
    if len(listed) > 1:
        names = {w.id: w.name for w in listed}
        chosen = st.selectbox("Workspace", list(names), index=list(names).index(ws["id"]) if ws["id"] in names else 0,
                              format_func=names.get, key="workspace_choice",
                              help="Each workspace keeps its own files, settings and review links.")
        if chosen != ws["id"]:
            open_workspace(chosen)
            st.rerun()
        st.caption(f"{files}, saved")
    else:
        st.caption(f"Workspace **{md_escape(ws['name'])}**: {files}, saved")
    if auth_configured() and st.user.is_logged_in:
        st.button("Sign out", key="sign_out", on_click=st.logout, icon=":material/logout:",
                  help=f"Signed in as {editor_email() or 'unknown'}")


def sidebar() -> None:
    refresh_workspace()
    with st.sidebar:
        _workspace_picker()
        if is_sample():
            st.info("You are looking at **Riverside Community School**, a fictional sample. "
                    "Load your own exports on the **Data** page.", icon=":material/science:")
        options = list(periods.PRESETS) + [CUSTOM]
        labels = {**periods.PRESETS, CUSTOM: "Custom dates"}
        st.selectbox("Period", options, format_func=labels.get, key="period_preset",
                     index=options.index(periods.DEFAULT_PRESET))
        if st.session_state.get("period_preset") == CUSTOM:
            default = cached(periods.default_period)
            st.date_input("From", value=default.start, key="period_start")
            st.date_input("To", value=default.end, key="period_end")
        p = period()
        prev = p.previous()
        st.caption(f"**{p.label()}** ({p.days} days), compared with the previous {p.days} days "
                   f"({prev.label()}).")
        plats = cached(views.distinct_values, "posts", "platform")
        if plats:
            st.multiselect("Platforms", plats, key="platforms", placeholder="All platforms",
                           help="Limits posts, followers and social-sourced actions to these platforms.")


# ---------------------------------------------------------------- widgets

def fmt_score(score) -> str:
    return "no data" if score is None else f"{score:.0f}/100"


def pillar_metric(pillar, key: str | None = None) -> None:
    delta = None if pillar.change is None else f"{pillar.change:+.0f} vs previous period"
    st.metric(pillar.label, fmt_score(pillar.score), delta=delta, border=True,
              help="0–100: the weighted mean of the components below, each scored against its target.")
    st.caption(md_escape(pillar.status or pillar.reading or ""))


def explain(pillar, expanded: bool = False) -> None:
    """The 'why this score' panel: components, values, targets, weights, points."""
    from harness import charts

    with st.expander(f"How {pillar.label} was scored", expanded=expanded):
        if pillar.status:
            st.info(pillar.status)
        d = pillar.to_dict() if hasattr(pillar, "to_dict") else None
        if d:
            st.altair_chart(charts.component_chart(d, charts.PILLAR_COLOURS[pillar.key]), width="stretch")
        rows = []
        for c in pillar.components:
            rows.append({
                "Component": c.label,
                "Value": None if c.value is None else round(c.value, 3),
                "Measured as": c.unit,
                "Target": c.target,
                "Score (0–100)": None if c.score is None else round(c.score),
                "Weight": c.weight,
                "Points added": None if not c.available else round(c.contribution, 1),
                "How it is computed": c.how if c.available else f"Not available: {c.reason}",
                "Where the target comes from": c.target_source,
            })
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption("Each component scores 100 × min(1, value ÷ target). The pillar is the weighted mean of the "
                   "components that can be measured; components without data are left out and the weights of "
                   "the rest re-balanced. Targets and weights can be changed on the Settings page.")


def empty_state(message: str, page: str = "pages/data.py", label: str = "Go to the Data page") -> None:
    st.info(message, icon=":material/folder_open:")
    st.page_link(page, label=label, icon=":material/arrow_forward:")


def ideas(components: list[tuple[str, float | None]], limit: int = 3) -> None:
    from harness.ideas import ideas_for

    org = workspace()["settings"].get("org_type", "school")
    chosen = ideas_for(components, org, limit=limit)
    if not chosen:
        st.success("Every component here is at or above its target. Raise the targets on the Settings page to "
                   "set a more ambitious bar.", icon=":material/emoji_events:")
        return
    for idea in chosen:
        with st.container(border=True):
            st.markdown(f"**{md_escape(idea.title)}**")
            st.write(idea.detail)
            st.caption(f"Why it helps: {idea.why}")
            st.caption(f"Moves: {targets.BY_KEY[idea.component].label} · effort: {idea.effort}")


@st.cache_data(max_entries=128, ttl=6 * 3600, show_spinner=False)
def _call(name: str, key: tuple, arg_key: str, _fn, _args, _kwargs):
    return _fn(*_args, **_kwargs)


def cached(fn, *args, **kwargs):
    """``fn(dataset(), *args, **kwargs)``, cached per dataset (by content hash) and arguments.

    Arguments must have a stable ``repr`` (periods, tuples, strings, numbers).
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    arg_key = repr((args, sorted(kwargs.items())))
    return _call(name, dataset_key(), arg_key, fn, (dataset(), *args), kwargs)


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner=False)
def _call_resource(name: str, key: tuple, arg_key: str, _fn, _args, _kwargs):
    return _fn(*_args, **_kwargs)


def cached_resource(fn, *args, **kwargs):
    """As :func:`cached`, for large results that must not be copied on every rerun (read-only: never mutate)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    arg_key = repr((args, sorted(kwargs.items())))
    return _call_resource(name, dataset_key(), arg_key, fn, (dataset(), *args), kwargs)
