"""Issue 17: guessing a review link's passcode is throttled per link in the database, passcodes are worth
having, and editors can read how a link was used. SQLite always; PostgreSQL too when TEST_DATABASE_URL is set.

Every ``access_review`` call here stands for a new browser session: nothing is carried between calls except
what the database holds.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from harness import reviews, storage
from harness.passphrase import WORDS
from harness.reviews import LOCK_FOR, Lockout, ReviewAccess
from harness.storage import Store, StorageError
from tests.test_reviews import store, ws  # noqa: F401 - the same fixtures (SQLite and PostgreSQL)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
RIGHT = "otter-lamp-grove-seven"
SEC = dt.timedelta(seconds=1)
MIN = dt.timedelta(minutes=1)


def publish(store, ws_id, passcode=RIGHT, title="T"):
    return reviews.publish_review(store, ws_id, {"period": {}}, title=title, passcode=passcode, now=T0)


def wrong(store, token, n, start, step=SEC, guess="not-the-passcode"):
    """``n`` wrong passcodes, one a second from ``start``, each as a fresh session: the statuses seen."""
    return [reviews.access_review(store, token, f"{guess}-{i}", now=start + i * step)[0] for i in range(n)]


# ---------------------------------------------------------------- the lock


def test_ten_wrong_passcodes_lock_the_link_even_against_the_right_one(store, ws):
    token, _ = publish(store, ws.id)
    seen = wrong(store, token, 10, T0)
    assert seen == [ReviewAccess.WRONG_PASSCODE] * 9 + [ReviewAccess.LOCKED]
    until = T0 + 9 * SEC + LOCK_FOR  # the 10th wrong try came at T0 + 9 s
    for passcode in (RIGHT, None, "", "another-guess"):
        assert reviews.access_review(store, token, passcode, now=until - SEC) == (ReviewAccess.LOCKED, Lockout(until))
    assert reviews.open_review(store, token, RIGHT, now=until - SEC) is None
    status, review = reviews.access_review(store, token, RIGHT, now=until)
    assert status is ReviewAccess.OK and review.title == "T"


def test_a_different_link_is_not_affected(store, ws):
    token, _ = publish(store, ws.id)
    same_ws, _ = publish(store, ws.id, "second-link-code", title="Second")
    other_ws, _ = publish(store, store.create_workspace("Other").id, "third-link-code", title="Third")
    assert wrong(store, token, 10, T0)[-1] is ReviewAccess.LOCKED
    at = T0 + MIN
    assert reviews.access_review(store, same_ws, "second-link-code", now=at)[1].title == "Second"
    assert reviews.access_review(store, other_ws, "third-link-code", now=at)[1].title == "Third"
    # Their own counts start at nothing: nine wrong tries each still leave them open.
    assert wrong(store, same_ws, 9, at) == [ReviewAccess.WRONG_PASSCODE] * 9
    assert reviews.open_review(store, same_ws, "second-link-code", now=at + MIN) is not None


def test_wrong_tries_more_than_fifteen_minutes_apart_do_not_add_up(store, ws):
    token, _ = publish(store, ws.id)
    # 9 wrong at T0..T0+8 s; the window that began at T0 ends at T0 + 15 min, so the next 9 start a new one.
    assert wrong(store, token, 9, T0) == [ReviewAccess.WRONG_PASSCODE] * 9
    assert wrong(store, token, 9, T0 + 15 * MIN) == [ReviewAccess.WRONG_PASSCODE] * 9
    assert reviews.open_review(store, token, RIGHT, now=T0 + 16 * MIN) is not None
    # ...and its 10th (still within 15 minutes of T0 + 15 min) locks.
    assert reviews.access_review(store, token, "guess", now=T0 + 29 * MIN)[0] is ReviewAccess.LOCKED


def test_ten_wrong_within_the_window_but_spread_out_still_lock(store, ws):
    token, _ = publish(store, ws.id)
    seen = wrong(store, token, 10, T0, step=dt.timedelta(seconds=99))  # the 10th at T0 + 14 min 51 s
    assert seen[-1] is ReviewAccess.LOCKED and seen[:-1] == [ReviewAccess.WRONG_PASSCODE] * 9


def test_after_a_lock_the_count_starts_again(store, ws):
    token, _ = publish(store, ws.id)
    wrong(store, token, 10, T0)
    after = T0 + 9 * SEC + LOCK_FOR
    assert wrong(store, token, 9, after) == [ReviewAccess.WRONG_PASSCODE] * 9
    assert reviews.access_review(store, token, "x-guess", now=after + 9 * SEC)[0] is ReviewAccess.LOCKED


def test_tries_during_a_lock_neither_extend_it_nor_count_as_wrong(store, ws):
    token, rid = publish(store, ws.id)
    wrong(store, token, 10, T0)
    until = T0 + 9 * SEC + LOCK_FOR
    for i in range(30):
        assert reviews.access_review(store, token, f"guess-{i}", now=T0 + MIN + i * SEC)[0] is ReviewAccess.LOCKED
    log = reviews.access_log(store, rid, now=T0 + 2 * MIN)
    assert (log.wrong_passcodes, log.lockouts, log.refused_while_locked, log.locked_until) == (10, 1, 30, until)
    assert reviews.open_review(store, token, RIGHT, now=until) is not None


def test_a_link_without_a_passcode_never_locks(store, ws):
    token, _ = publish(store, ws.id, passcode=None)
    for i in range(12):
        assert reviews.access_review(store, token, f"anything-{i}", now=T0 + i * SEC)[0] is ReviewAccess.OK


def test_revoked_or_expired_links_say_not_found_even_when_locked(store, ws):
    token, rid = publish(store, ws.id)
    wrong(store, token, 10, T0)
    reviews.revoke_review(store, rid)
    assert reviews.access_review(store, token, RIGHT, now=T0 + MIN) == (ReviewAccess.NOT_FOUND, None)


def test_wrong_passcodes_are_counted_without_keeping_them(store, ws, tmp_path):
    token, rid = publish(store, ws.id)
    reviews.access_review(store, token, "zebra-guess-4417", now=T0)
    with store.read() as conn:
        dump = repr([conn.execute(sa.select(t)).all() for t in storage.METADATA.sorted_tables])
    assert "zebra-guess-4417" not in dump and RIGHT not in dump


# ---------------------------------------------------------------- two replicas at once


def test_concurrent_wrong_tries_from_two_replicas_all_count(db_url):
    """Ten wrong passcodes at the same moment, five through each of two Stores (as two app replicas): with a
    lost update the count would end below ten and the link would stay open."""
    a, b = Store(db_url), Store(db_url)
    try:
        ws = a.create_workspace("School")
        token, rid = publish(a, ws.id)
        go = threading.Barrier(10)
        seen, errors = [], []

        def guess(store, i):
            try:
                go.wait()
                seen.append(reviews.access_review(store, token, f"guess-{i}", now=T0 + SEC)[0])
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=guess, args=(a if i % 2 else b, i)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert sorted(s.value for s in seen) == sorted([ReviewAccess.WRONG_PASSCODE.value] * 9 +
                                                       [ReviewAccess.LOCKED.value])
        assert reviews.access_review(b, token, RIGHT, now=T0 + 2 * SEC)[0] is ReviewAccess.LOCKED
        log = reviews.access_log(a, rid, now=T0 + 2 * SEC)
        assert (log.wrong_passcodes, log.lockouts, log.refused_while_locked) == (10, 1, 1)
    finally:
        a.close()
        b.close()


def test_concurrent_opens_from_two_replicas_all_count(db_url):
    a, b = Store(db_url), Store(db_url)
    try:
        ws = a.create_workspace("School")
        token, rid = publish(a, ws.id, passcode=None)
        go = threading.Barrier(4)

        def opens(store):
            go.wait()
            for i in range(15):
                assert reviews.access_review(store, token, now=T0 + i * SEC)[0] is ReviewAccess.OK

        threads = [threading.Thread(target=opens, args=(s,)) for s in (a, b, a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        log = reviews.access_log(b, rid, now=T0 + MIN)
        assert (log.opens, log.first_opened_at, log.last_opened_at) == (60, T0, T0 + 14 * SEC)
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------- the access log


def test_access_log_counts_per_day_and_keeps_no_visitor_data(store, ws):
    token, rid = publish(store, ws.id)
    other, other_id = publish(store, ws.id, passcode=None, title="Open")
    day2 = T0 + dt.timedelta(days=1)
    reviews.access_review(store, token, RIGHT, now=T0)
    reviews.access_review(store, token, RIGHT, now=T0 + 5 * MIN)
    reviews.access_review(store, token, RIGHT, now=T0 + 6 * MIN, record_open=False)  # a rerun, not an open
    reviews.access_review(store, token, None, now=T0 + 7 * MIN)  # asked for the passcode: not an open
    wrong(store, token, 3, T0 + 8 * MIN)
    wrong(store, token, 10, day2)  # locks at day2 + 9 s
    reviews.access_review(store, token, RIGHT, now=day2 + MIN)  # refused: locked
    reviews.access_review(store, other, now=day2)
    logs = reviews.access_logs(store, ws.id, now=day2 + 2 * MIN)
    log = logs[rid]
    assert (log.opens, log.first_opened_at, log.last_opened_at) == (2, T0, T0 + 5 * MIN)
    assert (log.wrong_passcodes, log.lockouts, log.refused_while_locked) == (13, 1, 1)
    assert log.locked_until == day2 + 9 * SEC + LOCK_FOR and log.wrong_in_window == 0
    assert [(d.day.isoformat(), d.opens, d.wrong_passcodes, d.lockouts, d.refused_while_locked)
            for d in log.days] == [("2026-03-17", 0, 10, 1, 1), ("2026-03-16", 2, 3, 0, 0)]
    assert log.lockout_times == [day2 + 9 * SEC]
    assert [e["action"] for e in reviews.review_events(store, rid)] == ["published", "locked"]
    assert (logs[other_id].opens, logs[other_id].wrong_passcodes, logs[other_id].locked_until) == (1, 0, None)
    # After the lock has passed it is no longer reported as current.
    assert reviews.access_log(store, rid, now=day2 + LOCK_FOR + MIN).locked_until is None
    # Counts and times only: no column could hold an address, a browser or a name.
    insp = sa.inspect(store.engine)
    assert {c["name"] for c in insp.get_columns("review_access")} == {
        "review_id", "day", "opens", "first_opened_at", "last_opened_at", "wrong_passcodes", "lockouts",
        "refused_while_locked"}


def test_access_log_shows_wrong_tries_towards_the_next_lock(store, ws):
    token, rid = publish(store, ws.id)
    wrong(store, token, 4, T0)
    assert reviews.access_log(store, rid, now=T0 + MIN).wrong_in_window == 4
    assert reviews.access_log(store, rid, now=T0 + 15 * MIN).wrong_in_window == 0
    assert reviews.access_log(store, 999_999) is None
    assert reviews.access_logs(store, store.create_workspace("Empty").id) == {}


def test_deleting_a_workspace_removes_its_access_counts(store, ws):
    token, _ = publish(store, ws.id)
    reviews.access_review(store, token, RIGHT, now=T0)
    store.delete_workspace(ws.id)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.REVIEW_ACCESS)).scalar() == 0


# ---------------------------------------------------------------- passcodes worth having


@pytest.mark.parametrize("passcode, problem", [
    ("1234", "at least 8 characters (it has 4)"),
    ("pass", "at least 8 characters (it has 4)"),
    ("1234567", "(it has 7)"),
    ("   abcdefg   ", "(it has 7)"),  # spaces at the ends do not count
    (" " * 12, "(it has 0)"),
    ("x" * 1025, "too long"),
    ("12345678", None),
    ("tea and biscuits", None),
    ("", None),  # no passcode at all
    (None, None),
])
def test_passcode_rules(passcode, problem):
    got = reviews.passcode_problem(passcode)
    assert (got is None) if problem is None else (problem in got)


def test_publishing_with_a_four_character_passcode_is_refused_with_a_message(store, ws):
    with pytest.raises(StorageError, match=r"too short: use at least 8 characters \(it has 4\)"):
        reviews.publish_review(store, ws.id, {"period": {}}, title="T", passcode="1234")
    assert reviews.list_reviews(store, ws.id) == []
    token, _ = reviews.publish_review(store, ws.id, {"period": {}}, title="T", passcode="12345678")
    assert reviews.open_review(store, token, "12345678") is not None


def test_the_word_list():
    assert len(WORDS) == len(set(WORDS)) == 256
    assert all(w.isascii() and w.isalpha() and w.islower() and 3 <= len(w) <= 7 for w in WORDS)


def test_suggested_passcodes_are_random_words_that_pass_the_rules():
    seen = [reviews.suggest_passcode() for _ in range(300)]
    assert len(set(seen)) == 300  # 2**32 possibilities: a repeat in 300 draws would be a broken generator
    for phrase in seen:
        words = phrase.split("-")
        assert len(words) == 4 and set(words) <= set(WORDS)
        assert reviews.passcode_problem(phrase) is None
    # Every word turns up: 1,200 draws from 256 words miss a given word with probability ~1 %, so allow a few.
    used = {w for p in seen for w in p.split("-")}
    assert len(used) >= 240


def test_suggested_passcode_draws_from_secrets(monkeypatch):
    calls = []
    monkeypatch.setattr(reviews.secrets, "choice", lambda seq: calls.append(seq) or seq[-1])
    assert reviews.suggest_passcode(5) == "-".join([WORDS[-1]] * 5)
    assert len(calls) == 5 and all(c is WORDS for c in calls)


# ---------------------------------------------------------------- an older database


def test_a_version_2_database_gains_the_counters_and_its_links_keep_working(db_url, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(storage, "MIGRATIONS", storage.MIGRATIONS[:2])
        m.setattr(storage, "SCHEMA_VERSION", 2)
        with Store(db_url) as old:
            ws = old.create_workspace("Old")
            with old.write() as conn:  # a review as version 2 wrote it (no counter columns)
                conn.execute(sa.text(
                    "INSERT INTO reviews (token_hash, workspace_id, created_at, passcode_hash, title, commentary, "
                    "snapshot, snapshot_size, changes) VALUES (:h, :w, :c, :p, 'Old review', '', :s, 2, '[]')"),
                    {"h": reviews.hash_token("A" * 43), "w": ws.id, "c": T0.replace(tzinfo=None),
                     "p": reviews.hash_passcode(RIGHT), "s": __import__("zlib").compress(b"{}")})
            assert "failed_attempts" not in {c["name"] for c in sa.inspect(old.engine).get_columns("reviews")}
    with Store(db_url) as s:
        from tests.test_storage import _schema_version

        assert _schema_version(s) == 3
        assert wrong(s, "A" * 43, 10, T0)[-1] is ReviewAccess.LOCKED
        assert reviews.open_review(s, "A" * 43, RIGHT, now=T0 + 9 * SEC + LOCK_FOR).title == "Old review"


# ---------------------------------------------------------------- words on the pages


@pytest.mark.parametrize("left, words", [(dt.timedelta(minutes=15), "in 15 minutes"), (MIN, "in 1 minute)"),
                                         (dt.timedelta(seconds=61), "in 2 minutes"), (SEC, "in 1 minute)")])
def test_lock_message_says_until_when_and_what_to_do(left, words):
    until = dt.datetime(2026, 3, 16, 9, 45, tzinfo=UTC)
    text = reviews.lock_message(Lockout(until), now=until - left)
    assert "until 09:45 UTC" in text and words in text and "not even the right one" in text
    assert "tell the person who sent you the link" in text


def test_access_rows_for_the_share_page(store, ws):
    locked, locked_id = publish(store, ws.id, title="Locked")
    guessed, _ = publish(store, ws.id, "guessed-link-code", title="Guessed")
    open_, _ = publish(store, ws.id, passcode=None, title="Open")
    untouched, _ = publish(store, ws.id, "untouched-link", title="Untouched")
    reviews.access_review(store, locked, RIGHT, now=T0)
    wrong(store, locked, 10, T0 + MIN)
    wrong(store, guessed, 3, T0)
    for i in range(3):
        reviews.access_review(store, open_, now=T0 + i * MIN)
    now = T0 + 2 * MIN
    rows = reviews.access_rows(reviews.list_reviews(store, ws.id, now=now), reviews.access_logs(store, ws.id, now=now))
    by_title = {r["Title"]: r for r in rows}
    assert by_title["Locked"] == {
        "Title": "Locked", "Opened": 1, "First opened (UTC)": "16 Mar 2026, 09:00",
        "Last opened (UTC)": "16 Mar 2026, 09:00", "Wrong passcodes": 10, "Lockouts": 1,
        "Right now": "locked until 09:16 UTC"}  # 10th wrong at 09:01:09, plus 15 minutes
    assert (by_title["Guessed"]["Wrong passcodes"], by_title["Guessed"]["Right now"]) == (3, "3 of 10 wrong tries")
    assert (by_title["Open"]["Opened"], by_title["Open"]["Last opened (UTC)"], by_title["Open"]["Right now"]) == (
        3, "16 Mar 2026, 09:02", "no passcode")
    assert (by_title["Untouched"]["Opened"], by_title["Untouched"]["First opened (UTC)"],
            by_title["Untouched"]["Right now"]) == (0, "never", "no recent wrong tries")


def test_access_day_rows(store, ws):
    token, rid = publish(store, ws.id)
    reviews.access_review(store, token, RIGHT, now=T0)
    wrong(store, token, 2, T0 + dt.timedelta(days=2))
    rows = reviews.access_day_rows(reviews.access_log(store, rid, now=T0))
    assert rows == [
        {"Day (UTC)": "Wed 18 Mar 2026", "Times opened": 0, "Wrong passcodes": 2, "Lockouts": 0,
         "Refused while locked": 0},
        {"Day (UTC)": "Mon 16 Mar 2026", "Times opened": 1, "Wrong passcodes": 0, "Lockouts": 0,
         "Refused while locked": 0}]
    assert reviews.access_day_rows(None) == []
