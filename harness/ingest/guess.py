"""Propose a mapping for a file no reader recognised: which table it feeds and which column is which.

The Data page shows the proposal as a card in plain labels ("Date of the post", "Who referred
them") with one confirm button. The guess reads the header words (the templates' synonyms,
``templates._names_for``) AND the values (dates, emails, numbers, yes/no, links, platform and
action words), so a column called ``Horodateur`` full of dates is still a date, and the kind of
data is chosen from what the file holds rather than defaulting to social posts.

Rules that decide a proposal:

* Each column's values are sniffed from up to 200 non-empty cells (:func:`value_kind`).
* A canonical column is scored against each file column: header words (exact synonym 1.0, a
  synonym inside the header 0.7) weighted 0.6 and value fit 0.4; with no header match, only
  a distinctive value kind (dates, emails, links) can propose it, at a low score.
* Columns are assigned greedily, best score first, each file column used once, at score >= 0.3.
* A table's score is the mean score of its signature columns, halved when a required column
  (one with no sensible default) is missing. The best table wins; ties go to the order of
  ``schema.TABLES`` after the logs (people's own logs are the commonest unrecognised files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from harness import schema
from harness.ingest import people as P
from harness.ingest.registry import Raw
from harness.ingest.templates import _automatic, _names_for
from harness.ingest.values import norm_header

SAMPLE = 200
MIN_SCORE = 0.3

# What each column means, as a person would say it (shown on the mapping card).
LABELS: dict[str, dict[str, str]] = {
    "posts": {"post_id": "The post's id or number", "platform": "Which platform", "published_at": "Date of the post",
              "author_kind": "Posted by you or by someone else", "author": "Who posted it", "text": "The post's text",
              "url": "Link to the post", "post_type": "Type of post (photo, video...)",
              "reactions": "Likes or reactions", "comments": "Comments or replies", "shares": "Shares or reposts",
              "saves": "Saves or bookmarks", "clicks": "Clicks", "views": "Views or impressions",
              "reach": "People reached"},
    "audience": {"date": "The day", "platform": "Which platform", "followers": "Total followers that day",
                 "new_followers": "New followers that day", "views": "Page views that day",
                 "reach": "People reached that day", "visits": "Profile visits that day",
                 "link_clicks": "Link clicks that day", "interactions": "Interactions that day"},
    "involvement": {"record_id": "Your own id for the row", "occurred_at": "When it happened",
                    "person": "Who (email or name)", "action": "What they did", "source": "How they heard about you",
                    "value": "Money or hours given", "referred_by": "Who referred them",
                    "post_id": "The post that prompted it"},
    "referrals": {"record_id": "Your own id for the row", "occurred_at": "When they were referred",
                  "referrer": "Who recommended you", "referred": "Who they recommended you to",
                  "channel": "How (email, word of mouth...)", "converted": "Did they get involved? (yes/no)"},
    "contributions": {"record_id": "Your own id for the row", "created_at": "When it was made",
                      "contributor": "Who made it", "platform": "Where it appeared",
                      "kind": "What kind (photo, review...)", "used_by_org": "Did you use it? (yes/no)",
                      "engagement": "Likes, comments and shares it got"},
    "community": {"record_id": "Your own id for the row", "occurred_at": "When it happened",
                  "activity": "What the activity was", "kind": "What kind (event, partnership...)",
                  "partner": "Partner organisation", "attendees": "People who came or were reached",
                  "hours": "Hours given", "sales_related": "Aimed at a sale or enrolment? (yes/no)"},
}

# Plain names for the kinds of data (the card's "What does each row record?").
TABLE_LABELS = {
    "involvement": "People getting involved (enquiries, visits, sign-ups, donations...)",
    "referrals": "Recommendations (who referred whom)",
    "contributions": "Content people made for you",
    "community": "Community activities",
    "posts": "Social media posts",
    "audience": "Followers and page activity per day",
}
ORDER = ("involvement", "referrals", "contributions", "community", "posts", "audience")

SIGNATURE = {
    "posts": ("published_at", "post_id", "reactions", "comments", "shares", "views", "text", "url"),
    "audience": ("date", "followers", "new_followers", "views", "visits", "reach"),
    "involvement": ("occurred_at", "person", "action", "source", "referred_by", "value"),
    "referrals": ("occurred_at", "referrer", "referred", "converted", "channel"),
    "contributions": ("created_at", "contributor", "kind", "platform", "used_by_org", "engagement"),
    "community": ("occurred_at", "activity", "kind", "partner", "attendees", "hours"),
}

DISTINCTIVE = {
    "contributions": {"kind", "platform", "used_by_org", "engagement"},
    "community": {"activity", "partner", "attendees", "hours", "sales_related"},
}

_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DATE = re.compile(rf"(?:\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}})|(?:\b(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}\b)|"
                   rf"(?:\b\d{{1,2}}\s+(?:de\s+)?(?:{_MONTHS})[a-z]*)|(?:\d{{4}}-\d{{2}}-\d{{2}}T)", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBER = re.compile(r"^[-+]?[£$€]?\s?\d[\d,. ]*%?$")
_URL = re.compile(r"^(https?://|www\.)", re.I)
_NAME = re.compile(r"^[A-ZÀ-Ý][\w'’.-]+(\s+[A-ZÀ-Ý][\w'’.-]+){1,3}$")
_BOOLS = {"yes", "no", "y", "n", "true", "false", "oui", "non", "si", "sí", "ja", "nein"}
_ID = re.compile(r"^([A-Za-z]{1,6}[-_])?[0-9A-Za-z]{6,}$")


def value_kind(values: pd.Series) -> str:
    """The kind of data in a column: date, email, url, bool, id, number, platform, action, name, text or empty."""
    s = values.dropna().astype(str).str.strip()
    s = s[(s != "") & (s != "-")].head(SAMPLE)
    if s.empty:
        return "empty"

    def share(mask) -> float:
        return float(pd.Series(mask, index=s.index).mean())

    if share(s.str.match(_EMAIL)) >= 0.6:
        return "email"
    if share(s.str.match(_URL)) >= 0.6:
        return "url"
    if share(s.str.lower().isin(_BOOLS)) >= 0.8:
        return "bool"
    if share(s.str.contains(_DATE)) >= 0.6:  # exports hold the odd broken row; those rows are rejected later
        return "date"
    if share(s.str.match(_NUMBER)) >= 0.9:
        digits = s.str.replace(r"\D", "", regex=True).str.len()
        if digits.min() >= 9 and s.is_unique:
            return "id"
        return "number"
    if share(s.str.match(_ID) & s.str.contains(r"\d")) >= 0.9 and s.is_unique:
        return "id"
    low = s.str.lower()
    if share(low.map(lambda v: P.classify_source(v) in schema.SOCIAL_PLATFORMS)) >= 0.6:
        return "platform"
    if share(low.map(lambda v: P.classify_action(v) != "other")) >= 0.6:
        return "action"
    if share(s.str.match(_NAME)) >= 0.6:
        return "name"
    return "text"


_PERSONS = {"person", "referred_by", "referrer", "referred", "contributor", "author"}


def _fits(table: str, col: schema.Column, kind: str) -> float:
    """How well values of ``kind`` suit canonical column ``col`` (1 fits, 0 conflicts)."""
    if kind == "empty":
        return 0.0  # an empty column proves nothing: proposing it would map nothing
    name = col.name
    if col.dtype == schema.TIME:
        return 1.0 if kind == "date" else 0.0
    if name in _PERSONS:
        return {"email": 1.0, "name": 0.9, "text": 0.4}.get(kind, 0.0)
    if col.dtype in (schema.INT, schema.FLOAT):
        return 1.0 if kind == "number" else 0.0
    if col.dtype == schema.BOOL:
        return {"bool": 1.0, "number": 0.3, "text": 0.3}.get(kind, 0.0)
    if name == "url":
        return 1.0 if kind == "url" else 0.0
    if name in ("post_id", "record_id"):
        return {"id": 1.0, "number": 0.7, "url": 0.2}.get(kind, 0.2 if kind == "text" else 0.0)
    if name in ("platform", "source", "channel"):
        return {"platform": 1.0, "text": 0.5, "action": 0.2}.get(kind, 0.0)
    if name == "action":
        return {"action": 1.0, "text": 0.5}.get(kind, 0.0)
    if kind in ("date", "number", "email", "url", "bool", "id"):
        return 0.0  # free-text columns (activity, kind, text, partner) hold words
    return 0.8


# Words that, inside a header, point at a column (form questions are sentences: "Where did you hear about us?").
_WORDS = {
    "occurred_at": ("timestamp", "date", "created", "horodateur", "marca temporal", "zeitstempel", "submitted"),
    "created_at": ("timestamp", "date", "created", "submitted"),
    "published_at": ("publish", "posted", "date"),
    "person": ("email", "e mail", "courriel", "correo", "name", "nom", "nombre"),
    "source": ("hear", "heard", "found us", "find us", "source", "connu", "conociste", "channel"),
    "referred_by": ("referred", "referral", "recommended", "referrer", "parrain", "introduced"),
    "referrer": ("referrer", "referred by", "recommended by", "advocate", "who referred", "referred you",
                 "recommended us", "recommended you"),
    "referred": ("referred email", "friend", "referee", "invitee"),
    "action": ("would you like", "interested in", "what did", "type of"),
    "followers": ("followers", "subscribers", "abonnés", "seguidores"),
    "new_followers": ("new follow", "follows", "gained"),
    "reactions": ("likes", "reactions"),
    "views": ("views", "impressions"),
}


def _header_score(table: str, column: str, header: str) -> float:
    h = norm_header(header)
    if (h.endswith(" id") or h == "id") and not column.endswith("_id"):
        return 0.0  # "ticket_type_id" holds ids, not the type
    names = [norm_header(n) for n in _names_for(table, column)]
    if any(f" {w} " in f" {h} " for w in _WORDS.get(column, ())):
        names.append(h) if h in names else None
        return 1.0 if h in names else 0.7
    if h in names:
        return 1.0
    if any(len(n) > 3 and f" {n} " in f" {h} " for n in names):
        return 0.7
    return 0.0


@dataclass
class Proposal:
    table: str
    score: float
    columns: dict[str, str]  # canonical column -> file header
    kinds: dict[str, str] = field(default_factory=dict)  # file header -> value kind
    missing: list[str] = field(default_factory=list)  # required canonical columns not found
    defaults: dict[str, str] = field(default_factory=dict)  # e.g. the platform, guessed from the file name
    date_format: str | None = None  # set only for layouts the general date reader does not know

    @property
    def mapping(self) -> dict:
        """The proposal as a mapping ``templates.apply_mapping`` accepts."""
        return {"table": self.table, "columns": dict(self.columns), "defaults": dict(self.defaults),
                "date_format": self.date_format, "dayfirst": None}

    def rows(self) -> list[dict]:
        """What the card shows: plain label, the file's column, what its values look like."""
        return [{"What it means": LABELS[self.table][c], "Your column": h, "Looks like": KIND_WORDS[self.kinds[h]]}
                for c, h in self.columns.items()]


KIND_WORDS = {"date": "dates", "email": "email addresses", "url": "links", "bool": "yes or no", "id": "ids",
              "number": "numbers", "platform": "platform names", "action": "kinds of action", "name": "names",
              "text": "text", "empty": "empty"}


def _propose_for(raw: Raw, table: str, kinds: dict[str, str]) -> Proposal:
    candidates = []
    for col in schema.TABLES[table]:
        for header in raw.frame.columns:
            fit = _fits(table, col, kinds[header])
            hs = _header_score(table, col.name, header)
            if hs:
                score = 0.6 * hs + 0.4 * fit if fit > 0 else 0.0
            elif kinds[header] in ("date", "email", "url") and fit == 1.0 and col.name != "record_id":
                score = 0.35
            else:
                score = 0.0
            if score >= MIN_SCORE:
                candidates.append((score, col.name, header))
    chosen: dict[str, str] = {}
    scores: dict[str, float] = {}
    for score, name, header in sorted(candidates, key=lambda t: -t[0]):
        if name in chosen or header in chosen.values():
            continue
        chosen[name], scores[name] = header, score
    sig = SIGNATURE[table]
    total = sum(scores.get(c, 0.0) for c in sig) / len(sig)
    # The platform of a posts/followers file is rarely a column: the card asks for it (guessed from the name).
    missing = [c.name for c in schema.TABLES[table]
               if not c.nullable and not _automatic(table, c.name) and c.name not in chosen and c.name != "platform"]
    if missing:
        total *= 0.5
    if table in DISTINCTIVE and not DISTINCTIVE[table] & set(chosen):
        total *= 0.5  # a date and a name fit every log: a content or activity log needs one of its own columns
    if set(chosen) <= {schema.TIME_COLUMN[table], "record_id"}:
        total *= 0.3  # a date alone says nothing about what the rows record
    ordered = {c: chosen[c] for c in schema.columns(table) if c in chosen}
    defaults = {}
    time_col = ordered.get(schema.TIME_COLUMN[table])
    date_format = _date_format(raw.frame[time_col]) if time_col is not None else None
    if "platform" in schema.columns(table) and "platform" not in ordered:
        found = P.classify_source(norm_header(raw.file_name))
        if found in schema.SOCIAL_PLATFORMS:
            defaults["platform"] = found
        elif not schema.TABLES[table][1].nullable and table in ("posts", "audience"):
            missing.append("platform")
    return Proposal(table, total, ordered, kinds, missing, defaults, date_format)


# Layouts the general date reader does not take, as strftime patterns (Google Forms in several locales).
_FORMATS = (
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2} [AP]M GMT$"), "%Y/%m/%d %I:%M:%S %p GMT"),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2} GMT$"), "%Y/%m/%d %H:%M:%S GMT"),
)


def _date_format(cells: pd.DataFrame | pd.Series) -> str | None:
    s = cells.iloc[:, 0] if isinstance(cells, pd.DataFrame) else cells
    s = s.dropna().astype(str).str.strip()
    s = s[s != ""].head(SAMPLE)
    for pattern, fmt in _FORMATS:
        if len(s) and s.str.match(pattern).all():
            return fmt
    return None


def propose(raw: Raw, table: str | None = None) -> Proposal:
    """The best proposal for ``raw`` (or the proposal for ``table`` when the person chose one)."""
    kinds = {h: value_kind(raw.frame.iloc[:, i]) for i, h in enumerate(raw.frame.columns)}
    if table is not None:
        return _propose_for(raw, table, kinds)
    best = None
    for t in ORDER:
        p = _propose_for(raw, t, kinds)
        if best is None or p.score > best.score + 1e-9:
            best = p
    return best


def refusal(file_name: str, raws: list[Raw], reports=()) -> str | None:
    """A plain message when a file is not a table anyone could map (empty, an image...); None otherwise."""
    usable = [r for r in raws if len(r.frame.columns) and len(r.frame)]
    if usable:
        return None
    if any(len(r.frame.columns) for r in raws):
        return f"{file_name} was not loaded: it has column headings but no rows under them, so there is nothing to read."
    reason = next((r.error for r in reports if getattr(r, "error", None)), None)
    if reason:
        reason = reason.split(". Supported")[0].split(". For any other")[0]
        reason = reason[len(file_name) + 2:] if reason.startswith(f"{file_name}: ") else reason
        return f"{file_name} was not loaded: it is not a table we can read ({reason.rstrip('.')})."
    return (f"{file_name} was not loaded: it is not a table we can read (no rows under a header). Upload the CSV "
            "or Excel file your platform exported.")


# A file waiting for its mapping is saved in the workspace like any other (so it survives a reload) with this
# marker as its mapping; nothing reads it until the person confirms a mapping.
PENDING = {"pending": True}


def is_pending(mapping) -> bool:
    """Whether a stored file's mapping (a dict or its JSON text) is the waiting-for-a-mapping marker."""
    if isinstance(mapping, str):
        if '"pending"' not in mapping:
            return False
        import json

        try:
            mapping = json.loads(mapping)
        except ValueError:
            return False
    return isinstance(mapping, dict) and mapping.get("pending") is True
