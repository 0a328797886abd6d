"""Review links: frozen snapshots that leadership opens without an account, and who may edit.

Publishing (:func:`publish_review`) stores a snapshot of the figures staff
see (:func:`build_snapshot`) with their commentary and returns a link token.

Rules that matter for safety:

* The token is ``secrets.token_urlsafe(32)`` (256 random bits, 43
  characters). Only its SHA-256 is stored, so a copy of the database gives no
  working link; the token is shown once, at publish time, and cannot be
  listed again. Hashes are compared with :func:`hmac.compare_digest`.
* :func:`access_review` says ``NOT_FOUND`` for a malformed, unknown, revoked
  or expired token (no hint which), and only for a live token says whether a
  passcode is needed or was wrong. :func:`open_review` returns the review
  only on ``OK``. Nothing here writes to the workspace when a review is read.
* Passcodes are hashed with scrypt (random 16-byte salt; N, r, p stored with
  the hash so they can be raised later) and checked in constant time.
  A passcode has at least :data:`MIN_PASSCODE` characters (not counting
  spaces at its ends); :func:`suggest_passcode` offers a random passphrase.
* Guessing is throttled per link, in the database, never per browser
  session: wrong passcodes are counted on the review's row, so every tab,
  session and app replica adds to one count. :data:`MAX_WRONG` wrong
  passcodes within :data:`WRONG_WINDOW` of the first of them lock the link
  for :data:`LOCK_FOR`: until then :func:`access_review` answers ``LOCKED``
  to every passcode, the right one included, without checking it. The count
  is read and written under a row lock (``Store.lock_review``), so wrong
  tries arriving at once from two replicas are both counted. A window
  starts at its first wrong passcode; a lock starts a new window.
* Access counts for editors (:func:`access_log`): per link and UTC day, how
  many times it was opened (first and last time), wrong passcodes, lockouts
  and passcodes refused during a lock. Nothing about the visitor (no IP
  address, browser or name) is kept.
* A review expires at ``expires_at`` (the link stops working at that instant).
* "What changed since the previous review" is computed at publish time
  against the latest earlier review of the workspace that was not revoked,
  and frozen with the review.

Snapshot (``format`` 1): a JSON object of aggregates only (no raw rows), every
number finite or null, dates and times ISO 8601::

    format            1
    generated_at      "2026-03-16T09:00:00+00:00" (UTC)
    period            {"start": "2026-03-02", "end": "2026-03-15", "days": 14, "label": "2 Mar – 15 Mar 2026"}
    previous_period   the same for the period before
    platforms         null (all) or a list of platform names the figures are limited to
    settings          targets.settings_to_dict(...) used for the scores
    pseudonymised     true when people's names are replaced by "Person 3f9a1c0e" pseudonyms
    scorecard         scoring.Scorecard.to_dict(): period, previous_period,
                      pillars{key: label, score, previous_score, change, status, reading, components[...]},
                      vanity{current, previous}, inputs[file_name, source, source_label, tables, rejected, ...]
    vanity            freq: "W" (weekly rows)
                      summary: [{metric, label, kind, current, previous, change}] (vanity.summary)
                      weekly:  [{bucket "YYYY-MM-DD", days, reactions, ..., real_actions_per_1k_reactions}]
                      correlation: {rho, n_weeks, strength, reading}
    network           network.NetworkMetrics.to_dict() for the period (headline figures, by_depth,
                      cascade_sizes, previous, change, top_by_reach / top_by_direct_referrals rows whose
                      ``person`` is pseudonymised unless pseudonymise=False)
    pyramid           [{level, label, description, people, previous_people, change, known_people,
                      estimate, basis}] (pyramid.pyramid_counts), lowest level first
    coverage          {table: {start, end (ISO), rows} or null when nothing was loaded} for all the data

Editors (:func:`is_editor_allowed`): an email is allowed when it is listed in
``emails`` or its domain is exactly one of ``domains`` (case-insensitive); an
entry ``*.school.org`` also allows subdomains such as ``staff.school.org``.
Lookalikes never match: ``x@evil-school.org`` and ``a@school.org.evil.com``
are not ``school.org``. Addresses with spaces, several ``@`` or non-ASCII
characters are refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import hmac
import json
import math
import re
import secrets
import zlib
from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa

from harness import format as fmt
from harness.storage import REVIEW_ACCESS, REVIEW_EVENTS, REVIEWS, Store, StorageError, to_json, utcnow

TOKEN_BYTES = 32
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32,128}")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_SNAPSHOT_BYTES = 20 * 1024 * 1024
MAX_PASSCODE = 1024
MIN_PASSCODE = 8
MAX_WRONG = 10  # wrong passcodes per link within WRONG_WINDOW before it locks
WRONG_WINDOW = dt.timedelta(minutes=15)
LOCK_FOR = dt.timedelta(minutes=15)
SNAPSHOT_FORMAT = 1


class ReviewAccess(enum.Enum):
    OK = "ok"
    NOT_FOUND = "not_found"  # malformed, unknown, revoked or expired: say nothing more
    NEEDS_PASSCODE = "needs_passcode"
    WRONG_PASSCODE = "wrong_passcode"
    LOCKED = "locked"  # too many wrong passcodes: no passcode is checked until Lockout.until


@dataclass(frozen=True)
class Lockout:
    """What :func:`access_review` gives with ``LOCKED``: when passcodes are checked again."""
    until: dt.datetime


@dataclass(frozen=True)
class Review:
    id: int
    workspace_id: str
    title: str
    commentary: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    snapshot: dict
    changes: list[str]  # "what changed since the previous review", frozen at publish
    previous_review_id: int | None
    has_passcode: bool


@dataclass(frozen=True)
class ReviewInfo:
    """A review as listed for staff (no snapshot, no token)."""
    id: int
    workspace_id: str
    title: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    has_passcode: bool
    period_start: str | None
    period_end: str | None
    status: str  # "active", "revoked" or "expired"


# ---------------------------------------------------------------- hashing


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_passcode(passcode: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(digest)}"


def verify_passcode(passcode: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(passcode.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def passcode_problem(passcode: str | None) -> str | None:
    """Why ``passcode`` cannot protect a review, in plain words; None when it can (or when there is none)."""
    if passcode is None or passcode == "":
        return None
    if not isinstance(passcode, str):
        return "The passcode must be text."
    if len(passcode) > MAX_PASSCODE:
        return f"The passcode is too long (at most {MAX_PASSCODE} characters)."
    length = len(passcode.strip())
    if length < MIN_PASSCODE:
        return (f"The passcode is too short: use at least {MIN_PASSCODE} characters (it has {length}). "
                "Press “Suggest a passcode” for an easy-to-type one, or leave it empty for no passcode.")
    return None


def suggest_passcode(words: int = 4) -> str:
    """A random passphrase such as ``otter-lantern-maple-cello``: ``words`` words from a 256-word list (8 bits
    each, from :mod:`secrets`), easy to read out on the phone; 4 words is 32 bits, and with the lock after
    ten wrong tries a guesser gets about a thousand tries a day."""
    from harness.passphrase import WORDS

    return "-".join(secrets.choice(WORDS) for _ in range(max(3, int(words))))


# ---------------------------------------------------------------- publishing and opening


def _expiry(expires_at, now: dt.datetime) -> dt.datetime | None:
    if expires_at is None:
        return None
    if isinstance(expires_at, dt.timedelta):
        expires_at = now + expires_at
    if not isinstance(expires_at, dt.datetime) or expires_at.tzinfo is None:
        raise StorageError("The expiry must be a date and time with a time zone, or a length of time.")
    return expires_at.astimezone(dt.timezone.utc)


def _compress(snapshot: dict) -> tuple[bytes, int]:
    text = to_json(snapshot).encode("utf-8")
    if len(text) > MAX_SNAPSHOT_BYTES:
        raise StorageError(f"The review is too large to publish ({len(text) // 1_000_000} MB of figures).")
    return zlib.compress(text, 6), len(text)


def _snapshot(blob: bytes) -> dict:
    return json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))


def _event(conn, review_id: int, action: str, actor: str | None, detail: str | None = None, now=None) -> None:
    conn.execute(REVIEW_EVENTS.insert().values(review_id=review_id, at=now or utcnow(), action=action,
                                               actor=actor, detail=detail))


def publish_review(store: Store, ws_id: str, snapshot: dict, *, title: str, commentary: str = "",
                   passcode: str | None = None, expires_at: dt.datetime | dt.timedelta | None = None,
                   actor: str | None = None, now: dt.datetime | None = None) -> tuple[str, int]:
    """Freeze ``snapshot`` as a review of workspace ``ws_id``; returns (token for the link, review id)."""
    now = now or utcnow()
    title = (title or "").strip() or "Review"
    problem = passcode_problem(passcode)
    if problem:
        raise StorageError(problem)
    expires = _expiry(expires_at, now)
    if expires is not None and expires <= now:
        raise StorageError("The expiry is in the past: choose a later date.")
    blob, size = _compress(snapshot)
    period = snapshot.get("period") or {}
    token = new_token()
    with store.write() as conn:
        store.lock_workspace(conn, ws_id)
        prev = conn.execute(sa.select(REVIEWS.c.id, REVIEWS.c.snapshot)
                            .where(REVIEWS.c.workspace_id == ws_id, REVIEWS.c.revoked_at.is_(None))
                            .order_by(REVIEWS.c.created_at.desc(), REVIEWS.c.id.desc()).limit(1)).first()
        changes = changes_since(_snapshot(prev.snapshot) if prev else None, snapshot)
        review_id = conn.execute(REVIEWS.insert().values(
            token_hash=hash_token(token), workspace_id=ws_id, created_at=now, expires_at=expires,
            passcode_hash=hash_passcode(passcode) if passcode else None, title=title[:255],
            commentary=commentary or "", period_start=period.get("start"), period_end=period.get("end"),
            snapshot=blob, snapshot_size=size, changes=to_json(changes),
            previous_review_id=prev.id if prev else None)).inserted_primary_key[0]
        _event(conn, review_id, "published", actor, now=now)
    return token, int(review_id)


def _live(row, now: dt.datetime) -> bool:
    return row.revoked_at is None and (row.expires_at is None or now < row.expires_at)


def access_review(store: Store, token: str, passcode: str | None = None, *, now: dt.datetime | None = None,
                  record_open: bool = True) -> tuple[ReviewAccess, Review | Lockout | None]:
    """Whether ``token`` (and ``passcode``) open a review: the one door to a review.

    Returns ``(OK, Review)``, ``(LOCKED, Lockout)`` or ``(NOT_FOUND | NEEDS_PASSCODE | WRONG_PASSCODE, None)``.
    Each call is one try, as from a new browser session: a wrong passcode is counted for the link in the
    database, and the one that makes :data:`MAX_WRONG` within :data:`WRONG_WINDOW` answers ``LOCKED``.
    An ``OK`` counts as an opening unless ``record_open`` is False (a page re-running for a visitor who has
    already opened it).
    """
    now = now or utcnow()
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return ReviewAccess.NOT_FOUND, None
    digest = hash_token(token)
    with store.read() as conn:
        row = conn.execute(sa.select(REVIEWS).where(REVIEWS.c.token_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest) or not _live(row, now):
        return ReviewAccess.NOT_FOUND, None
    if row.passcode_hash:
        if _locked(row.locked_until, now):
            if passcode:
                with store.write() as conn:
                    store.count_access(conn, row.id, now, refused_while_locked=1)
            return ReviewAccess.LOCKED, Lockout(row.locked_until)
        if not passcode:
            return ReviewAccess.NEEDS_PASSCODE, None
        if not verify_passcode(str(passcode)[:MAX_PASSCODE], row.passcode_hash):
            return _count_wrong(store, row.id, now)
    if record_open:
        with store.write() as conn:
            store.count_access(conn, row.id, now, opens=1)
    return ReviewAccess.OK, Review(
        id=row.id, workspace_id=row.workspace_id, title=row.title, commentary=row.commentary,
        created_at=row.created_at, expires_at=row.expires_at, snapshot=_snapshot(row.snapshot),
        changes=json.loads(row.changes), previous_review_id=row.previous_review_id,
        has_passcode=bool(row.passcode_hash))


def _locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until


def _count_wrong(store: Store, review_id: int, now: dt.datetime) -> tuple[ReviewAccess, Lockout | None]:
    """Count one wrong passcode for the link (under its row lock); lock the link at the MAX_WRONG-th."""
    with store.write() as conn:
        row = store.lock_review(conn, review_id)
        if row is None:  # deleted while the passcode was being checked
            return ReviewAccess.NOT_FOUND, None
        if _locked(row.locked_until, now):  # another session or replica locked it meanwhile
            store.count_access(conn, review_id, now, refused_while_locked=1)
            return ReviewAccess.LOCKED, Lockout(row.locked_until)
        if row.failed_since is None or now - row.failed_since >= WRONG_WINDOW:
            count, since = 1, now
        else:
            count, since = row.failed_attempts + 1, row.failed_since
        where = REVIEWS.update().where(REVIEWS.c.id == review_id)
        if count >= MAX_WRONG:
            until = now + LOCK_FOR
            conn.execute(where.values(failed_attempts=0, failed_since=None, locked_until=until))
            store.count_access(conn, review_id, now, wrong_passcodes=1, lockouts=1)
            _event(conn, review_id, "locked", None,
                   f"{count} wrong passcodes within {_minutes(WRONG_WINDOW)}; locked until {until.isoformat()}",
                   now=now)
            return ReviewAccess.LOCKED, Lockout(until)
        conn.execute(where.values(failed_attempts=count, failed_since=since))
        store.count_access(conn, review_id, now, wrong_passcodes=1)
    return ReviewAccess.WRONG_PASSCODE, None


def _minutes(delta: dt.timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)} minutes"


def open_review(store: Store, token: str, passcode: str | None = None, *,
                now: dt.datetime | None = None) -> Review | None:
    """The review for ``token``, or None (unknown, revoked, expired, locked, passcode missing or wrong)."""
    status, review = access_review(store, token, passcode, now=now)
    return review if status is ReviewAccess.OK else None


def list_reviews(store: Store, ws_id: str, *, now: dt.datetime | None = None) -> list[ReviewInfo]:
    """The workspace's reviews, newest first (snapshots are not read)."""
    now = now or utcnow()
    r = REVIEWS
    q = (sa.select(r.c.id, r.c.workspace_id, r.c.title, r.c.created_at, r.c.expires_at, r.c.revoked_at,
                   r.c.passcode_hash, r.c.period_start, r.c.period_end)
         .where(r.c.workspace_id == ws_id).order_by(r.c.created_at.desc(), r.c.id.desc()))
    with store.read() as conn:
        rows = conn.execute(q).all()
    return [ReviewInfo(row.id, row.workspace_id, row.title, row.created_at, row.expires_at, row.revoked_at,
                       row.passcode_hash is not None, row.period_start, row.period_end,
                       "revoked" if row.revoked_at else "active" if _live(row, now) else "expired")
            for row in rows]


def revoke_review(store: Store, review_id: int, *, actor: str | None = None) -> bool:
    """Stop a review link working, for good; False if it does not exist or was already revoked."""
    now = utcnow()
    with store.write() as conn:
        n = conn.execute(REVIEWS.update().where(REVIEWS.c.id == review_id, REVIEWS.c.revoked_at.is_(None))
                         .values(revoked_at=now)).rowcount
        if n:
            _event(conn, review_id, "revoked", actor, now=now)
    return n > 0


def set_expiry(store: Store, review_id: int, expires_at: dt.datetime | dt.timedelta | None, *,
               actor: str | None = None) -> bool:
    """Set (or with None, remove) when a review link stops working; False if there is no such review."""
    now = utcnow()
    expires = _expiry(expires_at, now)
    with store.write() as conn:
        n = conn.execute(REVIEWS.update().where(REVIEWS.c.id == review_id).values(expires_at=expires)).rowcount
        if n:
            _event(conn, review_id, "expiry_set", actor, expires.isoformat() if expires else "never", now=now)
    return n > 0


def review_events(store: Store, review_id: int) -> list[dict]:
    """The audit trail of one review: publish, revoke, expiry changes and lockouts, oldest first."""
    e = REVIEW_EVENTS
    with store.read() as conn:
        rows = conn.execute(sa.select(e.c.at, e.c.action, e.c.actor, e.c.detail)
                            .where(e.c.review_id == review_id).order_by(e.c.id)).all()
    return [dict(r._mapping) for r in rows]


@dataclass(frozen=True)
class AccessDay:
    day: dt.date
    opens: int
    wrong_passcodes: int
    lockouts: int
    refused_while_locked: int


@dataclass(frozen=True)
class AccessLog:
    """How a link has been used, for editors: counts and times only, nothing about who."""
    review_id: int
    opens: int
    first_opened_at: dt.datetime | None
    last_opened_at: dt.datetime | None
    wrong_passcodes: int
    lockouts: int
    refused_while_locked: int
    locked_until: dt.datetime | None  # set while the link is locked
    wrong_in_window: int  # wrong passcodes counting towards the next lock (0 once the window has passed)
    days: list[AccessDay]  # newest first, only days with something to count
    lockout_times: list[dt.datetime]  # oldest first


def access_logs(store: Store, ws_id: str, *, now: dt.datetime | None = None) -> dict[int, AccessLog]:
    """The access log of every review of workspace ``ws_id``, by review id (two queries for them all)."""
    now = now or utcnow()
    r, a, e = REVIEWS, REVIEW_ACCESS, REVIEW_EVENTS
    with store.read() as conn:
        rows = conn.execute(sa.select(r.c.id, r.c.failed_attempts, r.c.failed_since, r.c.locked_until)
                            .where(r.c.workspace_id == ws_id)).all()
        ids = [row.id for row in rows]
        days = conn.execute(sa.select(a).where(a.c.review_id.in_(ids))
                            .order_by(a.c.review_id, a.c.day.desc())).all() if ids else []
        locks = conn.execute(sa.select(e.c.review_id, e.c.at).where(e.c.review_id.in_(ids), e.c.action == "locked")
                             .order_by(e.c.id)).all() if ids else []
    by_review: dict[int, list] = {}
    for d in days:
        by_review.setdefault(d.review_id, []).append(d)
    lock_times: dict[int, list] = {}
    for lk in locks:
        lock_times.setdefault(lk.review_id, []).append(lk.at)
    out = {}
    for row in rows:
        ds = by_review.get(row.id, [])
        firsts = [d.first_opened_at for d in ds if d.first_opened_at]
        lasts = [d.last_opened_at for d in ds if d.last_opened_at]
        in_window = (row.failed_attempts if row.failed_since is not None and now - row.failed_since < WRONG_WINDOW
                     else 0)
        out[row.id] = AccessLog(
            review_id=row.id, opens=sum(d.opens for d in ds), first_opened_at=min(firsts, default=None),
            last_opened_at=max(lasts, default=None), wrong_passcodes=sum(d.wrong_passcodes for d in ds),
            lockouts=sum(d.lockouts for d in ds), refused_while_locked=sum(d.refused_while_locked for d in ds),
            locked_until=row.locked_until if _locked(row.locked_until, now) else None,
            wrong_in_window=int(in_window),
            days=[AccessDay(dt.date.fromisoformat(d.day), d.opens, d.wrong_passcodes, d.lockouts,
                            d.refused_while_locked) for d in ds],
            lockout_times=lock_times.get(row.id, []))
    return out


def access_log(store: Store, review_id: int, *, now: dt.datetime | None = None) -> AccessLog | None:
    """One review's access log; None if there is no such review."""
    with store.read() as conn:
        ws_id = conn.execute(sa.select(REVIEWS.c.workspace_id).where(REVIEWS.c.id == review_id)).scalar()
    return None if ws_id is None else access_logs(store, ws_id, now=now).get(review_id)


WRONG_PASSCODE_MESSAGE = (f"That passcode is not right. After {MAX_WRONG} wrong tries within {_minutes(WRONG_WINDOW)} "
                          f"the link locks for {_minutes(LOCK_FOR)}, for everyone.")


def lock_message(lockout: Lockout, now: dt.datetime | None = None) -> str:
    """What a visitor reads while a link is locked: why, until when, and what to do."""
    now = now or utcnow()
    left = max(1, math.ceil((lockout.until - now).total_seconds() / 60))
    return (f"Too many wrong passcodes have been tried on this link, so it is locked for now: no passcode, not "
            f"even the right one, is accepted until {fmt.clock_utc(lockout.until)} (in {left} minute"
            f"{'' if left == 1 else 's'}). Then try again. If these tries were not yours, tell the person who "
            "sent you the link: they can see them and can send a new link.")


def access_rows(listed: list[ReviewInfo], logs: Mapping[int, AccessLog]) -> list[dict]:
    """The Share page's access log: one row per review, in plain words (counts as numbers, times in UTC as text;
    tries refused during a lock are in :func:`access_day_rows`)."""
    rows = []
    for info in listed:
        log = logs.get(info.id)
        if log is None:
            continue
        if log.locked_until is not None:
            state = f"locked until {fmt.clock_utc(log.locked_until)}"
        elif not info.has_passcode:
            state = "no passcode"
        elif log.wrong_in_window:
            state = f"{log.wrong_in_window} of {MAX_WRONG} wrong tries"
        else:
            state = "no recent wrong tries"
        rows.append({"Title": info.title, "Opened": log.opens,
                     "First opened (UTC)": fmt.date_time(log.first_opened_at),
                     "Last opened (UTC)": fmt.date_time(log.last_opened_at),
                     "Wrong passcodes": log.wrong_passcodes, "Lockouts": log.lockouts, "Right now": state})
    return rows


def access_day_rows(log: AccessLog | None) -> list[dict]:
    """One link's access log day by day (UTC), newest first, for the Share page."""
    if log is None:
        return []
    return [{"Day (UTC)": f"{d.day:%a %-d %b %Y}", "Times opened": d.opens, "Wrong passcodes": d.wrong_passcodes,
             "Lockouts": d.lockouts, "Refused while locked": d.refused_while_locked} for d in log.days]


# ---------------------------------------------------------------- snapshots


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: NaN/NA/inf -> None, numpy scalars -> numbers, dates -> ISO text."""
    import numpy as np
    import pandas as pd

    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return None if pd.isna(value) else value.isoformat()
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def _records(df) -> list[dict]:
    return jsonable(df.to_dict("records"))


def _network(dataset, period, salt: str, pseudonymise: bool) -> dict:
    from harness import network, privacy

    d = network.network_metrics(dataset, period).to_dict()
    if pseudonymise:
        for key in ("top_by_reach", "top_by_direct_referrals"):
            d[key] = [{**row, "person": privacy.pseudonym(row["person"], salt)} for row in d.get(key, [])]
    return jsonable(d)


def _vanity(dataset, period, platforms) -> dict:
    from harness import vanity

    weekly = vanity.vanity_vs_real(dataset, period, "W", platforms)
    corr = vanity.rank_correlation(weekly)
    weekly = weekly.assign(bucket=weekly["bucket"].dt.strftime("%Y-%m-%d"))
    return {"freq": "W", "summary": _records(vanity.summary(dataset, period, platforms)), "weekly": _records(weekly),
            "correlation": jsonable({"rho": corr.rho, "n_weeks": corr.n_weeks, "strength": corr.strength,
                                     "reading": corr.reading})}


def _coverage(dataset) -> dict:
    return {name: None if span is None else {"start": span[0].isoformat(), "end": span[1].isoformat(),
                                             "rows": int(len(dataset[name]))}
            for name, span in dataset.coverage().items()}


def build_snapshot(dataset, period, settings, salt: str, *, pseudonymise: bool = True, platforms=None,
                   now: dt.datetime | None = None) -> dict:
    """The frozen figures a review shows (shape in the module docstring). ``settings``: Settings or its dict."""
    from harness import pyramid, scoring, targets

    if isinstance(settings, Mapping) or settings is None:
        settings = targets.settings_from_dict(dict(settings) if settings is not None else None)
    card = scoring.score_pillars(dataset, period=period, settings=settings, platforms=platforms)
    period = card.period
    snap = {
        "format": SNAPSHOT_FORMAT,
        "generated_at": (now or utcnow()).isoformat(),
        "period": {**period.to_dict(), "label": period.label()},
        "previous_period": {**card.previous_period.to_dict(), "label": card.previous_period.label()},
        "platforms": sorted(platforms) if platforms else None,
        "settings": targets.settings_to_dict(settings),
        "pseudonymised": bool(pseudonymise),
        "scorecard": card.to_dict(),
        "vanity": _vanity(dataset, period, platforms),
        "network": _network(dataset, period, salt, pseudonymise),
        "pyramid": _records(pyramid.pyramid_counts(dataset, period, settings, platforms)),
        "coverage": _coverage(dataset),
    }
    return jsonable(snap)


# ---------------------------------------------------------------- what changed


def _fmt(x) -> str:
    if x is None:
        return "no data"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.1f}"


def _pillar_lines(before: dict, after: dict) -> list[str]:
    lines = []
    for key, p in after.items():
        label, new, old = p.get("label", key), p.get("score"), (before.get(key) or {}).get("score")
        if new is None and old is None:
            continue
        if old is None:
            lines.append(f"{label} now has a score: {new:.0f}/100 (the previous review had no score).")
        elif new is None:
            lines.append(f"{label} has no score this time (it was {old:.0f}/100).")
        elif round(new) != round(old):
            # Differences of the shown (rounded) scores, so the line adds up when read.
            new, old = round(new), round(old)
            verb = "rose" if new > old else "fell"
            lines.append(f"{label} {verb} from {old} to {new} ({new - old:+d} points).")
        else:
            lines.append(f"{label} stayed at {round(new)}/100.")
    return lines


def _input_lines(before: list, after: list) -> list[str]:
    names_before = {i.get("file_name") for i in before}
    names_after = {i.get("file_name") for i in after}
    added = [i for i in after if i.get("file_name") not in names_before]
    lines = [f"New data: {i.get('file_name')} ({i.get('source_label') or 'unrecognised'})." for i in added]
    gone = sorted(n for n in names_before - names_after if n)
    if gone:
        lines.append("No longer included: " + ", ".join(gone) + ".")
    return lines


def _summary_lines(before: list, after: list) -> list[str]:
    old = {r["metric"]: r.get("current") for r in before}
    lines = []
    for row in after:
        if row.get("kind") != "real" or row["metric"] not in old:
            continue
        new, prev = row.get("current"), old[row["metric"]]
        if new is not None and prev is not None and new != prev:
            lines.append(f"{row['label']}: {_fmt(prev)} → {_fmt(new)}.")
    return lines


def changes_since(previous: dict | None, snapshot: dict) -> list[str]:
    """Plain-language lines on what moved since ``previous`` (an earlier snapshot); [] when there is none."""
    if not previous:
        return []
    lines = []
    old_p, new_p = previous.get("period") or {}, snapshot.get("period") or {}
    if (old_p.get("start"), old_p.get("end")) != (new_p.get("start"), new_p.get("end")):
        lines.append(f"The period moved from {old_p.get('label') or old_p.get('start')} "
                     f"to {new_p.get('label') or new_p.get('start')}.")
    old_card, new_card = previous.get("scorecard") or {}, snapshot.get("scorecard") or {}
    lines += _pillar_lines(old_card.get("pillars") or {}, new_card.get("pillars") or {})
    lines += _summary_lines((previous.get("vanity") or {}).get("summary") or [],
                            (snapshot.get("vanity") or {}).get("summary") or [])
    old_ref = (previous.get("network") or {}).get("referrals")
    new_ref = (snapshot.get("network") or {}).get("referrals")
    if old_ref is not None and new_ref is not None and old_ref != new_ref:
        lines.append(f"Referrals: {_fmt(old_ref)} → {_fmt(new_ref)}.")
    lines += _input_lines(old_card.get("inputs") or [], new_card.get("inputs") or [])
    old_s, new_s = previous.get("settings") or {}, snapshot.get("settings") or {}
    changed = [k for k in ("org_type", "targets", "weights", "followers_override") if old_s.get(k) != new_s.get(k)]
    if changed:
        lines.append("Settings changed (" + ", ".join(c.replace("_", " ") for c in changed) + "), so scores are "
                     "not exactly comparable with the previous review.")
    return lines


# ---------------------------------------------------------------- editors


EMAIL_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def _entries(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip().lower() for v in value if str(v).strip()]


def is_editor_allowed(email: str | None, allow_list: Mapping | None) -> bool:
    """Whether a signed-in ``email`` may edit: listed in ``emails`` or of a domain in ``domains``."""
    if not isinstance(email, str) or not allow_list:
        return False
    email = email.strip()
    if not email.isascii() or not EMAIL_RE.fullmatch(email):
        return False
    email = email.lower()
    if email in _entries(allow_list.get("emails")):
        return True
    domain = email.rsplit("@", 1)[1]
    for entry in _entries(allow_list.get("domains")):
        entry = entry.lstrip("@")
        if entry.startswith("*."):
            if domain == entry[2:] or domain.endswith(entry[1:]):
                return True
        elif domain == entry:
            return True
    return False
