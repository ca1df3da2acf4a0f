"""Safety of uploads: zip bombs, bad files with their messages, formula injection in exports, no HTML,
and a kill in the middle of an import leaving the database as it was."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.detect import FORMATS_HELP, read_any
from etl.importer import import_file
from etl.tabular import MAX_UNCOMPRESSED_BYTES, UnreadableFile, check_zip_expansion
from tests.conftest import ROOT
from tests.test_revert import dump
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from upr import db
from upr.export import neutralise, to_csv_bytes, to_xlsx_bytes


@pytest.fixture
def dcon(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    yield connection
    connection.close()


def _zip_bomb(path: Path, padding_mb: int) -> Path:
    """A valid xlsx with one extra part of zeros that deflates to almost nothing."""
    buf = io.BytesIO()
    frame = pd.DataFrame({"Recommendation ID": ["KAZ-3-134.1"], "Status": ["Implemented"]})
    buf.write(to_xlsx_bytes(frame))
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (padding_mb * 2**20))
    path.write_bytes(buf.getvalue())
    return path


def test_zip_bomb_refused(dcon, tmp_path):
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 60)
    size_kb = bomb.stat().st_size // 1024
    assert size_kb < 200  # 60 MB of content in a file of a few dozen KB
    with pytest.raises(UnreadableFile) as caught:
        check_zip_expansion(bomb)
    assert (
        caught.value.problem.expected == f"a spreadsheet that expands to at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB"
    )
    assert caught.value.problem.value == f"60 MB once uncompressed from {size_kb} KB"
    before = dump(dcon)
    report = import_file(dcon, bomb, who="ngo1", allowed_organisation=ORG)
    assert report.import_id is None
    assert [(p.value, p.expected) for p in report.errors] == [
        (f"60 MB once uncompressed from {size_kb} KB", "a spreadsheet that expands to at most 400 MB")
    ]
    assert dump(dcon) == before


def test_ordinary_xlsx_passes_the_zip_check(dcon, tmp_path):
    path = filled_template(dcon, tmp_path / "ok.xlsx", twenty_statuses())
    check_zip_expansion(path)  # no exception
    assert read_any(path).format == "template_assessments"


ASSESS = "Recommendation ID,Source kind,Organisation,Status,As of\n"
BAD_FILES = {
    "empty.csv": (b"", [(None, None, "an empty file", "a header row")]),
    "damaged.xlsx": (
        b"PK\x03\x04" + b"garbage" * 50,
        [(None, None, "a damaged archive", "a valid .xlsx/.docx (zip) file")],
    ),
    "utf16.csv": (
        "Recommendation ID,Status\n".encode("utf-16"),
        [(None, None, "binary or UTF-16 data", "a text CSV in utf-8, cp1251 or Mac Roman")],
    ),
    "unknown.csv": (b"a,b\n1,2\n", [(None, None, "a file of no known format", FORMATS_HELP)]),
    "broken.json": (
        b"{not json",
        [
            (
                None,
                None,
                "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
                "valid UTF-8 JSON",
            )
        ],
    ),
    "missing_columns.csv": (
        b"Recommendation ID,Status\nKAZ-3-134.1,Implemented\n",
        [
            (1, None, "Recommendation ID, Status", "a column «Source kind» (or «Тип источника»)"),
            (1, None, "Recommendation ID, Status", "a column «Organisation» (or «Организация»)"),
            (1, None, "Recommendation ID, Status", "a column «As of» (or «Дата оценки»)"),
        ],
    ),
    "bad_cells.csv": (
        (
            ASSESS + f"KAZ-3-134.1,ngo,{ORG},Implemented,2025-01-31\n"
            f"KAZ-3-134.1,ngo,{ORG},Implemented,2025-02-28\n"
            f"KAZ-3-134.2,alien,{ORG},Почти,31/02/2025\n"
        ).encode(),
        [
            (
                3,
                "Recommendation ID",
                "KAZ-3-134.1",
                "one assessment per recommendation and organisation (already in row 2)",
            ),
            (4, "Status", "Почти", "an implementation status such as «Выполнена» / «Implemented» / «Орындалды»"),
            (4, "Source kind", "alien", "government, ngo, nhri or un (in any UI language)"),
            (4, "As of", "31/02/2025", "a date such as 2024-05-31 or 31.05.2024"),
        ],
    ),
    "unknown_id.csv": (
        (ASSESS + f"KAZ-9-1,ngo,{ORG},Implemented,2025-01-31\n").encode(),
        [
            (
                2,
                "Recommendation ID",
                "KAZ-9-1",
                "the ID of a recommendation in the database (download a fresh template)",
            ),
        ],
    ),
    "wrong_kind.csv": (
        (ASSESS + "KAZ-3-134.1,government,Коалиция НПО Казахстана по УПО,Implemented,2025-01-31\n").encode(),
        [
            (2, "Source kind", "government", "«ngo», the kind already recorded for Коалиция НПО Казахстана по УПО"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_refused_with_its_message(dcon, tmp_path, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(dcon)
    report = import_file(dcon, path, who="boss")
    assert report.refused and report.import_id is None
    assert sorted((p.row, p.column, p.value, p.expected) for p in report.errors) == sorted(
        expected, key=lambda e: (e[0] or 0, e[1] or "", e[2] or "", e[3])
    )
    assert dump(dcon) == before
    assert not list((tmp_path / "store").glob("**/*"))  # a refused file's original is not kept


@pytest.mark.parametrize("value", ["=1+1", "+7 701", "-2", "@SUM(A1)", "\tx"])
def test_formula_injection_neutralised_in_exports(value):
    assert neutralise(value) == "'" + value
    assert neutralise("\r=x") == "'\r=x"
    assert (neutralise("a=b"), neutralise(5)) == ("a=b", 5)
    frame = pd.DataFrame({"text": [value, "plain"], value: [1, 2]})
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(csv_text), dtype=str).iloc[0, 0] == "'" + value
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert (ws["A1"].value, ws["B1"].value, ws["A2"].value, ws["A3"].value) == (
        "text",
        "'" + value,
        "'" + value,
        "plain",
    )
    assert ws["A2"].data_type == "s"


def test_write_pages_never_render_html():
    for rel in ("pages/upload.py", "pages/history.py", "ui/auth.py"):
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in source and "st.html" not in source, rel


def test_markdown_escaped():
    from ui.widgets import md_escape

    assert md_escape("[x](javascript:alert(1)) <b>*y*</b>") == (
        "\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>\\*y\\*\\</b\\>"
    )


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import etl.load as load

real = load._load_assessments

def slow(*args, **kwargs):
    real(*args, **kwargs)          # the rows are written, inside the open transaction
    Path(sys.argv[3]).write_text("inside")
    time.sleep(120)                # ... and here the process is killed

load._load_assessments = slow
from etl.importer import import_file
from upr import db
con = db.connect(sys.argv[1])
import_file(con, Path(sys.argv[2]), who="ngo1")
"""


def test_kill_mid_import_leaves_database_as_it_was(demo_copy, tmp_path):
    con = db.connect(demo_copy)
    path = filled_template(con, tmp_path / "upload.xlsx", twenty_statuses())
    before = dump(con)
    con.close()
    marker = tmp_path / "inside"
    env = {**os.environ, "UPR_STORE": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(demo_copy), str(path), str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    con = db.connect(demo_copy)
    try:
        assert dump(con) == before
        assert con.execute("SELECT count(*) FROM import").fetchall()[0][0] == 1
        # The same file imports cleanly afterwards.
        assert import_file(con, path, who="ngo1", allowed_organisation=ORG).added == 20
    finally:
        con.close()
