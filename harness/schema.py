"""The canonical data model every part of the product shares.

Ingest turns platform exports into these seven tables; scoring, charts, the
network and the reports read only these tables. Each table is a pandas
DataFrame with exactly the columns below, in this order, with these dtypes.

Conventions (they matter for honest scores):

* A missing count is null (``pd.NA``), never 0. "We don't know how many
  reactions" and "nobody reacted" are different facts.
* Every time column is timezone-aware UTC (``datetime64[ns, UTC]``); a date
  without a time (the ``audience`` table) is stored as midnight UTC.
* Identifiers (``post_id``, ``record_id``) are strings. A 19-digit post id
  stored as a float loses its last digits, so it never goes through float.
* People are identified by the ``person``/``referrer``/``referred``/
  ``contributor`` strings as given (an email or a name). Matching is exact
  after :func:`normalise_person` (trimmed, case-folded for emails).
* ``KEYS`` names the columns that identify a row across uploads. Combining
  files keeps one row per key and, column by column, the newest non-null
  value: a later export of the same page updates lifetime metrics instead of
  double-counting them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TIME = "datetime64[ns, UTC]"
STR = "str"
INT = "Int64"
FLOAT = "Float64"
BOOL = "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    nullable: bool
    doc: str


def _cols(*spec: tuple[str, str, bool, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


# Vocabularies. Values outside them are kept as "other" by ingest.
PLATFORMS = ("facebook", "instagram", "linkedin", "x", "youtube", "tiktok", "other")
SOCIAL_PLATFORMS = frozenset(PLATFORMS) - {"other"}
AUTHOR_KINDS = ("organisation", "community")
ACTIONS = (
    "enquiry", "call", "visit", "volunteer", "donation",
    "enrolment", "event", "membership", "other",
)
# Where an involved person came from. The platforms count as "social-sourced".
SOURCES = PLATFORMS[:-1] + (
    "referral", "word_of_mouth", "website", "email", "search",
    "community_event", "press", "other", "unknown",
)
CONTRIBUTION_KINDS = ("photo", "video", "story", "review", "testimonial", "post", "article", "other")
COMMUNITY_KINDS = ("event", "partnership", "service", "sponsorship", "volunteering", "media", "other")


TABLES: dict[str, tuple[Column, ...]] = {
    "posts": _cols(
        ("post_id", STR, False, "Platform's id of the post, as a string."),
        ("platform", STR, False, "One of PLATFORMS."),
        ("published_at", TIME, False, "When it was published (UTC)."),
        ("author_kind", STR, False, "'organisation' for the organisation's own posts, 'community' for posts by others about it."),
        ("author", STR, True, "Page or person who posted it."),
        ("text", STR, True, "Caption or title."),
        ("url", STR, True, "Permalink."),
        ("post_type", STR, True, "Photo, Reel, Video, Carousel, Text... as the platform names it."),
        ("reactions", INT, True, "Likes/reactions."),
        ("comments", INT, True, "Comments/replies."),
        ("shares", INT, True, "Shares/reposts/retweets."),
        ("saves", INT, True, "Saves/bookmarks."),
        ("clicks", INT, True, "Link and other clicks."),
        ("views", INT, True, "Views/impressions."),
        ("reach", INT, True, "Unique accounts reached."),
    ),
    "audience": _cols(
        ("date", TIME, False, "The day (midnight UTC)."),
        ("platform", STR, False, "One of PLATFORMS."),
        ("followers", INT, True, "Running total of followers at the end of the day."),
        ("new_followers", INT, True, "Followers gained that day (net when the platform only gives net)."),
        ("views", INT, True, "Page/profile views or impressions that day."),
        ("reach", INT, True, "Unique viewers reached that day."),
        ("visits", INT, True, "Page/profile visits that day."),
        ("link_clicks", INT, True, "Link clicks that day."),
        ("interactions", INT, True, "Content interactions (reactions, comments, shares) that day."),
    ),
    "involvement": _cols(
        ("record_id", STR, False, "Stable id of this action across uploads (source id or a hash of the row)."),
        ("occurred_at", TIME, False, "When the action happened (UTC)."),
        ("person", STR, True, "Who (email or name); null when anonymous."),
        ("action", STR, False, "One of ACTIONS."),
        ("source", STR, False, "Channel that brought them: one of SOURCES."),
        ("value", FLOAT, True, "Money (donations, fees) or hours (volunteering)."),
        ("referred_by", STR, True, "Person who referred them, when known."),
        ("post_id", STR, True, "Post that prompted the action, when known."),
    ),
    "referrals": _cols(
        ("record_id", STR, False, "Stable id of this recommendation across uploads."),
        ("occurred_at", TIME, False, "When the recommendation was made (UTC)."),
        ("referrer", STR, False, "Who recommended the organisation."),
        ("referred", STR, False, "Who they recommended it to."),
        ("channel", STR, True, "How: a platform, email, word_of_mouth, event..."),
        ("converted", BOOL, True, "Whether the referred person went on to get involved; null when unknown."),
    ),
    "contributions": _cols(
        ("record_id", STR, False, "Stable id of this piece of content across uploads."),
        ("created_at", TIME, False, "When it was created or submitted (UTC)."),
        ("contributor", STR, False, "Who created it."),
        ("platform", STR, True, "Where it appeared (a platform, website, newsletter...)."),
        ("kind", STR, False, "One of CONTRIBUTION_KINDS."),
        ("used_by_org", BOOL, True, "Whether the organisation used or shared it."),
        ("engagement", INT, True, "Reactions + comments + shares it received, when known."),
        ("consent", BOOL, True, "Whether the contributor agreed that it may be shared; null when not asked."),
    ),
    "community": _cols(
        ("record_id", STR, False, "Stable id of this activity across uploads."),
        ("occurred_at", TIME, False, "When it happened (UTC)."),
        ("activity", STR, False, "What it was, in the organisation's words."),
        ("kind", STR, False, "One of COMMUNITY_KINDS."),
        ("partner", STR, True, "Partner organisation, if any."),
        ("attendees", INT, True, "People reached or attending."),
        ("hours", FLOAT, True, "Hours given."),
        ("sales_related", BOOL, True, "Whether it aimed at a sale/enrolment (False = pure good citizenship)."),
    ),
    # One row per event or sign-up found in an export (Eventbrite, SignUpGenius, an event sign-up form).
    # Not scored as it is: ``harness.community`` proposes which are community activities and staff confirm.
    "events": _cols(
        ("record_id", STR, False, "Stable id of the event across uploads (the export's event id, or its name)."),
        ("occurred_at", TIME, False, "When it happened (UTC): the event's date, else its last booking."),
        ("name", STR, False, "The event's name as the export gives it."),
        ("origin", STR, False, "Which export it came from: eventbrite, signupgenius, form or involvement."),
        ("kind", STR, True, "Words the export uses for it (ticket types, order types, the sign-up's kind)."),
        ("partner", STR, True, "Partner organisation named by the export or the event's name."),
        ("attendees", INT, True, "People who came or signed up (refunded and cancelled left out)."),
        ("sales_related", BOOL, True, "Aimed at a sale: a paid ticket or order, or a sales word in its name."),
    ),
}

KEYS: dict[str, tuple[str, ...]] = {
    "posts": ("platform", "post_id"),
    "audience": ("platform", "date"),
    "involvement": ("record_id",),
    "referrals": ("record_id",),
    "contributions": ("record_id",),
    "community": ("record_id",),
    "events": ("record_id",),
}

# The time column each table is filtered on for a period.
TIME_COLUMN = {
    "posts": "published_at",
    "audience": "date",
    "involvement": "occurred_at",
    "referrals": "occurred_at",
    "contributions": "created_at",
    "community": "occurred_at",
    "events": "occurred_at",
}

# Columns holding people's names or emails: pseudonymised in shared views.
PERSON_COLUMNS = {
    "involvement": ("person", "referred_by"),
    "referrals": ("referrer", "referred"),
    "contributions": ("contributor",),
    "posts": (),  # community authors are pseudonymised by row (see privacy)
}

# Columns a vanity metric lives in. Scores must never rise when these alone do.
VANITY_COLUMNS = {
    "posts": ("reactions", "comments", "shares", "saves", "clicks", "views", "reach"),
    "audience": ("followers", "new_followers", "views", "reach", "visits", "link_clicks", "interactions"),
}

TABLE_LABELS = {
    "posts": "Social posts",
    "audience": "Followers and page activity",
    "involvement": "Involvement log (real-world actions)",
    "referrals": "Referrals (who recommended whom)",
    "contributions": "Community-created content",
    "community": "Wider-community activities",
    "events": "Events and sign-ups (proposed community activities)",
}


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def empty(table: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[table]})


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: empty(name) for name in TABLES}


def normalise_person(values: pd.Series) -> pd.Series:
    """Trim people's identifiers; emails are case-insensitive so lower them.

    Blank strings become null. Names keep their case: "Sam Lee" and
    "sam lee" are probably the same person but we do not guess.
    """
    s = values if str(values.dtype) == STR else values.astype(STR)
    # In Arrow (what pandas' str methods call), without a pandas Series per step.
    t = pa.array(s.array)
    t = trim_cells(t if t.type == pa.large_string() else t.cast(pa.large_string()))
    empty = pc.equal(pc.binary_length(t), 0)
    if pc.any(empty).as_py():
        t = pc.if_else(empty, pa.scalar(None, t.type), t)
    # Lower-casing changes only cells with an upper-case ASCII letter or a non-ASCII character.
    lower = cells_with_bytes(t, _MAY_LOWER)
    if lower.any():
        at = pc.fill_null(pc.match_substring(t.filter(pa.array(lower)), "@"), False)
        lower[lower] = np.asarray(at.to_numpy(zero_copy_only=False), dtype=bool)
    if lower.any():
        t = pc.if_else(pa.array(lower), pc.utf8_lower(t), t)
    return t.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow", na_value=np.nan)).set_axis(values.index)


_MAY_LOWER = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(0x80, 0x100))


# --------------------------------------------------------------------------- Arrow text helpers
#
# Byte-level scans of Arrow ``large_string`` buffers in numpy, shared with
# ingest: they decide which cells need a (copying) Arrow kernel at all.

# Bytes that can start / end a character Arrow's utf8_trim_whitespace removes (ASCII and Unicode spaces).
_SPACE_FIRST = np.zeros(257, dtype=bool)
_SPACE_FIRST[[*range(0x09, 0x0E), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3]] = True
_SPACE_LAST = np.zeros(257, dtype=bool)
_SPACE_LAST[[*range(0x09, 0x0E), *range(0x1C, 0x21), *range(0x80, 0x8B), 0x85, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF]] = True


def edge_bytes(arr: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """First and last byte of every ``large_string`` cell (256 for an empty or null cell), from the buffers."""
    chunks = _large_chunks(arr)
    firsts, lasts = [np.zeros(0, dtype=np.int16)], [np.zeros(0, dtype=np.int16)]
    for chunk in chunks:
        first = np.full(len(chunk), 256, dtype=np.int16)
        last = first.copy()
        if len(chunk) and chunk.buffers()[2] is not None:
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            filled = offsets[1:] > offsets[:-1]
            first[filled] = data[offsets[:-1][filled]]
            last[filled] = data[offsets[1:][filled] - 1]
        firsts.append(first)
        lasts.append(last)
    return np.concatenate(firsts), np.concatenate(lasts)


def trim_cells(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``utf8_trim_whitespace``, skipped for the cells that cannot start or end with a space.

    Trimming copies every byte of the column (100 MB of captions in a 1M-row
    export); most cells need nothing.
    """
    return trim_cells_first(arr)[0]


def trim_cells_first(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array | pa.ChunkedArray, np.ndarray]:
    """``trim_cells`` and the first byte of every trimmed cell (see ``edge_bytes``)."""
    first, last = edge_bytes(arr)
    needs = _SPACE_FIRST[first] | _SPACE_LAST[last]
    if not needs.any():
        return arr, first
    if needs.mean() > 0.2:
        trimmed = pc.utf8_trim_whitespace(arr)
    else:
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        trimmed = pc.replace_with_mask(arr, pa.array(needs), pc.utf8_trim_whitespace(arr.filter(pa.array(needs))))
    return trimmed, edge_bytes(trimmed)[0]


def cells_with_bytes(arr: pa.Array | pa.ChunkedArray, chars: bytes) -> np.ndarray:
    """Which cells of an Arrow ``large_string`` array contain any of the bytes ``chars``.

    A scan of the data buffers in numpy, one comparison per run of
    consecutive byte values: ~10x faster than a substring search per cell.
    """
    runs = _byte_runs(bytes(sorted(set(chars))))
    chunks = _large_chunks(arr)
    parts = []
    for chunk in chunks:
        hit = np.zeros(len(chunk), dtype=bool)
        if len(chunk) and chunk.buffers()[2] is not None:
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            for start in range(int(offsets[0]), int(offsets[-1]), _SCAN_BYTES):  # bounded temporaries
                block = data[start:min(start + _SCAN_BYTES, int(offsets[-1]))]
                found = np.zeros(len(block), dtype=bool)
                for lo, span in runs:  # (byte - lo) wraps round below lo, so one test per run
                    found |= (block - np.uint8(lo)) <= np.uint8(span)
                if found.any():
                    hit[np.searchsorted(offsets, np.flatnonzero(found) + start, side="right") - 1] = True
        parts.append(hit)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


_SCAN_BYTES = 1 << 22


def _large_chunks(arr: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The chunks of a string array, as ``large_string`` (64-bit offsets: what the byte scans read)."""
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]


@functools.lru_cache(maxsize=64)
def _byte_runs(chars: bytes) -> tuple[tuple[int, int], ...]:
    """Sorted distinct bytes as (first, length - 1) runs of consecutive values."""
    runs: list[list[int]] = []
    for b in chars:
        if runs and b == runs[-1][0] + runs[-1][1] + 1:
            runs[-1][1] += 1
        else:
            runs.append([b, 0])
    return tuple((lo, span) for lo, span in runs)


# --------------------------------------------------------------------------- tables


def coerce(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the canonical columns and dtypes.

    Missing optional columns are added as null. Extra columns are dropped.
    Raises ``ValueError`` naming the column when a required column is absent
    or a value cannot take the canonical dtype; ingest turns that into a
    plain-language message.
    """
    out = {}
    for col in TABLES[table]:
        if col.name in df.columns:
            s = df[col.name]
        elif col.nullable:
            s = pd.Series(pd.NaT if col.dtype == TIME else pd.NA, index=df.index, dtype=col.dtype)
        else:
            raise ValueError(f"{table}: required column '{col.name}' is missing")
        try:
            if col.dtype == TIME:
                if not isinstance(s.dtype, pd.DatetimeTZDtype):
                    s = pd.to_datetime(s, utc=True)
                s = s.dt.tz_convert("UTC").astype(TIME)
            elif col.dtype == STR:
                if str(s.dtype) != STR:  # already-str columns skip a costly trip through object
                    s = s.astype("object").where(s.notna(), None).astype(STR)
            else:
                s = s.astype(col.dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{table}: column '{col.name}' cannot be read as {col.dtype}: {exc}") from None
        if not col.nullable and s.isna().any():
            raise ValueError(f"{table}: column '{col.name}' has empty values")
        out[col.name] = s
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def validate(table: str, df: pd.DataFrame) -> list[str]:
    """Problems that make ``df`` not a canonical ``table``; empty when fine."""
    problems = []
    expected = columns(table)
    if list(df.columns) != expected:
        problems.append(f"{table}: columns {list(df.columns)} != {expected}")
        return problems
    for col in TABLES[table]:
        if str(df[col.name].dtype) != col.dtype:
            problems.append(f"{table}.{col.name}: dtype {df[col.name].dtype} != {col.dtype}")
        if not col.nullable and df[col.name].isna().any():
            problems.append(f"{table}.{col.name}: has nulls")
    return problems
