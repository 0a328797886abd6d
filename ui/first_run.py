"""The Data page's first-run pieces: the checklist of exports to fetch, and the card for a file we could not place.

Content and rules are harness code (``harness.guide``, ``harness.ingest.guess``); this module only draws them.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from harness import format as fmt
from harness import guide, schema
from harness.dataset import combine
from harness.ingest import guess, read_raws, templates
from harness.safety import md_escape
from ui.loaders import dataset, ingest_upload
from ui.workspace import is_sample, remove_file, save_preset, set_mapping, workspace


def first_run_checklist(inputs, heading: bool = True) -> None:
    """The first-run checklist (harness.guide): each kind of file, where to find it, ticked as files arrive."""
    states = guide.progress(inputs)
    if heading:
        st.subheader("Your first hour: the files to fetch")
        st.caption("Three kinds of file get you started: posts from each platform, your enquiry or sign-up form, "
                   "and your events. Each item below says where the export is, which options to choose and what "
                   "we read from it. Items tick themselves as files arrive.")
    first_missing = next((s for s in states if not s.done), None)
    for state in states:
        item = state.item
        mark = ":material/check_circle:" if state.done else ":material/radio_button_unchecked:"
        with st.expander(f"{mark} **{item.title}** · {state.summary}", expanded=heading and state is first_missing):
            st.write(item.why)
            if item.feeds:
                names = ", ".join(guide.PILLARS[k] for k in item.feeds)
                st.caption(f"Lets us score: {names}.")
            tabs = st.tabs([ex.platform for ex in item.exports])
            for tab, ex in zip(tabs, item.exports):
                with tab:
                    tick = " ✓ loaded" if ex in state.arrived else ""
                    st.markdown(f"**{ex.name}**{tick}")
                    st.markdown("\n".join(f"{i}. {md_escape(step)}" for i, step in enumerate(ex.steps, 1)))
                    st.markdown(f"**Options to choose:** {md_escape(ex.options)}")
                    st.markdown(f"**What we read from it:** {md_escape(ex.reads)}")
                    if ex.help_url:
                        st.caption(f"The platform's own help: {ex.help_url}")
    nxt = guide.next_step(states)
    if nxt and heading:
        st.caption(nxt)


def mapping_card(f: dict) -> None:
    """One unrecognised file: our guess in plain words, one button to load it, and a way to change the guess."""
    name, data = f["name"], f["data"]
    key = hashlib.sha256(name.encode()).hexdigest()[:10]
    raws = read_raws(name, data)
    with st.container(border=True):
        if not raws:
            st.warning(f"{md_escape(name)}: we could not find a table of columns in this file.")
            if st.button("Forget this file", key=f"map_drop_{key}"):
                remove_file(name)
                st.rerun()
            return
        raw = raws[0]
        presets = workspace()["mapping_presets"]
        tables = list(guess.ORDER)
        guessed = guess.propose(raw)
        table = st.session_state.get(f"map_table_{key}", guessed.table)
        proposal = guessed if table == guessed.table else guess.propose(raw, table)
        st.markdown(f"**We think {md_escape(name)} holds {md_escape(guess.TABLE_LABELS[proposal.table].lower())}.**")
        if proposal.rows():
            st.dataframe(proposal.rows(), hide_index=True, width="stretch")
        mapping = proposal.mapping
        with st.expander("Change the guess"):
            preset_name = st.selectbox("Start from a saved preset", ["(none)"] + sorted(presets),
                                       key=f"map_preset_{key}")
            st.selectbox("What does each row record?", tables, index=tables.index(table),
                         format_func=guess.TABLE_LABELS.get, key=f"map_table_{key}")
            base = presets[preset_name] if preset_name != "(none)" and presets[preset_name].get("table") == table \
                else mapping
            headers = ["(not in this file)"] + list(raw.frame.columns)
            chosen = {}
            cols = st.columns(2)
            shown = [c for c in schema.TABLES[table] if c.name != "record_id"]
            for i, col in enumerate(shown):
                current = base.get("columns", {}).get(col.name)
                label = guess.LABELS[table][col.name] + ("" if col.nullable else " (needed)")
                with cols[i % 2]:
                    pick = st.selectbox(label, headers, index=headers.index(current) if current in headers else 0,
                                        key=f"map_{key}_{table}_{col.name}")
                if pick != "(not in this file)":
                    chosen[col.name] = pick
            defaults = dict(base.get("defaults") or {})
            if "platform" in schema.columns(table) and "platform" not in chosen:
                plats = sorted(schema.SOCIAL_PLATFORMS)
                plat = st.selectbox("Which platform is this file from?", plats,
                                    index=plats.index(defaults["platform"]) if defaults.get("platform") in plats else 0,
                                    format_func=fmt.platform, key=f"map_{key}_{table}_platform_default")
                defaults["platform"] = plat
            mapping = {**base, "table": table, "columns": chosen, "defaults": defaults}
            preset_label = st.text_input("Save this as a preset for next month's file", key=f"map_name_{key}",
                                         placeholder="e.g. Volunteer sign-ups")
        problems = templates.validate_mapping(mapping, list(raw.frame.columns))
        if problems:
            needed = [guess.LABELS[table].get(c, c) for c in guess.propose(raw, table).missing]
            st.warning("Before this can load, pick the column that holds: " + md_escape(", ".join(needed) or
                       "the columns marked (needed)") + " (under Change the guess).")
        a, b, c = st.columns([2, 2, 1])
        error_key = f"map_error_{key}"
        if a.button("Load it like this", key=f"map_apply_{key}", type="primary", disabled=bool(problems)):
            st.session_state.pop(error_key, None)  # an earlier try's error goes with the new try
            before = dataset() if not is_sample() else combine([])
            _, reports = ingest_upload(name, data, mapping)
            if any(r.ok and r.tables for r in reports) and set_mapping(name, mapping):
                rows = sum(r.rows_accepted for r in reports)
                unlocked = " ".join(guide.unlocked(before, dataset()))
                st.session_state["data_flash"] = [("success", f"{md_escape(name)} is loaded: {rows:,} rows read as "
                                                   f"{md_escape(guess.TABLE_LABELS[table].lower())}. {unlocked}")]
                st.rerun()
            st.session_state[error_key] = "; ".join(r.error or "no rows could be read" for r in reports)
        if b.button("Save as preset", key=f"map_save_{key}", disabled=bool(problems) or not preset_label):
            if save_preset(preset_label.strip(), mapping):
                st.success("Preset saved for this workspace.")
        if c.button("Forget this file", key=f"map_drop_{key}"):
            remove_file(name)
            st.session_state.pop(error_key, None)
            st.rerun()
        if st.session_state.get(error_key):
            st.error(f"Not loaded yet: {md_escape(st.session_state[error_key])}. Change the guess and try again.")
