"""Wider community: the organisation as a good citizen, even where it brings no sale."""

import streamlit as st

from harness import charts, community, views
from harness import format as fmt
import ui
from ui import evidence

ds, card, pillar, p = ui.pillar_header("community")

s = ui.cached(views.community_summary, p)
top = st.columns(4)
with top[0]:
    ui.pillar_metric(pillar, box_below=True)  # evidence.partial_box below
top[1].metric("Activities", fmt.number(s["activities"]))
top[2].metric("People reached", fmt.number(s["attendees"]),
              help="Attendees or people reached, summed over activities.")
top[3].metric("Not about sales", fmt.share(s["non_sales_share"]),
              help="Share of activities (with a yes/no answer) that were not aimed at a sale or enrolment.")
ui.explain(pillar)
evidence.partial_box(pillar, "community")

left, right = st.columns(2)
with left:
    ui.counts_chart("community", p, "kind", "Activities by kind", "Activities", labels=views.COMMUNITY_KIND_LABELS,
                    empty="No activities in this period. Try a longer period in the sidebar.")
with right:
    partners = ui.cached(views.partners_table, p)
    if len(partners):
        st.altair_chart(charts.horizontal_bars(partners, "partner", "activities", "Partners", "Activities together",
                                               colour=charts.PILLAR_COLOURS["community"]), width="stretch")
    else:
        st.info("No named partners in this period.")

st.subheader("Activities counted in this period")
acts = ui.cached(community.activity_rows, p)
if len(acts):
    st.dataframe(acts, hide_index=True, width="stretch",
                 column_config={"date": "Date", "activity": "Activity", "from": "From", "people": "People reached",
                                "partner": "Partner", "aimed at a sale": "Aimed at a sale"})
else:
    st.info("No activities counted in this period. Confirm events below, or try a longer period in the sidebar.")

st.subheader("Events in your exports: are they community activities?")
evidence.confirm_events("community")

st.subheader("What to try next")
ui.ideas([(c.key, c.score) for c in pillar.components], limit=3)
