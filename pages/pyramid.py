"""Engagement pyramid: Groundwire's six levels, and how people moved between periods."""

import streamlit as st

from harness import charts, pyramid
from harness import format as fmt
from harness.safety import md_escape
import ui

st.title("Engagement pyramid")
st.caption("Groundwire's six levels of engagement, from people who only see your posts to people who lead "
           "others to you. Healthy organisations move people up the pyramid, not just widen its base.")

ds = ui.dataset()
p = ui.period()
counts = ui.cached(pyramid.pyramid_counts, p, ui.settings(), ui.platforms())
if counts["known_people"].sum() == 0 and not ds.has("involvement"):
    ui.empty_state("The pyramid needs to know people by name: load an involvement log, a form export, a referrals "
                   "log or a contributions log.")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.altair_chart(charts.pyramid_chart(counts), width="stretch")
with right:
    # As text: an unknown previous count showed as a grey "None" in a number column.
    table = counts[["label", "people", "previous_people", "change"]].assign(
        people=counts["people"].map(fmt.number), previous_people=counts["previous_people"].map(fmt.number),
        change=counts["change"].map(lambda v: fmt.change(v, missing=fmt.MISSING)))
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "label": "Level", "people": "People", "previous_people": f"Previous {p.days} days", "change": "Change"})
    # Under the table, where it wraps at any width (a table cuts long text off); levels counted alike share a line.
    st.markdown("**How each level is counted**\n\n" + "\n".join(f"- {md_escape(line)}"
                                                                  for line in pyramid.counting_notes(counts)))

with st.expander("What each level means, and the rules we use"):
    for row in counts.itertuples(index=False):
        st.markdown(f"**{row.label}**: {row.description}")
    st.caption("A person takes the highest level whose rule they meet. Rules are applied to what they did in the "
               "selected period.")

st.subheader("Movement since the previous period")
moves = ui.cached(pyramid.movement, p)
if moves.empty:
    st.info("No named people in either period.")
else:
    st.dataframe(pyramid.movement_display(moves), hide_index=True, width="stretch", column_config={
        "from_level": "From", "to_level": "To", "direction": "Direction", "people": "People"})
