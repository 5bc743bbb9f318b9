"""The weekly digest for one area (återkoppling to area managers and trygghetsombud): what was reported there in
the ISO week, what changed significantly, the organisation's open and overdue actions there, and what has been done
about the reports of the weeks before (the open action answering each area × category, the way the reporter's own
list links a report to an action, and the actions updated during the week)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Engine, func, select

from analysis.periods import iso_week_bounds, today_stockholm
from analysis.privacy import is_small
from data_layer.models import Action, ActionUpdate, Area, Category, Incident, Organisation
from data_layer.queries._common import frame
from data_layer.queries.actions import actions_list
from data_layer.queries.filters import IncidentFilter, area_ids_matching, incident_conditions
from data_layer.reports import figures as fg
from data_layer.reports.acting import ReportError
from data_layer.reports.document import Bullets, Document, Paragraph, Section, Table
from data_layer.reports.lagesbild import ACTION_HEADERS, ACTION_WIDTHS, made_line
from data_layer.reports.text import STOCKHOLM, fmt_date, fmt_decimal, fmt_int, fmt_range, fmt_signed, plain
from data_layer.scope import Scope, min_count, visible

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
FEEDBACK_WEEKS = 4
STATUS_RANK = {"pågår": 0, "beslutad": 1, "föreslagen": 2}


def parse_week(text: str) -> tuple[date, date]:
    """'2026-W47' -> (Monday, Sunday); ReportError (Swedish) for anything else or a week that does not exist."""
    found = WEEK_PATTERN.match(text.strip())
    if not found:
        raise ReportError(f"Ogiltig vecka '{text}': ange ISO-vecka som ÅÅÅÅ-Vvv, t.ex. 2026-W47.")
    try:
        return iso_week_bounds(int(found.group(1)), int(found.group(2)))
    except ValueError:
        raise ReportError(f"Vecka {found.group(2)} finns inte år {found.group(1)}.") from None


def _area(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        name = conn.execute(select(Area.name).where(Area.code == code)).scalar_one_or_none()
    if name is None:
        raise ReportError(f"Okänt område '{code}'.")
    return name


def _org(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        name = conn.execute(select(Organisation.name).where(Organisation.code == code)).scalar_one_or_none()
    if name is None:
        raise ReportError(f"Okänd organisation '{code}'.")
    return name


def earlier_reports(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Incidents per area × category in the filter (area_code, area_id, parent_id, category_code, category_id, n)."""
    stmt = (select(Area.code, Incident.area_id, Area.parent_id, Category.code, Incident.category_id,
                   func.count(Incident.id))
            .select_from(Incident).join(Category, Incident.category_id == Category.id)
            .outerjoin(Area, Incident.area_id == Area.id)
            .where(visible(Incident, scope), *incident_conditions(flt))
            .group_by(Area.code, Incident.area_id, Area.parent_id, Category.code, Incident.category_id)
            .order_by(func.count(Incident.id).desc()))
    return frame(engine, stmt, ["area_code", "area_id", "parent_id", "category_code", "category_id", "n"])


def week_updates(engine: Engine, *, scope: Scope, area_code: str, start: date, end: date) -> pd.DataFrame:
    """Status changes and notes during the week on actions the scope may read in the area (and below)."""
    lo = datetime.combine(start, time(0), STOCKHOLM)
    hi = datetime.combine(end + timedelta(days=1), time(0), STOCKHOLM)
    stmt = (select(ActionUpdate.at, Action.title, ActionUpdate.status_from, ActionUpdate.status_to, ActionUpdate.note)
            .join(Action, ActionUpdate.action_id == Action.id)
            .where(visible(Action, scope, operation="read_detail"), ActionUpdate.at >= lo, ActionUpdate.at < hi,
                   Action.area_id.in_(area_ids_matching((area_code,))))
            .order_by(ActionUpdate.at, ActionUpdate.id))
    return frame(engine, stmt, ["at", "title", "status_from", "status_to", "note"])


def build_digest(engine: Engine, *, scope: Scope, area_code: str, week: str, org_code: str | None = None,
                 today: date | None = None, org_fallback: str | None = None) -> Document:
    """The digest of `area_code` for ISO `week` ('ÅÅÅÅ-Vvv'); `org_code` names whose actions are listed (else
    `org_fallback`, else every organisation's)."""
    today = today or today_stockholm()
    start, end = parse_week(week)
    area_name = _area(engine, area_code)
    org_code = org_code or org_fallback
    org_name = _org(engine, org_code) if org_code else None
    if start > today:
        raise ReportError(f"Vecka {week} har inte börjat än.")
    labels = fg.category_labels(engine)
    flt = IncidentFilter(start=start, end=min(end, today), area_codes=(area_code,))
    comp = fg.comparison(engine, scope=scope, flt=flt, kind="week")
    tot = fg.totals(comp)
    week_no = start.isocalendar().week
    doc = Document(kind="digest", title=f"Veckobrev vecka {week_no}: {area_name}",
                   subtitle=f"{fg.forum_name(engine)} · återkoppling till områdesansvariga och trygghetsombud",
                   footer=made_line())
    doc.facts = [("Område", area_name), ("Vecka", f"{week_no} ({fmt_range(start, end)})"), *fg.suppression_fact(scope)]
    if org_name:
        doc.facts.append(("Organisation", org_name))

    cats = fg.grouped(comp, "category_code", labels)
    cats = cats[(cats["current"].fillna(1) > 0) | (cats["previous"].fillna(1) > 0)]  # NaN: a hidden count
    baseline = "saknas" if tot.baseline_mean != tot.baseline_mean else fmt_decimal(tot.baseline_mean, 1)
    doc.sections.append(Section("1. Rapporterat i området", (
        Paragraph(f"{fmt_int(tot.current)} händelser vecka {week_no} ({fmt_signed(tot.current - tot.previous)} mot "
                  f"veckan före, {fmt_int(tot.previous)}; samma vecka tidigare år i snitt {baseline})."),
        Table(("Kategori", "Denna vecka", "Veckan före", "Tidigare år (snitt)"),
              tuple((r.label, fmt_int(r.current), fmt_int(r.previous), fmt_decimal(r.baseline_mean, 1))
                    for r in cats.itertuples()), widths=(3, 1.2, 1.2, 1.5), numeric=(1, 2, 3),
              empty="Inga rapporter i området denna vecka eller veckan före."))))

    changes = fg.change_rows(comp, labels, n=6)
    doc.sections.append(Section("2. Det här har förändrats", (
        Paragraph(f"Totalt mot veckan före: {fg.verdict_text(tot.flag_previous, tot.q_previous)}; mot samma vecka "
                  f"tidigare år: {fg.verdict_text(tot.flag_baseline, tot.q_baseline)}."),
        Table(("Område", "Kategori", "Antal", "Väntat", "Jämfört med", "Bedömning"), tuple(changes),
              widths=(2.2, 2.2, 1, 1, 2.2, 2.6), numeric=(2, 3),
              empty="Ingen förändring i området är större än slumpen kan förklara."))))

    acts = actions_list(engine, scope=scope, flt=IncidentFilter(start=start, end=end, area_codes=(area_code,)),
                        today=today, open_only=True)
    mine = acts[acts["owner_org_code"] == org_code] if org_code else acts
    overdue = int(mine["overdue"].sum()) if len(mine) else 0
    whose = f" som {org_name} ansvarar för" if org_name else ""
    doc.sections.append(Section("3. Öppna åtgärder", (
        Paragraph(f"Öppna åtgärder i området{whose}: {fmt_int(len(mine))}, varav {fmt_int(overdue)} försenade."),
        Table(ACTION_HEADERS, tuple(fg.action_rows(mine)), widths=ACTION_WIDTHS, empty="Inga öppna åtgärder."))))

    before = IncidentFilter(start=start - timedelta(weeks=FEEDBACK_WEEKS), end=start - timedelta(days=1),
                            area_codes=(area_code,))
    reports = earlier_reports(engine, scope=scope, flt=before)
    threshold = min_count(scope)  # counts below it are hidden from roles that may only count
    rows = []
    for r in reports.itertuples():
        hits = acts[(acts["area_code"] == r.area_code) | (acts["area_code"] == _code_of(engine, r.parent_id))] \
            if len(acts) else acts
        hits = hits[hits["categories"].map(lambda s: r.category_code in str(s).split(","))] if len(hits) else hits
        if len(hits):
            best = hits.assign(_r=hits["status"].map(STATUS_RANK).fillna(9)).sort_values("_r", kind="stable").iloc[0]
            answer = f"{best['title']} ({best['status']})"
        else:
            answer = "ingen öppen åtgärd ännu"
        area = "Okänt område" if not isinstance(r.area_code, str) else _name_of(engine, r.area_code)
        rows.append((area, labels.get(r.category_code, r.category_code),
                     "–" if is_small(r.n, threshold) else fmt_int(r.n), answer))
    updates = week_updates(engine, scope=scope, area_code=area_code, start=start, end=end)
    done = tuple(f"{fmt_date(u.at)}: {plain(u.title)}"
                 + (f" – {u.status_from or 'ny'} → {u.status_to}" if isinstance(u.status_to, str) else "")
                 + (f" – {plain(u.note)[:160]}" if isinstance(u.note, str) and u.note.strip() else "")
                 for u in updates.itertuples())
    blocks = [Paragraph(f"Rapporter de {FEEDBACK_WEEKS} veckorna före ({fmt_range(before.start, before.end)}) och "
                        "den öppna åtgärd som svarar mot dem (samma kategori i området eller dess stadsdel):"),
              Table(("Område", "Kategori", "Rapporter", "Åtgärd"), tuple(rows), widths=(2, 2.2, 1.2, 4.2),
                    numeric=(2,), empty="Inga tidigare rapporter i området.")]
    blocks += [Paragraph("Gjort under veckan:"), Bullets(done)] if done else \
        [Paragraph("Inga åtgärder i området ändrades under veckan.", note=True)]
    doc.sections.append(Section("4. Vad har hänt med tidigare rapporter", tuple(blocks)))
    doc.record(total_current=tot.current, total_previous=tot.previous, open_actions=len(mine),
               overdue_actions=overdue, earlier_reports=int(reports["n"].sum()) if len(reports) else 0)
    return doc


def _code_of(engine: Engine, area_id) -> str | None:
    if area_id is None or area_id != area_id:
        return None
    with engine.connect() as conn:
        return conn.execute(select(Area.code).where(Area.id == int(area_id))).scalar_one_or_none()


def _name_of(engine: Engine, code: str) -> str:
    with engine.connect() as conn:
        return conn.execute(select(Area.name).where(Area.code == code)).scalar_one_or_none() or code


