"""App tests: every page starts from app.py on the sample school with no exception.

AppTest resolves paths from this file, so they are built from ``Path(__file__)``.
Caches are cleared between tests so one test's data never leaks into another.
"""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["overview", "involvement", "co_creation", "connections", "community", "vanity_vs_real", "pyramid",
         "data", "settings"]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    if name != "overview":
        at.switch_page(f"pages/{name}.py")
        at.run()
    return at


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_on_the_sample(name):
    at = open_page(name)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{name} has no title"
    # nothing on any page may show an error box on the sample data
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_four_pillar_scores():
    at = open_page("overview")
    labels = [m.label for m in at.metric]
    for pillar in ("Involvement", "Co-creation", "Connections of connections", "Wider community"):
        assert pillar in labels
    values = {m.label: m.value for m in at.metric}
    assert values["Involvement"].endswith("/100")


def test_period_change_changes_the_period_shown():
    at = open_page("overview")
    before = at.subheader[0].value
    at.selectbox(key="period_preset").set_value("last_365").run()
    assert not at.exception
    assert at.subheader[0].value != before


def test_settings_change_moves_a_score():
    at = open_page("involvement")
    before = next(m.value for m in at.metric if m.label == "Involvement")
    at.switch_page("pages/settings.py").run()
    # make every involvement target tiny: each component then scores 100
    at.session_state["workspace"]["settings"]["targets"] = {
        "people_per_1k_followers": 0.0001, "social_actions_per_1k_followers": 0.0001,
        "repeat_share": 0.0001, "actions_per_1k_reactions": 0.0001}
    at.switch_page("pages/involvement.py").run()
    assert not at.exception
    after = next(m.value for m in at.metric if m.label == "Involvement")
    assert after == "100/100" and before != after


def test_org_type_radio_changes_defaults():
    at = open_page("settings")
    at.radio(key="settings_org_type").set_value("nonprofit").run()
    assert not at.exception
    assert at.session_state["workspace"]["settings"]["org_type"] == "nonprofit"
