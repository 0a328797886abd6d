"""The community-activity proposal, partners, matching with the log, choices, and typed follower counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from harness import audience, community, scoring
from harness.dataset import from_tables


@pytest.mark.parametrize("name,kind,expected,word", [
    ("Harbour clean-up day", None, True, "clean up"),
    ("Library reading morning", None, True, "library"),
    ("Food-bank drive", None, True, "food bank"),
    ("Summer Fete", None, True, "fete"),
    ("Christmas fair", None, True, "fair"),
    ("Charity quiz", None, True, "charity"),
    ("Beach clean volunteers", "volunteer", True, "beach clean"),
    ("Nettoyage de la plage", None, True, "nettoyage"),            # French
    ("Collecte pour la Banque Alimentaire", None, True, "collecte"),
    ("Limpieza de la playa", None, True, "limpieza"),               # Spanish
    ("Sommerfest im Park", None, True, "fest"),                      # German compound
    ("Müllsammelaktion", None, True, "mullsammel"),
    ("Mutirão de limpeza", None, True, "mutirao"),                   # Portuguese
    ("Sagra del paese", None, True, "sagra"),                        # Italian
    ("Zwerfafval opruimen", None, True, "zwerfafval"),               # Dutch
    ("Autumn Open Evening", None, False, "open evening"),
    ("Portes ouvertes", None, False, "portes ouvertes"),
    ("Tag der offenen Tür", None, False, "tag der offenen tur"),
    ("Open evening stall at the fair", None, True, "fair"),          # a community word wins over a sales word
    ("Family film night", "Free", True, "free"),
    ("Quiz night", "Team ticket Eventbrite Completed", False, None),
    ("Coding club", None, False, None),
])
def test_propose(name, kind, expected, word):
    verdict, why = community.propose(name, kind)
    assert verdict is expected
    if word:
        assert f"“{word}”" in why
    else:
        assert why == "no community word in its name or kind"


@pytest.mark.parametrize("name,partner", [
    ("Harbour clean-up day with Seaside Rotary", "Seaside Rotary"),
    ("Reading morning in partnership with the Town Library - 2026", "Town Library"),
    ("Recogida de alimentos con Cáritas", "Cáritas"),
    ("Food bank drive", "Food bank"),
    ("Library reading morning", "Library"),
    ("Beach clean volunteers", None),
    ("Fun day with friends", None),
    (None, None),
])
def test_partner_from_name(name, partner):
    assert community.partner_from_name(name) == partner


@pytest.mark.parametrize("a,b,same", [
    ("Harbour clean-up", "Harbour clean-up day with Seaside Rotary", True),
    ("Food bank collection", "Food-bank drive", True),
    ("Litter pick in the park", "Food bank drive", False),
    ("Summer fair", "", False),
])
def test_same_activity(a, b, same):
    assert community.same_activity(a, b) is same


def _events(**over):
    base = {"record_id": ["eventbrite:1", "eventbrite:2"], "occurred_at": ["2026-09-20", "2026-10-21"],
            "name": ["Harbour clean-up day", "Supporter quiz night"], "origin": ["eventbrite", "eventbrite"],
            "kind": [None, None], "partner": ["Seaside Rotary", None], "attendees": [4, 2],
            "sales_related": [False, True]}
    base.update(over)
    return pd.DataFrame(base)


def test_log_wins_and_choices_override_the_proposal():
    log = pd.DataFrame({"record_id": ["log1"], "occurred_at": ["2026-09-20"], "activity": ["Harbour clean-up"],
                        "kind": ["volunteering"], "partner": ["Rotary Club"], "attendees": [30], "hours": [3.0],
                        "sales_related": [False]})
    ds = from_tables(events=_events(), community=log)
    cand = community.candidates(ds)
    assert cand["in_log"].tolist() == [True, False]
    assert cand["proposed"].tolist() == [True, False]
    acts = community.activities(ds)
    # The log row stands for the clean-up (30 people, its own partner); the quiz night is not proposed.
    assert acts["activity"].tolist() == ["Harbour clean-up"]
    assert acts["attendees"].tolist() == [30]
    chosen = community.activities(ds, {"eventbrite:2": True})
    assert chosen["activity"].tolist() == ["Harbour clean-up", "Supporter quiz night"]
    assert chosen["sales_related"].tolist() == [False, True]
    assert community.activities(ds, {"eventbrite:2": False})["activity"].tolist() == ["Harbour clean-up"]


def test_involvement_log_days_are_candidates_but_not_proposed():
    inv = pd.DataFrame({
        "record_id": ["a", "b", "c", "eventbrite:9", "d"],
        "occurred_at": ["2026-10-03 09:00", "2026-10-03 13:00", "2026-10-03 10:00", "2026-10-03 10:00",
                        "2026-10-04 09:00"],
        "person": ["x@e.org", "y@e.org", None, "z@e.org", "x@e.org"],
        "action": ["volunteer", "volunteer", "volunteer", "event", "donation"], "source": "unknown"})
    ds = from_tables(involvement=inv)
    cand = community.candidates(ds)
    assert cand["record_id"].tolist() == ["involvement:volunteer:2026-10-03"]  # the Eventbrite row is not one
    assert cand["name"].tolist() == ["Volunteering on 3 Oct 2026"]
    assert cand["attendees"].tolist() == [3]
    assert cand["proposed"].tolist() == [False]
    assert len(community.activities(ds)) == 0
    confirmed = community.activities(ds, {"involvement:volunteer:2026-10-03": True})
    assert confirmed["kind"].tolist() == ["volunteering"] and confirmed["attendees"].tolist() == [3]


@pytest.mark.parametrize("day,expected", [
    (dt.date(2026, 11, 7), 500.0),      # the day it was counted
    (dt.date(2026, 11, 4), 500.0 - 4 - 1 - 0),  # minus the follows listed on 5, 6 and 7 Nov
    (dt.date(2026, 10, 31), 500.0 - 11),  # minus every follow listed after 31 Oct (3+1+0+2+4+1+0)
    (dt.date(2026, 11, 9), 500.0 + 6),   # plus the follows listed on 8 and 9 Nov
])
def test_typed_follower_count_moved_by_daily_follows(day, expected):
    days = pd.date_range("2026-11-01", "2026-11-09", tz="UTC")
    aud = pd.DataFrame({"date": days, "platform": "facebook", "new_followers": [3, 1, 0, 2, 4, 1, 0, 5, 1]})
    ds = from_tables(audience=aud)
    entry = {"followers": 500, "date": "2026-11-07"}
    assert audience.typed_followers_at(ds["audience"], "facebook", entry, day) == expected
    # A platform with a running total in an export ignores the typed count.
    total = from_tables(audience=aud.assign(followers=1000))
    if day >= dt.date(2026, 11, 1):  # before the export's first total, none is known: the typed count counts
        assert audience.followers_at(total["audience"], day, counts={"facebook": entry}) == 1000


def test_with_activities_is_idempotent():
    log = pd.DataFrame({"record_id": ["log1"], "occurred_at": ["2026-09-01"], "activity": ["Litter pick"],
                        "kind": ["volunteering"], "partner": [None], "attendees": [5], "hours": [None],
                        "sales_related": [False]})
    ds = from_tables(events=_events(), community=log)
    once = community.with_activities(ds, {"eventbrite:2": True})
    twice = community.with_activities(once, {"eventbrite:2": True})
    pd.testing.assert_frame_equal(once["community"], twice["community"])
    assert once["community"]["activity"].tolist() == ["Litter pick", "Harbour clean-up day", "Supporter quiz night"]
    assert community.proposal_rows(once, {"eventbrite:2": True}) == community.proposal_rows(ds, {"eventbrite:2": True})


@pytest.mark.parametrize("file_name,name,day", [
    ("Attendee summary - Open Morning 11 Oct 2025.csv", "Open Morning 11 Oct 2025", "2025-10-11"),
    ("Visit _ enquiry (Responses) - Form responses 1.csv", "Visit enquiry", None),
    ("exports.zip/Harbour clean-up (Responses).csv", "Harbour clean-up", None),
    ("Beach clean 2026-10-17.csv", "Beach clean 2026-10-17", "2026-10-17"),
    ("Fair on 31 Feb 2026.csv", "Fair on 31 Feb 2026", None),  # not a date
])
def test_event_names_and_dates_from_file_names(file_name, name, day):
    from harness.ingest.events import date_in_name, form_name

    assert form_name(file_name) == name
    found = date_in_name(name)
    assert (None if found is None else f"{found:%Y-%m-%d}") == day


def test_one_or_two_volunteers_a_day_are_not_an_activity():
    inv = pd.DataFrame({"record_id": ["a", "b"], "occurred_at": ["2026-10-03 09:00", "2026-10-03 10:00"],
                        "person": ["x@e.org", "y@e.org"], "action": "volunteer", "source": "unknown"})
    assert len(community.candidates(from_tables(involvement=inv))) == 0
