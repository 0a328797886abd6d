"""People and log sources: who got involved, and who recommended whom.

Readers for the tools staff use to collect people (Google Forms, Eventbrite,
HubSpot, Mailchimp, SignUpGenius, referral programmes). Each feeds the
``involvement`` and/or ``referrals`` tables. Columns are found by normalised
header name, never by position.

Rules that change numbers:

* **Where people came from** (``source``) is read from free text ("How did you
  hear about us?") by :func:`classify_source`, first match wins, in this order:
  an exact vocabulary word (``word_of_mouth``, ``x``...); referral
  ("referred", "recommended"); the platforms (facebook/fb, instagram/insta/ig,
  linkedin, twitter/x/tweet, youtube/yt, tiktok); word of mouth (friend,
  family, neighbour, colleague, other parents, "word of mouth"); community
  events (event, fair, open day/evening, festival, fete, stall); search
  (google, bing, search); website (website, online); email (newsletter,
  email, mailing list); press (newspaper, radio, magazine, TV, press).
  Anything else written is ``other``; a blank answer is ``unknown``.
* **What they did** (``action``) comes from the answer to a "what would you
  like to do" question via :func:`classify_action` (donation, volunteer,
  enrolment, visit, event, call, membership, enquiry, in that order; an
  unrecognised answer is ``other``). A blank answer, or no such question, uses
  the form's name (the file name, e.g. "Volunteer sign-up (Responses).csv"),
  else ``enquiry``: someone who filled in a form asked for something.
* **Google Forms**: one involvement row per response. When "Who referred
  you?" names someone, the response also gives a ``referrals`` row
  (referrer -> the respondent, converted = True because they acted) and
  the involvement row gets ``referred_by``; a blank "how did you hear"
  then means source ``referral``. A file is Google Forms when its first
  column is the timestamp, titled in any of the languages Google writes
  (``Timestamp``, ``Horodateur``, ``Marca temporal``, ``Zeitstempel``,
  ``Carimbo de data/hora``, ``Informazioni cronologiche``, ``Tijdstempel``);
  the email and name columns are found in those languages too. Timestamps
  ``2025/09/14 10:31:22 AM GMT+1`` honour their zone, written as an offset
  (``UTC+1``, ``GMT-5``) or a name (``MEZ``, ``CET``, ``EET``...), with am/pm
  as ``PM``, ``p. m.`` or ``p.m.``; a zone we do not know rejects the row and
  is named. Sheets-style ``9/14/2025 10:31:22`` are month-first unless a day
  above 12 shows the file is day-first - decided from the values, never from
  the language; dotted dates (``28.10.2024 14:53``, an Excel re-save) are
  day-first. Times without an offset are taken as UTC.
* **Eventbrite**: one ``event`` row per attendee on the order date; value =
  the ticket price (or Total Paid / Quantity). Attendees whose status is
  refunded, cancelled, deleted, transferred or not attending are left out
  (they did not come) and counted in a warning. A "who referred you"
  question gives referrals as for Google Forms. The order date is used
  because it is when the person acted (booked). UK exports (``Surname``)
  read dates day-first. Portuguese (``Nº do pedido``, ``Data do pedido``,
  ``Nome``/``Sobrenome``, ``Tipo de ingresso``, ``Total pago``...) and German
  (``Bestellnr.``, ``Bestelldatum``, ``Vorname``/``Nachname``, ``Ticketart``,
  ``Teilnehmerstatus``...) reports are read by the same rules; their order
  dates carry an offset (``2024-04-01 10:33:40-03:00``), which is honoured.
  A report downloaded without its order date (a published Spanish one:
  ``Nombre del evento``, ``Id. del evento``, ``N.º de pedido``, ``Nombre``,
  ``Apellido``, ``Correo electrónico``) is recognised and refused with a
  message saying so: without it no booking can be placed in time.
* **HubSpot**: one row per contact on its Create Date, but only for contacts
  a column says did something: the Lifecycle Stage (it mentions member ->
  ``membership``, donor/donat -> ``donation``, enrol/student/pupil ->
  ``enrolment``, volunteer -> ``volunteer``; any other stage, HubSpot's
  "Customer" included, -> ``enquiry``), else a First/Recent Conversion (the
  form they filled in, read as a "what would you like to do" answer). A
  contact with neither, or an export with neither column (the owner picked
  Name, Email, Phone...), is someone the organisation knows, not an action:
  no row, and a warning says so - never an "enquiry" on a guess.
  ``Original Source``: social (organic, paid, social media) -> the network
  named in Drill-Down 1 (``other`` if none); Referrals (links from other
  websites, not people) and Direct Traffic -> ``website``; Organic/Paid
  Search -> ``search``; Email Marketing -> ``email``; Offline Sources
  (imports, typed in) -> ``unknown``; anything else -> ``other``. A
  "Referred by" property naming a person gives a ``referrals`` row and source
  ``referral`` when Original Source says nothing.
* **Mailchimp**: a newsletter sign-up is a real action but weaker than a
  visit, so it is ``other`` (not ``membership``, which would inflate
  joining). Time = OPTIN_TIME, else CONFIRM_TIME, else LAST_CHANGED (UTC).
  Source from a SOURCE-like column when present (embedded/hosted/pop-up
  forms -> ``website``; imports, API, admin adds -> ``unknown``), else
  ``unknown``. A "Referred by" merge field naming someone gives a
  ``referrals`` row (and source ``referral`` when nothing else says).
* **Referral and waitlist sign-up lists** (ReferralHero, Viral Loops,
  GrowSurf, Prefinery): one row per subscriber with who referred them - an
  email or name, or the referrer's id or code, resolved to that row's person
  when the list holds them. One ``referrals`` row per referred subscriber on
  their sign-up date; ``converted`` from a status (confirmed, credit awarded
  -> True; pending, unconfirmed -> False), else True (they signed up).
  Subscribers nobody referred are counted in a warning, not as referrals.
* **SignUpGenius**: one ``volunteer`` row per filled slot, at the slot's
  start; value = the slot's hours when start and end times are given. Empty
  slots (no name, no email) are skipped and counted in a warning.
* **Referral programmes**: one ``referrals`` row per referrer -> referred
  pair. ``converted`` from a Converted yes/no column, else from Status
  (converted, completed, successful, rewarded, approved, joined, enrolled,
  signed up, accepted -> True; pending, invited, sent, clicked, declined,
  expired, rejected, cancelled, failed -> False; otherwise null). A code
  stands for the referrer when no referrer email/name is given. Someone
  referring themselves is rejected.
* **record_id** is the platform's own id when it has one (HubSpot Record
  ID, Eventbrite Attendee #, Mailchimp EUID+LEID, a referral id), else a
  hash of the values that identify the row (never of mutable ones such as a
  status), with ``#2``, ``#3``... for identical rows in one file. Re-uploads
  and overlapping exports therefore give the same ids.
* A **recommendation** without a programme id is identified by its pair
  (referrer, referred) alone: the same "A recommended us to B" reported by
  a form, an Eventbrite booking, a referral list and the referrals log is
  one ``referrals`` row, not several; within one file the first mention is
  kept.
* Rows whose required values (date, people) cannot be read are rejected
  with their line number; an unreadable optional value (a price) becomes
  null and is named in a warning.
"""

from __future__ import annotations

import functools
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness import schema
from harness.ingest.build import ColumnReader
from harness.ingest.registry import Parsed, Raw, Source, register
from harness.ingest.timestamps import NAT, arrow_strings, dotted_dates, infer_dayfirst, parse_micros, unknown_zones
from harness.ingest.values import (
    NULL_TOKENS,
    clean_text,
    str_series,
    find_column,
    norm_header,
    parse_bools,
    parse_datetimes,
    parse_iso_dates,
    finish_micros,
    parse_ids,
    parse_numbers,
    fold_numbers,
    hash_rows,
    hex_ids,
    ids_series,
    regex_mask,
    row_digests,
)

# --------------------------------------------------------------------------- classifying free text


def _rx(*words: str) -> re.Pattern:
    return re.compile("|".join(words), re.IGNORECASE)


# English first, then the same meaning in French, Spanish, German, Portuguese, Italian and Dutch
# ("Un ami", "Freunde oder Familie", "boca a boca", "passaparola", "via een vriend"...).
SOURCE_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("referral", _rx(r"referr", r"recommend", r"recommand", r"recomend", r"empfehl", r"empfohl", r"consigliat",
                     r"aanbevol", r"aangeraden", r"\bparrain", r"indica[cç][aã]o", r"\bindicad[oa]")),
    ("facebook", _rx(r"face\s?book", r"\bfb\b")),
    ("instagram", _rx(r"\binsta", r"\big\b")),
    ("linkedin", _rx(r"linked\s?in")),
    ("x", _rx(r"twitter", r"\btweet", r"^x$", r"\bx\s*\(", r"\bx\.com\b", r"\bon x\b")),
    ("youtube", _rx(r"you\s?tube", r"\byt\b")),
    ("tiktok", _rx(r"tik\s?tok")),
    ("word_of_mouth", _rx(r"friend", r"famil", r"word of mouth", r"neighbo", r"colleague", r"parent",
                          r"relative", r"someone told", r"told me", r"\bmum\b", r"\bdad\b", r"sibling",
                          r"\bami(e|s|es)?\b", r"bouche", r"coll[eè]gue", r"voisin", r"\bamig[oa]s?\b", r"\bboca\b",
                          r"conocid", r"vecin", r"freund", r"bekannt", r"mundpropaganda", r"kolleg", r"nachbar",
                          r"conhecid", r"vizinh", r"\bamic[oaih]\b", r"\bamici\b", r"\bamiche\b", r"passaparola",
                          r"famigli", r"conoscent", r"connaissance", r"compa[ñn]er", r"collega", r"\bcoleg", r"vicin", r"vriend", r"kennis", r"mond.tot.mond", r"\bburen\b", r"buurm",
                          r"ouders", r"genitor", r"eltern", r"\bpadres\b", r"\bpais\b")),
    ("community_event", _rx(r"event", r"\bfair\b", r"open (day|evening|morning)", r"festival", r"\bf[eê]te\b",
                            r"\bstall\b", r"exhibition", r"\bmarket\b", r"\bshow\b", r"[ée]v[ée]nement",
                            r"portes ouvertes", r"\bsalon\b", r"\bforum\b", r"\bferia\b", r"puertas abiertas",
                            r"veranstaltung", r"offenen t[üu]r", r"\bmarkt\b", r"\bfeira\b", r"portas abertas",
                            r"\bfiera\b", r"porte aperte", r"\bsagra\b", r"open dag", r"\bbeurs\b")),
    ("search", _rx(r"google", r"\bbing\b", r"search", r"duckduckgo", r"yahoo", r"\brecherche", r"b[uú]squeda",
                   r"\bbuscador", r"\bsuche", r"pesquisa", r"ricerca", r"zoekmachine", r"\bgezocht")),
    ("website", _rx(r"web\s?site", r"\bweb\b", r"online", r"\bsite\b", r"internet", r"\bsitio\b",
                    r"webseite", r"\bsito\b", r"p[aá]gina web")),
    ("email", _rx(r"newsletter", r"e-?mail", r"mailing list", r"mailchimp", r"courriel", r"\bcorreo\b",
                  r"bolet[ií]n", r"lettre d.information", r"nieuwsbrief")),
    ("press", _rx(r"newspaper", r"radio", r"magazine", r"\bpress\b", r"\btv\b", r"television", r"\bnews\b",
                  r"\bpresse\b", r"\bjournal\b", r"\bt[ée]l[ée]\b", r"\bprensa\b", r"peri[oó]dico", r"t[ée]l[ée]visi",
                  r"\brevista\b", r"zeitung", r"fernseh", r"zeitschrift", r"\bjornal\b", r"imprensa",
                  r"giornale", r"\bstampa\b", r"rivista", r"\bkrant", r"tijdschrift")),
)

ACTION_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("donation", _rx(r"donat", r"\bgive\b", r"giving", r"\bgift", r"sponsor", r"fundrais", r"\bdon\b", r"\bdons\b",
                     r"\bdonner\b", r"donaci", r"spende", r"doa[cç][aã]o", r"doar\b", r"donazion", r"donatie",
                     r"\bdoneren\b")),
    ("volunteer", _rx(r"volunteer", r"help out", r"to help\b", r"helping", r"b[ée]n[ée]vol", r"volunt[aá]ri",
                      r"ehrenamt", r"freiwillig", r"mithelfen", r"volont", r"vrijwillig", r"meehelpen")),
    ("enrolment", _rx(r"enrol", r"\bapply", r"applica", r"admission", r"register (my|a|our) (child|son|daughter)",
                      r"inscri", r"matr[ií]cul", r"anmeld", r"einschreib", r"iscrizion", r"iscriver", r"aanmeld",
                      r"inschrijv")),
    ("visit", _rx(r"visit", r"\btour\b", r"look (round|around)", r"drop in", r"come in", r"walk.?in", r"besuch",
                  r"besichtig", r"bezoek", r"rondleiding")),
    ("event", _rx(r"event", r"open (day|evening|morning)", r"workshop", r"ticket", r"\battend", r"rsvp",
                  r"webinar", r"concert", r"\bfair\b", r"[ée]v[ée]nement", r"atelier", r"taller",
                  r"veranstaltung", r"portes ouvertes", r"offenen t[üu]r", r"open dag", r"puertas abiertas",
                  r"portas abertas", r"porte aperte")),
    ("call", _rx(r"\bcall", r"phone", r"\bring\b", r"appel", r"t[ée]l[ée]phon", r"llamad", r"anruf", r"r[üu]ckruf",
                 r"liga[cç][aã]o", r"chiamat", r"\bbellen\b", r"teruggebeld")),
    ("membership", _rx(r"member", r"\bjoin", r"adh[ée]si", r"adh[ée]rer", r"\bsocio\b", r"mitglied", r"\bs[óo]cio\b",
                       r"membro", r"\blid\b", r"lidmaatschap")),
    ("enquiry", _rx(r"enquir", r"inquir", r"question", r"information", r"\binfo\b", r"prospectus",
                    r"brochure", r"contact", r"\bask\b", r"renseignement", r"pregunta", r"consulta", r"anfrage",
                    r"frage", r"d[uú]vida", r"domand", r"informazion", r"vraag", r"informatie", r"informaci[oó]n",
                    r"informa[cç][aã]o")),
)

_VOCAB_SYNONYMS = {"enrollment": "enrolment", "inquiry": "enquiry", "word of mouth": "word_of_mouth",
                   "community event": "community_event", "twitter": "x"}


def _vocab(text: str, vocab: tuple[str, ...]) -> str | None:
    key = norm_header(text)
    key = _VOCAB_SYNONYMS.get(key, key).replace(" ", "_")
    return key if key in vocab else None


def classify_source(text: object) -> str:
    """Free text about how someone heard of us -> one of ``schema.SOURCES``."""
    if _blank(text):
        return "unknown"
    text = str(text)
    exact = _vocab(text, schema.SOURCES)
    if exact:
        return exact
    for source, rx in SOURCE_RULES:
        if rx.search(text):
            return source
    return "other"


def classify_action(text: object, default: str = "other") -> str:
    """Free text about what someone did or wants -> one of ``schema.ACTIONS``.

    ``default`` is returned for a blank answer; written but unrecognised
    text is ``other``.
    """
    if _blank(text):
        return default
    text = str(text)
    return _vocab(text, schema.ACTIONS) or next(
        (action for action, rx in ACTION_RULES if rx.search(text)), "other")


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) \
        or str(value).strip().lower() in NULL_TOKENS


# --------------------------------------------------------------------------- reading cells


def cells_of(raw: Raw, col: str) -> pd.Series:
    """The cells of ``col`` as in the file; the first one when a header is repeated."""
    s = raw.frame[col]
    return s.iloc[:, 0] if isinstance(s, pd.DataFrame) else s


def shown(value: object) -> str:
    """A cell as quoted in a message: one line, at most 40 characters."""
    v = "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
    v = " ".join(v.split())
    return v if len(v) <= 40 else v[:37] + "..."


def text(raw: Raw, col: str | None) -> pd.Series:
    """A column's cells stripped, with blanks and placeholders as NA (all-NA if ``col`` is None)."""
    if col is None:
        return pd.Series(pd.NA, index=raw.frame.index, dtype="str")
    return clean_text(cells_of(raw, col))


def map_text(cells: pd.Series, fn, fill: str | None = None) -> pd.Series:
    """``fn`` over the filled cells (``fill`` elsewhere), as str; safe on all-empty columns."""
    codes, uniques = pd.factorize(cells)  # answers repeat: classify each distinct cell once
    answers = pa.array([fn(v) for v in uniques] + [fill], type=pa.large_string())
    picked = answers.take(pa.array(np.where(codes < 0, len(uniques), codes)))  # code -1 (empty) picks ``fill``
    return str_series(picked, cells.index)


def containing(raw: Raw, *fragments: str, exclude: tuple[str | None, ...] = ()) -> str | None:
    """The first column whose normalised header contains one of ``fragments``."""
    for c in raw.frame.columns:
        h = norm_header(c)
        if c not in exclude and any(f in h for f in fragments):
            return c
    return None


def col(raw: Raw, *names: str) -> str | None:
    return find_column(raw.frame.columns, *names)


DMY_LIKE = re.compile(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


_YEAR_FIRST = re.compile(r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
YEAR_FIRST_FORMATS = ["ISO8601", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d"]


def read_dates(cells: pd.Series, *, dayfirst: bool | None = None, default_dayfirst: bool = False,
               formats: list[str] | None = None, try_iso: bool = True) -> tuple[pd.Series, pd.Series]:
    """Cells -> UTC timestamps and a bad-cell mask; ``dayfirst=None`` infers it from the file.

    Year-first cells are read strictly (``2025-13-01`` is bad, not 13 January):
    a guess that swaps day and month would silently move the row in time.
    """
    if formats:
        return parse_datetimes(cells, formats, dayfirst=bool(dayfirst))
    iso = parse_iso_dates(cells) if try_iso else None  # the usual log: only ISO dates, no other passes
    if iso is not None:
        return iso
    year_first = regex_mask(cells, _YEAR_FIRST)
    if dayfirst is None:
        dayfirst = infer_dayfirst(cells, default_dayfirst)  # timestamps.infer_dayfirst: one Arrow pass
    strict, strict_bad = parse_datetimes(cells.where(year_first), YEAR_FIRST_FORMATS)
    # The usual slashed layouts by format first: guessing cell by cell is ~50x slower.
    rest = cells.where(~year_first)
    known, _ = parse_datetimes(rest, slashed_formats(dayfirst))
    # A slashed date that fits none of them is bad: guessing would swap day and month silently.
    slashed = regex_mask(rest, DMY_LIKE)
    guessed, guessed_bad = parse_datetimes(rest.where(known.isna() & ~slashed), None, dayfirst=dayfirst)
    out = strict.where(year_first, known.fillna(guessed))
    return out, (strict_bad | guessed_bad | (slashed & known.isna())).astype(bool)


def dated(rows: ColumnReader, raw: Raw, column: str | None, what: str, *, required: bool = True,
          **kw) -> tuple[pd.Series, pd.Series]:
    """``read_dates`` of a column, its unreadable cells rejected (and its empty ones, when ``required``)."""
    when, bad = read_dates(text(raw, column), **kw)
    if column:
        rows.reject_bad_dates(column, bad)
    if required:
        rows.reject_missing(column, when, what)
    return when, bad


def slashed_formats(dayfirst: bool) -> list[str]:
    """``dd/mm/yyyy [time]`` (or ``mm/dd``; ``/``, ``.`` or ``-``) layouts, 24-hour and am/pm."""
    dm = ("%d", "%m") if dayfirst else ("%m", "%d")
    # Italian sheets write the time with dots (``20/09/2026 18.01.22``).
    times = (" %H:%M:%S", " %H:%M", "", " %I:%M:%S %p", " %I:%M %p", " %I:%M%p", " %H.%M.%S", " %H.%M")
    return [f"{dm[0]}{sep}{dm[1]}{sep}{y}{t}" for sep in "/.-" for y in ("%Y", "%y") for t in times]


def people(raw: Raw, email: str | None, name: str | None = None, first: str | None = None,
           last: str | None = None) -> pd.Series:
    """Who: the email when given, else "First Last", else the name."""
    full = text(raw, name)
    if first or last:
        joined = (text(raw, first).fillna("") + " " + text(raw, last).fillna("")).str.strip()
        full = full.fillna(joined.mask(joined == ""))
    return schema.normalise_person(text(raw, email).fillna(full))


def stable_ids(prefix: str, parts: list[pd.Series], numbers: tuple[np.ndarray, ...] = ()) -> pd.Series:
    """``hash_rows`` of identifying parts; identical rows get ``#2``, ``#3``...

    ``numbers`` (int64 arrays, e.g. UTC microseconds) are folded into the digests as numbers
    (``fold_numbers``), never written out as text first.
    """
    frame = pd.concat([p.rename(i) for i, p in enumerate(parts)], axis=1)
    if not len(frame):
        return pd.Series([], index=frame.index, dtype="str")
    h1, h2 = fold_numbers(*row_digests(frame), *numbers)
    maybe = pd.Series(h1).duplicated(keep=False).to_numpy()  # 64-bit halves: repeats are rare and few
    if not maybe.any():
        return ids_series(h1, h2, prefix, frame.index)
    # How many times each id was seen before, among the rows that may repeat one.
    seen = pd.DataFrame({"a": h1[maybe], "b": h2[maybe]}).groupby(["a", "b"], sort=False).cumcount().to_numpy()
    n = np.zeros(len(frame), dtype=np.int64)
    n[maybe] = seen
    again = n > 0
    ids = hex_ids(h1, h2, prefix)
    counts = pa.array((n[again] + 1).astype(str), type=pa.large_string())
    numbered = pc.binary_join_element_wise(ids.filter(pa.array(again)), counts, pa.scalar("#", pa.large_string()))
    return str_series(pc.replace_with_mask(ids, pa.array(again), numbered), frame.index)


def _has(raw: Raw, *names: str) -> bool:
    return col(raw, *names) is not None


# --------------------------------------------------------------------------- shared question columns

_NOT_A_PERSON = frozenset({"no", "nobody", "no one", "noone", "none", "no-one", "not applicable", "yes"})


def hear_column(raw: Raw) -> str | None:
    return containing(raw, "hear about", "how did you hear", "where did you hear", "how did you find",
                      "how did you learn", "find out about", "heard about",
                      "entendu parler", "connu", "enteraste", "enteró", "conociste", "conoció", "erfahren",
                      "aufmerksam geworden", "soube", "conheceu", "ficou sabendo", "saputo", "conosciuto",
                      "gehoord", "terechtgekomen", "leren kennen")


def referrer_column(raw: Raw) -> str | None:
    return containing(raw, "who referred", "referred by", "who recommended", "recommended by",
                      "who told you", "referrer", "referred you",
                      "qui vous a recommandé", "recommandé par", "parrain", "quién te recomendó", "recomendado por",
                      "quién le recomendó", "wer hat ihnen", "wer hat dir", "empfohlen von", "quem indicou",
                      "indicado por", "quem recomendou", "chi ti ha consigliato", "consigliato da",
                      "wie heeft je", "wie heeft u", "aangeraden door", "aanbevolen door")


def referrer_answers(raw: Raw, column: str | None) -> tuple[pd.Series, pd.Series]:
    """(referrer names/emails, mask of rows that said they were referred)."""
    s = text(raw, column)
    low = s.str.lower().str.strip(" .!")
    # Only a short cell (or one ending "0", "1.0") can be a yes: parse_bools on those alone, not a million emails.
    short = (s.str.len().le(4) | s.str.endswith("0")).fillna(False).astype(bool)
    said_yes = pd.Series(False, index=s.index)
    if short.any():
        said_yes[short] = parse_bools(s[short])[0].fillna(False).astype(bool)
    named = s.mask(low.isin(_NOT_A_PERSON))
    return schema.normalise_person(named), (named.notna() | said_yes)


def _sources_with_referral(hear: pd.Series, referred: pd.Series) -> pd.Series:
    src = map_text(hear, classify_source, "unknown")
    return src.mask((src == "unknown") & referred, "referral")


def pair_ids(referrer: pd.Series, referred: pd.Series) -> pd.Series:
    """One id per recommendation (who -> whom), shared by every source that reports it."""
    frame = pd.concat([referrer.rename(0), referred.rename(1)], axis=1)
    if not len(frame):
        return pd.Series([], index=frame.index, dtype="str")
    return ids_series(*row_digests(frame), "referral:", frame.index)  # stable_ids' ids without the "#2"s


def _referral_rows(when: pd.Series, referrer: pd.Series, person: pd.Series, rows: ColumnReader) -> pd.DataFrame:
    has = (referrer.notna() & person.notna() & (referrer != person)).fillna(False).astype(bool)
    anonymous = int((referrer.notna() & person.isna()).sum())
    if anonymous:
        rows.warnings.append(f"{anonymous} response(s) named a referrer but not who answered; "
                             "they are in involvement but not in referrals.")
    df = pd.DataFrame({
        "occurred_at": when, "referrer": referrer, "referred": person,
        "converted": True,
    }).loc[has]
    df["record_id"] = pair_ids(referrer[has], person[has])  # only the rows kept: most responses name nobody
    return df


# --------------------------------------------------------------------------- Google Forms

_GMT = re.compile(r"\s*GMT\s*([+-])?\s*(\d{1,2})?(?::?(\d{2}))?\s*$", re.IGNORECASE)
_FORMS_FORMATS = ["%Y/%m/%d %I:%M:%S %p %z", "%Y/%m/%d %H:%M:%S %z", "%Y/%m/%d %I:%M:%S %p",
                  "%Y/%m/%d %H:%M:%S"]


def _gmt_to_offset(value: str) -> str:
    m = _GMT.search(value)
    if not m:
        return value
    sign, hours, minutes = m.group(1) or "+", int(m.group(2) or 0), m.group(3) or "00"
    return f"{value[:m.start()]} {sign}{hours:02d}{minutes}"


def forms_timestamps(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Google Forms timestamps (CSV download or Sheets, any language) -> UTC, and a bad-cell mask.

    The layouts forms write (``2024/10/28 2:53:02 PM MEZ``, ``... p. m. GMT-5``, ``... AM UTC+1``,
    Sheets' ``1/08/2023 14:03:00``, Excel's ``28.10.2024 14:53``) are read in one vectorised pass
    (``timestamps.parse_micros``); the few cells that are none of them (a date alone, ISO text, a typo)
    go through the per-format readers below. Day or month first is decided from the values (a day
    above 12); a column of dotted dates is day-first unless its values say otherwise.
    """
    when, bad, _left = _forms_timestamps(cells)
    return when, bad


def _forms_timestamps(cells: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """``forms_timestamps``, and which cells the vectorised pass did not read (the only ones that can end
    in a zone it does not know: ``tests/test_timestamps.py`` checks it never reads those)."""
    arr = arrow_strings(cells)  # once, for both passes
    # Decided on the whole column, and only if some cell needs it: a download's cells are all year first.
    dayfirst = functools.cache(lambda: infer_dayfirst(arr, dotted_dates(arr)))
    micros, _ = parse_micros(arr, dayfirst=dayfirst)
    present = cells.notna().to_numpy()
    left = present & (micros == NAT)
    if left.any():
        rest, _ = _forms_timestamps_per_format(cells[left], dayfirst())
        micros[left] = rest.dt.tz_convert(None).to_numpy().astype("datetime64[us]").view(np.int64)
    return (*finish_micros(micros, present, cells.index), left)


def _forms_timestamps_per_format(cells: pd.Series, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    """The readers for cells outside the usual layouts (``dayfirst`` decided on the whole column)."""
    s = cells.astype("object").where(cells.notna(), None).map(
        lambda v: _gmt_to_offset(str(v).strip()) if v is not None else None).astype("str")
    slashed_ymd = s.str.match(r"^\d{4}/", na=False)
    out, bad = parse_datetimes(s.where(slashed_ymd), _FORMS_FORMATS)
    rest, rest_bad = read_dates(s.where(~slashed_ymd), dayfirst=dayfirst)
    out = out.where(slashed_ymd, rest)
    return out, (bad | rest_bad).astype(bool)


# The timestamp column's title in each language Google Forms writes (from published exports, see
# tests/fixtures/people/README.md), normalised.
FORMS_TIMESTAMP = ("timestamp", "horodateur", "marca temporal", "zeitstempel", "carimbo de data hora",
                   "informazioni cronologiche", "tijdstempel")
FORMS_EMAIL = ("email address", "email", "e mail", "your email", "email address optional", "adresse e mail",
               "dirección de correo electrónico", "e mail adresse", "endereço de e mail", "indirizzo email",
               "e mailadres", "username", "nome utente", "nome de usuário")
FORMS_NAME = ("name", "full name", "your name", "parent name", "name of respondent", "nom", "nom complet",
              "nombre", "nombre completo", "nombre y apellido", "nome", "nome completo", "naam", "volledige naam")
FORMS_FIRST = ("first name", "forename", "given name", "prénom", "vorname", "nombre s", "voornaam")
FORMS_LAST = ("last name", "surname", "family name", "nom de famille", "nachname", "familienname", "apellido",
              "apellidos", "apellido s", "sobrenome", "cognome", "achternaam")


_ACTION_QUESTION = ("would you like", "interested in", "like to", "reason for", "help you with", "enquiry type",
                    "type of enquiry", "purpose", "what are you", "what do you want", "which form",
                    "i want to", "request", "souhaitez vous", "voulez vous", "aimeriez vous", "te gustaría",
                    "le gustaría", "quieres", "möchten sie", "möchtest du", "gostaria", "deseja", "vorresti",
                    "desideri", "wilt u", "wil je", "zou je", "motivo", "raison", "grund", "reden")


def detect_google_forms(raw: Raw) -> float:
    headers = raw.headers
    if not headers or headers[0] not in FORMS_TIMESTAMP or len(headers) < 2:
        return 0.0
    hints = [col(raw, *FORMS_EMAIL, *FORMS_NAME), hear_column(raw),
             referrer_column(raw), containing(raw, *_ACTION_QUESTION)]
    return 0.7 + 0.2 * min(1, sum(h is not None for h in hints) / 2)


def read_google_forms(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    ts_col = raw.frame.columns[0]
    stamps = text(raw, ts_col)
    # The timestamps are Arrow and numpy work (outside the GIL): read them on a second core meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        timed = pool.submit(_forms_timestamps, stamps)
        email, name = col(raw, *FORMS_EMAIL), col(raw, *FORMS_NAME)
        first, last = col(raw, *FORMS_FIRST), col(raw, *FORMS_LAST)
        person = people(raw, email, name, first, last)
        hear_c, ref_c = hear_column(raw), referrer_column(raw)
        action_c = containing(raw, *_ACTION_QUESTION, exclude=(hear_c, ref_c, email, name))
        referrer, referred = referrer_answers(raw, ref_c)
        when, bad, left = timed.result()
    unknown = np.zeros(len(stamps), dtype=bool)
    if left.any():  # an unknown zone leaves the cell to the slow readers: look only at those
        unknown[left] = unknown_zones(stamps[left])
    if unknown.any():  # say which zone, not just "not a date": the rest of the cell is fine
        cells = cells_of(raw, ts_col)
        rows.reject(pd.Series(unknown, index=raw.frame.index), lambda i: (
            f"'{ts_col}' ends in a time zone we do not know: '{shown(cells[i])}' "
            f"(zones we read look like 'GMT+1', 'UTC-5', 'CET' or 'MEZ')"))
    rows.reject_bad_dates(ts_col, bad)
    rows.reject_missing(ts_col, when, "timestamp")
    default_action = classify_action(PurePath(raw.file_name).stem, default="enquiry")
    default_action = "enquiry" if default_action == "other" else default_action
    action = map_text(text(raw, action_c), lambda t: classify_action(t, default_action), default_action)
    # Answers not tied to a person identify an anonymous response among others at the same second.
    anonymous = raw.frame.loc[person.isna()]
    answers = (hash_rows(anonymous.set_axis(range(anonymous.shape[1]), axis=1)).reindex(raw.frame.index)
               if len(anonymous) else person)
    # The instant as a number (UTC microseconds), not as text: formatting a million timestamps cost seconds.
    micros = when.dt.tz_convert(None).to_numpy().astype("datetime64[us]").view(np.int64)
    inv = pd.DataFrame({
        "record_id": stable_ids("gforms:", [person, answers], (micros,)),
        "occurred_at": when,
        "person": person,
        "action": action,
        "source": _sources_with_referral(text(raw, hear_c), referred),
        "referred_by": referrer,
    })
    refs = _referral_rows(when, referrer, person, rows)
    return rows.parsed({"involvement": inv, "referrals": refs}, {
        "occurred_at": ts_col, "person": email or name or first, "action": action_c,
        "source": hear_c, "referred_by": ref_c}, unique_ids=("involvement",))


# --------------------------------------------------------------------------- Eventbrite

_NOT_ATTENDING = _rx(r"refund", r"cancel", r"delet", r"transfer", r"not attending", r"declin")


# Eventbrite writes its report headers in the organiser's language. Portuguese: the attendee report
# of pythonbrasil/dados (``dados/python-brasil-2024/dicionarios-de-dados/inscricoes-participantes.md``);
# German: the attendee data of coderdojo-linz/participants-management-client
# (``queries/badge-creator/badge.js``) and a German report's header listed in a published reader. Both
# write the order date as ``2024-04-01 10:33:40-03:00``. Spanish: the ``Attendees`` sheet published in
# mluquemeijide/metrics (``data_sets/event_data.xlsx``: ``Nombre del evento``, ``Id. del evento``,
# ``N.º de pedido``, ``Nombre``, ``Apellido``, ``Correo electrónico``...), a report downloaded without its
# order date, whose Spanish name is therefore not known. French, Italian, Dutch: not seen (tests/fixtures/GAPS.md).
EB_ORDER_DATE = ("order date", "data do pedido", "bestelldatum")
EB_ORDER = ("order", "order no", "order number", "order id", "nº do pedido", "bestellnr", "n.º de pedido")
EB_EVENT = ("event name", "event", "event title", "nombre del evento")
EB_EVENT_ID = ("id. del evento",)
EB_ATTENDEE = ("attendee", "attendee no", "attendee number", "attendee id", "participante nº", "teilnehmernummer")
EB_TICKET_TYPE = ("ticket type", "tipo de ingresso", "ticketart")
EB_STATUS = ("attendee status", "status do participante", "teilnehmerstatus", "order status", "status")
EB_EMAIL = ("email", "email address", "attendee email", "e mail", "correo electrónico")
EB_FIRST = ("first name", "forename", "vorname")
EB_LAST = ("last name", "surname", "family name", "sobrenome", "nachname", "apellido")
EB_TOTAL = ("total paid", "gross", "gross sales", "total pago", "gesamtzahlungsbetrag")
EB_QUANTITY = ("quantity", "qty", "quantidade", "anzahl")


def detect_eventbrite(raw: Raw) -> float:
    if not _has(raw, *EB_ORDER_DATE):
        # A report downloaded without its order date: recognised, so the reader can say what is missing.
        return 0.5 if all(_has(raw, *n) for n in (EB_EVENT, EB_EVENT_ID, EB_ORDER, EB_EMAIL)) else 0.0
    strong = sum(_has(raw, *n) for n in (
        EB_TICKET_TYPE, ("attendee status", "status do participante", "teilnehmerstatus"), ("event name",),
        ("attendee", "participante nº", "teilnehmernummer"), ("order", "nº do pedido", "bestellnr")))
    if strong >= 2:
        return 0.9
    return 0.6 if _has(raw, "email", "e mail", "first name", "vorname") else 0.3


def _eventbrite_first_name(raw: Raw) -> str | None:
    """First-name column; Portuguese reports say ``Nome`` beside ``Sobrenome``, Spanish ones ``Nombre`` beside
    ``Apellido`` (alone either may be a full name)."""
    return (col(raw, *EB_FIRST) or (col(raw, "nome") if _has(raw, "sobrenome") else None)
            or (col(raw, "nombre") if _has(raw, "apellido") else None))


def read_eventbrite(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    date_c = col(raw, *EB_ORDER_DATE, "date", "purchase date", "registration date")
    if date_c is None:
        raise ValueError("it has no order date column, so we cannot tell when anyone booked. Download the "
                         "attendee report again with its order date ('Order Date' in English reports).")
    uk = _has(raw, "surname")
    when, _ = dated(rows, raw, date_c, "order date", default_dayfirst=uk)
    email = col(raw, *EB_EMAIL)
    first, last = _eventbrite_first_name(raw), col(raw, *EB_LAST)
    person = people(raw, email, col(raw, "name", "attendee name"), first, last)
    status_c = col(raw, *EB_STATUS)
    dropped = text(raw, status_c).str.contains(_NOT_ATTENDING, na=False).astype(bool)
    if dropped.any():
        rows.warnings.append(f"{int(dropped.sum())} attendee(s) refunded, cancelled or not attending "
                             "were left out.")
    value = _ticket_values(raw, rows)
    hear_c, ref_c = hear_column(raw), referrer_column(raw)
    referrer, referred = referrer_answers(raw, ref_c)
    event_c = col(raw, *EB_EVENT)
    attendee_c = col(raw, *EB_ATTENDEE)
    order_c = col(raw, *EB_ORDER)
    if attendee_c is not None:
        key = [parse_ids(text(raw, attendee_c))[0]]
    else:
        key = [parse_ids(text(raw, order_c))[0], text(raw, event_c), person, text(raw, col(raw, *EB_TICKET_TYPE))]
    inv = pd.DataFrame({
        "record_id": stable_ids("eventbrite:", key),
        "occurred_at": when, "person": person, "action": "event",
        "source": _sources_with_referral(text(raw, hear_c), referred),
        "value": value, "referred_by": referrer,
    }).loc[~dropped]
    refs = _referral_rows(when, referrer, person, rows)
    refs = refs.loc[~dropped.reindex(refs.index)]
    return rows.parsed({"involvement": inv, "referrals": refs}, {
        "occurred_at": date_c, "person": email or first, "source": hear_c, "referred_by": ref_c,
        "value": col(raw, "ticket price", "price", *EB_TOTAL), "record_id": attendee_c or order_c})


def _ticket_values(raw: Raw, rows: ColumnReader) -> pd.Series:
    """Price per ticket: the Ticket Price, else Total Paid shared over the Quantity."""
    price_c = col(raw, "ticket price", "price")
    total_c = col(raw, *EB_TOTAL)
    qty_c = col(raw, *EB_QUANTITY)
    use = price_c or total_c
    if use is None:
        return pd.Series(pd.NA, index=raw.frame.index, dtype="Float64")
    cells = text(raw, use)
    free = cells.str.lower().isin({"free", "complimentary", "comp"})
    value, bad = parse_numbers(cells.mask(free, "0"))
    rows.note_bad(use, bad, "an amount")
    if use == total_c and qty_c is not None:
        qty = parse_numbers(text(raw, qty_c))[0]
        value = value / qty.where(qty > 0)
    return value


# --------------------------------------------------------------------------- HubSpot

HUBSPOT_SOURCES = {
    "ORGANIC_SEARCH": "search", "PAID_SEARCH": "search", "EMAIL_MARKETING": "email",
    "REFERRALS": "website", "DIRECT_TRAFFIC": "website", "OFFLINE": "unknown", "OFFLINE_SOURCES": "unknown",
    "OTHER_CAMPAIGNS": "other", "AI_REFERRALS": "other",
}
_SOCIAL = frozenset({"ORGANIC_SOCIAL", "SOCIAL_MEDIA", "PAID_SOCIAL"})
LIFECYCLE_RULES = (("membership", _rx(r"member")), ("donation", _rx(r"donor", r"donat")),
                   ("enrolment", _rx(r"enrol", r"student", r"pupil")), ("volunteer", _rx(r"volunteer")))


def hubspot_source(original: object, drill_down: object) -> str:
    """HubSpot Original Source (+ Drill-Down 1) -> one of ``schema.SOURCES``."""
    if _blank(original):
        return "unknown"
    key = re.sub(r"[\s-]+", "_", str(original).strip()).upper()
    if key in _SOCIAL:
        net = classify_source(drill_down)
        return net if net in schema.SOCIAL_PLATFORMS else "other"
    return HUBSPOT_SOURCES.get(key, "other")


def lifecycle_action(stage: object) -> str | None:
    """A Lifecycle Stage -> the action it shows; None for a blank stage (nothing says what they did)."""
    if _blank(stage):
        return None
    return next((a for a, rx in LIFECYCLE_RULES if rx.search(str(stage))), "enquiry")


def detect_hubspot(raw: Raw) -> float:
    if not _has(raw, "record id"):
        return 0.0
    return 0.9 if _has(raw, "original source", "lifecycle stage", "create date") else 0.4


_HUBSPOT_CONVERSION = ("recent conversion", "first conversion", "recent conversion event name",
                       "first conversion event name")


def read_hubspot(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    date_c = col(raw, "create date", "created date", "became a lead date")
    stage_c, conv_c = col(raw, "lifecycle stage"), col(raw, *_HUBSPOT_CONVERSION)
    src_c, drill_c = col(raw, "original source", "original traffic source"), col(
        raw, "original source drill down 1", "original traffic source drill down 1")
    email = col(raw, "email", "email address")
    ref_c = referrer_column(raw)  # a "Referred by" property some portals add
    mapping = {"record_id": col(raw, "record id"), "occurred_at": date_c, "person": email, "source": src_c,
               "action": stage_c or conv_c, "referred_by": ref_c}
    if stage_c is None and conv_c is None:
        # Contacts with nothing saying what they did are people the organisation knows, not actions.
        rows.warnings.append(
            f"This HubSpot contacts export lists {len(raw.frame):,} contact(s) but no column says what they did "
            "(Lifecycle Stage, First or Recent Conversion), so none is counted as an enquiry or any other action. "
            "To count them, export the contacts again with Lifecycle Stage and Original Source among the columns.")
        return rows.parsed({}, mapping)
    when, _ = dated(rows, raw, date_c, "Create Date column")
    person = people(raw, email, col(raw, "name", "full name"), col(raw, "first name"), col(raw, "last name"))
    drill = text(raw, drill_c)
    source = pd.Series([hubspot_source(o, d) for o, d in zip(text(raw, src_c), drill)],
                       index=raw.frame.index, dtype="str")
    ids, _ = parse_ids(text(raw, col(raw, "record id")))
    rows.reject_missing("Record ID", ids, "record id")
    action = map_text(text(raw, stage_c), lifecycle_action)
    if conv_c is not None:  # a form they filled in: what they asked for
        action = action.fillna(map_text(text(raw, conv_c), lambda t: classify_action(t, "enquiry")))
    unknown = action.isna()
    if unknown.any():
        rows.warnings.append(f"{int(unknown.sum()):,} contact(s) with no Lifecycle Stage or conversion are "
                             "people you know, not actions, and are not counted.")
    referrer, referred = referrer_answers(raw, ref_c)
    source = source.mask((source == "unknown") & referred, "referral")
    inv = pd.DataFrame({
        "record_id": "hubspot:" + ids,
        "occurred_at": when, "person": person, "action": action, "source": source, "referred_by": referrer,
    }).loc[~unknown]
    refs = _referral_rows(when, referrer, person, rows).loc[lambda d: ~unknown.reindex(d.index)]
    return rows.parsed({"involvement": inv, "referrals": refs}, mapping)


# --------------------------------------------------------------------------- Mailchimp

_MAILCHIMP_FORMS = _rx(r"embedded form", r"hosted sign ?up", r"signup form", r"pop-?up", r"landing page",
                       r"\bform\b")
_MAILCHIMP_ADDED = _rx(r"import", r"\bapi\b", r"admin", r"integration", r"zapier")


def mailchimp_source(value: object) -> str:
    if _blank(value):
        return "unknown"
    if _MAILCHIMP_ADDED.search(str(value)):
        return "unknown"
    found = classify_source(value)
    if found == "other" and _MAILCHIMP_FORMS.search(str(value)):
        return "website"
    return found


def detect_mailchimp(raw: Raw) -> float:
    if not _has(raw, "email address"):
        return 0.0
    marks = sum(_has(raw, n) for n in ("leid", "euid", "optin time", "confirm time", "member rating",
                                       "optin ip", "confirm ip"))
    return 0.9 if marks >= 2 else (0.6 if marks == 1 else 0.0)


def read_mailchimp(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    time_cols = [c for c in (col(raw, "optin time"), col(raw, "confirm time"), col(raw, "last changed"))
                 if c is not None]
    when = pd.Series(pd.NaT, index=raw.frame.index, dtype=schema.TIME)
    unreadable = []
    for c in time_cols:
        got, bad = read_dates(text(raw, c))
        unreadable.append((c, bad))
        when = when.fillna(got)
    for c, bad in unreadable:  # only rows with no readable time at all are lost
        rows.reject_bad_dates(c, bad & when.isna())
    rows.reject(when.isna(), f"no sign-up time ({', '.join(time_cols) or 'OPTIN_TIME'} empty)")
    email_c = col(raw, "email address", "email")
    person = people(raw, email_c)  # an audience is a list of emails; a name alone is not a subscriber
    rows.reject_missing(email_c, person, "email address")
    euid, leid = col(raw, "euid"), col(raw, "leid")
    key = [text(raw, euid), text(raw, leid)] if euid or leid else [person]
    src_c = col(raw, "source", "signup source", "sign up source", "how did you hear about us") or hear_column(raw)
    ref_c = referrer_column(raw)  # a "Referred by" merge field
    referrer, referred = referrer_answers(raw, ref_c)
    source = map_text(text(raw, src_c), mailchimp_source, "unknown")
    inv = pd.DataFrame({
        "record_id": stable_ids("mailchimp:", key),
        "occurred_at": when, "person": person, "action": "other",
        "source": source.mask((source == "unknown") & referred, "referral"), "referred_by": referrer,
    })
    refs = _referral_rows(when, referrer, person, rows)
    return rows.parsed({"involvement": inv, "referrals": refs}, {
        "record_id": euid or leid, "occurred_at": time_cols[0] if time_cols else None, "person": email_c,
        "source": src_c, "referred_by": ref_c})


# --------------------------------------------------------------------------- SignUpGenius


def _startswith(raw: Raw, *prefixes: str) -> str | None:
    return next((c for c in raw.frame.columns if any(norm_header(c).startswith(p) for p in prefixes)), None)


def detect_signupgenius(raw: Raw) -> float:
    named = any("signupgenius" in line.lower().replace(" ", "") for line in raw.preamble)
    slot = _has(raw, "sign up", "signup", "item", "slot") and _startswith(raw, "start date", "date") is not None
    who = _has(raw, "first name", "email", "name")
    if slot and who:
        return 0.95 if named else 0.8
    return 0.6 if named and who else 0.0


def _slot_times(raw: Raw, date_c: str | None, time_c: str | None) -> pd.Series:
    date, clock = text(raw, date_c), text(raw, time_c)
    has_clock = date.str.contains(r"\d:\d", na=False)
    return date.where(has_clock | clock.isna(), date + " " + clock)


def read_signupgenius(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    start_c = _startswith(raw, "start date", "date")
    end_c = _startswith(raw, "end date")
    start_t, end_t = col(raw, "start time", "time"), col(raw, "end time")
    header = norm_header(start_c or "")
    dayfirst = True if "dd mm" in header else (False if "mm dd" in header else None)
    starts, end_cells = _slot_times(raw, start_c, start_t), _slot_times(raw, end_c or start_c, end_t)
    email = col(raw, "email", "email address")
    first, last = col(raw, "first name"), col(raw, "last name", "surname")
    person = people(raw, email, col(raw, "name"), first, last)
    empty = person.isna()
    if empty.any():
        rows.warnings.append(f"{int(empty.sum())} empty slot(s) (nobody signed up) skipped.")
    when, bad = read_dates(starts, dayfirst=dayfirst)
    rows.reject(bad & ~empty, lambda i: f"'{start_c}' is not a date: '{shown(cells_of(raw, start_c)[i])}'")
    rows.reject(when.isna() & ~empty, f"'{start_c}' is empty")
    hours = None
    if end_t is not None or end_c is not None:
        ends, _ = read_dates(end_cells, dayfirst=dayfirst)
        span = (ends - when).dt.total_seconds() / 3600
        hours = span.where((span > 0) & (span <= 24) & starts.str.contains(r"\d:\d", na=False)).astype("Float64")
    signup, item = text(raw, col(raw, "sign up", "signup", "sign up title")), text(raw, col(raw, "item", "slot"))
    inv = pd.DataFrame({
        "record_id": stable_ids("signupgenius:", [signup, starts, item, text(raw, col(raw, "location")), person]),
        "occurred_at": when, "person": person, "action": "volunteer", "source": "unknown", "value": hours,
    }).loc[~empty]
    return rows.parsed({"involvement": inv}, {
        "occurred_at": start_c, "person": email or first, "value": end_t or end_c})


# --------------------------------------------------------------------------- referral programmes

_REFERRER = ("referrer email", "referrer", "referrer name", "referred by", "advocate email", "advocate",
             "referring member", "referring email", "sender email", "referrer e mail", "member email")
_REFERRED = ("referred email", "friend email", "referee email", "referred", "referee", "invitee email",
             "invitee", "friend", "referred friend", "referred friend email", "referred name", "friend name",
             "recipient email", "new member email", "referred person", "referee name")
_REF_DATE = ("date", "referral date", "date referred", "created at", "created", "created date", "sent at",
             "invited at", "signup date", "timestamp", "date of referral", "referred at", "referred on")
_CONVERTED = _rx(r"convert", r"complet", r"success", r"reward", r"approv", r"\bpaid\b", r"qualified",
                 r"enrol", r"joined", r"signed up", r"accepted", r"won", r"\bconfirmed\b", r"credit.?awarded")
_NOT_CONVERTED = _rx(r"pending", r"invited", r"\bsent\b", r"click", r"declin", r"expire", r"reject",
                     r"cancel", r"fail", r"denied", r"\bnot\b", r"\bopen\b", r"progress", r"unqualified", r"lost",
                     r"unconfirmed")


def referral_status(value: object) -> bool | None:
    """A referral programme's status text -> converted True/False, None when unclear."""
    if _blank(value):
        return None
    if _NOT_CONVERTED.search(str(value)):
        return False
    return True if _CONVERTED.search(str(value)) else None


def detect_referral_programme(raw: Raw) -> float:
    referrer = _has(raw, *_REFERRER, "referral code", "referrer code", "code")
    referred = _has(raw, *_REFERRED)
    if not (referrer and referred):
        return 0.0
    return 0.8 if _has(raw, *_REF_DATE) else 0.45


def read_referral_programme(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    date_c = col(raw, *_REF_DATE)
    when, _ = dated(rows, raw, date_c, "date column")
    code_c = col(raw, "referral code", "referrer code", "code")
    referrer_c = col(raw, *_REFERRER) or code_c
    referred_c = col(raw, *_REFERRED)
    # A code stands for its owner when the programme did not record who they are.
    referrer = schema.normalise_person(text(raw, referrer_c).fillna(text(raw, code_c)))
    referred = schema.normalise_person(text(raw, referred_c))
    rows.reject_missing(referrer_c, referrer, "referrer")
    rows.reject_missing(referred_c, referred, "referred person")
    rows.reject(referrer == referred, "the referrer and the referred person are the same")
    converted = _converted(raw, rows)
    channel_c = col(raw, "channel", "share channel", "medium", "source", "shared via", "method", "via")
    channel = map_text(text(raw, channel_c), channel_word)
    id_c = col(raw, "referral id", "id", "referral no", "referral number")
    refs = pd.DataFrame({
        "record_id": stable_ids("referral-id:", [parse_ids(text(raw, id_c))[0]]) if id_c
        else pair_ids(referrer, referred), "occurred_at": when, "referrer": referrer,
        "referred": referred, "channel": channel, "converted": converted,
    })
    return rows.parsed({"referrals": refs}, {
        "record_id": id_c, "occurred_at": date_c, "referrer": referrer_c, "referred": referred_c,
        "channel": channel_c, "converted": col(raw, "converted", "status", "referral status")})


def _converted(raw: Raw, rows: ColumnReader) -> pd.Series:
    conv_c = col(raw, "converted", "conversion", "successful", "rewarded", "joined")
    if conv_c is not None:
        values, bad = parse_bools(text(raw, conv_c))
        rows.note_bad(conv_c, bad, "yes or no")
        return values
    status = text(raw, col(raw, "status", "referral status", "state", "stage"))
    return pd.Series([referral_status(v) for v in status], index=raw.frame.index, dtype="boolean")


# --------------------------------------------------------------------------- referral sign-up lists

# Waitlist and referral tools (ReferralHero, Viral Loops, GrowSurf, Prefinery) export one row per
# subscriber, with who referred them as an email, a name, or the referrer's own id or code.
_SIGNUP_REFERRER = ("referred by", "referred by email", "referred by id", "referred by code", "referrer id",
                    "referrerid", "referred by id", "referredby", "referrer email", "referrer code",
                    "referrer", "referred by participant", "referred by subscriber")
_SIGNUP_EMAIL = ("email", "email address", "subscriber email", "participant email")
_SIGNUP_KEYS = ("id", "subscriber id", "participant id", "code", "referral code", "referral id", "unique code",
                "ref code", "referral link code")
_SIGNUP_DATE = ("created at", "createdat", "created", "created date", "date", "signup date", "sign up date",
                "joined at", "joinedat", "joined", "date joined", "subscribed at", "subscribedat", "date added",
                "timestamp", "signed up at", "signedupat", "added at")


def detect_referral_signups(raw: Raw) -> float:
    if not (_has(raw, *_SIGNUP_EMAIL) and _has(raw, *_SIGNUP_REFERRER)):
        return 0.0
    if _has(raw, *_REFERRED):  # a list of pairs: the referral programme reader
        return 0.0
    return 0.75 if _has(raw, *_SIGNUP_DATE) else 0.55


def read_referral_signups(raw: Raw) -> Parsed:
    rows = ColumnReader(raw)
    date_c = col(raw, *_SIGNUP_DATE)
    when, bad = dated(rows, raw, date_c, "sign-up date", required=False)
    email_c, ref_c = col(raw, *_SIGNUP_EMAIL), col(raw, *_SIGNUP_REFERRER)
    person = people(raw, email_c, col(raw, "name", "full name"), col(raw, "first name", "firstname"),
                    col(raw, "last name", "lastname"))
    # A referrer given as an id or code of another row of this list is that row's person.
    said = text(raw, ref_c)
    referrer = said.copy()
    for key_c in (c for c in (col(raw, k) for k in _SIGNUP_KEYS) if c is not None and c != ref_c):
        keys = text(raw, key_c)
        owners = pd.Series(person.to_numpy(), index=keys.to_numpy()).loc[lambda o: o.index.notna()]
        owners = owners[~owners.index.duplicated()]
        found = said.map(owners)
        referrer = referrer.where(found.isna(), found)
    referrer = schema.normalise_person(referrer)
    named = referrer.notna()
    alone = int((~named).sum())
    if alone:
        rows.warnings.append(f"{alone:,} subscriber(s) joined with nobody referring them; they are not referrals "
                             "and are not counted.")
    rows.reject(named & when.isna() & ~bad, f"'{date_c}' is empty" if date_c else "no sign-up date column")
    rows.reject(named & person.isna(), f"'{email_c}' is empty")
    rows.reject(named & (referrer == person), "the subscriber is named as their own referrer")
    status_c = col(raw, "status", "referral status", "state")
    converted = (pd.Series([referral_status(v) for v in text(raw, status_c)], index=raw.frame.index,
                           dtype="boolean") if status_c else pd.Series(True, index=raw.frame.index, dtype="boolean"))
    refs = pd.DataFrame({"record_id": pair_ids(referrer, person), "occurred_at": when, "referrer": referrer,
                         "referred": person, "converted": converted}).loc[named]
    return rows.parsed({"referrals": refs}, {"occurred_at": date_c, "referrer": ref_c, "referred": email_c,
                                             "converted": status_c})


def channel_word(value: str) -> str:
    """Channel text -> a source word when recognised, else the text lower-cased."""
    found = classify_source(value)
    return found if found not in ("other", "unknown") else str(value).strip().lower()


# --------------------------------------------------------------------------- registration

SOURCES_HERE = (
    Source("google_forms", "Google Forms responses", ("involvement", "referrals"),
           detect_google_forms, read_google_forms,
           "a Google Forms responses file: first column 'Timestamp' (in other languages 'Horodateur', "
           "'Marca temporal', 'Zeitstempel', 'Carimbo de data/hora', 'Informazioni cronologiche', 'Tijdstempel'), "
           "then one column per question"),
    Source("eventbrite_attendees", "Eventbrite attendee report", ("involvement", "referrals"),
           detect_eventbrite, read_eventbrite,
           "an Eventbrite attendee report with 'Order #', 'Order Date', 'First Name', 'Email', 'Ticket Type'"),
    Source("hubspot_contacts", "HubSpot contacts export", ("involvement",), detect_hubspot, read_hubspot,
           "a HubSpot contacts export with 'Record ID', 'Create Date', 'Original Source', 'Lifecycle Stage'"),
    Source("mailchimp_audience", "Mailchimp audience export", ("involvement",), detect_mailchimp,
           read_mailchimp, "a Mailchimp audience export with 'Email Address', 'OPTIN_TIME', 'LEID', 'EUID'"),
    Source("signupgenius", "SignUpGenius sign-up report", ("involvement",), detect_signupgenius,
           read_signupgenius, "a SignUpGenius report with 'Sign Up', 'Start Date', 'Item', 'First Name', 'Email'"),
    Source("referral_signups", "Referral or waitlist sign-up list", ("referrals",), detect_referral_signups,
           read_referral_signups,
           "a list of subscribers (ReferralHero, Viral Loops, GrowSurf, Prefinery) with an 'Email' column and a "
           "'Referred By' column (an email, or the referrer's id or code), and a sign-up date"),
    Source("referral_programme", "Referral programme export", ("referrals",), detect_referral_programme,
           read_referral_programme,
           "a referral list with a referrer column ('Referrer Email' or 'Referral Code'), a referred column "
           "('Referred Email' or 'Friend Email') and a 'Date'"),
)

for _s in SOURCES_HERE:
    register(_s)
