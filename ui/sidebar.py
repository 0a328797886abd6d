"""The sidebar every editing page shares: workspace picker, sample notice, period and platform filters."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from harness import format as fmt
from harness import periods, views
from harness.safety import md_escape
from ui.loaders import cached
from ui.period import CUSTOM, period
from ui.signin import auth_configured, editor_email
from ui.workspace import is_sample, loaded_files, open_workspace, refresh_workspace, store, workspace


def _workspace_picker() -> None:
    ws = workspace()
    db = store()
    n = len(loaded_files())
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
            # In a form: a date box reruns the app when it loses focus, and a click on the navigation made at
            # that moment was lost. The dates apply when the person presses the button (or Enter).
            default = cached(periods.default_period)
            with st.form("custom_dates", border=False):
                start = st.date_input("From", value=st.session_state.get("period_start", default.start),
                                      key="period_start_input")
                end = st.date_input("To", value=st.session_state.get("period_end", default.end),
                                    key="period_end_input")
                if st.form_submit_button("Use these dates"):
                    st.session_state["period_start"], st.session_state["period_end"] = start, end
            if isinstance(st.session_state.get("period_start"), dt.date) and \
                    st.session_state.get("period_end", dt.date.min) < st.session_state["period_start"]:
                st.warning("The end date is before the start date, so the default period is shown.")
        p = period()
        prev = p.previous()
        st.caption(f"**{p.label()}** ({p.days} days), compared with the previous {p.days} days "
                   f"({prev.label()}).")
        plats = cached(views.distinct_values, "posts", "platform")
        if plats:
            st.multiselect("Platforms", plats, key="platforms", placeholder="All platforms", format_func=fmt.platform,
                           help="Limits posts, followers and social-sourced actions to these platforms.")

