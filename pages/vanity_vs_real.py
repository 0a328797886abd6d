"""Vanity vs real: likes and followers side by side with real involvement."""

import streamlit as st

from harness import charts, vanity, views
from harness import format as fmt
import ui

st.title("Vanity vs real")
st.caption("Likes, followers and views on one side; calls, visits, volunteering and donations on the other. "
           "Are the posts that get likes the ones that get phone calls?")

ds = ui.dataset()
p = ui.period()
plats = ui.platforms()

if not ds.has("posts") and not ds.has("involvement"):
    ui.empty_state("Load post exports (Facebook, Instagram, LinkedIn, X…) and an involvement log to compare them.")
    st.stop()

summary = ui.cached(vanity.summary, p, plats)
cols = st.columns(3) + st.columns(3)
for col, row in zip(cols, summary.itertuples(index=False)):
    value = fmt.number(row.current, 1 if row.metric == "real_actions_per_1k_reactions" else 0)
    delta = fmt.number(row.change, 0, signed=True, missing=None)
    with col:
        st.metric(row.label, value, delta=delta, delta_color="normal" if row.kind == "real" else "off",
                  help="Vanity metric: context only, never part of a score." if row.kind == "vanity"
                  else "Real involvement.")
st.caption(f"Compared with the previous {p.days} days. Vanity changes are shown without colour on purpose: "
           "more likes is neither good nor bad on its own.")
followers = summary.loc[summary["metric"] == "followers", "current"]
if len(followers) and fmt.as_number(followers.iloc[0]) is None:
    st.caption("Followers at the end of the period are not known: no export you uploaded gives the total. "
               "Type today's count once per platform on the Settings page.")
    st.page_link("pages/settings.py", label="Type today's follower count", icon=":material/arrow_forward:")

freq = "W" if views.freq_for(p).startswith("W") else "MS"
weekly = ui.cached(vanity.vanity_vs_real, p, freq=freq, platforms=plats)
st.altair_chart(charts.vanity_vs_real_chart(weekly, fmt.bucket_label(freq)), width="stretch")

weekly_for_corr = weekly if freq == "W" else ui.cached(vanity.vanity_vs_real, p, freq="W", platforms=plats)
corr = vanity.rank_correlation(weekly_for_corr)
left, right = st.columns([2, 3])
with left:
    st.subheader("Do likes bring real actions?")
    if corr.rho is not None:
        st.metric("Rank correlation (Spearman ρ), weekly", fmt.number(corr.rho, 2, signed=True),
                  help="+1: the weeks with the most engagement were always the weeks with the most real actions. "
                       "0: no relation. −1: the opposite.")
    st.write(corr.reading)
with right:
    if weekly_for_corr["engagement"].notna().any():
        st.altair_chart(charts.engagement_scatter(weekly_for_corr), width="stretch")

st.subheader("Posts ranked two ways")
ranked = ui.cached(vanity.rank_posts, p, platforms=plats)
ranked = ranked.assign(platform=ranked["platform"].map(fmt.platform)) if len(ranked) else ranked
if ranked.empty:
    st.info("No posts published in this period. Upload post exports on the Data page, or pick a longer period.")
else:
    st.altair_chart(charts.posts_two_ways_chart(ranked), width="stretch")
    st.caption("Real actions are attributed to a post by its post ID when the log gives one, otherwise to the "
               "latest post on the same platform in the 7 days before a social-sourced action.")
    config = {"text": st.column_config.TextColumn("Post", width="medium"), "platform": "Platform",
              "published_at": st.column_config.DatetimeColumn("Published", format="D MMM YYYY"),
              "reactions": "Reactions", "real_actions": "Real actions", "attribution": "How attributed",
              "url": st.column_config.LinkColumn("Link", display_text="open")}
    # The figure each list is ranked by comes first: after a wide "Post" column it was scrolled out of sight.
    rest = ["text", "platform", "published_at", "attribution", "url"]
    a, b = st.columns(2)
    with a:
        st.markdown("**Most likes**")
        st.dataframe(ranked.sort_values("rank_reactions").head(10), hide_index=True,
                     column_order=["reactions", "real_actions", *rest],
                     column_config=config, width="stretch")
    with b:
        st.markdown("**Most real actions**")
        st.dataframe(ranked.head(10), hide_index=True, column_order=["real_actions", "reactions", *rest],
                     column_config=config, width="stretch")
