"""Import survey results (trygghetsmätning, hyresgästenkät, NTU, own surveys) per area and period with a profile.

A profile (TOML, see import_profiles/chicago-police-sentiment.toml) says which column names the area and the
period (wave), and which questions the file holds: in the "wide" layout one column per question, in the "long"
layout one row per (area, wave, question) with value, n, response rate and answer counts. Cells the profile
lists as missing ("NA", "") are stored as results with value None, never as zero. The whole file is one
transaction: bad rows refuse the file (or, with skip_invalid, are recorded in the batch), a result the store
already holds for (survey, question, area) is skipped, and an import that would write nothing writes nothing.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import Connection, Engine, delete, exists, insert, select, update

from data_layer.importers.area_names import normalise
from data_layer.importers.common import (ImportRefused, ImportSummary, Progress, RowProblem, read_file_bytes,
                                         rejected_detail, sha256_of)
from data_layer.importers.store import OrgSpec, get_or_create_org
from data_layer.models import (AREA_LEVELS, ORGANISATION_KINDS, Area, ImportBatch, Survey, SurveyPlaceMark,
                               SurveyQuestion, SurveyResult)
from data_layer.reference import bump_data_version

SOURCE_KIND = "survey"
SURVEY_KINDS = ("trygghetsmatning", "hyresgastenkat", "ntu", "egen")
QUESTION_KINDS = ("share", "mean")
LAYOUTS = ("wide", "long")
DECIMALS = ("auto", ".", ",")
DEFAULT_MISSING = ("NA", "")
INSERT_CHUNK = 5_000
_YEAR = re.compile(r"^\d{4}$")

# Allowed keys per table: name -> (accepted types, required). Anything else in a profile is a problem.
_TOP = {"kind": ((str,), True), "description": ((str,), False), "survey": ((dict,), True),
        "organisation": ((dict,), True), "file": ((dict,), False), "columns": ((dict,), True),
        "waves": ((dict,), False), "areas": ((dict,), False), "questions": ((dict,), True),
        "distribution": ((dict,), False)}
_TABLES = {
    "survey": {"name": ((str,), True), "kind": ((str,), True), "wave": ((str, int), False)},
    "organisation": {"code": ((str,), True), "name": ((str,), False), "kind": ((str,), False)},
    "file": {"encoding": ((str,), False), "separator": ((str,), False), "decimal": ((str,), False),
             "sheet": ((str, int), False), "layout": ((str,), False), "missing": ((list,), False)},
    "columns": {"area": ((str,), True), "wave": ((str,), False), "question": ((str,), False),
                "value": ((str,), False), "n": ((str,), False), "response_rate": ((str,), False)},
    "areas": {"level": ((str,), False), "aliases": ((dict,), False)},
}
_QUESTION = {"code": ((str,), True), "text_sv": ((str,), True), "kind": ((str,), True),
             "scale_min": ((int, float), False), "scale_max": ((int, float), False),
             "higher_is_worse": ((bool,), True), "index_code": ((str,), False), "percent": ((bool,), False),
             "n_column": ((str,), False), "share_answers": ((list,), False)}
_TYPE_SV = {str: "text", int: "heltal", float: "tal", bool: "true/false", list: "lista", dict: "tabell"}


# --- the profile ---------------------------------------------------------------------------------------------------

def _check_keys(d: dict, spec: dict, where: str) -> list[str]:
    problems = []
    for key, value in d.items():
        if key not in spec:
            problems.append(f"{where}: okänd nyckel '{key}' (tillåtna: {', '.join(spec)})")
            continue
        types = spec[key][0]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            problems.append(f"{where}: '{key}' ska vara {' eller '.join(_TYPE_SV[t] for t in types)}")
    problems += [f"{where}: '{key}' saknas" for key, (_t, required) in spec.items() if required and key not in d]
    return problems


def _as_date(value) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _question_problems(key: str, q: dict, layout: str) -> list[str]:
    where = f"[questions.\"{key}\"]"
    problems = _check_keys(q, _QUESTION, where)
    if problems:
        return problems
    if not q["code"].strip() or len(q["code"]) > 64:
        problems.append(f"{where}: 'code' ska vara 1–64 tecken")
    if not q["text_sv"].strip() or len(q["text_sv"]) > 500:
        problems.append(f"{where}: 'text_sv' ska vara 1–500 tecken")
    if q["kind"] not in QUESTION_KINDS:
        problems.append(f"{where}: 'kind' ska vara share (andel 0–1) eller mean (medelvärde)")
    elif q["kind"] == "share" and (q.get("scale_min", 0), q.get("scale_max", 1)) != (0, 1):
        problems.append(f"{where}: en andel har skalan 0–1 (ange percent = true om filen har procent)")
    elif q["kind"] == "mean":
        if "scale_min" not in q or "scale_max" not in q:
            problems.append(f"{where}: ett medelvärde behöver 'scale_min' och 'scale_max'")
        elif q["scale_min"] >= q["scale_max"]:
            problems.append(f"{where}: 'scale_min' ska vara mindre än 'scale_max'")
        if q.get("percent"):
            problems.append(f"{where}: 'percent' gäller bara andelar (kind = \"share\")")
    if "n_column" in q and layout != "wide":
        problems.append(f"{where}: 'n_column' gäller bara layout = \"wide\"")
    if "share_answers" in q and (q["kind"] != "share" or not all(isinstance(a, str) for a in q["share_answers"])):
        problems.append(f"{where}: 'share_answers' är en lista med svarsalternativ och gäller bara andelar")
    return problems


def validate_profile(d: dict) -> list[str]:
    """Every problem of a survey profile (parsed TOML) as a Swedish sentence; an empty list means it is usable."""
    problems = _check_keys(d, _TOP, "översta nivån")
    if d.get("kind") not in (None, "survey"):
        problems.append(f"kind ska vara \"survey\", inte \"{d.get('kind')}\"")
    for table, spec in _TABLES.items():
        if isinstance(d.get(table), dict):
            problems += _check_keys(d[table], spec, f"[{table}]")
    layout = d["file"].get("layout", "wide") if isinstance(d.get("file"), dict) else "wide"
    questions = d.get("questions") if isinstance(d.get("questions"), dict) else {}
    if "questions" in d and not questions:
        problems.append("[questions]: minst en fråga behövs")
    codes = Counter()
    for key, q in questions.items():
        if not isinstance(q, dict):
            problems.append(f"[questions]: '{key}' ska vara en tabell ([questions.\"{key}\"])")
            continue
        problems += _question_problems(key, q, layout)
        codes[q.get("code")] += 1
    problems += [f"[questions]: koden '{c}' används av flera frågor" for c, k in codes.items() if c and k > 1]
    if problems:
        return problems
    survey, org, file, columns = d["survey"], d["organisation"], d.get("file", {}), d["columns"]
    if survey["kind"] not in SURVEY_KINDS:
        problems.append(f"[survey]: 'kind' ska vara en av {', '.join(SURVEY_KINDS)}")
    if not survey["name"].strip() or len(survey["name"]) > 200:
        problems.append("[survey]: 'name' ska vara 1–200 tecken")
    if ("wave" in columns) == ("wave" in survey):
        problems.append("ange perioden på ett av två sätt: som kolumn ([columns] wave) eller fast ([survey] wave)")
    if "wave" in survey and _period(str(survey["wave"]), d.get("waves") or {}) is None:
        problems.append(f"[survey]: perioden '{survey['wave']}' är inget år; beskriv den under [waves]")
    if not org["code"].strip() or len(org["code"]) > 64:
        problems.append("[organisation]: 'code' ska vara 1–64 tecken")
    if org.get("kind", "annan") not in ORGANISATION_KINDS:
        problems.append(f"[organisation]: 'kind' ska vara en av {', '.join(ORGANISATION_KINDS)}")
    if layout not in LAYOUTS:
        problems.append("[file]: 'layout' ska vara \"wide\" (en kolumn per fråga) eller \"long\" (en rad per fråga)")
    if file.get("decimal", "auto") not in DECIMALS:
        problems.append("[file]: 'decimal' ska vara \"auto\", \".\" eller \",\"")
    if not all(isinstance(m, str) for m in file.get("missing", [])):
        problems.append("[file]: 'missing' är en lista med texter, t.ex. [\"NA\", \"\"]")
    if layout == "wide" and ({"question", "value"} & set(columns) or d.get("distribution")):
        problems.append("layout \"wide\": frågorna är kolumner; [columns] question/value och [distribution] "
                        "hör till layout \"long\"")
    if layout == "long" and ("question" not in columns or not ("value" in columns or d.get("distribution"))):
        problems.append("layout \"long\": ange [columns] question och value (eller svarsfördelning under "
                        "[distribution])")
    if not all(isinstance(c, str) for c in (d.get("distribution") or {}).values()):
        problems.append("[distribution]: varje svarsalternativ pekar på en kolumn (text)")
    problems += _waves_problems(d.get("waves") or {})
    areas = d.get("areas") or {}
    if areas.get("level") not in (None, *AREA_LEVELS):
        problems.append(f"[areas]: 'level' ska vara en av {', '.join(AREA_LEVELS)}")
    if not all(isinstance(c, str) for c in (areas.get("aliases") or {}).values()):
        problems.append("[areas.aliases]: varje namn i filen pekar på en områdeskod (text)")
    return problems


def _waves_problems(waves: dict) -> list[str]:
    problems = []
    for label, period in waves.items():
        if not isinstance(period, dict) or set(period) != {"from", "to"}:
            problems.append(f"[waves]: '{label}' ska ha exakt 'from' och 'to', t.ex. "
                            "{ from = 2025-03-01, to = 2025-04-15 }")
            continue
        start, end = _as_date(period["from"]), _as_date(period["to"])
        if start is None or end is None or start > end:
            problems.append(f"[waves]: '{label}' behöver datum 'from' ≤ 'to' (ÅÅÅÅ-MM-DD)")
        if len(str(label)) > 32:
            problems.append(f"[waves]: '{label}' är längre än 32 tecken")
    return problems


def _period(label: str, waves: dict) -> tuple[date, date] | None:
    """The fielding period of a wave: as [waves] says, else a plain year means that calendar year."""
    for key, period in waves.items():
        if normalise(str(key)) == normalise(label):
            return _as_date(period["from"]), _as_date(period["to"])
    if _YEAR.match(label.strip()):
        year = int(label)
        return date(year, 1, 1), date(year, 12, 31)
    return None


@dataclass(frozen=True)
class Question:
    """One question of the profile: the file's key (column or question label) and its definition."""

    key: str
    code: str
    text_sv: str
    kind: str
    scale_min: float
    scale_max: float
    higher_is_worse: bool
    index_code: str | None
    percent: bool
    n_column: str | None
    share_answers: tuple[str, ...]

    @classmethod
    def from_profile(cls, key: str, q: dict) -> "Question":
        return cls(key=key, code=q["code"].strip(), text_sv=q["text_sv"].strip(), kind=q["kind"],
                   scale_min=float(q.get("scale_min", 0)), scale_max=float(q.get("scale_max", 1)),
                   higher_is_worse=q["higher_is_worse"], index_code=(q.get("index_code") or "").strip() or None,
                   percent=bool(q.get("percent")), n_column=q.get("n_column"),
                   share_answers=tuple(q.get("share_answers") or ()))

    def file_scale(self) -> tuple[float, float]:
        """The scale values have in the file (a share given in percent: 0–100)."""
        factor = 100.0 if self.percent else 1.0
        return self.scale_min * factor, self.scale_max * factor


# --- the result ----------------------------------------------------------------------------------------------------

@dataclass
class SurveyImportResult(ImportSummary):
    """What a survey import (or dry run) read, wrote, skipped and rejected."""

    file_name: str
    sha256: str
    dry_run: bool
    profile: str
    survey_name: str
    layout: str
    source_kind: str = SOURCE_KIND
    rows_read: int = 0
    accepted: int = 0  # results written (or, in a dry run, that would be)
    missing_values: int = 0  # of those, results whose value is missing (None)
    duplicates_skipped: int = 0
    rows_rejected: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    surveys_created: int = 0
    questions_created: int = 0
    by_wave: dict[str, int] = field(default_factory=dict)
    by_question: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Swedish remarks for the person importing
    conversions: dict[str, int] = field(default_factory=dict)
    batch_id: int | None = None


# --- reading cells -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One result read from the file: where (area, wave, question), and what (value, n, rate, distribution)."""

    row: int
    area_id: int
    wave: str
    question: Question
    value: float | None
    n: int | None
    response_rate: float | None
    distribution: dict | None


class _Bad(ValueError):
    """A cell that cannot be read; the message is the Swedish reason."""


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def _parse_number(text: str, *, decimal: str = "auto") -> float:
    """'61,3' / '61.3' / '1 234' -> float, per the decimal mark ('auto': either one); raises _Bad."""
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if not _NUMBER.match(s):  # also refuses "nan", "inf" and "1e5", which float() would take
        raise _Bad(f"'{text.strip()}' är inget tal")
    if decimal == "," and "." in s or decimal == "." and "," in s:
        raise _Bad(f"'{text.strip()}' har fel decimaltecken (profilen säger '{decimal}')")
    return float(s.replace(",", "."))


class _Reader:
    """Reads the typed cells of one row, knowing the missing markers and the decimal mark."""

    def __init__(self, *, missing: tuple[str, ...], decimal: str):
        self.missing = {m.strip().casefold() for m in missing}
        self.decimal = decimal

    def is_missing(self, text: str | None) -> bool:
        return (text or "").strip().casefold() in self.missing

    def number(self, text: str | None) -> float | None:
        if self.is_missing(text):
            return None
        if not (text or "").strip():
            raise _Bad("värde saknas (tomma celler räknas bara som saknade om profilen säger det i [file] missing)")
        return _parse_number(text, decimal=self.decimal)

    def value(self, text: str | None, q: Question) -> float | None:
        raw = text.strip() if text else ""
        number = self.number(raw.rstrip("%").strip() if q.percent else raw)
        if number is None:
            return None
        low, high = q.file_scale()
        if not low <= number <= high:
            raise _Bad(f"värdet '{raw}' ligger utanför frågans skala {low:g}–{high:g}")
        return round(number / 100.0, 6) if q.percent else number

    def count(self, text: str | None) -> int | None:
        number = self.number(text)
        if number is None:
            return None
        if number < 0 or number != int(number):
            raise _Bad(f"'{text.strip()}' är inget antal (heltal ≥ 0)")
        return int(number)

    def rate(self, text: str | None) -> float | None:
        raw = (text or "").strip()
        percent = raw.endswith("%")
        number = self.number(raw.rstrip("%").strip() if percent else raw)
        if number is None:
            return None
        number = number / 100.0 if percent else number
        if not 0 <= number <= 1:
            raise _Bad(f"svarsfrekvensen '{raw}' ska vara mellan 0 och 1 (eller 0–100 %)")
        return round(number, 6)

    def answer_count(self, text: str | None) -> float | int | None:
        """How many gave one answer; a missing count stays missing (None), never zero."""
        number = self.number(text)
        if number is None:
            return None
        if number < 0:
            raise _Bad(f"antalet '{text.strip()}' är negativt")
        return int(number) if number == int(number) else number


def derived_value(q: Question, distribution: dict | None) -> float | None:
    """A share or mean computed from answer counts, when the file gives counts but no value."""
    if not distribution:
        return None
    total = sum(distribution.values())
    if total <= 0:
        return None
    if q.kind == "share":
        if not q.share_answers:
            return None
        chosen = {normalise(a) for a in q.share_answers}
        return round(sum(c for a, c in distribution.items() if normalise(a) in chosen) / total, 6)
    graded = [(float(a.replace(",", ".")), c) for a, c in distribution.items() if _is_number(a)]
    weight = sum(c for _g, c in graded)
    return round(sum(g * c for g, c in graded) / weight, 6) if weight else None


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "."))
        return True
    except ValueError:
        return False


# --- areas and columns ---------------------------------------------------------------------------------------------

class AreaLookup:
    """Areas by name or code, case-insensitively, optionally of one level, with the profile's aliases first."""

    def __init__(self, by_name: dict[str, set[int]], by_code: dict[str, int], aliases: dict[str, int]):
        self.by_name, self.by_code, self.aliases = by_name, by_code, aliases

    @classmethod
    def load(cls, conn: Connection, *, level: str | None, aliases: dict[str, str], file_name: str) -> "AreaLookup":
        stmt = select(Area.id, Area.name, Area.code)
        if level:
            stmt = stmt.where(Area.level == level)
        by_name: dict[str, set[int]] = {}
        by_code: dict[str, int] = {}
        for area_id, name, code in conn.execute(stmt):
            by_name.setdefault(normalise(name), set()).add(area_id)
            by_code[normalise(code)] = area_id
        unknown = [code for code in aliases.values() if normalise(code) not in by_code]
        if unknown:
            raise ImportRefused(file_name, [RowProblem(None, None, f"[areas.aliases] pekar på områdeskoder som inte "
                                                                   f"finns: {', '.join(unknown)}")])
        return cls(by_name, by_code, {normalise(k): by_code[normalise(v)] for k, v in aliases.items()})

    def find(self, text: str) -> int:
        """The area id a cell names; raises _Bad with the reason."""
        key = normalise(text or "")
        if not key:
            raise _Bad("området saknas")
        if key in self.aliases:
            return self.aliases[key]
        ids = self.by_name.get(key, set())
        if len(ids) > 1:
            raise _Bad(f"namnet '{text.strip()}' passar flera områden; ange [areas] level i profilen")
        if ids:
            return next(iter(ids))
        if key in self.by_code:
            return self.by_code[key]
        raise _Bad(f"okänt område '{text.strip()}' (importera områdena först, eller lägg till ett alias under "
                   "[areas.aliases])")


def _column_finder(header: list[str]):
    """find(name) -> the column's index (None for no name); missing names are collected in find.missing."""
    index = {normalise(h): i for i, h in reversed(list(enumerate(header)))}

    def find(name: str | None) -> int | None:
        if not name:
            return None
        if normalise(name) not in index:
            find.missing.append(name)
        return index.get(normalise(name))

    find.missing = []
    return find


@dataclass
class _Layout:
    """Where the profile's columns are in this file's header."""

    area: int
    wave: int | None
    n: int | None
    rate: int | None
    question: int | None = None
    value: int | None = None
    question_cols: dict[str, int] = field(default_factory=dict)  # wide: question key -> column
    n_cols: dict[str, int] = field(default_factory=dict)  # wide: question key -> its own n column
    distribution: dict[str, int] = field(default_factory=dict)  # long: answer -> column
    used: set[int] = field(default_factory=set)


def _locate(header: list[str], profile: dict, questions: list[Question], file_name: str) -> _Layout:
    cols = profile["columns"]
    find = _column_finder(header)
    lay = _Layout(area=find(cols["area"]), wave=find(cols.get("wave")), n=find(cols.get("n")),
                  rate=find(cols.get("response_rate")), question=find(cols.get("question")),
                  value=find(cols.get("value")))
    if profile.get("file", {}).get("layout", "wide") == "wide":
        lay.question_cols = {q.key: find(q.key) for q in questions}
        lay.n_cols = {q.key: find(q.n_column) for q in questions if q.n_column}
    lay.distribution = {answer: find(col) for answer, col in (profile.get("distribution") or {}).items()}
    if find.missing:
        shown = ", ".join(header[:30]) + (" …" if len(header) > 30 else "")
        raise ImportRefused(file_name, [RowProblem(None, name, f"kolumnen finns inte i filen (kolumner: {shown})")
                                        for name in dict.fromkeys(find.missing)])
    lay.used = {i for i in (lay.area, lay.wave, lay.n, lay.rate, lay.question, lay.value) if i is not None}
    lay.used |= set(lay.question_cols.values()) | set(lay.n_cols.values()) | set(lay.distribution.values())
    return lay


# --- parsing rows --------------------------------------------------------------------------------------------------

def _cell(cells: list[str], i: int | None) -> str | None:
    return None if i is None else (cells[i] if i < len(cells) else "")


class _RowReader:
    """Reads the cells of one row, collecting a RowProblem (row, column, reason) for each bad cell."""

    def __init__(self, number: int, cells: list[str], header: list[str]):
        self.number, self.cells, self.header = number, cells, header
        self.problems: list[RowProblem] = []

    def read(self, i: int | None, fn, *args):
        """fn(cell text, *args), or None when the column is not mapped or the cell is bad (then recorded)."""
        if i is None:
            return None
        try:
            return fn(self.cells[i] if i < len(self.cells) else "", *args)
        except _Bad as exc:
            self.problems.append(RowProblem(self.number, self.header[i], str(exc)))
            return None


def _read_rows(rows, *, header: list[str], lay: _Layout, profile: dict, questions: list[Question],
               areas: AreaLookup, reader: _Reader) -> tuple[list[Cell], list[RowProblem]]:
    """Every result the rows hold, and every problem (a row with any problem gives no results)."""
    fixed_wave = " ".join(str(profile["survey"]["wave"]).split()) if "wave" in profile["survey"] else None
    waves = profile.get("waves") or {}
    by_label = {normalise(q.code): q for q in questions} | {normalise(q.key): q for q in questions}
    out, problems, seen = [], [], {}
    for number, cells in rows:
        r = _RowReader(number, cells, header)
        area_id = r.read(lay.area, areas.find)
        wave = fixed_wave if lay.wave is None else r.read(lay.wave, _wave_label, waves)
        n, rate = r.read(lay.n, reader.count), r.read(lay.rate, reader.rate)
        if lay.question is None:  # wide: one result per question column
            found = [(q, r.read(lay.question_cols[q.key], reader.value, q),
                      r.read(lay.n_cols[q.key], reader.count) if q.key in lay.n_cols else n, None) for q in questions]
        else:  # long: one result per row
            q = r.read(lay.question, _question_of, by_label)
            counts = {answer: r.read(i, reader.answer_count) for answer, i in lay.distribution.items()}
            dist = {a: c for a, c in counts.items() if c is not None} or None
            value = r.read(lay.value, reader.value, q) if q else None
            if q and value is None:
                value = derived_value(q, dist)
            if n is None and dist:
                n = int(sum(dist.values()))
            found = [(q, value, n, dist)] if q else []
        for q, _value, _n, _dist in found:
            key = (area_id, wave, q.code)
            if area_id is not None and wave is not None and key in seen:
                where = header[lay.question if lay.question is not None else lay.area]
                r.problems.append(RowProblem(number, where, f"området '{_cell(cells, lay.area)}', perioden '{wave}' "
                                                            f"och frågan '{q.key}' finns redan på rad {seen[key]}"))
            seen.setdefault(key, number)
        if r.problems:
            problems += r.problems
            continue
        out += [Cell(number, area_id, wave, q, value, q_n, rate, dist) for q, value, q_n, dist in found]
    return out, problems


def _wave_label(text: str | None, waves: dict) -> str:
    label = " ".join((text or "").split())
    if not label:
        raise _Bad("perioden saknas")
    if len(label) > 32:
        raise _Bad(f"perioden '{label}' är längre än 32 tecken")
    if _period(label, waves) is None:
        raise _Bad(f"okänd period '{label}': ange ett år (t.ex. 2025) eller beskriv perioden under [waves]")
    return label


def _question_of(text: str | None, by_label: dict[str, Question]) -> Question:
    q = by_label.get(normalise(text or ""))
    if q is None:
        raise _Bad(f"okänd fråga '{(text or '').strip()}' (profilen har: "
                   f"{', '.join(sorted({q.key for q in by_label.values()}))})")
    return q


# --- writing -------------------------------------------------------------------------------------------------------

def _ensure_questions(conn: Connection, questions: list[Question], file_name: str) -> tuple[dict[str, int], int]:
    """{code: id}, creating missing questions; an existing code with another scale, kind or direction refuses."""
    t = SurveyQuestion.__table__
    existing = {r.code: r for r in conn.execute(select(t).where(t.c.code.in_([q.code for q in questions])))}
    ids, problems, created = {}, [], 0
    for q in questions:
        old = existing.get(q.code)
        if old is None:
            ids[q.code] = conn.execute(insert(t).values(
                code=q.code, text_sv=q.text_sv, kind=q.kind, scale_min=q.scale_min, scale_max=q.scale_max,
                higher_is_worse=q.higher_is_worse, index_code=q.index_code)).inserted_primary_key[0]
            created += 1
            continue
        if (old.scale_min, old.scale_max, old.kind, bool(old.higher_is_worse)) != (
                q.scale_min, q.scale_max, q.kind, q.higher_is_worse):
            problems.append(RowProblem(None, None, (
                f"frågan '{q.code}' finns redan med skalan {old.scale_min:g}–{old.scale_max:g} ({old.kind}, "
                f"{'högre är sämre' if old.higher_is_worse else 'högre är bättre'}); profilen säger "
                f"{q.scale_min:g}–{q.scale_max:g} ({q.kind}, "
                f"{'högre är sämre' if q.higher_is_worse else 'högre är bättre'}). Använd en annan kod.")))
        ids[q.code] = old.id
    if problems:
        raise ImportRefused(file_name, problems)
    return ids, created


def _ensure_surveys(conn: Connection, *, name: str, kind: str, org_id: int, waves: list[str], periods: dict,
                    batch_id: int) -> tuple[dict[str, int], int]:
    """{wave: survey id} by (name, wave, organisation), creating missing ones as part of `batch_id`."""
    t = Survey.__table__
    have = dict(conn.execute(select(t.c.wave, t.c.id).where(t.c.name == name, t.c.organisation_id == org_id,
                                                             t.c.wave.in_(waves))).all())
    created = 0
    for wave in waves:
        if wave not in have:
            start, end = _period(wave, periods)
            have[wave] = conn.execute(insert(t).values(name=name, kind=kind, wave=wave, organisation_id=org_id,
                                                       fielded_from=start, fielded_to=end, import_batch_id=batch_id)
                                      ).inserted_primary_key[0]
            created += 1
    return have, created


def _write_batch(conn: Connection, result: SurveyImportResult, *, org_id: int, user_id: int | None) -> int:
    detail = rejected_detail(result.rejected)
    return conn.execute(insert(ImportBatch).values(
        source_kind=SOURCE_KIND, organisation_id=org_id, file_name=result.file_name[:500], sha256=result.sha256,
        rows_accepted=0, rows_rejected=result.rows_rejected, rejected_detail=detail, user_id=user_id,
        created_at=datetime.now(timezone.utc))).inserted_primary_key[0]


class _Rollback(Exception):
    """Ends a dry run, or an import that would write nothing, without writing."""


def _store(conn: Connection, cells: list[Cell], *, profile: dict, questions: list[Question], result: SurveyImportResult,
           user_id: int | None, progress: Progress | None) -> None:
    """Write questions, surveys, batch and the new results; raises _Rollback when nothing is new."""
    q_ids, result.questions_created = _ensure_questions(conn, questions, result.file_name)
    org = profile["organisation"]
    org_id = get_or_create_org(conn, OrgSpec(org["code"].strip(), (org.get("name") or org["code"]).strip(),
                                             org.get("kind", "annan")))
    batch_id = _write_batch(conn, result, org_id=org_id, user_id=user_id)
    waves = sorted({c.wave for c in cells})
    survey_ids, result.surveys_created = _ensure_surveys(
        conn, name=profile["survey"]["name"].strip(), kind=profile["survey"]["kind"], org_id=org_id, waves=waves,
        periods=profile.get("waves") or {}, batch_id=batch_id)
    t = SurveyResult.__table__
    held = {tuple(r) for r in conn.execute(select(t.c.survey_id, t.c.question_id, t.c.area_id)
                                           .where(t.c.survey_id.in_(list(survey_ids.values()))))}
    rows = []
    for c in cells:
        key = (survey_ids[c.wave], q_ids[c.question.code], c.area_id)
        if key in held:
            result.duplicates_skipped += 1
            continue
        rows.append(dict(survey_id=key[0], question_id=key[1], area_id=key[2], n=c.n, response_rate=c.response_rate,
                         value=c.value, import_batch_id=batch_id,
                         distribution=json.dumps(c.distribution, ensure_ascii=False) if c.distribution else None))
        result.by_wave[c.wave] = result.by_wave.get(c.wave, 0) + 1
        result.by_question[c.question.code] = result.by_question.get(c.question.code, 0) + 1
    result.accepted = len(rows)
    result.missing_values = sum(1 for r in rows if r["value"] is None)
    if not rows:
        raise _Rollback
    for start in range(0, len(rows), INSERT_CHUNK):
        conn.execute(insert(t), rows[start:start + INSERT_CHUNK])
        if progress:
            progress(min(start + INSERT_CHUNK, len(rows)), len(rows))
    conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(rows_accepted=len(rows)))
    bump_data_version(conn)
    result.batch_id = batch_id


# --- entry points --------------------------------------------------------------------------------------------------

def import_survey(engine: Engine, path: Path, *, profile: dict, profile_name: str = "", skip_invalid: bool = False,
                  dry_run: bool = False, user_id: int | None = None,
                  progress: Progress | None = None) -> SurveyImportResult:
    """Import one survey file per `profile` in one transaction (raises ImportRefused for a bad profile or file)."""
    from data_layer.importers.tabular import read_table

    path = Path(path)
    problems = validate_profile(profile)
    if problems:
        raise ImportRefused(path.name, [RowProblem(None, None, f"profilen: {p}") for p in problems])
    file = profile.get("file", {})
    result = SurveyImportResult(file_name=path.name, sha256=sha256_of(path), dry_run=dry_run, profile=profile_name,
                                survey_name=profile["survey"]["name"], layout=file.get("layout", "wide"))
    data = read_file_bytes(path)
    table = read_table(data, file_name=path.name, encoding=file.get("encoding", "auto"),
                       separator=file.get("separator", "auto"), sheet=str(file["sheet"]) if file.get("sheet") else None)
    questions = [Question.from_profile(k, q) for k, q in profile["questions"].items()]
    lay = _locate(table.header, profile, questions, path.name)
    result.ignored_columns = [h for i, h in enumerate(table.header) if i not in lay.used]
    if result.ignored_columns:  # reported, so that nothing in the file is dropped without a word
        ignored = result.ignored_columns
        result.notes.append(f"{len(ignored)} {'kolumn' if len(ignored) == 1 else 'kolumner'} som inte lästes in: "
                            f"{', '.join(ignored)}")
    result.conversions = dict(table.conversions)
    # An XLSX's number cells arrive as "61.3" whatever the profile says about the decimal mark of its CSV exports.
    decimal = "auto" if data[:2] == b"PK" else file.get("decimal", "auto")
    reader = _Reader(missing=tuple(file.get("missing", DEFAULT_MISSING)), decimal=decimal)

    def read(conn: Connection) -> tuple[list[Cell], list[Question], list[RowProblem]]:
        areas = AreaLookup.load(conn, level=(profile.get("areas") or {}).get("level"),
                                aliases=(profile.get("areas") or {}).get("aliases") or {}, file_name=path.name)
        cells, row_problems = _read_rows(table.rows, header=table.header, lay=lay, profile=profile,
                                         questions=questions, areas=areas, reader=reader)
        result.rows_read = len(table.rows) + len({p.row for p in table.problems if p.row is not None})
        return cells, questions, [*table.problems, *row_problems]

    return write_in_one_transaction(engine, result, read=read, profile=profile, skip_invalid=skip_invalid,
                                    dry_run=dry_run, user_id=user_id, progress=progress)


def write_in_one_transaction(engine: Engine, result: SurveyImportResult, *,
                             read: Callable[[Connection], tuple[list[Cell], list[Question], list[RowProblem]]],
                             profile: dict, skip_invalid: bool, dry_run: bool, user_id: int | None,
                             progress: Progress | None) -> SurveyImportResult:
    """The tail every survey import shares: in one transaction, `read(conn)` gives the cells, their questions and
    the problems found; problems refuse the file (ImportRefused) unless `skip_invalid`; the new results are stored;
    a dry run, or a file with nothing new, is rolled back with the counts of what it would have created cleared."""
    try:
        with engine.begin() as conn:
            cells, questions, problems = read(conn)
            result.rejected = sorted(problems, key=lambda p: p.row or 0)
            result.rows_rejected = len({p.row for p in result.rejected})
            if result.rejected and not skip_invalid:
                raise ImportRefused(result.file_name, result.rejected)
            if not cells:
                raise _Rollback
            _store(conn, cells, profile=profile, questions=questions, result=result, user_id=user_id,
                   progress=progress)
            if dry_run:
                raise _Rollback
    except _Rollback:
        if not dry_run or not result.accepted:
            result.questions_created = result.surveys_created = 0
        result.batch_id = None
    if not result.accepted and result.duplicates_skipped:
        result.notes.append(f"Alla {result.duplicates_skipped} resultat finns redan; ingenting nytt att spara.")
    return result


def run_from_options(engine: Engine, path: Path, *, options: dict, skip_invalid: bool = False, dry_run: bool = False,
                     user_id: int | None = None, progress: Progress | None = None) -> SurveyImportResult:
    """The registry's runner: load the profile named by options["profile"] (saved name or TOML file) and import."""
    from data_layer.importers.profiles import load_profile

    ref = (options.get("profile") or "").strip()
    if not ref:
        raise ImportRefused(Path(path).name, [RowProblem(None, None, "en importprofil måste anges (--profile)")])
    profile = load_profile(engine, ref, kind=SOURCE_KIND)
    return import_survey(engine, path, profile=profile, profile_name=ref, skip_invalid=skip_invalid, dry_run=dry_run,
                         user_id=user_id, progress=progress)


def undo_survey_batch(conn: Connection, batch_id: int) -> int:
    """Delete the batch's results, then the surveys it (or an undone batch) created that are now empty; return count."""
    deleted = conn.execute(delete(SurveyResult).where(SurveyResult.import_batch_id == batch_id)).rowcount
    undone = select(ImportBatch.id).where(ImportBatch.undone_at.is_not(None))
    conn.execute(delete(Survey).where(
        (Survey.import_batch_id == batch_id) | Survey.import_batch_id.in_(undone),
        ~exists().where(SurveyResult.survey_id == Survey.id),
        ~exists().where(SurveyPlaceMark.survey_id == Survey.id)))
    return deleted
