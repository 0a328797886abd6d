"""AppTest: the charity's exports in a saved workspace (issue 12).

Wider community from the events with the confirm step, Co-creation from the story form with what each source
counts, the "from N of M measures" box with the follower question, and choices that survive a restart (only
what the database holds survives: every Streamlit cache is cleared). Each test has its own SQLite file
(``conftest._private_database``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from harness import storage
from harness.safety import md_escape
from ui import evidence

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CHARITY = ROOT / "tests" / "fixtures" / "charity"
FILES = sorted(p for p in CHARITY.iterdir() if p.suffix in (".csv", ".xlsx"))
QUIZ = "eventbrite:700000000003"
pytestmark = pytest.mark.usefixtures("run_through_app_py")
TIMEOUT = 120


@pytest.fixture(autouse=True)
def clear_caches():
    restart()
    yield
    st.cache_resource.clear()


def restart() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def charity_ws():
    db = storage.Store()
    saved = db.create_workspace("Seaside Trust")
    db.add_files(saved.id, [storage.NewFile(p.name, p.read_bytes()) for p in FILES])
    return db, saved.id


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def open_app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    ok(at.run())
    at.switch_page(f"pages/{page}.py")
    return ok(at.run())


def text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_community_from_events_with_the_confirm_step(charity_ws):
    at = open_app("community")
    assert metric(at, "Activities") == "4"  # the quiz night is not proposed
    assert metric(at, "People reached") == "13"
    page = text(at)
    assert "From 3 of 4 measures" in page and "Missing: **People reached per 1,000 followers**" in page
    # Event names come from the upload: escaped where they reach markdown.
    assert md_escape("Harbour clean-up day with Seaside Rotary") in page and "Proposed: counted" in page
    assert md_escape("Supporter quiz night") in page and "Proposed: not counted" in page
    labels = {b.key: b.label for b in at.button}
    assert labels[evidence._key("community", QUIZ, "second")] == "Change: count it"


def test_a_changed_proposal_survives_a_restart_and_reaches_the_settings_file(charity_ws):
    db, ws_id = charity_ws
    at = open_app("community")
    ok(at.button(key=evidence._key("community", QUIZ, "second")).click().run())
    assert db.get_workspace(ws_id).settings["community_choices"] == {QUIZ: True}
    assert metric(at, "Activities") == "5"

    restart()
    again = open_app("community")
    assert metric(again, "Activities") == "5" and "Changed: counted" in text(again)
    # The Data page shows the same choice, and "Back to the proposal" undoes it.
    data = open_app("data")
    assert "Changed: counted" in text(data)
    ok(data.button(key=evidence._key("data", QUIZ, "undo")).click().run())
    assert db.get_workspace(ws_id).settings["community_choices"] == {}


def test_co_creation_from_the_story_form_says_what_each_source_counts(charity_ws):
    at = open_app("co_creation")
    assert metric(at, "Story and photo forms") == "4"
    assert metric(at, "Posts by others") == "0"
    page = text(at)
    assert "Permission to share: 2 of 4 may be shared, 1 said no, 1 did not answer or were not asked." in page
    assert "LinkedIn's 'Posted by' names the admin" in page
    assert "From 2 of 4 measures" in page


def test_the_follower_question_is_asked_once_and_completes_the_pillar(charity_ws):
    db, ws_id = charity_ws
    at = open_app("involvement")
    assert "From 2 of 4 measures" in text(at)
    where = "involvement_involvement"
    for platform, n in (("facebook", 1200), ("instagram", 800), ("linkedin", 150), ("x", 300)):
        at.number_input(key=f"{where}_followers_{platform}").set_value(n)
    save = next(b for b in at.button if b.label == "Save the follower counts")
    ok(save.click().run())
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    counts = db.get_workspace(ws_id).settings["follower_counts"]
    assert counts["facebook"] == {"followers": 1200, "date": today} and len(counts) == 4
    assert "From 2 of 4 measures" not in text(at)
    assert not [n for n in at.number_input if n.key.startswith(f"{where}_followers_")]  # not asked again


def test_a_rejected_upload_changes_nothing_loaded(charity_ws):
    db, ws_id = charity_ws
    at = open_app("community")
    before = (metric(at, "Activities"), metric(at, "People reached"), metric(at, "Wider community"))
    data = open_app("data")
    data.file_uploader(key="data_upload").set_value([("Harbour clean-up (Responses).csv", b"\x00\x01 not a csv",
                                                      "text/csv")])
    data.run()
    assert not data.exception
    assert [f.name for f in db.get_workspace(ws_id).files] == [p.name for p in FILES]
    again = open_app("community")
    assert (metric(again, "Activities"), metric(again, "People reached"), metric(again, "Wider community")) == before


def test_the_review_link_carries_the_partial_line(charity_ws):
    from harness import reviews, scoring, targets
    from harness.loading import load_paths

    db, ws_id = charity_ws
    ds, _ = load_paths(FILES)
    snap = reviews.build_snapshot(ds, None, targets.default_settings(), "salt")
    token, _ = reviews.publish_review(db, ws_id, snap, title="Autumn")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["review"] = token
    ok(at.run())
    warnings = [w.value for w in at.warning]
    assert md_escape("From 3 of 4 measures. Missing: people reached per 1,000 followers (" + scoring.NEEDS_FOLLOWERS
                     + "). To add it: " + scoring.FOLLOWERS_FIX) in warnings
    assert any(w.startswith(md_escape("From 4 of 5 measures.")) for w in warnings)
