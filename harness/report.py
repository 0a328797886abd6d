"""A self-contained HTML report of a review: one file that works offline and prints to PDF.

What goes in is a review *snapshot*: the dict ``reviews.build_snapshot``
freezes at publish time (:func:`snapshot_for_report` makes one directly and
adds ``coverage``). The report reads only these keys, and leaves out any
section whose key is missing:

* ``scorecard`` – ``Scorecard.to_dict()``: period, previous_period, pillars
  (label, score, change, reading, status, components), inputs (files used)
* ``settings`` – ``targets.settings_to_dict()``; ``org_type`` picks the ideas
* ``vanity`` – ``summary`` (rows of ``vanity.summary``), ``weekly`` (rows of
  ``vanity.vanity_vs_real``, ``bucket`` as ISO text), optional ``freq``
  ("W" default, "MS"), ``correlation.reading``
* ``network`` – ``NetworkMetrics.to_dict()``: headline figures at its top
  level (or under ``headline``), ``change``, ``top_by_reach`` rows (or
  ``top_connectors``), names already pseudonymised when asked
* ``pseudonymised`` – says which kind of names the connectors table holds
* ``pyramid`` – rows of ``pyramid.pyramid_counts``
* ``coverage`` – table -> {start, end, rows} or None (optional)
* ``generated_at`` – ISO time the snapshot was taken

Rules that keep the file safe and offline:

* Every piece of text that can come from an upload or a person (names,
  captions, commentary, organisation, file names) goes through
  ``html.escape``. Commentary keeps paragraphs, line breaks, **bold**, *italics*
  and lists (``safety.commentary_html``, every span escaped); nothing becomes a link.
* Charts are Altair charts from ``harness.charts`` turned into inline SVG by
  vl-convert (no JavaScript). The SVG is parsed as XML before it is
  inlined: a script, foreignObject, link, image, animation or style element,
  an event-handler attribute, or a non-local href or url() drops the chart
  (a note is shown instead). Namespace URLs are removed
  (HTML5 does not need them) and element ids get a per-chart prefix so that
  several charts on one page do not share clip paths.
* No ``<script>``, no external stylesheet, font or image: the page loads
  nothing, and its Content-Security-Policy (``safety.csp_meta``: no script at
  all, no network connection, images only ``data:``) keeps it so even if
  something slipped past escaping. Print CSS sets A4 pages and starts each
  section on a new page.
"""

from __future__ import annotations

import json
import re
import secrets
from xml.etree import ElementTree

import pandas as pd

from harness import charts, ideas, safety
from harness import format as fmt
from harness.safety import commentary_html, html_text
from harness.snapshot_views import NETWORK_FIGURES
from harness.targets import PILLARS

VL_VERSION = "6.4"  # the Vega-Lite version altair 6.3 writes (alt.SCHEMA_VERSION v6.4.x)
CHART_WIDTH = 640
IDEAS_LIMIT = 6


# ------------------------------------------------------------------ snapshot


def snapshot_for_report(dataset, period=None, settings=None, *, salt: str | None = None,
                        pseudonymise: bool = True, platforms=None) -> dict:
    """A review snapshot (``reviews.build_snapshot``) plus the data coverage, for a report made directly."""
    from harness import reviews, targets

    snap = reviews.build_snapshot(dataset, period, settings or targets.default_settings(),
                                  salt if salt is not None else secrets.token_hex(16),
                                  pseudonymise=pseudonymise, platforms=platforms)
    snap["coverage"] = coverage(dataset)
    return snap


def coverage(dataset) -> dict:
    """Per canonical table: {start, end, rows} of its data, or None when nothing was uploaded."""
    out = {}
    for name, span in dataset.coverage().items():
        out[name] = None if span is None else {
            "start": span[0].isoformat(), "end": span[1].isoformat(), "rows": int(len(dataset[name]))}
    return out


# ------------------------------------------------------------------ formatting


# Escaped text for element content or a quoted attribute.
e = html_text


def _span(d: dict) -> str:
    return fmt.date_range(d.get("start"), d.get("end"))


def _period_label(p: dict | None) -> str:
    if not p:
        return ""
    return f"{_span(p)} ({p.get('days', '?')} days)"


def _paragraphs(text) -> str:
    """Plain text as escaped paragraphs; single newlines become line breaks."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join(f"<p>{e(b).replace(chr(10), '<br>')}</p>" for b in blocks if b)


def _table(headers: list[str], rows: list[list[str]], cls: str = "", text_cols: int = 1) -> str:
    """A table from already-escaped cell HTML; the first ``text_cols`` columns are text, the rest numbers."""
    def cell(tag, i, c):
        return f'<{tag} class="{"t" if i < text_cols else "n"}">{c}</{tag}>'
    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# ------------------------------------------------------------------ charts as SVG

_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "image", "a", "use", "animate", "set",
                    "animatemotion", "animatetransform", "style", "feimage"}
_EXTERNAL_URL = re.compile(r"url\(\s*(?!['\"]?#)", re.I)
_XMLNS = re.compile(r"""\sxmlns(?::\w+)?="[^"]*\"""")


# Text is measured with DejaVu Sans (wide) so that it still fits when a browser draws it with a narrower
# sans-serif; the CSS asks for the same font first.
CHART_CONFIG = {"font": "DejaVu Sans", "axisY": {"labelLimit": 320}, "view": {"continuousWidth": 520}}


def _configured(spec: dict) -> dict:
    config = dict(spec.get("config") or {})
    for key, value in CHART_CONFIG.items():
        config[key] = {**(config.get(key) or {}), **value} if isinstance(value, dict) else value
    return {**spec, "config": config}


def _fixed_width(spec, width: int):
    """Replace ``width: "container"`` (needs a browser) with a number, recursively."""
    if isinstance(spec, dict):
        return {k: (width if k == "width" and v == "container" else _fixed_width(v, width)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_fixed_width(v, width) for v in spec]
    return spec


def svg_of(chart, prefix: str, width: int = CHART_WIDTH) -> str | None:
    """Inline SVG for an Altair chart, or None when it cannot be made safely offline."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    spec = _configured(_fixed_width(chart.to_dict(), width))
    try:
        svg = vlc.vegalite_to_svg(json.dumps(spec), vl_version=VL_VERSION)
    except Exception:  # noqa: BLE001 - a chart that cannot be drawn must not stop the report
        return None
    return clean_svg(svg, prefix)


def clean_svg(svg: str, prefix: str) -> str | None:
    """The SVG ready to inline, or None when it holds anything active or external."""
    svg = svg.strip()
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    if not svg.startswith("<svg") or not _inert(svg):
        return None
    head, rest = svg.split(">", 1)
    svg = _XMLNS.sub("", head) + ">" + rest
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _inert(svg: str) -> bool:
    """True when no element or attribute of the SVG can run code or fetch anything.

    Parsed as XML, so text (escaped by the renderer) is never mistaken for markup.
    """
    if "<!DOCTYPE" in svg or "<!ENTITY" in svg:
        return False
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return False
    for el in root.iter():
        if _local(el.tag) in _ACTIVE_ELEMENTS:
            return False
        for name, value in el.attrib.items():
            local = _local(name)
            if local.startswith("on") or (local in ("href", "src") and not value.startswith("#")):
                return False
            if local != "aria-label" and (_EXTERNAL_URL.search(value) or "@import" in value):
                return False
    return True


def _figure(chart_fn, prefix: str, caption: str) -> str:
    try:
        chart = chart_fn()
    except (ValueError, KeyError, TypeError):
        chart = None
    svg = svg_of(chart, prefix) if chart is not None else None
    if svg is None:
        return f'<p class="note">(Chart not available in this file: {e(caption)}.)</p>'
    return f'<figure role="img" aria-label="{e(caption)}">{svg}<figcaption>{e(caption)}</figcaption></figure>'


# ------------------------------------------------------------------ sections


def _pillar_overview(card: dict) -> str:
    cards = []
    for key, p in card.get("pillars", {}).items():
        colour = charts.PILLAR_COLOURS.get(key, "#333333")
        score = fmt.number(p.get("score"))
        change = p.get("change")
        delta = ""
        if fmt.as_number(change) is not None:
            arrow = "▲" if change > 0.5 else "▼" if change < -0.5 else "■"
            delta = f'<div class="delta">{arrow} {fmt.change(change, missing="")} on the previous period</div>'
        elif p.get("score") is not None:
            delta = '<div class="delta">no previous score to compare</div>'
        cards.append(
            f'<div class="pillar" style="border-top-color:{colour}"><div class="plabel">{e(p.get("label", key))}</div>'
            f'<div class="score">{score}<span class="outof">/100</span></div>{delta}'
            f'<div class="reading">{e(p.get("reading") or p.get("status") or "")}</div>{_partial(p)}</div>')
    prev = card.get("previous_period")
    return (f'<section id="scores"><h2>The four pillars</h2>'
            f'<p class="note">Scores run from 0 to 100 (100 = every target reached). Change is against '
            f'{e(_period_label(prev))}. Likes, followers and views never raise a score.</p>'
            f'<div class="pillars">{"".join(cards)}</div></section>')


def _partial(p: dict) -> str:
    """The "From N of M measures" line with what is missing and how to add it (nothing when complete)."""
    from harness.scoring import partial_note

    note = partial_note(p)
    return f'<div class="partial">{e(note)}</div>' if note else ""


def _component_rows(p: dict) -> list[list[str]]:
    rows = []
    for c in p.get("components", []):
        unit = c.get("unit") or ""
        what = (f'<strong>{e(c.get("label"))}</strong><div class="how">{e(c.get("how"))}</div>'
                f'<div class="src">Target from: {e(c.get("target_source"))}</div>')
        if not c.get("available"):
            what += f'<div class="why">Not counted: {e(c.get("reason"))}</div>'
        elif c.get("reason"):
            what += f'<div class="why">{e(c.get("reason"))}</div>'
        value = e(c["shown"]) if c.get("available") and c.get("shown") else fmt.value(c.get("value"), unit)
        rows.append([what, f'{value}<div class="unit">{e(unit)}</div>',
                     fmt.value(c.get("previous_value"), unit), fmt.value(c.get("target"), unit),
                     fmt.number(c.get("weight"), 1), fmt.number(c.get("score")) if c.get("available") else "–",
                     fmt.number(c.get("contribution"), 1) if c.get("available") else "–"])
    return rows


def _pillar_details(card: dict) -> str:
    parts = []
    for key, p in card.get("pillars", {}).items():
        colour = charts.PILLAR_COLOURS.get(key, "#333333")
        score = "no score" if p.get("score") is None else f"{p['score']:.0f}/100"
        table = _table(["Measure", "Value", "Previous", "Target", "Weight", "Score", "Points"],
                       _component_rows(p), "components")
        fig = _figure(lambda: charts.component_chart(p, colour), f"comp-{key}",
                      f"{p.get('label', key)}: each measure's score out of 100")
        parts.append(f'<div class="pillar-detail"><h3 style="color:{colour}">{e(p.get("label", key))} — {score}</h3>'
                     f'<p>{e(p.get("reading") or p.get("status") or "")}</p>{_partial(p)}{table}{fig}</div>')
    return ('<section id="components"><h2>How each score is made</h2>'
            '<p class="note">Each measure scores 100 × value ÷ target (at most 100). The pillar score is the '
            'weighted mean of the measures that can be worked out; "Points" is what each adds to it.</p>'
            + "".join(parts) + "</section>")


def _vanity(v: dict) -> str:
    rows = []
    for r in v.get("summary", []):
        digits = 1 if r.get("metric") == "real_actions_per_1k_reactions" else 0
        kind = "Vanity (context only)" if r.get("kind") == "vanity" else "Real involvement"
        rows.append([e(r.get("label")), e(kind), fmt.number(r.get("current"), digits), fmt.number(r.get("previous"), digits),
                     fmt.change(r.get("change"), digits, missing="")])
    table = _table(["Figure", "Kind", "This period", "Previous", "Change"], rows, "figures", 2) if rows else ""
    weekly = pd.DataFrame(v.get("weekly") or [])
    fig = ""
    if len(weekly) and "bucket" in weekly:
        weekly["bucket"] = pd.to_datetime(weekly["bucket"], utc=True)
        label = fmt.bucket_label(v.get("freq"))
        fig = _figure(lambda: charts.vanity_vs_real_chart(weekly, label), "vanity",
                      "Vanity (grey) above real actions (blue), on the same time axis")
    corr = (v.get("correlation") or {}).get("reading")
    return ('<section id="vanity"><h2>Vanity vs real</h2>'
            '<p class="note">Likes, followers and views beside calls, visits, volunteering and donations. '
            'Vanity figures are shown for context and never raise a score.</p>'
            f'{table}{fig}' + (f"<p>{e(corr)}</p>" if corr else "") + "</section>")


def _network(n: dict, pseudonymised) -> str:
    h, ch = n.get("headline") or n, n.get("change") or {}
    rows = []
    for key, label, digits, pct in NETWORK_FIGURES:
        v = h.get(key)
        value = fmt.share(v) if pct else fmt.number(v, digits)
        rows.append([e(label), value, fmt.change(ch.get(key), 0 if pct else digits, pct, missing="")])
    headline = _table(["Figure", "This period", "Change"], rows, "figures")
    people = n.get("top_by_reach") or n.get("top_connectors") or []
    names = "pseudonyms (names hidden)" if pseudonymised else "names as uploaded"
    top = _table(["Person", "Reach in period", "All downstream", "Direct referrals", "Converted", "Depth"],
                 [[e(r.get("person")), fmt.number(r.get("reach_in_period")), fmt.number(r.get("downstream_reach")),
                   fmt.number(r.get("direct_referrals")), fmt.number(r.get("converted")), fmt.number(r.get("depth"))]
                  for r in people], "figures") if people else '<p class="note">No connectors in this period.</p>'
    return ('<section id="network"><h2>Connections of connections</h2>'
            '<p class="note">Depth 1 found you directly; depth 2 was brought in by a depth-1 person, and so on.</p>'
            f'{headline}<h3>Top connectors</h3><p class="note">By people reached through them in the period; '
            f'shown with {names}.</p>{top}</section>')


def _pyramid(rows: list[dict]) -> str:
    table = _table(["Level", "Counted as", "People", "Previous", "Change"],
                   [[f'<strong>{e(r.get("label"))}</strong><div class="how">{e(r.get("description"))}</div>',
                     e(("estimate: " if r.get("estimate") else "") + str(r.get("basis") or "")),
                     fmt.number(r.get("people")), fmt.number(r.get("previous_people")), fmt.change(r.get("change"), missing="")]
                    for r in reversed(rows)], "figures pyramid", 2)
    df = pd.DataFrame(rows)
    fig = _figure(lambda: charts.pyramid_chart(df), "pyramid", "People at each level of engagement")
    return f'<section id="pyramid"><h2>Engagement pyramid</h2>{table}{fig}</section>'


def _ideas(card: dict, org_type) -> str:
    comps = [(c["key"], c.get("score") if c.get("available") else None)
             for p in card.get("pillars", {}).values() for c in p.get("components", [])]
    try:
        chosen = ideas.ideas_for(comps, org_type, limit=IDEAS_LIMIT)
    except ValueError:
        chosen = ideas.ideas_for(comps, None, limit=IDEAS_LIMIT)
    labels = {c["key"]: c.get("label") for p in card.get("pillars", {}).values() for c in p.get("components", [])}
    items = "".join(
        f'<li><strong>{e(i.title)}</strong> <span class="tag">{e(PILLARS.get(i.pillar, i.pillar))} · '
        f'{e(labels.get(i.component, i.component))} · {e(i.effort)} effort</span>'
        f'<p>{e(i.detail)}</p><p class="how">Why: {e(i.why)}</p></li>' for i in chosen)
    body = f"<ol class=\"ideas\">{items}</ol>" if items else "<p>Every measure is at its target.</p>"
    return f'<section id="ideas"><h2>What to try next</h2><p class="note">For the weakest measures first.</p>{body}</section>'


TABLE_NAMES = {"involvement": "Involvement log", "posts": "Posts", "audience": "Audience (followers, reach)",
               "contributions": "Community contributions", "referrals": "Referrals", "community": "Community activities"}


def _coverage(snapshot: dict) -> str:
    cov = snapshot.get("coverage") or {}
    rows = [[e(TABLE_NAMES.get(k, k)), e(_span(v) if v else "nothing uploaded"), fmt.number(v.get("rows")) if v else "0"]
            for k, v in cov.items()]
    parts = [_table(["Data", "Dates covered", "Rows"], rows, "figures", 2)] if rows else []
    inputs = (snapshot.get("scorecard") or {}).get("inputs") or []
    if inputs:
        parts.append("<h3>Files used</h3>" + _table(
            ["File", "Read as", "Dates", "Rows", "Rejected"],
            [[e(i.get("file_name")), e(i.get("error") and f"not read: {i['error']}" or i.get("source_label")),
              e(_span(i) if i.get("start") else "–"),
              fmt.number(sum((i.get("tables") or {}).values())), fmt.number(i.get("rejected"))] for i in inputs],
            "figures files", 3))
    if not parts:
        return ""
    return '<section id="coverage"><h2>Data coverage</h2>' + "".join(parts) + "</section>"


CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d0d7de}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);
 margin:0 auto;max-width:1000px;padding:24px;line-height:1.45;font-size:15px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:21px;margin:28px 0 8px;border-bottom:2px solid var(--line);
 padding-bottom:4px}h3{font-size:17px;margin:18px 0 6px}
.sub{color:var(--muted);margin:0 0 16px}.note{color:var(--muted);font-size:13px}
.pillars{display:grid;grid-template-columns:repeat(2,1fr);gap:12px}
.pillar{border:1px solid var(--line);border-top:6px solid;border-radius:6px;padding:10px 14px;break-inside:avoid}
.plabel{font-weight:600}.score{font-size:40px;font-weight:700;line-height:1.1}.outof{font-size:16px;color:var(--muted)}
.delta{font-size:13px;color:var(--muted)}.reading{font-size:14px;margin-top:6px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.n{text-align:right;white-space:nowrap}.t{overflow-wrap:anywhere}
tr{break-inside:avoid}
.partial{font-size:13px;margin-top:6px;padding:6px 8px;border-left:3px solid #9a6700;background:#fff8e6}
.how,.src,.unit{color:var(--muted);font-size:12px;white-space:normal}.why{color:#9a6700;font-size:12px}
.pillar-detail{break-inside:avoid-page}
figure{margin:8px 0 16px;break-inside:avoid}figure svg{max-width:100%;height:auto;display:block}
figure svg text{font-family:"DejaVu Sans","Liberation Sans",Arimo,Arial,Helvetica,sans-serif}
figcaption{color:var(--muted);font-size:12px}
.commentary{border-left:4px solid #0072B2;background:#f6f8fa;padding:8px 14px;white-space:normal;
 overflow-wrap:anywhere}
.ideas li{margin-bottom:10px;break-inside:avoid}.ideas p{margin:2px 0}.tag{color:var(--muted);font-size:12px}
footer{margin-top:32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;padding:0;font-size:11pt}
 section{break-before:page}section#scores,section#commentary,section#changes{break-before:auto}
 h2,h3{break-after:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def render_report(snapshot, *, title: str | None = None, commentary: str = "", organisation: str = "",
                  changes: list[str] | None = None) -> str:
    """The review as one self-contained HTML page (see the module docstring).

    ``snapshot`` is a snapshot dict, or a ``Scorecard`` (only the score
    sections are then shown). ``changes``: the review's "what changed since
    the previous review" lines (``Review.changes``).
    """
    if hasattr(snapshot, "pillars") and hasattr(snapshot, "to_dict"):
        snapshot = {"scorecard": snapshot.to_dict()}
    card = snapshot.get("scorecard") or {}
    period = card.get("period") or snapshot.get("period")
    heading = title or (f"{organisation}: review" if organisation else "Harnessing Connections: review")
    org_type = (snapshot.get("settings") or {}).get("org_type")
    sections = []
    if commentary and str(commentary).strip():
        sections.append(f'<section id="commentary"><h2>Commentary from staff</h2>'
                        f'<div class="commentary">{commentary_html(commentary)}</div></section>')
    if changes:
        items = "".join(f"<li>{e(line)}</li>" for line in changes)
        sections.append(f'<section id="changes"><h2>What changed since the previous review</h2><ul>{items}</ul>'
                        "</section>")
    if card.get("pillars"):
        sections += [_pillar_overview(card)]
    if snapshot.get("vanity"):
        sections.append(_vanity(snapshot["vanity"]))
    if snapshot.get("network"):
        net = snapshot["network"]
        sections.append(_network(net, net.get("pseudonymised", snapshot.get("pseudonymised"))))
    if snapshot.get("pyramid"):
        sections.append(_pyramid(snapshot["pyramid"]))
    if card.get("pillars"):
        sections += [_ideas(card, org_type), _pillar_details(card)]
    sections.append(_coverage(snapshot))
    generated = snapshot.get("generated_at")
    sub = " · ".join(x for x in (e(organisation), e(_period_label(period))) if x)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + safety.csp_meta()
            + f"<title>{e(heading)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{e(heading)}</h1><p class=\"sub\">{sub}</p></header>"
            + "".join(s for s in sections if s)
            + f"<footer>Made with Harnessing Connections{' on ' + e(fmt.date(generated)) if generated else ''}. "
              "Figures are frozen as they were when this report was made. Print or “Save as PDF” from your "
              "browser for a paper copy.</footer></body></html>\n")
