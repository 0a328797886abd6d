"""The guided first run: which exports to fetch, where each one lives, and what each file unlocked.

Pure data and rules (no Streamlit). The Data page shows :data:`ITEMS` as a
checklist on an empty workspace; :func:`progress` ticks items as files arrive
(by the source ingest recognised in each file, so a renamed file still
counts) and :func:`unlocked` says which pillars a new upload made scoreable.

Where the steps come from (checked against public material, not memory alone):

* Layouts and menu paths of every export the readers accept: ``sample_data/README.md`` and
  ``/work/shared/real-exports/README.md`` (real files published in public repositories).
* TikTok Studio: TikTok Creator Academy, "Understanding your analytics"
  (tiktok.com/creator-academy/en/article/tool-analytics-intro): Studio on the web > Analytics tab;
  7/28/60/365 days or a custom range; data downloads cover up to 365 days at a time.
* X: account analytics live at x.com/i/account_analytics and need an X Premium subscription
  (the page's own access note); the classic ``tweet_activity_metrics`` export is still read.
* Meta (Facebook, Instagram): Business Suite > Insights; posts from the Content view, page
  totals one metric per file from the Overview (the per-metric layout in the sample README).
* Google Forms: Responses tab > More (three dots) > Download responses (.csv).
* Eventbrite: Manage attendees > Reports > Attendee summary > Export, as CSV.

"Can be scored" is decided by :func:`harness.scoring.pillar_spans` (a pillar can be scored
once any of its own input data is loaded), so this module and the scores never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.scoring import PILLARS, pillar_spans


@dataclass(frozen=True)
class Export:
    """One platform's export: where to find it, which options to choose, and what we read from it."""

    platform: str  # as the platform spells itself
    name: str  # what the platform calls the download
    steps: tuple[str, ...]
    options: str
    reads: str
    sources: tuple[str, ...]  # ingest source ids that mean "this export has arrived"
    help_url: str = ""


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    why: str
    exports: tuple[Export, ...]
    feeds: tuple[str, ...]  # pillar keys this item's data can make scoreable


_META_POSTS = ("Open business.facebook.com (Meta Business Suite) and choose your Page.",
               "Go to Insights, then Content.",
               "Set the date range (one quarter at a time is easiest), then click Export data.")

ITEMS: tuple[Item, ...] = (
    Item("posts", "Posts from each platform",
         "Your own posts with their likes, comments and shares: the context for every score.",
         (
             Export("Facebook", "Meta Business Suite posts export", _META_POSTS + (
                 "Choose Facebook as the account and CSV as the format.",),
                 "All columns; Facebook posts; CSV.",
                 "Each post's publish time, type, reactions, comments, shares, views and reach.",
                 ("meta_facebook_posts", "facebook_insights_legacy")),
             Export("Instagram", "Meta Business Suite posts export", _META_POSTS + (
                 "Choose Instagram as the account and CSV as the format.",),
                 "All columns; Instagram posts; CSV.",
                 "Each post's publish time, type, likes, comments, shares, saves, views and reach.",
                 ("meta_instagram_posts",)),
             Export("LinkedIn", "Page analytics: Content export",
                    ("Open your LinkedIn Page as an admin (the Page admin view).",
                     "Go to Analytics, then Content.",
                     "Click Export, pick the time range (up to a year), and download the .xls file."),
                    "Content; the longest time range you need; leave the file as LinkedIn wrote it.",
                    "The All posts sheet (each post's date, link, impressions, reactions, comments, reposts) "
                    "and the daily Metrics sheet.",
                    ("linkedin_content",)),
             Export("X", "Account analytics: Content export",
                    ("Open x.com/i/account_analytics (it needs an X Premium subscription).",
                     "Choose Content, set the date range, then click Export data.",
                     "An older tweet_activity_metrics CSV from the classic analytics page works too."),
                    "Posts (not replies) for the date range; CSV.",
                    "Each post's date, impressions, likes, replies, reposts, bookmarks and link clicks.",
                    ("x_tweet_activity", "x_content"), "https://x.com/i/account_analytics"),
             Export("YouTube", "YouTube Studio: Advanced mode export",
                    ("Open studio.youtube.com, then Analytics.",
                     "Click Advanced mode (top right) and keep the Content tab.",
                     "Set the date range, then Export current view > Comma-separated values (.csv).",
                     "Upload the zip YouTube gives you as it is: it holds Table data, Chart data and Totals."),
                    "Content dimension; CSV; the whole zip.",
                    "Per video: publish time, views, likes, comments and shares (Table data); daily views and "
                    "subscribers (Totals).",
                    ("youtube_table",)),
         ),
         ()),
    Item("followers", "Followers over time",
         "How many people follow you at each date, so every figure can say 'per 1,000 followers'.",
         (
             Export("Facebook", "Meta Business Suite: Overview, one metric per file",
                    ("In Meta Business Suite go to Insights, then Overview.",
                     "On the Followers (and Follows) chart click the download arrow.",
                     "Do the same for Instagram followers if you use Instagram."),
                    "Daily values; the same date range as your posts.",
                    "The running follower total and new follows per day.",
                    ("meta_page_metric",)),
             Export("LinkedIn", "Page analytics: Followers export",
                    ("In your LinkedIn Page's admin view go to Analytics, then Followers.",
                     "Click Export, pick the time range and download the .xls file."),
                    "Followers; the same time range as your content export.",
                    "New followers per day and the total (the demographic sheets are ignored).",
                    ("linkedin_followers", "linkedin_visitors")),
             Export("X", "Account analytics: Overview export",
                    ("In x.com/i/account_analytics choose Overview, set the dates and click Export data.",),
                    "Daily; CSV.",
                    "Daily new follows, impressions and profile visits.",
                    ("x_overview",), "https://x.com/i/account_analytics"),
             Export("TikTok", "TikTok Studio: Analytics download",
                    ("Open TikTok Studio on the web (tiktok.com/tiktokstudio) and choose Analytics in the left bar.",
                     "Pick the date range (up to 365 days can be downloaded at a time).",
                     "Click Download data and choose CSV; do it on the Overview and the Followers tabs."),
                    "Overview and Followers; CSV; up to 365 days.",
                    "Follower history, daily viewers, video views, likes, comments and shares.",
                    ("tiktok_followers", "tiktok_viewers", "tiktok_overview"),
                    "https://www.tiktok.com/creator-academy/en/article/tool-analytics-intro"),
             Export("YouTube", "YouTube Studio: the same Advanced mode zip",
                    ("The zip from the posts step already holds Totals (per day): nothing more to do.",),
                    "As for posts.",
                    "Daily views and subscribers gained.",
                    ("youtube_totals",)),
         ),
         ()),
    Item("form", "Your enquiry or sign-up form",
         "The people who got in touch, asked to visit, volunteered or signed up: the heart of Involvement.",
         (
             Export("Google Forms", "Responses download",
                    ("Open the form in Google Forms and choose the Responses tab.",
                     "Click More (the three dots), then Download responses (.csv).",
                     "Unzip nothing: upload the .csv (or the .zip Google gives you)."),
                    "All responses; CSV. Ask 'How did you hear about us?' and 'Who referred you?' in the form "
                    "to unlock more.",
                    "Timestamp, email or name, what they wanted to do, how they heard about you and who "
                    "referred them.",
                    ("google_forms",)),
             Export("HubSpot", "Contacts export",
                    ("In HubSpot open Contacts, click Export, choose CSV.",),
                    "All contacts with Create date, Email and Original source; CSV.",
                    "When each contact was created, who they are and where they came from.",
                    ("hubspot_contacts",)),
             Export("Mailchimp", "Audience export",
                    ("In Mailchimp open Audience > All contacts > Export audience.",),
                    "Subscribed members; CSV.",
                    "When each person signed up and how.",
                    ("mailchimp_audience",)),
             Export("Your own log", "The involvement log template",
                    ("Download the involvement log template at the foot of this page and keep it in a spreadsheet.",),
                    "One row per call, visit, donation or enrolment.",
                    "Date, person, action, what brought them, value and who referred them.",
                    ("template_involvement",)),
         ),
         ("involvement", "connections")),
    Item("events", "Your events",
         "Who booked and who came: people turning up in person, and who brought whom.",
         (
             Export("Eventbrite", "Attendee summary report",
                    ("In Eventbrite open the event, then Manage attendees > Reports.",
                     "Choose Attendee summary, then Export and CSV.",
                     "One file per event is fine: upload them all at once."),
                    "Attendee summary; all attendees; CSV. Custom questions such as 'How did you hear about us?' "
                    "are read too.",
                    "Order date, attendee, check-in status and the answers to your custom questions.",
                    ("eventbrite_attendees",)),
             Export("SignUpGenius", "Sign-up report",
                    ("In SignUpGenius open Reports, choose the sign-up and export to CSV.",),
                    "All slots; CSV.",
                    "Who signed up for which slot and when.",
                    ("signupgenius",)),
         ),
         ("involvement", "connections")),
    Item("logs", "What no platform exports",
         "Community activities, content people made for you, and who recommended you: kept in our templates.",
         (
             Export("Community log", "The community log template",
                    ("Download the community log template at the foot of this page.",),
                    "One row per event, partnership, service or sponsorship.",
                    "Date, activity, kind, partner, attendees, hours and whether it aimed at a sale.",
                    ("template_community",)),
             Export("Contributions log", "The contributions log template",
                    ("Download the contributions log template at the foot of this page.",),
                    "One row per photo, review, testimonial or post someone made about you.",
                    "Date, who made it, where, what kind and whether you used it.",
                    ("template_contributions",)),
             Export("Referrals", "The referrals log template, or your referral tool's export",
                    ("Download the referrals log template, or export your referral programme's report as CSV.",),
                    "One row per recommendation: who recommended you to whom.",
                    "Date, referrer, referred person, channel and whether they got involved.",
                    ("template_referrals", "referral_programme")),
         ),
         ("community", "co_creation", "connections")),
)


@dataclass
class ItemState:
    item: Item
    arrived: list[Export] = field(default_factory=list)  # exports with at least one file loaded
    files: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.arrived)

    @property
    def summary(self) -> str:
        if not self.arrived:
            return "Not loaded yet"
        names = ", ".join(dict.fromkeys(e.platform for e in self.arrived))
        n = len(self.files)
        return f"Loaded: {names} ({n} file{'s' if n != 1 else ''})"


def progress(inputs) -> list[ItemState]:
    """Each checklist item with the exports that have arrived, from ``Dataset.inputs`` (or reports).

    An input counts when ingest recognised its source and it fed at least one row; a file with
    an error or no rows ticks nothing.
    """
    states = [ItemState(item) for item in ITEMS]
    for inp in inputs:
        source = getattr(inp, "source", None)
        tables = getattr(inp, "tables", {}) or {}
        rows = sum(int(v) if isinstance(v, (int, float)) else len(v) for v in tables.values())
        if source is None or getattr(inp, "error", None) or rows == 0:
            continue
        for st in states:
            for ex in st.item.exports:
                if source in ex.sources:
                    if ex not in st.arrived:
                        st.arrived.append(ex)
                    if inp.file_name not in st.files:
                        st.files.append(inp.file_name)
    return states


def scoreable(dataset) -> set[str]:
    """Pillar keys that have some of their own input data loaded (so can be scored)."""
    return {k for k, span in pillar_spans(dataset).items() if span is not None}


def unlocked(before, after) -> list[str]:
    """Plain sentences for pillars ``after`` can score that ``before`` could not, in pillar order."""
    new = scoreable(after) - scoreable(before)
    return [f"{PILLARS[k]} can now be scored." for k in PILLARS if k in new]


def next_step(states: list[ItemState]) -> str | None:
    """The first item still missing, as a sentence; None when everything has arrived."""
    missing = next((s for s in states if not s.done), None)
    if missing is None:
        return None
    return f"Next: {missing.item.title.lower()}. {missing.item.why}"
