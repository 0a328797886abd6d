"""People/log sources: Google Forms, Eventbrite, HubSpot, Mailchimp, SignUpGenius, referral programmes.

Expected values are worked out by hand from the fixtures in tests/fixtures/people
(see make_fixtures.py there for the quirks each one carries).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harness import dataset, schema
from harness.ingest import ingest_bytes
from harness.ingest import people as P
from harness.ingest.registry import Raw, best_source

FIX = Path(__file__).parent / "fixtures" / "people"
UTC = "UTC"


def ingest(name: str):
    reports = ingest_bytes(name, (FIX / name).read_bytes())
    assert len(reports) == 1
    r = reports[0]
    assert r.error is None, r.error
    return r


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=UTC)


def raw_from_csv(name: str, encoding: str = "utf-8-sig", header_line: int = 1) -> Raw:
    """A Raw built without the ingest core (pandas + our own line numbers)."""
    frame = pd.read_csv(FIX / name, dtype=str, keep_default_na=False, encoding=encoding,
                        skiprows=header_line - 1)
    frame = frame.astype(object).where(frame != "", None)
    lines = pd.Series(range(header_line + 1, header_line + 1 + len(frame)), index=frame.index)
    return Raw(file_name=name, frame=frame, line_numbers=lines)


def values(df: pd.DataFrame, col: str) -> list:
    return [None if pd.isna(v) else v for v in df[col]]


# --------------------------------------------------------------------------- small pure functions


@pytest.mark.parametrize("text,expected", [
    ("Facebook", "facebook"), ("saw it on FB", "facebook"), ("Insta", "instagram"), ("IG story", "instagram"),
    ("LinkedIn post", "linkedin"), ("Twitter", "x"), ("X (formerly Twitter)", "x"), ("x", "x"),
    ("YouTube video", "youtube"), ("TikTok", "tiktok"), ("A friend", "word_of_mouth"),
    ("Word of mouth", "word_of_mouth"), ("word_of_mouth", "word_of_mouth"), ("other parents", "word_of_mouth"),
    ("Recommended by Ben", "referral"), ("I was referred", "referral"), ("Google", "search"),
    ("Our website", "website"), ("School newsletter", "email"), ("Email", "email"),
    ("The summer fair", "community_event"), ("Open day", "community_event"), ("Local newspaper", "press"),
    ("Radio Kent", "press"), ("Saw a poster", "other"), ("", "unknown"), (None, "unknown"), ("N/A", "unknown"),
])
def test_classify_source(text, expected):
    assert P.classify_source(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Book a visit", "visit"), ("Ask a question", "enquiry"), ("Volunteer at the summer fair", "volunteer"),
    ("Make a donation", "donation"), ("Enrol my child", "enrolment"), ("Enrollment", "enrolment"),
    ("Call me back please", "call"), ("Come to the open evening", "event"), ("Become a member", "membership"),
    ("Request a prospectus", "enquiry"), ("Something else entirely", "other"), ("", "other"),
])
def test_classify_action(text, expected):
    assert P.classify_action(text) == expected


def test_blank_action_uses_the_default():
    assert P.classify_action(None, default="enquiry") == "enquiry"


@pytest.mark.parametrize("cell,expected", [
    ("2025/09/14 10:31:22 AM GMT+1", "2025-09-14 09:31:22"),
    ("2025/09/14 1:05:00 PM GMT+1", "2025-09-14 12:05:00"),
    ("2025/10/30 11:00:00 PM GMT", "2025-10-30 23:00:00"),
    ("2025/03/01 9:15:00 AM GMT-5", "2025-03-01 14:15:00"),
    ("2025/03/01 9:15:00 AM GMT+5:30", "2025-03-01 03:45:00"),
    ("9/14/2025 10:31:22", "2025-09-14 10:31:22"),
])
def test_forms_timestamps(cell, expected):
    got, bad = P.forms_timestamps(pd.Series([cell], dtype="str"))
    assert not bad.any()
    assert got.iloc[0] == ts(expected)


def test_forms_timestamps_uk_sheet_is_day_first_when_a_day_is_above_12():
    got, bad = P.forms_timestamps(pd.Series(["03/09/2025 10:00:00", "14/09/2025 11:00:00"], dtype="str"))
    assert list(got) == [ts("2025-09-03 10:00"), ts("2025-09-14 11:00")] and not bad.any()


@pytest.mark.parametrize("cells,default,expected", [
    (["03/09/2025", "14/09/2025"], False, True),
    (["09/03/2025", "09/14/2025"], True, False),
    (["03/09/2025"], True, True),
    (["03/09/2025"], False, False),
    (["2025-09-03"], False, False),
])
def test_infer_dayfirst(cells, default, expected):
    assert P.infer_dayfirst(pd.Series(cells), default) is expected


def test_year_first_dates_are_never_guessed():
    got, bad = P.read_dates(pd.Series(["2025-13-01", "2025-01-13"], dtype="str"), dayfirst=True)
    assert list(bad) == [True, False] and got.iloc[1] == ts("2025-01-13")


@pytest.mark.parametrize("original,drill,expected", [
    ("ORGANIC_SOCIAL", "Facebook", "facebook"), ("Paid Social", "Instagram", "instagram"),
    ("SOCIAL_MEDIA", "LinkedIn", "linkedin"), ("SOCIAL_MEDIA", "", "other"), ("REFERRALS", "bbc.co.uk", "website"),
    ("DIRECT_TRAFFIC", None, "website"), ("ORGANIC_SEARCH", "google", "search"), ("Paid Search", None, "search"),
    ("EMAIL_MARKETING", None, "email"), ("OFFLINE", "IMPORT", "unknown"), ("Offline Sources", None, "unknown"),
    ("OTHER_CAMPAIGNS", None, "other"), ("", None, "unknown"),
])
def test_hubspot_source(original, drill, expected):
    assert P.hubspot_source(original, drill) == expected


@pytest.mark.parametrize("stage,expected", [
    ("Lead", "enquiry"), ("Customer", "enquiry"), ("Member", "membership"), ("Donor", "donation"),
    ("Enrolled student", "enrolment"), ("Volunteer", "volunteer"), (None, None),
])
def test_lifecycle_action(stage, expected):
    assert P.lifecycle_action(stage) == expected


@pytest.mark.parametrize("status,expected", [
    ("Converted", True), ("Completed", True), ("Rewarded", True), ("Signed up", True), ("Pending", False),
    ("Invited", False), ("Not converted", False), ("Expired", False), ("On hold", None), ("", None),
])
def test_referral_status(status, expected):
    assert P.referral_status(status) is expected


def test_stable_ids_number_identical_rows():
    ids = P.stable_ids("t:", [pd.Series(["a", "a", "b"], dtype="str")])
    assert ids[0] != ids[2] and ids[1] == ids[0] + "#2"


# --------------------------------------------------------------------------- Google Forms


def test_google_forms_responses():
    r = ingest("google_forms_responses.csv")
    assert r.source == "google_forms"
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["ana@example.org", "ben@example.org", "Carla Díaz",
                                     '=HYPERLINK("http://evil.example","Eve")', "fay@example.org",
                                     "gus@example.org"]
    assert values(inv, "action") == ["visit", "enquiry", "volunteer", "enquiry", "donation", "call"]
    assert values(inv, "source") == ["facebook", "word_of_mouth", "instagram", "unknown", "referral", "email"]
    assert values(inv, "referred_by") == [None, "ana@example.org", None, None, "ben@example.org", None]
    assert list(inv["occurred_at"]) == [ts("2025-09-14 10:31:22"), ts("2025-09-14 14:05:10"),
                                        ts("2025-09-15 09:00"), ts("2025-09-16 18:45"), ts("2025-09-20 08:00"),
                                        ts("2025-09-21 12:00")]
    refs = r.tables["referrals"]
    assert list(zip(refs["referrer"], refs["referred"])) == [("ana@example.org", "ben@example.org"),
                                                             ("ben@example.org", "fay@example.org")]
    assert refs["converted"].tolist() == [True, True]
    assert [(p.line, p.reason) for p in r.rejected] == [(5, "'Timestamp' is not a date: 'yesterday'")]
    assert schema.validate("involvement", inv) == [] and schema.validate("referrals", refs) == []


def test_google_forms_download_with_gmt_offsets_in_cp1252_named_by_form():
    r = ingest("Volunteer sign-up (Responses).csv")
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["Zoë Brontë", "renee@example.org", "hal@example.org"]
    assert set(inv["action"]) == {"volunteer"}  # from the form's name
    assert values(inv, "source") == ["word_of_mouth", "facebook", "unknown"]
    assert list(inv["occurred_at"]) == [ts("2025-09-14 09:31:22"), ts("2025-09-14 12:05"),
                                        ts("2025-10-30 23:00")]
    assert "referrals" not in r.tables and r.rejected == []


def test_google_forms_read_directly_from_a_raw():
    raw = raw_from_csv("google_forms_responses.csv")
    assert P.detect_google_forms(raw) >= 0.7
    parsed = P.read_google_forms(raw)
    assert len(parsed.tables["involvement"]) == 6 and len(parsed.tables["referrals"]) == 2
    assert [p.line for p in parsed.rejected] == [5]


def test_google_forms_ids_survive_a_new_question_and_later_responses():
    first = P.read_google_forms(raw_from_csv("google_forms_responses.csv"))
    raw = raw_from_csv("google_forms_responses.csv")
    raw.frame["Any dietary needs?"] = None  # question added to the form later
    extra = pd.DataFrame([{"Timestamp": "9/30/2025 9:00:00", "Email address": "new@example.org"}])
    raw.frame = pd.concat([raw.frame, extra], ignore_index=True)
    raw.line_numbers = pd.Series(range(2, 2 + len(raw.frame)), index=raw.frame.index)
    later = P.read_google_forms(raw)
    old_ids = set(first.tables["involvement"]["record_id"])
    assert old_ids < set(later.tables["involvement"]["record_id"])
    combined = dataset.combine_tables("involvement", [first.tables["involvement"], later.tables["involvement"]])
    assert len(combined) == 7


# --------------------------------------------------------------------------- Eventbrite


def test_eventbrite_us():
    r = ingest("eventbrite_attendees_us.csv")
    assert r.source == "eventbrite_attendees"
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["ana@example.org", "ben@example.org", "Cleo Okafor", "eve@example.org"]
    assert set(inv["action"]) == {"event"}
    assert values(inv, "value") == [12.5, 20.0, 12.5, 0.0]  # $40 for 2 tickets is 20 each; "Free" is 0
    assert values(inv, "source") == ["instagram", "word_of_mouth", "unknown", "other"]
    assert list(inv["occurred_at"]) == [ts("2025-09-03 18:05"), ts("2025-09-13 09:15"),
                                        ts("2025-09-13 09:20"), ts("2025-09-15 20:30")]
    assert any("left out" in w for w in r.warnings)  # the refunded attendee
    again = ingest("eventbrite_attendees_us.csv").tables["involvement"]
    assert list(again["record_id"]) == list(inv["record_id"]) and inv["record_id"].is_unique


def test_eventbrite_uk_day_first_with_referral_and_bad_date():
    r = ingest("eventbrite_attendees_uk.csv")
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["zoe@example.org", "ian@example.org", 'Kim =HYPERLINK("http://x.example")']
    assert list(inv["occurred_at"]) == [ts("2025-09-03 18:05"), ts("2025-09-04 10:00"), ts("2025-09-05 09:30")]
    assert values(inv, "value") == [5.0, 5.0, 2.5]
    assert values(inv, "source") == ["unknown", "referral", "unknown"]
    refs = r.tables["referrals"]
    assert values(refs, "referrer") == ["zoe@example.org"] and values(refs, "referred") == ["ian@example.org"]
    assert values(refs, "channel") == [None]  # how the recommendation was made is not known
    assert [(p.line, p.reason) for p in r.rejected] == [(4, "'Order Date' is not a date: '31/13/2025 10:00'")]


# --------------------------------------------------------------------------- HubSpot, Mailchimp, SignUpGenius


def test_hubspot_contacts():
    r = ingest("hubspot_contacts.csv")
    assert r.source == "hubspot_contacts"
    inv = r.tables["involvement"]
    assert values(inv, "record_id") == ["hubspot:101", "hubspot:102", "hubspot:103", "hubspot:104",
                                        "hubspot:106", "hubspot:107"]
    assert values(inv, "source") == ["facebook", "instagram", "unknown", "search", "website", "other"]
    assert values(inv, "action") == ["enquiry", "membership", "enquiry", "donation", "enrolment", "volunteer"]
    assert values(inv, "person")[1] == "ben@example.org" and values(inv, "person")[5] == "Gus Hill"
    assert inv["occurred_at"].iloc[0] == ts("2025-09-01 09:00")
    assert [(p.line, p.reason) for p in r.rejected] == [(6, "'Create Date' is not a date: 'not a date'")]


def test_mailchimp_audience():
    r = ingest("mailchimp_subscribed_members.csv")
    assert r.source == "mailchimp_audience"
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["ana@example.org", "ben@example.org"]
    assert list(inv["occurred_at"]) == [ts("2025-09-01 08:00"), ts("2025-09-02 09:00")]  # OPTIN, else CONFIRM
    assert set(inv["action"]) == {"other"} and set(inv["source"]) == {"unknown"}
    assert [(p.line, p.reason) for p in r.rejected] == [
        (4, "'Email Address' is empty"), (5, "'OPTIN_TIME' is not a date: '31/02/2025'")]


@pytest.mark.parametrize("value,expected", [
    ("Embedded Form", "website"), ("Hosted Signup Form", "website"), ("List Import from File", "unknown"),
    ("API - Generic", "unknown"), ("Facebook", "facebook"), (None, "unknown"),
])
def test_mailchimp_source(value, expected):
    assert P.mailchimp_source(value) == expected


def test_signupgenius_report_with_preamble():
    r = ingest("signupgenius_report.csv")
    assert r.source == "signupgenius"
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["ana@example.org", "zoe@example.org"]
    assert set(inv["action"]) == {"volunteer"}
    assert list(inv["occurred_at"]) == [ts("2025-10-04 09:00"), ts("2025-10-04 09:00")]
    assert values(inv, "value") == [3.0, 4.5]  # hours of each slot
    assert [(p.line, p.reason) for p in r.rejected] == [(9, "'Start Date' is not a date: 'TBD'")]
    assert any("empty slot" in w for w in r.warnings)


# --------------------------------------------------------------------------- referral programmes


def test_referral_programme():
    r = ingest("referral_programme.csv")
    assert r.source == "referral_programme"
    refs = r.tables["referrals"]
    assert list(zip(refs["referrer"], refs["referred"])) == [
        ("ana@example.org", "ben@example.org"), ("ana@example.org", "cat@example.org"),
        ("ben@example.org", "dan@example.org"), ("ZZZ99", "eve@example.org")]
    assert refs["converted"].tolist() == [True, False, True, False]
    assert values(refs, "channel") == ["whatsapp", "email", "facebook", None]
    assert [(p.line, p.reason) for p in r.rejected] == [
        (6, "the referrer and the referred person are the same"), (7, "'Date' is not a date: '12th of never'")]


def test_overlapping_referral_export_updates_instead_of_double_counting():
    combined = dataset.combine([ingest("referral_programme.csv"), ingest("referral_programme_later.csv")])
    refs = combined["referrals"]
    assert len(refs) == 5  # R-001..R-004 and the new R-007
    pairs = dict(zip(zip(refs["referrer"], refs["referred"]), refs["converted"]))
    assert bool(pairs[("ana@example.org", "cat@example.org")]) is True  # was pending, now converted


def test_referral_list_without_ids_keys_on_the_pair():
    r = ingest("friend_referrals.csv")
    refs = r.tables["referrals"]
    assert values(refs, "referrer") == ["Sam Lee", "Sam Lee", "Pat Moss"]
    assert list(refs["occurred_at"]) == [ts("2025-09-14"), ts("2025-09-15"), ts("2025-09-16")]
    assert values(refs, "converted") == [True, False, None]
    later = P.read_referral_programme(raw_from_csv("friend_referrals.csv"))
    assert list(later.tables["referrals"]["record_id"]) == list(refs["record_id"])


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("name,source", [
    ("google_forms_responses.csv", "google_forms"),
    ("eventbrite_attendees_us.csv", "eventbrite_attendees"),
    ("eventbrite_attendees_uk.csv", "eventbrite_attendees"),
    ("hubspot_contacts.csv", "hubspot_contacts"),
    ("mailchimp_subscribed_members.csv", "mailchimp_audience"),
    ("referral_programme.csv", "referral_programme"),
    ("friend_referrals.csv", "referral_programme"),
])
def test_detection_by_header_names_not_positions(name, source):
    raw = raw_from_csv(name)
    found, _ = best_source(raw)
    assert found is not None and found.id == source
    shuffled = Raw(name, raw.frame[list(raw.frame.columns[::-1])], raw.line_numbers)
    if source != "google_forms":  # a Forms file is defined by Timestamp coming first
        assert best_source(shuffled)[0].id == source


def test_every_fixture_validates_against_the_schema():
    for f in FIX.glob("*.csv"):
        for r in ingest_bytes(f.name, f.read_bytes()):
            assert r.error is None, r.error
            for name, df in r.tables.items():
                assert schema.validate(name, df) == [], f.name
                assert df["record_id"].is_unique, f.name


def test_one_recommendation_reported_by_a_form_and_the_referrals_log_is_one_row():
    form = ingest("google_forms_responses.csv")  # ana -> ben, ben -> fay
    log = "Date,Referrer,Referred,Channel,Converted\r\n2025-09-10,Ana@example.org,ben@example.org,email,yes\r\n"
    log_report = ingest_bytes("referrals_log.csv", log.encode())[0]
    refs = dataset.combine([form, log_report])["referrals"]
    assert sorted(zip(refs["referrer"], refs["referred"])) == [("ana@example.org", "ben@example.org"),
                                                               ("ben@example.org", "fay@example.org")]
    assert values(refs, "channel")[list(refs["referred"]).index("ben@example.org")] == "email"  # later wins


def test_signupgenius_detected_by_its_preamble_and_columns():
    raw = raw_from_csv("signupgenius_report.csv", header_line=5)
    raw.preamble = ["SignUpGenius Report", "Autumn Fair Volunteers", "Created by: PTA"]
    assert P.detect_signupgenius(raw) == pytest.approx(0.95)
    parsed = P.read_signupgenius(raw)
    assert values(parsed.tables["involvement"], "value") == [3.0, 4.5]
    assert [p.line for p in parsed.rejected] == [9]


@pytest.mark.parametrize("cell,dayfirst,expected", [
    ("03/09/2025 18:05", True, "2025-09-03 18:05"), ("09/03/2025 18:05", False, "2025-09-03 18:05"),
    ("14.09.2025", True, "2025-09-14"), ("10/04/2025 9:00am", False, "2025-10-04 09:00"),
    ("11/29/24 22:28", False, "2024-11-29 22:28"), ("Sep 5, 2025 7:05 PM", False, "2025-09-05 19:05"),
    ("2025-09-14T10:31:22-04:00", True, "2025-09-14 14:31:22"),
])
def test_read_dates(cell, dayfirst, expected):
    got, bad = P.read_dates(pd.Series([cell], dtype="str"), dayfirst=dayfirst)
    assert not bad.any() and got.iloc[0] == ts(expected)


@pytest.mark.parametrize("cell", ["31/13/2025", "09/14/2025", "yesterday", "2025-02-30"])
def test_read_dates_rejects_rather_than_swapping_day_and_month(cell):
    _, bad = P.read_dates(pd.Series([cell], dtype="str"), dayfirst=True)
    assert bad.all()


def test_repeated_question_titles_and_long_bad_cells():
    data = ("Timestamp,Name,Name,How did you hear about us?\n"
            "9/14/2025 10:00:00,Ana,Ana again,Facebook\n"
            '"a very long line of text that is not a date at all\nand spans lines",Ben,,\n').encode()
    r = ingest_bytes("form.csv", data)[0]
    assert r.error is None and values(r.tables["involvement"], "person") == ["Ana"]
    (problem,) = r.rejected
    assert problem.line == 3 and "\n" not in problem.reason and len(problem.reason) < 80
