"""Every kind of import the CLI and the Data page offer, with its options: one code path for both.

`run_import_kind(engine, kind, path, options=…)` is what `python -m data_layer import KIND FILE` and the
Data page's wizard both call. Options are plain strings keyed by `OptionSpec.name` (the CLI flag is the
name with dashes); each kind's runner validates its own and raises ImportRefused with a Swedish reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from sqlalchemy import Engine

from data_layer.importers.common import ImportRefused, Progress, RowProblem
from data_layer.importers.regions import REGIONS
from data_layer.importers.store import OrgSpec
from data_layer.importers.survey import SURVEY_KINDS
from data_layer.models import AREA_LEVELS, ORGANISATION_KINDS
from data_layer.scope import Scope


class ImportSummary(Protocol):
    """What every kind's runner returns: an object with a JSON-ready `to_dict()`."""

    def to_dict(self) -> dict: ...


@dataclass(frozen=True)
class OptionSpec:
    """One option of an import kind: its name (CLI flag without dashes), Swedish label, and allowed values."""

    name: str
    label_sv: str
    help_sv: str = ""
    choices: tuple[str, ...] | None = None  # None: free text
    required: bool = False
    default: str | None = None
    is_profile: bool = False  # the value names a saved import profile (or a TOML file on the CLI)
    is_file: bool = False  # the value is a second file (e.g. population CSV)


Runner = Callable[..., ImportSummary]


@dataclass(frozen=True)
class ImportKind:
    """An import the user can choose: code (CLI name), Swedish label, accepted file endings, options, runner."""

    code: str
    label_sv: str
    description_sv: str
    file_types: tuple[str, ...]
    options: tuple[OptionSpec, ...]
    runner: Runner  # (engine, path, *, options, skip_invalid, dry_run, user_id, progress) -> ImportSummary
    undoable: bool = True


def _org(options: dict, default: OrgSpec, kind: str = "polis") -> OrgSpec:
    code = (options.get("organisation") or "").strip()
    return OrgSpec(code, code, kind) if code else default


def _run_polisen(engine: Engine, path: Path, *, options: dict, **kw) -> ImportSummary:
    from data_layer.importers.polisen import POLISEN, import_polisen

    return import_polisen(engine, path, organisation=_org(options, POLISEN), **kw)


def _run_police_uk(engine: Engine, path: Path, *, options: dict, **kw) -> ImportSummary:
    from data_layer.importers.police_uk import POLICE_UK, import_police_uk

    return import_police_uk(engine, path, region=options.get("region") or "england",
                            organisation=_org(options, POLICE_UK), **kw)


def _run_areas(engine: Engine, path: Path, *, options: dict, progress: Progress | None = None,  # areas are few
               **kw) -> ImportSummary:
    from data_layer.importers.areas import import_areas

    if not options.get("name_field") or not options.get("level"):
        raise ImportRefused(Path(path).name, [RowProblem(None, None, "områden kräver namnfält och nivå "
                                                                     "(--name-field och --level)")])
    population = options.get("population")
    return import_areas(engine, path, name_field=options["name_field"], code_field=options.get("code_field") or None,
                        level=options["level"], parent_code=options.get("parent") or None,
                        population_path=Path(population) if population else None, **kw)


def _run_partner(engine: Engine, path: Path, *, options: dict, **kw) -> ImportSummary:
    from data_layer.importers.partner import run_from_options

    return run_from_options(engine, path, options=options, **kw)


def _run_survey(engine: Engine, path: Path, *, options: dict, **kw) -> ImportSummary:
    from data_layer.importers.survey import run_from_options

    return run_from_options(engine, path, options=options, **kw)


def _run_survey_answers(engine: Engine, path: Path, *, options: dict, **kw) -> ImportSummary:
    from data_layer.importers.survey_answers import run_from_options

    return run_from_options(engine, path, options=options, **kw)


_ORGANISATION = OptionSpec("organisation", "Källorganisation (kod)",
                           "Organisationen händelserna kommer från; skapas om den saknas.")
_PROFILE = OptionSpec("profile", "Importprofil", "En sparad profil (namn) eller, på kommandoraden, en TOML-fil.",
                      required=True, is_profile=True)

KINDS: dict[str, ImportKind] = {k.code: k for k in (
    ImportKind("incidents", "Partnerexport (CSV/XLSX)",
               "Händelser från en partners system. En importprofil säger vilken kolumn som är tid, kategori, "
               "plats och koordinater.", ("csv", "txt", "xlsx"), (_PROFILE,), _run_partner),
    ImportKind("polisen-json", "Polisens händelser (JSON)",
               "Polisens öppna händelse-API, som fil (även .json.gz). Händelserna placeras på kommun eller län, "
               "aldrig som punkter.", ("json", "gz"), (_ORGANISATION,), _run_polisen),
    ImportKind("police-uk-csv", "police.uk (CSV)",
               "Brittiska polisens gatunivåfiler. Rader utan koordinater sparas som händelser utan plats.",
               ("csv",), (_ORGANISATION, OptionSpec("region", "Tillåtet koordinatområde", choices=tuple(REGIONS),
                                                    default="england")), _run_police_uk),
    ImportKind("areas", "Områdesgränser (GeoJSON)",
               "Kommuner, stadsdelar eller egna områden. Händelser får sitt område genom punkt-i-polygon.",
               ("geojson", "json"),
               (OptionSpec("name_field", "Egenskap med namn", required=True),
                OptionSpec("code_field", "Egenskap med kod", "Tom: koden härleds ur namnet."),
                OptionSpec("level", "Nivå", choices=AREA_LEVELS, required=True, default="omrade"),
                OptionSpec("parent", "Överordnat områdes kod"),
                OptionSpec("population", "Befolkning per kod (CSV)", is_file=True)),
               _run_areas, undoable=False),
    ImportKind("survey", "Trygghetsmätning (CSV/XLSX)",
               "Enkätresultat per område och period: fråga, antal svar och värde eller svarsfördelning.",
               ("csv", "txt", "xlsx"), (_PROFILE,), _run_survey),
    ImportKind("survey-answers", "Enkätsvar per svarande (CSV/XLSX)",
               "En rad per svarande: område, period och ett svar per frågekod. Svaren räknas ihop per område och "
               "period vid importen; inga enskilda svar och inget svarande-id sparas.",
               ("csv", "txt", "xlsx"),
               (OptionSpec("survey_name", "Enkätens namn", required=True),
                OptionSpec("organisation", "Organisation som gjort enkäten (kod)",
                           "Skapas om den saknas.", required=True),
                OptionSpec("survey_kind", "Typ av enkät", choices=SURVEY_KINDS, default="egen"),
                OptionSpec("organisation_kind", "Typ av organisation", choices=ORGANISATION_KINDS, default="annan"),
                OptionSpec("wave", "Fast period (årtal)", "När filen saknar periodkolumn, t.ex. 2025."),
                OptionSpec("area_column", "Kolumn med område", default="omrade"),
                OptionSpec("wave_column", "Kolumn med period", default="period"),
                OptionSpec("id_column", "Kolumn med svarandens id",
                           "Läses aldrig och sparas aldrig. Kolumner som heter id, respondent, löpnummer … "
                           "känns igen ändå."),
                OptionSpec("level", "Områdesnivå", "Tom: alla nivåer.", choices=AREA_LEVELS)),
               _run_survey_answers),
)}


# The matrix resource whose "edit" right an import kind needs: survey data is survey's, everything else import's.
RESOURCE_OF_KIND = {"survey": "survey", "survey-answers": "survey"}


def resource_of(kind: str) -> str:
    """The permission-matrix resource an import of `kind` writes ("survey" or "import")."""
    return RESOURCE_OF_KIND.get(kind, "import")


def run_import_kind(engine: Engine, kind: str, path: Path, *, options: dict | None = None, skip_invalid: bool = False,
                    dry_run: bool = False, user_id: int | None = None, progress: Progress | None = None,
                    allow_server_files: bool = False, scope: Scope | None = None) -> ImportSummary:
    """Run one import of `kind` on `path` (raises ImportRefused for a bad file or bad options; KeyError: unknown kind).

    Only the CLI passes `allow_server_files`: from the web page a profile must be a saved one, never a path on
    the server. (The page's file options come from uploads it stages itself.) The page passes the user's `scope`:
    then the import is refused, nothing written, unless the role may edit the kind's resource (RESOURCE_OF_KIND);
    the CLI passes none (operators run it).
    """
    spec = KINDS[kind]
    if scope is not None and not scope.can(resource_of(kind), "edit"):
        raise ImportRefused(Path(path).name, [RowProblem(None, None, f"din roll ({scope.role}) får inte importera "
                                                                     f"'{spec.label_sv}'")])
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    if not allow_server_files:
        named_files = [o for o in spec.options if o.is_profile and str(options.get(o.name, "")).lower().endswith(".toml")]
        if named_files:
            raise ImportRefused(Path(path).name, [RowProblem(None, None, f"'{o.label_sv}' kan inte vara en fil på "
                                                                         "servern här; välj en sparad profil")
                                                  for o in named_files])
    missing = [o for o in spec.options if o.required and not options.get(o.name) and not o.default]
    if missing:
        raise ImportRefused(Path(path).name, [RowProblem(None, None, f"'{o.label_sv}' måste anges") for o in missing])
    for option in spec.options:
        if option.default and option.name not in options:
            options[option.name] = option.default
        if option.choices and options.get(option.name) and options[option.name] not in option.choices:
            raise ImportRefused(Path(path).name, [RowProblem(None, None, f"'{option.label_sv}' måste vara en av: "
                                                                         f"{', '.join(option.choices)}")])
    return spec.runner(engine, Path(path), options=options, skip_invalid=skip_invalid, dry_run=dry_run,
                       user_id=user_id, progress=progress)
