"""Review links, passcodes, snapshots, "what changed" and the editor allow-list (harness.reviews)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os

import pandas as pd
import pytest
import sqlalchemy as sa

from harness import reviews, storage
from harness.reviews import ReviewAccess
from harness.storage import Store, StorageError

PG_URL = os.environ.get("TEST_DATABASE_URL")
UTC = dt.timezone.utc


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()

@pytest.fixture
def ws(store):
    return store.create_workspace("School")


def snap(score: float | None = 50.0, start="2026-03-02", end="2026-03-15", **extra) -> dict:
    return {"period": {"start": start, "end": end, "days": 14, "label": f"{start} – {end}"},
            "scorecard": {"pillars": {"involvement": {"label": "Involvement", "score": score}}, "inputs": []},
            **extra}


# ---------------------------------------------------------------- tokens


def test_tokens_carry_256_random_bits():
    token = reviews.new_token()
    assert len(token) == 43
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    assert reviews.TOKEN_RE.fullmatch(token)


def test_ten_thousand_tokens_are_distinct_and_use_the_whole_alphabet():
    tokens = [reviews.new_token() for _ in range(10_000)]
    assert len(set(tokens)) == 10_000
    chars = "".join(t[:42] for t in tokens)  # the last character carries only 4 bits
    counts = pd.Series(list(chars)).value_counts()
    assert len(counts) == 64
    # 420k characters over 64 symbols: ~6,560 each; a biased generator would stray far more than 15 %.
    assert counts.max() / counts.min() < 1.15


def test_publish_and_open(store, ws):
    token, rid = reviews.publish_review(store, ws.id, snap(), title="Spring term", commentary="Good **term**")
    access, review = reviews.access_review(store, token)
    assert access is ReviewAccess.OK
    assert (review.id, review.workspace_id, review.title, review.commentary, review.snapshot, review.changes,
            review.has_passcode, review.previous_review_id) == (
        rid, ws.id, "Spring term", "Good **term**", snap(), [], False, None)


def test_the_database_holds_only_the_hash_of_the_token(store, ws, tmp_path):
    token, rid = reviews.publish_review(store, ws.id, snap(), title="T", passcode="hunter22")
    with store.read() as conn:
        rows = [conn.execute(sa.select(t)).all() for t in (storage.REVIEWS, storage.REVIEW_EVENTS)]
        stored_hash = conn.execute(sa.select(storage.REVIEWS.c.token_hash)).scalar()
    text = repr(rows)
    assert token not in text and "hunter22" not in text
    assert stored_hash == hashlib.sha256(token.encode()).hexdigest()
    if store.dialect == "sqlite":
        store.close()
        raw = b"".join(p.read_bytes() for p in (tmp_path / "db").glob("test.sqlite*"))
        assert raw and token.encode() not in raw and b"hunter22" not in raw


@pytest.mark.parametrize("bad", ["", "short", "x" * 43, "a" * 500, "../../etc/passwd" + "a" * 30, None, 12345,
                                 "é" * 43])
def test_malformed_or_unknown_tokens_find_nothing(store, ws, bad):
    reviews.publish_review(store, ws.id, snap(), title="T")
    assert reviews.access_review(store, bad) == (ReviewAccess.NOT_FOUND, None)


def test_a_near_miss_token_finds_nothing(store, ws):
    token, _ = reviews.publish_review(store, ws.id, snap(), title="T")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for other in (flipped, token + "A", token[:-1], reviews.new_token()):
        assert reviews.open_review(store, other) is None


def test_revoked_review_is_not_found(store, ws):
    token, rid = reviews.publish_review(store, ws.id, snap(), title="T", passcode="pw-board-2026")
    assert reviews.revoke_review(store, rid, actor="head@school.org") is True
    assert reviews.revoke_review(store, rid) is False
    # Even the right passcode: a revoked link says only "not found".
    assert reviews.access_review(store, token, "pw-board-2026") == (ReviewAccess.NOT_FOUND, None)
    assert [i.status for i in reviews.list_reviews(store, ws.id)] == ["revoked"]
    assert [(e["action"], e["actor"]) for e in reviews.review_events(store, rid)] == [
        ("published", None), ("revoked", "head@school.org")]


def test_expiry(store, ws):
    now = dt.datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
    token, rid = reviews.publish_review(store, ws.id, snap(), title="T", expires_at=dt.timedelta(days=7), now=now)
    ends = now + dt.timedelta(days=7)
    assert reviews.open_review(store, token, now=ends - dt.timedelta(seconds=1)) is not None
    assert reviews.open_review(store, token, now=ends) is None
    assert [i.status for i in reviews.list_reviews(store, ws.id, now=ends)] == ["expired"]
    assert reviews.set_expiry(store, rid, None) is True
    assert reviews.open_review(store, token, now=ends + dt.timedelta(days=999)) is not None
    assert reviews.set_expiry(store, rid, dt.datetime(2000, 1, 1, tzinfo=UTC)) is True
    assert reviews.open_review(store, token) is None
    assert reviews.set_expiry(store, 999_999, None) is False


@pytest.mark.parametrize("expires, message", [
    (dt.datetime(2000, 1, 1, tzinfo=UTC), "in the past"),
    (dt.datetime(2030, 1, 1), "time zone"),
    ("next week", "time zone"),
])
def test_bad_expiry_is_refused(store, ws, expires, message):
    with pytest.raises(StorageError, match=message):
        reviews.publish_review(store, ws.id, snap(), title="T", expires_at=expires)
    assert reviews.list_reviews(store, ws.id) == []


def test_passcode(store, ws):
    token, _ = reviews.publish_review(store, ws.id, snap(), title="T", passcode="Board 2026!")
    assert reviews.access_review(store, token) == (ReviewAccess.NEEDS_PASSCODE, None)
    assert reviews.access_review(store, token, "") == (ReviewAccess.NEEDS_PASSCODE, None)
    assert reviews.access_review(store, token, "board 2026!") == (ReviewAccess.WRONG_PASSCODE, None)
    assert reviews.access_review(store, token, "x" * 5000) == (ReviewAccess.WRONG_PASSCODE, None)
    access, review = reviews.access_review(store, token, "Board 2026!")
    assert access is ReviewAccess.OK and review.has_passcode and review.snapshot == snap()
    assert reviews.list_reviews(store, ws.id)[0].has_passcode is True


def test_passcode_hash_format_and_salt():
    a, b = reviews.hash_passcode("same"), reviews.hash_passcode("same")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    scheme, n, r, p, salt, digest = a.split("$")
    expected = hashlib.scrypt(b"same", salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p))
    assert base64.b64decode(digest) == expected
    assert reviews.verify_passcode("same", a) and not reviews.verify_passcode("Same", a)


@pytest.mark.parametrize("stored", ["", "plain", "bcrypt$1$2$3$AA==$AA==", "scrypt$x$8$1$AA==$AA==",
                                    "scrypt$16384$8$1$!!$AA=="])
def test_malformed_stored_passcode_never_verifies(stored):
    assert reviews.verify_passcode("anything", stored) is False


def test_list_reviews_newest_first_without_snapshots(store, ws):
    t0 = dt.datetime(2026, 3, 1, tzinfo=UTC)
    ids = [reviews.publish_review(store, ws.id, snap(start=s), title=f"R{i}", now=t0 + dt.timedelta(days=i))[1]
           for i, s in enumerate(["2026-01-01", "2026-02-01"])]
    listed = reviews.list_reviews(store, ws.id, now=t0 + dt.timedelta(days=5))
    assert [(i.id, i.title, i.period_start, i.status) for i in listed] == [
        (ids[1], "R1", "2026-02-01", "active"), (ids[0], "R0", "2026-01-01", "active")]
    assert reviews.list_reviews(store, store.create_workspace("Other").id) == []


def test_changes_are_frozen_against_the_latest_unrevoked_review(store, ws):
    t0 = dt.datetime(2026, 3, 1, tzinfo=UTC)
    _, r1 = reviews.publish_review(store, ws.id, snap(40.0), title="1", now=t0)
    tok2, r2 = reviews.publish_review(store, ws.id, snap(55.4), title="2", now=t0 + dt.timedelta(days=1))
    review2 = reviews.open_review(store, tok2)
    assert (review2.previous_review_id, review2.changes) == (r1, ["Involvement rose from 40 to 55 (+15 points)."])
    reviews.revoke_review(store, r2)
    tok3, _ = reviews.publish_review(store, ws.id, snap(30.0), title="3", now=t0 + dt.timedelta(days=2))
    review3 = reviews.open_review(store, tok3)
    assert (review3.previous_review_id, review3.changes) == (r1, ["Involvement fell from 40 to 30 (-10 points)."])


def test_reviews_of_one_workspace_never_compare_with_another(store, ws):
    reviews.publish_review(store, ws.id, snap(10.0), title="A")
    other = store.create_workspace("Other")
    token, _ = reviews.publish_review(store, other.id, snap(90.0), title="B")
    assert reviews.open_review(store, token).changes == []


def test_publish_to_a_missing_workspace_is_refused(store):
    with pytest.raises(storage.WorkspaceNotFound):
        reviews.publish_review(store, "nope", snap(), title="T")


def test_snapshot_must_be_plain_json(store, ws):
    with pytest.raises(StorageError, match="not plain JSON"):
        reviews.publish_review(store, ws.id, {"x": float("nan")}, title="T")


# ---------------------------------------------------------------- what changed


def pillar(score, label="Involvement"):
    return {"label": label, "score": score}


@pytest.mark.parametrize("old, new, expected", [
    (40.4, 40.6, ["Involvement rose from 40 to 41 (+1 points)."]),
    (61.0, 60.9, ["Involvement stayed at 61/100."]),
    (None, 72.0, ["Involvement now has a score: 72/100 (the previous review had no score)."]),
    (35.0, None, ["Involvement has no score this time (it was 35/100)."]),
    (None, None, []),
])
def test_changes_since_pillar_lines(old, new, expected):
    before = {"scorecard": {"pillars": {"involvement": pillar(old)}}}
    after = {"scorecard": {"pillars": {"involvement": pillar(new)}}}
    assert reviews.changes_since(before, after) == expected


def test_changes_since_periods_inputs_figures_and_settings():
    before = {
        "period": {"start": "2026-01-01", "end": "2026-01-31", "label": "January"},
        "settings": {"org_type": "school", "targets": {"k_factor": 0.1}},
        "scorecard": {"pillars": {}, "inputs": [{"file_name": "fb.csv", "source_label": "Facebook posts"},
                                                 {"file_name": "old.csv", "source_label": "Log"}]},
        "vanity": {"summary": [{"metric": "real_actions", "label": "Real actions", "kind": "real", "current": 10},
                               {"metric": "reactions", "label": "Reactions", "kind": "vanity", "current": 900}]},
        "network": {"referrals": 4},
    }
    after = {
        "period": {"start": "2026-02-01", "end": "2026-02-28", "label": "February"},
        "settings": {"org_type": "school", "targets": {"k_factor": 0.2}},
        "scorecard": {"pillars": {}, "inputs": [{"file_name": "fb.csv", "source_label": "Facebook posts"},
                                                {"file_name": "log.csv", "source_label": "Involvement log"}]},
        "vanity": {"summary": [{"metric": "real_actions", "label": "Real actions", "kind": "real", "current": 12.5},
                               {"metric": "reactions", "label": "Reactions", "kind": "vanity", "current": 100}]},
        "network": {"referrals": 4},
    }
    assert reviews.changes_since(before, after) == [
        "The period moved from January to February.",
        "Real actions: 10 → 12.5.",
        "New data: log.csv (Involvement log).",
        "No longer included: old.csv.",
        "Settings changed (targets), so scores are not exactly comparable with the previous review.",
    ]


def test_changes_since_nothing_and_first_review():
    assert reviews.changes_since(None, snap()) == []
    assert reviews.changes_since(snap(), snap()) == ["Involvement stayed at 50/100."]


# ---------------------------------------------------------------- snapshots from data


@pytest.fixture
def named_dataset(small_dataset):
    """small_dataset plus referrals between people with distinctive names."""
    from harness.dataset import from_tables

    inv = small_dataset["involvement"].copy()
    inv["person"] = ["Zelda Quixote", "Zelda Quixote ", "Barnaby Fennimore", "Barnaby Fennimore",
                     "Cressida Wolstenholme", "Old Timer"]
    inv["referred_by"] = [None, None, "Zelda Quixote", None, "Barnaby Fennimore", None]
    referrals = pd.DataFrame({
        "record_id": ["r1"], "occurred_at": pd.to_datetime(["2026-03-04"], utc=True),
        "referrer": ["Zelda Quixote"], "referred": ["Ottoline Marchbanks"], "channel": ["word_of_mouth"],
        "converted": [True],
    })
    tables = {k: small_dataset[k] for k in ("posts", "contributions", "community", "audience")}
    return from_tables(involvement=inv, referrals=referrals, **tables)


NAMES = ("Zelda", "Quixote", "Barnaby", "Fennimore", "Cressida", "Wolstenholme", "Ottoline", "Marchbanks")


def test_snapshot_is_small_json_and_hides_names(named_dataset, period):
    s = reviews.build_snapshot(named_dataset, period, {"org_type": "school"}, "salt-1",
                               now=dt.datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    text = json.dumps(s, allow_nan=False)
    assert len(text) < 60_000
    assert not [n for n in NAMES if n.lower() in text.lower()]
    assert s["pseudonymised"] is True and s["generated_at"] == "2026-03-16T09:00:00+00:00"
    assert s["period"] == {"start": "2026-03-02", "end": "2026-03-15", "days": 14, "label": "2 Mar – 15 Mar 2026"}
    assert s["previous_period"]["start"] == "2026-02-16"
    top = s["network"]["top_by_reach"]
    assert top and all(r["person"].startswith("Person ") and len(r["person"]) == 15 for r in top)
    # Hand count (see conftest): 5 actions in the period by 3 people; the weeks start 2 and 9 March.
    summary = {r["metric"]: r["current"] for r in s["vanity"]["summary"]}
    assert (summary["real_actions"], summary["people_involved"]) == (5, 3)
    assert [(w["bucket"], w["days"], w["real_actions"]) for w in s["vanity"]["weekly"]] == [
        ("2026-03-02", 7, 2), ("2026-03-09", 7, 3)]
    assert set(s["scorecard"]["pillars"]) == {"involvement", "co_creation", "connections", "community"}
    assert [r["level"] for r in s["pyramid"]][:2] == ["observing", "following"]
    assert s["coverage"]["involvement"] == {"start": "2026-01-01T10:00:00+00:00",
                                            "end": "2026-03-15T23:00:00+00:00", "rows": 6}
    assert s["coverage"]["audience"] is None
    assert json.loads(text) == s


def test_snapshot_can_show_names_when_asked(named_dataset, period):
    s = reviews.build_snapshot(named_dataset, period, None, "salt-1", pseudonymise=False)
    text = json.dumps(s, allow_nan=False)
    assert s["pseudonymised"] is False and "Zelda Quixote".lower() in text.lower()


def test_pseudonyms_follow_the_salt(named_dataset, period):
    from harness import privacy

    a = reviews.build_snapshot(named_dataset, period, None, "salt-a")["network"]["top_by_reach"]
    b = reviews.build_snapshot(named_dataset, period, None, "salt-b")["network"]["top_by_reach"]
    plain = reviews.build_snapshot(named_dataset, period, None, "salt-a", pseudonymise=False)["network"]
    assert [r["person"] for r in a] == [privacy.pseudonym(r["person"], "salt-a") for r in plain["top_by_reach"]]
    assert [r["person"] for r in a] != [r["person"] for r in b]


@pytest.mark.parametrize("value, expected", [
    (float("nan"), None), (float("inf"), None), (pd.NA, None), (pd.NaT, None),
    (pd.Timestamp("2026-03-02", tz="UTC"), "2026-03-02T00:00:00+00:00"), (dt.date(2026, 3, 2), "2026-03-02"),
    ({"a": (1, 2.5)}, {"a": [1, 2.5]}), (True, True),
])
def test_jsonable(value, expected):
    assert reviews.jsonable(value) == expected


def test_jsonable_numpy():
    import numpy as np

    assert reviews.jsonable({1: np.int64(3), "x": np.float64("nan"), "b": np.bool_(True),
                             "arr": np.array([1.5, np.inf])}) == {"1": 3, "x": None, "b": True, "arr": [1.5, None]}


def test_snapshot_published_and_read_back_unchanged(store, ws, named_dataset, period):
    s = reviews.build_snapshot(named_dataset, period, None, store.get_workspace(ws.id).salt)
    token, _ = reviews.publish_review(store, ws.id, s, title="March")
    assert reviews.open_review(store, token).snapshot == s


# ---------------------------------------------------------------- editors


ALLOW = {"emails": ["Head@Partner.org ", "governor@gmail.com"], "domains": ["school.org", "@charity.org.uk",
                                                                          "*.district.edu"]}


@pytest.mark.parametrize("email, allowed", [
    ("teacher@school.org", True),
    ("Teacher@SCHOOL.ORG", True),
    ("  teacher@school.org ", True),
    ("head@partner.org", True),
    ("GOVERNOR@gmail.com", True),
    ("someone@charity.org.uk", True),
    ("a@district.edu", True),
    ("a@staff.district.edu", True),
    ("other@gmail.com", False),
    ("x@evil-school.org", False),
    ("a@school.org.evil.com", False),
    ("a@sub.school.org", False),  # subdomains only with a "*." entry
    ("a@evildistrict.edu", False),
    ("school.org", False),
    ("@school.org", False),
    ("a@b@school.org", False),
    ("a @school.org", False),
    ("a@school.org\n", True),  # trailing whitespace is stripped, as typed in a form
    ("a@school.org\nb@evil.com", False),
    ("a@schооl.org", False),  # Cyrillic o
    ("", False),
    (None, False),
    (42, False),
])
def test_is_editor_allowed(email, allowed):
    assert reviews.is_editor_allowed(email, ALLOW) is allowed


@pytest.mark.parametrize("allow_list, allowed", [
    (None, False),
    ({}, False),
    ({"emails": [], "domains": []}, False),
    ({"domains": "school.org, other.org"}, True),  # one string in secrets, comma separated
    ({"emails": "x@y.org,a@school.org"}, True),
    ({"domains": [""]}, False),
])
def test_allow_list_shapes(allow_list, allowed):
    assert reviews.is_editor_allowed("a@school.org", allow_list) is allowed
