"""Co-creation: community-created content against the organisation's own."""

import streamlit as st

from harness import charts, cocreation, views
from harness import format as fmt
import ui
from ui import evidence

ds, card, pillar, p = ui.pillar_header("co_creation")

cols = st.columns([1, 2])
with cols[0]:
    ui.pillar_metric(pillar, box_below=True)  # evidence.partial_box below
with cols[1]:
    ui.explain(pillar)
evidence.partial_box(pillar, "co_creation")

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

st.subheader("Where this content comes from")
for source in ui.cached(cocreation.sources, p):
    with st.container(border=True):
        left, right = st.columns([1, 4])
        left.metric(source["label"], f"{source['items']:,}", help="Items in this period.")
        right.markdown(f"**What it counts:** {source['counts']}  \n**Why:** {source['why']}")
        if "consent" in source and source["items"]:
            right.caption("Permission to share: " + cocreation.consent_text(source["consent"]) + ".")

st.subheader("Contributors")
table = ui.cached(views.contributors_table, p)
if len(table):
    shown = table.assign(**{c: table[c].map(fmt.number) for c in ("used_by_us", "engagement", "may_share")})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"contributor": "Contributor", "items": "Items", "used_by_us": "Used by us",
                                "engagement": "Engagement", "may_share": "Items they let you share"})
else:
    st.info("No contributions logged in this period.")

st.subheader("What to try next")
ui.ideas([(c.key, c.score) for c in pillar.components], limit=3)
