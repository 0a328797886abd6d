"""Altair chart builders. Data in, chart out; tested through ``chart.to_dict()``.

Colours are Okabe-Ito (colour-blind safe), one fixed colour per pillar, and
grey for vanity metrics so they read as secondary everywhere.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

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


def _base(df: pd.DataFrame, title: str, height: int = 260) -> alt.Chart:
    return alt.Chart(_guard(df), title=alt.TitleParams(title, anchor="start")).properties(height=height)


def stacked_over_time(df: pd.DataFrame, category: str, title: str, y_title: str,
                      colour: str | None = None, time_unit_label: str = "Week starting") -> alt.Chart:
    """Stacked bars of ``count`` per ``bucket`` split by ``category``."""
    enc_colour = (
        alt.Color(f"{category}:N", title=category.replace("_", " ").capitalize(),
                  scale=alt.Scale(range=CATEGORY_PALETTE))
        if category else alt.value(colour or PILLAR_COLOURS["involvement"])
    )
    tooltip = [alt.Tooltip("bucket:T", title=time_unit_label, format="%d %b %Y"),
               alt.Tooltip("count:Q", title=y_title)]
    if category:
        tooltip.insert(1, alt.Tooltip(f"{category}:N", title=category.replace("_", " ").capitalize()))
    return _base(df, title).mark_bar().encode(
        x=alt.X("bucket:T", title=time_unit_label, axis=alt.Axis(format="%d %b")),
        y=alt.Y("count:Q", title=y_title, stack="zero"),
        color=enc_colour,
        tooltip=tooltip,
    )


def horizontal_bars(df: pd.DataFrame, category: str, value: str, title: str, x_title: str,
                    colour: str = PILLAR_COLOURS["involvement"], fmt: str = ",.0f") -> alt.Chart:
    height = max(120, 26 * len(df))
    return _base(df, title, height).mark_bar(color=colour).encode(
        y=alt.Y(f"{category}:N", sort="-x", title=None),
        x=alt.X(f"{value}:Q", title=x_title),
        tooltip=[alt.Tooltip(f"{category}:N", title=category.replace("_", " ").capitalize()),
                 alt.Tooltip(f"{value}:Q", title=x_title, format=fmt)],
    )


def funnel_chart(df: pd.DataFrame, title: str = "From social engagement to real actions") -> alt.Chart:
    """Stages in order (not sorted by size) on a log scale, since reach dwarfs actions."""
    data = df.assign(order=range(len(df)), count=df["count"].clip(lower=1))
    return _base(data, title, max(140, 40 * len(df))).mark_bar(color=PILLAR_COLOURS["involvement"]).encode(
        y=alt.Y("stage:N", sort=alt.EncodingSortField("order"), title=None),
        x=alt.X("count:Q", scale=alt.Scale(type="log"), title="Count (log scale: each gridline is 10× the last)"),
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
    base = _base(df, "Component scores (0–100; the pillar is their weighted mean)", max(120, 34 * len(df)))
    bars = base.mark_bar().encode(
        y=alt.Y("component:N", title=None, sort=None),
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
    return _base(df, title, max(100, 40 * len(df))).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=None),
        x=alt.X(f"{value}:Q", title=x_title),
        color=alt.Color(f"{category}:N", legend=None,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip(f"{category}:N", title=""), alt.Tooltip(f"{value}:Q", title=x_title, format=",.1f")],
    )
