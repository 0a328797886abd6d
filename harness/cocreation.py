"""Where Co-creation's content comes from, per source: what it counts and why (shown on the Co-creation page).

Pure Python. The counting rules themselves live with the readers (``ingest.stories`` for forms, the social
readers for posts by others, ``ingest.templates`` for the contributions log); this module only counts what
they produced, in the period, and says it in words.
"""

from __future__ import annotations

from harness import periods

FORM_PREFIX = "form-story:"


def sources(ds, period=None) -> list[dict]:
    """One entry per source: ``label``, ``items`` (in the period), ``counts`` (what), ``why``, and for forms
    ``consent`` (yes / no / not asked counts)."""
    contrib = ds["contributions"] if period is None else periods.in_period(ds["contributions"], "contributions",
                                                                           period)
    posts = ds["posts"] if period is None else periods.in_period(ds["posts"], "posts", period)
    from_form = contrib["record_id"].str.startswith(FORM_PREFIX).fillna(False).astype(bool)
    forms, log = contrib[from_form], contrib[~from_form]
    consent = forms["consent"]
    yes, no = int(consent.eq(True).sum()), int(consent.eq(False).sum())
    reviews = log[log["kind"].isin(["review", "testimonial"])]
    others = posts[posts["author_kind"] == "community"]
    return [
        {
            "key": "forms", "label": "Story and photo forms", "items": int(len(forms)),
            "counts": "Each form submission with a photo, video or file upload (Google Forms writes these as "
                      "Drive links), or a story of 20 characters or more: one per submission, however many "
                      "files it holds.",
            "why": "Someone made something for you: a story, a photo, a video you can use.",
            "consent": {"yes": yes, "no": no, "not_answered": int(len(forms)) - yes - no},
        },
        {
            "key": "posts", "label": "Posts by others", "items": int(len(others)),
            "counts": "Posts in your social exports whose author is not your organisation, where the export "
                      "names the author.",
            "why": "Content others publish about you reaches their own connections. The exports read today list "
                   "only your own posts (Meta Business Suite, X, YouTube, TikTok), and LinkedIn's 'Posted by' "
                   "names the admin who posted for your page, so those stay your own.",
        },
        {
            "key": "reviews", "label": "Reviews", "items": int(len(reviews)),
            "counts": "Reviews and recommendations: rows of kind review or testimonial in the contributions log.",
            "why": "A review is content a connection wrote for others to read. No platform's reviews export is "
                   "read yet, so log them in the contributions log (kind: review).",
        },
        {
            "key": "log", "label": "Contributions log", "items": int(len(log)),
            "counts": "Each row of the contributions log you keep by hand (photos, stories, reviews, "
                      "articles...).",
            "why": "What you know people made for you that no export shows.",
        },
    ]


def consent_text(consent: dict) -> str:
    """"2 of 4 may be shared, 1 said no, 1 did not answer" for the forms' consent answers."""
    total = sum(consent.values())
    if not total:
        return "No submissions in this period."
    parts = [f"{consent['yes']} of {total} may be shared"]
    if consent["no"]:
        parts.append(f"{consent['no']} said no")
    if consent["not_answered"]:
        parts.append(f"{consent['not_answered']} did not answer or were not asked")
    return ", ".join(parts)


def has_items(ds) -> bool:
    return bool(len(ds["contributions"]) or (ds["posts"]["author_kind"] == "community").any())

