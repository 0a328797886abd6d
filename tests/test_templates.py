"""The product's log templates (CSV/XLSX, header synonyms) and explicit column mappings."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from harness import dataset
from harness.ingest import ingest_bytes
from harness.ingest import templates as T
from harness.ingest.registry import Raw

FIX = Path(__file__).parent / "fixtures" / "people"

CONTRACT = {
    "involvement": ["Date", "Person", "Action", "Source", "Value", "Referred by", "Post ID", "Notes"],
    "referrals": ["Date", "Referrer", "Referred", "Channel", "Converted"],
    "contributions": ["Date", "Contributor", "Platform", "Kind", "Used by us", "Engagement", "Link", "Notes"],
    "community": ["Date", "Activity", "Kind", "Partner", "Attendees", "Hours", "Sales related", "Notes"],
}


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def one(name: str, data: bytes, **kw):
    reports = ingest_bytes(name, data, **kw)
    assert len(reports) == 1
    return reports[0]


def fixture(name: str):
    r = one(name, (FIX / name).read_bytes())
    assert r.error is None, r.error
    return r


def values(df: pd.DataFrame, col: str) -> list:
    return [None if pd.isna(v) else v for v in df[col]]


def raw_of(rows: list[dict], name: str = "log.csv") -> Raw:
    frame = pd.DataFrame(rows, dtype=object)
    return Raw(name, frame, pd.Series(range(2, 2 + len(frame)), index=frame.index))


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- the templates themselves


@pytest.mark.parametrize("name", list(CONTRACT))
def test_template_headers_follow_the_contract(name):
    t = T.TEMPLATES[name]
    assert t.headers == CONTRACT[name]
    assert all(f.description for f in t.fields)
    assert T.blank_template_csv(name).decode("utf-8").splitlines()[0] == ",".join(CONTRACT[name])


@pytest.mark.parametrize("name", list(CONTRACT))
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_blank_template_round_trips_and_its_example_row_is_not_counted(name, kind):
    blank = T.blank_template_csv(name) if kind == "csv" else T.blank_template_xlsx(name)
    r = one(f"{name}_log.{kind}", blank)
    assert r.error is None and r.source == f"template_{name}"
    assert r.tables == {} and any("example row" in w for w in r.warnings)


def test_template_example_row_plus_real_rows():
    text = T.blank_template_csv("referrals").decode() + "2025-10-01,pat@example.org,rae@example.org,email,no\r\n"
    r = one("referrals_log.csv", text.encode())
    refs = r.tables["referrals"]
    assert values(refs, "referred") == ["rae@example.org"] and values(refs, "converted") == [False]


def test_blank_template_xlsx_is_a_single_sheet_with_described_headers():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(T.blank_template_xlsx("community_log.csv")))
    assert len(wb.worksheets) == 1
    ws = wb.active
    assert [c.value for c in ws[1]] == CONTRACT["community"]
    assert ws["A1"].comment is not None and "YYYY-MM-DD" in ws["A1"].comment.text


def test_unknown_template_name():
    with pytest.raises(KeyError):
        T.blank_template_csv("posts")


# --------------------------------------------------------------------------- template files


def test_involvement_log_template():
    r = fixture("involvement_log.csv")
    assert r.source == "template_involvement"
    inv = r.tables["involvement"]
    assert values(inv, "person") == ["sam.lee@example.org", "sam.lee@example.org", None, None,
                                     '=HYPERLINK("http://evil.example","x")']
    assert values(inv, "action") == ["visit", "donation", "call", "call", "call"]
    assert values(inv, "source") == ["facebook", "facebook", "word_of_mouth", "word_of_mouth", "instagram"]
    assert values(inv, "value") == [None, 25.0, None, None, None]
    assert values(inv, "post_id") == [None, "1234567890123456789", None, None, None]
    assert list(inv["occurred_at"][:2]) == [ts("2025-09-14 10:30"), ts("2025-09-15")]
    ids = list(inv["record_id"])
    assert len(set(ids)) == 5 and ids[3] == ids[2] + "#2"  # two identical anonymous calls stay two
    assert [(p.line, p.reason) for p in r.rejected] == [(6, "'Date' is not a date: '2025-13-01'")]
    assert any("'Value'" in w and "line 7" in w for w in r.warnings)


def test_involvement_log_as_xlsx_with_real_date_cells_gives_the_same_ids():
    csv_report = fixture("involvement_log.csv")
    rows = [CONTRACT["involvement"],
            [dt.datetime(2025, 9, 14, 10, 30), "sam.lee@example.org", "visit", "facebook", None, "alex@example.org",
             None, "Open morning"],
            [dt.datetime(2025, 9, 15), "Sam.Lee@example.org", "donation", "facebook", 25, None,
             "1234567890123456789", None]]
    r = one("involvement_log.xlsx", xlsx(rows))
    assert r.error is None, r.error
    got = r.tables["involvement"]
    assert list(got["record_id"]) == list(csv_report.tables["involvement"]["record_id"][:2])
    assert values(got, "value") == [None, 25.0]


def test_reupload_of_an_edited_log_updates_rows_instead_of_adding():
    first = fixture("involvement_log.csv")
    edited = (FIX / "involvement_log.csv").read_bytes().replace(b"donation,facebook,25", b"donation,facebook,30")
    second = one("involvement_log.csv", edited)
    inv = dataset.combine([first, second])["involvement"]
    assert len(inv) == 5
    assert values(inv, "value").count(30.0) == 1 and 25.0 not in values(inv, "value")


def test_referrals_log_template_with_ids():
    r = fixture("referrals_log.csv")
    refs = r.tables["referrals"]
    assert values(refs, "record_id")[:2] == ["1", "2"]
    assert values(refs, "referrer") == ["alex@example.org", "sam.lee@example.org", "pat@example.org"]
    assert values(refs, "channel") == ["word_of_mouth", "facebook", None]
    assert values(refs, "converted") == [True, False, None]
    assert [(p.line, p.reason) for p in r.rejected] == [(4, "'Referrer' is empty")]
    assert any("'Converted'" in w and "maybe" in w for w in r.warnings)


def test_synonym_headers_and_day_first_dates():
    r = fixture("visits_book.csv")
    assert r.source == "template_involvement"
    assert r.mapping == {"occurred_at": "When", "person": "Who", "action": "Type", "source": "How did they hear?",
                         "value": "Amount", "referred_by": "Recommended by"}
    inv = r.tables["involvement"]
    assert list(inv["occurred_at"]) == [ts("2025-09-03"), ts("2025-09-04"), ts("2025-09-05")]
    assert values(inv, "action") == ["visit", "enrolment", "call"]
    assert values(inv, "source") == ["facebook", "word_of_mouth", "unknown"]
    assert values(inv, "referred_by") == ["Sam Lee", None, None]
    assert any("day-first" in w for w in r.warnings)


def test_community_log_template():
    r = fixture("community_log.csv")
    com = r.tables["community"]
    assert values(com, "kind") == ["volunteering", "event", "service"]
    assert values(com, "attendees") == [25, 120, 1200]
    assert values(com, "hours") == [3.0, None, 4.5]
    assert values(com, "sales_related") == [False, True, False]
    assert values(com, "partner") == ["Rotary Club", None, "Food Bank"]


def test_contributions_log_xlsx_with_synonyms():
    rows = [["When", "Made by", "Where", "Type", "For us?", "Likes", "URL"],
            ["2025-09-01", "Year 6 parent", "Insta", "Photos", "yes", "12", "https://x"],
            ["2025-09-02", "Alumni group", "Website", "Blog", "", "", ""]]
    rows[0][4] = "Shared"
    r = one("ugc.xlsx", xlsx(rows))
    assert r.source == "template_contributions", r.error
    c = r.tables["contributions"]
    assert values(c, "contributor") == ["Year 6 parent", "Alumni group"]
    assert values(c, "platform") == ["instagram", "website"]
    assert values(c, "kind") == ["photo", "article"]
    assert values(c, "used_by_org") == [True, None]
    assert values(c, "engagement") == [12, None]


# --------------------------------------------------------------------------- explicit mappings

VISITOR_ROWS = [
    {"Day": "14.09.2025", "Visitor": "Jo@Example.org", "Why": "Tour", "Spent": "£10"},
    {"Day": "15.09.2025", "Visitor": "", "Why": "phoned", "Spent": ""},
    {"Day": "32.09.2025", "Visitor": "li@example.org", "Why": "tour", "Spent": ""},
]
VISITOR_MAPPING = {"table": "involvement",
                   "columns": {"occurred_at": "Day", "person": "Visitor", "action": "Why", "value": "Spent"},
                   "defaults": {"source": "website"}, "date_format": "%d.%m.%Y", "dayfirst": True}


def test_apply_mapping():
    parsed = T.apply_mapping(raw_of(VISITOR_ROWS), VISITOR_MAPPING)
    inv = parsed.tables["involvement"]
    assert list(inv["occurred_at"]) == [ts("2025-09-14"), ts("2025-09-15")]
    assert values(inv, "person") == ["jo@example.org", None]
    assert values(inv, "action") == ["visit", "call"]
    assert values(inv, "source") == ["website", "website"]
    assert values(inv, "value") == [10.0, None]
    assert [(p.line, p.reason) for p in parsed.rejected] == [(4, "'Day' is not a date: '32.09.2025'")]
    assert parsed.mapping == VISITOR_MAPPING["columns"]
    assert json.loads(json.dumps(VISITOR_MAPPING)) == VISITOR_MAPPING  # presets are plain JSON


def test_mapping_through_ingest_bytes():
    data = pd.DataFrame(VISITOR_ROWS).to_csv(index=False).encode()
    r = one("visitors.csv", data, mapping=VISITOR_MAPPING)
    assert r.error is None and r.source == "mapping"
    assert len(r.tables["involvement"]) == 2 and [p.line for p in r.rejected] == [4]


def test_mapping_onto_a_social_table():
    rows = [{"Posted": "2025-09-01 10:00", "Id": "1234567890123456789", "Likes": "1,204", "Caption": "Hi"}]
    mapping = {"table": "posts", "columns": {"published_at": "Posted", "post_id": "Id", "reactions": "Likes",
                                             "text": "Caption"}, "defaults": {"platform": "Bluesky"}}
    # posts only know the PLATFORMS vocabulary; a contribution keeps where it appeared
    posts = T.apply_mapping(raw_of(rows), mapping).tables["posts"]
    assert values(posts, "post_id") == ["1234567890123456789"] and values(posts, "reactions") == [1204]
    assert values(posts, "platform") == ["other"] and values(posts, "author_kind") == ["organisation"]


@pytest.mark.parametrize("mapping,fragment", [
    ("nope", "JSON object"),
    ({"table": "likes"}, "Choose which table"),
    ({"table": "involvement", "columns": {"occurred_at": "Date"}}, "'Date' (for occurred_at) is not in the file"),
    ({"table": "involvement", "columns": {"when": "Day"}}, "'when' is not a column of involvement"),
    ({"table": "involvement", "columns": {"person": "Visitor"}}, "needs 'occurred_at'"),
    ({"table": "referrals", "columns": {"occurred_at": "Day", "referrer": "Visitor"}}, "needs 'referred'"),
    ({"table": "involvement", "columns": {"occurred_at": "Day"}, "date_format": "dd/mm"}, "date_format"),
])
def test_validate_mapping_problems(mapping, fragment):
    problems = T.validate_mapping(mapping, ["Day", "Visitor", "Why", "Spent"])
    assert any(fragment in p for p in problems), problems


def test_validate_mapping_accepts_a_good_mapping_and_normalised_header_names():
    assert T.validate_mapping(VISITOR_MAPPING, ["Day", "Visitor", "Why", "Spent"]) == []
    assert T.validate_mapping({"table": "involvement", "columns": {"occurred_at": "day "}}, ["Day"]) == []


def test_bad_mapping_is_a_plain_message_not_a_traceback():
    with pytest.raises(T.MappingError, match="not in the file"):
        T.apply_mapping(raw_of(VISITOR_ROWS), {"table": "involvement", "columns": {"occurred_at": "Date"}})
    r = one("visitors.csv", pd.DataFrame(VISITOR_ROWS).to_csv(index=False).encode(),
            mapping={"table": "involvement", "columns": {"occurred_at": "Date"}})
    assert r.error and "not in the file" in r.error and r.tables == {}


@pytest.mark.parametrize("headers,table,expected", [
    (["When", "Email", "What they did", "Heard via", "Notes"], "involvement",
     {"occurred_at": "When", "person": "Email", "action": "What they did", "source": "Heard via"}),
    (["Date of visit", "Visitor name", "Type"], "involvement",
     {"occurred_at": "Date of visit", "person": "Visitor name", "action": "Type"}),
    (["Recommended by", "Friend", "Date", "Joined?"], "referrals",
     {"referrer": "Recommended by", "referred": "Friend", "occurred_at": "Date", "converted": "Joined?"}),
    (["Date", "Event", "Category", "People reached", "For sales?"], "community",
     {"occurred_at": "Date", "activity": "Event", "kind": "Category", "attendees": "People reached",
      "sales_related": "For sales?"}),
])
def test_suggest_mapping(headers, table, expected):
    raw = raw_of([{h: "" for h in headers}])
    m = T.suggest_mapping(raw, table)
    assert m["table"] == table and m["columns"] == expected
    assert T.validate_mapping(m, headers) == []


@pytest.mark.parametrize("header,expected", [
    (b"When,Who,What", None),  # generic words fit several logs: ask the user to map them
    (b"Date,Contributor,Kind", "template_contributions"),  # the template's own headers
    (b"Date,Person,Action,Source", "template_involvement"),
])
def test_generic_headers_are_not_guessed(header, expected):
    from harness.ingest import ingest_bytes

    data = header + b"\n2026-01-05,ann@example.org,visit,facebook\n"
    (report,) = ingest_bytes("log.csv", data)
    assert report.source == expected
