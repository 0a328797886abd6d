"""Tables for showing a frozen review snapshot (``reviews.build_snapshot``) on the review page.

A snapshot is JSON: numbers, text and ISO dates only. These functions turn
its parts back into the small frames the page and the charts draw, without
touching any workspace data. Text in them comes from uploads and must still be
escaped where it is rendered (the review page shows it through
``st.dataframe`` and ``safety.md_escape``).
"""

from __future__ import annotations

import pandas as pd

from harness import format as fmt
from harness import views
from harness.targets import PILLARS

# (key in the network headline, label, digits or None for a share, is a share)
NETWORK_FIGURES = (
    ("people", "People reached (referred or involved)", 0, False),
    ("depth2_share", "Reached through someone else (depth 2+)", None, True),
    ("k_factor", "K-factor (converted referrals per involved person)", 2, False),
    ("referral_conversion", "Referral conversion", None, True),
    ("referrals", "Referrals made", 0, False),
    ("converted_referrals", "People brought in by a referral", 0, False),
    ("largest_cascade", "Largest cascade (people)", 0, False),
    ("deepest_cascade", "Deepest cascade (levels)", 0, False),
)


def value_text(value, digits: int = 0, share: bool = False) -> str:
    return fmt.share(value) if share else fmt.number(value, digits)


def partial_line(pillar: dict) -> str | None:
    """"From N of M measures", what is missing and how to add it (``scoring.partial_note``)."""
    from harness.scoring import partial_note

    return partial_note(pillar)


def pillars(snapshot: dict) -> list[dict]:
    """The four pillars in display order, as the snapshot froze them (missing ones skipped)."""
    found = (snapshot.get("scorecard") or {}).get("pillars") or {}
    return [dict(found[k], key=k) for k in PILLARS if k in found]


def components_frame(pillar: dict) -> pd.DataFrame:
    """One row per component as text a person reads (``views.explain_rows``, the same table the workspace shows):
    no None or nan when a component is not available, shares as percentages."""
    return views.explain_rows(pillar)


def vanity_summary(snapshot: dict) -> list[dict]:
    """Vanity and real figures with change, e.g. {"label", "kind", "value", "delta", "digits"}."""
    out = []
    for r in (snapshot.get("vanity") or {}).get("summary") or []:
        digits = 1 if r.get("metric") == "real_actions_per_1k_reactions" else 0
        out.append({"label": r.get("label") or r.get("metric"), "kind": r.get("kind"),
                    "value": value_text(r.get("current"), digits), "delta": fmt.change(r.get("change"), digits)})
    return out


WEEKLY_COLUMNS = ("engagement", "reactions", "followers", "real_actions", "people_involved")


def weekly_frame(snapshot: dict) -> pd.DataFrame:
    """The weekly vanity-vs-real rows with ``bucket`` as UTC times, ready for ``charts.vanity_vs_real_chart``."""
    df = pd.DataFrame((snapshot.get("vanity") or {}).get("weekly") or [])
    if df.empty or "bucket" not in df:
        return pd.DataFrame(columns=["bucket", "days", *WEEKLY_COLUMNS])
    df["bucket"] = pd.to_datetime(df["bucket"], utc=True)
    for col in ("days", *WEEKLY_COLUMNS):
        df[col] = pd.to_numeric(df[col], errors="coerce") if col in df else float("nan")
    return df


def network_figures(snapshot: dict) -> pd.DataFrame:
    """The referral network's headline figures for the period, with change against the previous one."""
    net = snapshot.get("network") or {}
    head, change = net.get("headline") or net, net.get("change") or {}
    rows = [{"Figure": label, "This period": value_text(head.get(key), digits or 0, share),
             "Change": fmt.change(change.get(key), digits or 0, share) or "–"}
            for key, label, digits, share in NETWORK_FIGURES]
    return pd.DataFrame(rows, columns=["Figure", "This period", "Change"])


def connectors_frame(snapshot: dict, n: int = 10) -> pd.DataFrame:
    """Top connectors by reach in the period (names as frozen: pseudonyms unless staff chose otherwise)."""
    net = snapshot.get("network") or {}
    rows = [{"Person": r.get("person"), "Reach in period": fmt.as_number(r.get("reach_in_period")),
             "All downstream": fmt.as_number(r.get("downstream_reach")), "Direct referrals": fmt.as_number(r.get("direct_referrals")),
             "Converted": fmt.as_number(r.get("converted")), "Depth": fmt.as_number(r.get("depth"))}
            for r in (net.get("top_by_reach") or [])[:n]]
    return pd.DataFrame(rows, columns=["Person", "Reach in period", "All downstream", "Direct referrals",
                                       "Converted", "Depth"])


def pyramid_frame(snapshot: dict) -> pd.DataFrame:
    """The engagement pyramid rows (lowest level first), for ``charts.pyramid_chart``."""
    df = pd.DataFrame(snapshot.get("pyramid") or [])
    if df.empty:
        return pd.DataFrame(columns=["level", "label", "people", "previous_people", "change", "estimate", "basis"])
    df["estimate"] = df["estimate"].fillna(False).astype(bool) if "estimate" in df else False
    for col in ("people", "previous_people", "change"):
        df[col] = pd.to_numeric(df[col], errors="coerce") if col in df else float("nan")
    return df


def chart_specs(snapshot: dict) -> dict[str, dict]:
    """The charts the review page draws, as Vega-Lite specs (data inline), keyed by name.

    Built once per review and reused for every visitor: building and validating the Altair charts is most
    of the server's work for a review page, and a published snapshot never changes. Keys: ``vanity`` and
    ``pyramid``, each only when the snapshot has data for it. (The page explains each score with its
    components table; the per-pillar component charts are in the HTML report.)
    """
    from harness import charts

    specs = {}
    weekly = weekly_frame(snapshot)
    if len(weekly):
        label = fmt.bucket_label((snapshot.get("vanity") or {}).get("freq"))
        specs["vanity"] = charts.vanity_vs_real_chart(weekly, label).to_dict()
    pyramid = pyramid_frame(snapshot)
    if len(pyramid):
        specs["pyramid"] = charts.pyramid_chart(pyramid).to_dict()
    return specs
