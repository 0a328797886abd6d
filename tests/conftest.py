"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import datetime as dt
import os

from hypothesis import Phase, settings

# No "explain" phase anywhere: on a failing example it traces every line of pandas and can run for many
# minutes before reporting; the shrunk example is what we need.
settings.register_profile("hc", phases=[p for p in Phase if p is not Phase.explain])
settings.load_profile("hc")

import pandas as pd
import pytest


def ts(*values):
    return pd.to_datetime(list(values), utc=True)


@pytest.fixture
def period():
    from harness.periods import Period

    return Period(dt.date(2026, 3, 2), dt.date(2026, 3, 15))  # two Monday-started weeks


@pytest.fixture
def small_dataset():
    """A tiny organisation, two weeks in March 2026 plus one older row outside the period.

    Hand-counted facts used by tests:
    - involvement in period: 5 actions by 3 people (ann x2, bob x2, cat x1); 3 from facebook, 1 website, 1 referral;
      donation 50.0, volunteering 3 hours.
    - posts in period: 2 organisation posts (reactions 10 and 30; comments 2 and 4; shares 1 and 3; reach 500 and
      1500; clicks 7 and null), 1 community post.
    - contributions in period: 3 items by 2 contributors (dee x2, eve x1), engagement 9, 12, null.
    - community in period: 2 activities (1 partner "Library"), attendees 40 + 60, one sales-related.
    """
    from harness.dataset import from_tables

    inv = pd.DataFrame({
        "record_id": list("abcdef"),
        "occurred_at": ts("2026-03-02 10:00", "2026-03-03 10:00", "2026-03-09 10:00", "2026-03-10 10:00",
                          "2026-03-15 23:00", "2026-01-01 10:00"),
        "person": ["ann@x.org", "Ann@X.org ", "bob", "bob", "cat", "old"],
        "action": ["visit", "donation", "call", "volunteer", "enquiry", "visit"],
        "source": ["facebook", "facebook", "facebook", "website", "referral", "facebook"],
        "value": [None, 50.0, None, 3.0, None, None],
        "referred_by": [None, None, None, None, "ann@x.org", None],
    })
    posts = pd.DataFrame({
        "post_id": ["p1", "p2", "p3", "p0"],
        "platform": ["facebook", "instagram", "instagram", "facebook"],
        "published_at": ts("2026-03-02 09:00", "2026-03-09 09:00", "2026-03-10 09:00", "2026-01-01 09:00"),
        "author_kind": ["organisation", "organisation", "community", "organisation"],
        "reactions": [10, 30, 99, 1000], "comments": [2, 4, 1, 0], "shares": [1, 3, 0, 0],
        "reach": [500, 1500, None, 9], "clicks": [7, None, None, None],
    })
    contrib = pd.DataFrame({
        "record_id": ["c1", "c2", "c3"],
        "created_at": ts("2026-03-03", "2026-03-04", "2026-03-12"),
        "contributor": ["dee", "dee", "eve"], "kind": ["photo", "story", "review"],
        "used_by_org": [True, False, True], "engagement": [9, 12, None],
    })
    community = pd.DataFrame({
        "record_id": ["k1", "k2"], "occurred_at": ts("2026-03-05", "2026-03-14"),
        "activity": ["Litter pick", "Open day"], "kind": ["service", "event"],
        "partner": ["Library", None], "attendees": [40, 60], "hours": [6.0, None], "sales_related": [False, True],
    })
    return from_tables(involvement=inv, posts=posts, contributions=contrib, community=community)


@pytest.fixture(autouse=True)
def _private_database(tmp_path, monkeypatch):
    """Every test saves workspaces in its own SQLite file: the app persists uploads, tests must not share them."""
    monkeypatch.setenv("HC_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")


@pytest.fixture
def run_through_app_py():
    """Make every AppTest run go through ``app.py``, as every run does on a real server (``ui.frame`` says why)."""
    from ui import frame

    undo = frame.hold_apptest_framed()
    yield
    undo()


PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def pg_url():
    """A fresh schema on the TEST_DATABASE_URL server, dropped afterwards (tests stay independent and leave
    nothing behind); skipped without that variable."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (run: eval \"$(.ci/postgres.sh)\")")
    import uuid

    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL for storage tests: a SQLite file always, and a PostgreSQL schema (``pg_url``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'test.sqlite'}"
    return request.getfixturevalue("pg_url")
