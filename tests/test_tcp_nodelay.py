"""The server sends at once: every connection it accepts has Nagle's algorithm off (ui.serve.tcp_nodelay).

Without it each response written in two parts waited for the browser's delayed acknowledgement
(about 40 ms a file: a first visit loads some 60 script files)."""

from __future__ import annotations

import asyncio
import socket

from streamlit.web.server.starlette import starlette_server

from tests.event_loop import run_apart
from ui.serve import tcp_nodelay


def _accepted_nodelay(listening: socket.socket) -> int:
    """TCP_NODELAY of the server side of one connection accepted by asyncio on `listening`."""

    async def run() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(accepted, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 10)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    return run_apart(run)


def test_streamlit_alone_leaves_nagle_on_and_serve_turns_it_off(monkeypatch):
    # What Streamlit binds, as it binds it (the reason for the fix: if it ever names the protocol
    # itself, this first assertion fails and the fix can go).
    original = getattr(starlette_server._bind_socket, "upr_original", starlette_server._bind_socket)
    monkeypatch.setattr(starlette_server, "_bind_socket", original)
    assert _accepted_nodelay(starlette_server._bind_socket("127.0.0.1", 0, 8)) == 0
    assert tcp_nodelay() is True
    assert tcp_nodelay() is True  # a second call changes nothing
    sock = starlette_server._bind_socket("127.0.0.1", 0, 8)
    assert (sock.proto, sock.type, sock.getblocking()) == (socket.IPPROTO_TCP, socket.SOCK_STREAM, False)
    assert _accepted_nodelay(sock) == 1
