"""Import raw survey answers (one row per respondent), aggregated on import into per area × wave results.

The file has an area column, a period column (or a fixed period from the options), one column per question whose
header is a question code the store already knows, and optionally a respondent id column. The id column is never
read: it is dropped before anything else happens, and no reason, note or batch detail ever quotes it. What is
stored is what an aggregated import would store (data_layer/importers/survey.py writes it, so batches, duplicates,
dry runs and undo behave the same):

- a share question (scale 0–1) takes answers 0 or 1 (1 = the answer the question counts, e.g. "ganska eller mycket
  otrygg"); value = the share of 1s, n = those who answered, distribution = {"0": count, "1": count};
- a mean question takes numbers on its scale; value = their mean, n = those who answered, distribution =
  {answer: count}, from which the survey page computes the standard deviation and the t interval.

An empty cell or "NA" is no answer to that question (it counts in no n). Bad input refuses the file with row, column
and reason (unknown question code, answer outside the scale, unknown area or period) and nothing changes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from data_layer.importers import survey as sv
from data_layer.importers.area_names import normalise
from data_layer.importers.common import ImportRefused, Progress, RowProblem, read_file_bytes, sha256_of
from data_layer.models import ORGANISATION_KINDS, SurveyQuestion

KIND = "survey-answers"
MISSING = ("", "na")
# Column names taken for a respondent id when the options name none: dropped unread, never an "unknown question".
ID_NAMES = ("id", "respondent", "respondent_id", "respondentid", "respondent id", "svarande", "svarande_id",
            "svarsid", "svars_id", "lopnummer", "löpnummer", "lopnr", "löpnr", "lnr")
DEFAULT_AREA_COLUMN = "omrade"
DEFAULT_WAVE_COLUMN = "period"
MAX_QUESTIONS_IN_MESSAGE = 12


@dataclass
class AnswerImportResult(sv.SurveyImportResult):
    """A survey import's result plus how many respondents were read and which columns were dropped unread."""

    respondents: int = 0
    dropped_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerOptions:
    """What the options say: the survey's name, kind, organisation, period and the columns to read."""

    survey_name: str
    survey_kind: str
    organisation: str
    organisation_kind: str
    wave: str | None
    area_column: str
    wave_column: str
    id_column: str | None
    level: str | None


def options_from(options: dict, file_name: str) -> AnswerOptions:
    """The options the registry passes, checked (raises ImportRefused with a Swedish reason)."""
    problems = []
    name = " ".join(str(options.get("survey_name") or "").split())
    org = str(options.get("organisation") or "").strip()
    kind = options.get("survey_kind") or "egen"
    org_kind = options.get("organisation_kind") or "annan"
    wave = " ".join(str(options.get("wave") or "").split()) or None
    if not name or len(name) > 200:
        problems.append("enkätens namn ska vara 1–200 tecken (--survey-name)")
    if not org or len(org) > 64:
        problems.append("organisationens kod ska vara 1–64 tecken (--organisation)")
    if kind not in sv.SURVEY_KINDS:
        problems.append(f"enkättypen ska vara en av {', '.join(sv.SURVEY_KINDS)}")
    if org_kind not in ORGANISATION_KINDS:
        problems.append(f"organisationstypen ska vara en av {', '.join(ORGANISATION_KINDS)}")
    if wave and sv._period(wave, {}) is None:
        problems.append(f"perioden '{wave}' ska vara ett årtal, t.ex. 2025")
    if problems:
        raise ImportRefused(file_name, [RowProblem(None, None, p) for p in problems])
    return AnswerOptions(name, kind, org, org_kind, wave,
                         str(options.get("area_column") or DEFAULT_AREA_COLUMN).strip(),
                         str(options.get("wave_column") or DEFAULT_WAVE_COLUMN).strip(),
                         str(options.get("id_column") or "").strip() or None, options.get("level") or None)


# --- columns ---------------------------------------------------------------------------------------------------------

@dataclass
class _Columns:
    area: int
    wave: int | None
    ids: list[int]
    questions: dict[int, sv.Question]  # column -> question


def _stored_questions(conn) -> dict[str, sv.Question]:
    """{normalised code: Question} for every question the store knows."""
    t = SurveyQuestion.__table__
    out = {}
    for r in conn.execute(select(t)):
        out[normalise(r.code)] = sv.Question(
            key=r.code, code=r.code, text_sv=r.text_sv, kind=r.kind, scale_min=float(r.scale_min),
            scale_max=float(r.scale_max), higher_is_worse=bool(r.higher_is_worse), index_code=r.index_code,
            percent=False, n_column=None, share_answers=("1",))
    return out


def _columns(header: list[str], opts: AnswerOptions, questions: dict[str, sv.Question], file_name: str) -> _Columns:
    """Which column is area, period, respondent id and which question; every other column refuses the file."""
    names = [normalise(h) for h in header]
    problems = []

    def find(name: str) -> int | None:
        return names.index(normalise(name)) if normalise(name) in names else None

    area = find(opts.area_column)
    if area is None:
        problems.append(RowProblem(None, opts.area_column, f"kolumnen finns inte i filen (kolumner: "
                                                           f"{', '.join(header[:20])}); ange områdeskolumnen"))
    wave = find(opts.wave_column)
    if wave is None and opts.wave is None:
        problems.append(RowProblem(None, opts.wave_column, "kolumnen finns inte i filen; ange periodkolumnen "
                                                           "eller en fast period (--wave)"))
    if opts.id_column is not None and find(opts.id_column) is None:
        problems.append(RowProblem(None, opts.id_column, "id-kolumnen finns inte i filen"))
    ids = [i for i, n in enumerate(names) if (opts.id_column and n == normalise(opts.id_column)) or n in ID_NAMES]
    cols = {}
    for i, name in enumerate(names):
        if i in ids or i in (area, wave):
            continue
        if name in questions:
            cols[i] = questions[name]
        else:
            known = sorted(q.code for q in questions.values())
            shown = ", ".join(known[:MAX_QUESTIONS_IN_MESSAGE]) + (" …" if len(known) > MAX_QUESTIONS_IN_MESSAGE
                                                                   else "")
            problems.append(RowProblem(None, header[i], f"okänd frågekod '{header[i]}' (lagret känner till: "
                                                        f"{shown or 'inga frågor'})"))
    if not cols and not problems:
        problems.append(RowProblem(None, None, "filen har ingen kolumn med en känd frågekod"))
    if problems:
        raise ImportRefused(file_name, problems)
    return _Columns(area=area, wave=wave, ids=ids, questions=cols)


# --- answers -------------------------------------------------------------------------------------------------------

def _answer(text: str, q: sv.Question) -> float | None:
    """One respondent's answer to `q` (None: no answer); raises survey._Bad with the Swedish reason."""
    if text.strip().casefold() in MISSING:
        return None
    number = sv._parse_number(text)
    if q.kind == "share":
        if number not in (0.0, 1.0):
            raise sv._Bad(f"svaret '{text.strip()}' ligger utanför frågans skala: en andelsfråga tar 0 eller 1 "
                          "(1 = svaret som räknas, t.ex. otrygg)")
    elif not q.scale_min <= number <= q.scale_max:
        raise sv._Bad(f"svaret '{text.strip()}' ligger utanför frågans skala {q.scale_min:g}–{q.scale_max:g}")
    return number


def _key(number: float) -> str:
    return str(int(number)) if number == int(number) else repr(number)


def _aggregate(rows, *, header: list[str], cols: _Columns, opts: AnswerOptions, areas: sv.AreaLookup
               ) -> tuple[list[sv.Cell], list[RowProblem], int]:
    """Cells (one per area × wave × question) and the problems of every bad row; a bad row adds nothing."""
    counts: dict[tuple[int, str, str], Counter] = defaultdict(Counter)
    questions = {q.code: q for q in cols.questions.values()}
    problems, respondents = [], 0
    for number, cells in rows:
        r = sv._RowReader(number, cells, header)
        area_id = r.read(cols.area, areas.find)
        wave = opts.wave if cols.wave is None else r.read(cols.wave, sv._wave_label, {})
        answers = [(q, r.read(i, _answer, q)) for i, q in cols.questions.items()]
        if r.problems:
            problems += r.problems
            continue
        respondents += 1
        for q, a in answers:
            if a is not None:
                counts[(area_id, wave, q.code)][a] += 1
    out = []
    for (area_id, wave, code), c in counts.items():
        q = questions[code]
        n = sum(c.values())
        if q.kind == "share":
            dist = {"0": c.get(0.0, 0), "1": c.get(1.0, 0)}
            value = round(c.get(1.0, 0) / n, 6)
        else:
            dist = {_key(k): v for k, v in sorted(c.items())}
            value = round(sum(k * v for k, v in c.items()) / n, 6)
        out.append(sv.Cell(0, area_id, wave, q, value, n, None, dist))
    out.sort(key=lambda cell: (cell.wave, cell.area_id, cell.question.code))
    return out, problems, respondents


def _without_ids(problems: list[RowProblem], header: list[str], cols: _Columns) -> list[RowProblem]:
    """The reader's problems with any quoted id cell replaced: a respondent id never reaches a message or batch."""
    id_names = {header[i] for i in cols.ids}
    return [RowProblem(p.row, p.column, "respondentens id-cell kunde inte läsas (innehållet visas inte)")
            if p.column in id_names else p for p in problems]


# --- entry points --------------------------------------------------------------------------------------------------

def import_answers(engine: Engine, path: Path, *, opts: AnswerOptions, skip_invalid: bool = False,
                   dry_run: bool = False, user_id: int | None = None,
                   progress: Progress | None = None) -> AnswerImportResult:
    """Aggregate one raw answer file into survey results in one transaction (raises ImportRefused for bad input)."""
    from data_layer.importers.tabular import read_table

    path = Path(path)
    result = AnswerImportResult(file_name=path.name, sha256=sha256_of(path), dry_run=dry_run, profile="",
                                survey_name=opts.survey_name, layout="svar")
    table = read_table(read_file_bytes(path), file_name=path.name)
    result.conversions = dict(table.conversions)
    profile = {"survey": {"name": opts.survey_name, "kind": opts.survey_kind},
               "organisation": {"code": opts.organisation, "name": opts.organisation, "kind": opts.organisation_kind}}

    def read(conn):  # cells, their questions and the problems, with every respondent id left out
        cols = _columns(table.header, opts, _stored_questions(conn), path.name)
        result.dropped_columns = [table.header[i] for i in cols.ids]
        if result.dropped_columns:
            result.notes.append(f"Kolumnen {', '.join(result.dropped_columns)} (svarandens id) lästes inte och "
                                "sparas inte.")
        areas = sv.AreaLookup.load(conn, level=opts.level, aliases={}, file_name=path.name)
        cells, row_problems, result.respondents = _aggregate(table.rows, header=table.header, cols=cols,
                                                             opts=opts, areas=areas)
        result.rows_read = len(table.rows) + len({p.row for p in table.problems if p.row is not None})
        questions = list({c.question.code: c.question for c in cells}.values())
        return cells, questions, [*_without_ids(table.problems, table.header, cols), *row_problems]

    return sv.write_in_one_transaction(engine, result, read=read, profile=profile, skip_invalid=skip_invalid,
                                       dry_run=dry_run, user_id=user_id, progress=progress)


def run_from_options(engine: Engine, path: Path, *, options: dict, skip_invalid: bool = False, dry_run: bool = False,
                     user_id: int | None = None, progress: Progress | None = None) -> AnswerImportResult:
    """The registry's runner: check the options, then aggregate and import."""
    return import_answers(engine, path, opts=options_from(options, Path(path).name), skip_invalid=skip_invalid,
                          dry_run=dry_run, user_id=user_id, progress=progress)

