from html.parser import HTMLParser

import pandas as pd
import pytest

from harness.safety import (content_security_policy, csp_meta, csv_bytes, html_text, md_escape,
                            neutralise_formula, safe_for_spreadsheet)


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("plain", "plain"),
    (-5, -5),
    (3.5, 3.5),
    (None, None),
])
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_safe_for_spreadsheet_covers_headers_and_string_columns():
    df = pd.DataFrame({"=evil": ["=1+1", "ok"], "n": [-1, 2]})
    out = safe_for_spreadsheet(df)
    assert list(out.columns) == ["'=evil", "n"]
    assert out.iloc[:, 0].tolist() == ["'=1+1", "ok"]
    assert out["n"].tolist() == [-1, 2]
    text = csv_bytes(df).decode("utf-8-sig")
    assert "\n=1+1" not in text and "'=1+1" in text


@pytest.mark.parametrize("text", ["[click](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**bold** _i_ :red[x] $x$"])
def test_md_escape_leaves_no_live_markdown(text):
    out = md_escape(text)
    for ch in "[]()<>*_:$":
        # every special character that survives is preceded by a backslash
        for i, c in enumerate(out):
            if c == ch:
                assert out[i - 1] == "\\"


def test_html_text():
    assert html_text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


def test_csv_quotes_cells_with_carriage_returns():
    text = csv_bytes(pd.DataFrame({"a": ["ok\r=1+1"]})).decode("utf-8-sig")
    assert '"ok\r=1+1"' in text


# ---------------------------------------------------------------- Content-Security-Policy


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.policies, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(a.get("content") or "")


def csp_directives(page: str) -> dict[str, list[str]]:
    """The page's one CSP meta tag as {directive: [sources]}, read the way a browser's parser sees the markup."""
    m = _Meta()
    m.feed(page)
    assert len(m.policies) == 1, m.policies
    out = {}
    for part in m.policies[0].split(";"):
        name, *sources = part.split()
        assert name not in out, f"{name} twice"
        out[name] = sources
    return out


NEVER_LOADED = ["default-src", "connect-src", "font-src", "frame-src", "child-src", "worker-src", "media-src",
                "object-src", "manifest-src", "base-uri", "form-action"]


@pytest.mark.parametrize("nonce, scripts", [(None, ["'none'"]), ("a" * 32, ["'nonce-" + "a" * 32 + "'"])])
def test_content_security_policy(nonce, scripts):
    d = csp_directives(f"<head>{csp_meta(nonce)}</head>")
    assert d == {**{k: ["'none'"] for k in NEVER_LOADED}, "script-src": scripts, "style-src": ["'unsafe-inline'"],
                 "img-src": ["data:"]}
    assert d == {k: v.split() for k, v in (p.split(" ", 1) for p in content_security_policy(nonce).split("; "))}


@pytest.mark.parametrize("nonce", ["", "short", "a" * 32 + "'; script-src *", "a b" * 10])
def test_a_nonce_cannot_change_the_policy(nonce):
    with pytest.raises(ValueError):
        content_security_policy(nonce or "x")
