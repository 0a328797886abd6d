"""AppTest of saved workspaces, publishing a review, the read-only review link, and sign-in for editors.

Every test has its own SQLite file (``conftest._private_database``); "restarting the app" is a new
AppTest with every Streamlit cache cleared, so only what the database holds survives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from harness import reviews, storage
from harness.loading import load_sample
from harness.safety import md_escape

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("run_through_app_py")
TIMEOUT = 90
TWEETS = ROOT / "tests" / "fixtures" / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv"
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"},
        "editors": {"emails": ["head@other.org"], "domains": ["school.org"]}}


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()  # closes nothing, but drops this test's Store (and its SQLite file handle)


def restart() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_app(page: str | None = None, **setup) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in setup.items():
        setattr(at, name, value)
    ok(at.run())
    if page:
        at.switch_page(f"pages/{page}.py")
        ok(at.run())
    return at


def button(at: AppTest, label: str):
    hits = [b for b in at.button if b.label == label]
    assert hits, [b.label for b in at.button]
    return hits[0]


def publish(at: AppTest, title="Spring review", commentary="", passcode="", pseudonymise=True) -> str:
    """Fill in and submit the publish form on the Share page; returns the link shown."""
    at.text_input(key="publish_title").input(title)
    at.text_area(key="publish_commentary").input(commentary)
    at.text_input(key="publish_passcode").input(passcode)
    at.checkbox(key="publish_pseudonymise").set_value(pseudonymise)
    ok(button(at, "Publish review").click().run())
    link = at.session_state["published_link"]["url"]
    assert any(c.value == link for c in at.code), "the link is shown once, in a code box"
    return link


def token_of(link: str) -> str:
    assert "?review=" in link
    return link.split("?review=", 1)[1]


def open_review(token: str, **setup) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["review"] = token
    for name, value in setup.items():
        setattr(at, name, value)
    return ok(at.run())


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "subheader", "error", "info", "warning")
             for e in getattr(at, kind)]
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(str(p) for p in parts)


# ---------------------------------------------------------------- saved workspaces


def test_first_run_creates_one_saved_workspace_showing_the_sample():
    at = open_app()
    ws = at.session_state["workspace"]
    assert ws["id"] and ws["use_sample"] is True
    listed = storage.Store().list_workspaces()
    assert [w.id for w in listed] == [ws["id"]]


def test_upload_and_settings_survive_a_restart():
    at = open_app("data")
    at.file_uploader(key="data_upload").set_value([("tweets.csv", TWEETS.read_bytes(), "text/csv")])
    ok(at.run())
    at.switch_page("pages/settings.py")
    ok(at.run())
    at.radio(key="settings_org_type").set_value("nonprofit")
    ok(at.run())

    restart()
    again = open_app("data")
    ws = again.session_state["workspace"]
    assert [f["name"] for f in ws["files"]] == ["tweets.csv"]
    assert ws["files"][0]["data"] == TWEETS.read_bytes()
    assert ws["settings"]["org_type"] == "nonprofit"
    assert ws["use_sample"] is False


def test_removing_a_file_and_going_back_to_the_sample_are_saved():
    db = storage.Store()
    saved = db.create_workspace("Hill School")
    db.add_files(saved.id, [storage.NewFile("tweets.csv", TWEETS.read_bytes())])
    at = open_app("data")
    assert [f["name"] for f in at.session_state["workspace"]["files"]] == ["tweets.csv"]
    ok(at.button(key="use_sample").click().run())
    assert db.get_workspace(saved.id).files == [] and db.get_workspace(saved.id).use_sample is True


def test_a_change_saved_by_another_app_process_shows_on_the_next_rerun():
    at = open_app()
    ws_id = at.session_state["workspace"]["id"]
    storage.Store().save_settings(ws_id, {**at.session_state["workspace"]["settings"], "org_type": "other"})
    ok(at.run())
    assert at.session_state["workspace"]["settings"]["org_type"] == "other"


def test_new_workspace_is_created_opened_and_listed_in_the_sidebar():
    at = open_app("data")
    ok(at.text_input(key="ws_new").input("Riverside PTA").run())
    ok(at.button(key="ws_new_apply").click().run())
    assert at.session_state["workspace"]["name"] == "Riverside PTA"
    choice = at.sidebar.selectbox(key="workspace_choice")
    assert sorted(choice.options) == ["My organisation", "Riverside PTA"]


def test_an_unusable_database_keeps_the_app_working_and_says_work_is_not_saved(monkeypatch):
    monkeypatch.setenv("HC_DATABASE_URL", "mysql://nobody@127.0.0.1/none")
    at = open_app()
    assert at.session_state["workspace"]["id"] is None
    assert any("not being saved" in w.value for w in at.sidebar.warning)
    assert [m.label for m in at.metric][:1] == ["Involvement"]


# ---------------------------------------------------------------- publishing and opening a review


def test_publish_then_open_the_link_shows_the_frozen_scores_and_nothing_editable():
    at = open_app("share")
    overview_scores = {m.label: m.value for m in open_app().metric}
    link = publish(at, title="Spring term", commentary="We tried <b>open mornings</b>.\n\nNext: a [link](javascript:x)")
    assert at.session_state["published_link"]["title"] == "Spring term"

    restart()
    review = open_review(token_of(link))
    assert review.title[0].value == md_escape("Spring term")
    shown = {m.label: m.value for m in review.metric}
    for pillar in ("Involvement", "Co-creation", "Connections of connections", "Wider community"):
        assert shown[pillar] == overview_scores[pillar]
    # commentary is text: the markup arrives escaped, never as HTML or a link
    body = texts(review)
    assert md_escape("We tried <b>open mornings</b>.") in body
    assert "[link](javascript:x)" not in body
    # nothing on the page can change anything
    assert not review.get("file_uploader")
    assert not review.text_input and not review.text_area and not review.selectbox
    assert [b.label for b in review.button] == []
    assert not review.sidebar.children or not any(
        getattr(review.sidebar, kind) for kind in ("selectbox", "multiselect", "button"))
    assert review.get("download_button"), "the review offers its HTML report"


def test_the_review_hides_names_when_pseudonymised():
    ds, _ = load_sample()
    people = set(ds["involvement"]["person"].dropna().astype(str)) | set(ds["referrals"]["referrer"].dropna().astype(str))
    link = publish(open_app("share"), pseudonymise=True)
    review = open_review(token_of(link))
    tables = "\n".join(df.value.to_csv() for df in review.dataframe)
    assert "Person " in tables
    leaked = [p for p in people if len(p) > 4 and p in tables]
    assert leaked == []


def test_the_review_stays_frozen_when_the_workspace_changes():
    at = open_app("share")
    link = publish(at)
    before = {m.label: m.value for m in open_review(token_of(link)).metric}
    db = storage.Store()
    ws_id = at.session_state["workspace"]["id"]
    db.add_files(ws_id, [storage.NewFile("tweets.csv", TWEETS.read_bytes())])  # the sample is gone now
    restart()
    after = {m.label: m.value for m in open_review(token_of(link)).metric}
    assert after == before


@pytest.mark.parametrize("token", ["", "short", "A" * 43, "x" * 43 + "'; drop table reviews;--", "../../etc/passwd"])
def test_a_wrong_token_shows_not_found_and_no_data(token):
    publish(open_app("share"))
    review = open_review(token)
    assert review.title[0].value == "Review not found"
    assert not review.metric and not review.dataframe and not review.get("download_button")


def test_passcode_is_asked_for_and_checked():
    link = publish(open_app("share"), passcode="blue whale 7")
    review = open_review(token_of(link))
    assert review.title[0].value == "This review needs a passcode"
    assert not review.metric
    review.text_input(key="review_passcode_input").input("red whale")
    ok(button(review, "Open the review").click().run())
    assert any("not right" in e.value for e in review.error) and not review.metric
    review.text_input(key="review_passcode_input").input("blue whale 7")
    ok(button(review, "Open the review").click().run())
    assert review.title[0].value == md_escape("Spring review")
    assert len(review.metric) >= 4


def test_publishing_with_a_short_passcode_is_refused_with_a_message():
    at = open_app("share")
    at.text_area(key="publish_commentary").input("Kept when refused")
    at.text_input(key="publish_passcode").input("1234")
    ok(button(at, "Publish review").click().run())
    assert any("not published" in e.value and md_escape("at least 8 characters (it has 4)") in e.value
               for e in at.error), [e.value for e in at.error]
    assert "published_link" not in at.session_state
    assert reviews.list_reviews(storage.Store(), at.session_state["workspace"]["id"]) == []
    assert at.text_area(key="publish_commentary").value == "Kept when refused"


def test_suggest_a_passcode_fills_in_a_passphrase():
    from harness.passphrase import WORDS

    at = open_app("share")
    ok(button(at, "Suggest a passcode").click().run())
    phrase = at.text_input(key="publish_passcode").value
    assert len(phrase.split("-")) == 4 and set(phrase.split("-")) <= set(WORDS)
    assert phrase in [c.value for c in at.code]  # shown, since the field hides what it holds
    link = publish(at, passcode=phrase)
    assert reviews.access_review(storage.Store(), token_of(link))[0] is reviews.ReviewAccess.NEEDS_PASSCODE
    assert reviews.open_review(storage.Store(), token_of(link), phrase) is not None


def try_passcode(token: str, passcode: str) -> AppTest:
    """A fresh session opening the link and typing ``passcode`` once."""
    at = open_review(token)
    at.text_input(key="review_passcode_input").input(passcode)
    return ok(button(at, "Open the review").click().run())


def test_the_review_page_counts_each_typed_passcode_once_and_shows_the_lock():
    at = open_app("share")
    link = publish(at, passcode="blue whale 7")
    token, db = token_of(link), storage.Store()
    rid = reviews.list_reviews(db, at.session_state["workspace"]["id"])[0].id
    first = try_passcode(token, "red whale 1")
    assert any("not right" in e.value for e in first.error)
    ok(first.run())  # a rerun of the same session tries nothing again
    assert reviews.access_log(db, rid).wrong_passcodes == 1
    for i in range(9):
        last = try_passcode(token, f"red whale {i + 2}")
    assert last.title[0].value == "This review is locked for now"
    assert any("not even the right one" in e.value for e in last.error)
    right = try_passcode(token, "blue whale 7")
    assert right.title[0].value == "This review is locked for now" and not right.metric
    log = reviews.access_log(db, rid)
    assert (log.wrong_passcodes, log.lockouts, log.refused_while_locked, log.opens) == (10, 1, 1, 0)


def test_share_page_shows_opens_and_wrong_tries():
    at = open_app("share")
    link = publish(at, passcode="blue whale 7")
    token = token_of(link)
    for _ in range(2):
        opened = try_passcode(token, "blue whale 7")
        assert len(opened.metric) >= 4
        ok(opened.run())  # reruns of an opened review are not new openings
    for i in range(3):
        try_passcode(token, f"guess {i} whale")
    ok(at.button(key="published_done").click().run())
    [log] = [d.value for d in at.dataframe if {"Title", "Opened"} <= set(d.value.columns)]
    row = log[log["Title"] == "Spring review"].iloc[0]
    assert (row["Opened"], row["Wrong passcodes"], row["Lockouts"]) == (2, 3, 0)
    assert row["Right now"] == "3 of 10 wrong tries"
    assert "no IP address" in texts(at)


def test_revoked_link_stops_working_and_the_list_says_so():
    at = open_app("share")
    link = publish(at)
    ok(at.button(key="published_done").click().run())
    ok(at.checkbox(key="manage_revoke_sure").check().run())
    ok(at.button(key="manage_revoke").click().run())
    statuses = at.dataframe[0].value["Status"].tolist()
    assert statuses == ["withdrawn"]
    assert open_review(token_of(link)).title[0].value == "Review not found"


def test_second_review_lists_what_changed_since_the_first():
    at = open_app("share")
    publish(at, title="First")
    ok(at.button(key="published_done").click().run())
    at.sidebar.selectbox(key="period_preset").set_value("last_365")
    ok(at.run())
    link = publish(at, title="Second")
    review = open_review(token_of(link))
    assert any(s.value == "What changed since the previous review" for s in review.subheader)


def test_changing_the_expiry_is_saved():
    at = open_app("share")
    publish(at)
    ok(at.button(key="published_done").click().run())
    at.selectbox(key="manage_expiry").set_value(0)
    ok(at.button(key="manage_expiry_apply").click().run())
    ws_id = at.session_state["workspace"]["id"]
    assert reviews.list_reviews(storage.Store(), ws_id)[0].expires_at is None


# ---------------------------------------------------------------- sign-in for hosted use


def test_signed_out_visitor_sees_only_the_sign_in_page():
    at = open_app(secrets=AUTH, user={"is_logged_in": False})
    assert at.title[0].value == "Harnessing Connections"
    assert [b.label for b in at.button] == ["Sign in"]
    assert "workspace" not in at.session_state, "no workspace is loaded for a visitor who has not signed in"
    assert not at.metric


@pytest.mark.parametrize("email", ["head@other.org", "Teacher@School.org"])
def test_allowed_editor_gets_the_dashboard(email):
    at = open_app(secrets=AUTH, user={"is_logged_in": True, "email": email, "email_verified": True})
    assert "Involvement" in [m.label for m in at.metric]
    assert any(b.label == "Sign out" for b in at.sidebar.button)


@pytest.mark.parametrize("user", [
    {"is_logged_in": True, "email": "someone@evil-school.org"},
    {"is_logged_in": True, "email": "teacher@school.org.evil.com"},
    {"is_logged_in": True, "email": "teacher@school.org", "email_verified": False},
    {"is_logged_in": True},
])
def test_signed_in_but_not_allowed_sees_a_refusal_and_no_data(user):
    at = open_app(secrets=AUTH, user=user)
    assert any("not on this app's list of editors" in e.value for e in at.error)
    assert not at.metric and "workspace" not in at.session_state
    assert [b.label for b in at.button] == ["Sign out"]


def test_review_link_works_without_signing_in_when_auth_is_on():
    link = publish(open_app("share"))
    review = open_review(token_of(link), secrets=AUTH, user={"is_logged_in": False})
    assert review.title[0].value == md_escape("Spring review")
    assert len(review.metric) >= 4


def test_publishing_records_the_signed_in_editor():
    user = {"is_logged_in": True, "email": "teacher@school.org", "email_verified": True}
    at = open_app("share", secrets=AUTH, user=user)
    publish(at)
    ws_id = at.session_state["workspace"]["id"]
    db = storage.Store()
    review_id = reviews.list_reviews(db, ws_id)[0].id
    assert [(e["action"], e["actor"]) for e in reviews.review_events(db, review_id)] == [
        ("published", "teacher@school.org")]
