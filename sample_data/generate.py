"""Generate the sample school: Riverside Community School (fictional).

Writes, under ``sample_data/`` (or ``--out``):

* ``exports/`` - files in the layouts staff really download (Meta Business
  Suite Facebook and Instagram posts, Meta per-metric page files, LinkedIn
  page exports, X tweet activity, Google Forms responses, Eventbrite attendee
  summaries);
* ``logs/`` - the product's own CSV templates (involvement, referrals,
  contributions, community).

Everything is drawn from one ``random.Random(seed)`` (stdlib, whose streams
are stable across Python versions) and written with explicit formatting, so
the same seed gives byte-identical files. Spreadsheets are re-zipped with a
fixed timestamp because openpyxl stamps "now" into every workbook.

The story the data tells (see README.md): ~600 people over 2025-09-01 to
2026-11-15; posts that ask for something concrete ("call us", "come and
visit", "bring a friend", "send us your photos") get fewer reactions but
bring the real actions; referral cascades 6 levels deep through a few
connectors while most families never recommend the school; community-made
photos and stories peaking in the summer term; one or two community
activities a month, half of them admissions marketing in the autumn. The
latest 90 days (autumn: enquiries and open mornings) have more involvement
and less co-creation than the 90 before (summer). The rates are the
constants under "the story's dials", set so that the default school targets
give a mixed scorecard rather than a near-perfect one.

Run: ``python sample_data/generate.py`` (``--out DIR`` to write elsewhere,
``--seed N`` for another school, ``--summary`` to print the story's numbers).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import heapq
import io
import math
import random
import re
import string
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20250901
START = dt.datetime(2025, 9, 1)
END = dt.datetime(2026, 11, 15, 23, 59)  # last moment covered
DAYS = (END.date() - START.date()).days + 1

SCHOOL = "Riverside Community School"
FB_SLUG = "riversidecommunityschool"
IG_USER = "riversidecommunityschool"
X_HANDLE = "RiversideCS"
LI_SLUG = "riverside-community-school"
PHONE = "01632 960481"  # Ofcom's range reserved for drama: never a real number
OFFICE_EMAIL = "office@example.org"
WEBSITE = "https://riverside-school.example"
STAFF = ("Helen Marsh", "Tom Okafor")  # who posts on LinkedIn

# --- school calendar (England, 2025-26 and autumn 2026) -------------------------------------

HOLIDAYS = [  # inclusive date ranges with no school
    ("2025-10-27", "2025-10-31"), ("2025-12-20", "2026-01-05"), ("2026-02-16", "2026-02-20"),
    ("2026-03-30", "2026-04-10"), ("2026-05-25", "2026-05-29"), ("2026-07-22", "2026-09-02"),
    ("2026-10-26", "2026-10-30"),
]
OPEN_MORNINGS = ["2025-10-11", "2026-01-24", "2026-05-09", "2026-10-10"]
EVENTS = [  # (date, name, asks for helpers beforehand, asks for photos afterwards)
    ("2025-09-03", "first day of term", False, True),
    ("2025-10-16", "Harvest Festival", True, False),
    ("2025-11-11", "Remembrance assembly", False, False),
    ("2025-12-06", "Christmas Fair", True, True),
    ("2025-12-16", "Nativity play", False, True),
    ("2026-02-05", "Science Week", False, False),
    ("2026-03-05", "World Book Day", False, True),
    ("2026-03-20", "Red Nose Day bake sale", True, False),
    ("2026-05-15", "Spring concert", False, True),
    ("2026-06-20", "Summer Fair", True, True),
    ("2026-07-02", "Sports Day", True, True),
    ("2026-07-10", "Year 6 production", False, True),
    ("2026-07-17", "Leavers' assembly", False, True),
    ("2026-09-03", "first day of term", False, True),
    ("2026-10-15", "Harvest Festival", True, False),
    ("2026-11-11", "Remembrance assembly", False, False),
]
ASKS_MORE_FROM = dt.datetime(2026, 9, 1)
APPEALS = [("2025-11-17", "2025-12-19", "Christmas hamper appeal"),
           ("2026-03-02", "2026-03-27", "new library appeal")]
PARTNERS = (
    "Riverside Food Bank", "Millbrook Library", "St Anne's Care Home", "Riverside Rovers FC",
    "Greenway Allotment Society", "Riverside Rotary Club", "Millbrook Parish Council",
    "Riverside Gazette", "Canal Trust Volunteers", "Riverside Youth Orchestra",
)

# --- the story's dials ----------------------------------------------------------------------
# How often people act, recommend and contribute. Set so that, with the default school targets, the
# latest 90 days give a mixed picture (each pillar has something clearly below target; see README).
# Any change here re-draws everything after it from the one random stream: re-check the scorecard.

# Who recommends the school: a minority of involved people, by role (families with a child here
# talk about it at the gate; a family that has only enquired rarely does), each to a few others.
RECOMMENDERS = {"parent": 0.25, "volunteer": 0.25, "alumni": 0.15, "resident": 0.08, "prospective": 0.05}
RECOMMENDS_EACH = 2.0  # mean recommendations by one recommender
REFERRAL_TAKE_UP = 0.45  # share of recommended people who then do something real
PEOPLE_PER_ASK = {"facebook": 0.67, "instagram": 0.49, "linkedin": 0.35, "x": 0.25}  # who act on an asking post
SHARPER_ASKS = 1.5  # from September 2026 each ask also brings more people (see ASKS_MORE_FROM)
VISIT_AFTER_ENQUIRY = 0.55  # enquiring families who then tour or come to an open morning
OTHER_CHANNEL_PEOPLE = 250  # reached by the website, word of mouth, local events, search, press, email
SUPER_CONNECTORS = 5  # early parents who recommend the school to a dozen families each
# A relay of connectors (connectors know connectors): the first involved parent, alumnus, neighbour
# or volunteer deeper than the last connector becomes one in turn, so with four after the early ones
# (depths 2 to 5) the cascades reach 6 levels.
LATE_CONNECTORS = 4

CONTRIBUTIONS = 170  # community-made items over the whole period, from ~40 people
AUTUMN_2026_CONTRIBUTIONS = 0.9  # relative rate once summer is over (summer term: 1.8, other months: 1)

# Wider community: a few fixed points in the school year (harvest and Christmas food-bank collections,
# carols at the care home, the summer concert) and otherwise one good-citizen activity a term month,
# mostly with a few regular partners and small in-person audiences. In admissions season about as
# many again are really admissions marketing ("Sales related"), which the non-sales share catches.
# Nothing happens in August.
COMMUNITY_FIXTURES = {10: ["Food bank collection"], 12: ["Carol singing at the care home", "Food bank collection"],
                      3: ["Food bank collection"], 7: ["Joint concert"]}
ADMISSIONS_PER_MONTH = {9: 1, 10: 2, 11: 1, 1: 1, 6: 1}
ANY = tuple(range(1, 13))
GOOD_CITIZEN_ACTIVITIES = [  # (kind, activity, partner, typical attendees*, typical hours, how often, months)
    ("event", "Community lunch for older neighbours", "St Anne's Care Home", 40, 6, 2, ANY),
    ("service", "Food bank collection", "Riverside Food Bank", 200, 4, 4, (10, 12, 3)),  # harvest, Christmas, Easter
    ("partnership", "Reading buddies with the library", "Millbrook Library", 30, 3, 1.5, ANY),
    ("event", "Carol singing at the care home", "St Anne's Care Home", 80, 3, 6, (12,)),
    ("sponsorship", "Kit sponsorship for the under-9s", "Riverside Rovers FC", 40, 2, 1, (9, 10)),
    ("volunteering", "Canal clean-up", "Canal Trust Volunteers", 35, 12, 1, (4, 5, 6, 7, 9)),
    ("volunteering", "Allotment planting day", "Greenway Allotment Society", 30, 8, 1, (3, 4, 5, 6)),
    ("media", "Article on our eco club", "Riverside Gazette", 12000, 0, 0.7, ANY),
    ("partnership", "Joint concert", "Riverside Youth Orchestra", 250, 16, 1, (3, 7, 12)),
    ("service", "Litter pick on the green", "Millbrook Parish Council", 40, 6, 1, ANY),
    ("event", "Rotary quiz night", "Riverside Rotary Club", 120, 4, 1, (1, 2, 3, 11)),
]
# * for media: the readers or listeners the outlet claims, noted but not counted as attendees
ADMISSIONS_ACTIVITIES = [
    ("event", "Open Morning stall at the village fete", "", 300, 6, 1, (5, 6, 9)),
    ("media", "Local radio interview about admissions", "", 8000, 0, 0.3, ANY),
    ("service", "Prospectus drop at local nurseries", "", 60, 3, 1, ANY),
    ("event", "Admissions talk at the toddler group", "", 25, 2, 1, ANY),
]

FIRST = (
    "Aisha Alex Amara Amelia Anna Arjun Ava Ben Beth Callum Chloe Chris Daniel Dev Ella Emma Erin "
    "Ethan Fatima Finn Freya Gemma George Grace Hannah Harry Imran Isla Jack Jade James Jess Joe "
    "Kate Kemi Laura Leo Liam Lily Lucy Maya Megan Mia Mohammed Nadia Naomi Nathan Niamh Noah Olivia "
    "Omar Oscar Priya Rachel Rhys Rosa Ruby Ryan Sam Sana Sara Sean Sophie Tariq Tess Theo Tom Wei "
    "Yusuf Zara Zoe Ravi Marta Tomasz Kofi Ada Ines Luca Hana Farah Ewan"
).split()
LAST = (
    "Abbott Adeyemi Ahmed Ali Allen Bailey Baker Barnes Bell Bennett Brooks Campbell Carter Chen "
    "Clarke Cole Collins Cooper Cox Davies Dawson Desai Doyle Edwards Ellis Evans Fisher Fletcher "
    "Foster Fraser Gill Graham Grant Gray Green Hall Harper Hughes Hussain Iqbal Jackson James "
    "Jenkins Johal Kaur Kelly Khan Knight Kowalski Lambert Lewis Lloyd Mason Mensah Mitchell Moore "
    "Murphy Nash Novak Okoro Owen Palmer Parker Patel Pearce Price Quinn Reid Reyes Richards Rossi "
    "Russell Shah Sharma Simpson Singh Stewart Sullivan Taylor Thomas Turner Walsh Ward Watts Webb "
    "Wong Wright Young"
).split()


def d(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


def in_holiday(t: dt.datetime) -> bool:
    day = t.date()
    return any(d(a).date() <= day <= d(b).date() for a, b in HOLIDAYS)


def season(t: dt.datetime) -> float:
    """How busy the school's world is on a day (1 = ordinary term day)."""
    w = 0.35 if in_holiday(t) else 1.0
    if t.month in (9, 10) or (t.month == 1 and t.day > 6):
        w *= 1.5  # admissions season: families choose schools in the autumn
    if t.weekday() >= 5:
        w *= 0.45
    return w


# --- small deterministic helpers ------------------------------------------------------------

def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def lognorm(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(-sigma * sigma / 2, sigma))


def digits(rng: random.Random, n: int, first: str = "") -> str:
    return first + "".join(rng.choice(string.digits) for _ in range(n - len(first)))


def token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def rand_time(rng: random.Random, day: dt.datetime, lo: float, hi: float) -> dt.datetime:
    minutes = int(rng.uniform(lo, hi) * 60)
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minutes)


def day_index(t: dt.datetime) -> int:
    return (t.date() - START.date()).days


def seasonal_day(rng: random.Random, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """A day between lo and hi, drawn by ``season`` (rejection sampling)."""
    span = max(1, (hi.date() - lo.date()).days + 1)
    for _ in range(200):
        t = dt.datetime(lo.year, lo.month, lo.day) + dt.timedelta(days=rng.randrange(span))
        if rng.random() < season(t) / 1.5:
            return t
    return dt.datetime(lo.year, lo.month, lo.day)


def term_day(rng: random.Random, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """Like ``seasonal_day`` but never in a school holiday (when the month has term days)."""
    for _ in range(50):
        t = seasonal_day(rng, lo, hi)
        if not in_holiday(t):
            return t
    return t


def after_holiday(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Most follow-ups wait for term time: a holiday date usually moves to just after it."""
    for a, b in HOLIDAYS:
        if d(a) <= t < d(b) + dt.timedelta(days=1) and rng.random() < 0.7:
            return d(b) + dt.timedelta(days=1 + rng.expovariate(1 / 10), hours=rng.uniform(9, 17))
    return t


def office_hours(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Calls and tours happen when the office is open: weekdays 8:30 to 16:30 (next opening otherwise)."""
    if t.weekday() < 5 and (8.5 <= t.hour + t.minute / 60 < 16.5):
        return t
    day = dt.datetime(t.year, t.month, t.day) + dt.timedelta(days=0 if t.hour < 8 else 1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return rand_time(rng, day, 8.5, 16.5)


def waking_hours(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Forms get filled in any time people are awake (6:30 to 23:30)."""
    if 6.5 <= t.hour + t.minute / 60 < 23.5:
        return t
    morning = t if t.hour < 6 else t + dt.timedelta(days=1)
    return rand_time(rng, morning, 6.5, 9.5)


def uk_offset_hours(t: dt.datetime) -> int:
    """1 during British Summer Time (last Sunday of March to last Sunday of October), else 0."""
    def last_sunday(year: int, month: int) -> dt.datetime:
        day = dt.datetime(year, month, 31)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    start = last_sunday(t.year, 3) + dt.timedelta(hours=1)
    end = last_sunday(t.year, 10) + dt.timedelta(hours=1)
    return 1 if start <= t < end else 0


# --- the world ------------------------------------------------------------------------------

@dataclass
class Post:
    platform: str
    post_id: str
    published: dt.datetime
    text: str
    kind: str  # "show" or an ask: visit, volunteer, donate, photos, friend
    fmt: str  # Photos/Reels/Videos, IG image/IG carousel/IG reel, Image/Text/Video/Document, tweet
    reach: int = 0
    views: int = 0
    reactions: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    clicks: int = 0
    follows: int = 0
    duration: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def ask(self) -> bool:
        return self.kind != "show"


@dataclass
class Person:
    email: str
    first: str
    last: str
    role: str  # prospective, parent, alumni, resident, volunteer
    entry: dt.datetime
    source: str
    post_id: str | None = None
    referrer: "Person | None" = None
    involved: bool = True
    channel: str | None = None  # how the referral reached them
    super_connector: bool = False
    depth: int = 1  # 1 = reached the school directly; n + 1 = recommended by someone at depth n
    ask_kind: str | None = None  # what the post that reached them asked for

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Action:
    when: dt.datetime
    person: Person | None
    action: str
    source: str
    value: float | None = None
    post_id: str | None = None
    notes: str = ""
    via: str = "log"  # log, form, eventbrite
    with_time: bool = True
    extra: dict = field(default_factory=dict)


class World:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.posts: list[Post] = []
        self.people: list[Person] = []
        self.actions: list[Action] = []
        self.referral_rows: list[list[str]] = []
        self.contributions: list[list[str]] = []
        self.community: list[list[str]] = []
        self._used_names: set[tuple[str, str]] = set()
        self._used_emails: set[str] = set()
        self.followers_trend = {"facebook": (3300, 4700), "instagram": (2200, 3450),
                                "linkedin": (700, 1100), "x": (1600, 1900)}
        self.build()

    # followers on a day, before daily noise: a steady, slightly slowing climb
    def trend(self, platform: str, t: dt.datetime) -> float:
        a, b = self.followers_trend[platform]
        return a + (b - a) * (day_index(t) / DAYS) ** 0.9

    def build(self) -> None:
        for platform, per_week in (("facebook", 3), ("instagram", 3), ("linkedin", 1), ("x", 3)):
            self.make_posts(platform, per_week)
        self.posts.sort(key=lambda p: (p.published, p.platform))
        self.make_people()
        self.make_actions()
        self.make_contributions()
        self.make_community()

    # --- posts --------------------------------------------------------------------------------

    def post_kind(self, t: dt.datetime) -> tuple[str, str | None]:
        """What a post on day ``t`` is about: an ask (and which) or a show-and-tell."""
        rng = self.rng
        for om in OPEN_MORNINGS:
            gap = (d(om) - t).days
            if 0 <= gap <= 18 and rng.random() < 0.55:
                return ("friend" if rng.random() < 0.35 else "visit"), om
        for day, name, helpers, photos in EVENTS:
            gap = (d(day) - t).days
            if helpers and 3 <= gap <= 16 and rng.random() < 0.4:
                return "volunteer", name
            if photos and -4 <= gap <= -1 and rng.random() < 0.45:
                return "photos", name
            if -2 <= gap <= 0 and rng.random() < 0.6:
                return "show", name
        for a, b, name in APPEALS:
            if d(a) <= t <= d(b) and rng.random() < 0.4:
                return "donate", name
        # From September 2026 the school tries asking for something concrete more often.
        if rng.random() < (0.3 if t >= ASKS_MORE_FROM else 0.1):
            return rng.choice(["visit", "volunteer", "friend"]), None
        return "show", None

    def caption(self, platform: str, kind: str, about: str | None, t: dt.datetime) -> str:
        rng = self.rng
        year = rng.choice(["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"])
        tag = {"x": " #RiversideCS", "linkedin": "\n\n#Education #Community"}.get(platform, "\n\n#RiversideCommunity")
        if kind == "show":
            if about:
                lines = [f"What a {rng.choice(['wonderful', 'brilliant', 'busy', 'joyful'])} {about}! 🎉",
                         f"Thank you to every family who came along and to our amazing staff 💚"]
            else:
                topic = rng.choice([
                    f"{year} have been exploring {rng.choice(['fossils', 'the water cycle', 'magnets', 'Ancient Egypt', 'minibeasts', 'the Vikings'])} this week 🔍",
                    f"Congratulations to our {rng.choice(['netball', 'football', 'chess', 'cross-country'])} team on a fantastic result! 🏆",
                    f"Look at these amazing {rng.choice(['self-portraits', 'clay pots', 'poems', 'bird boxes'])} from {year} 🎨",
                    f"Our school garden is {rng.choice(['blooming', 'buzzing', 'full of pumpkins', 'ready for winter'])} 🌻",
                    f"Star readers of the week: {year}! 📚 Keep turning those pages.",
                    f"A huge thank you to {rng.choice(PARTNERS)} for visiting {year} today 🙏",
                ])
                lines = [topic]
                if rng.random() < 0.5:
                    lines.append(rng.choice(["Proud of every one of you.", "More photos on our website.",
                                             "What a team! 👏", "Learning never looked so fun."]))
        elif kind == "visit":
            when = f" on {d(about):%A %-d %B}" if about else ""
            lines = [f"Choosing a school for September? Come and visit us{when} 🏫",
                     f"Book a tour or call the office on {PHONE} 📞",
                     f"➡ {WEBSITE}/visit"]
        elif kind == "friend":
            when = f" on {d(about):%-d %B}" if about else ""
            lines = [f"Know a family choosing a school? Bring a friend to our Open Morning{when} 👫",
                     "Tea, cake and a tour with our Year 6 ambassadors.",
                     f"Book free places: {WEBSITE}/open-morning"]
        elif kind == "volunteer":
            what = f"our {about}" if about else "our reading volunteers"
            lines = [f"Can you help with {what}? 🙋 We need a few more pairs of hands.",
                     f"Call the office on {PHONE} or email {OFFICE_EMAIL} to sign up."]
        elif kind == "photos":
            lines = [f"Send us your photos from the {about or 'weekend'}! 📸",
                     f"Tag @{IG_USER} or email them to {OFFICE_EMAIL} — we'd love to share them."]
        else:  # donate
            lines = [f"Our {about or 'appeal'} is under way 💛 Every £5 helps.",
                     f"Donate at {WEBSITE}/give or drop in to the school office."]
        if platform == "x":
            return " ".join(lines) + tag
        return "\n".join(lines) + tag

    def make_posts(self, platform: str, per_week: int) -> None:
        rng = self.rng
        week = START
        while week <= END:
            # Holidays keep their usual posting rhythm (memories, reminders), so reactions do not
            # simply follow term time the way real actions do.
            n = max(0, per_week + rng.choice([-1, 0, 0, 0, 1]))
            days = sorted(rng.sample(range(7), k=min(n, 7)))
            for wd in days:
                t = rand_time(rng, week + dt.timedelta(days=wd), 7.5, 20.0)
                if t > END:
                    continue
                kind, about = self.post_kind(t)
                post = self.make_post(platform, t, kind, about)
                post.extra["about"] = about
                self.posts.append(post)
            week += dt.timedelta(days=7)

    def make_post(self, platform: str, t: dt.datetime, kind: str, about: str | None) -> Post:
        rng = self.rng
        text = self.caption(platform, kind, about, t)
        followers = self.trend(platform, t)
        # Asks get fewer reactions: people react to celebrations, they act on requests.
        appeal = (0.55 if kind != "show" else 1.0) * lognorm(rng, 0.55)
        if kind == "show" and rng.random() < 0.05:
            appeal *= 4  # the occasional post that travels
        if platform == "facebook":
            fmt = rng.choices(["Photos", "Reels", "Videos"], [0.6, 0.33, 0.07])[0]
            reach = int(followers * 0.32 * lognorm(rng, 0.45) * (1.6 if fmt == "Reels" else 1.0))
            reactions = int(reach * 0.08 * appeal) + rng.randint(0, 2)
            p = Post(platform, digits(rng, 16, "1" + rng.choice("12")), t, text, kind, fmt,
                     reach=reach, views=int(reach * rng.uniform(1.25, 1.8)), reactions=reactions,
                     comments=int(reactions * rng.uniform(0.05, 0.25)), shares=int(reactions * rng.uniform(0.0, 0.15)),
                     duration=rng.randint(15, 75) if fmt != "Photos" else 0)
            if kind == "friend":
                p.shares += rng.randint(2, 8)  # people do pass open-morning invitations on
            p.extra["permalink"] = (f"https://www.facebook.com/reel/{digits(rng, 16, '1')}/" if fmt == "Reels"
                                    else f"https://www.facebook.com/{FB_SLUG}/posts/pfbid0{token(rng, 56)}")
            p.extra["boosted"] = kind in ("visit", "friend") and rng.random() < 0.25
            p.extra["crosspost"] = fmt == "Reels" and rng.random() < 0.5
            return p
        if platform == "instagram":
            fmt = rng.choices(["IG image", "IG carousel", "IG reel"], [0.4, 0.3, 0.3])[0]
            reach = int(followers * 0.4 * lognorm(rng, 0.45) * (1.8 if fmt == "IG reel" else 1.0))
            likes = int(reach * 0.13 * appeal) + rng.randint(0, 3)
            code = token(rng, 11, string.ascii_letters + string.digits + "_-")
            p = Post(platform, digits(rng, 17, "18"), t, text, kind, fmt, reach=reach,
                     views=int(reach * rng.uniform(1.3, 2.4) * (1.6 if fmt == "IG reel" else 1.0)),
                     reactions=likes, comments=int(likes * rng.uniform(0.02, 0.12)),
                     shares=int(likes * rng.uniform(0.0, 0.12)), saves=int(likes * rng.uniform(0.0, 0.1)),
                     follows=poisson(rng, reach / 900), duration=rng.randint(10, 60) if fmt == "IG reel" else 0)
            p.extra["permalink"] = f"https://www.instagram.com/{'reel' if fmt == 'IG reel' else 'p'}/{code}/"
            return p
        if platform == "linkedin":
            fmt = rng.choices(["Image", "Text", "Video", "Document", "Article"], [0.5, 0.2, 0.1, 0.1, 0.1])[0]
            views = int(followers * 1.1 * lognorm(rng, 0.5))
            likes = int(views * 0.05 * appeal) + rng.randint(0, 2)
            # LinkedIn activity ids carry the millisecond timestamp in their top bits.
            ms = int(t.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
            p = Post(platform, str((ms << 22) + rng.randrange(1 << 22)), t, text, kind, fmt, views=views,
                     reach=int(views * rng.uniform(0.6, 0.8)), reactions=likes,
                     comments=int(likes * rng.uniform(0.0, 0.2)), shares=int(likes * rng.uniform(0.0, 0.12)),
                     clicks=int(views * rng.uniform(0.005, 0.03) * (1.8 if kind != "show" else 1.0)),
                     follows=poisson(rng, views / 1500))
            p.extra["posted_by"] = rng.choice(STAFF)
            return p
        impressions = int(followers * 0.7 * lognorm(rng, 0.6))
        likes = int(impressions * 0.02 * appeal) + rng.randint(0, 1)
        # X ids grow with time (snowflakes); 18 digits like the classic export's.
        tweet_id = str(180_000_000_000_000_000 + int((t - START).total_seconds()) * 2_000_000 + rng.randrange(1_000_000))
        p = Post(platform, tweet_id, t, text, kind, "tweet",
                 views=impressions, reactions=likes, comments=poisson(rng, likes * 0.1),
                 shares=poisson(rng, likes * 0.3),
                 clicks=poisson(rng, impressions * (0.012 if kind != "show" else 0.004)))
        p.extra["profile"] = poisson(rng, impressions * 0.004)
        p.extra["detail"] = poisson(rng, impressions * 0.006)
        p.extra["hashtag"] = poisson(rng, impressions * 0.001)
        p.extra["permalink_clicks"] = poisson(rng, impressions * 0.001)
        return p

    # --- people and referrals -------------------------------------------------------------------

    def new_person(self, role: str, entry: dt.datetime, source: str) -> Person:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if (first, last) not in self._used_names:
                break
        self._used_names.add((first, last))
        style = rng.random()
        local = (f"{first}.{last}" if style < 0.55 else f"{first[0]}{last}" if style < 0.8
                 else f"{first}{last}{rng.randint(1, 99)}").lower()
        email = f"{local}@{'example.org' if rng.random() < 0.6 else 'example.com'}"
        while email in self._used_emails:
            email = email.replace("@", f"{rng.randint(0, 9)}@")
        self._used_emails.add(email)
        p = Person(email, first, last, role, entry, source)
        self.people.append(p)
        return p

    def seed_role(self) -> str:
        return self.rng.choices(["prospective", "parent", "alumni", "resident", "volunteer"],
                                [0.46, 0.24, 0.11, 0.13, 0.06])[0]

    def make_people(self) -> None:
        rng = self.rng
        # People reached directly by a social post: mostly by posts that ask for something.
        for post in self.posts:
            lam = PEOPLE_PER_ASK[post.platform] * (1.0 if post.ask else 0.08)
            if post.ask and post.published >= ASKS_MORE_FROM:
                lam *= SHARPER_ASKS  # the new asks are sharper: a named day, a phone number, one thing to do
            for _ in range(poisson(rng, lam)):
                t = post.published + dt.timedelta(hours=rng.uniform(2, 24 * 6))
                if t > END:
                    continue
                role = self.seed_role()
                if post.kind in ("visit", "friend"):
                    role = "prospective"
                elif post.kind == "volunteer" and rng.random() < 0.7:
                    role = rng.choice(["parent", "volunteer", "resident"])
                elif post.kind == "donate":
                    role = rng.choice(["parent", "alumni", "resident"])
                p = self.new_person(role, t, post.platform)
                p.post_id = post.post_id if rng.random() < 0.65 else None
                p.ask_kind = post.kind
        # People reached by other channels.
        for _ in range(OTHER_CHANNEL_PEOPLE):
            t = rand_time(rng, seasonal_day(rng, START, END), 8, 19)
            src = rng.choices(["website", "word_of_mouth", "community_event", "search", "press", "email"],
                              [0.26, 0.24, 0.22, 0.15, 0.06, 0.07])[0]
            self.new_person(self.seed_role(), t, src)
        seeds = sorted(self.people, key=lambda p: p.entry)
        # A few super-connectors: early, well-connected parents who keep recommending the school.
        for p in [p for p in seeds if p.role in ("parent", "alumni", "volunteer")][:8 * SUPER_CONNECTORS:8]:
            p.super_connector = True
        relay = [1]  # depth of the latest connector
        # Referral cascades: involved people recommend the school to others over time, parents most.
        heap = [(p.entry, i, p) for i, p in enumerate(seeds)]
        heapq.heapify(heap)
        counter = len(heap)
        cap = 800  # a safety net only: the rates below give about 600 people
        while heap and len(self.people) < cap:
            _, _, p = heapq.heappop(heap)
            if not p.involved:
                continue
            if (len(relay) <= LATE_CONNECTORS and p.depth > relay[-1] and p.role != "prospective"
                    and not p.super_connector):
                p.super_connector = True
                relay.append(p.depth)
            if p.super_connector:
                lam = rng.uniform(9, 16)
            else:
                lam = RECOMMENDS_EACH if rng.random() < RECOMMENDERS[p.role] else 0.0
            for _ in range(poisson(rng, lam)):
                # Recommendations happen at the school gate, so mostly in term time.
                t = after_holiday(rng, p.entry + dt.timedelta(days=rng.expovariate(1 / 50), hours=rng.uniform(0, 10)))
                if t > END or len(self.people) >= cap:
                    continue
                role = rng.choices(["prospective", "parent", "alumni", "resident", "volunteer"],
                                   [0.55, 0.2, 0.07, 0.12, 0.06])[0]
                q = self.new_person(role, t, "referral")
                q.referrer, q.depth = p, p.depth + 1
                q.channel = rng.choices(["word_of_mouth", "facebook", "instagram", "email", "event", "x"],
                                        [0.5, 0.2, 0.12, 0.08, 0.08, 0.02])[0]
                q.involved = rng.random() < REFERRAL_TAKE_UP
                heapq.heappush(heap, (q.entry, counter, q))
                counter += 1
        self.make_referral_rows()

    def make_referral_rows(self) -> None:
        rng = self.rng
        rows = []
        for q in self.people:
            if q.referrer is None or (q.involved and rng.random() < 0.2):
                continue  # some converted referrals are only known from the involvement log
            r = rng.random()
            converted = "" if r < 0.4 else ("yes" if q.involved else "no")
            when = q.entry - dt.timedelta(days=rng.randint(0, 3))
            referrer = q.referrer.email
            if rng.random() < 0.03:
                referrer = referrer.title()  # typed with capitals: same person once normalised
            rows.append([when, referrer, q.email, q.channel, converted])
        # The mess real logs have, so the network rules have something to do:
        involved = [p for p in self.people if p.involved]
        for p in rng.sample(involved, 2):  # self-referrals (a typo in the office)
            rows.append([p.entry + dt.timedelta(days=5), p.email, p.email, "word_of_mouth", ""])
        for row in rng.sample(rows[:200], 3):  # the same referral entered twice
            rows.append(list(row))
        referred = [p for p in self.people if p.referrer is not None]
        for q in rng.sample(referred, 4):  # a second person also claims the credit, later
            other = rng.choice([p for p in involved if p is not q and p is not q.referrer])
            rows.append([q.entry + dt.timedelta(days=rng.randint(3, 30)), other.email, q.email, "word_of_mouth", "yes" if q.involved else ""])
        for q in rng.sample([q for q in referred if q.involved], 2):  # a cycle: B "referred" A after A referred B
            rows.append([q.entry + dt.timedelta(days=rng.randint(20, 60)), q.email, q.referrer.email, "word_of_mouth", "yes"])
        rows = [r for r in rows if r[0] <= END]
        rows.sort(key=lambda r: r[0])
        self.referral_rows = [[r[0].strftime("%Y-%m-%d"), *r[1:]] for r in rows]

    # --- involvement ------------------------------------------------------------------------------

    def make_actions(self) -> None:
        rng = self.rng
        for p in self.people:
            if p.involved:
                self.actions.extend(self.journey(p))
        for _ in range(6):  # anonymous gifts through the website
            t = rand_time(rng, seasonal_day(rng, START, END), 7, 22)
            self.actions.append(Action(t, None, "donation", "website", float(rng.choice([10, 20, 25, 50, 100])),
                                       notes="Anonymous online gift"))
        self.actions = [a for a in self.actions if a.when <= END]
        self.actions.sort(key=lambda a: (a.when, a.person.email if a.person else ""))

    def first_action(self, p: Person) -> Action:
        rng = self.rng
        kind = p.ask_kind
        src = p.source
        if p.role == "prospective":
            how = rng.choices(["form", "call", "enquiry"], [0.4, 0.4, 0.2])[0]
            if how == "form":
                return Action(waking_hours(rng, p.entry), p, "enquiry", src, post_id=p.post_id, via="form")
            note = rng.choice(["Asked about Reception places", "Moving to the area, asked about Year 3",
                               "Asked about wraparound care", "Wants a prospectus", "Asked about SEN support, called back"])
            return Action(office_hours(rng, p.entry), p, "call" if how == "call" else "enquiry", src,
                          post_id=p.post_id, notes=note)
        if kind == "donate" or (p.role == "alumni" and rng.random() < 0.5):
            return Action(waking_hours(rng, p.entry), p, "donation", src,
                          float(rng.choice([10, 15, 20, 25, 30, 50, 75, 100, 250])),
                          post_id=p.post_id, notes="Online donation")
        if kind == "volunteer" or p.role == "volunteer":
            return Action(p.entry, p, "volunteer", src, float(rng.choice([1, 1.5, 2, 2, 3, 4])), post_id=p.post_id,
                          notes=rng.choice(["Reading helper", "Fair stall", "Garden club", "Trip helper", "Careers talk"]),
                          with_time=False)
        if p.role == "parent" and rng.random() < 0.3:
            return Action(waking_hours(rng, p.entry), p, "membership", src, 15.0, post_id=p.post_id, notes="Joined Friends of Riverside")
        action = rng.choice(["event", "call", "enquiry"])
        notes = {"event": ["", "Came to the fair", "Came to the concert"],
                 "call": ["", "Asked about hiring the hall", "Offered to help"],
                 "enquiry": ["", "Asked about lettings", "Asked about the holiday club"]}[action]
        when = p.entry if action == "event" else office_hours(rng, p.entry)
        return Action(when, p, action, src, post_id=p.post_id, with_time=action != "event", notes=rng.choice(notes))

    def journey(self, p: Person) -> list[Action]:
        rng = self.rng
        first = self.first_action(p)
        if p.referrer is not None:
            first.source = "referral" if rng.random() < 0.9 else "word_of_mouth"
            first.extra["referred_by"] = p.referrer.email
        out = [first]
        t = p.entry
        if p.role == "prospective":
            if rng.random() < VISIT_AFTER_ENQUIRY:
                t = t + dt.timedelta(days=rng.uniform(2, 30))
                om = next((d(o) + dt.timedelta(hours=9.5) for o in OPEN_MORNINGS
                           if p.entry < d(o) <= p.entry + dt.timedelta(days=60)), None)
                if om is not None and rng.random() < 0.85:
                    out.append(Action(om, p, "event", first.source, via="eventbrite"))
                    t = om
                else:
                    out.append(Action(office_hours(rng, rand_time(rng, t, 9, 15)), p, "visit", first.source,
                                      notes="School tour"))
                if rng.random() < 0.45:
                    t = t + dt.timedelta(days=rng.uniform(7, 60))
                    out.append(Action(t, p, "enrolment", first.source, with_time=False, notes="Place accepted"))
                    p.role = "parent"
        extra = {"prospective": 0, "parent": 0.6, "alumni": 0.4, "resident": 0.35, "volunteer": 1.6}[p.role]
        for _ in range(poisson(rng, extra)):
            t = after_holiday(rng, t + dt.timedelta(days=rng.expovariate(1 / 60)))
            if p.role == "volunteer" or rng.random() < 0.4:
                a = Action(t, p, "volunteer", first.source, float(rng.choice([1, 1.5, 2, 3, 3, 4, 6])),
                           notes=rng.choice(["Reading helper", "Fair stall", "Garden club", "Trip helper"]), with_time=False)
            else:
                kind = rng.choice(["donation", "event", "event", "membership"])
                value = float(rng.choice([10, 20, 25, 50])) if kind == "donation" else (15.0 if kind == "membership" else None)
                a = Action(t, p, kind, first.source, value, with_time=False)
            out.append(a)
        return out

    # --- co-creation and community ------------------------------------------------------------

    def make_contributions(self) -> None:
        rng = self.rng
        pool = [p for p in self.people if p.involved and p.role in ("parent", "alumni", "volunteer", "resident")]
        contributors = rng.sample(pool, 35)
        for _ in range(5):  # reviewers and a local photographer the school never otherwise met
            contributors.append(self.new_person("resident", rand_time(rng, seasonal_day(rng, START, END), 8, 20), "other"))
            self.people[-1].involved = False
        weights = [8 if i < 4 else 3 if i < 12 else 1 for i in range(len(contributors))]
        photo_asks = [p for p in self.posts if p.kind == "photos"]
        rows = []
        for _ in range(CONTRIBUTIONS):
            c = rng.choices(contributors, weights)[0]
            if rng.random() < 0.45 and photo_asks:
                ask = rng.choice(photo_asks)
                t = ask.published + dt.timedelta(hours=rng.uniform(3, 96))
                kind, platform, note = rng.choice(["photo", "photo", "video"]), rng.choice(["instagram", "facebook", "email"]), f"Sent in after our photo request ({ask.extra['about'] or 'weekend'})"
            else:
                t = rand_time(rng, self.contribution_day(), 8, 21)
                kind = rng.choices(["photo", "story", "review", "testimonial", "post", "video"], [0.35, 0.15, 0.15, 0.12, 0.18, 0.05])[0]
                platform = {"review": "google", "testimonial": "website", "story": "newsletter"}.get(kind, rng.choice(["instagram", "facebook", "x"]))
                note = ""
            if t > END:
                continue
            used = rng.random() < (0.7 if kind in ("photo", "testimonial") else 0.4)
            engagement = "" if platform in ("email", "newsletter") or rng.random() < 0.1 else str(int(lognorm(rng, 0.8) * 75))
            link = {"instagram": f"https://www.instagram.com/p/{token(rng, 11)}/",
                    "facebook": f"https://www.facebook.com/photo/?fbid={digits(rng, 16, '1')}",
                    "x": f"https://twitter.com/{c.first.lower()}{c.last.lower()}/status/{digits(rng, 18, '18')}",
                    "google": "https://maps.google.com/?cid=" + digits(rng, 19, "1")}.get(platform, "")
            rows.append((t, c.email, platform, kind, "yes" if used else "no", engagement, link, note))
        rows.sort(key=lambda r: r[0])
        self.contributions = [[r[0].strftime("%Y-%m-%d"), *r[1:]] for r in rows]

    def contribution_day(self) -> dt.datetime:
        """Community content peaks in the summer term and fades in the autumn."""
        rng = self.rng
        for _ in range(200):
            t = seasonal_day(rng, START, END)
            w = 1.8 if t.month in (5, 6, 7) else AUTUMN_2026_CONTRIBUTIONS if (t.year == 2026 and t.month >= 8) else 1.0
            if rng.random() < w / 1.8:
                return t
        return t

    def make_community(self) -> None:
        rng = self.rng
        rows = []
        month = START
        while month <= END:
            last = min(END, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
            picks = []
            if month.month != 8:  # the summer holiday
                fixtures = [a for a in GOOD_CITIZEN_ACTIVITIES if a[1] in COMMUNITY_FIXTURES.get(month.month, ())]
                picks = [(a, "no") for a in fixtures]
                for pool, n, sales in ((GOOD_CITIZEN_ACTIVITIES, 0 if fixtures else 1, "no"),
                                       (ADMISSIONS_ACTIVITIES, ADMISSIONS_PER_MONTH.get(month.month, 0), "yes")):
                    for _ in range(n):  # each activity at most once a month
                        options = [a for a in pool if month.month in a[6] and all(a is not b for b, _ in picks)]
                        picks.append((rng.choices(options, [a[5] for a in options])[0], sales))
            for (kind, activity, partner, typical, hours, _, _), sales in picks:
                t = term_day(rng, month, last)
                if kind == "media":  # readers and listeners were not there in person: the school leaves it blank
                    attendees, note = "", f"About {typical:,} readers or listeners, the outlet says"
                else:
                    attendees = str(max(3, int(lognorm(rng, 0.5) * typical)))
                    note = rng.choice(["", "", "Staff and Year 5 pupils", "Parents helped run it", "Photos in the newsletter"])
                hours = f"{max(1, round(hours * rng.uniform(0.6, 1.5))):g}" if hours else ""
                rows.append((t, activity, kind, partner, attendees, hours, sales, note))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        rows.sort(key=lambda r: (r[0], r[1]))
        self.community = [[r[0].strftime("%Y-%m-%d"), *r[1:]] for r in rows]

    # --- lifetime metrics at a download date --------------------------------------------------

    @staticmethod
    def grown(total: int, published: dt.datetime, at: dt.datetime) -> int:
        """A lifetime count as it stood at ``at``: most of it in the first days, a tail after."""
        age = max(0.0, (at - published).total_seconds() / 86400)
        share = 1 - 0.7 * math.exp(-age / 1.5) - 0.3 * math.exp(-age / 25)
        return int(total * share)


# --- daily page metrics ---------------------------------------------------------------------

SPREAD = (0.55, 0.2, 0.1, 0.05, 0.04, 0.03, 0.03)  # share of a post's lifetime activity per day


def daily_from_posts(posts: list[Post], attr: str) -> list[int]:
    out = [0.0] * DAYS
    for p in posts:
        i = day_index(p.published)
        for k, share in enumerate(SPREAD):
            if i + k < DAYS:
                out[i + k] += getattr(p, attr) * share
    return [int(round(v)) for v in out]


def audience_series(world: World, platform: str) -> dict[str, list[int]]:
    rng = world.rng
    posts = [p for p in world.posts if p.platform == platform]
    reactions = daily_from_posts(posts, "reactions")
    a, b = world.followers_trend[platform]
    per_day_gain = (b - a) / DAYS
    follows, total, running = [], [], a
    for i in range(DAYS):
        t = START + dt.timedelta(days=i)
        lost = poisson(rng, 0.25 + per_day_gain * 0.15)
        gained = poisson(rng, max(0.1, per_day_gain * 1.1 * season(t) / 0.9 + reactions[i] * 0.01))
        running += gained - lost
        follows.append(gained)
        total.append(running)
    views = [v + int(world.trend(platform, START + dt.timedelta(days=i)) * 0.08 * lognorm(rng, 0.3))
             for i, v in enumerate(daily_from_posts(posts, "views"))]
    interactions = [r + c + s for r, c, s in zip(reactions, daily_from_posts(posts, "comments"), daily_from_posts(posts, "shares"))]
    visits = [poisson(rng, 12 + v * 0.015) for v in views]
    asks = [0.0] * DAYS
    for p in posts:
        if p.ask:
            asks[day_index(p.published)] += 1
    clicks = [poisson(rng, 2 + v * 0.004 + 6 * asks[i]) for i, v in enumerate(views)]
    return {"follows": follows, "followers": total, "views": views, "visits": visits,
            "link_clicks": clicks, "interactions": interactions}


# --- writers --------------------------------------------------------------------------------

def meta_quote(value: str) -> str:
    """Meta's CSV quoting: a field is quoted only when it holds a space, comma, quote or newline."""
    if re.search(r'[ ,"\n]', value):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_meta_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    lines = [",".join(meta_quote(c) for c in header)]
    lines += [",".join(meta_quote(c) for c in row) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def write_csv(path: Path, header: list[str], rows: list[list], *, bom: bool = False, quote_all: bool = False,
              newline: str = "\r\n") -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8"))


FB_HEADER = [
    "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Caption type",
    "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
    "Data comment", "Date", "Views", "Views from Organic posts", "Views from Boosted posts", "Reach",
    "Reach from Organic posts", "Reach from Boosted posts", "3-second video views", "1-minute video views",
    "3-Second viewers", "1-minute viewers", "3-second video views from Boosted posts",
    "3-second video views from Organic posts", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
    "Seconds viewed", "Average Seconds viewed",
]
FB_PAGE_ID = "100089361527044"
FB_DOWNLOADS = [  # (first day, last day, downloaded on, export id)
    ("2025-09-01", "2025-11-30", "2025-12-01", "3019447215680432"),
    ("2025-12-01", "2026-02-28", "2026-03-02", "3019447215680433"),
    ("2026-03-01", "2026-05-31", "2026-06-01", "3019447215680434"),
    ("2026-06-01", "2026-08-31", "2026-09-01", "3019447215680435"),
    # A later download overlapping August: same posts, grown lifetime metrics.
    ("2026-08-01", "2026-11-15", "2026-11-16", "3019447215680436"),
]


def fb_row(rng: random.Random, p: Post, at: dt.datetime) -> list[str]:
    g = lambda v: World.grown(v, p.published, at)  # noqa: E731
    views, reach, reactions, comments, shares = g(p.views), g(p.reach), g(p.reactions), g(p.comments), g(p.shares)
    boosted_views = int(views * 0.6) if p.extra["boosted"] else 0
    boosted_reach = int(reach * 0.6) if p.extra["boosted"] else 0
    video = p.fmt != "Photos"
    organic_3s = str(int(views * 0.35)) if video else "0"
    if p.fmt == "Photos":
        v3 = ["0", "0", "0", "0"]
    elif p.fmt == "Reels":
        v3 = ["", "", "", ""]  # Meta leaves these blank for Reels
    else:
        v3 = [str(int(views * 0.4)), str(int(views * 0.08)), str(int(reach * 0.38)), str(int(reach * 0.07))]
    seconds = round(views * p.duration * 0.12, 3) if video else None
    return [
        p.post_id, FB_PAGE_ID, SCHOOL, p.text, p.text if video else "", str(p.duration),
        p.published.strftime("%m/%d/%Y %H:%M"), rng.choice(["auto", "uploaded", "mixed"]) if video else "N/A",
        p.extra["permalink"], "1" if p.extra["crosspost"] else "0", "0", p.fmt, "", "", "", "", "Lifetime",
        str(views + boosted_views), str(views), str(boosted_views), str(reach + boosted_reach), str(reach),
        str(boosted_reach), *v3, str(int(boosted_views * 0.3)) if video else "0", organic_3s,
        str(reactions + comments + shares), str(reactions), str(comments), str(shares),
        "" if seconds is None else f"{seconds:.3f}".rstrip("0").rstrip("."),
        "" if seconds is None or views == 0 else f"{seconds / max(1, views):.3f}".rstrip("0").rstrip("."),
    ]


def write_facebook_posts(world: World, out: Path) -> None:
    rng = random.Random(world.rng.random())
    posts = [p for p in world.posts if p.platform == "facebook"]
    for first, last, downloaded, export_id in FB_DOWNLOADS:
        lo, hi, at = d(first), d(last) + dt.timedelta(days=1), d(downloaded) + dt.timedelta(hours=9)
        chosen = sorted((p for p in posts if lo <= p.published < hi), key=lambda p: p.published, reverse=True)
        name = f"{lo:%b-%d-%Y}_{d(last):%b-%d-%Y}_{export_id}.csv"
        write_meta_csv(out / "exports" / "meta-facebook-posts" / f"downloaded-{downloaded}" / name,
                       FB_HEADER, [fb_row(rng, p, at) for p in chosen])


IG_HEADER = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
             "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
             "Follows", "Comments", "Saves"]
IG_ACCOUNT_ID = "17841459273810462"
IG_DOWNLOADS = [("2025-09-01", "2026-02-28", "2026-03-02", "1290475531185522"),
                ("2026-03-01", "2026-11-15", "2026-11-16", "1290475531185523")]


def write_instagram_posts(world: World, out: Path) -> None:
    posts = [p for p in world.posts if p.platform == "instagram"]
    for first, last, downloaded, export_id in IG_DOWNLOADS:
        lo, hi, at = d(first), d(last) + dt.timedelta(days=1), d(downloaded) + dt.timedelta(hours=9)
        rows = []
        for p in sorted((p for p in posts if lo <= p.published < hi), key=lambda p: p.published, reverse=True):
            g = lambda v: str(World.grown(v, p.published, at))  # noqa: E731
            rows.append([p.post_id, IG_ACCOUNT_ID, IG_USER, SCHOOL, p.text, str(p.duration),
                         p.published.strftime("%m/%d/%Y %H:%M"), p.extra["permalink"], p.fmt, "", "Lifetime",
                         g(p.views), g(p.reach), g(p.reactions), g(p.shares), g(p.follows), g(p.comments), g(p.saves)])
        name = f"{lo:%b-%d-%Y}_{d(last):%b-%d-%Y}_{export_id}.csv"
        write_meta_csv(out / "exports" / "meta-instagram-posts" / f"downloaded-{downloaded}" / name, IG_HEADER, rows)


PAGE_METRICS = [  # (platform, series key, title, file name)
    ("facebook", "follows", "Facebook follows", "Follows.csv"),
    ("facebook", "followers", "Facebook followers", "Followers.csv"),
    ("facebook", "views", "Views", "Views.csv"),
    ("facebook", "visits", "Facebook visits", "Visits.csv"),
    ("facebook", "link_clicks", "Facebook link clicks", "Link clicks.csv"),
    ("facebook", "interactions", "Content interactions", "Interactions.csv"),
    ("instagram", "followers", "Instagram followers", "Followers.csv"),
    ("instagram", "follows", "Instagram follows", "Follows.csv"),
]


def write_page_metrics(world: World, out: Path) -> dict[str, dict[str, list[int]]]:
    series = {pl: audience_series(world, pl) for pl in ("facebook", "instagram", "linkedin")}
    for platform, key, title, fname in PAGE_METRICS:
        lines = ["sep=,", f'"{title}"', '"Date","Primary"']
        for i, v in enumerate(series[platform][key]):
            lines.append(f'"{(START + dt.timedelta(days=i)):%Y-%m-%dT00:00:00}","{v}"')
        path = out / "exports" / "meta-page-metrics" / platform / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\n".join(lines) + "\n\n").encode("utf-16"))  # "utf-16" writes LE with a BOM
    return series


X_HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate", "retweets",
    "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands", "permalink clicks",
    "app opens", "app installs", "follows", "email tweet", "dial phone", "media views", "media engagements",
    *(f"promoted {c}" for c in ("impressions", "engagements", "engagement rate", "retweets", "replies", "likes",
                                "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
                                "permalink clicks", "app opens", "app installs", "follows", "email tweet",
                                "dial phone", "media views", "media engagements")),
]
X_PERIODS = [("2025-09-01", "2025-12-01"), ("2025-12-01", "2026-03-01"), ("2026-03-01", "2026-06-01"),
             ("2026-06-01", "2026-09-01"), ("2026-09-01", "2026-11-16")]


def write_x(world: World, out: Path) -> None:
    posts = [p for p in world.posts if p.platform == "x"]
    for first, last in X_PERIODS:
        lo, hi = d(first), d(last)
        rows = []
        for p in sorted((p for p in posts if lo <= p.published < hi), key=lambda p: p.published, reverse=True):
            e = p.extra
            eng = p.shares + p.comments + p.reactions + e["profile"] + p.clicks + e["hashtag"] + e["detail"] + e["permalink_clicks"]
            rows.append([
                p.post_id, f"https://twitter.com/{X_HANDLE}/status/{p.post_id}", p.text,
                p.published.strftime("%Y-%m-%d %H:%M +0000"), f"{float(p.views)}", f"{float(eng)}",
                repr(eng / p.views) if p.views else "0.0",
                *(f"{float(v)}" for v in (p.shares, p.comments, p.reactions, e["profile"], p.clicks, e["hashtag"],
                                          e["detail"], e["permalink_clicks"])),
                "0", "0", "0", "0", "0", "0", "0", *["-"] * 18,
            ])
        name = f"tweet_activity_metrics_{X_HANDLE}_{lo:%Y%m%d}_{hi:%Y%m%d}_en.csv"
        write_csv(out / "exports" / "x-tweet-activity" / name, X_HEADER, rows, quote_all=True, newline="\n")


def fixed_xlsx(wb, path: Path, stamp: dt.datetime) -> None:
    """Save an openpyxl workbook byte-for-byte reproducibly (fixed zip times and document dates)."""
    wb.properties.creator = "LinkedIn"
    wb.properties.created = stamp
    raw = io.BytesIO()
    wb.save(raw)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    dst_buf = io.BytesIO()
    with zipfile.ZipFile(dst_buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + iso.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6]), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dst_buf.getvalue())


LI_POSTS_HEADER = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
                   "Campaign start date", "Campaign end date", "Audience", "Impressions", "Views", "Offsite Views",
                   "Clicks", "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows",
                   "Engagement rate", "Content Type"]
LI_METRICS_HEADER = ["Date"] + [f"{m} ({k})" for m in ("Impressions",) for k in ("organic", "sponsored", "total")] + [
    "Unique impressions (organic)"] + [f"{m} ({k})" for m in ("Clicks", "Reactions", "Comments", "Reposts", "Engagement rate")
                                       for k in ("organic", "sponsored", "total")]
LI_EXPORTED = dt.datetime(2026, 11, 16, 9, 0)


def write_linkedin(world: World, out: Path, series: dict) -> None:
    from openpyxl import Workbook

    posts = sorted((p for p in world.posts if p.platform == "linkedin"), key=lambda p: p.published, reverse=True)
    span = f"{START:%m/%d/%Y} - {END:%m/%d/%Y}"
    wb = Workbook()
    metrics = wb.active
    metrics.title = "Metrics"
    metrics.append([f"Aggregated metrics for all posts, {span}. Metrics are as of the export date."])
    metrics.append(LI_METRICS_HEADER)
    daily = {k: daily_from_posts(posts, k) for k in ("views", "reach", "clicks", "reactions", "comments", "shares")}
    for i in range(DAYS):
        imp, clicks, reac, com, rep = (daily[k][i] for k in ("views", "clicks", "reactions", "comments", "shares"))
        rate = (clicks + reac + com + rep) / imp if imp else 0
        metrics.append([(START + dt.timedelta(days=i)).strftime("%m/%d/%Y"), imp, 0, imp, daily["reach"][i],
                        clicks, 0, clicks, reac, 0, reac, com, 0, com, rep, 0, rep, rate, 0, rate])
    allp = wb.create_sheet("All posts")
    allp.append([f"All posts, {span}. Post metrics are lifetime totals as of the export date."])
    allp.append(LI_POSTS_HEADER)
    for p in posts:
        g = lambda v: World.grown(v, p.published, LI_EXPORTED)  # noqa: E731
        imp, clicks, likes, com, rep, fol = g(p.views), g(p.clicks), g(p.reactions), g(p.comments), g(p.shares), g(p.follows)
        allp.append([p.text, f"https://www.linkedin.com/feed/update/urn:li:activity:{p.post_id}", "Organic", "",
                     p.extra["posted_by"], p.published.strftime("%m/%d/%Y"), "", "", "All followers", imp,
                     int(imp * 0.3) if p.fmt == "Video" else "", "", clicks, clicks / imp if imp else 0, likes, com,
                     rep, fol, (clicks + likes + com + rep + fol) / imp if imp else 0, p.fmt])
    stamp = int(LI_EXPORTED.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
    fixed_xlsx(wb, out / "exports" / "linkedin" / f"{LI_SLUG}_content_{stamp}.xlsx", LI_EXPORTED)

    wb = Workbook()
    nf = wb.active
    nf.title = "New followers"
    nf.append(["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"])
    rng = random.Random(world.rng.random())
    for i, gained in enumerate(series["linkedin"]["follows"]):
        invited = 1 if rng.random() < 0.03 else 0
        nf.append([(START + dt.timedelta(days=i)).strftime("%m/%d/%Y"), 0, gained, invited, gained + invited])
    for title, col, items in (
        ("Location", "Location", [("Riverside, England, United Kingdom", 0.52), ("Millbrook, England, United Kingdom", 0.21),
                                   ("Greater London, England, United Kingdom", 0.09), ("Bristol, England, United Kingdom", 0.04)]),
        ("Job function", "Job function", [("Education", 0.41), ("Community and Social Services", 0.12),
                                           ("Healthcare Services", 0.08), ("Operations", 0.06)]),
    ):
        ws = wb.create_sheet(title)
        ws.append([col, "Total followers"])
        total = series["linkedin"]["followers"][-1]
        for label, share in items:
            ws.append([label, int(total * share)])
    fixed_xlsx(wb, out / "exports" / "linkedin" / f"{LI_SLUG}_followers_{stamp}.xlsx", LI_EXPORTED)


HEAR = {"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "x": "X / Twitter",
        "referral": "A friend or family member", "word_of_mouth": "A friend or family member",
        "website": "School website", "search": "Google search", "community_event": "Local community event",
        "press": "Local newspaper", "email": "Other"}


def forms_timestamp(t: dt.datetime) -> str:
    off = uk_offset_hours(t)
    local = t + dt.timedelta(hours=off)
    hour = local.hour % 12 or 12
    return f"{local:%Y/%m/%d} {hour}:{local:%M:%S} {'AM' if local.hour < 12 else 'PM'} GMT{'+1' if off else ''}"


def write_forms(world: World, out: Path) -> None:
    rng = random.Random(world.rng.random())
    rows = []
    for a in (a for a in world.actions if a.via == "form"):
        p = a.person
        ref = a.extra.get("referred_by", "")
        if ref and rng.random() < 0.2:
            ref = next(q.name for q in world.people if q.email == ref)  # people often type a name
        want = rng.choices(["Book a visit", "Request a prospectus", "Ask about admissions", "Ask a question"],
                           [0.45, 0.25, 0.2, 0.1])[0]
        t = a.when.replace(second=rng.randrange(60))
        rows.append([forms_timestamp(t), p.email, p.name if rng.random() < 0.9 else p.name.lower(),
                     HEAR.get(a.source, "Other"), ref, want])
    write_csv(out / "exports" / "google-forms" / "Visit _ enquiry (Responses) - Form responses 1.csv",
              ["Timestamp", "Email address", "Name", "How did you hear about us?", "Who referred you?",
               "What would you like to do?"], rows, quote_all=True)


EB_HEADER = ["Order no.", "Order date", "First name", "Surname", "Email", "Quantity", "Ticket type", "Attendee no.",
             "Barcode no.", "Buyer surname", "Buyer first name", "Buyer email", "Date attending", "Device name",
             "Check-in date", "Discount", "Hold", "Order type", "Total paid", "Fees paid", "Eventbrite fees",
             "Eventbrite payment processing", "Attendee status", "How did you hear about us?", "Who referred you?"]


def write_eventbrite(world: World, out: Path) -> None:
    rng = random.Random(world.rng.random())
    for om in OPEN_MORNINGS:
        day = d(om)
        rows = []
        for a in sorted((a for a in world.actions if a.via == "eventbrite" and a.when.date() == day.date()),
                        key=lambda a: a.person.entry):
            p = a.person
            ordered = max(p.entry, day - dt.timedelta(days=20)) + dt.timedelta(days=rng.uniform(0, 2))
            ordered = rand_time(rng, min(ordered, day - dt.timedelta(days=1)), 7, 22.5)
            checked = rng.random() < 0.9
            order_no = digits(rng, 10, "1")
            rows.append([order_no, ordered.strftime("%d/%m/%Y %H:%M"), p.first, p.last, p.email, "1",
                         "Open Morning - family place", digits(rng, 11, "1"), order_no + digits(rng, 9),
                         p.last, p.first, p.email, day.strftime("%d/%m/%Y 09:30"), "Office iPad" if checked else "",
                         (day + dt.timedelta(minutes=570 + rng.randint(-10, 40))).strftime("%d/%m/%Y %H:%M") if checked else "",
                         "", "", "Free Order", "0.00", "0.00", "0.00", "0.00", "Checked in" if checked else "Attending",
                         HEAR.get(a.source, "Other"), p.referrer.email if p.referrer else ""])
        write_csv(out / "exports" / "eventbrite" / f"Attendee summary - Open Morning {day:%d %b %Y}.csv", EB_HEADER, rows)


def fmt_value(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def write_logs(world: World, out: Path) -> None:
    rows = []
    for i, a in enumerate((a for a in world.actions if a.via == "log"), start=1):
        when = a.when.strftime("%Y-%m-%d %H:%M" if a.with_time else "%Y-%m-%d")
        rows.append([f"INV-{i:04d}", when, a.person.email if a.person else "", a.action, a.source,
                     fmt_value(a.value), a.extra.get("referred_by", ""), a.post_id or "", a.notes])
    logs = out / "logs"
    write_csv(logs / "involvement_log.csv",
              ["ID", "Date", "Person", "Action", "Source", "Value", "Referred by", "Post ID", "Notes"], rows)
    write_csv(logs / "referrals_log.csv", ["Date", "Referrer", "Referred", "Channel", "Converted"], world.referral_rows)
    write_csv(logs / "contributions_log.csv",
              ["Date", "Contributor", "Platform", "Kind", "Used by us", "Engagement", "Link", "Notes"], world.contributions)
    write_csv(logs / "community_log.csv",
              ["Date", "Activity", "Kind", "Partner", "Attendees", "Hours", "Sales related", "Notes"], world.community)


def generate(out: Path, seed: int = SEED) -> World:
    """Build the sample school and write every file under ``out`` (exports/ and logs/)."""
    world = World(seed)
    write_facebook_posts(world, out)
    write_instagram_posts(world, out)
    series = write_page_metrics(world, out)
    write_linkedin(world, out, series)
    write_x(world, out)
    write_forms(world, out)
    write_eventbrite(world, out)
    write_logs(world, out)
    return world


def summary(world: World) -> str:
    """The story's headline numbers, for checking the data still tells it."""
    def between(ts, lo, hi):
        return sum(1 for t in ts if lo <= t <= hi)

    latest = (END - dt.timedelta(days=89)).replace(hour=0, minute=0)
    prev = latest - dt.timedelta(days=90)
    acts = [a.when for a in world.actions]
    log_acts = [a.when for a in world.actions if a.via == "log"]
    contrib = [d(r[0]) for r in world.contributions]
    asks = [p for p in world.posts if p.ask]
    shows = [p for p in world.posts if not p.ask]
    by_post: dict[str, int] = {}
    for a in world.actions:
        if a.post_id:
            by_post[a.post_id] = by_post.get(a.post_id, 0) + 1
    weeks: dict[int, list[float]] = {}
    for p in world.posts:
        weeks.setdefault(day_index(p.published) // 7, [0, 0])[0] += p.reactions
    for a in world.actions:
        weeks.setdefault(day_index(a.when) // 7, [0, 0])[1] += 1
    xs, ys = zip(*weeks.values())

    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    rho = cov / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return "\n".join([
        f"people: {len(world.people)} (involved {sum(p.involved for p in world.people)}, "
        f"referred {sum(p.referrer is not None for p in world.people)})",
        f"actions: {len(world.actions)} (log {sum(a.via == 'log' for a in world.actions)}, "
        f"form {sum(a.via == 'form' for a in world.actions)}, eventbrite {sum(a.via == 'eventbrite' for a in world.actions)})",
        f"posts: " + ", ".join(f"{pl} {sum(p.platform == pl for p in world.posts)}" for pl in ("facebook", "instagram", "linkedin", "x")),
        f"mean reactions: ask {sum(p.reactions for p in asks) / len(asks):.1f}, show {sum(p.reactions for p in shows) / len(shows):.1f}",
        f"actions per post: ask {sum(by_post.get(p.post_id, 0) for p in asks) / len(asks):.2f}, "
        f"show {sum(by_post.get(p.post_id, 0) for p in shows) / len(shows):.2f}",
        f"actions latest 90 {between(acts, latest, END)} vs previous {between(acts, prev, latest)} "
        f"(log only {between(log_acts, latest, END)} vs {between(log_acts, prev, latest)})",
        f"contributions latest 90 {between(contrib, latest, END)} vs previous {between(contrib, prev, latest)}",
        f"referral rows {len(world.referral_rows)}, contributions {len(world.contributions)}, community {len(world.community)}",
        f"deepest referral cascade: {max(p.depth for p in world.people)} levels; connectors at depths "
        f"{sorted(p.depth for p in world.people if p.super_connector)}",
        f"weekly Spearman(reactions, actions) = {rho:.2f}",
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="folder to write into")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--summary", action="store_true", help="print the story's headline numbers")
    args = ap.parse_args(argv)
    world = generate(args.out, args.seed)
    if args.summary:
        print(summary(world))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
