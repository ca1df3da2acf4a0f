"""`python -m ui.serve [streamlit options]`: the app as people use it.

It is `streamlit run app.py` from the repository's root (so `.streamlit/config.toml`, the
configuration for serving people, applies), and the server's first visitor is the server itself:
as soon as its health check answers, a background thread opens the Overview, and a few seconds later
the Overview in the other languages and every other page, through the same WebSocket a browser uses. That one visit pays what the
first person would otherwise wait for: Python's imports of pandas, Plotly and DuckDB, opening the
database (building the demo when there is none), the pages' queries and the shared figures.
The health check is not delayed: the visit starts after it answers.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
WARM_TIMEOUT_S = 120.0
WARM_PAUSE_S = 5.0  # between the Overview and the rest of the warm-up
WARM_DONE = "  The server has opened every page once"  # written to its log when the warm-up is over
# Sent with the server's own visits at start: pages do not pause for a browser that is not there.
WARM_UP_HEADER = "X-UPR-Warm-Up"
_DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


def rerun_request(base_url: str, page: str, query: str = "") -> bytes:
    """The BackMsg a browser sends when it opens `base_url/page?query` in a fresh tab."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page
    info = state.context_info
    info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-GB"
    info.url = f"{base_url}/{page}" + (f"?{query}" if query else "")
    info.color_scheme = "light"
    return msg.SerializeToString()


def visit(base_url: str, page: str = "", query: str = "", timeout: float = WARM_TIMEOUT_S) -> bool:
    """Open `page` in a fresh session and wait until its script has finished; True if it did."""
    from websockets.sync.client import connect

    parts = urlsplit(base_url)
    with connect(
        f"ws://{parts.netloc}{parts.path}/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Origin": f"{parts.scheme}://{parts.netloc}", WARM_UP_HEADER: "1"},
        max_size=None,
        open_timeout=timeout,
    ) as ws:
        ws.send(rerun_request(base_url, page, query))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=max(deadline - time.monotonic(), 0.001)))
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in _DONE:
                return True
    return False


def _server_url(timeout: float) -> str | None:
    """The address of this process's server once its health check answers, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        runtime = sys.modules.get("streamlit.runtime.runtime")
        if runtime is None or not runtime.Runtime.exists():
            continue  # Streamlit has not read its configuration yet
        from streamlit import config

        address = config.get_option("server.address") or "127.0.0.1"
        if address.startswith("unix://"):
            return None
        if address in ("0.0.0.0", "::"):  # a wildcard address listens on loopback too
            address = "127.0.0.1"
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        url = f"http://{address}:{config.get_option('server.port')}" + (f"/{base}" if base else "")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return url
        except OSError:
            continue
    return None


def warm_up(pause: float = WARM_PAUSE_S) -> None:
    """Be the server's first visitor: the Overview in the default language at once; then, after a
    pause that leaves the machine to a person arriving at the same moment (their browser has
    Streamlit's code to read), the Overview in the other languages and every other page."""
    from ui.nav import PAGES
    from ui.preload import page_with_preloads
    from upr.i18n import DEFAULT_LANG, LANGS

    page_with_preloads()  # while Streamlit starts (some 30 ms), not on the first visitor's request
    url = _server_url(WARM_TIMEOUT_S)
    if url is None:
        return
    later = [("", f"lang={lang}") for lang in LANGS if lang != DEFAULT_LANG]
    later += [(p.url_path, "") for p in PAGES if p.url_path != "overview"]
    started = time.monotonic()
    for k, (page, query) in enumerate([("", ""), *later]):
        if k == 1:
            time.sleep(pause)
        try:
            visit(url, page, query)
        except Exception as exc:  # a failed warm-up only means a slower first visitor
            print(f"warm-up of /{page}?{query} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    print(f"{WARM_DONE} ({1 + len(later)} runs in {time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)


def tcp_nodelay() -> bool:
    """Have every connection the server accepts send at once (TCP_NODELAY); True if arranged.

    Streamlit binds its listening socket itself, without naming the protocol, so Python's asyncio
    does not recognise the connections it accepts as TCP and leaves Nagle's algorithm on. A
    response written in two parts (headers, then body) then waits for the browser's delayed
    acknowledgement: about 40 ms for each of the ~60 script files a first visit loads over its
    six connections, and for WebSocket messages sent one after another. The listening socket is
    handed back with its protocol named; asyncio then turns the algorithm off for each connection.
    """
    try:
        from streamlit.web.server.starlette import starlette_server as server
    except ImportError:
        return False
    bind = getattr(server, "_bind_socket", None)
    if bind is None or getattr(bind, "upr_nodelay", False):
        return bind is not None

    def bind_tcp(address: str, port: int, backlog: int) -> socket.socket:
        sock = bind(address, port, backlog)
        if sock.proto == socket.IPPROTO_TCP or sock.type != socket.SOCK_STREAM:
            return sock
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.setblocking(False)
        tcp.set_inheritable(True)
        return tcp

    bind_tcp.upr_nodelay = True  # type: ignore[attr-defined]
    bind_tcp.upr_original = bind  # type: ignore[attr-defined]
    server._bind_socket = bind_tcp
    return True


def main(argv: list[str] | None = None) -> None:
    """Serve app.py with the repository's configuration, warming it once its health check answers."""
    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    # One thread for NumPy's matrix products: every session's script has its own thread already,
    # and on a busy machine the library's extra threads spin for the cores the sessions need.
    # (Read when NumPy is first imported, which has not happened yet.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if os.environ.get("UPR_WARM_UP", "1") != "0":
        threading.Thread(target=warm_up, name="upr-warm-up", daemon=True).start()
    tcp_nodelay()
    from ui.preload import serve_with_preloads

    serve_with_preloads()
    from streamlit.web import cli

    cli.main(["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
