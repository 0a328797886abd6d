"""Staff commentary: bold, italics and lists formatted; HTML, links and everything else inert."""

from __future__ import annotations

import pytest

from harness.safety import commentary_html, commentary_markdown


@pytest.mark.parametrize("text, markdown", [
    ("Enquiries **doubled** after the open morning.", "Enquiries **doubled** after the open morning\\."),
    ("A *small* rise", "A *small* rise"),
    ("- visits up\n- calls down", "- visits up\n- calls down"),
    ("1. first\n2) second", "1. first\n2. second"),
    ("## Next term", "**Next term**"),
    ("line one\nline two", "line one  \nline two"),
    ("para one\n\npara two", "para one\n\npara two"),
    ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\</script\\>"),
    ("[click](javascript:alert(1))", "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"),
    ("![x](http://evil/x.png)", "\\!\\[x\\]\\(http\\:"
                                "//evil/x\\.png\\)"),
    ("**<b>bold html</b>**", "**\\<b\\>bold html\\</b\\>**"),
    ("2 * 3 * 4", "2 \\* 3 \\* 4"),  # arithmetic is not italics
    ("snake_case_word", "snake\\_case\\_word"),
])
def test_markdown(text, markdown):
    assert commentary_markdown(text) == markdown


@pytest.mark.parametrize("text, html", [
    ("**Up** and *on*", "<p><strong>Up</strong> and <em>on</em></p>"),
    ("- a\n- <b>", "<ul><li>a</li><li>&lt;b&gt;</li></ul>"),
    ("x\ny", "<p>x<br>y</p>"),
    ('"quoted" & <img src=x onerror=alert(1)>', "<p>&quot;quoted&quot; &amp; &lt;img src=x onerror=alert(1)&gt;</p>"),
])
def test_html(text, html):
    assert commentary_html(text) == html
