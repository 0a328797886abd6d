"""Issue 13's Data page screenshot: two different Follows.csv, a Spanish TikTok overview, a French form.

Run: ``python -m pytest -m browser tests/browser/test_data_screenshot.py -q``. With HC_WRITE_SCREENSHOTS=1
the screenshots are written to docs/screenshots/data_uploads_i18n.png (1400 px) and
data_uploads_i18n_390.png; without it they go to a temporary folder, so a CI run leaves the tree clean.

The expected rows, days and platforms are worked out here from the fixtures' own text (a second reading,
not the ingest code), and `python -m harness inspect --json` must agree with them too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from browserkit import ROOT, Tab
from test_first_hour import SHOTS, page_text, shoot

sys.path.insert(0, str(ROOT))
from tests.readability import problems  # noqa: E402

pytestmark = pytest.mark.browser

FIX = ROOT / "tests" / "fixtures"
FACEBOOK_ONLY = FIX / "social" / "Follows.csv"  # one section, "Facebook follows", Sept 2025
TWO_SECTIONS = FIX / "social_i18n" / "Follows.csv"  # "Follows" then "Instagram follows", March 2024
TIKTOK_ES = FIX / "social_i18n" / "Overview_es_marzo.csv"  # "8 de marzo" … "14 de marzo", no year
FORM_FR = FIX / "people" / "languages" / "Portes ouvertes (réponses) - Réponses au formulaire 1.csv"

# Meta's section titles as the two files write them, and the platform each names.
META_TITLES = {"Facebook follows": "Facebook", "Follows": "Facebook", "Instagram follows": "Instagram"}
CLI_PLATFORMS = {"facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok"}
SPANISH_MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
                  "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12}
FORM_TIME = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM) UTC([+-]\d{1,2})$")

GRIDS_JS = """() => [...document.querySelectorAll('[data-testid=stDataFrame]')].map(g => ({
  header: [...g.querySelectorAll('[role=columnheader]')].map(c => c.textContent.trim()),
  rows: [...g.querySelectorAll('[role=row]')].map(r => [...r.querySelectorAll('[role=gridcell]')]
          .map(c => c.textContent.trim())).filter(r => r.length)}))"""


def meta_expectation(path) -> dict:
    """Rows, days and platforms of a Meta per-metric file, read by hand: UTF-16 with a BOM, a ``sep=,`` line,
    then sections of a title line, ``"Date","Primary"`` and one line per reported day."""
    raw = path.read_bytes()
    assert raw[:2] == b"\xff\xfe", "the fixture must keep Meta's UTF-16 LE BOM"
    lines = raw[2:].decode("utf-16-le").splitlines()
    assert lines[0] == "sep=,"
    days, platforms, title = [], set(), None
    for row in csv.reader(lines[1:]):
        if not row:
            title = None
        elif len(row) == 1:
            title = row[0]
            platforms.add(META_TITLES[title])
        elif row != ["Date", "Primary"]:
            assert title, row
            days.append(date.fromisoformat(row[0][:10]))
    return {"rows": len(days), "first": min(days), "last": max(days), "platforms": sorted(platforms)}


def tiktok_expectation(path, today: date) -> dict:
    """``8 de marzo`` has no year: the file ends on the latest such day not after the upload day (today)."""
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    day_month = [(int(d), SPANISH_MONTHS[m]) for d, m in (r["Date"].split(" de ") for r in rows)]
    end_day, end_month = day_month[-1]
    year = today.year if date(today.year, end_month, end_day) <= today else today.year - 1
    last = date(year, end_month, end_day)
    first = last - timedelta(days=len(rows) - 1)  # consecutive days, as TikTok Studio writes them
    assert (first.day, first.month) == day_month[0]
    return {"rows": len(rows), "first": first, "last": last, "platforms": ["TikTok"]}


def form_expectation(path) -> dict:
    """Google Forms in French: ``2023/10/11 9:53:19 AM UTC+1`` in ``Horodateur``; "hier" is not a time."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    times = []
    for r in rows:
        m = FORM_TIME.match(r["Horodateur"])
        if m:
            y, mo, d, h, mi, s, ampm, off = m.groups()
            hour = int(h) % 12 + (12 if ampm == "PM" else 0)
            times.append(datetime(int(y), int(mo), int(d), hour, int(mi), int(s)) - timedelta(hours=int(off)))
    return {"rows": len(rows), "rejected": len(rows) - len(times), "first": min(times).date(),
            "last": max(times).date(), "platforms": []}


def inspect_json(path) -> dict:
    out = subprocess.run([sys.executable, "-m", "harness", "inspect", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return json.loads(out)[0]


def table_rows(grid) -> list[dict]:
    return [dict(zip(grid["header"], row)) for row in grid["rows"]]


def test_data_page_after_two_follows_a_spanish_tiktok_and_a_french_form(browser, fresh_server, tmp_path):
    today = date.today()  # the upload day: the server runs on this machine, now
    expected = {
        "Follows.csv": {**meta_expectation(FACEBOOK_ONLY), "source": "Meta Business Suite"},
        "Follows.csv (2)": {**meta_expectation(TWO_SECTIONS), "source": "Meta Business Suite"},
        TIKTOK_ES.name: {**tiktok_expectation(TIKTOK_ES, today), "source": "TikTok Studio"},
        FORM_FR.name: {**form_expectation(FORM_FR), "source": "Google Forms"},
    }
    assert expected["Follows.csv (2)"]["platforms"] == ["Facebook", "Instagram"]
    assert expected["Follows.csv"]["first"] != expected["Follows.csv (2)"]["first"]

    # The command line reads each file the same way (the "matching what inspect gives").
    for name, path in [("Follows.csv", FACEBOOK_ONLY), ("Follows.csv (2)", TWO_SECTIONS),
                       (TIKTOK_ES.name, TIKTOK_ES), (FORM_FR.name, FORM_FR)]:
        got, want = inspect_json(path), expected[name]
        assert (got["ok"], got["rows_read"], got["start"][:10], got["end"][:10]) == (
            True, want["rows"], want["first"].isoformat(), want["last"].isoformat()), (name, got)
        assert [CLI_PLATFORMS[p] for p in got["platforms"]] == want["platforms"], (name, got)

    tab = Tab(browser, fresh_server.url)
    try:
        tab.goto("data")
        drop = tab.page.locator("[data-testid=stFileUploaderDropzoneInput]")
        drop.set_input_files(str(FACEBOOK_ONLY))
        tab.page.get_by_text("What we found in your uploads").wait_for()
        tab.settle()
        drop.set_input_files([str(TWO_SECTIONS), str(TIKTOK_ES), str(FORM_FR)])
        tab.page.get_by_text("so both are kept").wait_for()
        tab.settle()
        tab.page.get_by_role("button", name="Keep both").click()
        tab.page.wait_for_function(
            "() => !document.querySelector('[data-testid=stMain]').innerText.includes('so both are kept')")
        tab.settle()

        grids = [g for g in tab.page.evaluate(GRIDS_JS) if "File" in g["header"]]
        # "What we found in your uploads" (this session's uploads) and "Files in this workspace" (saved).
        assert len(grids) == 2, grids
        for grid in grids:
            rows = {r["File"]: r for r in table_rows(grid)}
            assert set(rows) == set(expected), rows
            for name, want in expected.items():
                row = rows[name]
                assert row["Status"] == "loaded", row
                assert row["Detected as"].startswith(want["source"]), row
                assert row["Platforms"] == ", ".join(want["platforms"]), row
                assert row["Rows read"] == str(want["rows"]), row
                assert row["Rows rejected"] == str(want.get("rejected", 0)), row
                assert (row["From"], row["To"]) == (want["first"].isoformat(), want["last"].isoformat()), row

        main = tab.page.locator("[data-testid=stMain]").inner_text()
        tiktok = expected[TIKTOK_ES.name]
        # The year the Spanish dates were given, said where the user looks.
        assert f"{tiktok['first']:%d %b %Y} to {tiktok['last']:%d %b %Y}" in main, main
        assert "each section was read to its own platform" in main, main
        assert f"1 row of {FORM_FR.name} could not be read" in main, main
        assert not problems(page_text(tab), "data"), problems(page_text(tab), "data")
        assert tab.page.locator("[data-testid=stException]").count() == 0

        folder = SHOTS if os.environ.get("HC_WRITE_SCREENSHOTS") == "1" else tmp_path
        for width in (1400, 390):
            assert shoot(tab, "data_uploads_i18n", width, folder).stat().st_size > 10_000
        tab.assert_clean()
    finally:
        tab.close()
    assert not tab.blocked, f"the app tried to reach the internet: {tab.blocked}"
