"""Data: upload exports, see how each was read, map unrecognised files, templates, sample."""

import dataclasses
import hashlib

import streamlit as st

from harness import schema, storage, views
from harness.ingest import read_raws, templates
from harness.safety import md_escape
import ui

st.title("Your data")
st.caption("Drop in the exports you already download: Meta Business Suite (Facebook, Instagram), LinkedIn, X, "
           "YouTube Studio, TikTok Studio, Google Forms, Eventbrite, HubSpot, Mailchimp, SignUpGenius, or our "
           "templates. Many files at once, or a zip.")

ws = ui.workspace()

if ui.is_sample():
    st.info("You are looking at the fictional sample school. Upload your own files below to replace it.", icon=":material/science:")
else:
    if st.button("Use the sample school instead", key="use_sample",
                 help="Removes your files from this workspace and shows the fictional sample school."):
        ui.use_sample()
        st.rerun()

uploads = st.file_uploader("Upload exports", type=["csv", "xlsx", "xls", "zip", "txt"], accept_multiple_files=True,
                           key="data_upload", help="Files are saved in this workspace, so they are still here next "
                                                   "time. Remove them below at any time.")
ui.upload_limits()  # a wrong [limits] setting is found (and said) before anything is read
if st.session_state.get("limits_error"):
    st.error(f"The app's upload limits are set wrongly ({md_escape(st.session_state['limits_error'])}), so the "
             "standard limits apply. Whoever runs the app can fix `[limits]` in its secrets.")
processed = st.session_state.setdefault("processed_uploads", {})
new = [u for u in uploads or [] if processed.get(u.file_id) is None]
if new:
    bar = st.progress(0.0, text="Reading files…")
    for i, u in enumerate(new, start=1):
        bar.progress(i / len(new), text=f"Reading {md_escape(u.name)} ({i} of {len(new)})…")
        data = u.getvalue()
        sha256, reports = ui.ingest_upload(u.name, data)
        loaded = any(r.ok and r.tables for r in reports)
        before = {f["name"] for f in ws["files"]}
        entry = ui.add_file(u.name, data, sha256) if loaded else None
        if loaded and entry is None:
            loaded = False  # not saved: the message is already on screen
        elif entry is not None and entry["name"] not in before | {u.name}:  # a different file of that name: kept beside
            st.session_state.setdefault("kept_beside", {})[entry["name"]] = u.name
            # Listed under the name it was kept as (copies: the reports are cached and shared).
            reports = [dataclasses.replace(r, file_name=entry["name"] + r.file_name[len(u.name):]) for r in reports]
        elif all(r.source is None for r in reports) and not any(r.error and "limit" in r.error.lower() for r in reports):
            st.session_state.setdefault("needs_mapping", {})[u.name] = data
        processed[u.file_id] = {"name": u.name, "loaded": loaded, "reports": reports}
    bar.empty()

beside = st.session_state.get("kept_beside", {})
saved_names = {f["name"] for f in ws["files"]}
for kept, original in list(beside.items()):
    if kept not in saved_names or original not in saved_names:
        beside.pop(kept)
        continue
    key = hashlib.sha256(kept.encode()).hexdigest()[:10]
    with st.container(border=True):
        st.markdown(f"**{md_escape(original)}** has the same name as a file already in this workspace but different "
                    f"contents (another page's, or another period's), so both are kept: the new one is listed as "
                    f"**{md_escape(storage.shown_name(kept))}** below, with its own dates.")
        keep, swap = st.columns(2)
        if keep.button("Keep both", key=f"beside_keep_{key}"):
            beside.pop(kept)
            st.rerun()
        if swap.button(f"Replace the earlier {original}", key=f"beside_replace_{key}"):
            if ui.replace_file(original, kept):
                beside.pop(kept)
                st.rerun()

if processed:
    st.subheader("What we found in your uploads")
    latest = [r for p in processed.values() for r in p["reports"]]
    st.dataframe(views.report_rows(latest), hide_index=True, width="stretch")
    for r in latest:
        if r.error:
            problem = r.error.removeprefix(f"{r.file_name}: ").rstrip(".")  # the file is named once
            st.error(f"**{md_escape(r.file_name)}** was not loaded: {md_escape(problem)}. "
                     "Nothing already loaded was changed.")
        if r.rejected:
            rows = "1 row" if len(r.rejected) == 1 else f"{len(r.rejected):,} rows"
            with st.expander(f"{rows} of {md_escape(r.file_name)} could not be read"):
                st.dataframe(views.rejected_rows(r), hide_index=True, width="stretch")
        for w in r.warnings:
            st.caption(f"{md_escape(r.file_name)}: {md_escape(w)}")

pending = st.session_state.get("needs_mapping", {})
if pending:
    st.subheader("Tell us what these columns mean")
    st.caption("We did not recognise these files. Pick which column holds what; you can save the choice as a "
               "preset for next month's file.")
    for name, data in list(pending.items()):
        with st.container(border=True):
            st.markdown(f"**{md_escape(name)}**")
            raws = read_raws(name, data)
            if not raws:
                st.warning("We could not find a table of columns in this file.")
                continue
            raw = raws[0]
            key = hashlib.sha256(name.encode()).hexdigest()[:10]
            presets = ws["mapping_presets"]
            preset_name = st.selectbox("Start from a saved preset", ["(none)"] + sorted(presets),
                                       key=f"map_preset_{key}")
            table = st.selectbox("What does each row record?", list(schema.TABLES),
                                 format_func=lambda t: schema.TABLE_LABELS[t], key=f"map_table_{key}")
            base = presets[preset_name] if preset_name != "(none)" else templates.suggest_mapping(raw, table)
            if base.get("table") != table:
                base = templates.suggest_mapping(raw, table)
            headers = ["(not in this file)"] + list(raw.frame.columns)
            chosen = {}
            cols = st.columns(3)
            for i, col in enumerate(schema.TABLES[table]):
                if col.name == "record_id":
                    continue
                guess = base.get("columns", {}).get(col.name)
                with cols[i % 3]:
                    pick = st.selectbox(f"{col.name}{'' if col.nullable else ' (required)'}", headers,
                                        index=headers.index(guess) if guess in headers else 0,
                                        key=f"map_{key}_{col.name}", help=col.doc)
                if pick != "(not in this file)":
                    chosen[col.name] = pick
            mapping = {**base, "table": table, "columns": chosen}
            problems = templates.validate_mapping(mapping, list(raw.frame.columns))
            for p in problems:
                st.warning(p)
            a, b, c = st.columns(3)
            if a.button("Load with this mapping", key=f"map_apply_{key}", disabled=bool(problems)):
                sha256, reports = ui.ingest_upload(name, data, mapping)
                if any(r.ok and r.tables for r in reports):
                    before = {f["name"] for f in ws["files"]}
                    entry = ui.add_file(name, data, sha256, mapping)
                    if entry is not None:
                        if entry["name"] not in before | {name}:  # kept beside a different file of that name
                            st.session_state.setdefault("kept_beside", {})[entry["name"]] = name
                        pending.pop(name)
                        st.rerun()
                for r in reports:
                    st.error(f"Still not loaded: {md_escape(r.error or 'no rows could be read')}")
            preset_label = b.text_input("Preset name", key=f"map_name_{key}", placeholder="e.g. Volunteer sign-ups")
            if c.button("Save as preset", key=f"map_save_{key}", disabled=bool(problems) or not preset_label):
                if ui.save_preset(preset_label.strip(), mapping):
                    st.success("Preset saved for this workspace.")
            if st.button("Forget this file", key=f"map_drop_{key}"):
                pending.pop(name)
                st.rerun()

st.subheader("Events in your exports")
st.caption("Each event or sign-up day in your Eventbrite, SignUpGenius and event-form exports. Confirm which are "
           "community activities (the Wider community pillar counts them).")
from ui import evidence  # noqa: E402  (the confirm step, shared with the Wider community page)

evidence.confirm_events("data")

st.subheader("Files in this workspace")
if ws["files"]:
    reports = ui.current_reports()
    st.dataframe(views.report_rows(reports), hide_index=True, width="stretch")
    names = [f["name"] for f in ws["files"]]
    to_remove = st.selectbox("Remove a file", ["(choose a file)"] + names, key="remove_choice",
                             format_func=storage.shown_name)  # as the table above names them
    if st.button("Remove it", key="remove_file", disabled=to_remove == "(choose a file)"):
        ui.remove_file(to_remove)
        st.rerun()
elif ui.is_sample():
    st.caption("The sample school's files:")
    st.dataframe(views.report_rows(ui.current_reports()), hide_index=True, width="stretch")
else:
    st.info("No files yet. Upload exports above, or download a template below to start a log.")

st.subheader("Templates for what no platform exports")
st.caption("Keep these logs in a spreadsheet and upload them whenever you like. Each has one example row; "
           "delete it before you start.")
cols = st.columns(len(templates.TEMPLATES))
for col, (name, spec) in zip(cols, templates.TEMPLATES.items()):
    stem = spec.file_name.rsplit(".", 1)[0]
    with col:
        st.markdown(f"**{schema.TABLE_LABELS[name]}**")
        st.caption(spec.description)
        st.download_button("CSV", templates.blank_template_csv(name), file_name=f"{stem}.csv", mime="text/csv",
                           key=f"tpl_csv_{name}")
        st.download_button("Excel", templates.blank_template_xlsx(name), file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"tpl_xlsx_{name}")

st.subheader("Workspaces")
st.caption("A workspace keeps one organisation's files, settings, mapping presets and review links. Everything is "
           "saved as you go.")
if ui.store() is None or not ws.get("id"):
    st.warning("Your work is not being saved: the app's database could not be opened. Files stay only until you "
               "close this tab.", icon=":material/cloud_off:")
else:
    with st.expander(f"Rename, add or delete workspaces (this one: {md_escape(ws['name'])})"):
        new_name = st.text_input("Name of this workspace", value=ws["name"], max_chars=120, key="ws_rename")
        if st.button("Rename", key="ws_rename_apply", disabled=not new_name.strip() or new_name == ws["name"]):
            if ui.rename_workspace(new_name):
                st.rerun()
        st.divider()
        other = st.text_input("Start a new, empty workspace", max_chars=120, key="ws_new",
                              placeholder="e.g. Riverside PTA")
        if st.button("Create and open it", key="ws_new_apply", disabled=not other.strip()):
            if ui.create_workspace(other):
                st.rerun()
        st.divider()
        sure = st.checkbox(f"Yes, delete '{ws['name']}' with its files, settings and review links", key="ws_delete_sure")
        if st.button("Delete this workspace", key="ws_delete", disabled=not sure, type="primary"):
            if ui.delete_workspace():
                st.rerun()
