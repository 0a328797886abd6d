"""Meta Business Suite and legacy Facebook Insights exports.

Rules that change numbers:

* Posts exports hold *lifetime* metrics (the ``Date`` column says
  ``Lifetime``), so a later export of the same post replaces its numbers
  (``schema.KEYS``) instead of adding to them.
* ``Publish time`` is ``MM/DD/YYYY HH:MM`` in the time zone of whoever
  exported it; Meta does not say which, so it is read as UTC.
* Facebook: ``views`` = ``Views`` (2024+) or ``Impressions`` (older);
  ``clicks`` = ``Total clicks`` (older layout only); ``text`` = ``Title``,
  else ``Description`` (Meta puts the caption in ``Title``).
* Instagram: ``reactions`` = ``Likes``; ``views`` = ``Views``, else
  ``Impressions``; ``Follows`` is not a post metric and is not used.
* Per-metric page files: the title line names the metric and the platform
  (``Facebook follows``, ``Seguidores no Instagram``, ``Alcance do
  Facebook``); a title without a platform is the Page's (Facebook). One file
  can hold two sections (Facebook, then Instagram: a title line and the
  header again); each is read to its own platform. When both sections carry
  the same title (English files of 2020-23), the second is the other
  platform. Days with nothing to report are simply missing: not 0, no row.
  A metric we do not use is reported, not guessed.
* Legacy page-level Insights (~2,000 columns): only the columns read here
  are parsed (``pick_legacy_page_columns``), so memory follows those.
* Legacy Insights: the first row under the header describes each column.
  Columns with the same name (``Lifetime Post Stories by action type`` x3)
  are told apart by that row (``like``/``comment``/``share``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register, register_wide_picker

PUBLISH_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y")


# --------------------------------------------------------------------------- Facebook posts

# Facebook's own words in other languages (the shared ones - id, publish time, comments, shares,
# views, reach, permalink, post type - are listed with the Instagram columns below). Where each
# language's words come from: tests/fixtures/social_i18n/README.md and tests/fixtures/GAPS.md (Dutch
# from a published export; French and Italian from published readers of real exports; German and
# Spanish not seen anywhere).
PAGE_NAME = ("page name", "nome da página", "nombre de la página", "nom de la page", "name der seite",
             "nome della pagina", "naam van pagina")
PAGE_ID = ("page id", "identificação da página", "identificador de la página", "identifiant de la page",
           "id de la page", "seiten id", "id pagina", "pagina id")
TITLE = ("title", "título", "titre", "titel", "titolo")
REACTIONS = ("reactions", "reações", "reacciones", "réactions", "reaktionen", "reazioni", "reacties")
# "Reactions, comments and shares" (one column) in English, French, Italian and Dutch.
ENGAGEMENT = ("reactions comments and shares", "réactions commentaires et partages",
              "reazioni commenti e condivisioni", "reacties opmerkingen en deelacties")
CLICKS = ("total clicks", "total des clics", "totaal aantal klikken")
CAPTION_TYPE = ("caption type", "type onderschrift")


def detect_facebook_posts(raw: Raw) -> float:
    if V.find_column(raw.frame.columns, *ACCOUNT_USER, *LIKES, *SAVES):
        return 0.0  # Instagram export: same shape, other words
    conf = detect_by_columns(raw, (POST_ID, PUBLISHED), (PAGE_NAME + PAGE_ID, REACTIONS, ENGAGEMENT, PERMALINK,
                                                         VIEWS, CLICKS, CAPTION_TYPE))
    return conf if V.find_column(raw.frame.columns, *PAGE_NAME, *PAGE_ID, *REACTIONS) else min(conf, 0.55)


def read_facebook_posts(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    title = r.text("text", *TITLE)
    desc = r.text("text", *CAPTION)
    posts = r.table("posts", {
        "post_id": r.ids("post_id", *POST_ID),
        "platform": "facebook",
        "published_at": r.times("published_at", *PUBLISHED, formats=PUBLISH_FORMATS),
        "author_kind": "organisation",
        "author": r.text("author", *PAGE_NAME),
        "text": title.fillna(desc),
        "url": r.text("url", *PERMALINK),
        "post_type": r.text("post_type", *POST_TYPE),
        "reactions": r.ints("reactions", *REACTIONS),
        "comments": r.ints("comments", *COMMENTS),
        "shares": r.ints("shares", *SHARES),
        "clicks": r.ints("clicks", *CLICKS),
        "views": r.ints("views", *VIEWS),
        "reach": r.ints("reach", *REACH),
    })
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- Instagram posts

# Column names in the account's language. Portuguese and Dutch are from published exports, French and
# Italian from published readers of real exports (tests/fixtures/social_i18n/README.md); the rest are
# Meta's labels for the same columns, not seen in a published file (tests/fixtures/GAPS.md).
POST_ID = ("post id", "identificação da publicação", "identificação do post", "id do post",
           "identificador de la publicación", "id de la publicación", "identifiant de la publication",
           "id de la publication", "beitrags id", "id del post", "id post", "bericht id")
PUBLISHED = ("publish time", "horário de publicação", "hora de publicación", "heure de publication",
             "veröffentlichungszeitpunkt", "orario di pubblicazione", "publicatietijdstip")
PERMALINK = ("permalink", "link permanente", "enlace permanente", "permalien", "collegamento permanente")
POST_TYPE = ("post type", "tipo de publicação", "tipo de post", "tipo de publicación", "type de publication",
             "beitragstyp", "tipo di post", "berichttype")
CAPTION = ("description", "descrição", "descripción", "beschreibung", "descrizione", "beschrijving", "omschrijving",
           "caption")
LIKES = ("likes", "curtidas", "me gusta", "mentions j aime", "j aime", "gefällt mir angaben", "mi piace",
         "vind ik leuks")
COMMENTS = ("comments", "comentários", "comentarios", "commentaires", "kommentare", "commenti", "opmerkingen")
SHARES = ("shares", "compartilhamentos", "veces compartido", "compartidos", "partages", "geteilte inhalte",
          "condivisioni", "deelacties", "gedeeld")
SAVES = ("saves", "salvamentos", "guardados", "veces guardado", "enregistrements", "gespeichert",
         "salvataggi", "opgeslagen")
VIEWS = ("views", "visualizações", "visualizaciones", "vues", "aufrufe", "visualizzazioni", "weergaven",
         "impressions", "impressões", "impresiones")
REACH = ("reach", "alcance", "couverture", "reichweite", "copertura", "bereik")
ACCOUNT_USER = ("account username", "nome de usuário da conta", "nombre de usuario de la cuenta",
                "nom de profil du compte", "nom d utilisateur du compte", "nome utente dell account")
ACCOUNT = ACCOUNT_USER + ("account name", "nome da conta", "nom du compte")
IG_REQUIRED = (PUBLISHED, LIKES + SAVES)
IG_HINTS = (ACCOUNT, SAVES, ("follows", "seguimentos", "seguidores", "followers en plus"), REACH, PERMALINK,
            POST_TYPE, POST_ID)
_SHORTCODE = r"instagram\.com/(?:[^/]+/)?(?:p|reel|tv)/([^/?#]+)"  # one capturing group (RE2)


def detect_instagram_posts(raw: Raw) -> float:
    if not V.find_column(raw.frame.columns, *POST_ID) and not V.find_column(raw.frame.columns, *PERMALINK):
        return 0.0
    return detect_by_columns(raw, IG_REQUIRED, IG_HINTS)


def read_instagram_posts(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    url = r.text("url", *PERMALINK)
    if r.has(*POST_ID):
        ids = r.ids("post_id", *POST_ID)
    else:  # no id column picked: the permalink's code is the post's id on Instagram
        ids = V.extract_first(url, _SHORTCODE)
        r.mapping["post_id"] = f"{r.mapping.get('url', 'Permalink')} (the code in the link)"
        r.reject(ids.isna(), "the permalink has no Instagram post code")
    posts = r.table("posts", {
        "post_id": ids,
        "platform": "instagram",
        "published_at": r.times("published_at", *PUBLISHED, formats=PUBLISH_FORMATS),
        "author_kind": "organisation",
        "author": r.text("author", *ACCOUNT),
        "text": r.text("text", *CAPTION, "Title"),
        "url": url,
        "post_type": r.text("post_type", *POST_TYPE),
        "reactions": r.ints("reactions", *LIKES),
        "comments": r.ints("comments", *COMMENTS),
        "shares": r.ints("shares", *SHARES),
        "saves": r.ints("saves", *SAVES),
        "views": r.ints("views", *VIEWS),
        "reach": r.ints("reach", *REACH),
    })
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- per-metric page files

METRIC_TITLES = {
    "facebook follows": "new_followers", "instagram follows": "new_followers", "follows": "new_followers",
    "facebook followers": "followers", "instagram followers": "followers", "followers": "followers",
    "views": "views", "facebook views": "views", "instagram views": "views",
    "reach": "reach", "facebook reach": "reach", "instagram reach": "reach",
    "facebook visits": "visits", "instagram profile visits": "visits", "visits": "visits",
    "facebook link clicks": "link_clicks", "link clicks": "link_clicks", "instagram link clicks": "link_clicks",
    "content interactions": "interactions", "facebook content interactions": "interactions",
    "instagram content interactions": "interactions", "interactions": "interactions",
}
# Section titles in the account's language, as words of the title once the platform name is taken
# out ("Seguidores no Instagram" -> "seguidores no", "Cliques no link do Instagram" -> "cliques no link
# do"). Portuguese is from published exports (tests/fixtures/social_i18n/README.md); the others are
# Meta's own names for the same metrics, not seen in a published file (tests/fixtures/GAPS.md).
LOCAL_METRIC_WORDS = {
    "new_followers": ("seguidores", "seguidores no", "seguidores do", "seguidores en", "seguidores de",
                      "novos seguidores", "nuevos seguidores", "abonnés", "abonnes", "nouveaux abonnés",
                      "abonnements", "follower", "neue follower", "nuovi follower", "follower su",
                      "volgers", "nieuwe volgers", "volgers op"),
    "views": ("visualizações", "visualizaciones", "vues", "aufrufe", "visualizzazioni", "weergaven"),
    "reach": ("alcance", "alcance no", "alcance do", "alcance en", "alcance de", "couverture", "reichweite",
              "copertura", "bereik"),
    "visits": ("visitas", "visitas ao perfil", "visitas ao perfil do", "visitas al perfil", "visites",
               "visites du profil",
               "besuche", "profilaufrufe", "visite", "visite al profilo", "bezoeken", "profielbezoeken"),
    "link_clicks": ("cliques no link", "cliques no link do", "cliques em links", "clics en el enlace",
                    "clics en enlaces",
                    "clics sur un lien", "clics sur les liens", "link klicks", "klicks auf links",
                    "clic sul link", "clic sui link", "linkklikken", "klikken op links"),
    "interactions": ("interações com o conteúdo", "interacciones con el contenido", "interactions avec le contenu",
                     "interaktionen mit inhalten", "interazioni con i contenuti", "interacties met content"),
}
_LOCAL = {w: col for col, words in LOCAL_METRIC_WORDS.items() for w in words}
_PLATFORM_WORD = re.compile(r"\b(facebook|instagram)\b", re.IGNORECASE)
DATE_HEADERS = ("date", "data", "fecha", "datum", "date de", "dátum")


def _metric_title(raw: Raw) -> str | None:
    lines = [p for p in raw.preamble if not p.lower().startswith("sep=")]
    return lines[-1].strip().strip('"').strip() if lines else None


def metric_of_title(title: str) -> tuple[str | None, str | None]:
    """(canonical column, platform or None when the title does not say) of a section title."""
    norm = V.norm_header(title)
    platform = m.group(1).lower() if (m := _PLATFORM_WORD.search(title)) else None
    column = METRIC_TITLES.get(norm)
    if column is None:
        rest = V.norm_header(_PLATFORM_WORD.sub(" ", title))
        column = METRIC_TITLES.get(rest) or _LOCAL.get(rest)
    return column, platform


def detect_page_metric(raw: Raw) -> float:
    headers = raw.headers
    if len(headers) != 2 or headers[1] != "primary":
        return 0.0
    if headers[0] not in DATE_HEADERS:
        return 0.55
    return 0.95 if _metric_title(raw) else 0.6


def _sections(raw: Raw) -> list[tuple[str, int, int]]:
    """(title, first row, end row) of every section: a title row, then the header again, then days.

    Meta writes one file per metric, but with Facebook and Instagram both chosen it puts a second
    section (title line, ``"Date","Primary"``) under the first one.
    """
    frame = raw.frame
    first = V.clean_text(frame.iloc[:, 0]).str.lower()
    second = V.clean_text(frame.iloc[:, 1]).str.lower()
    header = (first == V.norm_header(frame.columns[0])).fillna(False) & (second == "primary").fillna(False)
    header_at = np.flatnonzero(header.to_numpy(dtype=bool))
    titles = [(_metric_title(raw) or "", 0)]
    bounds = []
    for h in header_at:
        # The title is the filled row just above the repeated header (a blank row was dropped by the core).
        title_row = h - 1 if h >= 1 and pd.isna(frame.iat[h - 1, 1]) else None
        start = title_row if title_row is not None else h
        bounds.append(start)
        title = str(frame.iat[title_row, 0]).strip() if title_row is not None else ""
        titles.append((title, h + 1))
    ends = bounds + [len(frame)]
    return [(t, begin, end) for (t, begin), end in zip(titles, ends)]


def read_page_metric(raw: Raw) -> Parsed:
    sections = _sections(raw)
    frames, rejected, warnings, mapping = [], [], [], {}
    seen: dict[tuple[str, str], str] = {}
    for title, begin, end in sections:
        column, platform = metric_of_title(title)
        if column is None:
            known = sorted({t.title() for t in METRIC_TITLES})
            raise ValueError(f"its metric '{title or '(no title line)'}' is not one we use "
                             f"(we read: {', '.join(known[:12])}, ...)")
        platform = platform or "facebook"  # Meta names Instagram sections; an unnamed one is the Page's
        if (platform, column) in seen:
            # English files from 2020-23 repeat one title over both sections: the second is the other platform.
            other = "instagram" if platform == "facebook" else "facebook"
            warnings.append(f"the section '{title}' repeats the metric of the section '{seen[(platform, column)]}' "
                            f"above it, so it was read as {other.title()}")
            platform = other
        seen[(platform, column)] = title
        sub = raw.frame.iloc[begin:end].reset_index(drop=True)
        lines = raw.line_numbers.iloc[begin:end].reset_index(drop=True)
        r = ColumnReader(raw, frame=sub, lines=lines)
        dates = r.times("date", sub.columns[0])
        audience = r.table("audience", {
            "date": dates.dt.floor("D"),
            "platform": platform,
            column: r.ints(column, "Primary"),
        })
        frames.append(audience)
        rejected += r.problems()
        warnings += r.warnings
        mapping.setdefault("date", sub.columns[0])
        mapping[column if column not in mapping else f"{column} ({platform})"] = f"Primary ({title})"
    audience = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(sections) > 1:
        warnings.append("the file holds " + " and ".join(
            f"'{t}'" for t, _b, _e in sections) + ": each section was read to its own platform")
    from harness import schema
    covered = sum(end - begin for _t, begin, end in sections)
    return Parsed(tables={"audience": schema.coerce("audience", audience)} if len(audience) else {},
                  rejected=sorted(rejected, key=lambda p: p.line), warnings=warnings, mapping=mapping,
                  unique_keys=("audience",) if not audience.duplicated(["platform", "date"]).any() else (),
                  not_data_rows=len(raw.frame) - covered)


# --------------------------------------------------------------------------- legacy Insights

_DESCRIPTION = re.compile(r"^(lifetime|daily|weekly|28 days|the )", re.IGNORECASE)


def _has_description_row(raw: Raw) -> bool:
    if not len(raw.frame):
        return False
    first = raw.frame.iloc[0]
    texts = [str(v) for v in first if isinstance(v, str)]
    return sum(1 for t in texts if _DESCRIPTION.match(t.strip())) >= max(1, len(texts) // 3)


def _split_description(raw: Raw) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Drop the description row, naming duplicate columns by it ("X - like")."""
    frame, lines = raw.frame, raw.line_numbers
    names = [str(c) for c in frame.columns]
    if _has_description_row(raw):
        desc = [("" if not isinstance(v, str) else v.strip()) for v in frame.iloc[0]]
        counts = pd.Series(names).value_counts()
        names = [f"{n} - {d}" if counts[n] > 1 and d else n for n, d in zip(names, desc)]
        frame, lines = frame.iloc[1:], lines.iloc[1:]
    frame = frame.set_axis(names, axis=1).reset_index(drop=True)
    return frame, lines.reset_index(drop=True), names


LEGACY_POST_COLUMNS = (("post id",), ("posted",))
LEGACY_POST_HINTS = (("lifetime post total reach",), ("lifetime post total impressions",), ("post message",),
                     ("permalink",), ("type",))
LEGACY_PAGE_COLUMNS = (("date",), ("lifetime total likes", "daily new likes", "daily total reach"))


def detect_legacy_insights(raw: Raw) -> float:
    cols = raw.frame.columns
    if V.find_column(cols, "lifetime post total reach", "lifetime post total impressions", "lifetime engaged users"):
        return detect_by_columns(raw, LEGACY_POST_COLUMNS, LEGACY_POST_HINTS)
    if all(V.find_column(cols, *g) for g in LEGACY_PAGE_COLUMNS):
        return 0.9
    return 0.0


def _action(r: ColumnReader, canon: str, action: str) -> pd.Series:
    names = [f"{g} - {action}" for g in ("Lifetime Post Stories by action type",
                                         "Lifetime Talking About This (Post) by action type",
                                         "Lifetime Post Stories by action type - by action type")]
    return r.ints(canon, *names, action)


def read_legacy_insights(raw: Raw) -> Parsed:
    had_description = _has_description_row(raw)
    frame, lines, _names = _split_description(raw)
    r = ColumnReader(raw, frame=frame, lines=lines)
    if had_description:
        r.warnings.append(f"the description row under the header (line {int(raw.line_numbers.iloc[0])}) "
                          "was used to name the columns and is not data")
    not_data = 1 if had_description else 0
    if r.has("Post ID"):
        posts = r.table("posts", {
            "post_id": r.ids("post_id", "Post ID"),
            "platform": "facebook",
            "published_at": r.times("published_at", "Posted",
                                    formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                                             "%m/%d/%Y")),
            "author_kind": "organisation",
            "text": r.text("text", "Post Message"),
            "url": r.text("url", "Permalink"),
            "post_type": r.text("post_type", "Type"),
            "reactions": _action(r, "reactions", "like"),
            "comments": _action(r, "comments", "comment"),
            "shares": _action(r, "shares", "share"),
            "clicks": r.ints("clicks", "Lifetime Post Consumptions"),
            "views": r.ints("views", "Lifetime Post Total Impressions"),
            "reach": r.ints("reach", "Lifetime Post Total Reach"),
        })
        parsed = r.parsed(posts=posts)
        parsed.not_data_rows = not_data
        return parsed
    audience = r.table("audience", {
        "date": r.times("date", "Date", formats=("%m/%d/%Y", "%Y-%m-%d")).dt.floor("D"),
        "platform": "facebook",
        "followers": r.ints("followers", "Lifetime Total Likes"),
        "new_followers": r.ints("new_followers", "Daily New Likes"),
        "views": r.ints("views", "Daily Total Impressions"),
        "reach": r.ints("reach", "Daily Total Reach"),
        "visits": r.ints("visits", "Daily Logged-in Page Views", "Daily Total Page Views"),
    })
    parsed = r.parsed(audience=audience)
    parsed.not_data_rows = not_data
    return parsed


LEGACY_PAGE_USED = ("date", "lifetime total likes", "daily new likes", "daily total impressions", "daily total reach",
                    "daily logged in page views", "daily total page views")


def pick_legacy_page_columns(header: list[str]) -> list[int] | None:
    """Columns of a legacy page-level Insights export (~2,000 of them) that ``read_legacy_insights`` uses."""
    names = [V.norm_header(h) for h in header]
    if not names or names[0] != "date" or "lifetime total likes" not in names and "daily new likes" not in names:
        return None
    first = {}
    for i, n in enumerate(names):
        if n in LEGACY_PAGE_USED:
            first.setdefault(n, i)  # Insights repeats some columns ("Daily Logged-in Page Views" x2)
    return list(first.values())


register_wide_picker(pick_legacy_page_columns)
register(Source(
    id="meta_facebook_posts", label="Meta Business Suite - Facebook posts", tables=("posts",),
    detect=detect_facebook_posts, read=read_facebook_posts,
    expects="columns 'Post ID', 'Publish time', 'Page name', 'Reactions', 'Comments', 'Shares'",
))
register(Source(
    id="meta_instagram_posts", label="Meta Business Suite - Instagram posts", tables=("posts",),
    detect=detect_instagram_posts, read=read_instagram_posts,
    expects="columns 'Post ID', 'Publish time', 'Likes', 'Comments', 'Saves', 'Post type'",
))
register(Source(
    id="meta_page_metric", label="Meta Business Suite - page metric (one metric per file)", tables=("audience",),
    detect=detect_page_metric, read=read_page_metric,
    expects="a 'sep=,' line, a metric title such as \"Facebook follows\", then \"Date\",\"Primary\"",
))
register(Source(
    id="facebook_insights_legacy", label="Facebook Insights (legacy export)", tables=("posts", "audience"),
    detect=detect_legacy_insights, read=read_legacy_insights,
    expects="a header with 'Lifetime Post Total Reach' or 'Daily New Likes' and a description row under it",
))
