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


# ---------------------------------------------------------------- staff commentary: a small, safe Markdown subset
#
# Staff write commentary in a text box and expect **bold**, *italics* and lists to look formatted. Everything
# else (HTML, links, images, headings, tables) stays literal text. The text is parsed here into blocks of
# (kind, spans), and each renderer escapes every span's text, so no markup from the text itself survives.

_INLINE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__|\*(?=\S)([^*]+?)(?<=\S)\*|"
                     r"(?<![\w])_(?=\S)([^_]+?)(?<=\S)_(?![\w])")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")


def _spans(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(("text", text[pos:m.start()]))
        bold = m.group(1) or m.group(2)
        out.append(("bold", bold) if bold is not None else ("italic", m.group(3) or m.group(4)))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return out


def commentary_blocks(text) -> list[tuple[str, list]]:
    """``[("p", [lines of spans]), ("ul", [items]), ("ol", [items]), ("h", [spans])]`` from staff text."""
    lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[tuple[str, list]] = []
    for line in lines:
        if not line.strip():
            blocks.append(("gap", []))
            continue
        for kind, pattern in (("ul", _BULLET), ("ol", _NUMBERED), ("h", _HEADING)):
            m = pattern.match(line)
            if m:
                break
        else:
            kind, m = "p", None
        body = _spans(m.group(1) if m else line.strip())
        if kind == "h":
            blocks.append(("h", body))
        elif blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(body)
        else:
            blocks.append((kind, [body]))
    return [b for b in blocks if b[0] != "gap"]


def _rendered(text, block: dict, sep: str) -> str:
    """Staff commentary block by block, each through ``block[kind]`` of one dialect; empty blocks dropped."""
    return sep.join(x for x in (block[kind](body) for kind, body in commentary_blocks(text)) if x)


def _md_spans(spans) -> str:
    marks = {"text": "{}", "bold": "**{}**", "italic": "*{}*"}
    return "".join(marks[k].format(md_escape(t)) for k, t in spans)


_MD_BLOCKS = {
    "h": lambda body: f"**{_md_spans(body)}**" if body else "",
    "p": lambda lines: "  \n".join(_md_spans(line) for line in lines),
    "ul": lambda items: "\n".join(f"- {_md_spans(item)}" for item in items),
    "ol": lambda items: "\n".join(f"{i}. {_md_spans(item)}" for i, item in enumerate(items, start=1)),
}


def commentary_markdown(text) -> str:
    """Staff commentary as Markdown for ``st.markdown``: bold, italics and lists kept, everything else inert."""
    return _rendered(text, _MD_BLOCKS, "\n\n")


def _html_spans(spans) -> str:
    tags = {"text": "{}", "bold": "<strong>{}</strong>", "italic": "<em>{}</em>"}
    return "".join(tags[k].format(html_text(t)) for k, t in spans)


def _html_list(tag: str, items) -> str:
    return f"<{tag}>" + "".join(f"<li>{_html_spans(item)}</li>" for item in items) + f"</{tag}>"


_HTML_BLOCKS = {
    "h": lambda body: f"<p><strong>{_html_spans(body)}</strong></p>",
    "p": lambda lines: "<p>" + "<br>".join(_html_spans(line) for line in lines) + "</p>",
    "ul": lambda items: _html_list("ul", items),
    "ol": lambda items: _html_list("ol", items),
}


def commentary_html(text) -> str:
    """The same commentary as escaped HTML (for the downloadable report)."""
    return _rendered(text, _HTML_BLOCKS, "")
