"""LinkedIn page analytics exports (.xls or .xlsx; a note in row 1, header in row 2).

* Content export: sheet ``Metrics`` (one row per day) and sheet ``All posts``.
* Followers export: sheet ``New followers`` (one row per day).
* Visitors export: sheet ``Visitor metrics`` (one row per day).
The other sheets (followers by location, industry...) are demographics the
dashboard does not use; they are skipped with a note.

LinkedIn writes the sheet and column names in the page admin's language. The
Spanish and Portuguese names below are taken from published code that reads
real exports (tests/fixtures/social_i18n/README.md names it); other languages
are not known and not guessed. Spanish: ``Indicadores`` / ``Todas las
publicaciones`` / ``Nuevos seguidores`` / ``Datos de visitantes``, ``Fecha``,
``Impresiones (totales)``...; Portuguese: ``Novos seguidores``, ``Data``,
``Impressões (total)``...; Dutch: ``Statistieken`` / ``Nieuwe volgers`` /
``Statistieken over bezoekers``, ``Datum``, ``Totaal aantal volgers``,
``Weergaven (totaal)``... (Dutch post columns are not known, so a Dutch
``Alle bijdragen`` sheet is not read); Italian: ``Metriche`` / ``Nuovi
follower`` / ``Statistiche sui visitatori``, ``Data``, ``Impressioni
(totale)``, ``Follower totali``, ``Totale visualizzazioni della pagina
(totale)``... (the Italian post link and unique-impressions columns are not
known, so a ``Tutti i post`` sheet is not read and ``reach`` stays empty).
French and German: not known (tests/fixtures/GAPS.md).

Rules that change numbers:

* Dates are ``MM/DD/YYYY`` in every language seen (Spanish and Portuguese too).
* Metrics -> ``audience``: ``views`` = Impressions (total), ``reach`` =
  Unique impressions (organic), ``link_clicks`` = Clicks (total),
  ``interactions`` = Reactions + Comments + Reposts (total).
* New followers -> ``audience``: ``new_followers`` = Total followers (that
  sheet's "Total" is the day's organic + sponsored gain, not a running total;
  it can be negative).
* Visitors -> ``audience``: ``visits`` = Total page views (total) (Spanish
  ``Visualizaciones de la página en total (total)``, not the overview page's).
* All posts -> ``posts``: ``post_id`` = the activity number in the post link
  (``urn:li:activity:<19 digits>``), else the whole link; ``reactions`` =
  Likes/Reactions, ``shares`` = Reposts, ``views`` = Impressions.
"""

from __future__ import annotations

import pandas as pd

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, Total, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register

DATES = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d")

# Column names by language (English, Spanish, Portuguese, Dutch, Italian), in order of preference.
DATE = ("Date", "Fecha", "Data", "Datum")
IMPRESSIONS_TOTAL = ("Impressions (total)", "Impresiones (totales)", "Impressões (total)", "Weergaven (totaal)",
                     "Impressioni (totale)")
UNIQUE_IMPRESSIONS = ("Unique impressions (organic)", "Unique impressions (total)",
                      "Impresiones únicas (orgánicas)", "Impressões únicas (orgânicas)")
CLICKS_TOTAL = ("Clicks (total)", "Clics (totales)", "Cliques (total)", "Klikken (totaal)", "Clic (totale)")
REACTIONS_TOTAL = ("Reactions (total)", "Reacciones (total)", "Reações (total)", "Reacties (totaal)",
                   "Reazioni (totale)")
COMMENTS_TOTAL = ("Comments (total)", "Comentarios (totales)", "Comentários (total)", "Commentaren (totaal)",
                  "Commenti (totale)")
REPOSTS_TOTAL = ("Reposts (total)", "Shares (total)", "Veces compartido (total)", "Compartilhamentos (total)",
                 "Reposts (totaal)", "Diffusioni post (totali)")
POST_LINK = ("Post link", "Post url", "Enlace de la publicación")
POST_DATE = ("Created date", "Date", "Published date", "Fecha de creación")
TOTAL_FOLLOWERS = ("Total followers", "Total de seguidores", "Totaal aantal volgers", "Follower totali")
TOTAL_PAGE_VIEWS = ("Total page views (total)", "Page views (total)",
                    "Visualizaciones de la página en total (total)", "Total de visualizações da página (total)",
                    "Totaal paginaweergaven (totaal)", "Totale visualizzazioni della pagina (totale)")
TOTAL_UNIQUE_VISITORS = ("Total unique visitors (total)", "Unique visitors (total)",
                         "Visitantes únicos en total (total)", "Total de visitantes únicos (total)",
                         "Totaal unieke bezoekers (totaal)", "Totale visitatori unici (totale)")
DEMOGRAPHIC_LABELS = ("location", "function", "job function", "seniority", "experience level", "industry",
                      "company size", "ubicación", "función laboral", "nivel de responsabilidad", "sector",
                      "tamaño de la empresa", "locatie", "functie", "senioriteitsniveau", "branche", "bedrijfsgrootte")


def _sheet(raw: Raw) -> str:
    return V.norm_header(raw.sheet or "")


def _days(r: ColumnReader) -> pd.Series:
    return r.times("date", *DATE, formats=DATES).dt.floor("D")


# --------------------------------------------------------------------------- content

def detect_content(raw: Raw) -> float:
    cols = raw.frame.columns
    if V.find_column(cols, *IMPRESSIONS_TOTAL) and V.find_column(cols, *DATE):
        return 0.95 if _sheet(raw) in ("metrics", "indicadores", "statistieken", "metriche", "") else 0.8
    if V.find_column(cols, *POST_LINK) and V.find_column(cols, *POST_DATE):
        return detect_by_columns(raw, (("impressions", "impresiones"),),
                                 (("post title", "título de la publicación"), ("post type", "tipo de publicación"),
                                  ("clicks", "clics"), ("likes", "reactions", "recomendaciones"),
                                  ("reposts", "shares", "veces compartido")))
    return 0.0


def _post_ids(link: pd.Series) -> pd.Series:
    activity = link.str.extract(r"(?:activity|share|ugcPost)[:%3A]+(\d{15,22})", expand=False)
    return activity.fillna(link)


def read_content(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    if r.has(*IMPRESSIONS_TOTAL):
        return r.daily("linkedin", _days(r), views=IMPRESSIONS_TOTAL, reach=UNIQUE_IMPRESSIONS,
                       link_clicks=CLICKS_TOTAL,
                       interactions=Total(REACTIONS_TOTAL, COMMENTS_TOTAL, REPOSTS_TOTAL))
    link = r.text("url", *POST_LINK)
    r.reject(link.isna(), f"'{r.find(*POST_LINK)}' is empty")
    posts = r.table("posts", {
        "post_id": _post_ids(link),
        "platform": "linkedin",
        "published_at": r.times("published_at", *POST_DATE, formats=DATES),
        "author_kind": "organisation",
        "author": r.text("author", "Posted by", "Published by", "Anunciado por"),
        "text": r.text("text", "Post title", "Update title", "Título de la publicación"),
        "url": link,
        "post_type": r.text("post_type", "Content Type", "Post type", "Tipo de contenido", "Tipo de publicación"),
        "reactions": r.ints("reactions", "Likes", "Reactions", "Recomendaciones"),
        "comments": r.ints("comments", "Comments", "Comentarios"),
        "shares": r.ints("shares", "Reposts", "Shares", "Veces compartido"),
        "clicks": r.ints("clicks", "Clicks", "Clics"),
        "views": r.ints("views", "Impressions", "Impresiones"),
    })
    r.mapping["post_id"] = r.mapping.get("url", "Post link") + " (activity number)"
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- followers / visitors

def detect_followers(raw: Raw) -> float:
    hit = detect_by_columns(raw, (DATE, TOTAL_FOLLOWERS),
                            (("organic followers", "followers organic", "seguidores generales", "seguidores orgânicos",
                              "follower organici"),
                             ("sponsored followers", "followers sponsored", "seguidores patrocinados",
                              "follower sponsorizzati")))
    sheets = ("new followers", "nuevos seguidores", "novos seguidores", "nieuwe volgers", "nuovi follower", "")
    return hit if hit and (_sheet(raw) in sheets or hit > 0.6) else 0.0


def read_followers(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    return r.daily("linkedin", _days(r), new_followers=TOTAL_FOLLOWERS)


def detect_visitors(raw: Raw) -> float:
    return detect_by_columns(raw, (DATE, TOTAL_PAGE_VIEWS), (TOTAL_UNIQUE_VISITORS,))


def read_visitors(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    return r.daily("linkedin", _days(r), visits=TOTAL_PAGE_VIEWS)


def detect_demographics(raw: Raw) -> float:
    cols = raw.headers
    if len(cols) == 2 and cols[1] in ("total followers", "total views", "total de seguidores", "totaal aantal volgers") and cols[0] in (
            DEMOGRAPHIC_LABELS):
        return 0.9
    return 0.0


def read_demographics(raw: Raw) -> Parsed:
    return Parsed(warnings=[f"LinkedIn demographics ('{raw.frame.columns[0]}') are not used by the dashboard"])


register(Source(
    id="linkedin_content", label="LinkedIn page - content (Metrics and All posts)", tables=("posts", "audience"),
    detect=detect_content, read=read_content,
    expects="the content export (.xls/.xlsx) with sheets 'Metrics' and 'All posts'",
))
register(Source(
    id="linkedin_followers", label="LinkedIn page - followers", tables=("audience",),
    detect=detect_followers, read=read_followers,
    expects="the followers export with a 'New followers' sheet ('Date', 'Total followers')",
))
register(Source(
    id="linkedin_visitors", label="LinkedIn page - visitors", tables=("audience",),
    detect=detect_visitors, read=read_visitors,
    expects="the visitors export with 'Date' and 'Total page views (total)'",
))
register(Source(
    id="linkedin_demographics", label="LinkedIn page - demographics", tables=(),
    detect=detect_demographics, read=read_demographics,
    expects="a LinkedIn demographics sheet (location, industry...)",
))
