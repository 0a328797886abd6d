"""Events found in the exports staff already download: the ``events`` table.

A derivation (see ``registry.register_derivation``): after the people readers
have read a file into involvement rows, this reads the same file again for its
*events*, one row per event. ``harness.community`` then proposes which events
are community activities. Rules that change the numbers:

* **Eventbrite attendee report**: one event per ``Event ID`` (else per ``Event
  Name``; a report of one event without either is named after the file).
  Date: an ``Event Start Date``/``Event Date`` column when the report has one,
  else a date written in the event's name ("Open Morning 11 Oct 2025",
  "2025-10-11"), else the day of its last order (bookings close by the event).
  A report without an event name is named after its file, without
  "Attendee summary - " and the like. Attendees =
  attendee rows whose status is not refunded, cancelled, deleted, transferred
  or not attending; a report with no ``Attendee #`` column (one row per order)
  sums ``Quantity`` instead. Aimed at a sale: any ticket with a price above 0
  (``Ticket Price``, else ``Total Paid``), or an ``Order Type`` that is not a
  free/complimentary order; else no, unless a sales word is in the name.
* **SignUpGenius report**: one event per sign-up title and day of its slots;
  attendees = distinct people in filled slots. Volunteering: not aimed at a
  sale unless a sales word is in the title.
* **Event sign-up form** (Google Forms): a form is an event sign-up when a
  question asks which event/session/date, or its name (the file name) names
  an event (event, day, morning, evening, night, walk, drive, clean-up, fair,
  festival, registration, RSVP, booking...) and it is not a story, enquiry,
  contact or feedback form. One event per answer to the "which event"
  question (else one for the form), per day when a date question is
  answered; dated by that answer, else by the day of the last response.
  Attendees = the sum of a "how many people" answer (blank = 1) when asked,
  else the number of responses. Aimed at a sale when a sales word is in the
  event's name.
"""

from __future__ import annotations

import re
from pathlib import PurePath

import numpy as np
import pandas as pd

from harness import community, schema
from harness.ingest.registry import Parsed, Raw, register_derivation
from harness.ingest.values import clean_text, norm_header, parse_datetimes, parse_numbers

_NOT_ATTENDING = re.compile(r"refund|cancel|delet|transfer|not attending|declin", re.IGNORECASE)
_FREE_ORDER = re.compile(r"free|complimentary|\bcomp\b|gratuit|gratis|kostenlos", re.IGNORECASE)


def _col(raw: Raw, *names: str) -> str | None:
    wanted = [norm_header(n) for n in names]
    by = {}
    for c in raw.frame.columns:
        by.setdefault(norm_header(c), c)
    return next((by[w] for w in wanted if w in by), None)


def _containing(raw: Raw, *fragments: str, exclude: tuple = ()) -> str | None:
    for c in raw.frame.columns:
        h = norm_header(c)
        if c not in exclude and any(f in h for f in fragments):
            return c
    return None


def _cells(raw: Raw, col: str | None) -> pd.Series:
    if col is None:
        return pd.Series(pd.NA, index=raw.frame.index, dtype="str")
    s = raw.frame[col]
    s = s.iloc[:, 0] if isinstance(s, pd.DataFrame) else s
    return clean_text(s)


_RESPONSES = re.compile(r"\s*\((responses|respuestas|réponses|antworten|respostas|risposte|reacties)\)"
                        r"(\s*-\s*[^-]*\b\d+)?\s*$", re.IGNORECASE)
_REPORT_PREFIX = re.compile(r"^(attendee summary|attendees?|attendee report|orders?|report)\s*[-–:]\s*",
                            re.IGNORECASE)


def form_name(file_name: str) -> str:
    """A form's or report's name from its file name: "Harbour clean-up (Responses).csv" -> "Harbour clean-up",
    "Visit enquiry (Responses) - Form responses 1.csv" -> "Visit enquiry",
    "Attendee summary - Open Morning 11 Oct 2025.csv" -> "Open Morning 11 Oct 2025"."""
    stem = PurePath(file_name.split("/")[-1]).stem
    stem = _REPORT_PREFIX.sub("", _RESPONSES.sub("", stem))
    return " ".join(stem.replace("_", " ").split()) or file_name


_NAMED_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?"
                         r"\s+(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), start=1)}


def date_in_name(name: object) -> pd.Timestamp | None:
    """An unambiguous date written in an event's name ("Open Morning 11 Oct 2025", "2025-10-11"), else None."""
    m = _NAMED_DATE.search(str(name or ""))
    if not m:
        return None
    try:
        if m.group(1):
            return pd.Timestamp(int(m.group(3)), _MONTHS[m.group(2).lower()[:3]], int(m.group(1)), tz="UTC")
        return pd.Timestamp(int(m.group(4)), int(m.group(5)), int(m.group(6)), tz="UTC")
    except ValueError:
        return None


def _dates(cells: pd.Series, dayfirst: bool | None = None) -> pd.Series:
    """Cells -> UTC timestamps with the people readers' date rules (NaT where unreadable)."""
    from harness.ingest.people import read_dates  # the rules of the rows it comes with
    from harness.ingest.timestamps import infer_dayfirst

    if dayfirst is None:  # decided on the whole column, as the row reader does, before keeping distinct cells
        dayfirst = infer_dayfirst(cells, False)
    # Slots and booking minutes repeat down a column: each distinct cell is read once.
    codes, uniques = pd.factorize(cells)
    if not len(uniques):
        return pd.Series(pd.NaT, index=cells.index, dtype=schema.TIME)
    parsed = read_dates(pd.Series(uniques, dtype="str"), dayfirst=dayfirst)[0]
    values = parsed.to_numpy()
    out = np.where(codes >= 0, values[np.maximum(codes, 0)], np.datetime64("NaT"))
    return pd.Series(pd.to_datetime(out, utc=True), index=cells.index).astype(schema.TIME)


def _sales(names: pd.Series) -> pd.Series:
    return names.map(community.sales_word).astype(bool)


def _key(text: object) -> str:
    return community.fold(text).replace(" ", "-")


def map_unique(cells: pd.Series, fn) -> pd.Series:
    """``fn`` over each distinct cell once (names and answers repeat down a column); NA stays NA."""
    codes, uniques = pd.factorize(cells)
    out = np.array([fn(v) for v in uniques] + [None], dtype=object)
    return pd.Series(out[np.where(codes < 0, len(uniques), codes)], index=cells.index)


# --------------------------------------------------------------------------- Eventbrite


def eventbrite_events(raw: Raw) -> pd.DataFrame:
    order_c = _col(raw, "order date", "date", "purchase date", "registration date")
    start_c = _col(raw, "event start date", "event date", "event start", "event start date time", "start date")
    nat = pd.Series(pd.NaT, index=raw.frame.index, dtype=schema.TIME)
    starts = _dates(_cells(raw, start_c)) if start_c else nat
    # Order dates only date an event without its own date (parsing them twice is the slow part).
    orders = nat if start_c and starts.notna().all() else _dates(
        _cells(raw, order_c), dayfirst=True if _col(raw, "surname") else None)
    status = _cells(raw, _col(raw, "attendee status", "order status", "status"))
    going = ~status.str.contains(_NOT_ATTENDING, na=False).astype(bool)
    name = _cells(raw, _col(raw, "event name", "event", "event title")).fillna(form_name(raw.file_name))
    ev_id = _cells(raw, _col(raw, "event id"))
    qty_c = _col(raw, "quantity", "qty")
    if _col(raw, "attendee", "attendee no", "attendee number", "attendee id") is None and qty_c is not None:
        heads = parse_numbers(_cells(raw, qty_c))[0].fillna(1)
    else:
        heads = pd.Series(1.0, index=raw.frame.index)
    price_c = _col(raw, "ticket price", "price") or _col(raw, "total paid", "gross", "gross sales")
    price_cells = _cells(raw, price_c)
    free_word = price_cells.str.contains(_FREE_ORDER, na=False).astype(bool)
    price = parse_numbers(price_cells.mask(free_word, "0"))[0]
    order_type = _cells(raw, _col(raw, "order type"))
    ticket = _cells(raw, _col(raw, "ticket type", "price tier"))
    partner = _cells(raw, _col(raw, "partner", "partner organisation", "partner organization", "in partnership with"))
    frame = pd.DataFrame({
        "key": ev_id.fillna(map_unique(name, _key)), "name": name, "order": orders, "start": starts, "going": going,
        "heads": heads.where(going, 0), "paid": (price > 0).fillna(False).astype(bool)
        | (order_type.notna() & ~order_type.str.contains(_FREE_ORDER, na=False).astype(bool)),
        "priced": price.notna() | order_type.notna(), "kind": ticket.fillna("") + " " + order_type.fillna(""),
        "partner": partner,
    })
    frame = frame[frame["order"].notna() | frame["start"].notna()]
    rows = []
    for key, part in frame.groupby("key", sort=False):
        name_ = part["name"].iloc[0]
        named = date_in_name(name_)
        when = (part["start"].dropna().min() if part["start"].notna().any()
                else named if named is not None else part["order"].max())
        sale = bool(part.loc[part["going"], "paid"].any()) or community.sales_word(name_)
        kinds = " ".join(sorted({k.strip() for k in part["kind"] if k.strip()}))
        rows.append({
            "record_id": f"eventbrite:{key}", "occurred_at": when.floor("D"), "name": name_,
            "origin": "eventbrite", "kind": kinds or None,
            "partner": part["partner"].dropna().iloc[0] if part["partner"].notna().any()
            else community.partner_from_name(name_),
            "attendees": int(part["heads"].sum()),
            "sales_related": sale if (part["priced"].any() or sale) else None,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- SignUpGenius


def signupgenius_events(raw: Raw) -> pd.DataFrame:
    start_c = next((c for c in raw.frame.columns if norm_header(c).startswith(("start date", "date"))), None)
    header = norm_header(start_c or "")
    dayfirst = True if "dd mm" in header else (False if "mm dd" in header else None)
    when = _dates(_cells(raw, start_c), dayfirst=dayfirst)
    title = _cells(raw, _col(raw, "sign up", "signup", "sign up title"))
    preamble = next((p.strip() for p in raw.preamble[1:] if p.strip() and "created by" not in p.lower()), None)
    title = title.fillna(preamble or form_name(raw.file_name))
    email = _cells(raw, _col(raw, "email", "email address"))
    full = (_cells(raw, _col(raw, "first name")).fillna("") + " "
            + _cells(raw, _col(raw, "last name", "surname")).fillna("")).str.strip()
    person = schema.normalise_person(email.fillna(full.mask(full == "")).fillna(_cells(raw, _col(raw, "name"))))
    frame = pd.DataFrame({"title": title, "day": when.dt.floor("D"), "person": person})
    frame = frame[frame["day"].notna() & frame["person"].notna()]
    # One event per sign-up title and day (hundreds on a long report): counted in one groupby, and each
    # distinct title's words read once.
    agg = frame.groupby(["title", "day"], sort=False)["person"].nunique().reset_index()
    keys = map_unique(agg["title"], _key)
    return pd.DataFrame({
        "record_id": "signupgenius:" + keys.astype(str) + ":" + agg["day"].dt.strftime("%Y-%m-%d"),
        "occurred_at": agg["day"], "name": agg["title"], "origin": "signupgenius", "kind": "volunteer",
        "partner": map_unique(agg["title"], community.partner_from_name),
        "attendees": agg["person"].astype(int), "sales_related": map_unique(agg["title"], community.sales_word),
    })


# --------------------------------------------------------------------------- event sign-up forms

_CHOICE_Q = ("which event", "which session", "which date", "which day", "choose an event", "select an event",
             "event you", "session you", "quel evenement", "quel événement", "qué evento", "que evento",
             "welche veranstaltung", "welches event", "qual evento", "quale evento", "welk evenement")
_DATE_Q = ("event date", "date of the event", "which date", "which day", "date you", "day you")
_COUNT_Q = ("how many people", "how many guests", "how many tickets", "how many of you", "number of people",
            "number of guests", "number of attendees", "party size", "how many are coming", "combien de personnes",
            "cuántas personas", "cuantas personas", "wie viele personen", "quantas pessoas", "quante persone",
            "hoeveel personen")
_EVENT_NAME = re.compile(
    r"\b(event|day|morning|afternoon|evening|night|walk|drive|clean ?up|fair|festival|fete|registration|rsvp|"
    r"booking|sign ?ups? for|workshop|party|picnic|concert|match|race|run|evenement|journee|soiree|evento|jornada|"
    r"veranstaltung|tag|abend|evenement|dag|avond|giornata|serata)\b")
_NOT_EVENT = re.compile(r"\b(story|stories|enquir|inquir|contact|feedback|survey|complaint|testimonial|photo|"
                        r"histoire|historia|geschichte|storia|verhaal)")


def is_event_form(raw: Raw) -> bool:
    name = community.fold(form_name(raw.file_name))
    if _containing(raw, *_CHOICE_Q):
        return True
    return bool(_EVENT_NAME.search(name)) and not _NOT_EVENT.search(name)


def form_events(raw: Raw) -> pd.DataFrame:
    from harness.ingest.people import forms_timestamps

    ts = forms_timestamps(_cells(raw, raw.frame.columns[0]))[0]
    base = form_name(raw.file_name)
    choice_c = _containing(raw, *_CHOICE_Q)
    date_c = _containing(raw, *_DATE_Q)
    count_c = _containing(raw, *_COUNT_Q)
    choice = _cells(raw, choice_c) if choice_c else pd.Series(base, index=raw.frame.index, dtype="str")
    named = choice.fillna(base)
    day = _dates(_cells(raw, date_c)).dt.floor("D") if date_c else pd.Series(pd.NaT, index=raw.frame.index,
                                                                              dtype=schema.TIME)
    heads = (parse_numbers(_cells(raw, count_c))[0].fillna(1).clip(lower=0) if count_c
             else pd.Series(1.0, index=raw.frame.index))
    frame = pd.DataFrame({"name": named, "day": day, "ts": ts, "heads": heads})
    frame = frame[frame["ts"].notna()]
    rows = []
    for (n, d), part in frame.groupby(["name", "day"], sort=False, dropna=False):
        when = d if pd.notna(d) else part["ts"].max().floor("D")
        key = f"form:{_key(base)}:{_key(n)}" + (f":{d:%Y-%m-%d}" if pd.notna(d) else "")
        rows.append({
            "record_id": key, "occurred_at": when, "name": n, "origin": "form",
            "kind": "event", "partner": community.partner_from_name(n),
            "attendees": int(np.round(part["heads"].sum())), "sales_related": community.sales_word(n),
        })
    return pd.DataFrame(rows)


READERS = {
    "eventbrite_attendees": eventbrite_events,
    "signupgenius": signupgenius_events,
}


def derive_events(source_id: str, raw: Raw, parsed: Parsed) -> dict[str, pd.DataFrame]:
    if source_id in READERS:
        return {"events": READERS[source_id](raw)}
    if source_id == "google_forms" and is_event_form(raw):
        return {"events": form_events(raw)}
    return {}


register_derivation("The events in this file", derive_events)
