"""The mapping guesser on real header sets: which table a file feeds and which column is which.

Header sets come from the fixtures in tests/fixtures (each made in a real platform's layout, see their
READMEs) and from tests/fixtures/guess (a Luma guest export, a French-language Google Forms sheet).
Every file is read with the ordinary ingest reader and then guessed WITHOUT using the recogniser, as
if nothing had recognised it.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd
import pytest

from harness.ingest import ingest_bytes, read_raws
from harness.ingest import guess
from harness.ingest.templates import apply_mapping

FIX = Path(__file__).parent / "fixtures"


def raw_of(name: str):
    p = FIX / name
    return read_raws(p.name, p.read_bytes())[0]


@pytest.mark.parametrize("name, table, expected", [
    # files nothing recognises
    ("guess/luma_guests.csv", "involvement", {"occurred_at": "created_at", "person": "email", "source": "custom_source"}),
    ("guess/volunteer_rota_fr.csv", "involvement",
     {"occurred_at": "Horodateur", "person": "Adresse e-mail", "referred_by": "Parrain / marraine"}),
    # people: forms, bookings, CRMs, referral tools
    ("people/google_forms_responses.csv", "involvement",
     {"occurred_at": "Timestamp", "person": "Email address", "action": "What would you like to do?",
      "source": "How did you hear about us?", "referred_by": "Who referred you?"}),
    ("people/Volunteer sign-up (Responses).csv", "involvement",
     {"occurred_at": "Timestamp", "person": "Email", "source": "Where did you hear about us?"}),
    ("people/eventbrite_attendees_uk.csv", "involvement",
     {"occurred_at": "Order Date", "person": "Email", "referred_by": "Who recommended us to you?"}),
    ("people/hubspot_contacts.csv", "involvement",
     {"occurred_at": "Create Date", "person": "Email", "source": "Original Source"}),
    ("people/visits_book.csv", "involvement",
     {"occurred_at": "When", "person": "Who", "action": "Type", "referred_by": "Recommended by", "value": None}),
    ("people/signupgenius_report.csv", "involvement", {"occurred_at": "Start Date", "person": "Email"}),
    ("people/friend_referrals.csv", "referrals",
     {"occurred_at": "Date", "referrer": "Referrer", "referred": "Friend Email", "converted": "Converted"}),
    ("people/referral_programme.csv", "referrals",
     {"referrer": "Referrer Email", "referred": "Referred Email", "channel": "Channel"}),
    ("people/community_log.csv", "community",
     {"occurred_at": "Date", "activity": "Activity", "partner": "Partner", "attendees": "Attendees"}),
    # social posts and followers
    ("social/meta_facebook_posts_2025.csv", "posts",
     {"post_id": "Post ID", "published_at": "Publish time", "url": "Permalink", "reactions": "Reactions",
      "comments": "Comments", "shares": "Shares"}),
    ("social/meta_instagram_posts.csv", "posts", {"post_id": "Post ID", "published_at": "Publish time",
                                                  "reactions": "Likes"}),
    ("social/tweet_activity_metrics_HillSchool_20241020_20241027_en.csv", "posts",
     {"post_id": "Tweet id", "published_at": "time", "reactions": "likes", "shares": "retweets",
      "views": "impressions"}),
    ("social/account_analytics_content_2026-08-25_2026-08-26.csv", "posts",
     {"post_id": "Post id", "published_at": "Date", "reactions": "Likes"}),
    ("social/FollowerHistory.csv", "audience", {"date": "Date", "followers": "Followers"}),
    ("social/hill-school_followers_1756684800000.xlsx", "audience", {"date": "Date", "followers": "Total followers"}),
    ("social/account_overview_analytics.csv", "audience", {"date": "Date", "new_followers": "New follows"}),
])
def test_the_kind_of_data_and_the_columns_are_guessed_from_headers_and_values(name, table, expected):
    p = guess.propose(raw_of(name))
    assert p.table == table, (p.table, p.score, p.columns)
    assert {k: p.columns.get(k) for k in expected} == expected
    assert not p.missing or p.missing == ["platform"]


@pytest.mark.parametrize("values, kind", [
    (["2026/03/14 9:31:22 AM GMT", "2026/03/15 10:02:01 AM GMT"], "date"),
    (["09/01/2025 21:13", "09/02/2025 08:05"], "date"),
    (["August 18", "August 19"], "date"),
    (["8 de marzo", "9 de marzo"], "date"),
    (["2026-09-14T18:02:11.402Z"], "date"),
    (["sam@example.org", "ALEX@EXAMPLE.COM"], "email"),
    (["https://www.facebook.com/x/posts/1", "https://x.com/a/status/2"], "url"),
    (["Yes", "no", "YES"], "bool"),
    (["3.0", "12", "1,204"], "number"),
    (["1234567890123456789", "1168834171933140"], "id"),
    (["Facebook", "Insta", "linkedin"], "platform"),
    (["Phone call", "Visit", "Volunteering"], "action"),
    (["Priya Shah", "Tom Evans", "Léa Moreau"], "name"),
    (["Litter pick on the high street", "Cake stall"], "text"),
    ([None, "", "-"], "empty"),
])
def test_value_kinds(values, kind):
    assert guess.value_kind(pd.Series(values, dtype=object)) == kind


def test_a_chosen_table_gets_its_own_proposal():
    p = guess.propose(raw_of("people/google_forms_responses.csv"), table="referrals")
    assert p.table == "referrals"
    assert p.columns.get("referrer") == "Who referred you?"


def test_the_platform_is_guessed_from_the_file_name_when_no_column_holds_it():
    p = guess.propose(raw_of("social/meta_facebook_posts_2025.csv"))
    assert p.defaults == {"platform": "facebook"} and not p.missing


def test_every_proposed_column_has_a_plain_label():
    for name in ("guess/luma_guests.csv", "social/meta_instagram_posts.csv", "people/community_log.csv"):
        p = guess.propose(raw_of(name))
        for row in p.rows():
            label = row["What it means"]
            assert label and "_" not in label and label[0].isupper()


@pytest.mark.parametrize("name, rows, people, referred", [
    ("guess/luma_guests.csv", 4, 4, 0),  # 4 guests, 4 distinct emails, nobody named a referrer
    ("guess/volunteer_rota_fr.csv", 3, 3, 2),  # Claire and Léa were referred; Yanis was not
])
def test_a_proposal_loads_as_it_stands(name, rows, people, referred):
    raw = raw_of(name)
    parsed = apply_mapping(raw, guess.propose(raw).mapping)
    inv = parsed.tables["involvement"]
    assert len(inv) == rows and not parsed.rejected
    assert inv["person"].nunique() == people
    assert int(inv["referred_by"].notna().sum()) == referred


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.mark.parametrize("name, data, says", [
    ("empty.csv", b"", "not a table"),
    ("blank lines.csv", b"\n\n  \n", "not a table"),
    ("logo.png", PNG, "PNG"),
    ("header only.csv", b"Date,Name,Email\n", "no rows"),
])
def test_files_that_are_not_tables_are_refused_plainly(name, data, says):
    message = guess.refusal(name, read_raws(name, data), ingest_bytes(name, data))
    assert message and message.startswith(name) and says.lower() in message.lower()


def test_a_real_table_is_not_refused():
    p = FIX / "guess" / "luma_guests.csv"
    assert guess.refusal(p.name, read_raws(p.name, p.read_bytes()), ingest_bytes(p.name, p.read_bytes())) is None


@pytest.mark.parametrize("mapping, pending", [
    ({"pending": True}, True), ('{"pending": true}', True), ("", False), (None, False),
    ('{"table": "involvement", "columns": {}}', False), ({"pending": "yes"}, False), ("{not json", False),
])
def test_pending_marker(mapping, pending):
    assert guess.is_pending(mapping) is pending


def test_empty_columns_and_id_columns_are_not_proposed_for_words():
    p = guess.propose(raw_of("guess/luma_guests.csv"))
    assert "value" not in p.columns  # `amount` is empty in every row
    assert p.columns.get("action") != "ticket_type_id"


def test_a_date_and_a_name_alone_are_people_getting_involved_not_a_content_log():
    data = (b"api_id,name,email,created_at,approval_status,ticket_name\n"
            b"gst-1a2b3c,Ann Lee,ann@example.org,2026-01-05T09:31:22.000Z,approved,Open morning\n"
            b"gst-4d5e6f,Bob Roe,bob@example.org,2026-01-06T10:02:01.000Z,approved,Open morning\n")
    p = guess.propose(read_raws("guests.csv", data)[0])
    assert p.table == "involvement" and p.columns["person"] == "email" and p.columns["occurred_at"] == "created_at"
