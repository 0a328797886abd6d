"""Co-creation: community-created content against the organisation's own."""

import streamlit as st

from harness import charts, views
from harness import format as fmt
import ui

ds, card, pillar, p = ui.pillar_header("co_creation")

cols = st.columns([1, 2])
with cols[0]:
    ui.pillar_metric(pillar)
with cols[1]:
    ui.explain(pillar)

freq_label = fmt.bucket_label(views.freq_for(p))
left, right = st.columns(2)
with left:
    mix = ui.cached(views.content_mix, p)
    if len(mix):
        st.altair_chart(charts.stacked_over_time(
            mix, "who", "Who made the content", "Items", time_unit_label=freq_label,
            colours={"Organisation posts": charts.VANITY_COLOUR,
                     "Community-created": charts.PILLAR_COLOURS["co_creation"]}), width="stretch")
    else:
        st.info("No content in this period. Try a longer period in the sidebar.")
with right:
    comp = ui.cached(views.engagement_comparison, p)
    if len(comp):
        st.altair_chart(charts.grouped_bars(comp, "who", "mean_engagement",
                                            "Average engagement per item",
                                            "Reactions + comments + shares per item",
                                            {"Organisation posts": charts.VANITY_COLOUR,
                                             "Community-created content": charts.PILLAR_COLOURS["co_creation"]}),
                        width="stretch")
        st.caption("How community content performs against your own posts, per item.")

st.subheader("Contributors")
table = ui.cached(views.contributors_table, p)
if len(table):
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"contributor": "Contributor", "items": "Items", "used_by_us": "Used by us",
                                "engagement": "Engagement"})
else:
    st.info("No contributions logged in this period.")

st.subheader("What to try next")
ui.ideas([(c.key, c.score) for c in pillar.components], limit=3)
