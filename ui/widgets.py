"""Widgets the pages share: a pillar's score card and "how it was scored" panel, the pillar-page header,
empty states with a next step, and ideas to try."""

from __future__ import annotations

from typing import Callable, NamedTuple

import streamlit as st

from harness import format as fmt
from harness import targets
from harness.dataset import Dataset
from harness.safety import md_escape
from ui.loaders import cached, dataset
from ui.period import scorecard
from ui.workspace import settings

# One page per pillar, named after its key (the pillars and their order are targets.PILLARS).
PILLAR_PAGES = {key: f"pages/{key}.py" for key in targets.PILLARS}


def pillar_metric(pillar, key: str | None = None) -> None:
    delta = fmt.change(pillar.change, suffix=" vs previous period")
    st.metric(pillar.label, fmt.score(pillar.score), delta=delta, border=True,
              help="0–100: the weighted mean of the components below, each scored against its target.")
    st.caption(md_escape(pillar.status or pillar.reading or ""))


def explain(pillar, expanded: bool = False) -> None:
    """The 'why this score' panel: components, values, targets, weights, points."""
    from harness import charts

    with st.expander(f"How {pillar.label} was scored", expanded=expanded):
        if pillar.status:
            st.info(pillar.status)
        d = pillar.to_dict() if hasattr(pillar, "to_dict") else None
        if d:
            st.altair_chart(charts.component_chart(d, charts.PILLAR_COLOURS[pillar.key]), width="stretch")
        rows = []
        for c in pillar.components:
            rows.append({
                "Component": c.label,
                "Value": None if c.value is None else round(c.value, 3),
                "Measured as": c.unit,
                "Target": c.target,
                "Score (0–100)": None if c.score is None else round(c.score),
                "Weight": c.weight,
                "Points added": None if not c.available else round(c.contribution, 1),
                "How it is computed": c.how if c.available else f"Not available: {c.reason}",
                "Where the target comes from": c.target_source,
            })
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption("Each component scores 100 × min(1, value ÷ target). The pillar is the weighted mean of the "
                   "components that can be measured; components without data are left out and the weights of "
                   "the rest re-balanced. Targets and weights can be changed on the Settings page.")


def empty_state(message: str, page: str = "pages/data.py", label: str = "Go to the Data page") -> None:
    st.info(message, icon=":material/folder_open:")
    st.page_link(page, label=label, icon=":material/arrow_forward:")


def ideas(components: list[tuple[str, float | None]], limit: int = 3) -> None:
    from harness.ideas import ideas_for

    org = settings().org_type
    chosen = ideas_for(components, org, limit=limit)
    if not chosen:
        st.success("Every component here is at or above its target. Raise the targets on the Settings page to "
                   "set a more ambitious bar.", icon=":material/emoji_events:")
        return
    for idea in chosen:
        with st.container(border=True):
            st.markdown(f"**{md_escape(idea.title)}**")
            st.write(idea.detail)
            st.caption(f"Why it helps: {idea.why}")
            st.caption(f"Moves: {targets.BY_KEY[idea.component].label} · effort: {idea.effort}")



class PillarPage(NamedTuple):
    dataset: Dataset
    card: object  # scoring.Scorecard
    pillar: object  # scoring.PillarScore
    period: object  # periods.Period


def pillar_header(key: str, caption: str, has_data: str | Callable[[Dataset], bool], empty: str) -> PillarPage:
    """The opening every pillar page shares: title, caption, and the pillar's score for the chosen period.

    ``has_data`` is a table name (``dataset.has(name)``) or a ``harness.views`` check run through the cache.
    Without data the page shows the score card and ``empty`` with a link to the Data page, then stops.
    """
    st.title(targets.PILLARS[key])
    st.caption(caption)
    ds = dataset()
    card = scorecard()
    pillar = card.pillars[key]
    if not (ds.has(has_data) if isinstance(has_data, str) else cached(has_data)):
        pillar_metric(pillar)
        empty_state(empty)
        st.stop()
    return PillarPage(ds, card, pillar, card.period)
