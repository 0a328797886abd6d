"""Connections of connections: who brings people in, how far recommendations travel."""

import streamlit as st

from harness import format as fmt
from harness import graphview, network, privacy, scoring, views
from harness.safety import md_escape
import ui
from ui import evidence

ds, card, pillar, p = ui.pillar_header("connections")

m = ui.cached_resource(network.network_metrics, p)
salt = ui.workspace()["salt"]
h, ch = m.headline(), m.changes()
if not ui.cached(scoring.period_has_data, p.previous()):
    ch = {}  # an empty previous period is no baseline: no "+299" against nothing


def delta(key, share=False, digits=0):
    return fmt.change(ch.get(key), digits=digits, share=share)


# The score card beside a 2 × 2 grid: five equal columns cut the labels off ("Reached through some…").
left, right = st.columns([1, 2])
with left:
    ui.pillar_metric(pillar, box_below=True)  # evidence.partial_box below
a, b = right.columns(2)
c, d = right.columns(2)  # two rows, so a phone lists them in reading order
a.metric("People reached", fmt.number(h["people"]), delta=delta("people"),
         help="People referred or involved in the period.")
b.metric("Reached through someone else", fmt.share(h["depth2_share"]), delta=delta("depth2_share", share=True),
         help="Share of people at depth 2 or more: brought in by someone who was themselves referred.")
c.metric("K-factor", fmt.number(h["k_factor"], 2), delta=delta("k_factor", digits=2),
         help="Converted referrals per involved person. 1 or more means each person brings at least one more.")
d.metric("Referral conversion", fmt.share(h["referral_conversion"]),
         delta=delta("referral_conversion", share=True),
         help="Referrals with a known outcome that led to involvement.")
ui.explain(pillar)
evidence.partial_box(pillar, "connections")

st.subheader("The referral network")
with st.container(border=True):
    a, b, c, d = st.columns([2, 1, 2, 1])
    hide = st.session_state.get("net_hide", False)
    focus = a.text_input("Focus on a person (ego view)", key="net_focus",
                         placeholder="A pseudonym, e.g. Person 3f9a1c0e" if hide else "Name or email")
    steps = b.number_input("Steps out", min_value=1, max_value=5, value=2, key="net_steps")
    channels = ui.cached(views.distinct_values, "referrals", "channel")
    chosen = c.multiselect("Channels", channels, key="net_channels", placeholder="All channels",
                           format_func=lambda ch: (lambda w: w[:1].upper() + w[1:])(graphview.channel_word(ch)))
    converted_only = d.toggle("Converted only", key="net_converted")
    st.toggle("Hide names (pseudonyms, for presenting or sharing)", key="net_hide")
try:
    html, info = ui.cached(graphview.render_network_html, max_nodes=1000, pseudonymise=hide, salt=salt,
                           focus=focus or None, steps=int(steps), channels=tuple(chosen) or None,
                           converted_only=converted_only, period=p)
except ValueError as exc:
    st.warning(md_escape(str(exc)))
else:
    st.caption(md_escape(info.get("message") or f"Showing {info['shown_people']:,} of {info['total_people']:,} people."))
    st.iframe(graphview.sandboxed(html), height=680)  # opaque origin: see graphview.sandboxed

left, right = st.columns(2)
with left:
    st.subheader("Top connectors by downstream reach")
    st.caption("Everyone who came in through them, at any depth.")
    st.caption("Sorted by reach in the period, then by everyone they brought in.")
    st.dataframe(views.connectors_display(privacy.connectors_for_display(m.top_connectors("downstream_reach"),
                                                                         hide, salt), "reach_in_period"),
                 hide_index=True, width="stretch")
with right:
    st.subheader("Top connectors by direct referrals")
    st.caption("Sorted by the people they recommended you to themselves.")
    st.dataframe(views.connectors_display(privacy.connectors_for_display(m.top_connectors("direct_referrals"),
                                                                         hide, salt), "direct_referrals"),
                 hide_index=True, width="stretch")

with st.expander("Download the network"):
    # Built only when clicked: for a million people the GEXF file alone takes seconds to write.
    st.download_button("Connectors table (CSV)", key="net_csv", on_click="ignore",
                       data=lambda: graphview.connectors_csv_bytes(m, pseudonymise=hide, salt=salt),
                       file_name="connectors.csv", mime="text/csv")
    st.download_button("Network for Gephi (GEXF)", key="net_gexf", on_click="ignore",
                       data=lambda: graphview.to_gexf_bytes(ds, pseudonymise=hide, salt=salt, period=p),
                       file_name="referral-network.gexf", mime="application/xml")

st.subheader("What to try next")
ui.ideas([(c.key, c.score) for c in pillar.components], limit=3)
