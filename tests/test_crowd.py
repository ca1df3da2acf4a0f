"""Serving a crowd: the app's own server configuration, the README's run command, the protocol
client of the crowd benchmark, and a page's address opened by many people at once."""

from __future__ import annotations

import tomllib
import types
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

import ui.shell as shell
from benchmarks.crowd import README_RUN, server_command
from ui.serve import rerun_request

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_server_does_not_watch_or_rerun_source_files():
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False
    assert CONFIG["server"]["headless"] is True


def test_no_full_garbage_collection_after_every_run():
    assert CONFIG["runner"]["postScriptGC"] is False


def test_limits_and_compression():
    from upr.config import MAX_UPLOAD_BYTES

    server = CONFIG["server"]
    assert server["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES  # the upload page says the same
    assert server["maxMessageSize"] < 200  # below Streamlit's default
    assert server["enableWebsocketCompression"] is True


def test_the_readme_runs_what_the_crowd_benchmark_measures():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(README_RUN) in readme
    assert "python -m benchmarks.crowd" in readme


def test_server_command_adds_only_a_port_and_an_address():
    cmd = server_command(README_RUN, 8765)
    assert cmd[-2:] == ["--server.port=8765", "--server.address=127.0.0.1"]
    assert cmd[1:-2] == list(README_RUN[1:])


def test_rerun_request_is_what_a_browser_sends_for_a_page():
    msg = BackMsg()
    msg.ParseFromString(rerun_request("http://127.0.0.1:8501", "explorer", "lang=en"))
    assert msg.WhichOneof("type") == "rerun_script"
    state = msg.rerun_script
    assert (state.page_name, state.query_string) == ("explorer", "lang=en")
    assert state.context_info.url == "http://127.0.0.1:8501/explorer?lang=en"


class _Rerun(Exception):
    pass


@pytest.mark.parametrize("flag", [True, False])
def test_a_page_opened_alone_reruns_into_the_shell_whatever_the_flag_says(monkeypatch, flag):
    """Fifty people open /explorer on a fresh server: the first run of each starts the page alone
    (Streamlit's pages-folder mode) and the first session to switch the mode off must not leave
    the others without their sidebar filters."""
    monkeypatch.setattr(shell.PagesManager, "uses_pages_directory", flag)

    def rerun() -> None:
        raise _Rerun

    monkeypatch.setattr(shell, "st", types.SimpleNamespace(session_state={}, rerun=rerun))
    with pytest.raises(_Rerun):
        shell.ensure_shell()
    assert shell.PagesManager.uses_pages_directory is False


def test_a_page_run_inside_the_shell_does_not_rerun(monkeypatch):
    monkeypatch.setattr(shell.PagesManager, "uses_pages_directory", False)
    monkeypatch.setattr(shell, "st", types.SimpleNamespace(session_state={"filters": object()}, rerun=None))
    shell.ensure_shell()  # no rerun: st.rerun is not even callable here


def test_serve_runs_app_py_with_the_options_given_and_warms_up(monkeypatch):
    import streamlit.web.cli as cli

    import ui.serve as serve

    seen: dict = {}
    monkeypatch.setattr(cli, "main", lambda args, prog_name: seen.update(args=args, prog=prog_name))
    started: list = []
    monkeypatch.setattr(
        serve.threading, "Thread", lambda target, **kw: types.SimpleNamespace(start=lambda: started.append(target))
    )
    monkeypatch.setattr(serve.os, "chdir", lambda path: seen.update(cwd=path))
    monkeypatch.setattr(serve, "tcp_nodelay", lambda: seen.update(nodelay=True))
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    serve.main(["--server.port", "8765"])
    assert serve.os.environ["OPENBLAS_NUM_THREADS"] == "1"  # one thread for NumPy's products, per session
    assert seen["args"] == ["run", str(ROOT / "app.py"), "--server.port", "8765"]
    assert seen["cwd"] == ROOT  # where .streamlit/config.toml is read from
    assert started == [serve.warm_up]
    assert seen["nodelay"] is True  # connections send at once (tests/test_tcp_nodelay.py)
    monkeypatch.setenv("UPR_WARM_UP", "0")
    serve.main([])
    assert started == [serve.warm_up]


def test_the_warm_up_visits_the_overview_in_the_default_language_first(monkeypatch, capsys):
    import ui.serve as serve
    from ui.nav import PAGES
    from upr.i18n import DEFAULT_LANG, LANGS

    visits: list = []
    monkeypatch.setattr(serve, "_server_url", lambda timeout: "http://127.0.0.1:8765")
    monkeypatch.setattr(serve, "visit", lambda url, page, query: visits.append((page, query)))
    monkeypatch.setattr(serve.time, "sleep", lambda s: visits.append(("pause", s)))
    from streamlit import file_util

    from ui.preload import _page, page_with_preloads

    _page.cache_clear()
    serve.warm_up()
    assert _page.cache_info().currsize == 1  # the page is ready before the first visitor...
    page_with_preloads(file_util.get_static_dir())  # ...whose request names the folder as Streamlit does
    assert (_page.cache_info().currsize, _page.cache_info().hits) == (1, 1)
    assert visits[:2] == [("", ""), ("pause", serve.WARM_PAUSE_S)]  # the default link first, then room
    assert visits[2 : len(LANGS) + 1] == [("", f"lang={x}") for x in LANGS if x != DEFAULT_LANG]
    assert {p for p, _ in visits[len(LANGS) + 1 :]} == {p.url_path for p in PAGES} - {"overview"}
    assert serve.WARM_DONE in capsys.readouterr().err  # the log says when it is over


def test_a_run_of_some_pages_keeps_the_rows_of_the_others():
    from benchmarks.crowd import Run, kept_rows, report
    from benchmarks.protocol import SessionResult

    def run(page: str, times: list[float], at: str) -> Run:
        return Run(page, len(times), [SessionResult(finished_s=t) for t in times], at=at)

    earlier = report([run("explorer", [9.0], "04:00"), run("overview", [0.5], "04:00")], None, "", "m")
    kept = kept_rows(earlier, ["explorer"])
    assert [row.split("|")[1].strip() for row in kept] == ["overview"]
    again = report([run("explorer", [1.0, 2.0], "05:10")], ["first visit as measured before"], "--merge", "m", kept)
    rows = [line for line in again.splitlines() if line.startswith("| overview") or line.startswith("| explorer")]
    assert rows == [
        "| overview | 1 | 1/1 | 0.50 | 0.50 | 0.50 | 0 | 0 | 0.0 | 0 | 0.00 / 0.00 | 04:00 |",
        "| explorer | 2 | 2/2 | 1.00 | 2.00 | 2.00 | 0 | 0 | 0.0 | 0 | 0.00 / 0.00 | 05:10 |",
    ]
    assert "### The first visit\n\nfirst visit as measured before" in again


@pytest.mark.parametrize(
    ("n", "q", "rank"), [(2, 0.5, 1), (10, 0.5, 5), (100, 0.95, 95), (50, 0.95, 48), (200, 0.95, 190)]
)
def test_quantiles_are_nearest_rank(n, q, rank):
    from benchmarks.crowd import Run
    from benchmarks.protocol import SessionResult

    r = Run("overview", n, [SessionResult(finished_s=float(k)) for k in range(1, n + 1)])
    assert r.quantile(q) == rank
    assert r.quantile(1.0) == n
