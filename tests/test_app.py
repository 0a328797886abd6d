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
         "data", "settings", "share"]
pytestmark = pytest.mark.usefixtures("run_through_app_py")
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


FIXTURES = ROOT / "tests" / "fixtures"


def test_upload_reports_detected_source_and_replaces_the_sample():
    at = open_page("data")
    data = (FIXTURES / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv").read_bytes()
    at.file_uploader(key="data_upload").set_value([("tweet_activity_metrics_org_20260101_20260131_en.csv", data, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    found = at.dataframe[0].value
    assert found["Status"].tolist() == ["loaded"]
    assert "X" in found["Detected as"].iloc[0]
    ws = at.session_state["workspace"]
    assert [f["name"] for f in ws["files"]] == ["tweet_activity_metrics_org_20260101_20260131_en.csv"]
    assert ws["use_sample"] is False


def test_bad_upload_gets_a_message_and_changes_nothing():
    at = open_page("data")
    good = (FIXTURES / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv").read_bytes()
    at.file_uploader(key="data_upload").set_value([("x.csv", good, "text/csv")]).run()
    before = [f["sha256"] for f in at.session_state["workspace"]["files"]]
    at.file_uploader(key="data_upload").set_value(
        [("x.csv", good, "text/csv"), ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "text/csv")]).run()
    assert not at.exception
    assert any("photo" in e.value and "not loaded" in e.value for e in at.error)
    assert [f["sha256"] for f in at.session_state["workspace"]["files"]] == before


def plain(text: str) -> str:
    return text.replace("\\", "")  # md_escape's backslashes


MYSTERY = (b"api_id,name,email,created_at,approval_status,ticket_name\n"  # a Luma guest export: no reader knows it
           b"gst-1a2b3c,Ann Lee,ann@example.org,2026-01-05T09:31:22.000Z,approved,Open morning\n"
           b"gst-4d5e6f,Bob Roe,bob@example.org,2026-01-06T10:02:01.000Z,approved,Open morning\n")


def test_unrecognised_file_gets_a_proposed_mapping_and_loads_with_one_click():
    at = open_page("data")
    at.file_uploader(key="data_upload").set_value([("mystery.csv", MYSTERY, "text/csv")]).run()
    assert not at.exception
    assert any(s.value == "Files we could not place on our own" for s in at.subheader)
    assert any("We think mystery.csv holds people getting involved" in plain(m.value) for m in at.markdown)
    # saved in the workspace (so a reload keeps it), but not read until confirmed
    files = at.session_state["workspace"]["files"]
    assert [f["name"] for f in files] == ["mystery.csv"] and '"pending": true' in files[0]["mapping"]
    assert not at.error
    at.button(key=next(b.key for b in at.button if b.key.startswith("map_apply_"))).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("mystery.csv is loaded: 2 rows" in plain(s.value) for s in at.success), [s.value for s in at.success]
    assert not any(s.value == "Files we could not place on our own" for s in at.subheader)
    assert '"involvement"' in at.session_state["workspace"]["files"][0]["mapping"]


def test_a_failed_mapping_says_why_and_the_error_goes_on_the_next_try():
    at = open_page("data")
    bad = b"Date,Email\n2026-01-05,ann@example.org\nnot a date,bob@example.org\nnever,cy@example.org\n"
    at.file_uploader(key="data_upload").set_value([("odd.csv", bad, "text/csv")]).run()
    apply = next(b.key for b in at.button if b.key.startswith("map_apply_"))
    # Point the date at the email column: nothing can be read, so it says why.
    date_box = next(s for s in at.selectbox if s.key.endswith("_involvement_occurred_at"))
    date_box.set_value("Email").run()
    at.button(key=apply).click().run()
    assert not at.exception
    assert any(e.value.startswith("Not loaded yet") for e in at.error), [e.value for e in at.error]
    # Put it back and try again: the old error is gone and the file loads (two bad rows are reported).
    next(s for s in at.selectbox if s.key.endswith("_involvement_occurred_at")).set_value("Date").run()
    at.button(key=apply).click().run()
    assert not any(e.value.startswith("Not loaded yet") for e in at.error), [e.value for e in at.error]
    assert any("odd.csv is loaded: 1 rows" in plain(s.value) for s in at.success), [s.value for s in at.success]


@pytest.mark.parametrize("name, data", [("empty.csv", b""), ("logo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(64)))])
def test_a_file_that_is_not_a_table_is_refused_without_a_card(name, data):
    at = open_page("data")
    at.file_uploader(key="data_upload").set_value([(name, data, "text/csv")]).run()
    assert not at.exception
    assert any(plain(e.value).replace("*", "").startswith(f"{name} was not loaded") for e in at.error), \
        [e.value for e in at.error]
    assert not any(s.value == "Files we could not place on our own" for s in at.subheader)
    assert at.session_state["workspace"]["files"] == []


def test_an_empty_workspace_opens_on_the_checklist():
    at = open_page("data")
    assert any(s.value == "Your first hour: the files to fetch" for s in at.subheader)
    labels = [e.label for e in at.expander]
    assert any("Posts from each platform" in x for x in labels) and any("Your events" in x for x in labels)
    at.file_uploader(key="data_upload").set_value(
        [("community_log.csv", (FIXTURES / "people" / "community_log.csv").read_bytes(), "text/csv")]).run()
    assert not at.exception
    assert any("Wider community can now be scored." in plain(s.value) for s in at.success), [s.value for s in at.success]


def _log(rows: int, odd_one: int | None = None) -> bytes:
    """An involvement log of ``rows`` actions by ``rows // 2`` people (each person twice), all in March 2026.

    With ``odd_one`` set, that row's person is someone new: one more person, one fewer repeat.
    """
    lines = ["Date,Person,Action,Source,Value,Referred by,Post ID,Notes"]
    for i in range(rows):
        who = f"{'q' if i == odd_one else 'p'}{i // 2}@example.org"  # same length either way
        lines.append(f"2026-03-{1 + i % 28:02d} 10:00,{who},visit,facebook,,,,")
    return ("\n".join(lines) + "\n").encode()


def test_two_large_uploads_differing_in_one_middle_row_never_share_a_cache_entry():
    """st.cache_data hashes a big DataFrame argument from a sample of its rows: a cache keyed on one could
    return the first upload's figures for the second. The app keys everything on the bytes' sha256."""
    rows = 60_000
    first, second = _log(rows), _log(rows, odd_one=rows // 2 + 1)
    assert len(first) == len(second) and first != second
    at = open_page("data")
    at.file_uploader(key="data_upload").set_value([("involvement_log.csv", first, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/involvement.py").run()
    figures = {m.label: m.value for m in at.metric}
    assert (figures["People involved"], figures["Came back (2+ actions)"]) == ("30,000", "30,000")

    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([("involvement_log.csv", second, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    # Same name, different bytes: kept beside the first until the user replaces it.
    next(b for b in at.button if b.label == "Replace the earlier involvement_log.csv").click().run()
    at.switch_page("pages/involvement.py").run()
    figures = {m.label: m.value for m in at.metric}
    # the newcomer adds a person; the person whose row they took now has one action, not two
    assert (figures["People involved"], figures["Came back (2+ actions)"]) == ("30,001", "29,999")


def test_upload_limits_from_secrets_apply_and_a_bad_setting_is_reported():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["limits"] = {"max_rows": 10}
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value([("involvement_log.csv", _log(12), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("involvement\\_log\\.csv" in e.value and "10" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["workspace"]["files"] == []

    bad = AppTest.from_file(APP, default_timeout=TIMEOUT)
    bad.secrets["limits"] = {"max_rows": "lots"}
    bad.run()
    bad.switch_page("pages/data.py").run()
    bad.file_uploader(key="data_upload").set_value([("involvement_log.csv", _log(12), "text/csv")]).run()
    assert not bad.exception
    assert any("upload limits are set wrongly" in e.value and "max\\_rows" in e.value for e in bad.error)
    assert [f["name"] for f in bad.session_state["workspace"]["files"]] == ["involvement_log.csv"]


def _follows(days: list[tuple[str, int]]) -> bytes:
    """A Meta per-metric Follows.csv (UTF-16, a sep= line, the metric title, then Date/Primary)."""
    rows = "".join(f'"{d}T00:00:00","{n}"\n' for d, n in days)
    return ('sep=,\n"Facebook follows"\n"Date","Primary"\n' + rows).encode("utf-16")


def test_a_second_file_with_the_same_name_is_kept_beside_the_first_unless_replaced():
    at = open_page("data")
    this_quarter = (FIXTURES / "social" / "Follows.csv").read_bytes()
    other_page = _follows([("2025-10-01", 5), ("2025-10-02", 7)])
    at.file_uploader(key="data_upload").set_value([("Follows.csv", this_quarter, "text/csv")]).run()
    at.file_uploader(key="data_upload").set_value([("Follows.csv", this_quarter, "text/csv"),
                                                   ("Follows.csv", other_page, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    files = at.session_state["workspace"]["files"]
    assert [(f["name"], f["data"]) for f in files] == [("Follows.csv", this_quarter), ("Follows (2).csv", other_page)]
    said = [m.value.replace("\\", "") for m in at.markdown]  # markdown-escaped: "Follows\\.csv"
    assert any("Follows.csv (2)" in m and "both are kept" in m for m in said), said
    # What the uploads found (AppTest gives the re-sent first file a new id, so it is listed again, unchanged);
    # the different one under the name it was kept as.
    found = at.dataframe[0].value
    assert list(found["File"]) == ["Follows.csv", "Follows.csv", "Follows.csv (2)"]
    listed = at.dataframe[-1].value
    assert list(zip(listed["File"], listed["From"], listed["To"])) == [
        ("Follows.csv", "2025-09-20", "2025-09-22"), ("Follows.csv (2)", "2025-10-01", "2025-10-02")]
    # The same bytes again change nothing.
    at.file_uploader(key="data_upload").set_value([("Follows.csv", this_quarter, "text/csv"),
                                                   ("Follows.csv", other_page, "text/csv"),
                                                   ("Follows.csv", other_page, "text/csv")]).run()
    assert [f["name"] for f in at.session_state["workspace"]["files"]] == ["Follows.csv", "Follows (2).csv"]
    # Replace, on request.
    next(b for b in at.button if b.label == "Replace the earlier Follows.csv").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [(f["name"], f["data"]) for f in at.session_state["workspace"]["files"]] == [("Follows.csv", other_page)]


def test_a_pillar_without_its_data_says_what_to_load_once():
    at = open_page("data")
    data = (FIXTURES / "social" / "tweet_activity_metrics_HillSchool_20241020_20241027_en.csv").read_bytes()
    at.file_uploader(key="data_upload").set_value([("tweet_activity_metrics_org_20260101_20260131_en.csv", data,
                                                     "text/csv")]).run()
    at.switch_page("pages/co_creation.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.info] + [e.value for e in at.caption] + [e.value for e in at.markdown]
    # the empty state names the next step; the score card's note no longer says the same thing again above it
    assert sum("No community-created content" in t.replace("\\", "") for t in shown) == 1, shown
    assert any("story" in t for t in (e.value for e in at.info))
