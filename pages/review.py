"""Review: the figures staff published, frozen, opened from a link. Read-only: no workspace is loaded."""

import streamlit as st

from harness import format as fmt
from harness import report, reviews, scoring
from harness import snapshot_views as sv
from harness.safety import commentary_markdown, md_escape
import ui

# On a phone a component reads as its value against its target and the points it added (why one is missing is
# in the warning under its pillar).
COMPONENT_PHONE_FIELDS = ["Value", "Target", "Score (0–100)", "Weight", "Points added"]

token = str(st.query_params.get("review", ""))
db = ui.store()
if db is None:
    st.title("This review cannot be opened right now")
    st.write("The app cannot reach its database. Try again in a few minutes, or ask the person who sent the link.")
    st.stop()

# Wrong passcodes are counted and the link locked in the database (reviews.access_review), for every session and
# replica alike. A passcode typed into the form is tried exactly once; only a right one is kept for reruns.
state = st.session_state
typed = state.pop("review_passcode_typed", None)
status, review = reviews.access_review(db, token, typed if typed is not None else state.get("review_passcode"),
                                       record_open=state.get("review_opened") != token)
if status is reviews.ReviewAccess.OK:
    if typed is not None:
        state["review_passcode"] = typed
    state["review_opened"] = token
else:
    state.pop("review_passcode", None)

if status is reviews.ReviewAccess.NOT_FOUND:
    st.title("Review not found")
    st.write("This link does not open a review. It may be mistyped or cut short, or it may have been withdrawn "
             "or have expired. Ask the person who sent it for a new link.")
    st.stop()

if status is not reviews.ReviewAccess.OK:
    locked = status is reviews.ReviewAccess.LOCKED
    st.title("This review is locked for now" if locked else "This review needs a passcode")
    if locked:
        st.error(reviews.lock_message(review), icon=":material/lock_clock:")
    else:
        st.write("The person who sent you the link should have given you the passcode separately.")
        if status is reviews.ReviewAccess.WRONG_PASSCODE:
            st.error(reviews.WRONG_PASSCODE_MESSAGE)
    with st.form("review_passcode_form"):
        entered = st.text_input("Passcode", type="password", key="review_passcode_input")
        if st.form_submit_button("Open the review", type="primary"):
            state["review_passcode_typed"] = entered
            st.rerun()
    st.stop()

snap = review.snapshot
specs = ui.review_charts(review.id, snap)
period = snap.get("period") or {}
previous = snap.get("previous_period") or {}

st.title(md_escape(review.title))
expires = f" The link works until {review.expires_at:%-d %b %Y}." if review.expires_at else ""
st.caption(f"**{md_escape(period.get('label', ''))}**, compared with the previous {period.get('days', '')} days "
           f"({md_escape(previous.get('label', ''))}). Published {review.created_at:%-d %b %Y}; the figures are "
           f"frozen as they were then, and nothing on this page can change them.{expires}")
if snap.get("platforms"):
    st.caption("Posts and followers from: " + md_escape(", ".join(snap["platforms"])) + " only.")

if review.commentary.strip():
    st.subheader("From the team")
    with st.container(border=True):
        st.markdown(commentary_markdown(review.commentary))  # bold, italics, lists; everything else inert

st.subheader("The four pillars")
st.caption("Each score is 0–100 against the organisation's targets. The arrow is the change against the "
           "previous period.")
pillars = sv.pillars(snap)
for col, pillar in zip(st.columns(len(pillars) or 1), pillars):
    with col:
        delta = fmt.change(pillar.get("change"), suffix=" vs previous period")
        st.metric(pillar.get("label", pillar["key"]), fmt.score(pillar.get("score")), delta=delta, border=True)
        partial = sv.partial_line(pillar)
        reading = pillar.get("status") or pillar.get("reading") or ""
        # The warning under it says "From N of M measures" and what is missing: the reading leaves them out.
        st.caption(md_escape(scoring.reading_without_measures(reading) if partial else reading))
        if partial:
            st.warning(md_escape(partial), icon=":material/rule:")
with st.expander("How each score was worked out"):
    for pillar in pillars:
        st.markdown(f"**{md_escape(pillar.get('label'))}: {fmt.score(pillar.get('score'))}**")
        ui.table(sv.components_frame(pillar), f"components_{pillar['key']}", "Component", COMPONENT_PHONE_FIELDS)

if review.changes:
    st.subheader("What changed since the previous review")
    st.markdown("\n".join(f"- {md_escape(line)}" for line in review.changes))

st.subheader("Vanity vs real")
st.caption("Likes, followers and views beside calls, visits, volunteering and donations. Vanity figures are "
           "context only and never raise a score.")
summary = sv.vanity_summary(snap)
for col, row in zip(st.columns(3) + st.columns(3), summary):
    with col:
        st.metric(row["label"], row["value"], delta=row["delta"],
                  delta_color="normal" if row["kind"] == "real" else "off")
if "vanity" in specs:
    st.vega_lite_chart(spec=specs["vanity"], width="stretch")
reading = ((snap.get("vanity") or {}).get("correlation") or {}).get("reading")
if reading:
    st.write(reading)

st.subheader("Connections of connections")
st.caption("Depth 1 found the organisation directly; depth 2 was brought in by a depth-1 person, and so on.")
left, right = st.columns([2, 3])
with left:
    ui.table(sv.network_figures(snap), "network_figures", "Figure")
with right:
    top = sv.connectors_frame(snap)
    names = "pseudonyms: real names are hidden" if snap.get("pseudonymised", True) else "names as uploaded"
    st.markdown("**Top connectors** by people reached through them in the period")
    if len(top):
        ui.table(top, "connectors", "Person")
        st.caption(f"Shown with {names}.")
    else:
        st.caption("Nobody brought in other people in this period.")

if "pyramid" in specs:
    st.subheader("Engagement pyramid")
    st.vega_lite_chart(spec=specs["pyramid"], width="stretch")

st.divider()
st.download_button(
    "Download this review (HTML, prints to PDF)",
    data=lambda: report.render_report(snap, title=review.title, commentary=review.commentary,
                                      changes=review.changes).encode("utf-8"),
    file_name="review.html", mime="text/html", key="review_download", icon=":material/download:",
    on_click="ignore", help="One self-contained file that works offline. Open it and print, or save as PDF.")
