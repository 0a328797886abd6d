"""Community content in form submissions: the stories, photos and videos people send.

A derivation (see ``registry.register_derivation``) on form exports (Google
Forms, and any other form source registered with one of :data:`FORM_SOURCES`).
Rules that change the numbers:

* **Content questions.** A question is an *upload* when Google Forms wrote
  Drive links into it (``https://drive.google.com/open?id=...``, several
  joined by ", "; the first 2,000 answered cells are looked at) or its title asks for a file, photo, picture, image or video
  (upload, photo, foto, picture, image, bild, imagen, immagine, afbeelding,
  video, vidéo, vídeo, file, fichier, datei, archivo, arquivo, bestand...). A
  question is a *story* when its title asks for a story, experience or
  testimonial (your story, tell us, share your, testimonial, histoire,
  témoignage, historia, testimonio, geschichte, erfahrung, história,
  depoimento, storia, testimonianza, verhaal, ervaring...).
* **A contribution** is one submission with at least one upload or a story
  answer of 20 characters or more (shorter answers such as "n/a" or "see
  photo" are not a story). One per submission, however many files it holds.
  Kind: ``video`` when an upload question is about video, else ``photo``
  when there is an upload, else ``story``.
* **Consent.** When the form asks for permission to share (consent,
  permission, "may we", "can we use/share", OK to share, autorisation,
  consentement, consentimiento, permiso, Einverständnis, Einwilligung,
  consentimento, autorização, consenso, autorizzazione, toestemming...), the
  yes/no answer is kept in ``consent`` (null when unanswered or not asked).
  Contributions without consent still count: the person still made content
  for the organisation; the page says how many may be shared.
* **Who**: the email, else the name; a submission without either is
  "Anonymous submission N" (N its line in the file), so anonymous senders
  count as different contributors and never as repeat contributors.
* **record_id** hashes the timestamp cell, the contributor and the content
  answers: re-uploading the responses gives the same ids.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from harness import community
from harness.ingest.registry import Parsed, Raw, register_derivation
from harness.ingest.values import clean_text, hash_rows, norm_header, parse_bools

FORM_SOURCES = frozenset({"google_forms", "microsoft_forms", "jotform", "typeform", "tally_forms"})

DRIVE_LINK = re.compile(r"https?://(?:drive|docs)\.google\.com/(?:open\?id=|file/d/|uc\?id=)", re.IGNORECASE)
UPLOAD_TITLE = re.compile(
    r"\b(upload|attach|photos?|pictures?|pics?|images?|videos?|clips?|files?|foto|fotos|fotografia|bild|bilder|"
    r"imagen|imagenes|immagin[ei]|afbeelding|fichier|datei|archivo|arquivo|bestand|anexo|allegat)")
VIDEO_TITLE = re.compile(r"\b(videos?|clips?|film)\b")
STORY_TITLE = re.compile(
    r"(\byour story\b|\bstory\b|\bstories\b|\btell us\b|\bshare your\b|\btestimonial|\bexperience\b|"
    r"\bhistoire\b|\btemoignage|\bhistoria\b|\btestimonio|\bgeschichte\b|\berfahrung|\bdepoimento|"
    r"\bstoria\b|\btestimonianza|\bverhaal\b|\bervaring|\bcuentanos|\bracontez|\berzahl|\bconte nos|\braccontaci|"
    r"\bvertel)")
CONSENT_TITLE = re.compile(
    r"(consent|permission|\bmay we\b|\bcan we (use|share|publish)|\bok to (share|use|publish)|"
    r"\bhappy for us to|\bagree to (us )?(share|use|publish)|autorisation|consentement|\bautoris|consentimiento|"
    r"\bpermiso|\bautoriz|einverstand|einwilligung|zustimmung|consentimento|consenso|toestemming)")
MIN_STORY = 20


def _cells(raw: Raw, col) -> pd.Series:
    s = raw.frame[col]
    return clean_text(s.iloc[:, 0] if isinstance(s, pd.DataFrame) else s)


SCAN_CELLS = 2000  # an upload question has Drive links in most of its answered cells: a sample tells


def _has_drive_links(raw: Raw, col) -> bool:
    s = raw.frame[col]
    s = s.iloc[:, 0] if isinstance(s, pd.DataFrame) else s
    sample = s.dropna().head(SCAN_CELLS)
    return bool(len(sample)) and bool(sample.astype(str).str.contains(DRIVE_LINK).any())


def content_columns(raw: Raw) -> dict[str, list]:
    """The form's upload, story and consent questions (see the module rules)."""
    found: dict[str, list] = {"upload": [], "video": [], "story": [], "consent": []}
    for i, c in enumerate(raw.frame.columns):
        if i == 0:
            continue  # the Timestamp
        title = community.fold(c)
        if CONSENT_TITLE.search(title):
            found["consent"].append(c)
            continue
        if UPLOAD_TITLE.search(title) or _has_drive_links(raw, c):
            found["upload"].append(c)
            if VIDEO_TITLE.search(title):
                found["video"].append(c)
        elif STORY_TITLE.search(title):
            found["story"].append(c)
    return found


def _person(raw: Raw) -> pd.Series:
    from harness import schema

    def pick(*names):
        wanted = {norm_header(n) for n in names}
        return next((c for c in raw.frame.columns if norm_header(c) in wanted), None)

    email = pick("email address", "email", "e mail", "your email", "adresse e mail", "correo electronico",
                 "e mail adresse", "endereco de e mail", "indirizzo email", "e mailadres")
    name = pick("name", "full name", "your name", "first and last name", "nom", "nombre", "nome", "naam")
    out = pd.Series(pd.NA, index=raw.frame.index, dtype="str")
    if email:
        out = _cells(raw, email)
    if name:
        out = out.fillna(_cells(raw, name))
    return schema.normalise_person(out)


def story_contributions(raw: Raw) -> pd.DataFrame:
    cols = content_columns(raw)
    if not cols["upload"] and not cols["story"]:
        return pd.DataFrame()
    from harness.ingest.people import forms_timestamps  # the same timestamp rules as the form's other rows

    when = forms_timestamps(_cells(raw, raw.frame.columns[0]))[0]
    has_upload = np.zeros(len(raw.frame), dtype=bool)
    for c in cols["upload"]:
        has_upload |= _cells(raw, c).notna().to_numpy()
    has_video = np.zeros(len(raw.frame), dtype=bool)
    for c in cols["video"]:
        has_video |= _cells(raw, c).notna().to_numpy()
    has_story = np.zeros(len(raw.frame), dtype=bool)
    for c in cols["story"]:
        has_story |= (_cells(raw, c).str.len() >= MIN_STORY).fillna(False).to_numpy(bool)
    keep = (has_upload | has_story) & when.notna().to_numpy()
    consent = pd.Series(pd.NA, index=raw.frame.index, dtype="boolean")
    for c in cols["consent"]:
        consent = consent.fillna(_consent(_cells(raw, c)))
    person = _person(raw)
    lines = pd.Series(raw.line_numbers, index=raw.frame.index)
    contributor = person.fillna("Anonymous submission " + lines.astype(int).astype(str))
    kind = np.where(has_video, "video", np.where(has_upload, "photo", "story"))
    content = raw.frame[[raw.frame.columns[0]] + cols["upload"] + cols["story"]]
    key = pd.concat([content.set_axis(range(content.shape[1]), axis=1), contributor.rename("who")], axis=1)
    ids = hash_rows(key.astype("object").where(key.notna(), None).astype("str"), "form-story:")
    df = pd.DataFrame({
        "record_id": ids, "created_at": when, "contributor": contributor, "platform": "form",
        "kind": kind, "used_by_org": pd.NA, "engagement": pd.NA, "consent": consent,
    })
    return df[keep]


_YES_WORDS = re.compile(r"^(?:yes|y|oui|si|sim|ja|sì|i agree|i consent|agree|d'accord|de acuerdo|einverstanden|"
                        r"concordo|acconsento|akkoord)\b")
_NO_WORDS = re.compile(r"^(?:no|n|non|nao|nein|nee|i do not|i don't|do not|don't|pas|nicht)\b")


def _consent(cells: pd.Series) -> pd.Series:
    """Yes/no answers to a consent question, in the languages the word lists cover (null otherwise)."""
    from harness.ingest.events import map_unique

    base = parse_bools(cells)[0]

    def word(v) -> bool | None:
        t = community.fold(v)
        return True if _YES_WORDS.search(t) else (False if _NO_WORDS.search(t) else None)

    words = map_unique(cells, word).astype("boolean")
    return base.fillna(words)


def derive_stories(source_id: str, raw: Raw, parsed: Parsed) -> dict[str, pd.DataFrame]:
    if source_id not in FORM_SOURCES:
        return {}
    df = story_contributions(raw)
    return {"contributions": df} if len(df) else {}


register_derivation("The stories, photos and videos in this form", derive_stories)
