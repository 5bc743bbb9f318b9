"""CLI commands for imports: `import KIND FILE…`, `undo BATCH_ID`, `sync polisen`, `mappings list|set`, `profiles …`.

Handlers print a JSON summary to stdout and progress to stderr, and return 0. Anything the operator must fix
(a refused file, an unknown batch, an outdated schema, an unreachable feed) raises `ImportCliError` with a
Swedish message; `python -m data_layer` prints it and exits with code 2. Each file is its own transaction:
with several files, the good ones are imported, every refused one is reported, and the exit code is 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data_layer.db import make_engine
from data_layer.importers.common import ImportRefused, UndoRefused, refusal_message, undo_batch
from data_layer.importers.regions import REGIONS
from data_layer.importers.registry import KINDS
from data_layer.migrate import is_at_head
from data_layer.models import AREA_LEVELS

PROGRESS_EVERY = 5_000


class ImportCliError(Exception):
    """An import problem the operator can fix; printed in Swedish without a traceback (exit code 2)."""


def add_import_commands(subparsers) -> None:
    """Register the import, undo, sync, mappings and profiles commands on `python -m data_layer`'s subparsers."""
    imp = subparsers.add_parser("import", help="läs in filer (en fil = en transaktion)")
    imp.add_argument("kind", choices=tuple(KINDS))
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="kontrollera och rapportera, men spara ingenting")
    imp.add_argument("--skip-invalid", action="store_true", help="läs in giltiga rader och logga de felaktiga")
    imp.add_argument("--profile", help="incidents/survey: importprofilens namn i databasen, eller en TOML-fil")
    imp.add_argument("--organisation", help="källorganisationens kod (standard: polisen / police_uk)")
    imp.add_argument("--region", choices=tuple(REGIONS), help="tillåtet koordinatområde (police-uk-csv: england)")
    imp.add_argument("--name-field", help="areas: egenskapen med områdets namn")
    imp.add_argument("--code-field", help="areas: egenskapen med koden (utelämna för att härleda koden ur namnet)")
    imp.add_argument("--level", choices=AREA_LEVELS, help="areas: områdesnivå")
    imp.add_argument("--parent", help="areas: överordnat områdes kod")
    imp.add_argument("--population", type=Path, help="areas: CSV med befolkning per kod")
    taken = {a.dest for a in imp._actions}  # every other option a kind declares gets its flag from the registry
    for option in {o.name: o for k in KINDS.values() for o in k.options if o.name not in taken}.values():
        imp.add_argument("--" + option.name.replace("_", "-"), choices=option.choices,
                         help=f"{option.label_sv}{'. ' + option.help_sv if option.help_sv else ''}")
    imp.set_defaults(handler=cmd_import)
    undo = subparsers.add_parser("undo", help="ångra en import (tar bort dess händelser)")
    undo.add_argument("batch_id", type=int)
    undo.set_defaults(handler=cmd_undo)
    sync = subparsers.add_parser("sync", help="hämta nya händelser från ett flöde")
    sync.add_argument("source", choices=("polisen",))
    sync.add_argument("--url", default=None, help="flödets adress (standard: polisen.se/api/events)")
    sync.add_argument("--interval", type=float, default=None, help="sekunder mellan hämtningar (minst 60)")
    sync.add_argument("--once", action="store_true", help="hämta en gång och avsluta")
    sync.set_defaults(handler=cmd_sync)
    maps = subparsers.add_parser("mappings", help="visa eller ändra hur källornas typer blir kategorier")
    maps_sub = maps.add_subparsers(dest="mappings_command", required=True)
    listing = maps_sub.add_parser("list")
    listing.add_argument("source_kind", nargs="?")
    listing.set_defaults(handler=cmd_mappings_list)
    setter = maps_sub.add_parser("set")
    setter.add_argument("source_kind")
    setter.add_argument("source_type")
    setter.add_argument("category")
    setter.set_defaults(handler=cmd_mappings_set)
    _add_profile_commands(subparsers)


def _add_profile_commands(subparsers) -> None:
    """`profiles list [KIND] | show NAME | save FILE.toml [--name NAME] | delete NAME`."""
    profiles = subparsers.add_parser("profiles", help="importprofiler: visa, spara och ta bort")
    sub = profiles.add_subparsers(dest="profiles_command", required=True)
    listing = sub.add_parser("list", help="sparade profiler som JSON")
    listing.add_argument("kind", nargs="?", choices=("incidents", "survey"))
    listing.set_defaults(handler=cmd_profiles_list)
    show = sub.add_parser("show", help="skriv ut en sparad profils TOML")
    show.add_argument("name")
    show.set_defaults(handler=cmd_profiles_show)
    save = sub.add_parser("save", help="kontrollera och spara en profil (ersätter en med samma namn)")
    save.add_argument("file", type=Path)
    save.add_argument("--name", help="profilens namn (standard: filnamnet utan .toml)")
    save.set_defaults(handler=cmd_profiles_save)
    remove = sub.add_parser("delete", help="ta bort en sparad profil")
    remove.add_argument("name")
    remove.set_defaults(handler=cmd_profiles_delete)


def _engine(url: str):
    engine = make_engine(url)
    if not is_at_head(engine):
        raise ImportCliError("Databasens schema är inte uppdaterat. Kör först: python -m data_layer init")
    return engine


def _progress(label: str, *, dry_run: bool = False):
    verb = "kontrollerade (provkörning, inget sparas)" if dry_run else "sparade"
    return lambda done, total: print(f"{label}: {done}/{total} rader {verb}", file=sys.stderr, flush=True)


def _options(args) -> dict:
    """The kind's options from the command line (flag --name-field -> option name_field)."""
    return {o.name: (str(v) if v is not None else None)
            for o in KINDS[args.kind].options if (v := getattr(args, o.name, None)) is not None}


def _import_one(engine, args, path: Path) -> dict:
    from data_layer.importers.registry import run_import_kind

    return run_import_kind(engine, args.kind, path, options=_options(args), skip_invalid=args.skip_invalid,
                           dry_run=args.dry_run, progress=_progress(path.name, dry_run=args.dry_run),
                           allow_server_files=True).to_dict()


def cmd_import(args) -> int:
    """Import each file in its own transaction; JSON summaries to stdout; refused files raise ImportCliError."""
    engine = _engine(args.db)
    summaries, refusals = [], []
    for path in args.files:
        if not path.is_file():
            refusals.append(f"Filen {path} finns inte.")
            continue
        try:
            summaries.append(_import_one(engine, args, path))
        except ImportRefused as exc:
            refusals.append(refusal_message(exc.file_name, exc.problems))
    print(json.dumps(summaries[0] if len(summaries) == 1 else summaries, ensure_ascii=False, indent=2, default=str))
    if refusals:
        raise ImportCliError("\n".join(refusals))
    return 0


def cmd_undo(args) -> int:
    """Undo one import batch."""
    try:
        deleted = undo_batch(_engine(args.db), args.batch_id)
    except UndoRefused as exc:
        raise ImportCliError(str(exc)) from None
    print(json.dumps({"batch_id": args.batch_id, "rows_deleted": deleted}, ensure_ascii=False))
    return 0


def cmd_sync(args) -> int:
    """Fetch the police feed once (--once) or every --interval seconds until interrupted."""
    from data_layer.importers.sync import DEFAULT_INTERVAL_S, DEFAULT_URL, SyncError, run_sync_loop

    report = lambda summary: print(json.dumps(summary, ensure_ascii=False, default=str), flush=True)  # noqa: E731
    try:
        run_sync_loop(_engine(args.db), url=args.url or DEFAULT_URL, interval_s=args.interval or DEFAULT_INTERVAL_S,
                      once=args.once, report=report)
    except SyncError as exc:
        raise ImportCliError(str(exc)) from None
    except KeyboardInterrupt:
        print("Synkningen avbröts.", file=sys.stderr)
    return 0


def cmd_mappings_list(args) -> int:
    """Print the category mappings as JSON."""
    from data_layer.importers.mappings import list_mappings

    print(json.dumps(list_mappings(_engine(args.db), source_kind=args.source_kind), ensure_ascii=False, indent=2))
    return 0


def cmd_mappings_set(args) -> int:
    """Change one mapping and re-file the incidents already imported with that type."""
    from data_layer.importers.mappings import MappingError, set_mapping

    try:
        moved = set_mapping(_engine(args.db), source_kind=args.source_kind, source_type=args.source_type,
                            category_code=args.category)
    except MappingError as exc:
        raise ImportCliError(str(exc)) from None
    print(json.dumps({"source_kind": args.source_kind, "source_type": args.source_type, "category_code": args.category,
                      "incidents_recategorised": moved}, ensure_ascii=False))
    return 0


def cmd_profiles_list(args) -> int:
    """Print the saved profiles (without their TOML) as JSON."""
    from data_layer.importers.profiles import list_profiles

    rows = [{k: v for k, v in p.items() if k != "body_toml"} for p in list_profiles(_engine(args.db), kind=args.kind)]
    print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    return 0


def cmd_profiles_show(args) -> int:
    """Print one saved profile's TOML as saved."""
    from data_layer.importers.profiles import list_profiles

    found = [p for p in list_profiles(_engine(args.db)) if p["name"] == args.name.strip()]
    if not found:
        raise ImportCliError(f"Det finns ingen sparad importprofil som heter '{args.name}'.")
    print(found[0]["body_toml"], end="" if found[0]["body_toml"].endswith("\n") else "\n")
    return 0


def cmd_profiles_save(args) -> int:
    """Validate a TOML file and save it under --name (default: the file name without .toml)."""
    from data_layer.importers.profiles import save_profile

    try:
        body = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportCliError(f"Profilfilen {args.file} kan inte läsas ({exc}).") from None
    name = args.name or args.file.stem
    try:
        profile_id = save_profile(_engine(args.db), name=name, body_toml=body)
    except ImportRefused as exc:
        raise ImportCliError(f"Profilen {args.file} sparades inte:\n" + "\n".join(f"  {p.reason}"
                                                                             for p in exc.problems)) from None
    print(json.dumps({"id": profile_id, "name": name.strip()}, ensure_ascii=False))
    return 0


def cmd_profiles_delete(args) -> int:
    """Delete one saved profile."""
    from data_layer.importers.profiles import delete_profile

    if not delete_profile(_engine(args.db), name=args.name):
        raise ImportCliError(f"Det finns ingen sparad importprofil som heter '{args.name}'.")
    print(json.dumps({"deleted": args.name.strip()}, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m data_layer.importers.cli`) until the lead wires the commands into data_layer."""
    from data_layer.db import resolve_db_url

    parser = argparse.ArgumentParser(prog="python -m data_layer.importers.cli")
    parser.add_argument("--db")
    add_import_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    args.db = args.db or resolve_db_url()
    try:
        return args.handler(args)
    except ImportCliError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
