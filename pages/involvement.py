"""Involvement: real-world actions over time, by kind and by source, and the funnel."""

import streamlit as st

from harness import charts, views
from harness import format as fmt
import ui
from ui import evidence

ds, card, pillar, p = ui.pillar_header("involvement")

top = st.columns([1, 1, 1, 1])
s = ui.cached(views.involvement_summary, p)
with top[0]:
    ui.pillar_metric(pillar, box_below=True)  # evidence.partial_box below
top[1].metric("Real actions", fmt.number(s["actions"]), help="Every logged action in the period.")
top[2].metric("People involved", fmt.number(s["people"]), help="Distinct people with at least one action.")
top[3].metric("Came back (2+ actions)", fmt.number(s["repeat_people"]), help="People with two or more actions in the period.")
ui.explain(pillar)
evidence.partial_box(pillar, "involvement")

left, right = st.columns(2)
with left:
    ui.counts_chart("involvement", p, "action", "Actions by kind", "Actions", labels=views.ACTION_LABELS,
                    empty="No actions in this period. Try a longer period in the sidebar.")
with right:
    ui.counts_chart("involvement", p, "source", "Actions by where people came from", "Actions",
                    labels=views.SOURCE_LABELS)

left, right = st.columns(2)
with left:
    f = ui.cached(views.funnel, p)
    if len(f):
        st.altair_chart(charts.funnel_chart(f), width="stretch")
        st.caption("Engagement numbers come from posts published in the period; actions from the involvement data.")
with right:
    src = ui.cached(views.source_counts, p)
    if len(src):
        st.altair_chart(charts.horizontal_bars(src, "source", "count", "Top sources of real actions", "Actions"),
                        width="stretch")

st.subheader("What to try next")
ui.ideas([(c.key, c.score) for c in pillar.components], limit=3)
