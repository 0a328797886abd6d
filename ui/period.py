"""The period and platforms chosen in the sidebar, and the scorecard for them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from harness import periods
from ui.loaders import cached, scorecard_for

CUSTOM = "custom"


def period() -> periods.Period:
    preset = st.session_state.get("period_preset", periods.DEFAULT_PRESET)
    if preset == CUSTOM:
        start = st.session_state.get("period_start")
        end = st.session_state.get("period_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end:
            return periods.Period(start, end)
        preset = periods.DEFAULT_PRESET
    return cached(periods.default_period, preset)


def platforms() -> tuple[str, ...] | None:
    chosen = st.session_state.get("platforms")
    return tuple(sorted(chosen)) if chosen else None


def scorecard():
    return scorecard_for(period(), platforms())
