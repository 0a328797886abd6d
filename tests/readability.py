"""What a person should never have to read: raw None/nan, our snake_case field names, platform names
spelt wrongly, shares printed as decimals. Used on the HTML report (default suite) and on every page in
Chromium (tests/browser/test_first_hour.py)."""

from __future__ import annotations

import re

from harness import schema, targets
from harness.scoring import PILLARS

# "None yet." is English; a bare None in a cell or after a label is a raw value.
RAW_MISSING = re.compile(r"(?<![\w.])(None|nan|NaN|NaT|<NA>|null|undefined)(?![\w.]| [a-z])")
# Our own field names and vocabulary words: the file's own headers (on the Data page) are the user's words.
FIELD_NAMES = sorted({c.name for cols in schema.TABLES.values() for c in cols if "_" in c.name}
                     | {s for s in schema.SOURCES if "_" in s} | {k for k in PILLARS if "_" in k}
                     | {c.key for c in targets.COMPONENTS if "_" in c.key}
                     | {"direct_referrals", "downstream_reach", "reach_in_period", "people_involved",
                        "real_actions", "follower_growth", "depth2_share", "k_factor", "referral_conversion"},
                     key=len, reverse=True)
SNAKE = re.compile(r"(?<![\w./@-])(" + "|".join(map(re.escape, FIELD_NAMES)) + r")(?![\w.@-])")
MISSPELT = re.compile(r"(?<![\w./@-])(Linkedin|LINKEDIN|Youtube|YOUTUBE|Tiktok|TIKTOK|Tik Tok|Facebok|Instagramm|"
                      r"facebook|instagram|linkedin|youtube|tiktok)(?![\w.@-])")
DECIMAL_SHARE = re.compile(r"(?<![\w.])0\.\d{1,4}(?![\w.%])\s*(share|of (people|actions|referrals|posts|all))", re.I)
FILE_NAME = re.compile(r"\S+\.(csv|xlsx|xls|zip|txt|png)\b", re.I)


def problems(text: str, where: str = "") -> list[str]:
    """Plain-language findings in ``text`` (file names are skipped: they are the user's own)."""
    text = FILE_NAME.sub(" ", text)
    found = []
    for pattern, what in ((RAW_MISSING, "raw missing value"), (SNAKE, "field name"),
                          (MISSPELT, "platform spelt wrongly"), (DECIMAL_SHARE, "share as a decimal")):
        for m in pattern.finditer(text):
            start = max(0, m.start() - 40)
            found.append(f"{where}: {what} {m.group(0)!r} in …{text[start:m.end() + 40]!r}…")
    return found
