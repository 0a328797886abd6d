"""HubSpot contacts with and without a column saying what people did; referral and waitlist sign-up lists.

Fixtures: tests/fixtures/people/crm (README.md cites each layout). Expected values by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harness.ingest import ingest_path
from harness.ingest import people as P

FIX = Path(__file__).parent / "fixtures" / "people" / "crm"


def _one(name):
    [report] = ingest_path(FIX / name)
    assert report.ok, report.error
    return report


def test_hubspot_contacts_with_nothing_saying_what_they_did_are_not_enquiries():
    r = _one("hubspot-crm-exports-all-contacts-2026-05-14.csv")
    assert r.source == "hubspot_contacts"
    assert r.tables == {} and r.rejected == [] and r.rows_read == 3
    [warning] = r.warnings
    assert warning.startswith("This HubSpot contacts export lists 3 contact(s) but no column says what they did")


def test_hubspot_contacts_count_only_those_a_stage_or_conversion_shows():
    r = _one("hubspot-crm-exports-contacts-with-stage-2026-05-14.csv")
    inv = r.tables["involvement"].sort_values("record_id")
    assert list(inv["record_id"]) == ["hubspot:201", "hubspot:202", "hubspot:204"]
    assert list(inv["action"]) == ["enquiry", "volunteer", "membership"]
    assert list(inv["source"]) == ["unknown", "unknown", "referral"]
    assert list(inv["referred_by"].fillna("-")) == ["-", "-", "ana@example.org"]
    assert r.date_range == (pd.Timestamp("2026-03-02 09:15", tz="UTC"), pd.Timestamp("2026-03-09 08:00", tz="UTC"))
    assert [(p.line, p.reason) for p in r.rejected] == [(6, "'Create Date' is empty")]
    refs = r.tables["referrals"]
    assert list(zip(refs["referrer"], refs["referred"], refs["converted"])) == [
        ("ana@example.org", "di@example.org", True)]
    assert any("1 contact(s) with no Lifecycle Stage or conversion" in w for w in r.warnings)


@pytest.mark.parametrize("name, pairs, first, last, rejected, alone", [
    ("viral-loops-participants.csv",
     [("amy@example.org", "bea@example.org"), ("amy@example.org", "cal@example.org"),
      ("cal@example.org", "dee@example.org"), ("zz9", "eli@example.org")],
     "2025-05-03 12:00", "2025-05-11 08:00", [], 1),
    ("referralhero-subscribers.csv",
     [("ann@example.org", "ben@example.org"), ("ben@example.org", "cat@example.org")],
     "2025-06-02 10:00", "2025-06-05 11:00", [(5, "the subscriber is named as their own referrer")], 1),
])
def test_referral_signup_lists(name, pairs, first, last, rejected, alone):
    r = _one(name)
    assert r.source == "referral_signups"
    refs = r.tables["referrals"]
    assert sorted(zip(refs["referrer"], refs["referred"])) == pairs
    assert refs["converted"].tolist() == [True] * len(pairs)
    assert r.date_range == (pd.Timestamp(first, tz="UTC"), pd.Timestamp(last, tz="UTC"))
    assert [(p.line, p.reason) for p in r.rejected] == rejected
    assert any(w.startswith(f"{alone} subscriber(s) joined with nobody referring them") for w in r.warnings)
    assert "involvement" not in r.tables


@pytest.mark.parametrize("status, expected", [
    ("confirmed", True), ("unconfirmed", False), ("CREDIT_AWARDED", True), ("CREDIT_PENDING", False),
])
def test_referral_tool_statuses(status, expected):
    assert P.referral_status(status) is expected


def test_a_mailchimp_referred_by_merge_field_gives_referrals():
    data = ("Email Address,First Name,Referred By,OPTIN_TIME,LEID,EUID\n"
            "kim@example.org,Kim,lou@example.org,2025-04-01 10:00:00,1,a1\n"
            "lou@example.org,Lou,,2025-03-30 09:00:00,2,a2\n").encode()
    from harness.ingest import ingest_bytes
    [r] = ingest_bytes("members_export.csv", data)
    assert r.source == "mailchimp_audience"
    inv = r.tables["involvement"].sort_values("person")
    assert list(inv["source"]) == ["referral", "unknown"] and list(inv["referred_by"].fillna("-")) == [
        "lou@example.org", "-"]
    refs = r.tables["referrals"]
    assert list(zip(refs["referrer"], refs["referred"])) == [("lou@example.org", "kim@example.org")]
