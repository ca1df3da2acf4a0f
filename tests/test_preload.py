"""The first view's element code is asked for with the page (ui.preload): the scripts of the metric
cards, select boxes, multiselects, buttons and HTML, and all they import, as module preloads in
the index.html the server sends at every page address."""

from __future__ import annotations

import asyncio
import re

from streamlit.web.server.starlette import starlette_static_routes as routes

from tests.event_loop import run_apart
from ui import preload
from ui.preload import STATIC, element_scripts, page_with_preloads, serve_with_preloads

JS = STATIC / "static" / "js"
_IMPORTS = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.\-]+\.js)"')


def test_the_element_scripts_are_closed_under_their_static_imports():
    found = element_scripts(JS)
    assert found[:5] == [
        next(JS.glob(f"{name}.*.js")).name for name in ("Selectbox", "Multiselect", "Button", "Html", "Metric")
    ]
    assert len(found) == len(set(found))
    for name in found:  # everything a listed script imports statically is listed too
        assert set(_IMPORTS.findall((JS / name).read_text(encoding="utf-8"))) <= set(found), name
    assert not [n for n in found if n.startswith("PlotlyChart.")]  # the charts' code loads later


def test_the_page_keeps_streamlit_own_and_adds_each_script_once():
    original = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page_with_preloads()
    assert page is not None
    hrefs = re.findall(r'<link rel="modulepreload" crossorigin href="\./static/js/([^"]+)">', page)
    assert len(hrefs) == len(set(hrefs))
    entry = re.findall(r'<script type="module" crossorigin src="\./static/js/([^"]+)"', original)
    theirs = re.findall(r'modulepreload" crossorigin href="\./static/js/([^"]+)"', original)
    assert set(hrefs) == (set(element_scripts(JS)) - set(entry)) | set(theirs)
    assert page.replace("\n", "").count('<script type="module"') == original.count('<script type="module"')
    assert re.search(
        r'<link rel="preload" href="\./static/media/MaterialSymbols-Rounded\.[^"]+\.woff2" as="font"', page
    )


def test_a_page_that_does_not_look_as_expected_is_served_unchanged(tmp_path):
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html><body>no head</body></html>", encoding="utf-8")
    assert page_with_preloads(tmp_path) is None


def _get(app, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> tuple[int, dict[bytes, bytes], bytes]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers or [],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("testclient", 1),
    }
    sent: list[dict] = []

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict:
        if requests:
            return requests.pop()
        await asyncio.sleep(3600)  # the client stays connected (the response ends the wait)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    run_apart(lambda: app(scope, receive, send))
    return sent[0]["status"], dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_the_server_sends_the_preloaded_page_at_every_page_address(monkeypatch):
    original = getattr(routes.create_streamlit_static_handler, "upr_original", routes.create_streamlit_static_handler)
    monkeypatch.setattr(routes, "create_streamlit_static_handler", original)
    plain = original(str(STATIC), None)
    assert serve_with_preloads() is True
    assert serve_with_preloads() is True  # a second call changes nothing
    handler = routes.create_streamlit_static_handler(str(STATIC), None)
    expected = page_with_preloads().encode()
    for path in ("/", "/overview", "/explorer"):
        status, headers, body = _get(handler, path)
        assert (status, body, headers[b"cache-control"]) == (200, expected, b"no-cache")
    metric = "/static/js/" + next(JS.glob("Metric.*.js")).name
    assert _get(handler, metric)[2] == _get(plain, metric)[2] == (STATIC / metric.lstrip("/")).read_bytes()
    assert _get(plain, "/")[2] == (STATIC / "index.html").read_bytes()  # Streamlit's own, untouched


def test_bundles_are_answered_from_memory_as_streamlit_answers_them(monkeypatch):
    """A bundle read once is sent from memory (no file read piece by piece in worker threads), with
    Streamlit's own status, headers and bytes; a request for part of it, or only if changed, and
    the page itself still go through Streamlit's handler."""
    original = getattr(routes.create_streamlit_static_handler, "upr_original", routes.create_streamlit_static_handler)
    monkeypatch.setattr(routes, "create_streamlit_static_handler", original)
    monkeypatch.setattr(preload, "_MEMORY", {})
    plain = original(str(STATIC), None)
    assert serve_with_preloads() is True
    handler = routes.create_streamlit_static_handler(str(STATIC), None)
    name = next(JS.glob("Metric.*.js")).name
    theirs = _get(plain, f"/static/js/{name}")
    assert theirs[0] == 200 and b"immutable" in theirs[1][b"cache-control"]
    assert _get(handler, f"/static/js/{name}") == theirs
    assert list(preload._MEMORY) == [(str(STATIC), f"static/js/{name}")]
    assert _get(handler, f"/static/js/{name}") == theirs  # from memory
    part = [(b"range", b"bytes=0-99")]
    assert _get(handler, f"/static/js/{name}", part) == _get(plain, f"/static/js/{name}", part)
    assert _get(handler, f"/static/js/{name}", part)[0] == 206
    etag = [(b"if-none-match", theirs[1][b"etag"])]
    assert _get(handler, f"/static/js/{name}", etag)[0] == _get(plain, f"/static/js/{name}", etag)[0] == 304
    for path in ("/", "/overview", "/manifest.json"):  # not kept: no-cache
        _get(handler, path)
    assert len(preload._MEMORY) == 1
