"""The meeting protocol as a Document: forum, date, participants, each agenda item with its minutes and decisions
(and the action each decision became), and, for a closed meeting, the figures frozen when it was closed. Reads the
meeting tables only (meeting mode writes them); requires the scope's right to export meetings."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_layer.models import Action, AgendaItem, Decision, Meeting, Organisation
from data_layer.reports.acting import ReportError
from data_layer.reports.document import Bullets, Document, Paragraph, Section, Table
from data_layer.reports.lagesbild import made_line
from data_layer.reports.text import fmt_date, missing, plain
from data_layer.meeting_agenda import published_body
from data_layer.reports.figures import category_labels
from data_layer.scope import Scope, min_count, visible
from data_layer.suppression import note

STATUS_WORDS = {"planerat": "planerat", "pågår": "pågår", "avslutat": "avslutat (justerat)"}
SNAPSHOT_ROWS = 20


def find_meeting(engine: Engine, *, scope: Scope, meeting_id: int | None = None, held_on: date | None = None) -> int:
    """The id of the meeting named by id or date (the latest held meeting when neither is given); ReportError when
    there is none or the scope may not export meetings (a printed protocol leaves the app: meeting "export")."""
    if not scope.can("meeting", "export"):
        raise ReportError("Användarens roll får inte skriva ut mötesprotokoll.")
    stmt = select(Meeting.id)
    if meeting_id is not None:
        stmt = stmt.where(Meeting.id == meeting_id)
    elif held_on is not None:
        stmt = stmt.where(Meeting.held_on == held_on)
    else:
        stmt = stmt.where(Meeting.status == "avslutat")
    with engine.connect() as conn:
        found = conn.execute(stmt.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1)).scalar_one_or_none()
    if found is None:
        what = f"med id {meeting_id}" if meeting_id is not None else \
            f"den {held_on.isoformat()}" if held_on is not None else "som är avslutat"
        raise ReportError(f"Det finns inget möte {what}.")
    return found


def _snapshot_blocks(raw: str | None) -> list:
    """The frozen figures: top-level values as a fact table, lists of records as tables (all plain text)."""
    if not raw:
        return [Paragraph("Mötet stängdes utan sparade siffror.", note=True)]
    try:
        data = json.loads(raw)
    except ValueError:
        return [Paragraph("De sparade siffrorna kunde inte läsas.", note=True)]
    if not isinstance(data, dict):
        data = {"värden": data}
    facts, blocks = [], []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            heads = tuple(dict.fromkeys(k for v in value for k in v))
            rows = tuple(tuple(_value(v.get(h)) for h in heads) for v in value[:SNAPSHOT_ROWS])
            blocks += [Paragraph(str(key).replace("_", " ").capitalize()), Table(heads, rows)]
        elif isinstance(value, dict):
            blocks += [Paragraph(str(key).replace("_", " ").capitalize()),
                       Table(("", "Värde"), tuple((str(k), _value(v)) for k, v in list(value.items())[:SNAPSHOT_ROWS]))]
        else:
            facts.append((str(key).replace("_", " "), _value(value)))
    if facts:
        blocks.insert(0, Table(("Uppgift", "Värde"), tuple(facts), widths=(2, 3)))
    return blocks


def _value(v) -> str:
    if isinstance(v, (list, dict)):
        return plain(json.dumps(v, ensure_ascii=False))[:200]
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",")
    return "" if missing(v) else plain(v)


def build_protokoll(engine: Engine, *, scope: Scope, meeting_id: int | None = None, held_on: date | None = None,
                    by: str = "") -> Document:
    """The protocol of one meeting as the scope may see it (decisions' actions only when readable)."""
    mid = find_meeting(engine, scope=scope, meeting_id=meeting_id, held_on=held_on)
    with Session(engine) as session, engine.connect() as conn:
        m = session.get(Meeting, mid)
        items = session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == mid)
                                .order_by(AgendaItem.position, AgendaItem.id)).all()
        session.expunge_all()
        decisions = conn.execute(select(Decision.id, Decision.agenda_item_id, Decision.text, Decision.action_id)
                                 .where(Decision.meeting_id == mid).order_by(Decision.id)).all()
        readable = dict(conn.execute(
            select(Action.id, Action.title + " (" + Action.status + ")")
            .where(Action.id.in_([d.action_id for d in decisions if d.action_id]),
                   visible(Action, scope, operation="read_detail"))).all())
        orgs = dict(conn.execute(select(Organisation.code, Organisation.name)).all())
    try:
        codes = json.loads(m.participants or "[]")
    except ValueError:
        codes = []
    names = [orgs.get(c, str(c)) for c in codes] if isinstance(codes, list) else []
    doc = Document(kind="protokoll", title=f"Protokoll {fmt_date(m.held_on)}", subtitle=m.forum, footer=made_line())
    doc.facts = [("Forum", m.forum), ("Datum", fmt_date(m.held_on)), ("Status", STATUS_WORDS.get(m.status, m.status)),
                 ("Deltagare", ", ".join(names) or "–")]
    if m.closed_at is not None:
        doc.facts.append(("Stängt", fmt_date(m.closed_at)))
    if by:
        doc.facts.append(("Utskrivet av", by))
    if m.minutes:
        doc.sections.append(Section("Sammanfattning", (Paragraph(plain(m.minutes)),)))
    threshold = min_count(scope)  # roles that may only count: generated counts below it hidden, no frozen figures
    figures = _stored_figures(m.snapshot) if threshold > 1 else {}
    labels = category_labels(engine) if threshold > 1 else {}
    by_item: dict = {}
    for d in decisions:
        by_item.setdefault(d.agenda_item_id, []).append(d)
    for pos, item in enumerate(items, start=1):
        blocks = []
        body = published_body(item.kind, item.body, figures.get(str(item.id)), link=item.link, labels=labels,
                              threshold=threshold)
        if body:
            blocks.append(Paragraph(plain(body), note=True))
        blocks.append(Paragraph(plain(item.minutes) if item.minutes else "Inga anteckningar."))
        blocks += _decision_blocks(by_item.pop(item.id, []), readable)
        doc.sections.append(Section(f"§ {pos} {plain(item.title)}", tuple(blocks), level=2))
    loose = [d for ds in by_item.values() for d in ds]
    if loose:
        doc.sections.append(Section("Övriga beslut", tuple(_decision_blocks(loose, readable)), level=2))
    if m.status == "avslutat":
        frozen = _snapshot_blocks(m.snapshot) if threshold <= 1 or not m.snapshot else \
            [Paragraph(f"De frysta siffrorna tas inte med i utskriften för din roll. {note(threshold)}", note=True)]
        doc.sections.append(Section("Siffror som visades på mötet (frysta när mötet stängdes)", tuple(frozen)))
    doc.record(agenda_items=len(items), decisions=len(decisions))
    return doc


def _stored_figures(raw: str | None) -> dict:
    """{item id (text): the figures its text was written from}, from the meeting's snapshot (frozen or not)."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found = dict(data.get("figures") or {})
    for item in data.get("items") or []:
        if isinstance(item, dict) and item.get("figures"):
            found[str(item.get("id"))] = item["figures"]
    return found


def _decision_blocks(decisions, readable: dict) -> list:
    if not decisions:
        return []
    lines = []
    for d in decisions:
        action = readable.get(d.action_id) if d.action_id else None
        lines.append(f"Beslut: {plain(d.text)}" + (f" → åtgärd: {plain(action)}" if action else ""))
    return [Bullets(tuple(lines))]


