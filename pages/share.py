"""Share and download: publish a frozen review for leadership, manage its links, download reports and tables."""

import datetime as dt

import streamlit as st

from harness import downloads, report, reviews, schema, storage
from harness import format as fmt
from harness.safety import md_escape
import ui

EXPIRY_DAYS = {7: "In 7 days", 30: "In 30 days", 90: "In 90 days", 365: "In a year", 0: "Never"}

st.title("Share and download")
st.caption("Publish the figures you see now as a review that leadership can open from a link, without an account. "
           "Or download a report and the tables behind it.")

ds = ui.loaded_dataset("No data loaded yet: there is nothing to share. Upload your exports first.")

ws = ui.workspace()
db = ui.store()
p = ui.period()
card = ui.scorecard()
plats = ui.platforms()

# ---------------------------------------------------------------- publish

st.subheader("Publish a review for leadership")
published = st.session_state.get("published_link")
if published:
    with st.container(border=True):
        st.success(f"Published **{md_escape(published['title'])}**. Send this link:", icon=":material/check_circle:")
        st.code(published["url"], language=None, wrap_lines=True)
        st.caption("Copy it now. For safety the app keeps only a fingerprint of the link and cannot show it again; "
                   "if it is lost, publish again and withdraw the old one below."
                   + (" Send the passcode separately from the link." if published.get("passcode") else ""))
        if st.button("I have copied the link", key="published_done"):
            st.session_state.pop("published_link", None)
            st.rerun()

if db is None or not ws.get("id"):
    st.warning("Reviews need the app's database, which could not be opened. Ask whoever runs the app to check it; "
               "meanwhile you can still download a report below.", icon=":material/cloud_off:")
else:
    scope = "all platforms" if not plats else ", ".join(plats)
    st.caption(f"The review freezes what you see now: **{p.label()}** compared with the previous {p.days} days, "
               f"posts from {md_escape(scope)}, scored against your current targets. Later uploads or changes to "
               "settings do not change a published review.")
    if ui.is_sample():
        st.info("This workspace shows the fictional sample school, so a review would show the sample.",
                icon=":material/science:")
    state = st.session_state
    if state.pop("publish_reset", False):  # after a publish; a refused one keeps what was typed
        for key in ("publish_title", "publish_commentary", "publish_passcode", "suggested_passcode"):
            state.pop(key, None)

    def suggest_passcode():
        state["publish_passcode"] = state["suggested_passcode"] = reviews.suggest_passcode()

    st.button("Suggest a passcode", key="publish_suggest", on_click=suggest_passcode, icon=":material/casino:",
              help="Four random words: easy to read out or type, hard to guess.")
    if state.get("suggested_passcode"):
        st.caption("Suggested passcode, filled in below. Send it to leadership separately from the link:")
        st.code(state["suggested_passcode"], language=None)
    with st.form("publish_form"):
        title = st.text_input("Title", value=f"Review: {p.label()}", max_chars=200, key="publish_title")
        commentary = st.text_area(
            "Commentary for leadership", key="publish_commentary", max_chars=10_000, height=140,
            placeholder="What went well, what did not, and what the team will try next. Leave a blank line "
                        "between paragraphs.")
        a, b, c = st.columns(3)
        pseudonymise = a.checkbox("Hide people's names", value=True, key="publish_pseudonymise",
                                  help="Connectors appear as stable pseudonyms such as 'Person 3f9a1c0e'.")
        passcode = b.text_input("Passcode (optional)", type="password", key="publish_passcode", max_chars=200,
                                help=f"At least {reviews.MIN_PASSCODE} characters. Leadership will be asked for "
                                     "it. Send it separately from the link.")
        expiry = c.selectbox("The link stops working", list(EXPIRY_DAYS), index=2, format_func=EXPIRY_DAYS.get,
                             key="publish_expiry")
        submitted = st.form_submit_button("Publish review", type="primary", icon=":material/publish:")
    problem = reviews.passcode_problem(passcode) if submitted else None
    if problem:
        st.error(f"The review was not published: {md_escape(problem)}")
    elif submitted:
        with st.spinner("Freezing the figures…"):
            snapshot = reviews.build_snapshot(ds, p, ui.settings(), ws["salt"], pseudonymise=pseudonymise,
                                              platforms=plats)
        try:
            token, _ = reviews.publish_review(
                db, ws["id"], snapshot, title=title, commentary=commentary, passcode=passcode or None,
                expires_at=dt.timedelta(days=expiry) if expiry else None, actor=ui.editor_email())
        except storage.StorageError as exc:
            st.error(f"The review was not published: {md_escape(exc)}")
        else:
            st.session_state["published_link"] = {"url": ui.review_link(token), "title": title.strip() or "Review",
                                                   "passcode": bool(passcode)}
            state["publish_reset"] = True
            st.rerun()

# ---------------------------------------------------------------- manage

    st.subheader("Reviews you have published")
    listed = reviews.list_reviews(db, ws["id"])
    if not listed:
        st.caption("None yet. A published review appears here, where you can withdraw its link or change when it "
                   "stops working.")
    else:
        st.dataframe(
            [{"Title": r.title, "Period": fmt.period_label(r.period_start, r.period_end), "Published": r.created_at,
              "Link works until": r.expires_at, "Passcode": "yes" if r.has_passcode else "no",
              "Status": {"active": "works", "revoked": "withdrawn", "expired": "expired"}[r.status]}
             for r in listed],
            hide_index=True, width="stretch",
            column_config={"Published": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
                           "Link works until": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")})
        st.markdown("**Access log**")
        st.caption("How often each link was opened, and whether someone has been guessing its passcode. Only "
                   "counts and times are kept, nothing about who opened a link (no IP address, browser or name).")
        logs = reviews.access_logs(db, ws["id"])
        for r in listed:
            log = logs.get(r.id)
            if r.status == "active" and log and log.locked_until:
                st.warning(f"**{md_escape(r.title)}** is locked until {fmt.clock_utc(log.locked_until)} after "
                           f"{reviews.MAX_WRONG} wrong passcodes. If that was not leadership mistyping, someone "
                           "else may have the link: publish a new review and withdraw this link.",
                           icon=":material/lock_clock:")
        st.dataframe(reviews.access_rows(listed, logs), hide_index=True, width="stretch")
        active = {r.id: f"{r.title} (published {r.created_at:%-d %b %Y})" for r in listed if r.status == "active"}
        if active:
            with st.container(border=True):
                chosen = st.selectbox("Manage a link", list(active), format_func=active.get, key="manage_review")
                day_rows = reviews.access_day_rows(logs.get(chosen))
                if day_rows:
                    with st.expander("Day by day"):
                        st.dataframe(day_rows, hide_index=True, width="stretch")
                left, right = st.columns(2)
                with left:
                    days = st.selectbox("Make it stop working", list(EXPIRY_DAYS), index=1,
                                        format_func=EXPIRY_DAYS.get, key="manage_expiry")
                    if st.button("Change when it stops", key="manage_expiry_apply"):
                        reviews.set_expiry(db, chosen, dt.timedelta(days=days) if days else None,
                                           actor=ui.editor_email())
                        st.toast("Expiry changed.")
                        st.rerun()
                with right:
                    sure = st.checkbox("Yes, withdraw this link for good", key="manage_revoke_sure")
                    if st.button("Withdraw the link", key="manage_revoke", disabled=not sure, type="primary"):
                        reviews.revoke_review(db, chosen, actor=ui.editor_email())
                        st.session_state.pop("manage_revoke_sure", None)
                        st.toast("Link withdrawn: it now shows 'not found'.")
                        st.rerun()

# ---------------------------------------------------------------- downloads

st.subheader("Download")
st.caption(f"For **{p.label()}**. Spreadsheet downloads are safe to open: no cell can run as a formula.")
hide_names = st.checkbox("Hide people's names in the report", value=True, key="download_pseudonymise")
# Downloads are built when clicked, outside this run: everything they need is read from the session now.
current_settings, organisation = ui.settings(), "" if ui.is_sample() else ws.get("name", "")
cols = st.columns(3)
with cols[0]:
    st.download_button(
        "Report (HTML, prints to PDF)", key="download_report", icon=":material/description:", on_click="ignore",
        data=lambda: report.render_report(
            report.snapshot_for_report(ds, p, current_settings, salt=ws["salt"], pseudonymise=hide_names,
                                       platforms=plats),
            organisation=organisation).encode("utf-8"),
        file_name=f"harnessing-connections-{p.start}-{p.end}.html", mime="text/html",
        help="One self-contained page with charts. Works offline; print it or save it as PDF from the browser.")
with cols[1]:
    st.download_button("Scores (CSV)", key="download_scores_csv", icon=":material/table:", on_click="ignore",
                       data=lambda: downloads.table_csv(downloads.scores_table(card)),
                       file_name=f"scores-{p.start}-{p.end}.csv", mime="text/csv",
                       help="One row per component: value, target, weight, score and how it is computed.")
with cols[2]:
    tables = {schema.TABLE_LABELS[name]: ds[name] for name in schema.TABLES if len(ds[name])}
    st.download_button("Scores and all loaded data (Excel)", key="download_xlsx", icon=":material/grid_on:",
                       on_click="ignore",
                       data=lambda: downloads.workbook(downloads.scores_table(card), tables)[0],
                       file_name=f"harnessing-connections-{p.start}-{p.end}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       help="A sheet of scores and one sheet per kind of data, with real names: keep it inside "
                            "the organisation.")
with st.expander("Each kind of loaded data as CSV (all dates, real names)"):
    for name, df in ds.tables.items():
        if len(df):
            st.download_button(f"{schema.TABLE_LABELS[name]} ({len(df):,} rows)", key=f"download_{name}_csv",
                               on_click="ignore", data=lambda df=df: downloads.table_csv(df),
                               file_name=f"{name}.csv", mime="text/csv", type="tertiary",
                               icon=":material/download:")
