"""Making uploaded text inert wherever it is shown or downloaded.

Everything in an upload is untrusted: names, captions, headers, file names.

The HTML pages the app writes (the network graph, the offline report) also carry
:func:`content_security_policy` as a second line of defence: if a string ever
slipped past escaping, it still could not load a script, style, image, font,
frame or form target from anywhere, nor open any network connection.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# Characters with meaning in Markdown (CommonMark + Streamlit's extensions: colours, emoji shortcodes, math).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$<&=])")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def md_escape(text) -> str:
    """Text safe to put inside ``st.markdown``: no formatting, links or HTML survive."""
    if text is None:
        return ""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def html_text(text) -> str:
    """Text safe inside HTML element content or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


# Every fetch directive is spelled out (default-src already covers them) so that a reader, or a later edit
# that adds one source, sees what is refused. base-uri and form-action are not covered by default-src.
_CSP_NONE = ("default-src", "connect-src", "font-src", "frame-src", "child-src", "worker-src", "media-src",
             "object-src", "manifest-src", "base-uri", "form-action")


def content_security_policy(script_nonce: str | None = None) -> str:
    """The policy for a page the app writes: no network connection, nothing loaded from anywhere, images only
    as ``data:``, inline styles allowed, and scripts only those carrying ``script_nonce`` (none without one)."""
    if script_nonce is not None and not re.fullmatch(r"[A-Za-z0-9+/=_-]{16,128}", script_nonce):
        raise ValueError("a script nonce is 16-128 base64 characters")
    directives = {name: "'none'" for name in _CSP_NONE}
    directives["script-src"] = f"'nonce-{script_nonce}'" if script_nonce else "'none'"
    directives["style-src"] = "'unsafe-inline'"
    directives["img-src"] = "data:"
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def csp_meta(script_nonce: str | None = None) -> str:
    """``content_security_policy`` as the ``<meta>`` tag for a page's ``<head>`` (before any script or style)."""
    return f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(script_nonce)}">'


def neutralise_formula(value):
    """A cell a spreadsheet would evaluate as a formula gets a leading apostrophe.

    Applies to text only: numbers stay numbers (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralise_formula, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents) CSV with formulas neutralised."""
    # CRLF line ends make pandas quote any cell holding a bare CR, so no reader can
    # split a cell there and expose an un-neutralised formula as a new cell.
    return safe_for_spreadsheet(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
