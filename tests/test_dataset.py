import pandas as pd
import pytest

from harness import schema
from harness.dataset import combine, combine_tables
from harness.ingest.report import FileReport


def _posts(ids, reactions, views=None):
    n = len(ids)
    return schema.coerce("posts", pd.DataFrame({
        "post_id": ids, "platform": ["facebook"] * n,
        "published_at": pd.to_datetime(["2026-01-01"] * n, utc=True),
        "author_kind": ["organisation"] * n, "reactions": reactions,
        "views": views if views is not None else [None] * n,
    }))


def test_newer_value_wins_and_rows_are_not_double_counted():
    old = _posts(["1", "2"], [10, 20], views=[100, 200])
    new = _posts(["2", "3"], [25, 5], views=[None, 50])  # post 2's lifetime reactions grew; views unknown in new
    out = combine_tables("posts", [old, new]).set_index("post_id")
    assert list(out.index) == ["1", "2", "3"]
    assert out["reactions"].tolist() == [10, 25, 5]
    # a null in the newer export does not wipe a value we already had
    assert out.loc["2", "views"] == 200


def test_reupload_of_same_file_is_idempotent():
    a = _posts(["1", "2"], [10, 20])
    assert combine_tables("posts", [a, a]).equals(combine_tables("posts", [a]))


def test_audience_metrics_from_separate_files_merge_per_day():
    day = pd.to_datetime(["2026-01-01"], utc=True)
    follows = schema.coerce("audience", pd.DataFrame({"date": day, "platform": ["facebook"], "new_followers": [3]}))
    views = schema.coerce("audience", pd.DataFrame({"date": day, "platform": ["facebook"], "views": [900]}))
    out = combine_tables("audience", [follows, views])
    assert len(out) == 1
    assert (out["new_followers"].iloc[0], out["views"].iloc[0]) == (3, 900)


def test_combine_skips_nothing_and_records_inputs():
    r1 = FileReport("a.csv", source="x", source_label="X", tables={"posts": _posts(["1"], [1])})
    r2 = FileReport("b.csv", error="not a known export")
    ds = combine([r1, r2])
    assert len(ds["posts"]) == 1 and len(ds["involvement"]) == 0
    assert [i.file_name for i in ds.inputs] == ["a.csv", "b.csv"]
    assert ds.inputs[1].error == "not a known export"
    for name in schema.TABLES:
        assert schema.validate(name, ds[name]) == []


@pytest.mark.parametrize("table,missing", [("posts", "post_id"), ("involvement", "occurred_at")])
def test_coerce_names_missing_required_column(table, missing):
    cols = {c: ["x"] for c in schema.columns(table) if c != missing}
    with pytest.raises(ValueError, match=missing):
        schema.coerce(table, pd.DataFrame(cols))


@pytest.mark.parametrize("raw,expected", [
    (["  Sam@Example.ORG ", "Sam Lee", "", None], ["sam@example.org", "Sam Lee", None, None]),
])
def test_normalise_person(raw, expected):
    got = schema.normalise_person(pd.Series(raw, dtype="object")).tolist()
    assert [None if pd.isna(g) else g for g in got] == expected


def test_referral_index_is_built_on_first_use_and_kept():
    import datetime as dt

    from harness import dataset, network, scoring, vanity
    from harness.periods import Period

    t = pd.Timestamp("2025-01-10", tz="UTC")
    ds = dataset.from_tables(
        referrals=pd.DataFrame({"record_id": ["r1"], "occurred_at": [t], "referrer": ["Ann"], "referred": ["Bob"]}),
        involvement=pd.DataFrame({"record_id": ["i1"], "occurred_at": [t], "person": ["Bob"], "action": ["call"],
                                  "source": ["referral"]}))
    assert "referral_index" not in vars(ds)  # nothing built until scoring needs it
    ix = ds.referral_index
    assert isinstance(ix, network.ReferralIndex) and list(ix.people) == ["Ann", "Bob"]
    jan = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    scoring.score_pillars(ds, jan)
    vanity.vanity_vs_real(ds, jan)
    assert ds.referral_index is ix
    assert ds == dataset.Dataset(tables=ds.tables)  # a cached index is not part of a Dataset's value


@pytest.mark.parametrize("small_ids", [["s1", "s2"], ["s1", "b3"], ["s1", "s1"], ["b1", "b2"]])
def test_combine_with_a_known_unique_frame_equals_the_full_check(small_ids):
    """Looking the small frame's ids up in a frame known to be unique gives what hashing them all gives."""
    from harness import schema

    t = pd.Timestamp("2025-01-01", tz="UTC")
    big = schema.coerce("involvement", pd.DataFrame({
        "record_id": [f"b{i}" for i in range(6)], "occurred_at": [t + pd.Timedelta(hours=i) for i in range(6)],
        "person": [f"p{i}" for i in range(6)], "action": "visit", "source": "facebook"}))
    small = schema.coerce("involvement", pd.DataFrame({
        "record_id": small_ids, "occurred_at": [t + pd.Timedelta(minutes=30), t], "person": ["q", None],
        "action": "call", "source": "x"}))
    fast = combine_tables("involvement", [big, small], [True, False])
    full = combine_tables("involvement", [big, small])
    pd.testing.assert_frame_equal(fast, full)
    assert len(fast) == 6 + len(set(small_ids) - set(big["record_id"]))
