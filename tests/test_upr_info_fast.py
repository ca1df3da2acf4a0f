"""The columnar UPR Info path: vectorised text keys and ids, Arrow-backed sheets, and the reader's
every problem, row by row, as the one-by-one code reported them."""

from __future__ import annotations

import csv
import io
import random
import sys
import zlib
from dataclasses import replace

import pyarrow as pa
import pytest

from etl.detect import read_any
from etl.load import import_batch
from etl.messages import full_text
from etl.model import RecTable, make_rec_id, make_rec_ids, text_key, text_keys
from etl.readers.upr_info import CSV_HEADERS, read_upr_info_sheet
from etl.tabular import _WHITESPACE, Sheet, _first_line, cell_text, read_csv, sniff_delimiter
from tests.conftest import FIXTURES, real_file
from tests.test_templates import snapshot
from upr import db

U = FIXTURES / "upr_info"
MESSY = U / "upr_info_messy.csv"

EDGE_TEXTS = [
    "",
    " ",
    "!!!",
    "a",
    " a ",
    "A\x1fB",
    "\x1c\x1d\x1e\x1f",
    "a\x0bb\x0cc\rd\ne\tf",
    "Abolish the death-penalty (all crimes); now!",
    "  leading and trailing  ",
    "Côte d'Ivoire’s “rights” — test",
    "ÉGALITÉ  des droits…",
    "Права человека",
    "İstanbul STRASSE ß",
    "a\u00a0b\u2003c",
]


def _random_texts(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    alphabet = [chr(i) for i in range(128)] + list("éЖßİ«»–—…\u00a0\u2003\u0085") + [" "] * 20 + list("abc.,")
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20))) for _ in range(n)]
    # Half of them ASCII only: the bulk path.
    return [t.encode("ascii", "ignore").decode() if k % 2 else t for k, t in enumerate(texts)]


@pytest.mark.parametrize(
    "texts",
    [EDGE_TEXTS, _random_texts(1, 3000), [t.encode("ascii", "ignore").decode() for t in _random_texts(2, 20000)], []],
    ids=["edge", "random", "ascii", "none"],
)
def test_text_keys_are_text_key(texts):
    assert text_keys(pa.array(texts, pa.string())).to_pylist() == [text_key(t) for t in texts]


def test_text_keys_of_a_slice():
    texts = _random_texts(3, 500)
    assert text_keys(pa.array(texts, pa.string()).slice(7, 300)).to_pylist() == [text_key(t) for t in texts[7:307]]


def test_text_keys_of_the_real_export():
    sheet, encoding, _ = read_csv(real_file("upr-info-export", "upr-info_sessions17-20.csv"))
    texts = sheet.text_columns(len(CSV_HEADERS))[1][3]
    assert encoding == "mac_roman" and isinstance(sheet._columns[3], pa.Array)
    assert text_keys(texts).to_pylist() == [text_key(t) for t in texts.to_pylist()]


def test_make_rec_ids_are_make_rec_id():
    texts = [*EDGE_TEXTS, *_random_texts(4, 200)]
    places = [("KAZ", 2), ("CIV", 4), ("SVN", 1)]
    iso3s, cycles = zip(*(places[k % 3] for k in range(len(texts))))
    keys = text_keys(pa.array(texts, pa.string()))
    prefixes = pa.array([f"{iso3}-{cycle}-t" for iso3, cycle in zip(iso3s, cycles)], pa.string())
    expected = [make_rec_id(iso3, cycle, None, text) for iso3, cycle, text in zip(iso3s, cycles, texts)]
    assert make_rec_ids(prefixes, keys).to_pylist() == expected
    assert make_rec_ids(prefixes.slice(5, 20), keys.slice(5, 20)).to_pylist() == expected[5:25]
    assert make_rec_ids(pa.array([], pa.string()), pa.array([], pa.string())).to_pylist() == []


@pytest.mark.parametrize(
    "text",
    ["", "a", "a;b\nc,d", "a;b\r\nc", "a;b\rc", "\x1ca", "x" * 70000 + ";y\nz", "x" * 65535 + "\r\nz", "y" * 65536],
)
def test_first_line_is_that_of_splitlines(text):
    assert _first_line(text) == (text.splitlines()[0] if text else "")


def test_a_header_longer_than_the_sniffed_head_keeps_its_delimiter():
    text = ";".join(f"column {k:05d}" for k in range(6000)) + "\n" + ",".join("abc" * 9000) + "\n"
    assert len(text.splitlines()[0]) > 65536 and sniff_delimiter(text) == ";"


def test_whitespace_is_that_of_str_strip():
    assert _WHITESPACE == "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def test_text_columns_give_cell_text_from_arrow_and_from_rows():
    cells = [" a ", "\u3000b\u2029", "\x1cc\x85", "", "  ", "d\u200be"]
    arrow = Sheet(None, ["A", "B"], columns=[pa.array(cells, pa.string()), pa.array(cells[::-1], pa.string())])
    rows = Sheet(None, ["A", "B"], rows=[(n + 2, [cells[n], cells[-1 - n]]) for n in range(len(cells))])
    workbook = Sheet("s", ["A", "B", "C"], rows=[(2, [1.0, None]), (3, [2.5, "  x "])])
    for sheet in (arrow, rows):
        nums, (a, b, c) = sheet.text_columns(3)
        assert nums.tolist() == [2, 3, 4, 5, 6, 7]
        assert a.to_pylist() == [v.strip() for v in cells]
        assert b.to_pylist() == [v.strip() for v in cells[::-1]]
        assert c.to_pylist() == [""] * 6
    nums, (a, b, c) = workbook.text_columns(3)
    assert (nums.tolist(), a.to_pylist(), b.to_pylist(), c.to_pylist()) == ([2, 3], ["1", "2.5"], ["", "x"], ["", ""])
    assert arrow.rows[0] == (2, (" a ", "d\u200be")) and arrow.columns(1) == ([2, 3, 4, 5, 6, 7], [cells])


def _recs(batch) -> list[tuple]:
    return [
        (r.row, r.sur, r.cycle, r.session, r.text, r.response, r.response_raw, r.action, r.recommending, r.themes)
        for r in batch.all_recommendations()
    ]


def _problems(batch) -> list[tuple]:
    return [(p.row, p.column, p.value, p.code, p.severity) for p in batch.problems]


MESSY_PROBLEMS = [
    (
        3,
        "Response",
        "Accepted",
        "upr_info_response_differs",
        "warning",
    ),
    (6, "To", "", "missing_sur", "error"),
    (7, "Text", "", "missing_text", "error"),
    (8, "Response", "Perhaps", "worded_upr_info_response", "warning"),
    (8, "Action", "9", "bad_action", "warning"),
    # "²" is a digit to str.isdigit() but not a number int() reads: a bad session, not a crash.
    (8, "Session", "²", "worded_session", "error"),
    (9, "From", "", "worded_recommending", "warning"),
]
MESSY_RECS = [
    (
        2,
        "Kazakhstan",
        2,
        20,
        "Abolish the death penalty.",
        "supported_in_part",
        "Noted",
        5,
        ["France", "Norway"],
        ["Death penalty"],
    ),
    (9, "Kazakhstan", 2, 20, "Strengthen the ombudsman.", "supported", "Supported", 4, [], ["NHRI"]),
    (
        10,
        "Kazakhstan",
        2,
        20,
        "Protect human rights defenders.",
        "supported",
        "Accepted",
        None,
        ["Atlantis", "Türkiye", "Turkey"],
        ["Human rights defenders", "Underwater rights"],
    ),
    (
        14,
        "Côte d'Ivoire",
        2,
        19,
        "Adopt a law on “equality” — now",
        "supported_in_part",
        "Supported/Noted",
        2,
        ["Canada"],
        ["Women's rights"],
    ),
    (15, "Kazakhstan", 2, 20, "Ensure access to justice", "pending", None, 1, ["Chile"], ["Justice"]),
]


def test_messy_export_reports_every_problem_in_row_order():
    batch = read_any(MESSY)
    # Rows 4 and 5 hold nothing but spaces: skipped, not counted, not reported.
    assert (batch.format, batch.rows_read) == ("upr_info", 12)
    assert _problems(batch) == MESSY_PROBLEMS
    assert full_text(batch.problems[0], "ru") == (
        "upr_info_messy.csv, строка 3, столбец «Response»: найдено «Accepted»: В строке 2 на ту же "
        "рекомендацию дан другой ответ («Noted»): она считается поддержанной частично."
    )
    assert _recs(batch) == MESSY_RECS


def _big_export(rows: int) -> str:
    """A CSV over the 1,000,000 characters that send read_csv to Arrow: the messy rows, many reviews."""
    lines = list(csv.reader(io.StringIO(MESSY.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(lines[0])
    states = ["Kazakhstan", "Slovenia", "Norway", "Chile", "Peru", "Canada"]
    for k in range(rows):
        row = list(lines[1 + k % (len(lines) - 1)])
        if row[0].strip() == "Kazakhstan":
            row[0] = states[k // 14 % len(states)]
        row[3] = f"{row[3]} (measure {k // 28})" if row[3].strip() else row[3]
        writer.writerow(row)
    return out.getvalue()


def test_arrow_and_the_csv_module_read_a_large_export_alike(tmp_path):
    text = _big_export(14_000)
    path = tmp_path / "big.csv"
    path.write_text(text, encoding="utf-8")
    fast, _, _ = read_csv(path)
    assert len(text) > 1_000_000 and all(isinstance(c, pa.Array) for c in fast._columns)
    lines = list(csv.reader(io.StringIO(text, newline="")))
    slow = Sheet(None, [h.strip() for h in lines[0]], list(enumerate(lines[1:], start=2)))
    a, b = read_upr_info_sheet(fast, "big.csv"), read_upr_info_sheet(slow, "big.csv")
    assert a.rows_read == b.rows_read == 12_000
    assert a.problems == b.problems and len(a.problems) == 7_000
    assert _recs(a) == _recs(b) and len(_recs(a)) == 4_500


def _bulk_and_general(batch) -> tuple:
    """Import a batch through the bulk path and through the one-by-one path, each into a new database."""
    bulk, general = db.connect(":memory:"), db.connect(":memory:")
    a = import_batch(bulk, batch, sha256="x")
    b = import_batch(general, replace(batch, table=None, recommendations=batch.all_recommendations()), sha256="x")
    left, right = snapshot(bulk), snapshot(general)
    left.pop("import"), right.pop("import")
    return a, b, left, right, bulk


def test_bulk_load_of_the_messy_export_writes_what_the_general_path_writes():
    batch = read_any(MESSY)
    batch = replace(batch, problems=[p for p in batch.problems if p.severity != "error"])
    a, b, left, right, con = _bulk_and_general(batch)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert [(p.row, p.column, p.value) for p in a.problems if p.column in ("Recommending States", "Themes")] == [
        (10, "Recommending States", "Atlantis"),
        (10, "Themes", "Underwater rights"),
    ]
    assert left == right and a.added == b.added == 5
    # Two spellings of one State are one State, under the first spelling.
    states = con.execute("SELECT iso3, source_label FROM rec_state ORDER BY ALL").fetchall()
    assert states == [
        ("CAN", "Canada"),
        ("CHL", "Chile"),
        ("FRA", "France"),
        ("NOR", "Norway"),
        ("TUR", "Türkiye"),
        (None, "Atlantis"),
    ]


def test_texts_whose_ids_collide_get_a_suffix(tmp_path):
    first, second = (
        "Women children prison court prison rights justice rights.",
        "Access ensure health children freedom freedom",
    )
    assert zlib.crc32(text_key(first).encode()) == zlib.crc32(text_key(second).encode()) == 0x80FCBC36
    path = tmp_path / "collision.csv"
    rows = [CSV_HEADERS] + [
        ["Kazakhstan", "Asia", "", t, "Chile", "GRULAC", "", "Accepted", "", "", "20"] for t in (first, second)
    ]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    a, b, left, right, con = _bulk_and_general(read_any(path))
    assert left == right and a.added == b.added == 2
    ids = con.execute(
        "SELECT r.id, t.text FROM recommendation r JOIN rec_text t ON t.rec_id = r.id ORDER BY 1"
    ).fetchall()
    assert ids == [("KAZ-2-t80fcbc36", first), ("KAZ-2-t80fcbc36~2", second)]


def test_an_export_of_headers_only_adds_nothing(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",".join(CSV_HEADERS) + "\n", encoding="utf-8")
    batch = read_any(path)
    assert (batch.format, batch.rows_read, len(batch.table), batch.all_recommendations()) == ("upr_info", 0, 0, [])
    con = db.connect(":memory:")
    report = import_batch(con, batch, sha256="x")
    # Nothing added, no review made (the file may be refused as holding nothing to import).
    assert (report.added, report.warnings, con.execute("SELECT count(*) FROM review").fetchall()) == (0, [], [(0,)])
    assert RecTable.empty("s").records() == []


def test_cell_text_of_numbers_is_what_text_columns_give():
    assert [cell_text(v) for v in (3.0, 2.5, None, " x ")] == ["3", "2.5", "", "x"]
