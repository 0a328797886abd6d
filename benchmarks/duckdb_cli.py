"""The figures of ``python -m harness score <folder> --json`` computed again by DuckDB from the raw exports.

    python benchmarks/duckdb_cli.py <folder of benchmarks/generate.py --real files>   # prints JSON

A short SQL reading of the files ``generate.py --real`` writes (the real layouts, not templates): each
file read once with DuckDB's CSV reader, its dates parsed in SQL, people normalised as the product does,
then ``duckdb_scoring.period_figures`` for the latest 90 days and the 90 before. It knows only what
these files need (Forms' ``GMT+h`` offsets, Eventbrite's refunds, TikTok's yearless days...): a lower
bound for the work, and a second method whose figures ``cli_bench.py`` compares with the product's.
The French form is skipped when the product does not read it (``--skip`` names files to leave out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from duckdb_scoring import _norm, period_figures  # noqa: E402

# people.SOURCE_RULES, written again in SQL (first match wins; exact vocabulary words first).
SOURCE_CASE = r"""CASE
  WHEN h IS NULL THEN 'unknown'
  WHEN lower(h) IN ('facebook','instagram','linkedin','x','youtube','tiktok','referral','website','email','search',
                    'press','other','unknown') THEN lower(h)
  WHEN lower(h) = 'twitter' THEN 'x'
  WHEN regexp_matches(h, '(?i)referr|recommend') THEN 'referral'
  WHEN regexp_matches(h, '(?i)face\s?book|\bfb\b') THEN 'facebook'
  WHEN regexp_matches(h, '(?i)\binsta|\big\b') THEN 'instagram'
  WHEN regexp_matches(h, '(?i)linked\s?in') THEN 'linkedin'
  WHEN regexp_matches(h, '(?i)twitter|\btweet|^x$|\bx\s*\(|\bx\.com\b|\bon x\b') THEN 'x'
  WHEN regexp_matches(h, '(?i)you\s?tube|\byt\b') THEN 'youtube'
  WHEN regexp_matches(h, '(?i)tik\s?tok') THEN 'tiktok'
  WHEN regexp_matches(h, '(?i)friend|famil|word of mouth|neighbo|colleague|parent|relative|someone told|told me|\bmum\b|\bdad\b|sibling') THEN 'word_of_mouth'
  WHEN regexp_matches(h, '(?i)event|\bfair\b|open (day|evening|morning)|festival|\bf[eê]te\b|\bstall\b|exhibition|\bmarket\b|\bshow\b') THEN 'community_event'
  WHEN regexp_matches(h, '(?i)google|\bbing\b|search|duckduckgo|yahoo') THEN 'search'
  WHEN regexp_matches(h, '(?i)web\s?site|\bweb\b|online|\bsite\b|internet') THEN 'website'
  WHEN regexp_matches(h, '(?i)newsletter|e-?mail|mailing list|mailchimp') THEN 'email'
  WHEN regexp_matches(h, '(?i)newspaper|radio|magazine|\bpress\b|\btv\b|television|\bnews\b') THEN 'press'
  ELSE 'other' END"""


# The English words of harness.community's lists that name these files' events.
COMMUNITY_RE = (r"\bclean ?ups?\b|\bfood ?banks?\b|\blibrar(y|ies)\b|\bfairs?\b|\bfestivals?\b|\bfetes?\b"
                r"|\bcharit(y|ies|able)\b|\bvolunteer|\bcommunity\b|\bneighbou?rhood\b")
SALES_RE = (r"\bopen (day|days|evening|morning|afternoon|house|week)\b|\badmissions?\b|\benrol|\btaster\b"
            r"|\btours?\b|\bsales?\b|\blaunch\b|\bprospectus")


def _blank(col: str) -> str:
    return f"nullif(trim({col}), '')"


def _forms_ts(col: str) -> str:
    """``2026/01/01 8:00:00 AM GMT+1`` (or ``UTC+1``) -> TIMESTAMPTZ."""
    local = f"strptime(regexp_extract({col}, '^(.*[AP]M)', 1), '%Y/%m/%d %I:%M:%S %p')"
    off = f"coalesce(try_cast(regexp_extract({col}, '(?:GMT|UTC)([+-]\\d+)$', 1) AS INTEGER), 0)"
    return f"(({local} - to_hours({off}))::TIMESTAMP AT TIME ZONE 'UTC')"


def load(con, folder: Path, skip: set[str]) -> None:
    files = {p.name: p for p in folder.glob("*.csv") if p.name not in skip}
    forms = [p for n, p in files.items() if "(Responses)" in n or "(réponses)" in n]
    inv_parts, ref_parts = [], []
    for i, p in enumerate(forms):
        con.execute(f"CREATE TEMP TABLE f{i} AS SELECT * FROM read_csv(?, all_varchar=true, header=true)", [str(p)])
        cols = [r[0] for r in con.execute(f"DESCRIBE f{i}").fetchall()]
        ts, email, name, hear, ref = (f'"{c}"' for c in cols[:5])
        con.execute(f"""CREATE TEMP TABLE g{i} AS SELECT {_forms_ts(ts)} AS occurred_at,
            {_norm(f"coalesce({_blank(email)}, {_blank(name)})")} AS person, {_blank(hear)} AS h,
            {_norm(ref)} AS referred_by FROM f{i}""")
        inv_parts.append(f"""SELECT occurred_at, person, CASE WHEN h IS NULL AND referred_by IS NOT NULL
            THEN 'referral' ELSE {SOURCE_CASE} END AS source, referred_by FROM g{i}""")
        ref_parts.append(f"""SELECT occurred_at, referred_by AS referrer, person AS referred, TRUE AS converted
            FROM g{i} WHERE referred_by IS NOT NULL AND person IS NOT NULL AND referred_by <> person""")
    eb = files.get("Attendee summary - Open Morning.csv")
    if eb:
        inv_parts.append(f"""SELECT strptime("Order date", '%d/%m/%Y %H:%M')::TIMESTAMP AT TIME ZONE 'UTC',
            {_norm('"Email"')}, (SELECT {SOURCE_CASE} FROM (SELECT {_blank('"How did you hear about us?"')} AS h)),
            {_norm('"Who referred you?"')}
            FROM read_csv('{eb}', all_varchar=true, header=true)
            WHERE NOT regexp_matches(coalesce("Attendee status", ''), '(?i)refund|cancel|delet|transfer|not attending|declin')""")
    sug = files.get("SignUpGenius report.csv")
    if sug:
        inv_parts.append(f"""SELECT strptime("Start Date" || ' ' || "Start Time", '%m/%d/%Y %I:%M%p')::TIMESTAMP
            AT TIME ZONE 'UTC', {_norm('"Email"')}, 'unknown', NULL
            FROM read_csv('{sug}', all_varchar=true, header=true, skip=4)""")
    con.execute("CREATE TEMP TABLE involvement AS " + " UNION ALL ".join(
        f"SELECT * FROM ({q})" for q in inv_parts))
    con.execute("CREATE TEMP TABLE referrals AS " + " UNION ALL ".join(ref_parts))

    post_parts = []
    for n, p in files.items():
        if n.endswith("_3019447215680432.csv"):
            post_parts.append(f"""SELECT strptime("Publish time", '%m/%d/%Y %H:%M')::TIMESTAMP AT TIME ZONE 'UTC' AS
                published_at, "Reactions"::BIGINT AS reactions, "Comments"::BIGINT AS comments,
                "Shares"::BIGINT AS shares, "Views"::BIGINT AS views, "Reach"::BIGINT AS reach,
                'organisation' AS author_kind, NULL::VARCHAR AS author
                FROM read_csv('{p}', all_varchar=true, header=true)""")
        elif n.startswith("tweet_activity_metrics_"):
            post_parts.append(f"""SELECT strptime("time", '%Y-%m-%d %H:%M %z'), "likes"::DOUBLE::BIGINT,
                "replies"::DOUBLE::BIGINT, "retweets"::DOUBLE::BIGINT, "impressions"::DOUBLE::BIGINT, NULL::BIGINT,
                'organisation', NULL FROM read_csv('{p}', all_varchar=true, header=true)""")
    con.execute("CREATE TEMP TABLE posts AS " + " UNION ALL ".join(post_parts))

    aud = []
    if "Followers.csv" in files:  # UTF-16 with "sep=," and a title line: decoded by Python, 730 lines
        text = files["Followers.csv"].read_bytes().decode("utf-16").splitlines()[3:]
        rows = [line.replace('"', "").split(",") for line in text if line.strip()]
        con.execute("CREATE TEMP TABLE fb_f(d VARCHAR, v VARCHAR)")
        con.executemany("INSERT INTO fb_f VALUES (?, ?)", rows)
        aud.append("""SELECT 'facebook' AS platform, strptime(d, '%Y-%m-%dT%H:%M:%S')::TIMESTAMP AT TIME ZONE 'UTC'
                      AS date, v::BIGINT AS followers FROM fb_f""")
    if "FollowerHistory.csv" in files:  # no year: the last row is the latest year not in the future
        today = dt.date.today()
        aud.append(f"""WITH t AS (SELECT row_number() OVER () AS i, "Date" AS d, "Followers"::BIGINT AS v
                          FROM read_csv('{files["FollowerHistory.csv"]}', all_varchar=true, header=true)),
            m AS (SELECT *, month(strptime('2000 ' || d, '%Y %B %d')) AS mo FROM t),
            w AS (SELECT *, coalesce(sum(CASE WHEN mo < lag_mo THEN 1 ELSE 0 END) OVER (ORDER BY i DESC
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS wraps
                  FROM (SELECT *, lead(mo) OVER (ORDER BY i) AS lead_mo, lag(mo) OVER (ORDER BY i) AS lag_mo FROM m)),
            last AS (SELECT strptime('{today.year} ' || d, '%Y %B %d') AS l FROM t ORDER BY i DESC LIMIT 1)
            SELECT 'tiktok', strptime((CASE WHEN (SELECT l FROM last) > DATE '{today}' THEN {today.year - 1}
                                       ELSE {today.year} END - wraps)::VARCHAR || ' ' || d, '%Y %B %d')::TIMESTAMP
                              AT TIME ZONE 'UTC', v FROM w""")
    con.execute("CREATE TEMP TABLE audience AS " + " UNION ALL ".join(f"SELECT * FROM ({q})" for q in aud))
    con.execute("CREATE TEMP TABLE contributions(created_at TIMESTAMPTZ, contributor VARCHAR, engagement DOUBLE)")
    con.execute("""CREATE TEMP TABLE community(occurred_at TIMESTAMPTZ, attendees BIGINT, partner VARCHAR,
                   sales_related BOOLEAN)""")
    # harness.community's proposal, for these files' events: SignUpGenius slots make one event per sign-up
    # title and day (attendees: distinct people), the Eventbrite report one event named after its file;
    # an event counts when its name or kind has a community word, else not when a sales word, else when "free".
    events = []
    if sug:
        full = "nullif(trim(coalesce(\"First Name\", '') || ' ' || coalesce(\"Last Name\", '')), '')"
        who = _norm(f"coalesce({_blank('Email')}, {full})")
        events.append(f"""SELECT "Sign Up" AS name, 'volunteer' AS kind,
                strptime("Start Date", '%m/%d/%Y')::TIMESTAMP AT TIME ZONE 'UTC' AS day,
                count(DISTINCT {who}) AS attendees
            FROM read_csv('{sug}', all_varchar=true, header=true, skip=4)
            WHERE "Start Date" IS NOT NULL AND {who} IS NOT NULL
            GROUP BY 1, 2, 3""")
    if eb:
        events.append(f"""SELECT 'Open Morning', string_agg(DISTINCT "Ticket type" || ' ' || "Order type", ' '),
                max(strptime("Order date", '%d/%m/%Y %H:%M'))::DATE::TIMESTAMP AT TIME ZONE 'UTC',
                count(*) FILTER (WHERE NOT regexp_matches(coalesce("Attendee status", ''),
                                                          '(?i)refund|cancel|delet|transfer|not attending|declin'))
            FROM read_csv('{eb}', all_varchar=true, header=true)""")
    if events:
        text = "lower(name || ' ' || coalesce(kind, ''))"
        con.execute(f"""INSERT INTO community SELECT day, attendees, NULL,
                regexp_matches(lower(name), '{SALES_RE}')
            FROM ({" UNION ALL ".join(events)})
            WHERE regexp_matches({text}, '{COMMUNITY_RE}')
               OR (NOT regexp_matches({text}, '{SALES_RE}') AND regexp_matches({text}, '\\bfree\\b'))""")
    con.execute(f"CREATE TEMP TABLE inv AS SELECT occurred_at, source, {_norm('person')} AS who FROM involvement")
    con.execute(f"""CREATE TEMP TABLE edges AS SELECT * FROM (
          SELECT {_norm('referrer')} AS src, {_norm('referred')} AS dst, occurred_at AS t, converted AS conv
          FROM referrals
          UNION ALL
          SELECT {_norm('referred_by')}, {_norm('person')}, occurred_at, TRUE FROM involvement
          WHERE referred_by IS NOT NULL AND person IS NOT NULL)
        WHERE src IS NOT NULL AND dst IS NOT NULL AND src <> dst""")


def main(argv: list[str]) -> None:
    import duckdb
    import pandas as pd

    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--skip", action="append", default=[])
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET threads = 2")
    load(con, a.folder, set(a.skip))
    last = con.execute("""SELECT max(x) FROM (SELECT max(occurred_at) AS x FROM involvement UNION ALL
        SELECT max(published_at) FROM posts UNION ALL SELECT max(date) FROM audience)""").fetchone()[0]
    end = pd.Timestamp(last).tz_convert("UTC").date()
    start = end - dt.timedelta(days=89)
    prev_end = start - dt.timedelta(days=1)
    prev_start = prev_end - dt.timedelta(days=89)
    ts = lambda d: pd.Timestamp(d, tz="UTC")  # noqa: E731
    out = {"period": {"start": start.isoformat(), "end": end.isoformat(), "days": 90},
           "current": period_figures(con, ts(start), ts(end + dt.timedelta(days=1)), 90),
           "previous": period_figures(con, ts(prev_start), ts(prev_end + dt.timedelta(days=1)), 90),
           "rows": {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("involvement", "referrals", "posts", "audience")}}
    out["seconds"] = time.perf_counter() - t0
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
