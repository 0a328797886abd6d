"""Social exports in real layouts and several languages (tests/fixtures/social_i18n/, see its README).

Expected values are the fixture rows read by hand (tests/fixtures/make_social_i18n_fixtures.py), or
computed a second way where one exists (TikTok video ids carry their upload time; the legacy Insights
file is re-read with the csv module).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from harness import periods, schema
from harness.dataset import combine
from harness.ingest import describe, ingest_bytes, ingest_path
from harness.ingest import values as V
from harness.ingest.meta import metric_of_title
from tests.test_ingest_social import col, ts

FIX = Path(__file__).resolve().parent / "fixtures" / "social_i18n"


def load(name: str, **kw):
    reports = ingest_path(FIX / name, **kw)
    for r in reports:
        assert r.error is None, r.error
        for table, df in r.tables.items():
            assert schema.validate(table, df) == [], (name, table)
    return reports


def one(name: str, **kw):
    [report] = load(name, **kw)
    return report


def by_platform(df: pd.DataFrame, platform: str) -> pd.DataFrame:
    return df[df["platform"] == platform].sort_values("date")


# --------------------------------------------------------------------------- Meta per-metric files

def test_two_section_follows_go_to_their_own_platforms():
    r = one("Follows.csv")
    aud = r.tables["audience"]
    fb, ig = by_platform(aud, "facebook"), by_platform(aud, "instagram")
    assert col(fb, "date") == ts("2024-03-01", "2024-03-03", "2024-03-04")  # 2 March: nothing reported
    assert col(fb, "new_followers") == [7, 5, 2] and int(fb["new_followers"].sum()) == 14
    assert col(ig, "date") == ts("2024-03-01", "2024-03-04")
    assert col(ig, "new_followers") == [1, 3] and int(ig["new_followers"].sum()) == 4
    d = describe(r)
    assert d["ok"] and d["platforms"] == ["facebook", "instagram"] and d["rows_accepted"] == 5
    assert d["rows_rejected"] == 0
    assert (d["start"][:10], d["end"][:10]) == ("2024-03-01", "2024-03-04")


def test_portuguese_reach_in_utf16_with_tabs_and_a_sep_line():
    aud = one("Alcance.csv").tables["audience"]
    fb, ig = by_platform(aud, "facebook"), by_platform(aud, "instagram")
    assert col(fb, "date") == ts("2025-01-01", "2025-01-02") and col(fb, "reach") == [100, 250]
    assert col(ig, "date") == ts("2025-01-02") and col(ig, "reach") == [40]


def test_portuguese_instagram_follows_only_days_listed():
    r = one("Seguidores.csv")
    aud = r.tables["audience"]
    assert set(aud["platform"]) == {"instagram"}
    assert col(aud, "date") == ts("2024-12-18", "2024-12-20", "2025-01-05")
    assert col(aud, "new_followers") == [3, 1, 2]
    assert r.mapping["date"] == "Data"


def test_repeated_section_title_is_the_other_platform():
    r = one("Follows 2022.csv")
    aud = r.tables["audience"]
    assert col(by_platform(aud, "facebook"), "new_followers") == [4, 6]
    assert col(by_platform(aud, "instagram"), "new_followers") == [2]
    assert any("read as Instagram" in w for w in r.warnings)


@pytest.mark.parametrize("title, expected", [
    ("Follows", ("new_followers", None)),
    ("Instagram follows", ("new_followers", "instagram")),
    ("Facebook follows", ("new_followers", "facebook")),
    ("Seguidores no Instagram", ("new_followers", "instagram")),
    ("Alcance do Facebook", ("reach", "facebook")),
    ("Alcance do Instagram", ("reach", "instagram")),
    ("Alcance", ("reach", None)),
    ("Content interactions", ("interactions", None)),
    ("Facebook link clicks", ("link_clicks", "facebook")),
    ("Cliques no link do Instagram", ("link_clicks", "instagram")),  # published Portuguese titles
    ("Visitas ao perfil do Instagram", ("visits", "instagram")),
    ("Interações com o conteúdo", ("interactions", None)),
    ("Visualizações", ("views", None)),
    ("Something else", (None, None)),
])
def test_section_titles(title, expected):
    assert metric_of_title(title) == expected


# --------------------------------------------------------------------------- Meta posts, legacy Insights

def test_instagram_posts_in_portuguese():
    r = one("instagram_posts_pt.csv")
    assert r.source == "meta_instagram_posts"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["18031234567890123", "18031234567890124"]
    assert col(posts, "published_at") == ts("2025-09-15 18:45", "2025-10-02 07:05")  # US dates
    assert col(posts, "text") == ["Feira de ciências 🔬", "Matrículas abertas"]
    assert col(posts, "reactions") == [80, 20] and col(posts, "comments") == [7, 0]
    assert col(posts, "shares") == [5, 1] and col(posts, "saves") == [11, 3]
    assert col(posts, "views") == [1200, 300] and col(posts, "reach") == [900, 250]
    assert set(posts["author"]) == {"escola.colina"}



def _total_column(name: str, header: str) -> list[int]:
    """The export's own "Reactions, comments and shares" column, read with the csv module (a second way)."""
    with open(FIX / name, encoding="utf-8-sig", newline="") as fh:
        return [int(row[header]) for row in csv.DictReader(fh)]


def test_dutch_facebook_posts_export():
    r = one("facebook_posts_nl.csv")
    assert r.source == "meta_facebook_posts"
    posts = r.tables["posts"].sort_values("published_at")
    assert col(posts, "post_id") == ["1187155163632001", "1187155163632002", "1187155163632003"]
    assert col(posts, "published_at") == ts("2026-03-07 06:02", "2026-03-14 02:31", "2026-03-28 17:45")  # US
    assert col(posts, "text")[0] == "Open dag zaterdag! 🏫\n\nIedereen is welkom."
    assert set(posts["author"]) == {"Basisschool De Linde"} and set(posts["post_type"]) == {"Foto's"}
    # "Reacties" is reactions, "Opmerkingen" comments, "Deelacties" shares.
    assert col(posts, "reactions") == [12, 5, 30] and int(posts["reactions"].sum()) == 47
    assert col(posts, "comments") == [4, 1, 10] and int(posts["comments"].sum()) == 15
    assert col(posts, "shares") == [3, 0, 2] and int(posts["shares"].sum()) == 5
    assert (posts["reactions"] + posts["comments"] + posts["shares"]).tolist() == _total_column(
        "facebook_posts_nl.csv", "Reacties, opmerkingen en deelacties")
    assert col(posts, "clicks") == [25, 9, 51] and col(posts, "views") == [410, 120, 300]
    assert col(posts, "reach") == [276, 80, 210] and int(posts["reach"].sum()) == 566
    d = describe(r)
    assert d["ok"] and d["platforms"] == ["facebook"] and (d["rows_accepted"], d["rows_rejected"]) == (3, 0)
    assert (d["start"][:10], d["end"][:10]) == ("2026-03-07", "2026-03-28")


def test_french_facebook_posts_export():
    r = one("facebook_posts_fr.csv")
    assert r.source == "meta_facebook_posts"
    posts = r.tables["posts"].sort_values("published_at")
    assert col(posts, "post_id") == ["1222000000000001", "1222000000000002"]
    assert col(posts, "published_at") == ts("2026-01-16 18:30", "2026-02-03 07:15")  # US dates
    assert col(posts, "text") == ["Kermesse de l'école", "Rentrée, les horaires"]
    assert col(posts, "post_type") == ["Photos", "Vidéos"] and set(posts["author"]) == {"École des Tilleuls"}
    assert col(posts, "reactions") == [40, 20] and col(posts, "comments") == [5, 6] and col(posts, "shares") == [2, 4]
    assert (posts["reactions"] + posts["comments"] + posts["shares"]).tolist() == _total_column(
        "facebook_posts_fr.csv", "Réactions, commentaires et partages")
    assert col(posts, "views") == [800, 1200] and col(posts, "reach") == [500, 950] and col(posts, "clicks") == [60, 15]
    d = describe(r)
    assert d["ok"] and d["platforms"] == ["facebook"] and d["rows_accepted"] == 2
    assert (d["start"][:10], d["end"][:10]) == ("2026-01-16", "2026-02-03")


def test_portuguese_instagram_posts_2025_layout():
    r = one("instagram_posts_pt_2025.csv")
    assert r.source == "meta_instagram_posts"
    assert r.mapping["post_id"] == "Identificação da publicação" and r.mapping["post_type"] == "Tipo de publicação"
    posts = r.tables["posts"].sort_values("published_at")
    assert col(posts, "post_id") == ["18056084636270001", "18056084636270002", "18056084636270003"]
    assert col(posts, "published_at") == ts("2025-04-23 07:48", "2025-05-02 12:00", "2025-06-30 11:18")
    assert col(posts, "post_type") == ["Reel do Instagram", "Imagem do Instagram", "Carrossel do Instagram"]
    assert col(posts, "reactions") == [121, 40, 75] and int(posts["reactions"].sum()) == 236
    assert col(posts, "comments") == [6, 2, 4] and col(posts, "shares") == [11, 3, 0] and col(posts, "saves") == [9, 1, 5]
    assert int(posts["views"].sum()) == 9983 and int(posts["reach"].sum()) == 3754
    assert set(posts["author"]) == {"escola.serra"}
    d = describe(r)
    assert d["platforms"] == ["instagram"] and d["rows_accepted"] == 3
    assert (d["start"][:10], d["end"][:10]) == ("2025-04-23", "2025-06-30")


@pytest.mark.parametrize("name, column, values", [
    ("Cliques no link.csv", "link_clicks", [0, 3, 1]),
    ("Visitas.csv", "visits", [33, 75, 12]),
])
def test_portuguese_instagram_link_clicks_and_profile_visits(name, column, values):
    r = one(name)
    aud = r.tables["audience"]
    assert set(aud["platform"]) == {"instagram"}
    assert col(aud, "date") == ts("2025-05-05", "2025-05-06", "2025-05-07")
    assert col(aud, column) == values
    d = describe(r)
    assert d["ok"] and d["platforms"] == ["instagram"] and d["rows_accepted"] == 3
    assert (d["start"][:10], d["end"][:10]) == ("2025-05-05", "2025-05-07")


def _legacy_by_csv_module() -> dict:
    """The same file read a second way: the csv module, by header name."""
    path = FIX / "Facebook Insights Data Export - Hill School.csv"
    with open(path, encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh))
    head, data = rows[0], rows[2:]
    at = {n: head.index(n) for n in ("Lifetime Total Likes", "Daily New Likes", "Daily Total Reach",
                                     "Daily Total Impressions", "Daily Logged-in Page Views")}
    num = lambda v: int(v) if v else None  # noqa: E731
    return {"date": [pd.Timestamp(r[0], tz="UTC") for r in data],
            "followers": [num(r[at["Lifetime Total Likes"]]) for r in data],
            "new_followers": [num(r[at["Daily New Likes"]]) for r in data],
            "reach": [num(r[at["Daily Total Reach"]]) for r in data],
            "views": [num(r[at["Daily Total Impressions"]]) for r in data],
            "visits": [num(r[at["Daily Logged-in Page Views"]]) for r in data]}


def test_legacy_page_export_reads_only_its_used_columns():
    r = one("Facebook Insights Data Export - Hill School.csv")
    assert r.source == "facebook_insights_legacy"
    header = json.loads((FIX / "legacy_page_header.json").read_text())["header"]
    assert len(header) == 1995  # wider than the 1,000 columns any other file may have
    aud = r.tables["audience"]
    expected = _legacy_by_csv_module()
    for name, values in expected.items():
        assert col(aud, name) == values, name
    assert col(aud, "followers") == [800, 801, 803, None]  # by hand, too
    assert int(aud["new_followers"].sum()) == 5 and int(aud["views"].sum()) == 370
    assert any("1,995 columns" in w for w in r.warnings)


# --------------------------------------------------------------------------- X

def test_x_classic_daily_export():
    r = one("daily_tweet_activity_metrics_HillSchool_20250101_20250201_en.csv")
    assert r.source == "x_tweet_activity_daily"
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2025-01-01", "2025-01-02", "2025-01-03")
    assert col(aud, "views") == [1088, 1244, 3974]
    assert col(aud, "interactions") == [2 + 0 + 0, 3 + 2 + 0, 25 + 5 + 1]  # likes + replies + retweets
    assert col(aud, "new_followers") == [0, 1, 0]
    assert col(aud, "visits") == [1, 9, 10] and col(aud, "link_clicks") == [2, 0, 0]


def test_x_early_2025_content_layout():
    r = one("account_analytics_content_2024-11-21_2025-02-19.csv")
    assert r.source == "x_content"
    posts = r.tables["posts"]
    assert col(posts, "published_at") == ts("2025-02-17", "2024-12-31", "2024-12-31")
    assert col(posts, "views") == [300, 50, 174]
    assert col(posts, "reactions") == [12, 4, 13] and col(posts, "comments") == [3, 0, 9]
    assert col(posts, "shares") == [4, 0, 1] and col(posts, "saves") == [1, 0, 0]
    # url + profile visits + hashtag + permalink clicks + detail expands
    assert col(posts, "clicks") == [2 + 5 + 0 + 1 + 6, 0 + 0 + 0 + 0 + 1, 0 + 2 + 0 + 0 + 7]
    assert set(posts["author"]) == {"HillSchool"} and r.mapping["url"] == "Link"


def test_x_account_overview_2025():
    r = one("account_overview_analytics.csv")
    assert r.source == "x_overview"
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2025-02-18", "2025-02-17", "2025-02-09", "2024-12-31")
    assert col(aud, "views") == [62, 426, 125, 222] and col(aud, "new_followers") == [1, 2, 1, 25]
    assert col(aud, "visits") == [1, 4, 1, 6]
    assert col(aud, "interactions") == [0, 18 + 1 + 2, 0, 14 + 7 + 1]  # likes + replies + reposts


# --------------------------------------------------------------------------- TikTok

def test_spanish_overview_across_new_year_from_the_upload_day():
    r = one("Overview_es.csv", uploaded="2026-01-05")
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2025-12-30", "2025-12-31", "2026-01-01")
    assert col(aud, "views") == [4, 0, 10] and col(aud, "visits") == [1, 0, 2]
    assert col(aud, "interactions") == [3, 0, 4]
    assert r.guessed_years and any("Spanish" in w for w in r.warnings)
    # Uploaded on 31 December: 1 January cannot be in the future, so the whole run is a year earlier.
    earlier = one("Overview_es.csv", uploaded="2025-12-31").tables["audience"]
    assert col(earlier, "date") == ts("2024-12-30", "2024-12-31", "2025-01-01")


def test_overview_with_new_followers_and_day_first_english_dates():
    r = one("Overview_new_followers.csv", uploaded="2026-07-28")
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2026-07-16", "2026-07-17")
    assert col(aud, "new_followers") == [112, -4]  # net, as TikTok gives it
    assert col(aud, "views") == [31185, 80] and col(aud, "interactions") == [39 + 64 + 1, 3]


def _id_day(video_id: str) -> pd.Timestamp:
    """A TikTok video id's top 32 bits are its upload time (Unix seconds): a second source for the year."""
    return pd.Timestamp(dt.datetime.fromtimestamp(int(video_id) >> 32, dt.timezone.utc).date(), tz="UTC")


@pytest.mark.parametrize("name, uploaded, expected", [
    ("Content.csv", "2026-05-20", ("2026-04-17", "2025-05-25")),
    ("Content_el.csv", "2026-03-20", ("2026-03-02", "2026-01-14")),
])
def test_content_posts_get_the_latest_year_not_after_the_export_day(name, uploaded, expected):
    r = one(name, uploaded=uploaded)
    posts = r.tables["posts"]
    assert col(posts, "published_at") == ts(*expected)
    assert col(posts, "published_at") == [_id_day(i) for i in posts["post_id"]]
    assert set(posts["platform"]) == {"tiktok"} and set(posts["author"]) == {"hillschool"}


def test_content_csv_values():
    posts = one("Content.csv", uploaded="2026-05-20").tables["posts"]
    assert col(posts, "reactions") == [1538, 16] and col(posts, "comments") == [74, 1]
    assert col(posts, "shares") == [1085, 3] and col(posts, "views") == [15210, 398]


def test_per_video_layout_with_dated_post_times():
    r = one("tiktok_videos.csv")
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["7412345678901234567", "7412345678901234999"]
    assert col(posts, "published_at") == ts("2026-08-02 19:05", "2026-08-09 20:10")
    assert col(posts, "views") == [18400, 9100] and col(posts, "reactions") == [120, 64]
    assert not r.guessed_years


def test_follower_activity_is_read_and_said_to_be_unused():
    r = one("FollowerActivity.csv")
    assert r.ok and r.tables == {} and r.source == "tiktok_follower_activity"
    assert len(r.warnings) == 1 and "no score uses it" in r.warnings[0]


def test_a_file_whose_rows_all_fail_is_not_ok():
    text = '"Date","Video Views","Profile Views","Likes","Comments","Shares"\n"8 марта","1","0","0","0","0"\n' \
           '"9 марта","2","0","0","0","0"\n'
    r = ingest_bytes("Overview.csv", text.encode())[0]
    d = describe(r)
    assert d["ok"] is False and d["tables"] == {} and d["platforms"] == []
    assert d["error"].startswith("Overview.csv: this looks like a TikTok Studio - overview file, but none of its "
                                 "2 rows could be read")
    assert "'8 марта'" in d["error"] and d["error"].count("Overview.csv") == 1


@pytest.mark.parametrize("cells, expected", [
    (["8 de marzo", "14 de marzo"], ["March 08", "March 14"]),
    (["8 de março"], ["March 08"]),
    (["8 mars", "1 août"], ["March 08", "August 01"]),
    (["8. März", "3. Dezember"], ["March 08", "December 03"]),
    (["8 marzo"], ["March 08"]),
    (["3 maart", "12 mei"], ["March 03", "May 12"]),
    (["17 Μαρτίου", "14 Ιανουαρίου"], ["March 17", "January 14"]),
])
def test_month_names_in_other_languages(cells, expected):
    out, _language = V.english_month_days(pd.Series(cells, dtype="str"))
    assert out.tolist() == expected


# --------------------------------------------------------------------------- YouTube

def test_german_table_data_with_soft_hyphens():
    r = one("Tabellendaten.csv")
    assert r.source == "youtube_table"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["50KfgObDrEI", "-L31PdnCO7A"]  # Studio's leading space dropped
    assert col(posts, "published_at") == ts("2011-08-19", "2013-02-18")  # English dates under German headers
    assert col(posts, "views") == [1000, 200]
    assert [p.line for p in r.rejected] == [5]  # the video without a publish time, with the reason
    assert "deleted or private" in r.rejected[0].reason
    assert any("'Total' row" in w for w in r.warnings) and any("500 besten" in w for w in r.warnings)
    assert "\u00ad" not in "".join(r.mapping.values())


# Hand-read from the fixture rows: the total row dropped, the video without a publish time rejected (line 5);
# the kept views plus the rejected video's equal the file's own total row.
@pytest.mark.parametrize("name, ids, days, views, rejected_views, file_total", [
    ("Dados da tabela.csv", ["MB8ilXEUvRs", "-y63uOiyJv4"], ("2023-03-25", "2023-05-06"), [1000, 450], 50, 1500),
    ("youtube_table_it.csv", ["aB3dE5fG7hI", "Kx9_LmN0pQr"], ("2026-06-22", "2026-05-03"), [1200, 300], 30, 1530),
])
def test_table_data_in_portuguese_and_italian(name, ids, days, views, rejected_views, file_total):
    r = one(name)
    assert r.source == "youtube_table"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ids
    assert col(posts, "published_at") == ts(*days)
    assert col(posts, "views") == views and sum(views) + rejected_views == file_total
    assert [p.line for p in r.rejected] == [5] and "deleted or private" in r.rejected[0].reason
    assert any("'Total' row" in w for w in r.warnings)


@pytest.mark.parametrize("header", [
    # Guesses that published Italian files contradict ("Ora pubblicazione video", "Titolo video"), and a
    # Dutch header seen nowhere: not read, so the file is not taken for a YouTube table on a guess.
    "Contenuti,Titolo del video,Ora di pubblicazione del video,Visualizzazioni",
    "Content,Video title,Publicatietijd van video,Weergaven",
])
def test_guessed_youtube_headers_are_not_read(header):
    raw = (header + "\naB3dE5fG7hI,Laboratorio,\"Jun 22, 2026\",1200\n").encode()
    [r] = ingest_bytes("table.csv", raw)
    assert r.source != "youtube_table"


def test_chart_data_by_subscription_status_is_summed_per_day():
    aud = one("Chart data.csv").tables["audience"]
    assert col(aud, "date") == ts("2024-11-25", "2024-11-26")
    assert col(aud, "views") == [30 + 300, 20 + 250]


def test_table_data_by_date_is_found_by_its_columns():
    r = one("Table data by date.csv")
    assert r.source == "youtube_totals"
    aud = r.tables["audience"]
    assert col(aud, "views") == [149, 67, 42] and col(aud, "new_followers") == [0, 1, 0]


def test_zip_of_traffic_source_tables_and_a_revenue_only_totals():
    reports = {Path(r.file_name).name: r for r in load("youtube_traffic_source.zip")}
    assert sorted(reports) == ["Chart data.csv", "Table data.csv", "Totals.csv"]
    chart = reports["Chart data.csv"].tables["audience"]
    assert col(chart, "date") == ts("2025-06-01", "2025-06-02") and col(chart, "views") == [12 + 30, 8]
    for name in ("Table data.csv", "Totals.csv"):
        assert reports[name].ok and reports[name].tables == {} and reports[name].warnings


# --------------------------------------------------------------------------- generic file handling

def test_excel_resave_semicolons_filler_column_blank_row_and_note():
    r = one("facebook_posts_excel_pt.csv")
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["1168834171933140", "1168834171933141"]
    assert set(posts["author"]) == {"Escola São José"}
    assert col(posts, "reactions") == [10, 5] and not r.rejected
    assert any("Coluna 1" in w for w in r.warnings) and any("Showing top 500" in w for w in r.warnings)


def test_double_encoded_text_is_repaired():
    r = one("facebook_posts_mojibake.csv")
    posts = r.tables["posts"]
    assert col(posts, "author") == ["Santa Casa de Misericórdia"]
    assert col(posts, "text") == ["MISERICÓRDIA em ação"]


# --------------------------------------------------------------------------- LinkedIn in Spanish and Portuguese

def test_linkedin_spanish_content_workbook_indicadores_and_posts():
    r = one("colegio-del-monte_content_1786060800000.xlsx")
    assert r.source == "linkedin_content"
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2026-08-01", "2026-08-02", "2026-08-06")  # MM/DD/YYYY, first and last day
    assert col(aud, "views") == [1250, 640, 0] and int(aud["views"].sum()) == 1890
    assert col(aud, "reach") == [800, 410, 0]
    assert col(aud, "link_clicks") == [14, 5, 0]
    assert col(aud, "interactions") == [20 + 3 + 2, 9 + 0 + 1, 0]
    assert set(aud["platform"]) == {"linkedin"}
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["7357000000000000001", "7357000000000000002"]
    assert col(posts, "published_at") == ts("2026-08-01", "2026-08-02")
    assert col(posts, "author") == ["Ana Gómez", "Ana Gómez"]
    assert col(posts, "text") == ["Jornada de puertas abiertas", "Buscamos voluntarios"]
    assert col(posts, "post_type") == ["Vídeo", None]
    assert col(posts, "reactions") == [18, 8]  # Recomendaciones
    assert col(posts, "comments") == [3, 0]
    assert col(posts, "shares") == [2, 1]  # Veces compartido
    assert col(posts, "clicks") == [12, 4]
    assert col(posts, "views") == [900, 410]  # Impresiones, not Visualizaciones


def test_linkedin_spanish_followers_and_visitors():
    f = one("colegio-del-monte_followers_1786060800000.xlsx")
    assert f.source == "linkedin_followers"
    aud = f.tables["audience"]
    assert col(aud, "date") == ts("2026-08-01", "2026-08-02", "2026-08-06")
    assert col(aud, "new_followers") == [5, 3, -1] and int(aud["new_followers"].sum()) == 7
    assert any("Ubicación" in w and "not used" in w for w in f.warnings)
    v = one("colegio-del-monte_visitors_1786060800000.xlsx")
    assert v.source == "linkedin_visitors"
    # the whole page's views (en total), not the overview page's (página general: 12 and 4)
    assert col(v.tables["audience"], "visits") == [28, 7]
    assert col(v.tables["audience"], "date") == ts("2026-08-01", "2026-08-02")


def test_linkedin_portuguese_metrics_followers_and_visitors():
    c = one("escola-da-serra_content_1784592000000.xlsx")
    assert c.source == "linkedin_content"
    aud = c.tables["audience"]
    assert col(aud, "date") == ts("2026-07-20", "2026-07-21")
    assert col(aud, "views") == [300, 200]  # Impressões (total), organic + sponsored
    assert col(aud, "reach") == [210, 120]
    assert col(aud, "link_clicks") == [9, 6]
    assert col(aud, "interactions") == [15 + 2 + 1, 7 + 0 + 0]
    f = one("escola-da-serra_followers_1784592000000.xlsx")
    assert f.source == "linkedin_followers"
    assert col(f.tables["audience"], "new_followers") == [3, 6]
    v = one("escola-da-serra_visitors_1784592000000.xlsx")
    assert v.source == "linkedin_visitors"
    assert col(v.tables["audience"], "visits") == [18]


def test_linkedin_dutch_statistieken_nieuwe_volgers_and_bezoekers():
    c = one("basisschool-de-linde_content_1775001600000.xlsx")
    assert c.source == "linkedin_content"
    aud = c.tables["audience"]
    assert col(aud, "date") == ts("2026-03-30", "2026-03-31")
    assert col(aud, "views") == [420, 95]
    assert col(aud, "reach") == [None, None]  # no unique-impressions column: unknown, not 0
    assert col(aud, "link_clicks") == [11, 0]
    assert col(aud, "interactions") == [16 + 2 + 1, 3]
    f = one("basisschool-de-linde_followers_1775001600000.xlsx")
    assert f.source == "linkedin_followers"
    assert col(f.tables["audience"], "new_followers") == [2, 0]
    assert any("Locatie" in w for w in f.warnings)
    v = one("basisschool-de-linde_visitors_1775001600000.xlsx")
    assert col(v.tables["audience"], "visits") == [14, 3]


def test_linkedin_italian_metriche_nuovi_follower_and_visitatori():
    c = one("scuola-san-marco_content_1790553600000.xlsx")
    assert c.source == "linkedin_content" and c.rejected == [] and c.warnings == []
    aud = c.tables["audience"]
    assert col(aud, "date") == ts("2026-09-14", "2026-09-15", "2026-09-21")  # 09/14/2026: month first
    assert col(aud, "views") == [530, 210, 0] and int(aud["views"].sum()) == 740  # Impressioni (totale)
    assert col(aud, "reach") == [None, None, None]  # the Italian unique-impressions column is not known
    assert col(aud, "link_clicks") == [12, 3, 0]  # Clic (totale), not the organic 10 and 3
    assert col(aud, "interactions") == [24 + 3 + 3, 6 + 1 + 0, 0]  # Reazioni + Commenti + Diffusioni post
    assert c.mapping["interactions"] == "Reazioni (totale) + Commenti (totale) + Diffusioni post (totali)"
    f = one("scuola-san-marco_followers_1790553600000.xlsx")
    assert f.source == "linkedin_followers"
    fol = f.tables["audience"]
    assert col(fol, "date") == ts("2026-09-14", "2026-09-15", "2026-09-21")
    assert col(fol, "new_followers") == [5, 3, -1] and int(fol["new_followers"].sum()) == 7  # Follower totali
    v = one("scuola-san-marco_visitors_1790553600000.xlsx")
    assert v.source == "linkedin_visitors"
    assert col(v.tables["audience"], "visits") == [31, 9]
    assert col(v.tables["audience"], "date") == ts("2026-09-14", "2026-09-15")


def test_linkedin_italian_inspect_json_reads_every_row(capsys):
    from harness import cli

    names = ["content", "followers", "visitors"]
    assert cli.main(["inspect", *(str(FIX / f"scuola-san-marco_{n}_1790553600000.xlsx") for n in names),
                     "--json"]) == 0
    got = {r["file"].split("_")[1]: r for r in json.loads(capsys.readouterr().out)}
    expected = {"content": (3, "2026-09-14", "2026-09-21"), "followers": (3, "2026-09-14", "2026-09-21"),
                "visitors": (2, "2026-09-14", "2026-09-15")}
    for name, (rows, first, last) in expected.items():
        r = got[name]
        assert r["ok"] and r["platforms"] == ["linkedin"], name
        assert (r["rows_read"], r["rows_accepted"], r["rows_rejected"]) == (rows, rows, 0), name
        assert (r["start"][:10], r["end"][:10]) == (first, last), name


@pytest.mark.parametrize("header, sheet", [
    (["Fecha", "Total de seguidores"], "Nuevos seguidores"),
    (["Data", "Total de seguidores"], "Novos seguidores"),
    (["Datum", "Totaal aantal volgers"], "Nieuwe volgers"),
    (["Data", "Follower totali"], "Nuovi follower"),
])
def test_linkedin_followers_sheet_is_found_by_its_columns_in_each_language(header, sheet, tmp_path):
    from tests.fixtures.make_social_fixtures import xlsx

    path = tmp_path / "page_followers_1.xlsx"
    path.write_bytes(xlsx({sheet: (None, [header, ["01/02/2026", 4], ["01/03/2026", 7]])}))
    [r] = ingest_path(path)
    assert r.source == "linkedin_followers"
    assert col(r.tables["audience"], "date") == ts("2026-01-02", "2026-01-03")  # month first
    assert col(r.tables["audience"], "new_followers") == [4, 7]


# --------------------------------------------------------------------------- default period

def test_default_period_ends_on_the_last_day_stated_uploads_cover():
    follows = ingest_path(FIX / "Follows.csv")  # ends 2024-03-04, dates with years
    tiktok = ingest_path(FIX / "Overview_es.csv", uploaded="2026-01-05")  # year inferred, ends 2026-01-01
    both = combine(follows + tiktok)
    assert both.time_span()[1] == pd.Timestamp("2026-01-01", tz="UTC")
    assert periods.default_period(both).end == dt.date(2024, 3, 4)
    assert periods.default_period(combine(tiktok)).end == dt.date(2026, 1, 1)  # nothing else to go by


def test_every_fixture_is_recognised_and_lists_its_platforms():
    for r in ingest_path(FIX, uploaded="2026-06-01"):
        d = describe(r)
        assert d["ok"], d["error"]
        assert d["source"], d["file"]
        assert d["platforms"] == sorted({p for t in r.tables.values() for p in t["platform"].unique()})


def test_a_29_february_in_the_span_puts_it_in_a_leap_year():
    text = '"Date","Followers","Difference in followers from previous day"\n"February 28","10","1"\n' \
           '"February 29","12","2"\n"March 1","13","1"\n'
    r = ingest_bytes("FollowerHistory.csv", text.encode(), uploaded="2026-12-04")[0]
    aud = r.tables["audience"]
    # 2026 and 2025 have no 29 February: the latest leap year not after the upload is 2024.
    assert col(aud, "date") == ts("2024-02-28", "2024-02-29", "2024-03-01") and not r.rejected


def test_a_row_of_another_width_in_a_wide_legacy_file_is_rejected_with_its_line():
    spec = json.loads((FIX / "legacy_page_header.json").read_text())
    width = len(spec["header"])
    quote = lambda cells: ",".join('"' + c.replace('"', '""') + '"' for c in cells)  # noqa: E731
    rows = [quote(spec["header"]), quote(spec["description"]),
            "2020-05-07,800,2" + "," * (width - 3),
            "2020-05-08,801,1" + "," * (width - 3) + ",1,100",  # two values too many
            "2020-05-09,803,2" + "," * (width - 3)]
    r = ingest_bytes("Facebook Insights Data Export.csv", ("\n".join(rows) + "\n").encode())[0]
    assert r.ok and [p.line for p in r.rejected] == [4]
    assert col(r.tables["audience"], "followers") == [800, 803]
    assert (r.rows_read, r.rows_accepted) == (3, 2)
