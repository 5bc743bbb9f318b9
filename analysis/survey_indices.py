"""Survey indices shipped as data, and how an index value is computed from its questions' results.

An index turns one or more questions into one number per area × wave:

1. each component result becomes a *badness* in [0, 1]: a share is used as it is, a mean is rescaled by the question's
   scale, `(value - scale_min) / (scale_max - scale_min)`; a question where a higher value means *less* insecurity
   (`higher_is_worse = False`) is flipped (`1 - x`), so 1 is always the insecure end;
2. the index's badness is the plain mean of its components' badness; an area × wave gets a value only when EVERY
   component present in the data has a result there (a mean over different components would not be comparable);
3. the badness is put on the index's own scale: `lo + badness × (hi - lo)`, flipped again when the index itself reads
   "higher is better" (`higher_is_worse = False`).

The respondents n of an index is the smallest n of its components (the most careful reading). A one-question index
gets its question's Wilson or t interval; a composite index gets a parametric bootstrap interval (analysis.surveys.
bootstrap_interval) that resamples each component from its share or answer distribution and n. The components are
answered by the same people, so their errors are usually positively correlated: the bootstrap, which cannot see
that from aggregated results, treats them as independent and may come out somewhat too narrow (the page says so).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class IndexDefinition:
    """An index: code, Swedish and English name, scale, direction and the question codes it averages."""

    code: str
    name_sv: str
    name_en: str
    scale_min: float
    scale_max: float
    higher_is_worse: bool
    components: tuple[str, ...]
    kind: str = "index"  # share (shown in %) | mean | index
    note_sv: str = ""

    def name(self, lang: str) -> str:
        return self.name_sv if lang == "sv" else self.name_en


STANDARD_INDICES: tuple[IndexDefinition, ...] = (
    IndexDefinition(
        "ntu_otrygghet", "Otrygghet kvällstid (NTU-liknande)", "Unsafe in the evening (NTU-style)", 0, 1, True,
        ("otrygg_kvall",), kind="share",
        note_sv="Andel som känner sig mycket eller ganska otrygga, eller avstår från att gå ut, ensamma sent en kväll "
                "i det egna området."),
    IndexDefinition(
        "problemindex", "Problemindex 0–6 (polisens trygghetsmätning)", "Problem index 0–6 (police survey)", 0, 6,
        True,
        ("problem_nedskrapning", "problem_klotter", "problem_buskorning", "problem_narkotika", "problem_ungdomsgang",
         "problem_belysning", "problem_trapphus"), kind="index",
        note_sv="Medelandelen som ser lokala ordningsproblem som ganska eller mycket stora, på skalan 0–6 "
                "(0 = inga problem, 6 = alla ser alla problem)."),
    IndexDefinition(
        "aktivbo", "Trygghetsindex hyresgäster (AktivBo-liknande)", "Tenant safety index (AktivBo-style)", 0, 100,
        False,
        ("aktivbo_trygghet", "aktivbo_trapphus", "aktivbo_kallare", "aktivbo_tvattstuga", "aktivbo_utomhus_kvall",
         "aktivbo_inbrott", "aktivbo_grannar"), kind="index",
        note_sv="Hyresgästernas trygghet i trapphus, källare/vind/förråd, tvättstuga, utomhus kvällstid, skydd mot "
                "inbrott och kontakt med grannar, 0–100 (högre = tryggare). Frågor som saknas i materialet räknas "
                "inte."),
)
STANDARD_BY_CODE = {d.code: d for d in STANDARD_INDICES}


def question_index(question: dict) -> IndexDefinition:
    """A one-question index on the question's own scale and direction (code = the question's code)."""
    kind = "share" if question["kind"] == "share" else "mean"
    return IndexDefinition(question["code"], question["text_sv"], question["text_sv"], float(question["scale_min"]),
                           float(question["scale_max"]), bool(question["higher_is_worse"]), (question["code"],),
                           kind=kind)


def grouped_indices(questions: pd.DataFrame, *, known: set[str]) -> list[IndexDefinition]:
    """Indices for the questions' own index_code groups not already `known` (e.g. an imported survey's own index)."""
    out = []
    for code, group in questions.dropna(subset=["index_code"]).groupby("index_code", sort=True):
        if code in known or len(group) < 2:
            continue
        first = group.iloc[0]
        same_scale = (group["scale_min"].nunique() == 1 and group["scale_max"].nunique() == 1
                      and group["higher_is_worse"].nunique() == 1)
        lo, hi, worse = (float(first["scale_min"]), float(first["scale_max"]), bool(first["higher_is_worse"])) \
            if same_scale else (0.0, 100.0, True)
        out.append(IndexDefinition(str(code), f"Index {code}", f"Index {code}", lo, hi, worse,
                                   tuple(group["code"]), kind="index"))
    return out


def available(definition: IndexDefinition, question_codes: set[str]) -> bool:
    """True when at least one of the index's components has data."""
    return any(c in question_codes for c in definition.components)


def from_badness(x: pd.Series | float, definition: IndexDefinition):
    """Badness in [0, 1] put on the index's scale and direction."""
    x = x if definition.higher_is_worse else 1 - x
    return definition.scale_min + x * (definition.scale_max - definition.scale_min)


INDEX_COLUMNS = ["area_code", "area_name", "wave", "fielded_to", "value", "n", "response_rate", "components"]


def compute_index(results: pd.DataFrame, definition: IndexDefinition) -> pd.DataFrame:
    """Index value per area × wave from per-question results (columns of survey_question_results); see module doc."""
    rows = results[results["question_code"].isin(definition.components)].copy()
    if rows.empty:
        return pd.DataFrame(columns=INDEX_COLUMNS)
    present = sorted(rows["question_code"].unique())
    rows["bad"] = [float(b) for b in badness_rows(rows)]
    keys = ["area_code", "area_name", "wave"]
    grouped = rows.groupby(keys, sort=False)
    out = grouped.agg(fielded_to=("fielded_to", "max"), bad=("bad", "mean"), missing=("bad", lambda s: s.isna().sum()),
                      count=("question_code", "nunique"), n=("n", lambda s: s.min() if s.notna().all() else None),
                      response_rate=("response_rate", "min")).reset_index()
    complete = (out["count"] == len(present)) & (out["missing"] == 0)
    out["value"] = from_badness(out["bad"].where(complete), definition)
    if len(present) == 1 and _same_scale(rows.iloc[0], definition):
        # A question shown on its own scale keeps its stored value exactly (no rescaling round-off).
        out["value"] = out[keys].merge(rows[keys + ["value"]], on=keys, how="left")["value"].astype(float)
    out["components"] = len(present)
    out["n"] = pd.to_numeric(out["n"], errors="coerce")
    return out[INDEX_COLUMNS].sort_values(["area_name", "fielded_to", "wave"]).reset_index(drop=True)


def _same_scale(row, definition: IndexDefinition) -> bool:
    return (float(row["scale_min"]), float(row["scale_max"]), bool(row["higher_is_worse"])) == (
        float(definition.scale_min), float(definition.scale_max), bool(definition.higher_is_worse))


def badness_rows(rows: pd.DataFrame) -> list[float]:
    """Per result row: its badness by its own question's scale and direction (NaN when missing)."""
    out = []
    for value, lo, hi, worse in zip(rows["value"], rows["scale_min"], rows["scale_max"], rows["higher_is_worse"]):
        if value is None or pd.isna(value):
            out.append(float("nan"))
            continue
        x = (float(value) - float(lo)) / ((float(hi) - float(lo)) or 1.0)
        out.append(x if bool(worse) else 1 - x)
    return out
