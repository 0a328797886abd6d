"""Wider-community activities from the events and sign-ups staff already export.

Ingest finds every event in an export (``events`` table: one row per Eventbrite
event, SignUpGenius sign-up day, event sign-up form); this module proposes which
of them are *community activities*, applies the choices staff confirmed, and
merges the result with the hand-kept community log. Pure Python, no Streamlit.

Rules that change the numbers:

* **The proposal** (:func:`propose`) reads the event's name and kind words
  (ticket types, order types, "volunteer"), accents and case ignored, in
  English, French, Spanish, German, Portuguese, Italian and Dutch, first rule
  that applies wins:

  1. a *community word* (:data:`COMMUNITY_WORDS`: clean-up, litter pick, food
     bank, library, fair, festival, fete, charity, volunteer, community,
     neighbourhood, ... and their translations) -> a community activity;
  2. else a *sales word* (:data:`SALES_WORDS`: open day/evening, admissions,
     enrolment, taster, tour, sale, launch, webinar, ...) -> not one;
  3. else an *open word* (:data:`OPEN_WORDS`: free, open to all, everyone
     welcome, gratuit, gratis, kostenlos, ...) -> a community activity;
  4. else not one ("no community word in its name").

* **A choice wins over the proposal.** ``Settings.community_choices`` maps an
  event's ``record_id`` to True (it is a community activity) or False; events
  with no saved choice follow the proposal, in the app and the CLI alike.
* **Involvement-log rows of kind event or volunteer** (rows typed into the
  involvement log, not those read from an Eventbrite, SignUpGenius or form
  export, which give their own events) become one candidate per action and
  day when at least 3 rows share it (fewer is individual volunteering):
  "Volunteering on 3 Oct 2026", attendees = the rows that day. They
  are *not* proposed (the log does not say whom the day served): they count
  once staff confirm them.
* **The community log wins.** A log activity and an event describe the same
  activity when they fall on the same day and one name's words contain the
  other's, or they share at least half their words (ignoring short words and
  "the", "day", ...). The event is then left out: the log row (typed by
  staff) is kept as it is.
* **Aimed at a sale** (``sales_related``) is set by ingest: a paid ticket or
  order (price above 0, an order type that is not free or complimentary) or a
  sales word in the name -> yes; a free ticket or order, or a volunteer
  sign-up, with no sales word -> no; else a sales word decides.
* **Partner**: a partner column in the export when it has one, else the words
  after "with", "in partnership with", "avec", "con", "mit", "com", "met"...
  in the name, else an institution named in it (library, food bank, council,
  museum, care home, ... as written in the name).
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from harness import schema


def fold(text: object) -> str:
    """Lower-case, accents removed, hyphens/underscores/slashes as spaces, spaces collapsed."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    t = re.sub(r"[-_/·.,;:!?()\[\]\"']+", " ", t)
    return " ".join(t.split())


def _words(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Patterns run on ``fold``-ed text (no accents, lower case, hyphens as spaces). \b where a short word
# would hit inside others ("fair" in "affair"); compounds (German "Sommerfest") by a suffix pattern.
COMMUNITY_WORDS = _words(
    # English
    r"\bclean ?ups?\b", r"\bbeach clean", r"\blitter ?pick", r"\bfood ?banks?\b", r"\bfood drive", r"\blibrar(y|ies)\b",
    r"\bfairs?\b", r"\bfestivals?\b", r"\bfetes?\b", r"\bcharit(y|ies|able)\b", r"\bvolunteer", r"\bcommunity\b",
    r"\bneighbou?rhood\b", r"\bsoup kitchen", r"\bcare home", r"\bshelter\b", r"\bblood drive", r"\btoy drive",
    r"\bcoat drive", r"\brepair cafe", r"\bplanting\b", r"\bfundraiser for\b", r"\bdonation drive",
    # French
    r"\bnettoyage\b", r"\bramassage\b", r"\bbanque alimentaire", r"\bbibliotheque", r"\bmediatheque",
    r"\bfete\b", r"\bfoire\b", r"\bkermesse", r"\bcaritati", r"\bbenevol", r"\bsolidari", r"\bcollecte\b",
    # Spanish
    r"\blimpieza\b", r"\bbanco de alimentos", r"\bbiblioteca", r"\bferia\b", r"\bfiesta\b", r"\bbenefic",
    r"\bcaridad\b", r"\bvoluntari", r"\bcomunidad\b", r"\bcomunitari", r"\brecogida\b",
    # German
    r"aufraum", r"mullsammel", r"\bputzaktion", r"\btafel\b", r"bibliothek", r"\bbucherei", r"fest\b",
    r"wohltatig", r"\bbenefiz", r"\behrenamt", r"\bfreiwillig", r"nachbarschaft",
    # Portuguese
    r"\blimpeza\b", r"\bbanco alimentar", r"\bfeira\b", r"\bfesta\b", r"\bbeneficente", r"\bsolidari",
    r"\bvoluntari", r"\bcomunidade\b", r"\bmutirao\b", r"\brecolha\b",
    # Italian
    r"\bpulizia\b", r"\bbanco alimentare", r"\bfiera\b", r"\bsagra\b", r"\bbeneficenza", r"\bvolontari",
    r"\bcomunita\b", r"\braccolta\b",
    # Dutch
    r"\bopruim", r"zwerfafval", r"\bschoonmaak", r"voedselbank", r"bibliotheek", r"\bkermis\b", r"\bfeest\b",
    r"\bbraderie", r"\bgoede doel", r"liefdadigheid", r"\bbenefiet", r"\bvrijwillig", r"\bbuurt",
)
SALES_WORDS = _words(
    r"\bopen (day|days|evening|morning|afternoon|house|week)\b", r"\badmissions?\b", r"\benrol", r"\benroll",
    r"\btaster\b", r"\btours?\b", r"\bsales?\b", r"\blaunch\b", r"\bwebinar", r"\bdemo\b", r"\bprospectus",
    r"\binformation (evening|session|morning)", r"\binfo (evening|session)", r"\bapplicants?\b", r"\bpromo",
    # French, Spanish, German, Portuguese, Italian, Dutch
    r"\bportes? ouvertes?\b", r"\binscription", r"\bpuertas abiertas", r"\bmatricula", r"\bventa\b",
    r"\btag der offenen tur", r"\banmeldung", r"\bverkauf", r"\bportas abertas", r"\bvenda\b",
    r"\bporte aperte", r"\biscrizion", r"\bvendita", r"\bopen dag", r"\binschrijving", r"\bverkoop",
)
OPEN_WORDS = _words(
    r"\bfree\b", r"\bopen to (all|everyone|the public)\b", r"\beveryone welcome\b", r"\ball welcome\b",
    r"\bgratuit", r"\bouvert a tous\b", r"\bgratis\b", r"\bgratuito\b", r"\babierto a todos\b", r"\bkostenlos\b",
    r"\boffen fur alle\b", r"\baberto a todos\b", r"\baperto a tutti\b", r"\bopen voor iedereen\b",
)

_PARTNER_AFTER = re.compile(
    r"\b(?:in partnership with|in association with|together with|hosted by|with|avec|en partenariat avec|"
    r"con|en colaboracion con|mit|in zusammenarbeit mit|com|em parceria com|in collaborazione con|"
    r"samen met|met)\s+(?:the\s+|la\s+|le\s+|el\s+|der\s+|die\s+|de\s+|a\s+|o\s+|il\s+)?(.+)$", re.IGNORECASE)
_PARTNER_STOP = re.compile(r"\s+(?:[-–(|,]|\d{4}\b|on\s+\d).*$")
INSTITUTIONS = _words(
    r"\bfood ?bank\b", r"\blibrary\b", r"\bcouncil\b", r"\bmuseum\b", r"\bcare home\b", r"\bhospital\b",
    r"\bhospice\b", r"\brotary( club)?\b", r"\blions club\b", r"\bscouts?\b", r"\bguides\b",
    r"\bbanque alimentaire\b", r"\bbibliotheque\b", r"\bmairie\b", r"\bbanco de alimentos\b", r"\bbiblioteca\b",
    r"\bayuntamiento\b", r"\btafel\b", r"\bbibliothek\b", r"\bbucherei\b", r"\bbanco alimentar\b",
    r"\bbanco alimentare\b", r"\bcomune\b", r"\bvoedselbank\b", r"\bbibliotheek\b", r"\bgemeente\b",
)

ORIGIN_LABELS = {
    "eventbrite": "Eventbrite attendees",
    "signupgenius": "SignUpGenius sign-ups",
    "form": "Event sign-up form",
    "involvement": "Involvement log",
}


def propose(name: object, kind: object = None) -> tuple[bool, str]:
    """Whether an event looks like a community activity, and why (see the module rules)."""
    text = fold(f"{name or ''} {kind or ''}")
    for words, verdict, why in (
        (COMMUNITY_WORDS, True, "its name or kind says “{}”, a community activity"),
        (SALES_WORDS, False, "its name says “{}”, which sounds aimed at a sale or enrolment"),
        (OPEN_WORDS, True, "it is “{}”: open to the community"),
    ):
        m = words.search(text)
        if m:
            return verdict, why.format(m.group(0).strip())
    return False, "no community word in its name or kind"


def sales_word(name: object) -> bool:
    return SALES_WORDS.search(fold(name)) is not None


def partner_from_name(name: object) -> str | None:
    """A partner named in an event's name (see the module rules), as written there."""
    if name is None or (isinstance(name, float) and name != name) or name is pd.NA:
        return None
    raw = " ".join(str(name).split())
    m = _PARTNER_AFTER.search(raw)
    if m:
        found = _PARTNER_STOP.sub("", m.group(1)).strip(" .")
        if found and fold(found) not in ("us", "you", "friends", "family", "families", "nous", "vous"):
            return found
    folded = fold(raw)
    m = INSTITUTIONS.search(folded)
    if m:
        # Give it back as written: find the same words in the original (accents and case as typed).
        words = m.group(0).split()
        original = re.search(r"[\s-]*".join(_loose(w) for w in words), raw, re.IGNORECASE)
        return (original.group(0) if original else m.group(0)).strip().capitalize()
    return None


def _loose(word: str) -> str:
    """A regex for ``word`` that also matches it with accents."""
    return "".join(f"[{re.escape(ch)}{_ACCENTED.get(ch, '')}]" for ch in word)


_ACCENTED = {"a": "àáâãäå", "e": "èéêë", "i": "ìíîï", "o": "òóôõö", "u": "ùúûü", "c": "ç", "n": "ñ"}


# ---------------------------------------------------------------- candidates, choices, activities

_EXPORT_PREFIXES = ("eventbrite:", "signupgenius:", "gforms:")
MIN_GROUP = 3  # involvement-log rows of one kind on one day that make a candidate activity
LOG_DAY_WHY = ("typed into the involvement log, which does not say whether the day served the wider community: "
               "confirm it if it did")
_DAY_NAMES = {"event": "Event", "volunteer": "Volunteering"}


def log_days(involvement: pd.DataFrame) -> pd.DataFrame:
    """Involvement-log rows of kind event/volunteer as one candidate per action and day (see rules)."""
    inv = involvement[involvement["action"].isin(list(_DAY_NAMES))]
    from_export = inv["record_id"].str.startswith(_EXPORT_PREFIXES)
    inv = inv[~from_export.fillna(False).astype(bool)]
    if not len(inv):
        return schema.empty("events")
    day = inv["occurred_at"].dt.floor("D")
    g = inv.assign(day=day).groupby(["action", "day"], sort=True)
    rows = []
    for (action, d), part in g:
        if len(part) < MIN_GROUP:
            continue  # one or two people on a day is individual volunteering, not an activity
        rows.append({
            "record_id": f"involvement:{action}:{d:%Y-%m-%d}",
            "occurred_at": d, "name": f"{_DAY_NAMES[action]} on {d:%-d %b %Y}", "origin": "involvement",
            "kind": action, "partner": None, "attendees": len(part),
            "sales_related": False if action == "volunteer" else None,
        })
    return schema.coerce("events", pd.DataFrame(rows)) if rows else schema.empty("events")


def candidates(ds, choices: dict | None = None) -> pd.DataFrame:
    """Every event that could be a community activity, with the proposal and the choice.

    Columns: the ``events`` columns plus ``proposed`` (bool), ``why`` (the rule's reason),
    ``choice`` (True/False saved by staff, or None), ``included`` (the choice, else the proposal) and
    ``in_log`` (the community log already describes it, so the log row counts instead).
    """
    ev = pd.concat([ds["events"], log_days(ds["involvement"])], ignore_index=True)
    ev = schema.coerce("events", ev) if len(ev) else schema.empty("events")
    choices = choices or {}
    verdicts = [(False, LOG_DAY_WHY) if o == "involvement" else propose(n, k)
                for n, k, o in zip(ev["name"], ev["kind"], ev["origin"])]
    out = ev.copy()
    out["proposed"] = pd.Series([v for v, _ in verdicts], index=ev.index, dtype="bool")
    out["why"] = pd.Series([w for _, w in verdicts], index=ev.index, dtype="str")
    out["choice"] = pd.Series([choices.get(r) for r in ev["record_id"]], index=ev.index, dtype="boolean")
    out["included"] = out["choice"].fillna(out["proposed"]).astype(bool)
    out["in_log"] = pd.Series(_matches_log(ev, hand_kept(ds["community"])), index=ev.index, dtype="bool")
    return out.sort_values("occurred_at", kind="stable").reset_index(drop=True)


_SHORT = frozenset({"the", "and", "our", "day", "for", "with", "des", "les", "del", "der", "die", "das", "und",
                    "una", "uno", "het", "een", "van", "dos", "das", "com", "con", "avec", "mit", "met", "2024",
                    "2025", "2026", "2027"})


def _name_words(name: object) -> frozenset[str]:
    return frozenset(w for w in fold(name).split() if len(w) >= 3 and w not in _SHORT)


def same_activity(a: object, b: object) -> bool:
    """Two names for one activity: one's words contain the other's, or they share half their words."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa or 2 * len(wa & wb) >= max(len(wa), len(wb))


def _matches_log(events: pd.DataFrame, log: pd.DataFrame) -> list[bool]:
    if not len(log) or not len(events):
        return [False] * len(events)
    by_day: dict = {}
    for d, name in zip(log["occurred_at"].dt.floor("D"), log["activity"]):
        by_day.setdefault(d, []).append(name)
    return [any(same_activity(n, other) for other in by_day.get(d, ()))
            for d, n in zip(events["occurred_at"].dt.floor("D"), events["name"])]


DERIVED = "event:"  # record_id prefix of activities made from events


def hand_kept(community_table: pd.DataFrame) -> pd.DataFrame:
    """The community log's own rows (without activities this module added)."""
    derived = community_table["record_id"].str.startswith(DERIVED).fillna(False).astype(bool)
    return community_table[~derived] if derived.any() else community_table


def activities(ds, choices: dict | None = None) -> pd.DataFrame:
    """The ``community`` table the pillar scores: the log plus the included events it does not describe.

    Idempotent: applied to its own output it gives the same table.
    """
    cand = candidates(ds, choices)
    log = hand_kept(ds["community"])
    use = cand[cand["included"] & ~cand["in_log"]]
    derived = pd.DataFrame({
        "record_id": DERIVED + use["record_id"],
        "occurred_at": use["occurred_at"],
        "activity": use["name"],
        "kind": use["origin"].map(lambda o: "volunteering" if o == "signupgenius" else "event"),
        "partner": use["partner"],
        "attendees": use["attendees"],
        "sales_related": use["sales_related"],
    })
    derived.loc[use["kind"].eq("volunteer").fillna(False).to_numpy(bool), "kind"] = "volunteering"
    if not len(derived):
        return log
    both = pd.concat([log, schema.coerce("community", derived)], ignore_index=True)
    return schema.coerce("community", both.sort_values("occurred_at", kind="stable"))


def with_activities(ds, choices: dict | None = None):
    """A Dataset like ``ds`` whose ``community`` table is :func:`activities` (``ds`` is not changed)."""
    from harness.dataset import Dataset

    if not len(ds["events"]) and not ds["involvement"]["action"].isin(list(_DAY_NAMES)).any():
        return ds
    tables = dict(ds.tables)
    tables["community"] = activities(ds, choices)
    return Dataset(tables=tables, inputs=list(ds.inputs))


# ---------------------------------------------------------------- what the pages show


def proposal_rows(ds, choices: dict | None = None) -> list[dict]:
    """One row per candidate event for the confirm step, in words (text from uploads is left raw: escape it)."""
    cand = candidates(ds, choices)
    rows = []
    for r in cand.itertuples(index=False):
        choice = None if pd.isna(r.choice) else bool(r.choice)
        if r.in_log:
            status = "In your community log: the log's row counts"
        elif choice is None:
            status = "Proposed: counted" if r.proposed else "Proposed: not counted"
        elif choice == bool(r.proposed):
            status = "Confirmed: counted" if choice else "Confirmed: not counted"
        else:
            status = "Changed: counted" if choice else "Changed: not counted"
        sale = None if pd.isna(r.sales_related) else bool(r.sales_related)
        rows.append({
            "record_id": r.record_id,
            "date": f"{r.occurred_at:%-d %b %Y}",
            "name": r.name,
            "from": ORIGIN_LABELS.get(r.origin, r.origin),
            "people": None if pd.isna(r.attendees) else int(r.attendees),
            "partner": None if pd.isna(r.partner) else r.partner,
            "aimed_at_sale": "not known" if sale is None else ("yes" if sale else "no"),
            "proposed": bool(r.proposed),
            "why": r.why,
            "choice": choice,
            "counted": bool(r.included) and not bool(r.in_log),
            "in_log": bool(r.in_log),
            "status": status,
        })
    return rows


def choose(settings: dict, record_id: str, counted: bool | None) -> dict:
    """New settings (JSON form) with the choice for one event; None removes it (back to the proposal)."""
    choices = dict(settings.get("community_choices") or {})
    if counted is None:
        choices.pop(record_id, None)
    else:
        choices[record_id] = bool(counted)
    return {**settings, "community_choices": choices}


def has_data(ds) -> bool:
    """Anything for the Wider community page: log rows, events from exports, or candidate log days."""
    return bool(len(ds["community"]) or len(ds["events"]) or len(log_days(ds["involvement"])))


def activity_rows(ds, period) -> pd.DataFrame:
    """The activities the pillar counts in ``period``, in words: where each came from (log or an export)."""
    from harness import periods as P

    acts = P.in_period(ds["community"], "community", period)
    derived = acts["record_id"].str.startswith(DERIVED).fillna(False).astype(bool)
    sale = acts["sales_related"].map({True: "yes", False: "no"}).fillna("not known")
    return pd.DataFrame({
        "date": acts["occurred_at"].dt.strftime("%-d %b %Y"),
        "activity": acts["activity"],
        "from": derived.map({True: "an events export (confirmed or proposed)", False: "your community log"}),
        "people": acts["attendees"].map(lambda v: "not known" if pd.isna(v) else f"{int(v):,}"),
        "partner": acts["partner"].fillna("–"),
        "aimed at a sale": sale,
    }).reset_index(drop=True)
