"""Data: upload exports, see how each was read, map unrecognised files, templates, sample."""

import dataclasses
import hashlib

import streamlit as st

from harness import guide, schema, storage, views
from harness.dataset import combine
from harness.ingest import guess, read_raws, templates
from harness.safety import md_escape
import ui

st.title("Your data")
st.caption("Drop in the exports you already download: Meta Business Suite (Facebook, Instagram), LinkedIn, X, "
           "YouTube Studio, TikTok Studio, Google Forms, Eventbrite, HubSpot, Mailchimp, SignUpGenius, or our "
           "templates. Many files at once, or a zip.")

# Narrow enough that each file's platforms, rows and dates fit the page (long names end in "…"; hover shows all).
# The file's name stays in view when the table is scrolled sideways to what it was read into.
REPORT_COLUMNS = {"File": st.column_config.TextColumn(width="medium", pinned=True),
                  "Detected as": st.column_config.TextColumn(width="medium")}
# On a phone each file is a short block under its name (ui.table): no empty fields, rejected rows only when
# there are some, and not the long list of tables it was read into.
PHONE = dict(phone_fields=["Status", "Detected as", "Platforms", "Rows read", "Rows rejected", "From", "To",
                           "Problem"],
             omit_zero=("Rows rejected",), column_config=REPORT_COLUMNS)

ws = ui.workspace()
flash = st.session_state.pop("data_flash", [])  # messages from the run that saved a file (it reran)
for kind, text in flash:
    (st.success if kind == "success" else st.info)(text, icon=":material/check_circle:" if kind == "success" else None)

if ui.is_empty():
    ui.first_run_checklist(ui.current_reports() if not ui.is_sample() else [])
    if ui.is_sample():
        st.info("Until you upload a file, the other pages show the fictional sample school.",
                icon=":material/science:")
else:
    states = guide.progress(ui.dataset().inputs)
    done = sum(s.done for s in states)
    if done < len(states):
        with st.expander(f"Your first-hour checklist: {done} of {len(states)} kinds of file loaded"):
            ui.first_run_checklist(ui.dataset().inputs, heading=False)
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
    before = ui.dataset() if not ui.is_sample() else None
    bar = st.progress(0.0, text="Reading files…")
    saved_any = False
    for i, u in enumerate(new, start=1):
        bar.progress(i / len(new), text=f"Reading {md_escape(u.name)} ({i} of {len(new)})…")
        data = u.getvalue()
        sha256, reports = ui.ingest_upload(u.name, data)
        loaded = any(r.ok and r.tables for r in reports)
        outcome = {"name": u.name, "loaded": loaded, "reports": reports, "pending": False, "refused": None}
        if loaded:
            before_names = {f["name"] for f in ws["files"]}
            entry = ui.add_file(u.name, data, sha256)
            if entry is None:
                outcome["loaded"] = False  # not saved: the message is already on screen
            else:
                saved_any = True
                if entry["name"] not in before_names | {u.name}:  # a different file of that name: kept beside
                    st.session_state.setdefault("kept_beside", {})[entry["name"]] = u.name
                    # Listed under the name it was kept as (copies: the reports are cached and shared).
                    outcome["reports"] = [dataclasses.replace(r, file_name=entry["name"] + r.file_name[len(u.name):])
                                          for r in reports]
        elif all(r.source is None for r in reports) and any("recognise" in (r.error or "") for r in reports):
            # A table nobody recognised gets a proposed mapping; an empty file, an image or a file over the
            # limits keeps its plain error and gets no card.
            outcome["refused"] = guess.refusal(u.name, read_raws(u.name, data, limits=ui.upload_limits()), reports)
            if outcome["refused"] is None and ui.add_pending(u.name, data, sha256) is not None:
                outcome["pending"] = saved_any = True
        processed[u.file_id] = outcome
    bar.empty()
    if saved_any:
        messages = []
        loaded_names = [o["name"] for o in processed.values() if o["loaded"] and o["name"] in {u.name for u in new}]
        if loaded_names:
            unlocked = guide.unlocked(before if before is not None else combine([]), ui.dataset())
            what = f"{len(loaded_names)} files" if len(loaded_names) > 1 else md_escape(loaded_names[0])
            messages.append(("success", f"{what} loaded. " + " ".join(unlocked)))
        st.session_state["data_flash"] = messages
        st.rerun()  # the sidebar and the checklist were drawn before these files arrived

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
    found = views.report_rows(latest)
    waiting = {o["name"] for o in processed.values() if o["pending"]} & {f["name"] for f in ui.pending_files()}
    found.loc[found["File"].isin(waiting), ["Status", "Detected as", "Problem"]] = [
        "waiting for you", "not recognised", "check our guess of its columns below"]
    ui.table(found, "found", "File", **PHONE)
    for outcome in processed.values():
        if outcome["refused"]:
            st.error(md_escape(outcome["refused"]) + " Nothing already loaded was changed.")
            continue
        for r in outcome["reports"]:
            if r.error and not outcome["pending"]:
                reason = r.error.removeprefix(f"{r.file_name}: ").rstrip(".")
                st.error(f"**{md_escape(storage.shown_name(r.file_name))}** was not loaded: {md_escape(reason)}. "
                         "Nothing already loaded was changed.")
            if r.rejected:
                rows = "1 row" if len(r.rejected) == 1 else f"{len(r.rejected):,} rows"
                with st.expander(f"{rows} of {md_escape(storage.shown_name(r.file_name))} could not be read"):
                    st.dataframe(views.rejected_rows(r), hide_index=True, width="stretch")
            for w in r.warnings:
                st.caption(f"{md_escape(storage.shown_name(r.file_name))}: {md_escape(w)}")

pending = ui.pending_files()
if pending:
    st.subheader("Files we could not place on our own")
    st.caption("We have guessed what each column holds. Check the guess and load the file with one click, or "
               "change it first. The file stays here, even if you close the tab, until you load or forget it.")
    for f in pending:
        ui.mapping_card(f)

st.subheader("Events in your exports")
st.caption("Each event or sign-up day in your Eventbrite, SignUpGenius and event-form exports. Confirm which are "
           "community activities (the Wider community pillar counts them).")
from ui import evidence  # noqa: E402  (the confirm step, shared with the Wider community page)

evidence.confirm_events("data")

st.subheader("Files in this workspace")
if ui.loaded_files():
    reports = ui.current_reports()
    ui.table(views.report_rows(reports), "files", "File", **PHONE)
    names = [f["name"] for f in ui.loaded_files()]
    to_remove = st.selectbox("Remove a file", ["(choose a file)"] + names, key="remove_choice",
                             format_func=storage.shown_name)  # as the table above names them
    if st.button("Remove it", key="remove_file", disabled=to_remove == "(choose a file)"):
        ui.remove_file(to_remove)
        st.rerun()
elif ui.is_sample():
    st.caption("The sample school's files:")
    ui.table(views.report_rows(ui.current_reports()), "files", "File", **PHONE)
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
