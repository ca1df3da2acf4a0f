"""The corpus check, run by hand (not part of the tests): `python -m benchmarks.corpus [--write]`.

Imports the real published files of ../shared/fixtures/real (UN Working Group reports, their
addenda, OHCHR's thematic lists and UPR Info's exports) through the project's own importer and
reports, for a person to read:
- every report alone: refused or not, its recommendations, those with no known response, and the
  count established from the document independently of the parser (the highest item number of
  each recommendation paragraph; for cycle-1 lists numbered 1., 2. under each lead-in, the length
  of each unbroken run);
- UPR Info's count for the same review (its export imported alone);
- everything together in two orders (reports first, and the reverse): recommendations with no
  known response, the share of UPR Info's recommendations joined to a report item (merge rate),
  the reviews whose databases differ between the two orders, time and peak memory of each run.

With --write the figures go to BENCHMARKS.md (section "corpus"); --json FILE keeps every figure.
Each run of "everything together" is a fresh process, so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "fixtures" / "real"
UNKNOWN = ("pending", None)


def corpus_files(real: Path) -> dict[str, list[Path]]:
    """The real files by kind, each list sorted by name."""
    reports = sorted((real / "corpus" / "un-wg-reports").glob("*.pdf"))
    reports += sorted((real / "un-wg-reports").glob("*.pdf"))
    slovenia = real / "slovenia"
    reports += sorted(slovenia.glob("*WG-report*.pdf"))
    return {
        "reports": reports,
        "addenda": sorted(slovenia.glob("*Add.1*.pdf")),
        "lists": sorted(slovenia.glob("*.docx")),
        "upr_info": sorted((real / "corpus" / "upr-info-export").glob("*.csv"))
        + sorted((real / "upr-info-export").glob("*.csv"))
        + sorted((real / "upr-info-export").glob("*.xls")),
    }


# --- the count a person would establish from the document ----------------------------------

_SECTION = re.compile(r"conclusions\s+and(?:\s*/\s*or)?\s+recommendations", re.IGNORECASE)
_END = re.compile(r"^\s*(?:\d{1,3}\.\s+)?All conclusions and(?:/or)? recommendations|^\s*Annex\b", re.IGNORECASE)
_DOTTED = re.compile(r"^\s*(\d{2,3})\.(\d{1,3})\.?(?:\s|$)")
_COMMENTS = re.compile(r"^\s*(\d{2,3})\.\s+.*\bfollowing comments\b", re.IGNORECASE)
_PLAIN = re.compile(r"^\s*(\d{1,3})\.?(?:\s|$)")


def document_count(text: str) -> int | None:
    """Recommendations of section II counted from item numbers alone, without the parser.

    Dotted items (124.17), read in order: the highest item number of each paragraph, summed; an
    item whose paragraph number is misprinted but whose item number continues the paragraph
    before counts there ("128.12" after 129.11); a paragraph that introduces the State's comments
    ("offered the following comments") counts nothing. Plain items (1., 2. under each lead-in,
    cycle 1): the length of each run 1, 2, 3 … summed. None when the section is not found.
    """
    lines = text.replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _SECTION.search(line) and "..." not in line and "…" not in line]
    if not starts:
        return None
    body: list[str] = []
    for line in lines[starts[0] + 1 :]:
        if _END.match(line):
            break
        body.append(line)
    comments = {int(m.group(1)) for line in body if (m := _COMMENTS.match(line))}
    highest: dict[int, int] = {}
    current, last = None, 0
    for line in body:
        if not (m := _DOTTED.match(line)):
            continue
        major, minor = int(m.group(1)), int(m.group(2))
        if major != current and current is not None and minor == last + 1 and minor != 1:
            major = current  # a misprinted paragraph number inside a running list
        current, last = major, minor
        highest[major] = max(highest.get(major, 0), minor)
    if highest:
        return sum(n for major, n in highest.items() if major not in comments)
    total, last = 0, 0
    for line in body:
        m = _PLAIN.match(line)
        if not m:
            continue
        n = int(m.group(1))
        if n == 1:
            total, last = total + last, 1
        elif last and n == last + 1:
            last = n
    return total + last


# --- imports ----------------------------------------------------------------------------------


def _fresh():
    from upr import db

    os.environ["UPR_STORE"] = tempfile.mkdtemp(prefix="corpus-store-")
    return db.connect(":memory:")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _review_counts(con) -> dict[tuple[str, int], dict]:
    rows = con.execute(
        """
        SELECT v.sur_iso3, v.cycle, count(*) AS recs,
               count(*) FILTER (WHERE r.response IS NULL OR r.response = 'pending') AS unknown,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM rec_source s WHERE s.rec_id = r.id
                                              AND s.format = 'wg_report')
                                  AND EXISTS (SELECT 1 FROM rec_source s WHERE s.rec_id = r.id
                                              AND s.format = 'upr_info')) AS joined,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM rec_source s WHERE s.rec_id = r.id
                                              AND s.format = 'wg_report')) AS from_report
        FROM recommendation r JOIN review v ON v.id = r.review_id
        WHERE r.merged_into IS NULL GROUP BY ALL
        """
    ).fetchall()
    return {
        (iso3, cycle): {"recs": n, "unknown": u, "joined": j, "from_report": fr} for iso3, cycle, n, u, j, fr in rows
    }


def report_alone(path: Path) -> dict:
    """One report imported alone into a fresh database."""
    from etl.importer import import_file
    from etl.readers.report_text import extract_text

    con = _fresh()
    started = time.perf_counter()
    report = import_file(con, path)
    seconds = time.perf_counter() - started
    review = con.execute("SELECT sur_iso3, cycle, report_symbol FROM review").fetchall()
    counts = _review_counts(con)
    iso3, cycle, symbol = review[0] if review else (None, None, None)
    try:
        doc = document_count(extract_text(path))
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the import itself
        doc = None
    got = counts.get((iso3, cycle), {})
    return {
        "file": path.name,
        "refused": report.refused,
        "errors": [str(p) for p in report.errors][:3],
        "warnings": len(report.warnings),
        "sur": iso3,
        "cycle": cycle,
        "symbol": symbol,
        "recs": got.get("recs", 0),
        "unknown": got.get("unknown", 0),
        "document": doc,
        "seconds": round(seconds, 3),
    }


def upr_info_alone(paths: list[Path]) -> dict[str, dict]:
    """UPR Info's recommendations per review, its exports imported alone (csv files only)."""
    from etl.importer import import_file

    con = _fresh()
    for path in paths:
        if path.suffix.lower() == ".csv":
            import_file(con, path)
    return {f"{k[0]}-{k[1]}": v["recs"] for k, v in _review_counts(con).items()}


def _together(paths: list[str], queue) -> None:
    from etl.fingerprint import review_fingerprints
    from etl.importer import import_file

    con = _fresh()
    started = time.perf_counter()
    refused = []
    for path in paths:
        report = import_file(con, Path(path))
        if report.refused:
            refused.append([Path(path).name, [str(p) for p in report.errors][:3]])
    seconds = time.perf_counter() - started
    counts = {f"{k[0]}-{k[1]}": v for k, v in _review_counts(con).items()}
    fingerprints = {f"{k[0]}-{k[1]}": repr(v) for k, v in review_fingerprints(con).items()}
    queue.put(
        {"seconds": round(seconds, 1), "peak_mb": round(_peak_mb()), "refused": refused, "counts": counts,
         "fingerprints": fingerprints}
    )  # fmt: skip


def together(paths: list[Path]) -> dict:
    """Every file imported into one fresh database in this order, in a process of its own."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_together, args=([str(p) for p in paths], queue))
    proc.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not proc.is_alive():
                return {"failed": f"the import process ended with code {proc.exitcode}"}
    proc.join()
    return result


# --- the report -------------------------------------------------------------------------------


def run(real: Path, only: str | None = None) -> dict:
    files = corpus_files(real)
    if only:
        files = {k: [p for p in v if re.search(only, p.name)] for k, v in files.items()}
    started = time.perf_counter()
    alone = []
    for path in files["reports"]:
        alone.append(report_alone(path))
        print(
            f"{path.name}: {alone[-1]['recs']} (document {alone[-1]['document']}), "
            f"unknown {alone[-1]['unknown']}{' REFUSED' if alone[-1]['refused'] else ''}",
            file=sys.stderr,
            flush=True,
        )
    alone_seconds = time.perf_counter() - started
    upr = upr_info_alone(files["upr_info"])
    forward = files["reports"] + files["addenda"] + files["lists"] + files["upr_info"]
    runs = {"forward": together(forward), "reverse": together(forward[::-1])}
    failed = [f"{k}: {v['failed']}" for k, v in runs.items() if "failed" in v]
    if failed:
        raise SystemExit("everything together failed: " + "; ".join(failed))
    a, b = runs["forward"]["fingerprints"], runs["reverse"]["fingerprints"]
    differing = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    for r in alone:
        key = f"{r['sur']}-{r['cycle']}"
        r["upr_info"] = upr.get(key)
        together_counts = runs["forward"]["counts"].get(key, {})
        r["together_recs"] = together_counts.get("recs")
        r["together_unknown"] = together_counts.get("unknown")
        r["joined"] = together_counts.get("joined")
    reviewed = {f"{r['sur']}-{r['cycle']}" for r in alone if r["sur"]}
    upr_in_reviewed = sum(upr.get(k, 0) for k in reviewed)
    joined = sum(runs["forward"]["counts"].get(k, {}).get("joined", 0) for k in reviewed)
    # UPR Info's recommendations of a reviewed State that no report item took in stay on their own.
    apart = sum(c["recs"] - c["from_report"] for k, c in runs["forward"]["counts"].items() if k in reviewed)
    for r in runs.values():
        r.pop("fingerprints")
    return {
        "reports": alone,
        "alone_seconds": round(alone_seconds, 1),
        "upr_info_recs_of_reviewed": upr_in_reviewed,
        "joined": joined,
        "upr_info_apart": apart,
        "merge_rate": round(1 - apart / upr_in_reviewed, 4) if upr_in_reviewed else None,
        "differing_reviews": differing,
        "runs": {k: {kk: vv for kk, vv in v.items() if kk != "counts"} for k, v in runs.items()},
        "files": {k: len(v) for k, v in files.items()},
    }


def markdown(result: dict) -> str:
    reports = result["reports"]
    refused = [r for r in reports if r["refused"]]
    off = [r for r in reports if r["document"] is not None and r["recs"] != r["document"]]
    unknown_alone = sum(r["unknown"] for r in reports)
    unknown_together = sum(r["together_unknown"] or 0 for r in reports)
    lines = [
        "## Corpus check",
        "",
        "`python -m benchmarks.corpus --write` over `../shared/fixtures/real/`: "
        f"{result['files']['reports']} Working Group reports, {result['files']['addenda']} addenda, "
        f"{result['files']['lists']} thematic lists, {result['files']['upr_info']} UPR Info exports.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| reports refused | {len(refused)} |",
        f"| recommendations read from the reports alone | {sum(r['recs'] for r in reports):,} |",
        f"| reports whose count differs from the document's item numbers | {len(off)} |",
        f"| recommendations with no known response, each report alone | {unknown_alone:,} |",
        f"| the same, everything together | {unknown_together:,} |",
        f"| UPR Info recommendations of the reviewed States | {result['upr_info_recs_of_reviewed']:,} |",
        f"| report items UPR Info joined | {result['joined']:,} |",
        f"| UPR Info recommendations left apart from every report item | {result['upr_info_apart']:,} |",
        f"| merge rate (UPR Info recommendations joined to a report item) | {(result['merge_rate'] or 0):.2%} |",
        f"| reviews that differ between the two orders | {len(result['differing_reviews'])} |",
        f"| time: every report alone | {result['alone_seconds']} s |",
    ]
    for name, r in result["runs"].items():
        lines.append(f"| time, peak memory: everything together, {name} order | {r['seconds']} s, {r['peak_mb']} MB |")
    if result["differing_reviews"]:
        lines += ["", "Reviews that differ between the orders: " + ", ".join(result["differing_reviews"])]
    if off or refused:
        lines += ["", "Reports whose count differs from the document, or refused:", ""]
        lines += [f"- {r['file']}: {r['recs']} read, {r['document']} by item numbers" for r in off]
        lines += [f"- {r['file']}: refused: {'; '.join(r['errors'])}" for r in refused]
    lines += [
        "",
        "<details><summary>Every report</summary>",
        "",
        "| report | review | read | document | no known response (alone / together) | UPR Info |",
        "|---|---|---|---|---|---|",
    ]
    for r in reports:
        lines.append(
            f"| {r['file']} | {r['sur']} {r['cycle']} ({r['symbol']}) | {r['recs']} | {r['document']} | "
            f"{r['unknown']} / {r['together_unknown']} | {r['upr_info']} |"
        )
    lines += ["", "</details>"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=Path, default=REAL, help="the folder of real files")
    parser.add_argument("--only", help="only files whose name matches this regular expression")
    parser.add_argument("--write", action="store_true", help="write the figures to BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="keep every figure in this JSON file")
    args = parser.parse_args(argv)
    if not args.real.exists():
        print(f"no real files at {args.real}", file=sys.stderr)
        return 2
    result = run(args.real, args.only)
    text = markdown(result)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.write:
        from benchmarks.report import replace_section

        replace_section("corpus", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
