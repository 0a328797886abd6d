"""The command line: `python -m harness score` on the sample school, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from harness import cli


def test_score_json_has_four_pillars_and_vanity(capsys):
    assert cli.main(["score", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["pillars"]) == {"involvement", "co_creation", "connections", "community"}
    assert out["vanity"]["current"]["reactions"] > 0


def test_score_text_lists_each_vanity_figure_with_its_previous_value(capsys):
    assert cli.main(["score", "--json"]) == 0
    vanity = json.loads(capsys.readouterr().out)["vanity"]
    assert cli.main(["score"]) == 0
    text = capsys.readouterr().out
    section = text.split("Vanity metrics", 1)[1].splitlines()[1:]
    assert len(section) == len(vanity["current"])
    reactions = f"{vanity['current']['reactions']:,}"
    assert f"    reactions: {reactions} (previous period {vanity['previous']['reactions']:,})" in section


def test_score_text_with_no_previous_vanity_says_only_the_current_value():
    out = {"period": {"start": "2026-03-01", "end": "2026-03-31", "days": 31},
           "previous_period": {"start": "2026-01-29", "end": "2026-02-28", "days": 31}, "pillars": {},
           "vanity": {"current": {"followers": 1200, "reactions": None}, "previous": {"followers": None}}}
    lines = cli._score_text(out).splitlines()
    assert lines[-2:] == ["    followers: 1,200", "    reactions: –"]


def test_bad_path_is_a_one_line_error_and_exit_2(capsys, tmp_path):
    assert cli.main(["score", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_inspect_json_lists_platforms_and_a_file_whose_rows_all_fail(capsys, tmp_path):
    fixtures = Path(__file__).resolve().parent / "fixtures" / "social_i18n"
    bad = tmp_path / "Overview.csv"
    bad.write_text('"Date","Video Views","Profile Views","Likes","Comments","Shares"\n"8 марта","1","0","0","0","0"\n'
                   '"9 марта","2","0","0","0","0"\n', encoding="utf-8")
    assert cli.main(["inspect", str(fixtures / "Follows.csv"), str(bad), "--json"]) == 1
    follows, overview = json.loads(capsys.readouterr().out)
    assert follows["ok"] and follows["platforms"] == ["facebook", "instagram"]
    assert (follows["rows_read"], follows["rows_accepted"]) == (5, 5)
    assert overview["ok"] is False and overview["platforms"] == [] and "'8 марта'" in overview["error"]
    # score says what went wrong, never "no data files found"
    assert cli.main(["score", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "none of its 2 rows could be read" in err and "no data files found" not in err
    assert err.count("Overview.csv") == 1
