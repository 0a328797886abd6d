"""Altair chart builders. Data in, chart out; tested through ``chart.to_dict()``.

Colours are Okabe-Ito (colour-blind safe), one fixed colour per pillar, and
grey for vanity metrics so they read as secondary everywhere.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from harness import format as fmt

PILLAR_COLOURS = {
    "involvement": "#0072B2",
    "co_creation": "#D55E00",
    "connections": "#009E73",
    "community": "#CC79A7",
}
VANITY_COLOUR = "#8c8c8c"
CATEGORY_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]
MAX_POINTS = 5000  # never send more than this many rows to the browser

alt.data_transformers.disable_max_rows()  # we aggregate first; see _guard


def _guard(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) > MAX_POINTS:
        raise ValueError(f"chart data has {len(df):,} rows; aggregate before charting (max {MAX_POINTS:,})")
    return df


def _base(df: pd.DataFrame, title: str, height: int = 260, rows: bool = False) -> alt.Chart:
    chart = alt.Chart(_guard(df), title=alt.TitleParams(title, anchor="start")).properties(height=height)
    if rows:
        # One bar per row: ``height`` is the plotting area, and only the width follows the container. Under
        # Streamlit's default autosize "fit" the title, axis and legend are taken out of ``height``, which
        # squeezed a four-row chart into a sliver.
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart


def with_span(df: pd.DataFrame, column: str = "bucket") -> pd.DataFrame:
    """Add ``bucket_end`` so each bar covers its whole week or month (with a small gap).

    The bucket length is read from the data: buckets 28+ days apart are months.
    """
    out = df.copy()
    starts = pd.to_datetime(out[column])
    distinct = starts.drop_duplicates().sort_values()
    monthly = len(distinct) > 1 and distinct.diff().min() >= pd.Timedelta(days=28)
    if monthly:
        out["bucket_end"] = starts + pd.offsets.MonthBegin(1) - pd.Timedelta(days=3)
    else:
        out["bucket_end"] = starts + pd.Timedelta(days=6)
    return out


def stacked_over_time(df: pd.DataFrame, category: str | None, title: str, y_title: str,
                      colour: str | None = None, time_unit_label: str = "Week starting",
                      colours: dict[str, str] | None = None) -> alt.Chart:
    """Stacked bars of ``count`` per ``bucket`` split by ``category``; each bar spans its bucket.

    ``colours`` fixes the colour of named categories (e.g. organisation vs community).
    """
    scale = (alt.Scale(domain=list(colours), range=list(colours.values())) if colours
             else alt.Scale(range=CATEGORY_PALETTE))
    enc_colour = (
        alt.Color(f"{category}:N", title=category.replace("_", " ").capitalize(),
                  scale=scale, legend=alt.Legend(orient="bottom", columns=2, labelLimit=160, titleOrient="left"))
        if category else alt.value(colour or PILLAR_COLOURS["involvement"])
    )
    tooltip = [alt.Tooltip("bucket:T", title=time_unit_label, format="%d %b %Y"),
               alt.Tooltip("count:Q", title=y_title)]
    if category:
        tooltip.insert(1, alt.Tooltip(f"{category}:N", title=category.replace("_", " ").capitalize()))
    # Bars span their bucket (x to x2), so Vega-Lite cannot stack them itself: stack here.
    data = with_span(df)
    data["top"] = data.groupby("bucket")["count"].cumsum() if category else data["count"]
    data["bottom"] = data["top"] - data["count"]
    return _base(data, title, 320).mark_bar().encode(
        x=alt.X("bucket:T", title=time_unit_label, axis=alt.Axis(format="%d %b")),
        x2="bucket_end:T",
        y=alt.Y("top:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),  # counts: no "0.5 activities" ticks
        y2="bottom:Q",
        color=enc_colour,
        tooltip=tooltip,
    )


def _whole_number_axis(values: pd.Series):
    """Ticks at whole numbers only when every value is one (counts of people or activities).

    Otherwise ``alt.Undefined`` (the default axis): ``None`` would tell Vega-Lite to draw no axis at all.
    """
    v = pd.to_numeric(values, errors="coerce").dropna()
    return alt.Axis(tickMinStep=1) if len(v) and (v == v.round()).all() else alt.Undefined


def horizontal_bars(df: pd.DataFrame, category: str, value: str, title: str, x_title: str,
                    colour: str = PILLAR_COLOURS["involvement"], fmt: str = ",.0f") -> alt.Chart:
    height = 90 + 32 * len(df)  # axis and title take ~90px of the chart height
    return _base(df, title, height).mark_bar(color=colour).encode(
        y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=x_title, axis=_whole_number_axis(df[value])),
        tooltip=[alt.Tooltip(f"{category}:N", title=category.replace("_", " ").capitalize()),
                 alt.Tooltip(f"{value}:Q", title=x_title, format=fmt)],
    )


def funnel_chart(df: pd.DataFrame, title: str = "From social engagement to real actions") -> alt.Chart:
    """Stages in order (not sorted by size) on a log scale, since reach dwarfs actions."""
    data = df.assign(order=range(len(df)), count=df["count"].clip(lower=1))
    # A log-scale bar has no zero to start from: every bar starts at 1.
    return _base(data, title, max(60, 36 * len(df)), rows=True).mark_bar(color=PILLAR_COLOURS["involvement"]).encode(
        y=alt.Y("stage:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X("count:Q", scale=alt.Scale(type="log", domainMin=1),
                title="Count (log scale: each gridline is 10× the last)"),
        x2=alt.datum(1),
        tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("count:Q", title="Count", format=",")],
    )


def component_chart(pillar: dict, colour: str) -> alt.Chart:
    """"Why this score": each component's 0-100 score, its weight and its points."""
    rows = []
    for c in pillar["components"]:
        rows.append({
            "component": c["label"],
            "score": c["score"] if c.get("available") else 0.0,
            "status": "counted" if c.get("available") else "not available",
            "weight": c.get("weight"),
            "points": c.get("contribution") or 0.0,
        })
    df = pd.DataFrame(rows)
    base = _base(df, "Component scores (0–100)", max(60, 30 * len(df)), rows=True)
    base.title = alt.TitleParams("Component scores (0–100)", anchor="start", subtitle="The pillar is their weighted mean")
    bars = base.mark_bar().encode(
        # Long names are cut with an ellipsis at 190 px (a phone leaves room for the bars); the tooltip gives
        # the whole name.
        y=alt.Y("component:N", title=None, sort=None, axis=alt.Axis(labelLimit=190, labelOverlap=False)),
        x=alt.X("score:Q", title="Component score (100 = target reached)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("status:N", scale=alt.Scale(domain=["counted", "not available"], range=[colour, "#d9d9d9"]),
                        legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("component:N", title="Component"), alt.Tooltip("score:Q", format=".0f", title="Score"),
                 alt.Tooltip("weight:Q", format=".2f", title="Weight"),
                 alt.Tooltip("points:Q", format=".1f", title="Points added to the pillar")],
    )
    return bars


def grouped_bars(df: pd.DataFrame, category: str, value: str, title: str, x_title: str,
                 colours: dict[str, str]) -> alt.Chart:
    return _base(df, title, max(60, 40 * len(df)), rows=True).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=x_title),
        color=alt.Color(f"{category}:N", legend=None,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip(f"{category}:N", title=""), alt.Tooltip(f"{value}:Q", title=x_title, format=",.1f")],
    )


def vanity_vs_real_chart(weekly: pd.DataFrame, time_unit_label: str = "Week starting") -> alt.VConcatChart:
    """Vanity (grey) above real involvement (pillar colour), sharing one time axis.

    Separate panels, not a dual axis: the two scales differ by orders of
    magnitude and a second y-axis invites reading the crossing of lines.
    """
    df = with_span(_guard(weekly[["bucket", "engagement", "reactions", "followers", "real_actions",
                                   "people_involved"]]))
    x = alt.X("bucket:T", title=time_unit_label, axis=alt.Axis(format="%d %b"))
    x2 = alt.X2("bucket_end:T")
    tip_time = alt.Tooltip("bucket:T", title=time_unit_label, format="%d %b %Y")
    width = "container"
    vanity = alt.Chart(df, title=alt.TitleParams("Vanity: reactions, comments and shares", anchor="start",
                                                 color="#555555")).mark_bar(color=VANITY_COLOUR).encode(
        x=x, x2=x2, y=alt.Y("engagement:Q", title="Engagement"), y2=alt.datum(0),
        tooltip=[tip_time, alt.Tooltip("engagement:Q", title="Reactions + comments + shares", format=","),
                 alt.Tooltip("followers:Q", title="Followers", format=",")],
    ).properties(height=170, width=width)
    real = alt.Chart(df, title=alt.TitleParams("Real actions: calls, visits, sign-ups…",
                                               anchor="start")).mark_bar(color=PILLAR_COLOURS["involvement"]).encode(
        x=x, x2=x2, y=alt.Y("real_actions:Q", title="Real actions"), y2=alt.datum(0),
        tooltip=[tip_time, alt.Tooltip("real_actions:Q", title="Real actions", format=","),
                 alt.Tooltip("people_involved:Q", title="People involved", format=",")],
    ).properties(height=170, width=width)
    return alt.vconcat(vanity, real).resolve_scale(x="shared")


def engagement_scatter(weekly: pd.DataFrame) -> alt.Chart:
    """One dot per week: engagement against real actions (the picture behind the rank correlation)."""
    df = weekly[weekly["engagement"].notna()][["bucket", "engagement", "real_actions"]]
    return _base(df, "Each dot is a week", 260).mark_circle(size=70, color=PILLAR_COLOURS["involvement"],
                                                               opacity=0.7).encode(
        x=alt.X("engagement:Q", title="Reactions + comments + shares that week"),
        y=alt.Y("real_actions:Q", title="Real actions that week"),
        tooltip=[alt.Tooltip("bucket:T", title="Week starting", format="%d %b %Y"),
                 alt.Tooltip("engagement:Q", title="Engagement", format=","),
                 alt.Tooltip("real_actions:Q", title="Real actions")],
    )


POSTS_SHOWN = 2_000


def posts_two_ways_chart(posts: pd.DataFrame, limit: int = POSTS_SHOWN) -> alt.Chart:
    """Posts by reactions (x) and by attributed real actions (y): likes vs phone calls.

    With more than ``limit`` posts, the chart keeps the ``limit // 2`` most liked and the ``limit // 2`` with
    the most real actions (the two ends the chart is about) and says so in its subtitle.
    """
    df = posts[["platform", "published_at", "text", "reactions", "real_actions"]]
    subtitle = alt.Undefined
    if len(df) > limit:
        keep = df.nlargest(limit // 2, "reactions").index.union(df.nlargest(limit // 2, "real_actions").index)
        subtitle = (f"{len(keep):,} of {len(df):,} posts: the {limit // 2:,} most liked and the {limit // 2:,} "
                    "with the most real actions")
        df = df.loc[keep]
    df = df.copy()
    df["text"] = df["text"].fillna("").str.slice(0, 90)
    df["published_at"] = df["published_at"].dt.strftime("%d %b %Y")
    df["platform"] = df["platform"].map(fmt.platform)
    chart = _base(df, "Which posts got likes, and which got real actions", 300)
    chart.title = alt.TitleParams("Which posts got likes, and which got real actions", anchor="start",
                                  subtitle=subtitle)
    return chart.mark_circle(size=80, opacity=0.75).encode(
        x=alt.X("reactions:Q", title="Reactions"),
        y=alt.Y("real_actions:Q", title="Real actions attributed", axis=_whole_number_axis(df["real_actions"])),
        color=alt.Color("platform:N", title="Platform", scale=alt.Scale(range=CATEGORY_PALETTE),
                        legend=alt.Legend(orient="bottom", columns=3, titleOrient="left")),
        tooltip=[alt.Tooltip("published_at:N", title="Published"), alt.Tooltip("platform:N", title="Platform"),
                 alt.Tooltip("text:N", title="Post"), alt.Tooltip("reactions:Q", title="Reactions"),
                 alt.Tooltip("real_actions:Q", title="Real actions")],
    )


PYRAMID_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"]


def pyramid_chart(counts: pd.DataFrame) -> alt.LayerChart:
    """People per level, leading at the top; estimated levels drawn paler and labelled.

    Bars, not a centred pyramid: the two estimated levels (from reach and
    followers) are not comparable counts, and a centred shape would suggest
    they are. Bar length is the square root of people, so that the small top
    levels stay visible next to thousands of followers; the axis says so.
    """
    df = counts[["level", "label", "people", "estimate"]].copy()
    df["people"] = df["people"].astype("float64").fillna(0)
    df["order"] = range(len(df))
    df["kind"] = df["estimate"].map({True: "estimate", False: "known by name"}).fillna("known by name")
    df["text"] = df["people"].map("{:,.0f}".format) + df["estimate"].map({True: " (estimate)", False: ""}).fillna("")
    base = _base(df, "People at each level (leading at the top)", 90 + 40 * len(df))
    y = alt.Y("label:N", sort=alt.EncodingSortField("order", order="descending"), title=None,
              axis=alt.Axis(labelLimit=160, labelOverlap=False))
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("people:Q", scale=alt.Scale(type="sqrt"), title="People (square-root scale)"),
        color=alt.Color("label:N", legend=None, sort=alt.EncodingSortField("order"),
                        scale=alt.Scale(range=PYRAMID_COLOURS)),
        opacity=alt.Opacity("kind:N", scale=alt.Scale(domain=["known by name", "estimate"], range=[1.0, 0.45]),
                            legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title="Level"), alt.Tooltip("people:Q", title="People", format=","),
                 alt.Tooltip("kind:N", title="Counted as")],
    )
    text = base.mark_text(align="left", dx=4, color="#222222").encode(y=y, x="people:Q", text="text:N")
    return bars + text
