"""Command line for operators: `python -m data_layer init|demo|stats|check-config|users add`; errors: stderr, exit 2."""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from data_layer.db import make_engine, resolve_db_url
from data_layer.migrate import is_at_head, upgrade_to_head

EXIT_USAGE = 2


class CliError(Exception):
    """An error the operator can fix; printed in Swedish without a traceback."""


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ogiltigt datum '{value}', använd ÅÅÅÅ-MM-DD") from None


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' är inget tal") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("måste vara större än 0")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_layer", description="Lägesbild: lagret och demodata.")
    parser.add_argument("--db", help="databas-URL (annars LAGESBILD_DB_URL, secrets.toml eller data/lagesbild.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="migrera databasen till senaste schemat")
    demo = sub.add_parser("demo", help="läs in demokommunen")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--today", type=_parse_date, default=None, help="sista dagen med data (standard: i dag)")
    demo.add_argument("--scale", type=_positive_float, default=1.0, help="multiplicera antalet händelser (benchmark)")
    demo.add_argument("--force", action="store_true", help="läs in även om databasen redan innehåller data")
    demo.add_argument("--if-empty", action="store_true", help="gör ingenting om databasen redan innehåller data")
    sub.add_parser("stats", help="antal rader per tabell, datumintervall och områden som JSON")
    roll = sub.add_parser("rollups", help="summeringstabellerna: jämför med händelserna eller bygg om dem")
    roll.add_argument("rollups_command", choices=("check", "rebuild"),
                      help="check: skriv ut skillnader (slutkod 1 om några finns); rebuild: räkna om allt")
    roll.set_defaults(handler=cmd_rollups)
    sub.add_parser("check-config", help="granska inställningarna inför produktion (slutkod 1 vid problem)")
    users = sub.add_parser("users", help="hantera användare")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="lägg till en lokal användare (lösenord läses från stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True)
    add.add_argument("--organisation", required=True, help="organisationens kod")
    add.add_argument("--display-name")
    app_role = sub.add_parser("pg-app-role", help="PostgreSQL: skapa appens inloggningsroll (utan ägarskap)")
    app_role.add_argument("--name", default="lagesbild_app", help="rollens namn (standard: lagesbild_app)")
    app_role.add_argument("--password-stdin", action="store_true", help="läs rollens lösenord från stdin")
    app_role.add_argument("--print", action="store_true", help="skriv bara ut SQL-satserna (för databasadministratören)")
    app_role.set_defaults(handler=cmd_pg_app_role)
    retention = sub.add_parser("retention", help="visa (eller kör med --apply) gallringen som är aktuell per kategori")
    retention.add_argument("--apply", action="store_true", help="gallra och radera nu (annars bara en förhandsvisning)")
    retention.add_argument("--today", type=_parse_date, default=None, help="räkna åldrar från detta datum (standard: i dag)")
    retention.set_defaults(handler=cmd_retention)
    from data_layer.importers.cli import add_import_commands

    add_import_commands(sub)  # import, undo, sync, mappings (each sets args.handler)
    from data_layer.reports.cli import add_report_commands

    add_report_commands(sub)  # report, digest (each sets args.handler)
    from data_layer.bench_cli import add_bench_command

    add_bench_command(sub)  # bench (sets args.handler)
    return parser


def _engine_at_head(url: str):
    engine = make_engine(url)
    if not is_at_head(engine):
        raise CliError("Databasens schema är inte uppdaterat. Kör först: python -m data_layer init")
    return engine


def cmd_init(args) -> None:
    from data_layer import rollups
    from data_layer.db import refresh_planner_statistics, session_scope
    from data_layer.reference import ensure_categories

    engine = make_engine(args.db)
    upgrade_to_head(engine)
    with session_scope(engine) as session:
        ensure_categories(session)
    with engine.begin() as conn:
        # Pages read counts from the rollups only once they are trusted: a new (empty) store is made so here, a
        # store whose rollups were never built is counted into them once (every write keeps them current after).
        rebuilt = not rollups.is_trusted(conn)
        if rebuilt:
            rollups.rebuild_in(conn)
    refresh_planner_statistics(engine)  # a migration may add an index the planner has no figures for yet
    print(f"Databasen är migrerad till senaste schemat: {_redacted(args.db)}"
          + (" (summeringstabellerna är uppbyggda)" if rebuilt else ""))


def cmd_demo(args) -> None:
    from data_layer.demo import DemoRefused, load_demo
    from data_layer.models import Area, Incident

    engine = _engine_at_head(args.db)
    if args.if_empty:
        with engine.connect() as conn:
            held = conn.execute(select(func.count()).select_from(Incident)).scalar_one() + \
                conn.execute(select(func.count()).select_from(Area)).scalar_one()
        if held:
            print("Databasen innehåller redan data; demokommunen läses inte in.")
            return
    try:
        counts = load_demo(engine, seed=args.seed, today=args.today, scale=args.scale, force=args.force,
                           progress=lambda msg: print(msg, file=sys.stderr))
    except DemoRefused as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(counts, ensure_ascii=False))


def cmd_rollups(args) -> int:
    from data_layer import rollups

    engine = _engine_at_head(args.db)
    if args.rollups_command == "rebuild":
        print(json.dumps(rollups.rebuild(engine), ensure_ascii=False))
        return 0
    differences = rollups.check(engine)
    for difference in differences:
        print(difference)
    if differences:
        print(f"{len(differences)} skillnader; kör `python -m data_layer rollups rebuild`.", file=sys.stderr)
        return 1
    print("Summeringstabellerna stämmer med händelserna.")
    return 0


def cmd_stats(args) -> None:
    from data_layer.stats import store_stats

    print(json.dumps(store_stats(_engine_at_head(args.db)), ensure_ascii=False, indent=2))


def cmd_users_add(args) -> None:
    from data_layer.users import UserError, add_user

    password = getpass.getpass("Lösenord: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    try:
        user_id = add_user(_engine_at_head(args.db), username=args.username, role=args.role,
                           organisation_code=args.organisation, password=password, display_name=args.display_name)
    except UserError as exc:
        raise CliError(str(exc)) from None
    print(f"Användaren '{args.username}' har skapats (id {user_id}).")


def cmd_pg_app_role(args) -> None:
    from data_layer.rls import app_role_sql

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    try:
        statements = app_role_sql(args.name, password=password)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.print:
        shown = app_role_sql(args.name, password="***") if password is not None else statements
        print(";\n".join(shown) + ";")
        return
    engine = _engine_at_head(args.db)
    if engine.dialect.name != "postgresql":
        raise CliError("Radsäkerhet och approllen finns bara för PostgreSQL.")
    with engine.begin() as conn:  # as the tables' owner (the URL given by --db or LAGESBILD_DB_URL)
        for statement in statements:
            conn.exec_driver_sql(statement)
    print(f"Rollen '{args.name}' får läsa och skriva rader men äger inget; låt appen ansluta som den "
          "(se docs/deployment-postgresql.md).")


def cmd_retention(args) -> None:
    from analysis.periods import today_stockholm
    from data_layer.retention import apply, due

    engine = _engine_at_head(args.db)
    today = args.today or today_stockholm()
    print(f"Gallring per {today.isoformat()} ({'körs nu' if args.apply else 'förhandsvisning; kör med --apply'}):")
    for item in due(engine, today=today):
        rule = item.rule
        coarsen = f"efter {rule.coarsen_after_months} mån" if rule.coarsen_after_months else "aldrig"
        remove = f"efter {rule.delete_after_months} mån" if rule.delete_after_months else "aldrig"
        print(f"  {rule.category_code:<20} detaljer {coarsen:<14} radering {remove:<14} "
              f"{'(egen regel)' if rule.own else '(standard)':<13} att gallra {item.to_coarsen:>7}  "
              f"att radera {item.to_delete:>7}")
    if args.apply:
        done = apply(engine, today=today, scope=None)
        print(f"Klart: {sum(v['coarsened'] for v in done.values())} händelser gallrade, "
              f"{sum(v['deleted'] for v in done.values())} raderade.")


def _redacted(url: str | None) -> str:
    url = url or resolve_db_url()
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def cmd_check_config(args) -> int:
    import os

    from data_layer.hardening import check

    found = check({**os.environ, "LAGESBILD_DB_URL": args.db})
    for problem in found:
        print(f"- {problem}")
    print(f"{len(found)} problem hittades." if found else "Inställningarna klarar produktionskontrollen.")
    return 1 if found else 0


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "stats": cmd_stats, "check-config": cmd_check_config}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.db_given = args.db is not None  # bench builds its own demo store unless --db names one
    args.db = args.db or resolve_db_url()
    from data_layer.importers.cli import ImportCliError
    from data_layer.reports.acting import ReportError

    handler = getattr(args, "handler", None) or (cmd_users_add if args.command == "users" else COMMANDS[args.command])
    try:
        code = handler(args)
    except (CliError, ImportCliError, ReportError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OperationalError as exc:
        print(f"Fel: kunde inte nå databasen {_redacted(args.db)}: {exc.orig}", file=sys.stderr)
        return EXIT_USAGE
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
