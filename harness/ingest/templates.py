"""The product's own log templates, and column mappings for any other table.

Staff keep four logs that no platform exports (involvement, referrals,
contributions, community). :data:`TEMPLATES` defines their headers; files
using them - as CSV or XLSX, with generous header synonyms ("When" for
Date, "Recommended by" for Referred by, "For sales?" for Sales related) -
are recognised automatically. Any other table is read through an explicit
mapping (a plain JSON-able dict, saved as a reusable preset by the app)::

    {"table": "involvement",
     "columns": {"occurred_at": "When", "person": "Email", "action": "Type"},
     "defaults": {"source": "unknown"},
     "date_format": null,      # strftime pattern, or null to guess
     "dayfirst": true}         # null = decide from the file (day-first if unclear)

Rules that change numbers:

* Dates: ISO ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` in the templates, local
  time taken as UTC. Other layouts are guessed; ``03/04/2025`` is read
  day-first unless a day above 12 in the file shows it is month-first (or
  the mapping says otherwise), with a warning when it was a guess.
* Action and source words are matched by ``people.classify_action`` /
  ``people.classify_source`` ("Phone call" -> call, "Insta" -> instagram); a
  blank action is ``other`` and a blank source ``unknown``. Kinds outside
  the vocabulary are ``other``. Booleans are yes/no, true/false, y/n, 1/0.
* A row is rejected (with its line number) when a required value - the date,
  the referrer and referred person, the contributor, the activity - is
  empty or unreadable; an unreadable optional number or yes/no becomes null
  and is named in a warning.
* ``record_id`` is the ``ID`` column when filled (IDs must then be unique
  within each log), else a hash of the values that identify the row -
  involvement: when, who, action; referrals: referrer and referred (the
  same pair from a form or a booking is the same recommendation);
  contributions: when, contributor, kind, platform; community: when,
  activity, kind, partner (``values.hash_rows``) - plus ``#2``, ``#3`` for
  identical rows in one file. Editing a note or a value and uploading again updates the row
  instead of adding a second one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from harness import schema
from harness.schema import trim_cells
from harness.ingest import people as P
from harness.ingest.build import ColumnReader
from harness.ingest import values as V
from harness.ingest.registry import Parsed, Raw, Source, register
from harness.ingest.timestamps import dmy_parts, infer_dayfirst
from harness.ingest.values import (find_column, norm_header, parse_bools, parse_ids, parse_ints, parse_iso_dates,
                                   parse_numbers, regex_mask)


@dataclass(frozen=True)
class Field:
    header: str  # as written in the template
    column: str | None  # canonical column; None = kept in the file only (Notes, Link)
    description: str
    example: str
    synonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header,) + self.synonyms


@dataclass(frozen=True)
class Template:
    name: str  # = the canonical table it feeds
    file_name: str
    description: str
    fields: tuple[Field, ...]
    detect_needs: tuple[str, ...]  # canonical columns that must be recognisable

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]

    def field(self, column: str) -> Field | None:
        return next((f for f in self.fields if f.column == column), None)


ID_FIELD = Field("ID", "record_id", "Optional: your own unique id for the row, so uploads never double count.",
                 "", ("record id", "row id", "ref", "reference", "id number"))
_DATE = ("when", "timestamp", "date time", "datetime", "date and time", "day", "occurred", "occurred at",
         "time", "date of action")
_NOTES = ("notes", "note", "comment", "comments", "details", "remarks")


def _t(name, file_name, description, needs, *fields) -> Template:
    return Template(name, file_name, description, tuple(Field(*f) for f in fields), needs)


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    _t("involvement", "involvement_log.csv",
       "One row per real-world action: a call, visit, enquiry, volunteering, donation, enrolment...",
       ("occurred_at", "action"),
       ("Date", "occurred_at", "When it happened: YYYY-MM-DD or YYYY-MM-DD HH:MM.", "2025-09-14 10:30", _DATE),
       ("Person", "person", "Who: an email address or a name (blank if anonymous).", "sam.lee@example.org",
        ("name", "email", "who", "contact", "full name", "email address", "e mail", "visitor", "person name")),
       ("Action", "action", "One of: enquiry, call, visit, volunteer, donation, enrolment, event, membership, other.",
        "visit", ("type", "what", "action type", "kind", "involvement", "what they did", "activity type")),
       ("Source", "source", "What brought them: facebook, instagram, linkedin, x, youtube, tiktok, referral, "
        "word_of_mouth, website, email, search, community_event, press, other or unknown.", "facebook",
        ("channel", "how heard", "how did they hear", "how did they hear about us", "heard via", "came from",
         "origin", "lead source", "heard about us")),
       ("Value", "value", "Money (donations, fees) or hours (volunteering); blank if none.", "",
        ("amount", "hours", "money", "donation", "donation amount", "value gbp", "value usd", "sum")),
       ("Referred by", "referred_by", "Who recommended us to them, if known (email or name).", "alex@example.org",
        ("referrer", "recommended by", "referral", "referred by whom", "who referred them", "introduced by")),
       ("Post ID", "post_id", "The social post that prompted it, if known (id as shown by the platform).", "",
        ("post", "post link", "post url", "post id number")),
       ("Notes", None, "Anything else (not used in scores).", "Came to the open morning after our post", _NOTES)),
    _t("referrals", "referrals_log.csv",
       "One row per recommendation: who recommended us to whom.",
       ("occurred_at", "referrer", "referred"),
       ("Date", "occurred_at", "When the recommendation was made: YYYY-MM-DD.", "2025-09-14", _DATE),
       ("Referrer", "referrer", "Who recommended us (email or name).", "alex@example.org",
        ("referred by", "recommended by", "from", "who recommended", "advocate", "recommender", "introduced by")),
       ("Referred", "referred", "Who they recommended us to (email or name).", "sam.lee@example.org",
        ("referee", "friend", "to", "recommended to", "new person", "invitee", "person referred", "who")),
       ("Channel", "channel", "How: a platform, email, word_of_mouth, event...", "word_of_mouth",
        ("how", "via", "medium", "source", "method")),
       ("Converted", "converted", "yes if the referred person went on to get involved, no if not, blank if unknown.",
        "yes", ("joined", "got involved", "outcome", "result", "success", "involved"))),
    _t("contributions", "contributions_log.csv",
       "One row per piece of content the community created about us (photos, reviews, posts...).",
       ("created_at", "contributor"),
       ("Date", "created_at", "When it was created or sent to us: YYYY-MM-DD.", "2025-09-14",
        _DATE + ("created", "created at", "submitted")),
       ("Contributor", "contributor", "Who made it (email or name).", "Year 6 parent",
        ("creator", "author", "by", "who", "person", "name", "made by", "submitted by")),
       ("Platform", "platform", "Where it appeared: facebook, instagram, website, newsletter...", "instagram",
        ("where", "site", "network", "channel", "posted on")),
       ("Kind", "kind", "One of: photo, video, story, review, testimonial, post, article, other.", "photo",
        ("type", "content type", "format", "what", "content")),
       ("Used by us", "used_by_org", "yes if we used or shared it, no if not.", "yes",
        ("used", "shared", "reshared", "we shared", "used by org", "used by organisation", "used by school",
         "shared by us", "used by us yes no")),
       ("Engagement", "engagement", "Reactions + comments + shares it received, if known.", "42",
        ("interactions", "reactions", "likes")),
       ("Link", None, "Where to find it (not used in scores).", "https://www.instagram.com/p/example/",
        ("url", "permalink")),
       ("Notes", None, "Anything else (not used in scores).", "Sports day photo we reshared", _NOTES)),
    _t("community", "community_log.csv",
       "One row per activity in the wider community (events, partnerships, services, sponsorships...).",
       ("occurred_at", "activity"),
       ("Date", "occurred_at", "When it happened: YYYY-MM-DD.", "2025-09-20", _DATE),
       ("Activity", "activity", "What it was, in your words.", "Litter pick on the high street",
        ("what", "event", "title", "name", "activity name", "description")),
       ("Kind", "kind", "One of: event, partnership, service, sponsorship, volunteering, media, other.",
        "volunteering", ("type", "category")),
       ("Partner", "partner", "Partner organisation, if any.", "Rotary Club",
        ("partner organisation", "partner organization", "with", "organisation", "organization", "partners")),
       ("Attendees", "attendees", "People reached or attending, if known.", "25",
        ("people", "reach", "people reached", "attendance", "participants", "number of people", "audience")),
       ("Hours", "hours", "Hours given, if known.", "3", ("time given", "volunteer hours", "duration")),
       ("Sales related", "sales_related", "yes if it aimed at a sale or enrolment, no if pure good citizenship.",
        "no", ("for sales", "sales", "commercial", "promotional", "recruitment", "enrolment related",
               "sales related yes no")),
       ("Notes", None, "Anything else (not used in scores).", "", _NOTES)),
)}

# Small synonym lists so a mapping can be suggested for the social tables too.
_EXTRA_SYNONYMS = {
    "post_id": ("post id", "id", "tweet id", "video id", "media id"),
    "published_at": ("publish time", "published", "date", "posted", "post time", "created", "time"),
    "date": ("date", "day"),
    "platform": ("platform", "network", "channel"),
    "reactions": ("likes", "reactions", "like count"),
    "comments": ("comments", "replies"),
    "shares": ("shares", "retweets", "reposts"),
    "views": ("views", "impressions", "plays"),
    "text": ("text", "caption", "title", "message", "description"),
    "url": ("url", "link", "permalink"),
    "followers": ("followers", "total followers"),
    "new_followers": ("new followers", "follows", "followers gained"),
}

IDENTITY = {
    "involvement": ("occurred_at", "person", "action"),
    "referrals": ("referrer", "referred"),
    "contributions": ("created_at", "contributor", "kind", "platform"),
    "community": ("occurred_at", "activity", "kind", "partner"),
}
_PERSONS = {c for cols in schema.PERSON_COLUMNS.values() for c in cols}
_KINDS = {"contributions": schema.CONTRIBUTION_KINDS, "community": schema.COMMUNITY_KINDS}
_KIND_WORDS = {
    "image": "photo", "picture": "photo", "pic": "photo", "reel": "video", "clip": "video", "quote": "testimonial",
    "blog": "article", "news": "article", "partner": "partnership", "sponsor": "sponsorship",
    "volunteer": "volunteering", "press": "media", "radio": "media", "interview": "media", "newspaper": "media",
    "fair": "event", "workshop": "event",
}


class MappingError(ValueError):
    """A mapping that cannot be applied; the message is plain language."""


# --------------------------------------------------------------------------- blank templates


def _template(name: str) -> Template:
    key = name.removesuffix(".csv").removesuffix(".xlsx").removesuffix("_log")
    if key not in TEMPLATES:
        raise KeyError(f"no template called '{name}' (templates: {', '.join(TEMPLATES)})")
    return TEMPLATES[key]


def blank_template_csv(name: str) -> bytes:
    """The template's header and one example row as plain UTF-8 CSV."""
    t = _template(name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(t.headers)
    w.writerow([f.example for f in t.fields])
    return buf.getvalue().encode("utf-8")


def blank_template_xlsx(name: str) -> bytes:
    """The template as a one-sheet workbook; each header carries its description as a comment."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    t = _template(name)
    wb = Workbook()
    ws = wb.active
    ws.title = t.name.capitalize()
    ws.append(t.headers)
    ws.append([f.example for f in t.fields])
    for cell, f in zip(ws[1], t.fields):
        cell.font = Font(bold=True)
        cell.comment = Comment(f.description, "Harnessing Connections")
        ws.column_dimensions[cell.column_letter].width = max(14, min(40, len(f.example) + 4))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- mapping


def _names_for(table: str, column: str) -> tuple[str, ...]:
    t = TEMPLATES.get(table)
    f = ID_FIELD if column == "record_id" else (t.field(column) if t else None)
    return (column, column.replace("_", " ")) + (f.names if f else ()) + _EXTRA_SYNONYMS.get(column, ())


def _exact_matches(raw: Raw, table: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for c in schema.columns(table):
        hit = find_column([x for x in raw.frame.columns if x not in found.values()], *_names_for(table, c))
        if hit is not None:
            found[c] = hit
    return found


def suggest_mapping(raw: Raw, table: str) -> dict:
    """Best-guess mapping of ``raw``'s columns onto ``table`` (exact synonyms, then headers containing one)."""
    cols = _exact_matches(raw, table)
    for c in schema.columns(table):
        if c in cols:
            continue
        for name in _names_for(table, c):
            word = f" {norm_header(name)} "
            hit = next((x for x in raw.frame.columns if x not in cols.values()
                        and len(word) > 5 and word in f" {norm_header(x)} "), None)
            if hit is not None:
                cols[c] = hit
                break
    return {"table": table, "columns": cols, "defaults": {}, "date_format": None, "dayfirst": None}


def _automatic(table: str, column: str) -> bool:
    """Required columns that have a sensible fallback, so need no mapping."""
    return column in ("record_id", "action", "source", "kind", "author_kind")


def _resolve(headers: list[str], name: object) -> str | None:
    if not isinstance(name, str):
        return None
    if name in headers:
        return name
    return find_column(headers, name)


def validate_mapping(mapping: object, headers: list[str]) -> list[str]:
    """Plain-language problems with ``mapping`` for a file with ``headers``; empty when it can be applied."""
    if not isinstance(mapping, dict):
        return ["The mapping must be a set of 'our column: your column' pairs (a JSON object)."]
    table = mapping.get("table")
    if table not in schema.TABLES:
        return [f"Choose which table the file feeds ({', '.join(schema.TABLES)}); got '{table}'."]
    problems = []
    headers = [str(h) for h in headers]
    columns, defaults = mapping.get("columns") or {}, mapping.get("defaults") or {}
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        return ["'columns' and 'defaults' must each be a set of 'our column: value' pairs."]
    ours = schema.columns(table)
    for key in list(columns) + list(defaults):
        if key not in ours:
            problems.append(f"'{key}' is not a column of {table} (its columns: {', '.join(ours)}).")
    for key, name in columns.items():
        if name in (None, ""):
            continue
        if _resolve(headers, name) is None:
            problems.append(f"Column '{name}' (for {key}) is not in the file; its columns are: "
                            f"{', '.join(headers[:20])}{' ...' if len(headers) > 20 else ''}.")
    for col in schema.TABLES[table]:
        if col.nullable or _automatic(table, col.name) or columns.get(col.name) or \
                defaults.get(col.name) not in (None, ""):
            continue
        problems.append(f"{table} needs '{col.name}' ({col.doc.rstrip('.')}): pick the column that holds it.")
    fmt = mapping.get("date_format")
    if fmt is not None and (not isinstance(fmt, str) or "%" not in fmt):
        problems.append(f"date_format must be a pattern such as '%d/%m/%Y %H:%M' (got {fmt!r}).")
    if mapping.get("dayfirst") not in (None, True, False):
        problems.append("dayfirst must be true, false or empty.")
    return problems


def _cells(raw: Raw, file_col: str | None, default: object) -> pd.Series:
    s = P.text(raw, file_col)
    if default not in (None, ""):
        s = s.fillna(str(default))
    return s


def _platform(value: str, table: str) -> str:
    """Known networks by name; the social tables allow only PLATFORMS, other tables keep the text."""
    found = P.classify_source(value)
    if found in schema.SOCIAL_PLATFORMS:
        return found
    return "other" if table in ("posts", "audience") else str(value).strip().lower()


def _kind(value: str, vocab: tuple[str, ...]) -> str:
    key = norm_header(value)
    for word in (key, key.rstrip("s")):
        if word in vocab:
            return word
    return next((k for w, k in _KIND_WORDS.items() if w in key and k in vocab), "other")


def apply_mapping(raw: Raw, mapping: dict) -> Parsed:
    """Read ``raw`` into ``mapping['table']`` using ``mapping``; raises ``MappingError`` if it does not fit."""
    problems = validate_mapping(mapping, list(raw.frame.columns))
    if problems:
        raise MappingError(" ".join(problems))
    table = mapping["table"]
    columns = {k: _resolve(list(raw.frame.columns), v) for k, v in (mapping.get("columns") or {}).items() if v}
    defaults = mapping.get("defaults") or {}
    rows = ColumnReader(raw)
    out = {}
    for col in schema.TABLES[table]:
        if col.name == "record_id":
            continue
        file_col, default = columns.get(col.name), defaults.get(col.name)
        if file_col is not None and default in (None, "") and _cleans_itself(col):
            cells = P.cells_of(raw, file_col)  # the parser trims and drops placeholders itself
        else:
            cells = _cells(raw, file_col, default)
        out[col.name] = _parse(table, col, cells, file_col, mapping, rows)
    df = pd.DataFrame(out, index=raw.frame.index)
    if "record_id" in schema.columns(table):
        df["record_id"] = _record_ids(raw, table, df, columns.get("record_id"))
    # Hashed ids are unique by construction (#2, #3 for repeats); only an ID column can repeat one.
    return rows.parsed({table: df}, columns, unique_ids="record_id" in df and columns.get("record_id") is None)


def _cleans_itself(col: schema.Column) -> bool:
    """Columns ``_parse`` reads with a parser that cleans the cells (dates, numbers, yes/no, ids)."""
    if col.dtype == schema.STR:
        return col.name.endswith("_id") and col.name not in _PERSONS and col.name not in _WORD_COLUMNS
    return col.dtype in (schema.TIME, schema.INT, schema.FLOAT, schema.BOOL)


_WORD_COLUMNS = {"action", "source", "kind", "author_kind", "platform", "channel"}


def _parse(table: str, col: schema.Column, cells: pd.Series, file_col: str | None, mapping: dict,
           rows: ColumnReader) -> pd.Series:
    name, label = col.name, file_col or col.name
    if col.dtype == schema.TIME:
        values, bad = _dates(cells, mapping, rows)
        rows.reject(bad, lambda i: f"'{label}' is not a date: '{P.shown(cells[i])}'")
    elif name == "action":
        return P.map_text(cells, P.classify_action, "other")
    elif name == "source":
        return P.map_text(cells, P.classify_source, "unknown")
    elif name == "kind":
        return P.map_text(cells, lambda v: _kind(v, _KINDS[table]), "other")
    elif name == "author_kind":
        return P.map_text(cells, lambda v: "community" if "commun" in v.lower() else "organisation",
                          "organisation")
    elif name == "platform":
        values = P.map_text(cells, lambda v: _platform(v, table))
    elif name == "channel":
        values = P.map_text(cells, P.channel_word)
    elif name in _PERSONS:
        values = schema.normalise_person(cells)
    elif col.dtype == schema.STR and name.endswith("_id"):
        values = parse_ids(cells)[0]
    elif col.dtype in (schema.INT, schema.FLOAT, schema.BOOL):
        parse, what = {schema.INT: (parse_ints, "a whole number"), schema.FLOAT: (parse_numbers, "a number"),
                       schema.BOOL: (parse_bools, "yes or no")}[col.dtype]
        values, bad = parse(cells)
        if file_col:
            rows.note_bad(file_col, bad, what)
    else:
        values = cells
    if not col.nullable:
        rows.reject(values.isna(), f"'{label}' is empty")
    return values


def _dates(cells: pd.Series, mapping: dict, rows: ColumnReader) -> tuple[pd.Series, pd.Series]:
    fmt, dayfirst = mapping.get("date_format"), mapping.get("dayfirst")
    if fmt:
        return P.read_dates(cells, dayfirst=bool(dayfirst), formats=[fmt])
    iso = parse_iso_dates(cells)  # the templates' own layout: no day-first question to ask
    if iso is not None:
        return iso
    if dayfirst is None:
        ambiguous = regex_mask(cells, P.DMY_LIKE)
        # The day/month counts in one Arrow pass (timestamps.dmy_parts), not a Python regex per cell.
        first, _second = dmy_parts(cells) if ambiguous.any() else (np.zeros(0), np.zeros(0))
        dayfirst = infer_dayfirst(cells, default=True) if ambiguous.any() else True
        if dayfirst and ambiguous.any() and not (first > 12).any():
            rows.warnings.append(f"Dates such as '{cells[ambiguous].iloc[0]}' were read day-first (day/month/year); "
                                 "if they are month-first, set that in the column mapping.")
    return P.read_dates(cells, dayfirst=dayfirst, try_iso=False)


def _record_ids(raw: Raw, table: str, df: pd.DataFrame, id_col: str | None) -> pd.Series:
    timed = [c for c in IDENTITY[table] if isinstance(df[c].dtype, pd.DatetimeTZDtype)]
    parts = [df[c].astype("str") for c in IDENTITY[table] if c not in timed]
    # Instants are hashed as numbers (UTC microseconds), never formatted as text first.
    micros = tuple(df[c].dt.tz_convert(None).to_numpy().astype("datetime64[us]").view("int64") for c in timed)
    # Referrals share their id with the same pair reported by forms and bookings.
    hashed = P.stable_ids("referral:" if table == "referrals" else "log:", parts, micros)
    if id_col is None:
        return hashed
    ids = parse_ids(P.text(raw, id_col))[0]
    return ids.fillna(hashed)


# --------------------------------------------------------------------------- template sources


def _detector(t: Template):
    def detect(raw: Raw) -> float:
        found = _exact_matches(raw, t.name)
        if not all(c in found for c in t.detect_needs):
            return 0.0
        wanted = [f.column for f in t.fields if f.column]
        share = sum(c in found for c in wanted) / len(wanted)
        # Generic words ("When, Who, What") fit several logs: without two of the
        # template's own headers, guess only when most of its columns are there,
        # otherwise the upload view asks the user to map the columns.
        own = sum(find_column(raw.frame.columns, f.header) is not None for f in t.fields if f.column)
        if own < 2 and share < 0.75:
            return 0.0
        return 0.55 + 0.4 * share
    return detect


def _without_example(raw: Raw, t: Template) -> tuple[Raw, int]:
    """Drop rows that are still the template's example row (people forget to delete it)."""
    cols = {f.header: f.example for f in t.fields if find_column(raw.frame.columns, f.header) == f.header}
    if len(cols) < len(t.fields) - 1:
        return raw, 0
    # Only rows whose cell is the longest example can be the example row: check the rest on those alone.
    key = max(cols, key=lambda h: len(cols[h]))
    if cols[key]:
        holds = pc.fill_null(pc.equal(trim_cells(V.arrow_cells(P.cells_of(raw, key))), cols[key]), False)
        candidates = raw.frame.index[np.asarray(holds.to_numpy(zero_copy_only=False), dtype=bool)]
    else:
        candidates = raw.frame.index
    if not len(candidates):
        return raw, 0
    same = pd.Series(False, index=raw.frame.index)
    same[candidates] = True
    for header, example in cols.items():
        cells = V.clean_text(P.cells_of(raw, header).loc[candidates])
        same[candidates] &= cells.fillna("").eq(example).to_numpy(dtype=bool)
    if not same.any():
        return raw, 0
    keep = ~same
    return (replace(raw, frame=raw.frame.loc[keep], line_numbers=lambda: raw.line_numbers.loc[keep]),
            int(same.sum()))


def _reader(t: Template):
    def read(raw: Raw) -> Parsed:
        raw, examples = _without_example(raw, t)
        parsed = apply_mapping(raw, suggest_mapping(raw, t.name))
        if examples:
            parsed.warnings.insert(0, "The template's example row was skipped; delete it from your log.")
        return parsed
    return read


for _t_ in TEMPLATES.values():
    register(Source(f"template_{_t_.name}", f"{_t_.name.capitalize()} log (template)", (_t_.name,),
                    _detector(_t_), _reader(_t_), f"the {_t_.file_name} template: {', '.join(_t_.headers)}"))
