"""YouTube Studio exports (Analytics > Advanced mode > Export: one zip, or one CSV at a time).

Studio writes three tables for whatever dimension was chosen, and the file
names change with the account's language (``Tabellendaten.csv``), so every
table is recognised by its columns, never its name:

* ``Table data`` - one row per dimension value, with a ``Total`` row first
  (dropped by the core). By *Content* (video id) it feeds ``posts``; by
  *Date* it is one row per day and feeds ``audience`` like Totals; by any
  other dimension (traffic source, subscription status, country...) it has
  no day, so it is recognised and set aside with a note.
* ``Chart data`` - one row per day per dimension value. Rows of the same day
  are summed (by subscription status: subscribed + not subscribed is every
  view that day, never counted twice). By *Content* it covers only the
  videos in the chart, so it is set aside: Table data holds the videos.
* ``Totals`` - one row per day, channel-wide; it may hold revenue only.

Headers follow the account's language; German ones carry soft hyphens in
every word (removed by the core). Dates stay English (``Jul 6, 2023``).

Rules that change numbers:

* ``posts``: ``post_id`` = Content (the video id), ``views`` = Views,
  ``reactions`` = Likes, ``comments`` = Comments added, ``shares`` = Shares.
* ``audience`` (platform youtube): ``views`` = Views, ``new_followers`` =
  Subscribers (net: gained minus lost, as Studio gives it), else Subscribers
  gained when that is the only subscriber column.
* A video without a publish time (Studio leaves it empty for deleted and
  private videos) is rejected with that reason: a post needs a day.
"""

from __future__ import annotations

import pandas as pd

from harness import schema
from harness.ingest import values as V
from harness.ingest.build import ColumnReader
from harness.ingest.registry import Parsed, Raw, Source, register

PUBLISH = ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%d %b %Y", "%m/%d/%Y", "%d.%m.%Y", "%d/%m/%Y")
DAY = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d.%m.%Y")

# Column names by language, each from a published export or a published reader of real ones (sources:
# tests/fixtures/social_i18n/README.md, "YouTube Studio" rows; searches for the rest: tests/fixtures/GAPS.md
# section 6). English and German: published exports; Portuguese: published Table and Chart data
# (GianMartins/Youtube, KNZLink/KNZLink); Spanish, Italian, French: published readers of real exports.
# Headers not seen in any of them (likes, comments, shares, subscribers gained and the dimensions outside
# English, anything Dutch) are not read: such a file is refused, never read on a guessed name.
CONTENT = ("content", "video", "conteúdo", "contenido", "contenuti")
TITLE = ("video title", "videotitel", "título do vídeo", "título del vídeo", "titre de la vidéo", "titolo video")
PUBLISHED = ("video publish time", "veröffentlichungszeitpunkt des videos", "horário de publicação do vídeo",
             "hora de publicación del vídeo", "heure de publication de la vidéo", "ora pubblicazione video")
DATE = ("date", "datum", "data", "fecha")
VIEWS = ("views", "aufrufe", "visualizações", "visualizaciones", "vues", "visualizzazioni")
# Net subscribers first; "Subscribers gained" (gross) only when Studio gave no net figure.
SUBSCRIBERS = ("subscribers", "abonnenten", "inscritos", "suscriptores", "iscritti", "subscribers gained")
LIKES = ("likes",)
COMMENTS = ("comments added", "comments")
SHARES = ("shares", "partages")
# Columns only YouTube Studio writes: with a date column they make a Totals / by-date table.
STUDIO_METRICS = VIEWS[:1] + SUBSCRIBERS + (
    "watch time hours", "watch time minutes", "wiedergabezeit stunden", "tempo de exibição horas",
    "tiempo de visualización horas", "durée de visionnage heures", "tempo di visualizzazione ore",
    "average view duration", "impressions", "impressions click through rate", "estimated revenue usd",
    "your estimated revenue usd", "estimated revenue eur", "your estimated revenue eur", "estimated revenue gbp",
    "rpm usd", "cpm usd", "subscribers gained", "subscribers lost", "unique viewers", "returning viewers",
    "new viewers", "average percentage viewed")
DIMENSIONS = ("subscription status", "traffic source", "traffic source type", "geography", "country",
              "device type", "operating system", "viewer age", "viewer gender", "subtitles cc", "playback location",
              "sharing service", "content type", "end screen element", "card", "playlist", "new and returning viewers",
              "youtube product")


def _has(raw: Raw, names) -> str | None:
    return V.find_column(raw.frame.columns, *names)


def _studio_metric_count(raw: Raw) -> int:
    wanted = {V.norm_header(n) for n in STUDIO_METRICS}
    return sum(1 for h in raw.headers if h in wanted)


def _dimension(raw: Raw) -> str | None:
    """The column a Studio table is split by (subscription status, traffic source, the video), if any."""
    return _has(raw, DIMENSIONS) or _has(raw, CONTENT)


# --------------------------------------------------------------------------- Table data (per video)

def detect_table(raw: Raw) -> float:
    if _has(raw, DATE):
        return 0.0
    if _has(raw, CONTENT) and _has(raw, TITLE) and _has(raw, PUBLISHED):
        return 0.6 + 0.4 * min(1, _studio_metric_count(raw) / 2)
    return 0.0


def read_table(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    ids = r.ids("post_id", *CONTENT)
    published_col = r.find(*PUBLISHED)
    if published_col is not None:
        # Studio leaves the publish time empty for deleted and private videos: say why the row is left out.
        empty = V.clean_text(r.frame[published_col]).isna()
        r.reject(empty, f"'{published_col}' is empty (YouTube leaves it empty for deleted or private videos), "
                        "so the video cannot be placed in a period")
    posts = r.table("posts", {
        "post_id": ids,
        "url": "https://www.youtube.com/watch?v=" + ids,
        "platform": "youtube",
        "published_at": r.times("published_at", *PUBLISHED, formats=PUBLISH),
        "author_kind": "organisation",
        "text": r.text("text", *TITLE),
        "post_type": "Video",
        "reactions": r.ints("reactions", *LIKES),
        "comments": r.ints("comments", *COMMENTS),
        "shares": r.ints("shares", *SHARES),
        "views": r.ints("views", *VIEWS),
    })
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- Totals / Table data by date

def detect_totals(raw: Raw) -> float:
    if not _has(raw, DATE) or _dimension(raw) is not None:
        return 0.0
    metrics = _studio_metric_count(raw)
    if metrics == 0:
        return 0.0
    # "Date, Views" alone could be anything; a second Studio metric (or revenue) makes it YouTube's.
    return 0.9 if metrics >= 2 or any("revenue" in h for h in raw.headers) else 0.55


def _by_day(r: ColumnReader, raw: Raw, summed: bool) -> pd.DataFrame:
    date_col = _has(raw, DATE)
    days = r.times("date", date_col, formats=DAY).dt.floor("D")
    columns = {"date": days, "platform": "youtube",
               "views": r.ints("views", *VIEWS), "new_followers": r.ints("new_followers", *SUBSCRIBERS)}
    audience = r.table("audience", columns)
    if summed and len(audience):
        # One row per day: the dimension's rows of a day add up to the day (min_count keeps "unknown" null).
        audience = (audience.groupby(["platform", "date"], sort=True)[["views", "new_followers"]]
                    .sum(min_count=1).reset_index())
    return schema.coerce("audience", audience)


def read_totals(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = _by_day(r, raw, summed=False)
    parsed = r.parsed(audience=audience)
    if not any(c in parsed.mapping for c in ("views", "new_followers")):
        parsed.tables = {}
        parsed.warnings.append("this YouTube Studio file holds only "
                               + ", ".join(str(c) for c in raw.frame.columns[1:4])
                               + " (no views or subscribers), which the dashboard does not use")
    return parsed


# --------------------------------------------------------------------------- Chart data

def detect_chart(raw: Raw) -> float:
    if not _has(raw, DATE) or _dimension(raw) is None:
        return 0.0
    if _has(raw, CONTENT) and _has(raw, TITLE):
        return 0.9
    return 0.9 if _has(raw, VIEWS) or _studio_metric_count(raw) else 0.0


def read_chart(raw: Raw) -> Parsed:
    dim = _dimension(raw)
    if V.norm_header(dim) in {V.norm_header(n) for n in CONTENT}:
        return Parsed(warnings=["this YouTube 'Chart data' is split by video, and covers only the videos in "
                                "the chart; the dashboard reads videos from 'Table data' and days from "
                                "'Totals', so it was not needed"])
    r = ColumnReader(raw)
    audience = _by_day(r, raw, summed=True)
    parsed = r.parsed(audience=audience)
    n_values = V.clean_text(raw.frame[dim]).nunique()
    parsed.warnings.append(f"one row per day and '{dim}' ({n_values} values): each day's rows were added "
                           "together, so no view is counted twice")
    parsed.unique_keys = ("audience",)
    return parsed


def detect_table_other(raw: Raw) -> float:
    if _has(raw, DATE) or _has(raw, TITLE):
        return 0.0
    return 0.7 if _has(raw, DIMENSIONS) and _studio_metric_count(raw) >= 1 else 0.0


def read_table_other(raw: Raw) -> Parsed:
    dim = _has(raw, DIMENSIONS)
    return Parsed(warnings=[f"this YouTube Studio 'Table data' is split by '{dim}' and has no days or videos, "
                            "so the dashboard does not use it; export the Date or Content dimension instead"])


register(Source(
    id="youtube_table", label="YouTube Studio - Table data (per video)", tables=("posts",),
    detect=detect_table, read=read_table,
    expects="'Table data.csv' with 'Content', 'Video title', 'Video publish time'",
))
register(Source(
    id="youtube_totals", label="YouTube Studio - Totals or Table data by date (per day)", tables=("audience",),
    detect=detect_totals, read=read_totals,
    expects="'Totals.csv' (or Table data by Date) with 'Date' and 'Views' or 'Subscribers'",
))
register(Source(
    id="youtube_chart", label="YouTube Studio - Chart data", tables=("audience",),
    detect=detect_chart, read=read_chart,
    expects="'Chart data.csv' with 'Date', a dimension such as 'Subscription status', and 'Views'",
))
register(Source(
    id="youtube_table_other", label="YouTube Studio - Table data (other dimensions)", tables=(),
    detect=detect_table_other, read=read_table_other,
    expects="'Table data.csv' split by traffic source, country or another dimension",
))
