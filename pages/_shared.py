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

from harness import periods, targets
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


# ---------------------------------------------------------------- workspace state

def workspace() -> dict:
    ws = st.session_state.get("workspace")
    if ws is None:
        ws = {"files": [], "use_sample": True, "settings": targets.settings_to_dict(targets.default_settings("school")),
              "mapping_presets": {},
              # Secret per workspace: pseudonyms stay stable within it and cannot be reversed by outsiders.
              "salt": secrets.token_hex(16)}
        st.session_state["workspace"] = ws
    return ws


def add_file(name: str, data: bytes, mapping: dict | None = None) -> dict:
    """Add (or replace, by name) an uploaded file in this session's workspace."""
    ws = workspace()
    entry = {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "data": data,
             "mapping": json.dumps(mapping, sort_keys=True) if mapping else ""}
    ws["files"] = [f for f in ws["files"] if f["name"] != name] + [entry]
    ws["use_sample"] = False
    return entry


def remove_file(name: str) -> None:
    ws = workspace()
    ws["files"] = [f for f in ws["files"] if f["name"] != name]


def is_sample() -> bool:
    ws = workspace()
    return not ws["files"] and ws["use_sample"]


@st.cache_data(max_entries=256, ttl=6 * 3600, show_spinner=False)
def ingest_file(name: str, sha256: str, mapping_json: str, _data: bytes) -> list:
    """Reports for one upload, cached by content hash (the bytes are not hashed again)."""
    from harness.ingest import ingest_bytes

    mapping = json.loads(mapping_json) if mapping_json else None
    return ingest_bytes(name, _data, mapping=mapping)


def file_reports() -> list:
    reports = []
    for f in workspace()["files"]:
        reports.extend(ingest_file(f["name"], f["sha256"], f["mapping"], f["data"]))
    return reports


@st.cache_resource(max_entries=2, ttl=24 * 3600, show_spinner="Loading the sample school…")
def _sample() -> tuple[Dataset, list]:
    from harness.loading import load_sample

    return load_sample()


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner="Combining your files…")
def _combined(key: tuple, _reports: list) -> Dataset:
    # Cached as a resource (not copied on every rerun); harness code never mutates a Dataset.
    return combine([r for r in _reports if r.ok])


def dataset_key() -> tuple:
    if is_sample():
        return ("sample",)
    return tuple((f["name"], f["sha256"], f["mapping"]) for f in workspace()["files"])


def dataset() -> Dataset:
    if is_sample():
        return _sample()[0]
    return _combined(dataset_key(), file_reports())


def current_reports() -> list:
    return _sample()[1] if is_sample() else file_reports()


def settings() -> "targets.Settings":
    return targets.settings_from_dict(workspace()["settings"])


# ---------------------------------------------------------------- period and filters

def period() -> periods.Period:
    ds = dataset()
    preset = st.session_state.get("period_preset", periods.DEFAULT_PRESET)
    if preset == CUSTOM:
        start = st.session_state.get("period_start")
        end = st.session_state.get("period_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end:
            return periods.Period(start, end)
        preset = periods.DEFAULT_PRESET
    return periods.default_period(ds, preset)


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

def sidebar() -> None:
    ds = dataset()
    with st.sidebar:
        if is_sample():
            st.info("You are looking at **Riverside Community School**, a fictional sample. "
                    "Load your own exports on the **Data** page.", icon=":material/science:")
        else:
            n = len(workspace()["files"])
            st.caption(f"Workspace: {n} file{'s' if n != 1 else ''} loaded")
        options = list(periods.PRESETS) + [CUSTOM]
        labels = {**periods.PRESETS, CUSTOM: "Custom dates"}
        st.selectbox("Period", options, format_func=labels.get, key="period_preset",
                     index=options.index(periods.DEFAULT_PRESET))
        if st.session_state.get("period_preset") == CUSTOM:
            default = periods.default_period(ds)
            st.date_input("From", value=default.start, key="period_start")
            st.date_input("To", value=default.end, key="period_end")
        p = period()
        prev = p.previous()
        st.caption(f"**{p.label()}** ({p.days} days), compared with the previous {p.days} days "
                   f"({prev.label()}).")
        plats = sorted(ds["posts"]["platform"].dropna().unique().tolist())
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
