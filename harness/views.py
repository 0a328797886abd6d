"""Small aggregations the pages show, kept here so they are tested, not in pages/.

Everything takes a Dataset and a Period and returns a small DataFrame (a few
hundred rows at most), so charts never send raw rows to the browser.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from harness import format as fmt
from harness import schema
from harness.ingest.core import platforms
from harness.network import referral_index
from harness.periods import Period, in_period
from harness.storage import shown_name

ACTION_LABELS = {
    "enquiry": "Enquiry", "call": "Phone call", "visit": "Visit", "volunteer": "Volunteering",
    "donation": "Donation", "enrolment": "Enrolment", "event": "Came to an event",
    "membership": "Membership / sign-up", "other": "Other", "unknown": "Not recorded",
}
# schema.COMMUNITY_KINDS as a legend reads them
COMMUNITY_KIND_LABELS = {
    "event": "Event", "partnership": "Partnership", "service": "Service", "sponsorship": "Sponsorship",
    "volunteering": "Volunteering", "media": "Media", "other": "Other", "unknown": "Not recorded",
}
SOURCE_LABELS = fmt.SOURCE_NAMES  # one spelling of every platform (harness/format.py)


def freq_for(period: Period) -> str:
    """Weekly buckets up to about half a year, monthly beyond: keeps charts readable."""
    return "W-MON" if period.days <= 190 else "MS"


def _bucket(times: pd.Series, freq: str) -> pd.Series:
    naive = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if freq.startswith("W"):
        return naive.dt.to_period("W-SUN").dt.start_time  # weeks start on Monday
    return naive.dt.to_period("M").dt.start_time


def counts_over_time(dataset, table: str, period: Period, by: str | None = None, labels: dict | None = None,
                     max_categories: int | None = 8) -> pd.DataFrame:
    """Rows per time bucket (and per ``by`` category): columns bucket, [by], count.

    At most ``max_categories`` categories: the rest are counted as "Other".
    """
    df = in_period(dataset[table], table, period)
    freq = freq_for(period)
    out = pd.DataFrame({"bucket": _bucket(df[schema.TIME_COLUMN[table]], freq)})
    keys = ["bucket"]
    if by:
        out[by] = df[by].fillna("unknown").to_numpy()
        if labels:
            out[by] = out[by].map(lambda v: labels.get(v, str(v).replace("_", " ").capitalize()))
        keys.append(by)
    if out.empty:
        return pd.DataFrame(columns=keys + ["count"])
    if by and max_categories:
        # A legend of 15 colours cannot be read: keep the biggest, fold the rest into "Other".
        top = out[by].value_counts()
        if len(top) > max_categories:
            keep = set(top.index[: max_categories - 1])
            out[by] = out[by].where(out[by].isin(keep), "Other")
    return out.groupby(keys, observed=True).size().rename("count").reset_index()


def top_counts(values: pd.Series, n: int = 10, labels: dict | None = None, name: str = "name") -> pd.DataFrame:
    counts = values.dropna().value_counts().head(n)
    out = counts.rename_axis(name).rename("count").reset_index()
    if labels:
        out[name] = out[name].map(lambda v: labels.get(v, v))
    return out


def involvement_summary(dataset, period: Period) -> dict:
    in_p = period.mask(dataset["involvement"]["occurred_at"]).to_numpy(bool)
    inv = dataset["involvement"][in_p]
    # People are numbered once per dataset (network.ReferralIndex), as the scores and vanity vs real count them.
    codes = referral_index(dataset).inv_code[in_p]
    per_person = np.bincount(codes[codes >= 0])
    social = inv["source"].isin(schema.SOCIAL_PLATFORMS)
    return {
        "actions": int(len(inv)),
        "people": int(np.count_nonzero(per_person)),
        "repeat_people": int((per_person >= 2).sum()),
        "social_actions": int(social.sum()),
        "money": float(inv.loc[inv["action"] == "donation", "value"].sum(skipna=True)),
        "volunteer_hours": float(inv.loc[inv["action"] == "volunteer", "value"].sum(skipna=True)),
    }


def funnel(dataset, period: Period) -> pd.DataFrame:
    """From social engagement to real actions, for the funnel chart.

    Stages: reached (sum of post reach), engaged (reactions+comments+shares),
    clicked (post clicks), real actions from social sources, people involved
    via social. Stages with no data are dropped rather than shown as 0.
    """
    posts = in_period(dataset["posts"], "posts", period)
    org = posts[posts["author_kind"] == "organisation"]
    inv = in_period(dataset["involvement"], "involvement", period)
    social = inv[inv["source"].isin(schema.SOCIAL_PLATFORMS)]

    def total(col):
        s = org[col]
        return int(s.sum()) if s.notna().any() else None

    engaged_parts = [org[c] for c in ("reactions", "comments", "shares") if org[c].notna().any()]
    engaged = int(sum(p.sum() for p in engaged_parts)) if engaged_parts else None
    rows = [
        ("Reached (post reach)", total("reach")),
        ("Engaged (reactions, comments, shares)", engaged),
        ("Clicked", total("clicks")),
        ("Real actions from social media", int(len(social))),
        ("People involved via social media", int(schema.normalise_person(social["person"]).nunique())),
    ]
    return pd.DataFrame([(s, v) for s, v in rows if v is not None], columns=["stage", "count"])


def contributors_table(dataset, period: Period, n: int = 15) -> pd.DataFrame:
    c = in_period(dataset["contributions"], "contributions", period)
    if c.empty:
        return pd.DataFrame(columns=["contributor", "items", "used_by_us", "engagement", "may_share"])
    g = c.assign(contributor=schema.normalise_person(c["contributor"])).groupby("contributor")
    out = pd.DataFrame({
        "items": g.size(),
        "used_by_us": g["used_by_org"].sum(min_count=1),  # NA where nobody said (a form's submissions)
        "engagement": g["engagement"].sum(min_count=1),
        "may_share": g["consent"].sum(min_count=1),  # items whose sender said yes; NA where nobody was asked
    }).sort_values(["items", "engagement"], ascending=False).head(n)
    return out.reset_index()


def content_mix(dataset, period: Period) -> pd.DataFrame:
    """Organisation posts vs community-created items per time bucket."""
    freq = freq_for(period)
    posts = in_period(dataset["posts"], "posts", period)
    contrib = in_period(dataset["contributions"], "contributions", period)
    org = posts[posts["author_kind"] == "organisation"]
    comm_posts = posts[posts["author_kind"] == "community"]
    parts = [
        pd.DataFrame({"bucket": _bucket(org["published_at"], freq), "who": "Organisation posts"}),
        pd.DataFrame({"bucket": _bucket(comm_posts["published_at"], freq), "who": "Community-created"}),
        pd.DataFrame({"bucket": _bucket(contrib["created_at"], freq), "who": "Community-created"}),
    ]
    df = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if df is None:
        return pd.DataFrame(columns=["bucket", "who", "count"])
    return df.groupby(["bucket", "who"]).size().rename("count").reset_index()


def engagement_comparison(dataset, period: Period) -> pd.DataFrame:
    """Mean engagement per item: community content vs the organisation's own posts."""
    posts = in_period(dataset["posts"], "posts", period)
    org = posts[posts["author_kind"] == "organisation"]
    contrib = in_period(dataset["contributions"], "contributions", period)
    org_eng = org[["reactions", "comments", "shares"]].sum(axis=1, min_count=1).dropna()
    rows = []
    if len(org_eng):
        rows.append(("Organisation posts", float(org_eng.mean()), int(len(org_eng))))
    ce = contrib["engagement"].dropna()
    if len(ce):
        rows.append(("Community-created content", float(ce.mean()), int(len(ce))))
    return pd.DataFrame(rows, columns=["who", "mean_engagement", "items"])


def community_summary(dataset, period: Period) -> dict:
    c = in_period(dataset["community"], "community", period)
    known = c["sales_related"].dropna()
    return {
        "activities": int(len(c)),
        "attendees": int(c["attendees"].sum()) if c["attendees"].notna().any() else None,
        "hours": float(c["hours"].sum()) if c["hours"].notna().any() else None,
        "partners": int(c["partner"].dropna().nunique()),
        "non_sales_share": float((~known.astype(bool)).mean()) if len(known) else None,
    }


def partners_table(dataset, period: Period, n: int = 15) -> pd.DataFrame:
    c = in_period(dataset["community"], "community", period)
    c = c[c["partner"].notna()]
    if c.empty:
        return pd.DataFrame(columns=["partner", "activities", "attendees", "hours"])
    g = c.groupby("partner")
    out = pd.DataFrame({
        "activities": g.size(),
        "attendees": g["attendees"].sum(min_count=1),
        "hours": g["hours"].sum(min_count=1),
    }).sort_values(["activities", "attendees"], ascending=False).head(n)
    return out.reset_index()


UNLOCKS = {
    "posts": "Post exports (Facebook, Instagram, LinkedIn, X…) give reactions per post, the 'real actions per 1,000 reactions' ratio and the posts ranked two ways.",
    "audience": "Follower exports give the 'per 1,000 followers' denominators used by most components (or type follower counts in Settings).",
    "involvement": "An involvement log, enquiry form, Eventbrite or CRM export scores the Involvement pillar: calls, visits, volunteering, donations.",
    "referrals": "A referrals log, or a form asking 'Who referred you?', scores Connections of connections and draws the referral network.",
    "contributions": "A form where people send stories and photos (or a contributions log) scores Co-creation.",
    "community": "A log of community events, partnerships and service scores Wider community (events exports "
                 "do too, once you confirm which are community activities).",
    "events": "Eventbrite attendees, SignUpGenius sign-ups or an event sign-up form: each event becomes a "
              "proposed community activity for Wider community.",
}


def coverage_table(dataset) -> pd.DataFrame:
    """Which inputs are loaded, their date ranges, and what a missing one would unlock."""
    rows = []
    for name in schema.TABLES:
        df = dataset[name]
        col = df[schema.TIME_COLUMN[name]].dropna()
        loaded = len(df) > 0
        rows.append({
            "table": schema.TABLE_LABELS[name],
            "loaded": "yes" if loaded else "missing",
            "rows": int(len(df)),
            "from": col.min().date().isoformat() if loaded and len(col) else "",
            "to": col.max().date().isoformat() if loaded and len(col) else "",
            "what it gives you": "" if loaded else UNLOCKS[name],
        })
    return pd.DataFrame(rows)


def weakest_components(card, n: int = 3) -> list:
    """The available components with the lowest scores across all pillars (ties: pillar order)."""
    found = []
    for p_index, pillar in enumerate(card.pillars.values()):
        for c_index, c in enumerate(pillar.components):
            if c.available and c.score is not None:
                found.append((c.score, p_index, c_index, pillar, c))
    found.sort(key=lambda t: t[:3])
    return [(pillar, c) for _, _, _, pillar, c in found[:n]]


def percent(share: float) -> float:
    """A share (0.35) as the number of percent staff read and type (35.0), without float noise (35.00000000000001)."""
    return round(float(share) * 100, 6)


def settings_rows(settings) -> list[dict]:
    """The Settings table as staff read and edit it (``targets.component_table`` in their units).

    A share's target is shown and typed in percent (0.5 reads 50, measured as "% of involved people");
    every default reads as on the other pages ("50%", "0.3", "250"). The rows keep what
    :func:`settings_with_edits` needs to read an edit back: ``percent``, ``stored_target`` and ``default_value``.
    """
    from harness import targets

    rows = []
    for r in targets.component_table(settings):
        share = r["unit"].startswith("share of ")
        rows.append({**r,
                     "unit": "% of " + r["unit"].removeprefix("share of ") if share else r["unit"],
                     "target": percent(r["target"]) if share else r["target"],
                     "default_target": fmt.value(r["default_target"], r["unit"]),
                     "percent": share, "stored_target": r["target"], "default_value": r["default_target"]})
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def settings_with_edits(settings: dict, edited: list[dict], org_type: str | None = None) -> dict:
    """New settings (JSON form) from rows of the Settings table as staff edited them.

    Only values that differ from the organisation type's defaults are stored
    as overrides, so changing the organisation type later moves the rest.
    Rows need ``key``, ``target``, ``default_target``, ``weight``, ``default_weight``; rows of
    :func:`settings_rows` hold a share's target in percent (``percent``), read back as a share, and a target
    shown unchanged keeps its stored value exactly (``stored_target``), digits beyond the shown ones included.
    """
    out = {**settings, "targets": dict(settings.get("targets", {})), "weights": dict(settings.get("weights", {}))}
    if org_type:
        out["org_type"] = org_type
    for row in edited:
        key = row["key"]
        target = row.get("target")
        if row.get("percent") and not _blank(target):
            stored = row.get("stored_target")
            target = stored if stored is not None and float(target) == percent(stored) else float(target) / 100
        pairs = (("targets", target, row.get("default_value", row.get("default_target"))),
                 ("weights", row.get("weight"), row["default_weight"]))
        for store_name, value, default in pairs:
            store = out[store_name]
            if _blank(value) or float(value) == float(default):
                store.pop(key, None)
            else:
                store[key] = float(value)
    return out


REPORT_COLUMNS = ["File", "Status", "Detected as", "Platforms", "Rows read", "Rows rejected", "From", "To",
                  "Read into", "Problem"]


def report_rows(reports) -> pd.DataFrame:
    """One row per ingest FileReport, in words, for the Data page (headers as the page shows them)."""
    rows = []
    for r in reports:
        span = r.date_range if r.ok else None
        rows.append({
            "File": shown_name(r.file_name),  # a second Follows.csv kept beside the first: "Follows.csv (2)"
            "Status": "loaded" if r.ok and r.tables else ("nothing to load" if r.ok else "not loaded"),
            "Detected as": r.source_label or "not recognised",
            # A two-section Meta file feeds two platforms; a form feeds none (its rows are people's actions).
            "Platforms": ", ".join(fmt.platform(p) for p in platforms(r)),
            "Rows read": int(r.rows_read),
            "Rows rejected": len(r.rejected),
            "From": span[0].date().isoformat() if span else "",
            "To": span[1].date().isoformat() if span else "",
            # After the dates: its long table names would push them out of a 1400 px page.
            "Read into": ", ".join(f"{schema.TABLE_LABELS[t]} ({len(df):,})" for t, df in r.tables.items()),
            "Problem": r.error or "",
        })
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def rejected_rows(report, limit: int = 200) -> pd.DataFrame:
    return pd.DataFrame([{"Line": p.line, "Reason": p.reason} for p in report.rejected[:limit]],
                        columns=["Line", "Reason"])


def stacked_rows(frame: pd.DataFrame, title: str, fields: list[str] | None = None,
                 omit_zero: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Each row of a table as a title and one line of "Header: value" pairs, for a phone, where the table
    itself would scroll sideways: ("Follows.csv", "Status: loaded · Rows read: 3 · From: 2025-09-01").

    ``title`` is the column that names the row; ``fields`` (default: every other column, in order) the ones
    shown after it. Empty cells are left out, and so is a 0 in an ``omit_zero`` column ("Rows rejected: 0");
    numbers are written as on the pages (``format.value``).
    """
    fields = [c for c in frame.columns if c != title] if fields is None else fields
    out = []
    for row in frame.to_dict("records"):
        parts = []
        for name in fields:
            text = _cell_text(row.get(name))
            if name in omit_zero and fmt.as_number(row.get(name)) == 0:
                continue
            if text:
                parts.append(f"{name}: {text}")
        out.append((_cell_text(row.get(title)) or fmt.MISSING, " · ".join(parts)))
    return out


def _cell_text(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if fmt.as_number(v) is not None:
        return fmt.value(v)
    if v is None or not isinstance(v, str):
        return "" if v is None or (pd.api.types.is_scalar(v) and pd.isna(v)) else str(v)
    return v.strip()


def source_counts(dataset, period: Period, n: int = 10) -> pd.DataFrame:
    """The top sources of real actions in the period (columns source, count)."""
    inv = in_period(dataset["involvement"], "involvement", period)
    return top_counts(inv["source"], n=n, labels=SOURCE_LABELS, name="source")


def distinct_values(dataset, table: str, column: str) -> list[str]:
    """Sorted distinct non-empty values of one column (for filter choices such as platforms or channels)."""
    return sorted(str(v) for v in dataset[table][column].dropna().unique().tolist())


def has_referral_data(dataset) -> bool:
    return dataset.has("referrals") or bool(dataset["involvement"]["referred_by"].notna().any())


def has_co_creation_data(dataset) -> bool:
    return dataset.has("contributions") or bool((dataset["posts"]["author_kind"] == "community").any())


def explain_rows(pillar) -> pd.DataFrame:
    """The "how this score was worked out" table as text a person reads: no None, shares as percentages.

    ``pillar`` is a ``scoring.PillarScore`` or its ``to_dict()`` (the review page's frozen form).
    """
    comps = pillar.components if hasattr(pillar, "components") else pillar.get("components") or []
    rows = []
    for c in comps:
        get = (lambda k: getattr(c, k, None)) if not isinstance(c, dict) else c.get
        available = bool(get("available"))
        unit = get("unit")
        rows.append({
            "Component": get("label"),
            "Value": fmt.value(get("value"), unit or "") if available else "not available",
            "Measured as": unit,
            "Target": fmt.value(get("target"), unit or ""),
            "Score (0–100)": fmt.number(get("score")) if available else fmt.MISSING,
            "Weight": fmt.number(get("weight"), 1),
            "Points added": fmt.number(get("contribution"), 1) if available else fmt.MISSING,
            "How it is computed": get("how") if available else f"Not available: {get('reason') or 'no data yet'}",
        })
    return pd.DataFrame(rows, columns=["Component", "Value", "Measured as", "Target", "Score (0–100)", "Weight",
                                       "Points added", "How it is computed"])


CONNECTOR_COLUMNS = {"person": "Person", "reach_in_period": "Reach in period", "downstream_reach": "All downstream",
                     "direct_referrals": "Direct referrals", "converted": "Converted", "depth": "Depth"}


def connectors_display(table: pd.DataFrame, sort_by: str) -> pd.DataFrame:
    """Top connectors with plain headers, sorted (descending) by ``sort_by``, which is one of the shown columns."""
    keep = [c for c in CONNECTOR_COLUMNS if c in table.columns]
    if sort_by not in keep:
        raise ValueError(f"cannot sort by '{sort_by}': it is not shown ({', '.join(keep)})")
    out = table[keep].sort_values([sort_by, "person"], ascending=[False, True], kind="stable")
    return out.rename(columns=CONNECTOR_COLUMNS).reset_index(drop=True)
