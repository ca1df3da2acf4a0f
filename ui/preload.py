"""The first visit's element code asked for with the page, not after it.

Streamlit's page (index.html) names the scripts its own start needs; the code of each kind of
element (a metric card, a select box, a multiselect, a button, HTML) is fetched the first time the
browser meets one, after the server has sent it: on a first visit, a chain of requests that starts
only once the script is running. `serve_with_preloads()` has the server add those scripts (and
everything they import) to the page as module preloads, with the icon font, so the browser fetches
and compiles them while it starts Streamlit. The charts' code (4.7 MB) is not among them: it is
loaded once the figures are drawn (ui.widgets.first_paint_pause). The same handler answers
Streamlit's bundles from memory once it has read them (`_MEMORY`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

STATIC = Path(st.__file__).parent / "static"
# The elements the app shell and the Overview draw before their charts.
FIRST_VIEW_ELEMENTS = ("Selectbox", "Multiselect", "Button", "Html", "Metric")
# Static imports of a module (`import{a}from"./x.js"`, `import"./x.js"`); not `import("./x.js")`,
# which loads later. They open the file (after Vite's list of the later ones' dependencies).
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.\-]+\.js)"')
_HEAD = 65536  # bytes read of each file: far more than any module's opening imports


def element_scripts(js_dir: Path, names: tuple[str, ...] = FIRST_VIEW_ELEMENTS) -> list[str]:
    """The script files of the elements `names` and every script they import, in a stable order."""
    found: list[str] = []
    todo = [p.name for name in names for p in sorted(js_dir.glob(f"{name}.*.js"))]
    while todo:
        name = todo.pop(0)
        if name in found or not (js_dir / name).is_file():
            continue
        found.append(name)
        with (js_dir / name).open(encoding="utf-8", errors="replace") as fh:
            todo += _IMPORT.findall(fh.read(_HEAD))
    return found


def page_with_preloads(static_dir: Path | str = STATIC) -> str | None:
    """Streamlit's index.html with the first view's scripts and icon font preloaded; None when the
    page does not look as expected (another Streamlit version): it is then served unchanged.
    Read once per folder, however it is named (Streamlit names it as a string)."""
    return _page(str(Path(static_dir).resolve()))


@lru_cache(maxsize=4)
def _page(folder: str) -> str | None:
    static_dir = Path(folder)
    index = static_dir / "index.html"
    if not index.is_file():
        return None
    html = index.read_text(encoding="utf-8")
    if "</head>" not in html:
        return None
    links = [
        f'<link rel="modulepreload" crossorigin href="./static/js/{name}">'
        for name in element_scripts(static_dir / "static" / "js")
        if f"static/js/{name}" not in html
    ]
    links += [
        f'<link rel="preload" href="./static/media/{font.name}" as="font" type="font/woff2" crossorigin>'
        for font in sorted((static_dir / "static" / "media").glob("MaterialSymbols-Rounded.*.woff2"))[:1]
    ]
    if not links:
        return None
    return html.replace("</head>", "    " + "\n    ".join(links) + "\n  </head>", 1)


# Streamlit's bundles, once read, answered from memory: a file response reads its file in 64 kB
# pieces, each in a worker thread that must win the interpreter lock back, which a cold server's
# first visit (its imports, its first queries) holds most of the time. At most the static folder's
# size (some 26 MB; a visit reads about 4 MB of it, 9 MB with the charts).
_MEMORY: dict[tuple[str, str], tuple[bytes, dict[str, str]]] = {}


def _plain_get(scope) -> bool:  # noqa: ANN001 - an ASGI scope
    """A GET asking for a whole file, not a part of it nor only if changed."""
    if scope.get("method") != "GET":
        return False
    names = {k.lower() for k, _ in scope.get("headers", ())}
    return not names & {b"range", b"if-none-match", b"if-modified-since", b"if-range"}


def serve_with_preloads() -> bool:
    """Have Streamlit's static files serve `page_with_preloads()` wherever they serve index.html,
    and its bundles from memory once read; True if arranged (before the server starts)."""
    try:
        from starlette.responses import FileResponse, HTMLResponse, Response
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError:
        return False
    create = getattr(routes, "create_streamlit_static_handler", None)
    if create is None or getattr(create, "upr_preloads", False):
        return create is not None

    def create_with_preloads(directory: str, base_url: str | None):  # noqa: ANN202 - Starlette's StaticFiles
        handler = create(directory, base_url)
        get_response = handler.get_response

        async def respond(path: str, scope):  # noqa: ANN001, ANN202
            plain = _plain_get(scope)
            if plain and (kept := _MEMORY.get((directory, path))) is not None:
                return Response(kept[0], headers=kept[1])
            response = await get_response(path, scope)
            if not isinstance(response, FileResponse):
                return response
            if Path(str(response.path)).name == "index.html":
                html = page_with_preloads(Path(directory))
                if html is not None:
                    headers = {"Cache-Control": response.headers.get("Cache-Control", "no-cache")}
                    return HTMLResponse(html, status_code=response.status_code, headers=headers)
            elif plain and response.status_code == 200 and "immutable" in response.headers.get("Cache-Control", ""):
                body = Path(str(response.path)).read_bytes()  # a bundle of Streamlit's, named by its hash
                headers = dict(response.headers)
                headers["content-length"] = str(len(body))
                _MEMORY[(directory, path)] = (body, headers)
                return Response(body, headers=headers)
            return response

        handler.get_response = respond
        return handler

    create_with_preloads.upr_preloads = True  # type: ignore[attr-defined]
    create_with_preloads.upr_original = create  # type: ignore[attr-defined]
    routes.create_streamlit_static_handler = create_with_preloads
    return True
