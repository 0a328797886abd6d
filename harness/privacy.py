"""Pseudonyms for shared views.

A pseudonym is a keyed hash (HMAC-SHA256) of the normalised person
identifier: the same person gets the same pseudonym everywhere for a given
salt, so cascades and tables still line up, but nobody can recover a name
without the salt (a plain hash of a name could be reversed by hashing a
list of likely names). Keep the salt secret and per organisation.

Posts: only ``author`` of community posts is a person; the organisation's
own page name stays.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from harness import schema

PREFIX = "Person "
DIGITS = 8  # 32 bits: collisions are unlikely below ~10k people on one screen


def pseudonym(name, salt: str) -> str | None:
    """``"Person 3f9a1c0e"`` for ``name`` (None stays None)."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return None
    value = pseudonymise_series(pd.Series([str(name)], dtype=schema.STR), salt).iloc[0]
    return None if pd.isna(value) else value


def _digest(key: str, salt: bytes) -> str:
    return PREFIX + hmac.new(salt, key.encode("utf-8"), hashlib.sha256).hexdigest()[:DIGITS]


def pseudonymise_series(values: pd.Series, salt: str) -> pd.Series:
    """Pseudonyms for a column (normalised first, each distinct value hashed once)."""
    keys = schema.normalise_person(values)
    salt_b = str(salt).encode("utf-8")
    mapping = {k: _digest(k, salt_b) for k in keys.dropna().unique()}
    out = keys.map(mapping)
    return out.where(keys.notna(), None).astype(schema.STR)


def connectors_for_display(table: pd.DataFrame, hide: bool, salt: str) -> pd.DataFrame:
    """A connectors table (``person`` column) with names replaced when ``hide``."""
    if not hide or table.empty:
        return table
    return table.assign(person=pseudonymise_series(table["person"], salt))


_SPLIT = __import__("re").compile(r"[._\-+]+")


def display_name(identifier) -> str | None:
    """How a person is shown on a picture: a name as given, an email as the name in it.

    ``"sam.lee@example.org"`` -> ``"Sam Lee"``; ``"j_smith42@x.com"`` -> ``"J Smith"``; names and
    pseudonyms are returned unchanged. Tables and downloads keep the identifier itself.
    """
    if identifier is None or (not isinstance(identifier, str) and pd.isna(identifier)):
        return None
    text = str(identifier).strip()
    if text.startswith(PREFIX) or "@" not in text or " " in text:
        return text
    local = text.split("@", 1)[0]
    words = [w.rstrip("0123456789") for w in _SPLIT.split(local)]
    words = [w for w in words if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) if words else text
