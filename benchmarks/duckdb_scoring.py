"""The scorecard's and vanity-vs-real's aggregations written again in DuckDB SQL.

A lower bound for ``score_pillars`` + ``vanity_vs_real`` (same inputs, same
rules, a columnar engine) and a second method: :func:`compare` checks every
figure computed here against the harness's. One simplification, valid for
the benchmark's data only: "depth 2 or more" is "has a referrer", because
``generate.py`` never produces a referral cycle (a referrer always arrived
before the person they refer), so no edge is cut.
"""

from __future__ import annotations

import math
import time

import pandas as pd

SOCIAL = ("facebook", "instagram", "linkedin", "x", "youtube", "tiktok")


def _norm(col: str) -> str:
    """``schema.normalise_person`` in SQL: trimmed, blank -> NULL, emails lower-cased."""
    t = f"trim({col})"
    return f"CASE WHEN {col} IS NULL OR {t} = '' THEN NULL WHEN contains({t}, '@') THEN lower({t}) ELSE {t} END"


def _ts(t: pd.Timestamp) -> str:
    return f"TIMESTAMPTZ '{t.isoformat()}'"


def _one(con, sql: str) -> dict:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone()))


def _div(a, b, scale=1.0):
    if a is None or b is None or b == 0:
        return None
    return a / b * scale


def period_figures(con, start: pd.Timestamp, end: pd.Timestamp, days: int) -> dict:
    s, e = _ts(start), _ts(end)
    f = _one(con, f"""
        SELECT sum(followers) AS followers FROM (
          SELECT arg_max(followers, date) AS followers FROM audience
          WHERE followers IS NOT NULL AND date < {e} GROUP BY platform)""")["followers"]
    inv = _one(con, f"""
        WITH p AS (SELECT who, source FROM inv WHERE occurred_at >= {s} AND occurred_at < {e}),
             per AS (SELECT who, count(*) AS n FROM p WHERE who IS NOT NULL GROUP BY who)
        SELECT (SELECT count(*) FROM p) AS actions,
               (SELECT count(*) FROM p WHERE source IN {SOCIAL}) AS social,
               (SELECT count(*) FROM per) AS people,
               (SELECT count(*) FROM per WHERE n >= 2) AS repeaters""")
    posts = _one(con, f"""
        SELECT count(*) AS posts, sum(reactions) AS reactions, sum(comments) AS comments, sum(shares) AS shares,
               sum(views) AS views, sum(reach) AS reach,
               count(*) FILTER (WHERE author_kind = 'organisation') AS org,
               count(*) FILTER (WHERE author_kind = 'community') AS community,
               avg(CASE WHEN author_kind = 'organisation' AND NOT (reactions IS NULL AND comments IS NULL
                        AND shares IS NULL)
                   THEN coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) END) AS org_eng
        FROM posts WHERE published_at >= {s} AND published_at < {e}""")
    co = _one(con, f"""
        WITH c AS (SELECT {_norm('contributor')} AS who FROM contributions
                   WHERE created_at >= {s} AND created_at < {e}
                   UNION ALL
                   SELECT {_norm('author')} FROM posts
                   WHERE author_kind = 'community' AND published_at >= {s} AND published_at < {e}),
             per AS (SELECT who, count(*) AS n FROM c WHERE who IS NOT NULL GROUP BY who)
        SELECT (SELECT count(*) FROM contributions WHERE created_at >= {s} AND created_at < {e}) AS items,
               (SELECT avg(engagement) FROM contributions WHERE created_at >= {s} AND created_at < {e}) AS eng,
               (SELECT count(*) FROM per) AS contributors,
               (SELECT count(*) FROM per WHERE n >= 2) AS repeat_contributors""")
    conn = _one(con, f"""
        WITH ok AS (SELECT * FROM edges WHERE t < {e}),
        acts AS (SELECT who, max(occurred_at) AS last FROM inv
                 WHERE occurred_at >= {s} AND occurred_at < {e} AND who IS NOT NULL GROUP BY 1),
        pairs AS (SELECT src, dst, min(t) AS t, bool_or(conv IS TRUE) AS yes, bool_or(conv IS FALSE) AS no
                  FROM ok GROUP BY src, dst),
        pin AS (SELECT pairs.*, (yes OR coalesce(acts.last >= pairs.t, FALSE)) AS converted
                FROM pairs LEFT JOIN acts ON acts.who = pairs.dst WHERE t >= {s} AND t < {e}),
        referred AS (SELECT DISTINCT dst AS who FROM ok WHERE t >= {s} AND t < {e}),
        referrers AS (SELECT DISTINCT src AS who FROM ok WHERE t >= {s} AND t < {e}),
        deep AS (SELECT DISTINCT dst AS who FROM ok),
        reached AS (SELECT who FROM acts UNION SELECT who FROM referred UNION SELECT who FROM referrers)
        SELECT (SELECT count(*) FROM referred) AS referred,
               (SELECT count(DISTINCT dst) FROM pin WHERE converted) AS new_people,
               (SELECT count(*) FROM pin WHERE converted) AS converted,
               (SELECT count(*) FROM pin WHERE yes OR no OR converted) AS known,
               (SELECT count(*) FROM reached) AS reached,
               (SELECT count(*) FROM reached JOIN deep USING (who)) AS deep_reached,
               (SELECT count(*) FROM referrers JOIN acts USING (who)) AS referrers_involved""")
    comm = _one(con, f"""
        SELECT count(*) AS n, sum(attendees) AS attendees,
               count(DISTINCT CASE WHEN lower(trim(partner)) <> '' THEN lower(trim(partner)) END) AS partners,
               count(*) FILTER (WHERE sales_related = FALSE) AS non_sales,
               count(sales_related) AS sales_known
        FROM community WHERE occurred_at >= {s} AND occurred_at < {e}""")
    months = days / (365.25 / 12)
    items = co["items"] + posts["community"]
    return {
        "components": {
            "people_per_1k_followers": _div(inv["people"], f, 1000),
            "social_actions_per_1k_followers": _div(inv["social"], f, 1000),
            "repeat_share": _div(inv["repeaters"], inv["people"]),
            "actions_per_1k_reactions": _div(inv["actions"], posts["reactions"], 1000),
            "community_content_share": _div(items, items + posts["org"]),
            "contributors_per_1k_followers": _div(co["contributors"], f, 1000),
            "repeat_contributor_share": _div(co["repeat_contributors"], co["contributors"]),
            "community_engagement_ratio": _div(co["eng"], posts["org_eng"]),
            "referred_per_1k_followers": _div(conn["referred"], f, 1000),
            "k_factor": _div(conn["new_people"], inv["people"]),
            "depth2_share": _div(conn["deep_reached"], conn["reached"]),
            "referral_conversion": _div(conn["converted"], conn["known"]),
            "referrer_share": _div(conn["referrers_involved"], inv["people"]),
            "activities_per_month": comm["n"] / months,
            "reach_per_1k_followers": _div(comm["attendees"], f, 1000),
            "distinct_partners": float(comm["partners"]),
            "non_sales_share": _div(comm["non_sales"], comm["sales_known"]),
        },
        "vanity": {"posts": posts["posts"], "reactions": posts["reactions"], "comments": posts["comments"],
                   "shares": posts["shares"], "views": posts["views"], "reach": posts["reach"],
                   "followers": f, "real_actions": inv["actions"], "people_involved": inv["people"]},
    }


def weekly(con, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """vanity_vs_real's sums and counts per Monday-started week (followers by an as-of join)."""
    s, e = _ts(start), _ts(end)
    return con.execute(f"""
        WITH buckets AS (
            SELECT unnest(generate_series(date_trunc('week', {s}), {e} - INTERVAL 1 microsecond,
                                          INTERVAL 7 day)) AS bucket),
        ends AS (SELECT bucket, least(bucket + INTERVAL 7 day, {e}) AS until FROM buckets),
        p AS (SELECT date_trunc('week', published_at) AS bucket, sum(reactions) AS reactions,
                     sum(comments) AS comments, sum(shares) AS shares, sum(views) AS views, count(*) AS posts
              FROM posts WHERE published_at >= {s} AND published_at < {e} GROUP BY 1),
        i AS (SELECT date_trunc('week', occurred_at) AS bucket, count(*) AS real_actions,
                     count(DISTINCT who) AS people_involved
              FROM inv WHERE occurred_at >= {s} AND occurred_at < {e} GROUP BY 1),
        c AS (SELECT date_trunc('week', created_at) AS bucket, count(*) AS contributions FROM contributions
              WHERE created_at >= {s} AND created_at < {e} GROUP BY 1),
        firsts AS (SELECT min(t) AS t FROM edges GROUP BY src, dst),
        r AS (SELECT date_trunc('week', t) AS bucket, count(*) AS referrals FROM firsts
              WHERE t >= {s} AND t < {e} GROUP BY 1),
        plats AS (SELECT DISTINCT platform FROM audience),
        grid AS (SELECT bucket, until, platform FROM ends CROSS JOIN plats),
        known AS (SELECT platform, date, followers FROM audience WHERE followers IS NOT NULL),
        f AS (SELECT grid.bucket, sum(known.followers) AS followers
              FROM grid ASOF LEFT JOIN known ON grid.platform = known.platform AND grid.until > known.date
              GROUP BY 1)
        SELECT ends.bucket, p.reactions, p.comments, p.shares, p.views, f.followers,
               coalesce(p.posts, 0) AS posts, coalesce(i.real_actions, 0) AS real_actions,
               coalesce(i.people_involved, 0) AS people_involved, coalesce(c.contributions, 0) AS contributions,
               coalesce(r.referrals, 0) AS referrals
        FROM ends LEFT JOIN p USING (bucket) LEFT JOIN i USING (bucket) LEFT JOIN c USING (bucket)
             LEFT JOIN r USING (bucket) LEFT JOIN f USING (bucket)
        ORDER BY bucket""").df()


PREPARE = (
    # People normalised once, like a load step would (the harness does it inside each call).
    f"""CREATE TEMP TABLE inv AS SELECT occurred_at, source, {_norm('person')} AS who FROM involvement""",
    f"""CREATE TEMP TABLE edges AS SELECT * FROM (
          SELECT {_norm('referrer')} AS src, {_norm('referred')} AS dst, occurred_at AS t, converted AS conv
          FROM referrals
          UNION ALL
          SELECT {_norm('referred_by')}, {_norm('person')}, occurred_at, TRUE FROM involvement
          WHERE referred_by IS NOT NULL AND person IS NOT NULL)
        WHERE src IS NOT NULL AND dst IS NOT NULL AND src <> dst""",
)


def run(tables: dict[str, pd.DataFrame], period) -> dict:
    import duckdb
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET threads = 2")
    for name, df in tables.items():
        con.register(name, df)
    for sql in PREPARE:
        con.execute(sql)
    t1 = time.perf_counter()
    prev = period.previous()
    out = {
        "current": period_figures(con, period.start_ts, period.end_ts, period.days),
        "previous": period_figures(con, prev.start_ts, prev.end_ts, prev.days),
        "weekly": weekly(con, period.start_ts, period.end_ts),
    }
    t2 = time.perf_counter()
    out.update(register_s=t1 - t0, query_s=t2 - t1, total_s=t2 - t0)
    return out


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def compare(card, weekly_harness: pd.DataFrame, duck: dict) -> list[str]:
    """Every figure DuckDB computed that differs from the harness's (empty when all agree)."""
    bad, checked = [], 0
    for which in ("current", "previous"):
        comps = {c.key: c for p in card.pillars.values() for c in p.components}
        for key, value in duck[which]["components"].items():
            c = comps[key]
            mine = c.value if which == "current" else c.previous_value
            checked += 1
            if not _same(mine, value) and not (mine is None and c.available):  # "full marks" has no value
                bad.append(f"{which} {key}: harness {mine} vs duckdb {value}")
        for key, value in duck[which]["vanity"].items():
            checked += 1
            if not _same(card.vanity[which][key], value):
                bad.append(f"{which} vanity {key}: harness {card.vanity[which][key]} vs duckdb {value}")
    d = duck["weekly"]
    h = weekly_harness
    if len(d) != len(h):
        return bad + [f"weekly: {len(h)} harness buckets vs {len(d)} duckdb"]
    for col in ("reactions", "comments", "shares", "views", "followers", "posts", "real_actions",
                "people_involved", "contributions", "referrals"):
        for x, y in zip(h[col].tolist(), d[col].tolist()):
            checked += 1
            x = None if x is pd.NA else x
            y = None if y is pd.NA else y
            if not _same(x, y):
                bad.append(f"weekly {col}: harness {x} vs duckdb {y}")
                break
    duck["checked"] = checked
    return bad
