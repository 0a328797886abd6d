"""What a score stands on (Streamlit glue): the confirm step for proposed community activities, the "from N of M
measures" box on a pillar's card, and the once-per-platform follower-count question.

No numbers are worked out here (``harness.community``, ``harness.scoring``, ``harness.cocreation`` do it).
Text from uploads (event names, partners) is escaped before it reaches markdown.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from harness import audience, community, scoring
from harness.format import PLATFORM_NAMES
from harness.safety import md_escape
import ui

SHOWN_AT_FIRST = 12


def _key(where: str, record_id: str, what: str) -> str:
    return f"{where}_{what}_{hashlib.sha1(record_id.encode('utf-8')).hexdigest()[:12]}"


def _save_choice(record_id: str, counted: bool | None) -> None:
    ws = ui.workspace()
    if ui.save_settings(community.choose(ws["settings"], record_id, counted)):
        st.rerun()


def confirm_events(where: str) -> None:
    """Each event found in the exports, the proposal (and why), and one click to confirm or change it."""
    ws = ui.workspace()
    rows = ui.cached(community.proposal_rows, ws["settings"].get("community_choices") or {})
    if not rows:
        st.info("No events found in your uploads yet. Eventbrite attendee reports, SignUpGenius reports and event "
                "sign-up forms each give their events here, for you to confirm as community activities.",
                icon=":material/event:")
        return
    open_rows = [r for r in rows if r["choice"] is None and not r["in_log"]]
    counted = sum(r["counted"] for r in rows)
    st.markdown(f"**{len(rows)} event{'s' if len(rows) != 1 else ''} found in your exports**: {counted} counted as "
                f"community activities, {len(open_rows)} still to confirm.")
    st.caption("The app proposes an event when its name or kind has a community word (clean-up, food bank, "
               "library, fair, festival, charity, volunteer, open to all, free… in English, French, Spanish, German, "
               "Portuguese, Italian or Dutch) and not a sales word (open day, admissions, tour…). Your choice is "
               "saved in this workspace and in the settings file you download for the command line.")
    if open_rows and st.button(f"Confirm all {len(open_rows)} proposals as they are", key=f"{where}_confirm_all"):
        new = dict(ws["settings"])
        for r in open_rows:
            new = community.choose(new, r["record_id"], r["proposed"])
        if ui.save_settings(new):
            st.rerun()
    show_all = len(rows) <= SHOWN_AT_FIRST or st.toggle(f"Show all {len(rows)} events", key=f"{where}_all_events")
    for r in rows if show_all else rows[:SHOWN_AT_FIRST]:
        _event_row(where, r)


def _event_row(where: str, r: dict) -> None:
    with st.container(border=True):
        left, mid, right = st.columns([5, 4, 3], vertical_alignment="center")
        partner = md_escape(r["partner"]) if r["partner"] else "none named"
        people = "people not known" if r["people"] is None else f"{r['people']:,} {'person' if r['people'] == 1 else 'people'}"
        left.markdown(f"**{md_escape(r['name'])}**  \n{r['date']} · {md_escape(r['from'])}")
        left.caption(f"{people} · partner: {partner} · aimed at a sale: {r['aimed_at_sale']}")
        mid.markdown(f"**{r['status']}**")
        mid.caption(f"Proposal: {'a' if r['proposed'] else 'not a'} community activity, because {md_escape(r['why'])}.")
        if r["in_log"]:
            right.caption("Your community log describes the same activity on that day, so its row counts.")
            return
        if r["choice"] is None:
            yes_label = "Confirm: count it" if r["proposed"] else "Change: count it"
            no_label = "Change: leave it out" if r["proposed"] else "Confirm: leave it out"
            first, second = ((yes_label, True), (no_label, False)) if r["proposed"] else ((no_label, False),
                                                                                       (yes_label, True))
            if right.button(first[0], key=_key(where, r["record_id"], "first"), type="primary",
                            width="stretch"):
                _save_choice(r["record_id"], first[1])
            if right.button(second[0], key=_key(where, r["record_id"], "second"), width="stretch"):
                _save_choice(r["record_id"], second[1])
        else:
            flip = "Leave it out" if r["choice"] else "Count it"
            if right.button(flip, key=_key(where, r["record_id"], "flip"), width="stretch"):
                _save_choice(r["record_id"], not r["choice"])
            if right.button("Back to the proposal", key=_key(where, r["record_id"], "undo"), width="stretch"):
                _save_choice(r["record_id"], None)


def partial_box(pillar, where: str) -> None:
    """Under a pillar's score: "From N of M measures", each missing measure and the one thing that adds it."""
    if not pillar.partial:
        return
    with st.container(border=True):
        st.markdown(f"**From {pillar.measures_used} of {pillar.measures_total} measures.** The score stands on "
                    "these only; the others are left out until their data is there.")
        for fix, group in scoring.missing_by_fix(pillar.missing):
            names = " and ".join(f"**{md_escape(m['label'])}**" for m in group)
            st.markdown(f"Missing: {names} ({md_escape(group[0]['reason'])}).  \n"
                        f"To add {'it' if len(group) == 1 else 'them'}: {md_escape(fix)}")
        if any(m["reason"] == scoring.NEEDS_FOLLOWERS for m in pillar.missing):
            follower_question(f"{where}_{pillar.key}")


def follower_question(where: str) -> None:
    """Ask once per platform with no follower total in any export: how many followers today?"""
    ds = ui.dataset()
    settings = ui.settings()
    need = audience.platforms_needing_followers(ds, settings)
    if not need:
        return
    today = dt.datetime.now(dt.timezone.utc).date()
    names = ", ".join(PLATFORM_NAMES.get(p, p) for p in need)
    with st.form(f"{where}_followers", border=False):
        st.markdown(f"**How many followers do you have today on {names}?** No export you uploaded gives the total "
                    "(Meta's Follows file lists new follows per day). Asked once per platform; saved with today's "
                    "date, and earlier days are worked out from the daily follows.")
        values = {}
        for i, platform in enumerate(need):
            if i % 3 == 0:  # a row of up to three, so a phone lists the platforms in order
                cols = st.columns(min(3, len(need)))
            values[platform] = cols[i % 3].number_input(
                f"Followers on {PLATFORM_NAMES.get(platform, platform)} today", min_value=0, step=1, value=None,
                key=f"{where}_followers_{platform}", placeholder="e.g. 1200")
        if st.form_submit_button("Save the follower counts", type="primary"):
            given = {p: int(v) for p, v in values.items() if v is not None}
            if not given:
                st.warning("Type at least one follower count first.")
                return
            ws = ui.workspace()
            counts = dict(ws["settings"].get("follower_counts") or {})
            counts.update({p: {"followers": n, "date": today.isoformat()} for p, n in given.items()})
            if ui.save_settings({**ws["settings"], "follower_counts": counts}):
                st.rerun()


def follower_counts_form(where: str) -> None:
    """Every platform's typed follower count and the day it was counted, to add, change or clear."""
    current = ui.settings()
    counts = dict(current.follower_counts)
    today = dt.datetime.now(dt.timezone.utc).date()
    with st.form(f"{where}_follower_counts"):
        cols = st.columns(3)
        given = {}
        for i, (platform, label) in enumerate(PLATFORM_NAMES.items()):
            entry = counts.get(platform) or {}
            old = entry.get("followers", current.followers_override.get(platform))
            with cols[i % 3]:
                n = st.number_input(f"Followers on {label}", min_value=0, step=1, value=old, placeholder="not set",
                                    key=f"{where}_count_{platform}")
                day = st.date_input(f"Counted on ({label})", value=dt.date.fromisoformat(entry["date"])
                                    if entry.get("date") else today, max_value=today, key=f"{where}_day_{platform}")
            given[platform] = (n, day)
        if st.form_submit_button("Save follower counts", type="primary"):
            new_counts = {p: {"followers": int(n), "date": d.isoformat()} for p, (n, d) in given.items()
                          if n is not None}
            ws = ui.workspace()
            new = {**ws["settings"], "follower_counts": new_counts,
                   "followers_override": {}}  # the dated counts replace the older undated ones
            if new != ws["settings"] and ui.save_settings(new):
                st.rerun()
