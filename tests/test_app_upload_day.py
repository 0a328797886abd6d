"""AppTest: a saved file is read against the day it was uploaded, not today.

TikTok Studio writes dates without a year (``8 de marzo``); ingest reads them as the latest year that does not
put them after the upload day. A file uploaded in June 2025 must still read in the year before that upload when the workspace is
opened later, so the app passes storage's ``uploaded_at`` to ingest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from harness import storage

ROOT = Path(__file__).resolve().parents[1]
TIKTOK_ES = ROOT / "tests" / "fixtures" / "social_i18n" / "Overview_es.csv"
pytestmark = pytest.mark.usefixtures("run_through_app_py")


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_a_saved_year_less_file_reads_in_the_year_it_was_uploaded():
    db = storage.Store()
    saved = db.create_workspace("Club")
    db.add_files(saved.id, [storage.NewFile(TIKTOK_ES.name, TIKTOK_ES.read_bytes())])
    with db.engine.begin() as conn:  # as if it had been uploaded on 1 June 2025
        conn.execute(sa.update(storage.FILES).values(uploaded_at=dt.datetime(2025, 6, 1, 12, tzinfo=dt.timezone.utc)))

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    files = at.session_state["workspace"]["files"]
    assert [f["uploaded"] for f in files] == ["2025-06-01"]

    from ui.loaders import file_reports  # the same reports the pages show, from the same cache

    # The fixture runs 30 de diciembre .. 1 de enero: read against 1 June 2025 that is 2024-12-30 .. 2025-01-01
    # (read against today it would be a year or more later).
    (start, end), = [r.date_range for r in file_reports() if r.ok]
    assert (start.date(), end.date()) == (dt.date(2024, 12, 30), dt.date(2025, 1, 1))
