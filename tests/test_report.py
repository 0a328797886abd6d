"""The self-contained HTML report: content, offline-ness, escaping, and the CLI command."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from harness import cli, privacy, report, scoring
from harness import format as fmt

SALT = "test-salt"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
COMMENTARY = ('Good term.\n\n<a href="javascript:alert(1)">click</a> and [x](javascript:alert(2))\n'
              + SCRIPT)


class Tags(HTMLParser):
    """Every tag and attribute the browser would see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)

    handle_startendtag = handle_starttag


def parsed(page: str) -> Tags:
    t = Tags()
    t.feed(page)
    return t


@pytest.fixture(scope="module")
def _cache():
    return {}  # rendering charts takes ~1 s, so one snapshot and page serve the module


@pytest.fixture
def snapshot(small_dataset, period, _cache):
    if "snapshot" not in _cache:
        _cache["snapshot"] = report.snapshot_for_report(small_dataset, period, salt=SALT, pseudonymise=True)
    return _cache["snapshot"]


@pytest.fixture
def page(snapshot, _cache):
    if "page" not in _cache:
        _cache["page"] = report.render_report(snapshot, title="Spring review", commentary="Well done.",
                                              organisation="Test School")
    return _cache["page"]


@pytest.fixture
def no_charts(monkeypatch):
    monkeypatch.setattr(report, "svg_of", lambda *a, **k: None)


def test_every_pillar_score_and_component_label_is_shown(page, small_dataset, period):
    card = scoring.score_pillars(small_dataset, period)
    for p in card.pillars.values():
        assert f'{p.score:.0f}<span class="outof">/100</span>' in page
        for c in p.components:
            assert report.e(c.label) in page
            assert report.e(c.how) in page


def test_hand_counted_values_appear(page):
    # repeat share: ann and bob twice, cat once -> 2 of 3 people
    assert re.search(r"<strong>Repeat involvement</strong>.*?<td class=\"n\">67%", page, re.S)
    # community content share: 3 contributions + 1 community post of 6 items in all
    assert re.search(r"<strong>Community share of all content</strong>.*?<td class=\"n\">67%", page, re.S)
    # 2 activities in 14 days = 2 / (14 / 30.4375) per month
    assert f"{2 / (14 / 30.4375):.2f}" == "4.35"
    assert re.search(r"<strong>Community activities per month</strong>.*?<td class=\"n\">4.3 activities per month",
                     page, re.S)


def test_sections_and_charts_are_present(page):
    for section in ("scores", "vanity", "network", "pyramid", "ideas", "components", "coverage", "commentary"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 5  # 4 component charts, vanity weekly, pyramid
    assert "Chart not available" not in page


def test_nothing_is_loaded_from_outside_and_there_is_no_script(page):
    assert "<script" not in page.lower()
    t = parsed(page)
    for tag, name, value in t.attrs:
        assert not name.startswith("on"), (tag, name)
        if name in ("src", "href", "xlink:href"):
            assert value.startswith("#"), (tag, name, value)
    assert not re.search(r"@import", page)
    assert all(u.startswith("#") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", page))
    assert not re.search(r"<[^>]*https?:", page)  # no URL in any tag (text mentions would be escaped)
    assert {"script", "iframe", "object", "embed", "img", "link", "foreignobject"}.isdisjoint(t.tags)


def test_chart_ids_are_unique_across_the_page(page):
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_names_are_pseudonymised_when_asked(small_dataset, period, page):
    assert "ann@x.org" not in page.lower()
    assert privacy.pseudonym("ann@x.org", SALT) in page
    named = report.snapshot_for_report(small_dataset, period, salt=SALT, pseudonymise=False)
    assert "ann@x.org" in report.render_report({"network": named["network"]})


def test_hostile_text_is_only_ever_escaped(snapshot, no_charts):
    snap = dict(snapshot)
    snap["network"] = {**snapshot["network"], "top_connectors": [
        {"person": IMG, "reach_in_period": 1, "downstream_reach": 1, "direct_referrals": 1, "converted": 0, "depth": 1},
        {"person": SCRIPT, "reach_in_period": 1, "downstream_reach": 1, "direct_referrals": 1, "converted": 0,
         "depth": 1}]}
    snap["scorecard"] = {**snapshot["scorecard"], "inputs": [
        {"file_name": IMG + ".csv", "source_label": SCRIPT, "tables": {"involvement": 1}, "rejected": 0,
         "error": None, "start": None, "end": None}]}
    page = report.render_report(snap, title=SCRIPT, commentary=COMMENTARY, organisation=IMG)
    low = page.lower()
    assert "<script" not in low and "<img" not in low
    assert not re.search(r"<[^>]*javascript:", low)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;" in page
    t = parsed(page)
    assert "a" not in t.tags and "img" not in t.tags
    assert not any(name.startswith("on") for _, name, _ in t.attrs)


def test_svg_text_from_the_chart_data_is_escaped():
    df = pd.DataFrame({"who": [IMG, SCRIPT], "n": [1, 2]})
    svg = report.svg_of(alt.Chart(df, title=SCRIPT).mark_bar().encode(y="who:N", x="n:Q"), "t")
    assert svg is not None and svg.startswith("<svg")
    assert "<img" not in svg and "<script" not in svg.lower()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "&lt;img src=x onerror=alert(1)&gt;" in texts
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in texts


@pytest.mark.parametrize("svg, ok", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect id="a" clip-path="url(#a)"/></svg>', True),
    ('<svg><script>alert(1)</script></svg>', False),
    ('<svg><rect onload="alert(1)"/></svg>', False),
    ('<svg><a href="https://example.org"><text>x</text></a></svg>', False),
    ('<svg><use href="https://example.org/x.svg#a"/></svg>', False),
    ('<svg><rect fill="url(https://example.org/p)"/></svg>', False),
    ('<svg><foreignObject><div>x</div></foreignObject></svg>', False),
    ('<div>not svg</div>', False),
])
def test_clean_svg_keeps_only_inert_local_svg(svg, ok):
    out = report.clean_svg(svg, "p1")
    assert (out is not None) == ok
    if ok:
        assert 'id="p1-a"' in out and "url(#p1-a)" in out and "http" not in out


@pytest.mark.parametrize("value, unit, expected", [
    (0.6667, "share of involved people", "67%"),
    (4.3482, "activities per month", "4.35"),
    (20, "people per 1,000 followers", "20"),
    (0.2, "converted referrals per involved person", "0.2"),
    (1234.5, "attendees per 1,000 followers", "1,234"),
    (None, "anything", "–"),
    (float("nan"), "anything", "–"),
])
def test_fmt_value(value, unit, expected):
    assert fmt.value(value, unit) == expected


def test_commentary_keeps_paragraphs_and_line_breaks():
    assert report._paragraphs("a<b\nc\n\n\nd") == "<p>a&lt;b<br>c</p><p>d</p>"


def test_a_bare_scorecard_renders_its_score_sections(small_dataset, period, no_charts):
    card = scoring.score_pillars(small_dataset, period)
    page = report.render_report(card)
    assert '<section id="scores">' in page and '<section id="network">' not in page
    assert "<script" not in page.lower()


# ---------------------------------------------------------------- command line

LOG = ("Date,Person,Action,Source,Value,Referred by,Post ID,Notes\n"
       "2026-03-02,ann,visit,facebook,,,,\n"
       "2026-03-03,bob,call,website,,ann,,\n"
       "2026-03-09,ann,donation,facebook,25,,,\n")


def test_report_command_writes_a_report(tmp_path, capsys, no_charts):
    log = tmp_path / "involvement_log.csv"
    log.write_text(LOG, encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text(COMMENTARY, encoding="utf-8")
    out = tmp_path / "r.html"
    rc = cli.report_command([str(log)], str(out), period="2026-03-01:2026-03-14", commentary_path=str(note),
                               organisation=IMG)
    assert rc == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "1 Mar 2026 – 14 Mar 2026" in page
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "Person " in page and ">ann<" not in page  # the connector is pseudonymised


@pytest.mark.parametrize("case", ["missing_input", "missing_folder", "bad_period", "unreadable", "bad_settings"])
def test_report_command_bad_input_is_one_plain_line(tmp_path, capsys, case):
    log = tmp_path / "involvement_log.csv"
    log.write_text(LOG, encoding="utf-8")
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01\x02 not a table")
    settings = tmp_path / "s.json"
    settings.write_text('{"targets": {"k_factor": -1}}', encoding="utf-8")
    args = {
        "missing_input": ([str(tmp_path / "nope.csv")], tmp_path / "r.html", {}),
        "missing_folder": ([str(log)], tmp_path / "no" / "r.html", {}),
        "bad_period": ([str(log)], tmp_path / "r.html", {"period": "2026-03-14:2026-03-01"}),
        "unreadable": ([str(junk)], tmp_path / "r.html", {}),
        "bad_settings": ([str(log)], tmp_path / "r.html", {"settings_path": str(settings)}),
    }[case]
    rc = cli.report_command(args[0], str(args[1]), **args[2])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    assert not args[1].exists()


def test_what_changed_lines_are_shown_escaped(snapshot, no_charts):
    page = report.render_report(snapshot, changes=["Involvement rose from 40 to 52 (+12 points).", "New data: " + IMG])
    assert '<section id="changes">' in page
    assert "<li>Involvement rose from 40 to 52 (+12 points).</li>" in page
    assert "<li>New data: &lt;img src=x onerror=alert(1)&gt;</li>" in page


def test_the_report_carries_a_policy_with_no_script_and_no_connection(page):
    from tests.test_safety import csp_directives

    d = csp_directives(page)
    assert d["script-src"] == d["connect-src"] == d["default-src"] == d["frame-src"] == ["'none'"]
    assert d["img-src"] == ["data:"] and d["style-src"] == ["'unsafe-inline'"]
    assert page.index("Content-Security-Policy") < page.index("<style>")  # in force before anything it governs
