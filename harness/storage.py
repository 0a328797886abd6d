"""Saved workspaces: an organisation's uploaded files, mapping presets and settings.

One :class:`Store` wraps a SQLAlchemy engine. By default it is an embedded
SQLite file (``data/harnessing.sqlite`` under the repository, or the path or
URL in the environment variable ``HC_DATABASE_URL``), created on first use
with no set-up. A ``postgresql+psycopg://`` URL runs the same code on
PostgreSQL, which is how several app replicas share state.

Rules that matter for safety:

* **Every write is one transaction.** A batch of uploads, a settings save or a
  preset save either lands whole or not at all; a crash, a killed process or
  an exception mid-write leaves the previous state. SQLite runs in WAL mode
  with a busy timeout, and write transactions start with ``BEGIN IMMEDIATE``
  so two writers queue instead of failing with "database is locked".
  On PostgreSQL each write locks its workspace row (``SELECT ... FOR
  UPDATE``), so read-modify-write updates (mapping presets, upload order)
  never lose a concurrent update.
* **Upload order is kept.** Each file has a ``position``; a file saved again
  goes to the end (later files win when tables are combined, see ``dataset``).
* **No silent replace.** Meta names every per-metric file after its metric, so
  two pages' (or two quarters') ``Follows.csv`` share a name. An upload whose
  name is taken by a file with *different* bytes is kept beside it as
  ``Follows (2).csv`` (shown as ``Follows.csv (2)``, see :func:`shown_name`);
  the same bytes again change nothing; ``replace=True`` (the user chose to
  replace it) overwrites the file of that name. :func:`place_upload` is the
  rule, used by the store and by a session without a database alike.
* **File bytes stay out of listings.** :meth:`Store.list_workspaces` and
  ``get_workspace(..., with_data=False)`` never read the ``bytes`` column.
* **Schema versions.** ``schema_version`` records each applied migration.
  :data:`MIGRATIONS` is applied in order when a Store opens, inside one
  transaction holding a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory
  lock on PostgreSQL), so two processes opening an old database at once
  migrate it exactly once. A migration creates its tables from the builder
  functions below; when a later migration alters a table, freeze a copy of
  the old builder for the earlier migration (``test_storage`` checks that the
  migrated schema matches :data:`METADATA`).
* **Counters never lose a concurrent update.** A review's wrong-passcode
  counters are read and written under :meth:`Store.lock_review` (a row lock
  on PostgreSQL), and access counts are added by one atomic upsert
  (:meth:`Store.count_access`), so two replicas counting at once both count.
* Times are stored in UTC and come back timezone-aware.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = ROOT / "data" / "harnessing.sqlite"
ENV_URL = "HC_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
MAX_NAME = 255
# Any fixed 64-bit number: PostgreSQL's advisory lock that serialises migrations across processes.
MIGRATION_LOCK_KEY = 0x48435F4D4947  # "HC_MIG"


class StorageError(Exception):
    """A plain-language problem with saving or loading; safe to show to a user."""


class WorkspaceNotFound(StorageError):
    pass


# ---------------------------------------------------------------- column types


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware time")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ---------------------------------------------------------------- tables


def _workspace_tables(md: sa.MetaData) -> None:
    sa.Table(
        "workspaces", md,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("mapping_presets", sa.Text, nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("use_sample", sa.Boolean, nullable=False),
    )
    sa.Table(
        "files", md,
        sa.Column("workspace_id", sa.String(32), sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.String(MAX_NAME), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("bytes", sa.LargeBinary, nullable=False),
        sa.Column("mapping", sa.Text, nullable=True),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )


def _review_tables_v2(md: sa.MetaData) -> None:
    """The review tables as migration 2 created them (frozen: migration 3 alters ``reviews``)."""
    sa.Table(
        "reviews", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("workspace_id", sa.String(32), sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("passcode_hash", sa.String(255), nullable=True),
        sa.Column("title", sa.String(MAX_NAME), nullable=False),
        sa.Column("commentary", sa.Text, nullable=False),
        sa.Column("period_start", sa.String(10), nullable=True),
        sa.Column("period_end", sa.String(10), nullable=True),
        sa.Column("snapshot", sa.LargeBinary, nullable=False),  # zlib-compressed JSON
        sa.Column("snapshot_size", sa.Integer, nullable=False),  # bytes of JSON before compression
        sa.Column("changes", sa.Text, nullable=False),  # JSON list of "what changed" lines, frozen at publish
        sa.Column("previous_review_id", sa.Integer, nullable=True),
    )
    sa.Table(
        "review_events", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),  # published / revoked / expiry_set / locked
        sa.Column("actor", sa.String(MAX_NAME), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )


def _review_tables(md: sa.MetaData) -> None:
    _review_tables_v2(md)
    reviews = md.tables["reviews"]
    for col in _review_throttle_columns():
        reviews.append_column(col)
    _review_access_table(md)


def _review_throttle_columns() -> list[sa.Column]:
    """Wrong-passcode counting per link (migration 3): shared by every session and replica, never by browser."""
    return [
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),  # in the current window
        sa.Column("failed_since", UTCDateTime(), nullable=True),  # first wrong passcode of that window
        sa.Column("locked_until", UTCDateTime(), nullable=True),  # no passcode is accepted before this
    ]


def _review_access_table(md: sa.MetaData) -> None:
    # Counts per link and UTC day, for editors. Deliberately no IP address, user agent or anything else about
    # who opened the link.
    sa.Table(
        "review_access", md,
        sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD, UTC
        sa.Column("opens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("first_opened_at", UTCDateTime(), nullable=True),
        sa.Column("last_opened_at", UTCDateTime(), nullable=True),
        sa.Column("wrong_passcodes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lockouts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("refused_while_locked", sa.Integer, nullable=False, server_default="0"),
    )


def _version_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
        "schema_version", md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(MAX_NAME), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
    )


METADATA = sa.MetaData()
SCHEMA_VERSION_T = _version_table(METADATA)
_workspace_tables(METADATA)
_review_tables(METADATA)
WORKSPACES = METADATA.tables["workspaces"]
FILES = METADATA.tables["files"]
REVIEWS = METADATA.tables["reviews"]
REVIEW_EVENTS = METADATA.tables["review_events"]
REVIEW_ACCESS = METADATA.tables["review_access"]
ACCESS_COUNTS = ("opens", "wrong_passcodes", "lockouts", "refused_while_locked")


def _create_from(builder, *referenced):
    """A migration creating ``builder``'s tables (``referenced`` builders only resolve foreign keys)."""
    def migrate(conn: Connection) -> None:
        md = sa.MetaData()
        for ref in referenced:
            ref(md)
        existing = set(md.tables)
        builder(md)
        md.create_all(conn, tables=[t for name, t in md.tables.items() if name not in existing])
    return migrate


def _migrate_review_throttle(conn: Connection) -> None:
    for col in _review_throttle_columns():
        spec = sa.schema.CreateColumn(col).compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE reviews ADD COLUMN {spec}"))
    _create_from(_review_access_table, _workspace_tables, _review_tables_v2)(conn)


# (version, description, function(conn)); append only, never edit an applied one.
MIGRATIONS = [
    (1, "workspaces and files", _create_from(_workspace_tables)),
    (2, "review links and their audit trail", _create_from(_review_tables_v2, _workspace_tables)),
    (3, "wrong passcodes counted per review link; access counts per day", _migrate_review_throttle),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int
    mapping: dict | None
    uploaded_at: dt.datetime
    position: int
    data: bytes | None = field(default=None, repr=False)  # None when loaded without data

    @property
    def mapping_json(self) -> str:
        """The mapping as the app keys its caches: sorted JSON, or "" for none."""
        return json.dumps(self.mapping, sort_keys=True) if self.mapping else ""

    def to_session(self) -> dict:
        """The entry ``ui.workspace.add_file`` keeps in a session workspace."""
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "data": self.data,
                "mapping": self.mapping_json, "uploaded": self.uploaded_at.date().isoformat()}


@dataclass(frozen=True)
class WorkspaceSummary:
    id: str
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    files: int
    total_size: int


@dataclass
class Workspace:
    id: str
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    settings: dict
    mapping_presets: dict
    salt: str
    use_sample: bool
    files: list[StoredFile]

    def to_session(self) -> dict:
        """The dict ``ui.workspace.workspace`` keeps in ``st.session_state`` (plus ``id`` and ``name``)."""
        return {"id": self.id, "name": self.name, "files": [f.to_session() for f in self.files],
                "use_sample": self.use_sample, "settings": dict(self.settings),
                "mapping_presets": dict(self.mapping_presets), "salt": self.salt}


@dataclass(frozen=True)
class NewFile:
    name: str
    data: bytes
    mapping: dict | None = None
    sha256: str | None = None  # of ``data``, when the caller has hashed it already (it is not hashed twice)


# ---------------------------------------------------------------- helpers


def default_url() -> str:
    """``HC_DATABASE_URL`` (a URL, or a path to a SQLite file), else the repository's data folder."""
    value = os.environ.get(ENV_URL, "").strip()
    if "://" in value:
        return value
    return sqlite_url(Path(value) if value else DEFAULT_PATH)


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def to_json(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise StorageError(f"Could not save: the value is not plain JSON data ({e}).") from None


def _loads(text: str | None, default):
    if not text:
        return default
    return json.loads(text)


def _clean_name(name: Any, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise StorageError(f"A {what} needs a name.")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise StorageError(f"The {what} name is too long ({len(name)} characters; at most {MAX_NAME}).")
    return name


def _new_file(item: NewFile | Mapping) -> NewFile:
    if isinstance(item, NewFile):
        f = item
    elif isinstance(item, Mapping):
        mapping = item.get("mapping") or None
        if isinstance(mapping, str):
            try:
                mapping = json.loads(mapping)
            except ValueError:
                raise StorageError(f"{item.get('name')}: the saved column mapping is not readable.") from None
        f = NewFile(item.get("name"), item.get("data"), mapping)
    else:
        raise StorageError("A file to save must have a name and its bytes.")
    name = _clean_name(f.name, "file")
    if not isinstance(f.data, (bytes, bytearray, memoryview)):
        raise StorageError(f"{name}: the file's contents are missing.")
    if f.mapping is not None and not isinstance(f.mapping, dict):
        raise StorageError(f"{name}: the column mapping must be name: value pairs.")
    return NewFile(name, bytes(f.data), f.mapping, f.sha256)


# ---------------------------------------------------------------- same-name uploads

_NUMBERED = re.compile(r"^(?P<stem>.*) \((?P<n>[2-9]|[1-9]\d+)\)(?P<ext>(?:\.[^.\s()]{1,8})?)$")


@dataclass(frozen=True)
class Placement:
    action: str  # "new", "same" (these bytes are already saved: nothing to do), "replace" or "beside"
    name: str  # the name it is (or already was) saved under


def numbered_name(name: str, n: int) -> str:
    """``Follows.csv``, 2 -> ``Follows (2).csv`` (the extension stays last, so the file is still read as a CSV)."""
    if n <= 1:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or " " in ext or "/" in ext:
        return f"{name} ({n})"
    return f"{stem} ({n}).{ext}"


def upload_family(name: str) -> tuple[str, int]:
    """``Follows (2).csv`` -> (``Follows.csv``, 2); a name without a number -> (name, 1)."""
    m = _NUMBERED.match(name)
    if not m:
        return name, 1
    return m.group("stem") + m.group("ext"), int(m.group("n"))


def place_upload(name: str, sha256: str, saved: Iterable[tuple[str, str]], *, replace: bool = False) -> Placement:
    """Where an upload called ``name`` with these bytes goes, given the saved (name, sha256) pairs."""
    saved = list(saved)
    family = [(n, h) for n, h in saved if upload_family(n)[0] == name or n == name]
    same = next((n for n, h in family if h == sha256), None)
    if same is not None:
        return Placement("same", same)
    taken = {n for n, _ in saved}
    if name not in taken:
        return Placement("new", name)
    if replace:
        return Placement("replace", name)
    n = 2
    while numbered_name(name, n) in taken:
        n += 1
    return Placement("beside", numbered_name(name, n))


def shown_name(stored: str) -> str:
    """What the Data page calls a saved file: ``Follows (2).csv`` -> ``Follows.csv (2)``."""
    base, n = upload_family(stored)
    return base if n == 1 else f"{base} ({n})"


# ---------------------------------------------------------------- the store


class Store:
    """Workspaces in a SQLite file (default) or a PostgreSQL database."""

    def __init__(self, url: str | None = None, *, echo: bool = False):
        url = url or default_url()
        self._url = sa.make_url(url)
        self.dialect = self._url.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(echo)
        elif self.dialect == "postgresql":
            self.engine = sa.create_engine(self._url, echo=echo, pool_pre_ping=True)
        else:
            raise StorageError(f"Unsupported database '{self.dialect}': use a SQLite path or a PostgreSQL URL.")
        self._migrate()

    @property
    def url(self) -> str:
        return self._url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def _sqlite_engine(self, echo: bool) -> Engine:
        db = self._url.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # An in-memory database lives in one connection: share it, or each checkout would see an empty one.
        pool = {"poolclass": sa.pool.StaticPool} if db in (None, "", ":memory:") else {}
        engine = sa.create_engine(self._url, echo=echo, connect_args={"check_same_thread": False}, **pool)

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Let SQLAlchemy's begin event, not the sqlite3 module, decide when transactions start.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn):
            # IMMEDIATE takes the write lock up front (waiting up to busy_timeout); a deferred transaction that
            # upgrades to a write later can fail at once with "database is locked".
            write = conn.get_execution_options().get("hc_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ transactions

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on any exception."""
        with self.engine.connect().execution_options(hc_write=True) as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    def _migrate(self) -> None:
        with self.write() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            SCHEMA_VERSION_T.create(conn, checkfirst=True)
            current = conn.execute(sa.select(sa.func.max(SCHEMA_VERSION_T.c.version))).scalar() or 0
            if current > SCHEMA_VERSION:
                raise StorageError(f"The database was written by a newer version of the app (schema {current}; "
                                   f"this app knows up to {SCHEMA_VERSION}). Update the app.")
            for version, description, migrate in MIGRATIONS:
                if version > current:
                    migrate(conn)
                    conn.execute(SCHEMA_VERSION_T.insert().values(
                        version=version, description=description, applied_at=utcnow()))

    def lock_workspace(self, conn: Connection, ws_id: str) -> sa.Row:
        """The workspace row, locked until the transaction ends (PostgreSQL; SQLite already holds its lock)."""
        row = conn.execute(sa.select(WORKSPACES).where(WORKSPACES.c.id == str(ws_id)).with_for_update()).first()
        if row is None:
            raise WorkspaceNotFound("That workspace no longer exists. It may have been deleted.")
        return row

    def lock_review(self, conn: Connection, review_id: int) -> sa.Row | None:
        """The review's wrong-passcode counters, locked until the transaction ends (PostgreSQL row lock; SQLite's
        ``BEGIN IMMEDIATE`` already serialises writers); None if the review is gone."""
        r = REVIEWS.c
        return conn.execute(sa.select(r.id, r.failed_attempts, r.failed_since, r.locked_until)
                            .where(r.id == review_id).with_for_update()).first()

    def count_access(self, conn: Connection, review_id: int, at: dt.datetime, **counts: int) -> None:
        """Add ``counts`` (names in :data:`ACCESS_COUNTS`) to the review's row for ``at``'s UTC day, atomically:
        one INSERT ... ON CONFLICT DO UPDATE adding to the stored numbers, so concurrent replicas lose nothing.
        An open (``opens``) also moves the day's first and last opening times."""
        if set(counts) - set(ACCESS_COUNTS):
            raise ValueError(f"unknown access counts: {sorted(set(counts) - set(ACCESS_COUNTS))}")
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        a = REVIEW_ACCESS
        values = {"review_id": review_id, "day": at.astimezone(dt.timezone.utc).date().isoformat(),
                  **{k: int(counts.get(k, 0)) for k in ACCESS_COUNTS}}
        opened = counts.get("opens", 0) > 0
        if opened:
            values.update(first_opened_at=at, last_opened_at=at)
        stmt = insert(a).values(**values)
        new = stmt.excluded
        change = {k: a.c[k] + new[k] for k in ACCESS_COUNTS if counts.get(k)}
        if opened:
            change["first_opened_at"] = sa.case(
                (a.c.first_opened_at.is_(None) | (new.first_opened_at < a.c.first_opened_at), new.first_opened_at),
                else_=a.c.first_opened_at)
            change["last_opened_at"] = sa.case(
                (a.c.last_opened_at.is_(None) | (new.last_opened_at > a.c.last_opened_at), new.last_opened_at),
                else_=a.c.last_opened_at)
        conn.execute(stmt.on_conflict_do_update(index_elements=[a.c.review_id, a.c.day], set_=change)
                     if change else stmt.on_conflict_do_nothing())

    def _touch(self, conn: Connection, ws_id: str, **values) -> None:
        conn.execute(WORKSPACES.update().where(WORKSPACES.c.id == ws_id).values(updated_at=utcnow(), **values))

    # ------------------------------------------------------------ workspaces

    def create_workspace(self, name: str, *, settings: dict | None = None, mapping_presets: dict | None = None,
                         salt: str | None = None) -> Workspace:
        name = _clean_name(name, "workspace")
        now = utcnow()
        ws_id = uuid.uuid4().hex
        # A secret per workspace: pseudonyms stay stable within it and cannot be reversed by outsiders.
        salt = salt or secrets.token_hex(16)
        with self.write() as conn:
            conn.execute(WORKSPACES.insert().values(
                id=ws_id, name=name, created_at=now, updated_at=now, settings=to_json(settings or {}),
                mapping_presets=to_json(mapping_presets or {}), salt=salt, use_sample=True))
        return self.get_workspace(ws_id)

    def list_workspaces(self) -> list[WorkspaceSummary]:
        """Every workspace, most recently changed first (no file bytes are read)."""
        f = FILES
        counts = (sa.select(f.c.workspace_id, sa.func.count().label("n"), sa.func.sum(f.c.size).label("total"))
                  .group_by(f.c.workspace_id).subquery())
        q = (sa.select(WORKSPACES.c.id, WORKSPACES.c.name, WORKSPACES.c.created_at, WORKSPACES.c.updated_at,
                       counts.c.n, counts.c.total)
             .outerjoin(counts, counts.c.workspace_id == WORKSPACES.c.id)
             .order_by(WORKSPACES.c.updated_at.desc(), WORKSPACES.c.name))
        with self.read() as conn:
            return [WorkspaceSummary(r.id, r.name, r.created_at, r.updated_at, int(r.n or 0), int(r.total or 0))
                    for r in conn.execute(q)]

    def get_workspace(self, ws_id: str, *, with_data: bool = True) -> Workspace | None:
        """The workspace with its files in upload order; None if there is no such workspace."""
        with self.read() as conn:
            row = conn.execute(sa.select(WORKSPACES).where(WORKSPACES.c.id == str(ws_id))).first()
            if row is None:
                return None
            files = self._files(conn, row.id, with_data)
        return Workspace(id=row.id, name=row.name, created_at=row.created_at, updated_at=row.updated_at,
                         settings=_loads(row.settings, {}), mapping_presets=_loads(row.mapping_presets, {}),
                         salt=row.salt, use_sample=bool(row.use_sample), files=files)

    def _files(self, conn: Connection, ws_id: str, with_data: bool) -> list[StoredFile]:
        cols = [FILES.c.name, FILES.c.sha256, FILES.c.size, FILES.c.mapping, FILES.c.uploaded_at, FILES.c.position]
        if with_data:
            cols.append(FILES.c.bytes)
        q = sa.select(*cols).where(FILES.c.workspace_id == ws_id).order_by(FILES.c.position)
        return [StoredFile(r.name, r.sha256, int(r.size), _loads(r.mapping, None), r.uploaded_at, int(r.position),
                           bytes(r.bytes) if with_data else None) for r in conn.execute(q)]

    def rename_workspace(self, ws_id: str, name: str) -> None:
        name = _clean_name(name, "workspace")
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            self._touch(conn, ws_id, name=name)

    def delete_workspace(self, ws_id: str) -> bool:
        """Delete a workspace with its files and review links; False if it did not exist."""
        with self.write() as conn:
            # Explicit deletes as well as ON DELETE CASCADE: a SQLite connection opened elsewhere may lack
            # PRAGMA foreign_keys.
            review_ids = sa.select(REVIEWS.c.id).where(REVIEWS.c.workspace_id == ws_id)
            conn.execute(REVIEW_EVENTS.delete().where(REVIEW_EVENTS.c.review_id.in_(review_ids)))
            conn.execute(REVIEW_ACCESS.delete().where(REVIEW_ACCESS.c.review_id.in_(review_ids)))
            conn.execute(REVIEWS.delete().where(REVIEWS.c.workspace_id == ws_id))
            conn.execute(FILES.delete().where(FILES.c.workspace_id == ws_id))
            return conn.execute(WORKSPACES.delete().where(WORKSPACES.c.id == ws_id)).rowcount > 0

    # ------------------------------------------------------------ files

    def add_files(self, ws_id: str, files: Iterable[NewFile | Mapping], *, replace: bool = False) -> list[StoredFile]:
        """Save a batch of uploads in one transaction (all or nothing); one StoredFile per upload, in order.

        A name already saved with different bytes is kept beside it (``Follows (2).csv``); the same bytes
        again change nothing (the saved file comes back); with ``replace`` the file of that name is
        overwritten and moves to the end of the upload order (see :func:`place_upload`).
        Accepts :class:`NewFile` or dicts with ``name``, ``data`` and ``mapping`` (a dict, JSON text or "").
        """
        batch = [_new_file(item) for item in files]
        if not batch:
            return []
        now = utcnow()
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            rows = conn.execute(sa.select(FILES.c.name, FILES.c.sha256, FILES.c.size, FILES.c.mapping,
                                          FILES.c.uploaded_at, FILES.c.position)
                                .where(FILES.c.workspace_id == ws_id)).all()
            saved = {r.name: StoredFile(r.name, r.sha256, r.size, _loads(r.mapping, None), r.uploaded_at,
                                        r.position) for r in rows}
            top = max((f.position for f in saved.values()), default=0)
            stored, changed = [], False
            for f in batch:
                sha = f.sha256 or hashlib.sha256(f.data).hexdigest()
                place = place_upload(f.name, sha, [(n, s.sha256) for n, s in saved.items()], replace=replace)
                if place.action == "same":
                    stored.append(saved[place.name])
                    continue
                if place.action == "replace":
                    conn.execute(FILES.delete().where(FILES.c.workspace_id == ws_id, FILES.c.name == place.name))
                top += 1
                s = StoredFile(place.name, sha, len(f.data), f.mapping, now, top, f.data)
                conn.execute(FILES.insert().values(
                    workspace_id=ws_id, name=s.name, sha256=s.sha256, size=s.size, bytes=s.data,
                    mapping=to_json(s.mapping) if s.mapping else None, uploaded_at=now, position=top))
                saved[s.name] = s
                stored.append(s)
                changed = True
            if changed:
                self._touch(conn, ws_id, use_sample=False)
        return stored

    def replace_file(self, ws_id: str, name: str, with_name: str) -> bool:
        """The user chose to replace ``name`` with the upload kept beside it as ``with_name``: one transaction.

        ``with_name``'s bytes take ``name`` and move to the end of the upload order; False if either is gone.
        """
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            names = set(conn.execute(sa.select(FILES.c.name).where(
                FILES.c.workspace_id == ws_id, FILES.c.name.in_([name, with_name]))).scalars())
            if names != {name, with_name}:
                return False
            top = conn.execute(sa.select(sa.func.max(FILES.c.position)).where(FILES.c.workspace_id == ws_id)).scalar()
            conn.execute(FILES.delete().where(FILES.c.workspace_id == ws_id, FILES.c.name == name))
            conn.execute(FILES.update().where(FILES.c.workspace_id == ws_id, FILES.c.name == with_name)
                         .values(name=name, position=(top or 0) + 1, uploaded_at=utcnow()))
            self._touch(conn, ws_id)
        return True

    def set_file_mapping(self, ws_id: str, name: str, mapping: dict | None) -> bool:
        """Change the column mapping a saved file is read with (a file waiting for one gets it); False if gone."""
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            done = conn.execute(FILES.update().where(FILES.c.workspace_id == ws_id, FILES.c.name == name)
                                .values(mapping=to_json(mapping) if mapping else None)).rowcount
            self._touch(conn, ws_id)
        if not done:
            raise StorageError(f"'{name}' is no longer in this workspace")
        return True

    def remove_file(self, ws_id: str, name: str) -> bool:
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            gone = conn.execute(FILES.delete().where(FILES.c.workspace_id == ws_id, FILES.c.name == name)).rowcount
            self._touch(conn, ws_id)
        return gone > 0

    def clear_files(self, ws_id: str, *, use_sample: bool = True) -> int:
        """Remove every file of the workspace in one transaction; returns how many went."""
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            gone = conn.execute(FILES.delete().where(FILES.c.workspace_id == ws_id)).rowcount
            self._touch(conn, ws_id, use_sample=bool(use_sample))
        return gone

    # ------------------------------------------------------------ settings and presets

    def save_settings(self, ws_id: str, settings: dict) -> None:
        if not isinstance(settings, dict):
            raise StorageError("Settings must be name: value pairs.")
        with self.write() as conn:
            self.lock_workspace(conn, ws_id)
            self._touch(conn, ws_id, settings=to_json(settings))

    def save_mapping_preset(self, ws_id: str, name: str, mapping: dict) -> None:
        """Add or replace one preset; presets saved at the same time by other processes are kept."""
        name = _clean_name(name, "mapping preset")
        if not isinstance(mapping, dict):
            raise StorageError("A mapping preset must be name: value pairs.")
        self.update_presets(ws_id, lambda p: p.__setitem__(name, mapping))

    def update_presets(self, ws_id: str, change) -> None:
        """Apply ``change(presets)`` (it edits the dict in place) inside one locked write transaction."""
        with self.write() as conn:
            row = self.lock_workspace(conn, ws_id)
            presets = _loads(row.mapping_presets, {})
            change(presets)
            self._touch(conn, ws_id, mapping_presets=to_json(presets))
