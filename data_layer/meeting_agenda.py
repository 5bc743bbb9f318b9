"""The weekly meeting's generated agenda: six drafts written from the store (reads only; meeting_edits stores them).

Each draft carries Swedish `title` and `body` (plain text: data, never markup), a `link` to the view that shows it
(a page URL path with the query parameters ui/filters.py understands) and `figures`: the numbers behind the body
(counts, p/q-values, hotspot cells) as plain JSON values. meeting_edits keeps the figures in Meeting.snapshot so a
closed meeting can show what the forum saw next to what the data says now.

The statistics are the overview's and the map's own: data_layer/overview_figures.build_comparison (Poisson E-test,
Benjamini–Hochberg over the table) with analysis.comparison.headlines, and data_layer/queries/hotspots.hotspot_cells
(Gi* and trend classes), which the map page shows too.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import h3
import pandas as pd
from sqlalchemy import Engine, func, select

from analysis import hotspots
from analysis.comparison import HEADLINE_COMPARISONS, headlines
from analysis.periods import infer_kind
from analysis.privacy import is_small, suppress_counts
from data_layer.models import Area, Category, Incident
from data_layer.overview_figures import build_comparison
from data_layer.overview_suppression import suppress_comparison
from data_layer.queries import comparison as cq
from data_layer.queries import reference
from data_layer.queries._common import frame
from data_layer.queries.actions import actions_list
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.incidents import report_places
from data_layer.queries.hotspots import hotspot_cells
from data_layer.scope import Scope, min_count, visible

STOCKHOLM = ZoneInfo("Europe/Stockholm")
AGENDA_KINDS = ("uppfoljning", "forandringar", "hotspots", "handelser", "rapporter", "ovrigt")
DEFAULT_SINCE_DAYS = 14  # "since the last meeting" when no meeting was held before
EVENT_DAYS = 14  # coming events: the next two weeks
HOTSPOT_TRENDS = (hotspots.NEW, hotspots.RECURRING)  # "new or intensifying"
NOTABLE_ASSESSMENT = 3  # the reporter's own "allvarlig"
MAX_LINES = 8  # lines listed per item; the figures keep every row
PAGE_PATHS = {"uppfoljning": "atgarder", "forandringar": "lagesbild", "hotspots": "karta", "handelser": "karta",
              "rapporter": "lagesbild", "ovrigt": "lagesbild"}
_WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
_FLAG_WORDS = {"increase": "ökning", "decrease": "minskning"}
_COMPARISON_WORDS = {"previous": "mot perioden före", "baseline": "mot samma period tidigare år"}
COUNT_KINDS = ("forandringar", "hotspots", "rapporter")  # items whose body states incident counts


def _n(count, threshold: int) -> str:
    """A count in an agenda line: 'färre än 3' where it is small (or hidden: None) for a role not shown it."""
    return f"färre än {threshold}" if count is None or is_small(count, threshold) else str(int(count))


@dataclass(frozen=True)
class AgendaDraft:
    """One generated agenda item: kind, title, body (plain text), link (URL path + query) and figures (JSON-able)."""

    kind: str
    title: str
    body: str | None
    link: str
    figures: dict[str, Any] = field(default_factory=dict)


def view_link(page: str, flt: IncidentFilter) -> str:
    """"/karta?from=…&to=…&areas=…&categories=…": a page path with the filter ui/filters.py reads from the URL."""
    params: list[tuple[str, str]] = [("from", flt.start.isoformat()), ("to", flt.end.isoformat())]
    params += [("areas", c) for c in flt.area_codes] + [("categories", c) for c in flt.category_codes]
    return f"/{page}?{urlencode(params)}"


MIN_PERIOD_DAYS = 7  # the shortest window the agenda tests for changes


def agenda_period(since: date | None, today: date) -> IncidentFilter:
    """The agenda's period: from the last meeting held (else DEFAULT_SINCE_DAYS back) up to and including today, and
    never shorter than MIN_PERIOD_DAYS (an agenda written two days after the last meeting would test two days)."""
    start = since if since is not None and since <= today else today - timedelta(days=DEFAULT_SINCE_DAYS - 1)
    return IncidentFilter(start=min(start, today - timedelta(days=MIN_PERIOD_DAYS - 1)), end=today)


def build_agenda(engine: Engine, *, scope: Scope, today: date, since: date | None,
                 meeting_day: date | None = None) -> list[AgendaDraft]:
    """The six drafts in AGENDA_KINDS order for a meeting on `meeting_day` (default today), data up to `today`."""
    flt = agenda_period(since, today)
    labels = dict(zip(*reference.categories(engine)[["code", "label_sv"]].T.values))
    return [follow_up(engine, scope=scope, flt=flt, meeting_day=meeting_day or today, today=today),
            changes(engine, scope=scope, flt=flt, labels=labels),
            hotspot_item(engine, scope=scope, flt=flt),
            events_item(engine, scope=scope, flt=flt, today=today),
            reports_item(engine, scope=scope, flt=flt, labels=labels),
            AgendaDraft("ovrigt", "Övrigt", None, view_link(PAGE_PATHS["ovrigt"], flt), {})]


def _period_words(flt: IncidentFilter) -> str:
    return f"{flt.start.isoformat()} – {flt.end.isoformat()}"


def follow_up(engine: Engine, *, scope: Scope, flt: IncidentFilter, meeting_day: date, today: date) -> AgendaDraft:
    """1) Open actions due on or before the meeting day (overdue ones first), as actions_list orders them."""
    actions = actions_list(engine, scope=scope, flt=IncidentFilter(start=flt.start, end=flt.end), today=today,
                           open_only=True)
    due = actions[actions["due_date"].map(lambda d: d is not None and not pd.isna(d) and d <= meeting_day)]
    rows = [{"id": int(r.id), "title": r.title, "owner": r.owner_org_name, "status": r.status,
             "due_date": pd.Timestamp(r.due_date).date().isoformat(), "overdue": bool(r.overdue),
             "area": r.area_name if isinstance(r.area_name, str) else None} for r in due.itertuples()]
    overdue = sum(r["overdue"] for r in rows)
    if rows:
        lines = [f"{len(rows)} öppna åtgärder förfaller senast {meeting_day.isoformat()}, varav {overdue} försenade."]
        lines += [f"• {r['title']} – {r['owner']}, {'försenad sedan' if r['overdue'] else 'förfaller'} "
                  f"{r['due_date']} ({r['status']})" for r in rows[:MAX_LINES]]
        if len(rows) > MAX_LINES:
            lines.append(f"… och {len(rows) - MAX_LINES} till i åtgärdsregistret.")
    else:
        lines = ["Inga öppna åtgärder förfaller före mötet."]
    return AgendaDraft("uppfoljning", "Uppföljning av åtgärder", "\n".join(lines),
                       view_link(PAGE_PATHS["uppfoljning"], flt),
                       {"count": len(rows), "overdue": overdue, "actions": rows})


def changes(engine: Engine, *, scope: Scope, flt: IncidentFilter, labels: dict[str, str]) -> AgendaDraft:
    """2) The overview's significant changes for the period since the last meeting (its headlines, BH-adjusted)."""
    comparison = build_comparison(engine, scope=scope, flt=flt, kind=infer_kind(flt.start, flt.end))
    threshold = min_count(scope)
    if threshold > 1:  # as the overview publishes it: no verdict on a comparison that involves a hidden count
        comparison = suppress_comparison(comparison, threshold=threshold)
    top = headlines(comparison.table, n=MAX_LINES)
    rows = []
    for r in top.to_dict("records"):
        name = r["comparison"]
        rows.append({"area_code": r["area_code"] if isinstance(r["area_code"], str) else None,
                     "area_name": r["area_name"] if isinstance(r["area_name"], str) else "hela kommunen",
                     "category_code": r["category_code"], "current": int(r["current"]),
                     "expected": round(float(r["expected"]), 2), "comparison": name,
                     "p": float(r[f"p_{name}"]), "q": float(r["q"]), "flag": r["flag"]})
    figures = {"tests": int(comparison.tests), "comparisons": list(HEADLINE_COMPARISONS), "changes": rows}
    return AgendaDraft("forandringar", "Förändringar sedan förra mötet",
                       changes_body(figures, flt=flt, labels=labels, threshold=threshold),
                       view_link(PAGE_PATHS["forandringar"], flt), figures)


def changes_body(figures: dict, *, flt: IncidentFilter, labels: dict[str, str], threshold: int = 1) -> str:
    """The text of item 2 from its figures (counts below `threshold` said as 'färre än N')."""
    rows, tests = figures.get("changes", []), figures.get("tests", 0)
    if not rows:
        return f"Inga tydliga förändringar {_period_words(flt)} ({tests} tester)."
    lines = [f"{len(rows)} tydliga förändringar {_period_words(flt)} ({tests} tester, "
             "justerade för många jämförelser):"]
    lines += [f"• {labels.get(r['category_code'], r['category_code'])}, {r['area_name']}: "
              f"{_n(r['current'], threshold)} mot väntat {_decimal(r['expected'])} "
              f"{_COMPARISON_WORDS.get(r['comparison'], '')} – {_FLAG_WORDS.get(r['flag'], r['flag'])} "
              f"(q = {_decimal(r['q'], 3)})" for r in rows]
    return "\n".join(lines)


def hotspot_trends(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                   resolution: int | None = None) -> pd.DataFrame:
    """Cells with a hotspot trend other than "ingen" and their window counts (cell, trend, recent, before,
    last_year), from the same computation as the map (data_layer.queries.hotspots) over the whole forum's grid."""
    cells = hotspot_cells(engine, scope=scope, flt=flt, resolution=resolution)
    trend = cells[cells["trend"] != hotspots.NONE]
    columns = ["cell", "trend", "recent", "before", "last_year"]
    return trend[columns].sort_values(["recent", "cell"], ascending=[False, True]).reset_index(drop=True)


def _cell_names(engine: Engine, cells: list[str], resolution: int) -> dict[str, list[str]]:
    """{cell: names of the places inside it}, else of the places in the ring around it (prefixed "nära")."""
    places = report_places(engine).dropna(subset=["lat", "lon"])
    inside: dict[str, list[str]] = {}
    for name, lat, lon in zip(places["name"], places["lat"], places["lon"]):
        inside.setdefault(h3.latlng_to_cell(float(lat), float(lon), resolution), []).append(name)
    names = {}
    for cell in cells:
        found = inside.get(cell)
        if not found:
            near = [n for c in h3.grid_disk(cell, 1) for n in inside.get(c, [])]
            found = [f"nära {n}" for n in near[:2]]
        names[cell] = sorted(set(found)) if found else []
    return names


def hotspot_item(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> AgendaDraft:
    """3) New or recurring (seasonal) hotspots in the four weeks up to the period's end, named by their places."""
    trends = hotspot_trends(engine, scope=scope, flt=flt)
    chosen = trends[trends["trend"].isin(HOTSPOT_TRENDS)]
    resolution = h3.get_resolution(chosen["cell"].iloc[0]) if len(chosen) else None
    names = _cell_names(engine, list(chosen["cell"]), resolution) if resolution is not None else {}
    rows = [{"cell": r.cell, "trend": r.trend, "recent": int(r.recent), "before": int(r.before),
             "last_year": int(r.last_year), "places": names.get(r.cell, [])} for r in chosen.itertuples()]
    counts = trends["trend"].value_counts().to_dict()
    figures = {"resolution": resolution, "cells": rows, "trend_counts": {k: int(v) for k, v in counts.items()}}
    return AgendaDraft("hotspots", "Nya och ökande brännpunkter",
                       hotspot_body(figures, flt=flt, threshold=min_count(scope)),
                       view_link(PAGE_PATHS["hotspots"], flt), figures)


def hotspot_body(figures: dict, *, flt: IncidentFilter, threshold: int = 1) -> str:
    """The text of item 3 from its figures (each cell's window counts below `threshold` said as 'färre än N': the
    map shows them so too)."""
    rows = figures.get("cells", [])
    if not rows:
        return "Inga nya eller återkommande brännpunkter de senaste 4 veckorna."
    words = {code: sv.lower() for code, (sv, _en) in hotspots.TREND_LABELS.items()}
    lines = [f"{len(rows)} nya eller återkommande brännpunkter de senaste 4 veckorna (till {flt.end.isoformat()}):"]
    lines += [f"• {', '.join(r['places']) or 'ruta ' + r['cell']} ({words[r['trend']]}): "
              f"{_n(r['recent'], threshold)} händelser senaste 4 veckorna, {_n(r['before'], threshold)} de 12 veckorna "
              f"före" for r in rows[:MAX_LINES]]
    return "\n".join(lines)


def events_item(engine: Engine, *, scope: Scope, flt: IncidentFilter, today: date) -> AgendaDraft:
    """4) Events from the register starting in the next EVENT_DAYS days."""
    events = cq.coming_events(engine, scope=scope, start=today, days=EVENT_DAYS)
    rows = []
    for r in events.itertuples():
        starts = pd.Timestamp(r.starts_at)
        starts = (starts.tz_localize("UTC") if starts.tzinfo is None else starts).tz_convert(STOCKHOLM)
        where = r.place_name if isinstance(r.place_name, str) else (r.area_name if isinstance(r.area_name, str)
                                                                     else None)
        rows.append({"title": r.title, "kind": r.kind, "starts_at": starts.isoformat(), "where": where})
    if rows:
        lines = [f"{len(rows)} händelser de kommande två veckorna:"]
        for r in rows[:MAX_LINES * 2]:
            at = pd.Timestamp(r["starts_at"])
            lines.append(f"• {_WEEKDAYS[at.weekday()]} {at:%Y-%m-%d %H:%M} {r['title']} ({r['kind']})"
                         + (f", {r['where']}" if r["where"] else ""))
    else:
        lines = ["Inga händelser i registret de kommande två veckorna."]
    ahead = IncidentFilter(start=flt.start, end=flt.end)
    return AgendaDraft("handelser", "Kommande händelser", "\n".join(lines), view_link(PAGE_PATHS["handelser"], ahead),
                       {"count": len(rows), "events": rows})


def notable_reports(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Non-sensitive reports from the report form (a reporter's own) with assessment NOTABLE_ASSESSMENT in the period,
    counted per area and category (area_code, area_name, category_code, count); aggregates only, no free text."""
    stmt = (select(Area.code, Area.name, Category.code, func.count(Incident.id))
            .select_from(Incident).join(Category, Incident.category_id == Category.id)
            .outerjoin(Area, Incident.area_id == Area.id)
            .where(visible(Incident, scope), Incident.occurred_date >= flt.start, Incident.occurred_date <= flt.end,
                   Incident.assessment == NOTABLE_ASSESSMENT, Incident.sensitive.is_(False),
                   Incident.reporter_user_id.is_not(None))
            .group_by(Area.code, Area.name, Category.code)
            .order_by(func.count(Incident.id).desc(), Area.code, Category.code))
    return frame(engine, stmt, ["area_code", "area_name", "category_code", "count"]).astype({"count": "int64"})


def reports_item(engine: Engine, *, scope: Scope, flt: IncidentFilter, labels: dict[str, str]) -> AgendaDraft:
    """5) Reports the reporters themselves judged serious (assessment 3) since the last meeting, per area."""
    found = notable_reports(engine, scope=scope, flt=flt)
    rows = [{"area_code": r.area_code if isinstance(r.area_code, str) else None,
             "area_name": r.area_name if isinstance(r.area_name, str) else "utan område",
             "category_code": r.category_code, "count": int(r.count)} for r in found.itertuples()]
    total = sum(r["count"] for r in rows)
    figures = {"count": total, "cells": rows}
    return AgendaDraft("rapporter", "Rapporter att uppmärksamma",
                       reports_body(figures, flt=flt, labels=labels, threshold=min_count(scope)),
                       view_link(PAGE_PATHS["rapporter"], flt), figures)


def reports_body(figures: dict, *, flt: IncidentFilter, labels: dict[str, str], threshold: int = 1) -> str:
    """The text of item 5 from its figures: the per-area counts and their total published as a list with its sum
    (analysis.privacy.suppress_counts), hidden ones said as 'färre än N'. Only the listed lines are suppressed
    together with the total; lines beyond MAX_LINES are not shown."""
    rows = figures.get("cells", [])
    if not rows:
        return f"Inga rapporter bedömda som allvarliga {_period_words(flt)}."
    counts: list = [r["count"] for r in rows]
    total = figures.get("count", sum(counts))
    if threshold > 1:
        published = suppress_counts(counts, threshold=threshold)
        counts = [None if pd.isna(c) else int(c) for c in published.counts]
        total = published.total
    head = f"{_n(total, threshold)} rapporter" if threshold > 1 else f"{total} rapporter"
    lines = [f"{head} som rapportören bedömt som allvarliga {_period_words(flt)}:"]
    lines += [f"• {r['area_name']}: {labels.get(r['category_code'], r['category_code']).lower()} "
              f"{_n(c, threshold) if threshold > 1 else c}" for r, c in zip(rows[:MAX_LINES], counts)]
    return "\n".join(lines)


def published_body(kind: str, body: str | None, figures: dict | None, *, link: str | None, labels: dict[str, str],
                   threshold: int) -> str | None:
    """A stored agenda item's text as a role not shown small counts may read it: the counting items (COUNT_KINDS)
    written again from their stored figures with small counts hidden (a coordinator's edits to those texts are not
    shown to such roles), every other text (and an item without figures) as stored. With threshold 1 the stored
    text. Free text (minutes, decisions, hand-written items) is not scanned for counts."""
    if threshold <= 1 or kind not in COUNT_KINDS:
        return body
    if not figures:
        return body  # not written from the data (a hand-written item): there are no figures to hide
    flt = _link_filter(link)
    if kind == "forandringar":
        return changes_body(figures, flt=flt, labels=labels, threshold=threshold)
    if kind == "hotspots":
        return hotspot_body(figures, flt=flt, threshold=threshold)
    return reports_body(figures, flt=flt, labels=labels, threshold=threshold)


def _link_filter(link: str | None) -> IncidentFilter:
    """The period an item's view link carries (from/to), for its text."""
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(link or "").query)
    try:
        return IncidentFilter(start=date.fromisoformat(query["from"][0]), end=date.fromisoformat(query["to"][0]))
    except (KeyError, ValueError):
        today = date.today()
        return IncidentFilter(start=today, end=today)


def _decimal(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


AGENDA_FRAME_COLUMNS = ["kind", "title", "body", "link", "figures"]


def agenda_frame(engine: Engine, *, scope: Scope, today: date, since: date | None,
                 meeting_day: date | None = None) -> pd.DataFrame:
    """build_agenda as a table (figures as JSON text), for caching and for "what the data says now"."""
    drafts = build_agenda(engine, scope=scope, today=today, since=since, meeting_day=meeting_day)
    return pd.DataFrame([(d.kind, d.title, d.body, d.link, json.dumps(d.figures, ensure_ascii=False, default=str))
                         for d in drafts], columns=AGENDA_FRAME_COLUMNS)
