"""Widgets the pages share: a pillar's score card and "how it was scored" panel, the pillar-page header,
empty states with a next step, and ideas to try."""

from __future__ import annotations

from typing import Callable, NamedTuple

import streamlit as st

from harness import community
from harness import format as fmt
from harness import charts, scoring, targets, views
from harness.dataset import Dataset
from harness.safety import md_escape
from ui.loaders import cached, dataset
from ui.period import scorecard
from ui.workspace import settings

# One page per pillar, named after its key (the pillars and their order are targets.PILLARS).
PILLAR_PAGES = {key: f"pages/{key}.py" for key in targets.PILLARS}


def pillar_metric(pillar, key: str | None = None, note: bool = True, box_below: bool = False) -> None:
    """A pillar's score card and its one-line reading. ``box_below``: the page shows the "From N of M measures"
    box under it (``evidence.partial_box``), so the reading leaves out what the box says."""
    delta = fmt.change(pillar.change, suffix=" vs previous period")
    st.metric(pillar.label, fmt.score(pillar.score), delta=delta, border=True,
              help="0–100: the weighted mean of the components below, each scored against its target.")
    if note:
        reading = pillar.status or pillar.reading or ""
        if box_below and pillar.partial:
            reading = scoring.reading_without_measures(reading)
        st.caption(md_escape(reading))


def explain(pillar, expanded: bool = False) -> None:
    """The 'why this score' panel: components, values, targets, weights, points."""
    with st.expander(f"How {pillar.label} was scored", expanded=expanded):
        if pillar.status:
            st.info(pillar.status)
        d = pillar.to_dict() if hasattr(pillar, "to_dict") else None
        if d:
            st.altair_chart(charts.component_chart(d, charts.PILLAR_COLOURS[pillar.key]), width="stretch")
        rows = views.explain_rows(pillar).assign(**{"Where the target comes from": [c.target_source
                                                                                  for c in pillar.components]})
        st.dataframe(rows, hide_index=True, width="stretch", column_config={
            "Component": st.column_config.TextColumn(width="medium"),
            "How it is computed": st.column_config.TextColumn(width="large"),
            "Where the target comes from": st.column_config.TextColumn(width="large")})
        st.caption("Each component scores 100 × min(1, value ÷ target). The pillar is the weighted mean of the "
                   "components that can be measured; components without data are left out and the weights of "
                   "the rest re-balanced. Targets and weights can be changed on the Settings page.")


# Below 640 px (where Streamlit itself stacks columns) a wide table would scroll sideways: ``table`` draws it
# twice, as a table for wide screens and as stacked rows for a phone, and these rules show one. A container's
# key is its CSS class ("st-key-<key>"); the wrapper around a hidden block goes too, so it leaves no gap.
_NARROW_CSS = """<style>
[class*="st-key-phone_"], [data-testid="stLayoutWrapper"]:has(> [class*="st-key-phone_"]) { display: none; }
@media (max-width: 639.98px) {
  [class*="st-key-wide_"], [data-testid="stLayoutWrapper"]:has(> [class*="st-key-wide_"]) { display: none; }
  [class*="st-key-phone_"] { display: flex; }
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-phone_"]) { display: block; }
}
</style>"""


def table(frame, key: str, title: str, phone_fields: list[str] | None = None, column_config=None,
          omit_zero: tuple[str, ...] = ()) -> None:
    """``frame`` as a table on a wide screen, and on a phone as stacked rows: the ``title`` column in bold, then
    "Header: value" for each of ``phone_fields`` (default: every other column; a 0 in ``omit_zero`` columns left
    out). Cells are escaped."""
    st.html(_NARROW_CSS)
    with st.container(key=f"wide_{key}"):
        st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)
    with st.container(key=f"phone_{key}", border=True, gap="small"):
        for name, line in views.stacked_rows(frame, title, phone_fields, omit_zero):
            st.markdown(f"**{md_escape(name)}**" + (f"  \n{md_escape(line)}" if line else ""))


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



def counts_chart(table: str, period, by: str, title: str, unit: str, labels: dict | None = None,
                 empty: str | None = None) -> None:
    """Rows of ``table`` per week or month of the period, stacked by ``by``; ``empty`` (if given) when none."""
    df = cached(views.counts_over_time, table, period, by=by, labels=labels)
    if len(df):
        st.altair_chart(charts.stacked_over_time(df, by, title, unit,
                                                 time_unit_label=fmt.bucket_label(views.freq_for(period))),
                        width="stretch")
    elif empty:
        st.info(empty)


def loaded_dataset(empty: str):
    """This workspace's dataset; when nothing is loaded, ``empty`` with a link to the Data page, and the page stops."""
    ds = dataset()
    if ds.is_empty():
        empty_state(empty)
        st.stop()
    return ds


class PillarPage(NamedTuple):
    dataset: Dataset
    card: object  # scoring.Scorecard
    pillar: object  # scoring.PillarScore
    period: object  # periods.Period


class PillarIntro(NamedTuple):
    caption: str
    has_data: str | Callable[[Dataset], bool]  # a table name (dataset.has) or a harness.views check, cached
    empty: str  # what to load, shown with a link to the Data page when there is no data


PILLAR_INTROS = {
    "involvement": PillarIntro(
        "Connections getting involved with you: enquiries, calls, visits, volunteering, donations, enrolments, "
        "coming to events. Not a like: a phone call, someone at the door asking to help.",
        "involvement",
        "No involvement data yet. Upload an involvement log (blank template on the Data page), "
        "a Google Forms enquiry export, an Eventbrite attendee report or a HubSpot contacts export."),
    "co_creation": PillarIntro(
        "Connections creating content for you (photos, stories, reviews, testimonials), so you don't have to "
        "make it all yourself.",
        views.has_co_creation_data,
        "No community-created content yet. Upload the responses of a form where people send their stories, "
        "photos or videos (a Google Form with a file-upload or 'your story' question), or keep a contributions "
        "log (blank template on the Data page)."),
    "connections": PillarIntro(
        "People recommending you and bringing their own contacts on board. Depth 1 is someone who found you "
        "directly; depth 2 was brought in by a depth-1 person, and so on.",
        views.has_referral_data,
        "No referral data yet. Upload a referrals log (blank template on the Data page), or a form "
        "export that asks 'Who referred you?'."),
    "community": PillarIntro(
        "Your organisation acting as a good citizen of its local community: events, partnerships, service and "
        "sponsorship, even when it leads to no sale or enrolment.",
        community.has_data,
        "No community activities yet. Upload your events' attendee exports (Eventbrite, SignUpGenius, an event "
        "sign-up form): each event is proposed as an activity for you to confirm. A community log (blank "
        "template on the Data page) adds what no export shows."),
}


def pillar_header(key: str) -> PillarPage:
    """The opening every pillar page shares: title, caption, and the pillar's score for the chosen period.

    Without the data the pillar needs, the page shows the score card and what to load, then stops.
    """
    intro = PILLAR_INTROS[key]
    st.title(targets.PILLARS[key])
    st.caption(intro.caption)
    ds = dataset()
    card = scorecard()
    pillar = card.pillars[key]
    has_data = intro.has_data
    if not (ds.has(has_data) if isinstance(has_data, str) else cached(has_data)):
        pillar_metric(pillar, note=False)  # the status says what empty_state says: say it once
        empty_state(intro.empty)
        st.stop()
    return PillarPage(ds, card, pillar, card.period)
