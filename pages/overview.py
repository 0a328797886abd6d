"""Overview: the four pillar scores, vanity beside them, coverage, the biggest gap."""

import streamlit as st

from harness import format as fmt
from harness import targets, views
from harness.safety import md_escape
import ui

st.title("Are our connections turning into real involvement?")
st.caption("Four measures that matter more than likes: people getting involved, people creating with you, "
           "people bringing their own contacts, and your place in the wider community.")

ui.loaded_dataset("No data loaded yet. The Data page has a short checklist of the exports to fetch (posts from "
                  "each platform, your enquiry or sign-up form, your events) and where to find each one.")

card = ui.scorecard()
st.subheader(f"{card.period.label()}")

cols = st.columns(4)
for col, key in zip(cols, targets.PILLARS):
    pillar = card.pillars[key]
    with col:
        ui.pillar_metric(pillar)
        # A short label: "Open Connections of connections" was cut off in a quarter-width column.
        st.page_link(ui.PILLAR_PAGES[key], label="See the details", icon=":material/arrow_forward:",
                     help=f"Open the {pillar.label} page")

waiting = card.waiting_for_followers()
if waiting:
    # Otherwise followers read "–" below and every per-1,000-followers measure "not available", with no next step.
    st.warning(f"**No export you uploaded gives your follower total**, so {len(waiting)} measure"
               f"{'s' if len(waiting) != 1 else ''} per 1,000 followers {'are' if len(waiting) != 1 else 'is'} "
               "left out of the scores. Type today's follower count once per platform (in Settings, or on a "
               "pillar's page) and they count.", icon=":material/group_add:")
    st.page_link("pages/settings.py", label="Type today's follower count in Settings", icon=":material/arrow_forward:")

with st.expander("How each score was worked out"):
    for key in targets.PILLARS:
        ui.explain(card.pillars[key])

st.divider()
left, right = st.columns([3, 2])
with left:
    st.subheader("The biggest gap, and what to try next")
    weakest = views.weakest_components(card, n=3)
    if weakest:
        pillar, comp = weakest[0]
        st.markdown(
            f"**{md_escape(comp.label)}** ({md_escape(pillar.label)}) scores **{fmt.score(comp.score)}**: "
            f"{md_escape(comp.shown)}, against a target of {fmt.value(comp.target, comp.unit)}."
        )
        ui.ideas([(c.key, c.score) for _, c in weakest], limit=3)
    else:
        st.info("No component could be scored yet: load an involvement log or a form export on the Data page.")
with right:
    st.subheader("Vanity metrics (context only)")
    st.caption("Followers, reactions and views are shown for context. They never raise a pillar score.")
    v = card.vanity
    cur, prev = v.get("current", {}), v.get("previous", {})

    def vanity_metric(label, key, help_text):
        value = cur.get(key)
        before = prev.get(key)
        delta = None if value is None or before is None else fmt.change(value - before)
        st.metric(label, fmt.number(value), delta=delta, delta_color="off", help=help_text)

    a, b = st.columns(2)
    with a:
        vanity_metric("Followers (end of period)", "followers",
                      "Summed over platforms with follower counts." if cur.get("followers") is not None else
                      "Not known: no export gives a follower total. Type today's count in Settings.")
        vanity_metric("Reactions", "reactions", "Likes and reactions on posts published in the period.")
    with b:
        vanity_metric("Views", "views", "Views/impressions of posts published in the period.")
        vanity_metric("Real actions", "real_actions", "Calls, visits, volunteering, donations, enrolments… in the period.")
    per_k = cur.get("real_actions_per_1k_reactions")
    if per_k is not None:
        st.markdown(f"**{fmt.number(per_k, 1)} real actions per 1,000 reactions** this period.")
    st.page_link("pages/vanity_vs_real.py", label="Compare vanity and real involvement", icon=":material/balance:")

st.divider()
st.subheader("What data is loaded")
coverage = ui.cached(views.coverage_table)
if (coverage["loaded"] == "yes").all():
    coverage = coverage.drop(columns="what it gives you")  # an empty column when nothing is missing
st.dataframe(coverage, hide_index=True, width="stretch",
             column_config={"table": "What", "loaded": "Loaded", "rows": "Rows", "from": "From", "to": "To",
                            "what it gives you": "What it would add"})
st.page_link("pages/data.py", label="Add or remove data", icon=":material/folder_open:")
