"""Command line: `python -m etl import|demo|summary|conflicts|revert|user …`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The database and its queries are imported by the commands that use them: `user add` starts in a
# fraction of a second (twenty of them at once stay quick).


def _connect(args: argparse.Namespace):
    from upr import db

    try:
        return db.connect(args.db, wait_seconds=args.wait)
    except (db.DatabaseBusy, db.SchemaTooNew) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(3)


def cmd_import(args: argparse.Namespace) -> int:
    from etl.importer import import_file

    con = _connect(args)
    status = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}: no such file", file=sys.stderr)
            status = 1
            continue
        # Read in a child process under time and memory limits (etl.sandbox): no file can crash the command.
        report = import_file(con, path, who=args.who, dry_run=args.dry_run, isolate=True)
        if args.format == "json":
            print(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            _print_report(report, args.dry_run)
        if report.refused:
            status = 1
    return status


def _print_report(report, dry_run: bool) -> None:
    print(f"{report.file}: {report.format}, {report.rows_read} rows read")
    if report.already_imported is not None:
        print(f"  already imported as import #{report.already_imported}: nothing changed")
        return
    if report.refused:
        print(f"  REFUSED, nothing changed: {len(report.errors)} error(s)")
        for p in report.errors:
            print(f"  - {p}")
    else:
        verb = "would add" if dry_run else "added"
        print(
            f"  {verb} {report.added}, merged/updated {report.updated}, unchanged {report.unchanged}"
            + (f", into the history only {report.history_only}" if report.history_only else "")
            + (f", conflicts recorded {report.conflicts}" if report.conflicts else "")
            + ("" if dry_run else f" (import #{report.import_id})" if report.import_id else " (nothing to record)")
        )
    if report.warnings:
        print(f"  {len(report.warnings)} value(s) kept as written but not mapped:")
        for p in report.warnings:
            print(f"  - {p}")


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.demo import build_demo

    con = _connect(args)
    report = build_demo(con)
    if report.already_imported is not None:
        print(f"The demo is already loaded (import #{report.already_imported}).")
    else:
        print(f"Demo loaded: {report.added} recommendations and assessments added (import #{report.import_id}).")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from upr import queries

    con = _connect(args)
    reviews, sources = queries.review_summary(con), queries.assessment_summary(con)
    if args.format == "json":
        keys = ("state", "cycle", "recommendations", "pairs", "themed", "with_sdg", "responses")
        items = [{k: r[k] for k in keys} for r in reviews]
        print(json.dumps(items + sources, ensure_ascii=False, indent=1))
        return 0
    print(f"{'State under review':<28}{'cycle':>6}{'recs':>7}{'pairs':>7}  responses")
    for r in reviews:
        resp = ", ".join(f"{k} {v}" for k, v in r["responses"].items())
        print(f"{r['state']:<28}{r['cycle']:>6}{r['recommendations']:>7}{r['pairs']:>7}  {resp}")
    if reviews:
        # Themes and SDGs: how many recommendations carry a theme of our list, and an SDG.
        print(f"\n{'Themes and SDGs':<28}{'cycle':>6}{'recs':>7}{'themed':>8}{'SDG':>7}")
        for r in reviews:
            print(
                f"{r['state']:<28}{r['cycle']:>6}{r['recommendations']:>7}{r['themed']:>8}{r['with_sdg']:>7}"
                f"  {_share(r['themed'], r['recommendations'])} themed, "
                f"{_share(r['with_sdg'], r['recommendations'])} with an SDG"
            )
    if sources:
        print(f"\n{'source':<12}{'organisation':<48}statuses")
        for s in sources:
            stats = ", ".join(f"{k} {v}" for k, v in s["statuses"].items())
            print(f"{s['source']:<12}{s['organisation'][:46]:<48}{stats}")
    return 0


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def cmd_conflicts(args: argparse.Namespace) -> int:
    from upr import queries

    con = _connect(args)
    frame = queries.conflicts(con)
    if args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False))
        return 0
    if frame.empty:
        print("No disagreements between sources are recorded.")
    for row in frame.itertuples():
        print(
            f"{row.rec_id} ({row.ref or 'no paragraph'}) {row.field}: {row.kept_value} per {row.kept_source} "
            f"(in force) vs {row.other_value} per {row.other_source}\n    {str(row.text)[:110]}"
        )
    return 0


def cmd_revert(args: argparse.Namespace) -> int:
    from etl.revert import RevertRefused, revert_import

    con = _connect(args)
    try:
        report = revert_import(con, args.import_id, who=args.who)
    except RevertRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    deleted = ", ".join(f"{t} {n}" for t, n in sorted(report.deleted.items())) or "nothing"
    restored = ", ".join(f"{f} {n}" for f, n in sorted(report.restored.items())) or "nothing"
    print(f"Import #{report.import_id} ({report.file}) reverted. Rows deleted: {deleted}. Values restored: {restored}.")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    from upr.accounts import AccountError, add_account, make_account

    try:
        password = None if args.oidc_only else _read_password(args)
        account = make_account(
            args.name,
            args.role,
            password,
            organisation=args.organisation,
            source_kind=args.source_kind,
            email=args.email,
        )
        add_account(account, replace=args.replace)
    except (AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = f" for {account.organisation} ({account.source_kind})" if account.organisation else ""
    print(f"User {account.name} saved: {account.role}{where}.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from upr.accounts import accounts_path, load_accounts

    accounts = load_accounts()
    if not accounts:
        print(f"No accounts in {accounts_path()}.")
        return 0
    print(f"{'name':<24}{'role':<8}{'source':<12}{'organisation':<40}email")
    for a in sorted(accounts.values(), key=lambda a: a.name):
        print(f"{a.name:<24}{a.role:<8}{a.source_kind or '':<12}{(a.organisation or '')[:38]:<40}{a.email or ''}")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    from upr.accounts import remove_account

    if not remove_account(args.name):
        print(f"error: no user {args.name}", file=sys.stderr)
        return 1
    print(f"User {args.name} removed.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Load UPR data into the database.")
    parser.add_argument("--db", help="database file (default: $UPR_DB or data/upr.duckdb)")
    parser.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help="seconds to wait for a database another process is writing (default 10)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("import", help="import files of any supported format")
    p.add_argument("files", nargs="+")
    p.add_argument("--who", default="cli", help="name recorded as the importer")
    p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("demo", help="load the built-in demo of Kazakhstan's four cycles")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("summary", help="recommendations per review and assessments per source")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("conflicts", help="list disagreements between sources")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_conflicts)
    p = sub.add_parser("revert", help="undo one import as a whole (see the import history)")
    p.add_argument("import_id", type=int)
    p.add_argument("--who", default="cli", help="name recorded as the one who reverted")
    p.set_defaults(func=cmd_revert)
    p = sub.add_parser("user", help="manage accounts (file: $UPR_ACCOUNTS or data/accounts.json)")
    users = p.add_subparsers(dest="user_command", required=True)
    u = users.add_parser("add", help="add an account (asks for the password)")
    u.add_argument("name")
    u.add_argument("--role", choices=["admin", "editor"], required=True)
    u.add_argument("--organisation", help="an editor's organisation, as written in assessments")
    u.add_argument("--source-kind", choices=["ngo", "government", "nhri", "un"], help="an editor's source kind")
    u.add_argument("--email", help="the email an OIDC sign-in (st.login) maps to this account")
    u.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    u.add_argument("--oidc-only", action="store_true", help="no password: sign in through OIDC only")
    u.add_argument("--replace", action="store_true", help="replace an existing account of that name")
    u.set_defaults(func=cmd_user_add)
    u = users.add_parser("list", help="list accounts")
    u.set_defaults(func=cmd_user_list)
    u = users.add_parser("remove", help="remove an account")
    u.add_argument("name")
    u.set_defaults(func=cmd_user_remove)
    # Let --db and --wait also follow the sub-command, as the README writes them.
    for action in list(sub.choices.values()):
        action.add_argument("--db", dest="db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        action.add_argument("--wait", dest="wait", type=float, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
