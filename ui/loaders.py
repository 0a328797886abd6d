"""Ingest and cached harness calls for the pages.

No numbers are computed here: everything comes from ``harness``. Caches are keyed on the sha256 of uploaded
bytes (never on a DataFrame: Streamlit hashes large frames from a sample, so two different uploads could
collide) and are bounded with ``max_entries`` and ``ttl``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import streamlit as st

from harness import periods, targets
from harness.dataset import Dataset, combine
from ui.workspace import is_sample, loaded_files, secret_section, settings, settings_key, upload_day, workspace


def upload_limits():
    """Upload limits: the defaults, or ``HC_MAX_...`` environment variables, or ``[limits]`` in secrets."""
    import os

    from harness.ingest.limits import DEFAULT_LIMITS, LimitsError, limits_from

    try:
        return limits_from(secret_section("limits"), os.environ)
    except LimitsError as exc:
        st.session_state["limits_error"] = str(exc)
        return DEFAULT_LIMITS


def ingest_upload(name: str, data: bytes, mapping: dict | None = None) -> tuple[str, list]:
    """The sha256 of a new upload's bytes, hashed here once (the cache key, and what ``add_file`` saves),
    and its reports under this deployment's limits, read as uploaded today."""
    sha256 = hashlib.sha256(data).hexdigest()
    return sha256, ingest_file(name, sha256, json.dumps(mapping, sort_keys=True) if mapping else "", data,
                               upload_day())


def ingest_file(name: str, sha256: str, mapping_json: str, data: bytes, uploaded: str | None = None) -> list:
    """Reports for one upload under this deployment's limits (cached by content hash, limits and upload day).

    ``uploaded`` is the day the file was uploaded (kept by storage): a date written without a year, as in
    TikTok Studio, is read as the latest year not after it, so a saved file reads the same next year.
    """
    limits = upload_limits()
    return _ingest_file(name, sha256, mapping_json, repr(limits), uploaded or upload_day(), data, limits)


@st.cache_resource(max_entries=64, ttl=6 * 3600, show_spinner=False)
def _ingest_file(name: str, sha256: str, mapping_json: str, limits_key: str, uploaded: str, _data: bytes,
                 _limits) -> list:
    """Reports for one upload, cached by content hash (the bytes are not hashed again).

    A resource cache, not a data cache: a data cache unpickles a fresh copy of every table on every read,
    which at a million rows costs more than the rest of a rerun. Reports are never changed after ingest
    (harness code does not mutate its inputs), so one shared copy is safe.
    """
    from harness.ingest import ingest_bytes

    mapping = json.loads(mapping_json) if mapping_json else None
    return ingest_bytes(name, _data, mapping=mapping, limits=_limits, uploaded=dt.date.fromisoformat(uploaded))


def _reports_of(files: list[dict]) -> list:
    reports = []
    for f in files:
        reports.extend(ingest_file(f["name"], f["sha256"], f["mapping"], f["data"], f.get("uploaded")))
    return reports


def file_reports() -> list:
    return _reports_of(loaded_files())


@st.cache_resource(max_entries=2, ttl=24 * 3600, show_spinner="Loading the sample school…")
def _sample() -> tuple[Dataset, list]:
    from harness.loading import load_sample

    return load_sample()


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner="Combining your files…")
def _combined(key: tuple, _files: list[dict]) -> Dataset:
    # Keyed on (name, sha256, mapping) of every file; the files are only read on a miss.
    # Cached as a resource (not copied on every rerun); harness code never mutates a Dataset.
    return combine([r for r in _reports_of(_files) if r.ok])


def files_key() -> tuple:
    if is_sample():
        return ("sample",)
    return tuple((f["name"], f["sha256"], f["mapping"]) for f in loaded_files())


def _choices_key() -> str:
    return json.dumps(settings().community_choices, sort_keys=True)


def dataset_key() -> tuple:
    """The uploads' content hashes plus the community-activity choices (both change what pages show)."""
    return files_key() + (("community_choices", _choices_key()),)


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner=False)
def _with_activities(key: tuple, choices_key: str, _ds: Dataset, _choices: dict) -> Dataset:
    from harness import community

    return community.with_activities(_ds, _choices)


def dataset() -> Dataset:
    """The combined uploads, with the events staff confirmed (or, unchosen, the proposal) as community activities."""
    raw = _sample()[0] if is_sample() else _combined(files_key(), loaded_files())
    return _with_activities(files_key(), _choices_key(), raw, settings().community_choices)


def current_reports() -> list:
    return _sample()[1] if is_sample() else file_reports()


@st.cache_data(max_entries=64, ttl=6 * 3600, show_spinner=False)
def _scorecard(key: tuple, start: dt.date, end: dt.date, settings_key: str, plats, _ds: Dataset,
               _settings: targets.Settings):
    from harness import scoring

    return scoring.score_pillars(_ds, period=periods.Period(start, end), settings=_settings, platforms=plats)


def scorecard_for(p: periods.Period, plats: tuple[str, ...] | None):
    """The four pillars scored on this workspace's data and settings, cached per dataset, period and settings."""
    return _scorecard(dataset_key(), p.start, p.end, settings_key(), plats, dataset(), settings())


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def review_charts(review_id: int, _snapshot: dict) -> dict:
    """A published review's chart specs, built once per review (its snapshot never changes)."""
    from harness.snapshot_views import chart_specs

    return chart_specs(_snapshot)



@st.cache_data(max_entries=128, ttl=6 * 3600, show_spinner=False)
def _call(name: str, key: tuple, arg_key: str, _fn, _args, _kwargs):
    return _fn(*_args, **_kwargs)


def cached(fn, *args, **kwargs):
    """``fn(dataset(), *args, **kwargs)``, cached per dataset (by content hash) and arguments.

    Arguments must have a stable ``repr`` (periods, tuples, strings, numbers).
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    arg_key = repr((args, sorted(kwargs.items())))
    return _call(name, dataset_key(), arg_key, fn, (dataset(), *args), kwargs)


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner=False)
def _call_resource(name: str, key: tuple, arg_key: str, _fn, _args, _kwargs):
    return _fn(*_args, **_kwargs)


def cached_resource(fn, *args, **kwargs):
    """As :func:`cached`, for large results that must not be copied on every rerun (read-only: never mutate)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    arg_key = repr((args, sorted(kwargs.items())))
    return _call_resource(name, dataset_key(), arg_key, fn, (dataset(), *args), kwargs)
