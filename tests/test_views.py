from pathlib import Path

import pandas as pd
import pytest

from harness import charts, views
from harness import format as fmt
from tests.conftest import ts

ROOT_FIXTURES = Path(__file__).parent / "fixtures"


def test_involvement_summary(small_dataset, period):
    s = views.involvement_summary(small_dataset, period)
    assert s == {"actions": 5, "people": 3, "repeat_people": 2, "social_actions": 3,
                 "money": 50.0, "volunteer_hours": 3.0}


def test_people_involved_is_one_number_on_the_page_the_score_and_the_chart(period):
    from harness import scoring, vanity
    from harness.dataset import from_tables

    # Written five ways, two people: "Ann" (trimmed) and one email (case-folded); blanks are nobody.
    inv = pd.DataFrame({
        "record_id": [f"r{i}" for i in range(7)],
        "occurred_at": ts("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-09",
                          "2026-01-01"),
        "person": ["Ann", " Ann ", "bob@x.org", "BOB@X.ORG", None, "", "Cy"],  # Cy acted before the period
        "action": ["visit"] * 7, "source": ["website"] * 7,
    })
    ds = from_tables(involvement=inv)
    s = views.involvement_summary(ds, period)
    assert (s["actions"], s["people"], s["repeat_people"]) == (6, 2, 2)
    card = scoring.score_pillars(ds, period=period)
    assert card.vanity["current"]["people_involved"] == 2
    assert vanity.summary(ds, period).set_index("metric").loc["people_involved", "current"] == 2


def test_counts_over_time_by_action_weekly(small_dataset, period):
    df = views.counts_over_time(small_dataset, "involvement", period, by="action", labels=views.ACTION_LABELS)
    got = {(b.date().isoformat(), a): c for b, a, c in df.itertuples(index=False)}
    assert got == {
        ("2026-03-02", "Visit"): 1, ("2026-03-02", "Donation"): 1,
        ("2026-03-09", "Phone call"): 1, ("2026-03-09", "Volunteering"): 1, ("2026-03-09", "Enquiry"): 1,
    }


def test_funnel_drops_unknown_stages_and_counts_social(small_dataset, period):
    f = views.funnel(small_dataset, period)
    assert f.set_index("stage")["count"].to_dict() == {
        "Reached (post reach)": 2000,
        "Engaged (reactions, comments, shares)": 50,  # 10+30 + 2+4 + 1+3 (organisation posts only)
        "Clicked": 7,
        "Real actions from social media": 3,
        "People involved via social media": 2,  # ann (twice, case-folded), bob
    }


def test_contributors_and_engagement_comparison(small_dataset, period):
    t = views.contributors_table(small_dataset, period)
    assert t["contributor"].tolist() == ["dee", "eve"]
    assert t["items"].tolist() == [2, 1]
    assert t["used_by_us"].tolist() == [1, 1]
    assert t["engagement"].iloc[0] == 21 and pd.isna(t["engagement"].iloc[1])  # eve's engagement is unknown
    comp = views.engagement_comparison(small_dataset, period).set_index("who")
    assert comp.loc["Organisation posts", "mean_engagement"] == pytest.approx((13 + 37) / 2)
    assert comp.loc["Community-created content", "mean_engagement"] == pytest.approx(10.5)


def test_community_summary_and_partners(small_dataset, period):
    s = views.community_summary(small_dataset, period)
    assert s == {"activities": 2, "attendees": 100, "hours": 6.0, "partners": 1, "non_sales_share": 0.5}
    assert views.partners_table(small_dataset, period)["partner"].tolist() == ["Library"]


def test_coverage_table_names_missing_inputs(small_dataset):
    cov = views.coverage_table(small_dataset).set_index("table")
    assert cov.loc["Referrals (who recommended whom)", "loaded"] == "missing"
    assert "Connections" in cov.loc["Referrals (who recommended whom)", "what it gives you"]
    assert cov.loc["Involvement log (real-world actions)", "rows"] == 6


def test_freq_switches_to_months_for_long_periods():
    from harness.periods import Period
    import datetime as dt

    assert views.freq_for(Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))).startswith("W")
    assert views.freq_for(Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))) == "MS"


def test_stacked_chart_spec(small_dataset, period):
    df = views.counts_over_time(small_dataset, "involvement", period, by="source")
    spec = charts.stacked_over_time(df, "source", "Actions by source", "Actions").to_dict()
    assert spec["mark"]["type"] == "bar"
    # stacked by hand (bars span their week): tops and bottoms of one week chain up
    assert spec["encoding"]["y"]["field"] == "top" and spec["encoding"]["y2"]["field"] == "bottom"
    assert spec["encoding"]["x"]["field"] == "bucket"
    assert spec["title"]["text"] == "Actions by source"
    values = spec["datasets"][spec["data"]["name"]]
    assert sum(v["count"] for v in values) == 5
    for week in {v["bucket"] for v in values}:
        segs = sorted((v["bottom"], v["top"]) for v in values if v["bucket"] == week)
        assert segs[0][0] == 0
        assert all(a[1] == b[0] for a, b in zip(segs, segs[1:]))  # no gaps, no overlaps


def test_funnel_chart_keeps_stage_order_on_log_scale(small_dataset, period):
    spec = charts.funnel_chart(views.funnel(small_dataset, period)).to_dict()
    assert spec["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["encoding"]["y"]["sort"]["field"] == "order"


def test_charts_refuse_unaggregated_data():
    big = pd.DataFrame({"bucket": ts(*["2026-01-01"] * (charts.MAX_POINTS + 1)), "count": 1})
    with pytest.raises(ValueError, match="aggregate"):
        charts.stacked_over_time(big, None, "t", "y")


def test_component_chart_marks_unavailable_components():
    pillar = {"components": [
        {"label": "A", "score": 50.0, "available": True, "weight": 1.0, "contribution": 25.0},
        {"label": "B", "score": None, "available": False, "weight": 1.0, "contribution": None},
    ]}
    spec = charts.component_chart(pillar, "#000").to_dict()
    values = spec["datasets"][spec["data"]["name"]]
    assert [(v["component"], v["status"]) for v in values] == [("A", "counted"), ("B", "not available")]
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_rare_categories_fold_into_other(small_dataset, period):
    df = views.counts_over_time(small_dataset, "involvement", period, by="source", max_categories=2)
    # facebook has 3 actions, website and referral one each: only facebook survives, the rest is "Other"
    assert df.groupby("source")["count"].sum().to_dict() == {"facebook": 3, "Other": 2}


@pytest.mark.parametrize("starts,expected_days", [
    (["2026-03-02", "2026-03-09"], [6, 6]),  # weeks: bar spans Monday to Sunday
    (["2026-01-01", "2026-02-01"], [28, 25]),  # months: to 3 days before the next month
])
def test_bars_span_their_bucket(starts, expected_days):
    df = pd.DataFrame({"bucket": pd.to_datetime(starts), "count": [1, 2]})
    out = charts.with_span(df)
    assert ((out["bucket_end"] - out["bucket"]).dt.days).tolist() == expected_days


def test_funnel_bars_are_anchored_for_the_log_scale(small_dataset, period):
    spec = charts.funnel_chart(views.funnel(small_dataset, period)).to_dict()
    assert spec["encoding"]["x2"] == {"datum": 1}
    assert spec["encoding"]["x"]["scale"]["domainMin"] == 1


def test_pyramid_chart_marks_estimates_and_orders_levels():
    counts = pd.DataFrame({
        "level": ["observing", "following", "endorsing", "contributing", "owning", "leading"],
        "label": ["Observing", "Following", "Endorsing", "Contributing", "Owning", "Leading"],
        "people": pd.array([5000, 8000, 12, 60, 53, 0], dtype="Int64"),
        "estimate": [True, True, False, False, False, False],
    })
    spec = charts.pyramid_chart(counts).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    by_level = {v["level"]: v for v in values}
    assert by_level["observing"]["text"] == "5,000 (estimate)"
    assert by_level["owning"]["text"] == "53" and by_level["owning"]["kind"] == "known by name"
    assert [by_level[l]["order"] for l in counts["level"]] == list(range(6))
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "sqrt"


@pytest.mark.parametrize("value,digits,signed,expected", [
    (1234.5, 0, False, "1,234"), (15.94, 1, False, "15.9"), (5, 0, True, "+5"), (-3, 0, True, "-3"),
    (None, 0, False, "–"), (pd.NA, 1, False, "–"), (float("nan"), 0, False, "–"),
])
def test_number_text(value, digits, signed, expected):
    assert fmt.number(value, digits, signed) == expected


def test_report_rows_show_a_second_file_of_the_same_name_with_its_number_and_dates():
    from pathlib import Path

    from harness.ingest import ingest_bytes

    forms = Path(__file__).parent / "fixtures" / "people" / "languages"
    german = (forms / "Unbenanntes Formular.csv").read_bytes()
    spanish = (forms / "Formulario sin título (respuestas) - Respuestas de formulario 1.csv").read_bytes()
    reports = [ingest_bytes("Unbenanntes Formular.csv", german)[0],
               ingest_bytes("Unbenanntes Formular (2).csv", spanish)[0]]
    rows = views.report_rows(reports)
    assert list(zip(rows["File"], rows["From"], rows["To"])) == [
        ("Unbenanntes Formular.csv", "2024-10-26", "2024-11-03"),
        ("Unbenanntes Formular.csv (2)", "2024-03-09", "2024-03-12")]


def test_report_and_rejected_rows_have_sentence_case_headers():
    from harness.ingest import ingest_bytes

    # A form with one unreadable date: one row rejected.
    path = ROOT_FIXTURES / "people" / "languages" / "Portes ouvertes (réponses) - Réponses au formulaire 1.csv"
    report = ingest_bytes(path.name, path.read_bytes())[0]
    assert list(views.report_rows([report]).columns) == [
        "File", "Status", "Detected as", "Platforms", "Rows read", "Rows rejected", "From", "To", "Read into",
        "Problem"]
    rejected = views.rejected_rows(report)
    assert list(rejected.columns) == ["Line", "Reason"] and len(rejected) == 1


@pytest.mark.parametrize("frame, title, fields, expected", [
    # Every other column by default, in order; numbers as the pages write them.
    ({"File": ["a.csv"], "Status": ["loaded"], "Rows read": [1234]}, "File", None,
     [("a.csv", "Status: loaded · Rows read: 1,234")]),
    # Empty, None and NaN cells are left out; a chosen subset in the order given.
    ({"File": ["a.csv", "b.csv"], "Platforms": ["", "LinkedIn"], "Problem": [None, "too big"],
      "Rows read": [3, float("nan")]}, "File", ["Rows read", "Platforms", "Problem"],
     [("a.csv", "Rows read: 3"), ("b.csv", "Platforms: LinkedIn · Problem: too big")]),
    # Floats as on the pages (14.09, 6 rather than 6.0), a share already written as text stays as it is.
    ({"Person": ["P1"], "Reach": [6.0], "K": [0.0912], "Share": ["22%"]}, "Person", None,
     [("P1", "Reach: 6 · K: 0.09 · Share: 22%")]),
    # A 0 left out only where asked ("Rows rejected: 0" says nothing on a phone); other zeros stay.
    ({"File": ["a.csv", "b.csv"], "Rows read": [0, 5], "Rows rejected": [0, 2]}, "File", None,
     [("a.csv", "Rows read: 0"), ("b.csv", "Rows read: 5 · Rows rejected: 2")]),
    # A row without a name still gets a title: a dash, never "None".
    ({"Figure": [None], "This period": ["146"]}, "Figure", None, [("–", "This period: 146")]),
])
def test_stacked_rows(frame, title, fields, expected):
    omit = ("Rows rejected",) if "Rows rejected" in frame else ()
    assert views.stacked_rows(pd.DataFrame(frame), title, fields, omit) == expected


def _settings_row(key, rows):
    return next(r for r in rows if r["key"] == key)


def test_settings_rows_show_shares_in_percent_and_defaults_as_text():
    from harness import targets

    rows = views.settings_rows(targets.Settings(targets={"repeat_share": 0.35, "k_factor": 0.5}))
    repeat = _settings_row("repeat_share", rows)
    # 0.35 is 35 percent (by hand); the school default 0.5 reads 50%.
    assert (repeat["target"], repeat["unit"], repeat["default_target"]) == (35.0, "% of involved people", "50%")
    assert repeat["by_org_type"] == "School 50% · Non-profit 45% · Other organisation 40%"
    k = _settings_row("k_factor", rows)
    assert (k["target"], k["unit"], k["default_target"]) == (0.5, "converted referrals per involved person", "0.3")
    reach = _settings_row("reach_per_1k_followers", rows)
    assert (reach["target"], reach["default_target"]) == (250.0, "250")
    # No share is left as a decimal anywhere in the table staff see.
    for r in rows:
        if r["percent"]:
            assert r["unit"].startswith("% of ") and r["default_target"].endswith("%") and r["target"] >= 1, r


@pytest.mark.parametrize("edits, expected_targets", [
    # Shown as they are: nothing stored (every row at its default).
    ({}, {}),
    # 40 typed in percent is the share 0.4; 12.5 is 0.125.
    ({"repeat_share": 40}, {"repeat_share": 0.4}),
    ({"depth2_share": 12.5}, {"depth2_share": 0.125}),
    # Typed back to the default (50 for 50%): the override goes.
    ({"repeat_share": 50}, {}),
    # Not a share: taken as typed.
    ({"k_factor": 0.45}, {"k_factor": 0.45}),
])
def test_settings_with_edits_reads_percent_back_as_shares(edits, expected_targets):
    from harness import targets

    settings = targets.settings_to_dict(targets.default_settings("school"))
    rows = views.settings_rows(targets.settings_from_dict(settings))
    for r in rows:
        if r["key"] in edits:
            r["target"] = edits[r["key"]]
    assert views.settings_with_edits(settings, rows)["targets"] == expected_targets


def test_a_stored_share_shown_unchanged_keeps_every_digit():
    from harness import targets

    # 0.123456789 shows as 12.345679 percent; leaving it alone must not round the stored value on the next run.
    settings = targets.settings_to_dict(targets.Settings(targets={"repeat_share": 0.123456789}))
    rows = views.settings_rows(targets.settings_from_dict(settings))
    assert _settings_row("repeat_share", rows)["target"] == 12.345679
    assert views.settings_with_edits(settings, rows) == settings


@pytest.mark.parametrize("fixture, platforms, rows_read", [
    # Two sections: Follows (3 days listed) then Instagram follows (2 days listed).
    ("social_i18n/Follows.csv", "Facebook, Instagram", 5),
    ("social/Follows.csv", "Facebook", 3),
    ("social_i18n/Overview_es_marzo.csv", "TikTok", 7),
    # Five answers (one with the unreadable date "hier"); a form's rows are actions, not a platform's.
    ("people/languages/Portes ouvertes (réponses) - Réponses au formulaire 1.csv", "", 5),
])
def test_report_rows_name_each_file_s_platforms_and_rows_read(fixture, platforms, rows_read):
    from pathlib import Path

    from harness.ingest import ingest_bytes

    path = Path(__file__).parent / "fixtures" / fixture
    row = views.report_rows(ingest_bytes(path.name, path.read_bytes())).iloc[0]
    assert (row["Platforms"], row["Rows read"]) == (platforms, rows_read)


@pytest.mark.parametrize("kind,expected", [("event", "Event"), ("volunteering", "Volunteering"),
                                           ("partnership", "Partnership"), ("unknown", "Not recorded")])
def test_community_kinds_read_as_words_in_the_legend(kind, expected):
    import datetime as dt

    from harness.dataset import combine
    from harness.periods import Period

    ds = combine([])
    ds.tables["community"] = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-03-03"], utc=True), "kind": [
        None if kind == "unknown" else kind]}).reindex(columns=ds["community"].columns)
    out = views.counts_over_time(ds, "community", Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), by="kind",
                                 labels=views.COMMUNITY_KIND_LABELS)
    assert out["kind"].tolist() == [expected]
