"""The tertial or annual report for kommunstyrelsen, structured as lag (2023:196) om kommunernas ansvar för
brottsförebyggande arbete asks: kartläggning, annan information, analys, åtgärdsplan and uppföljning (with each
action's evaluated effect, analysis/effects.py)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine

from analysis.periods import today_stockholm
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.incidents import weekly_counts
from data_layer.reports import charts
from data_layer.reports import figures as fg
from data_layer.reports.acting import ReportError
from data_layer.reports.document import Document, Figure, Paragraph, Section, Table
from data_layer.reports.lagesbild import ACTION_HEADERS, ACTION_WIDTHS, made_line
from data_layer.reports.text import MONTHS, fmt_date, fmt_decimal, fmt_int, fmt_range, fmt_signed
from data_layer.scope import Scope, min_count
from data_layer.suppression import suppress_list

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-T([123]))?$")
FOLLOW_UP_ROWS = 25


def parse_period(text: str, *, today: date) -> tuple[date, date, str, str]:
    """'2026-T2' (tertial 2: maj–aug) or '2026' (the year) -> (start, end cut at today, kind, name); ReportError."""
    found = PERIOD_PATTERN.match(text.strip())
    if not found:
        raise ReportError(f"Ogiltig period '{text}': ange ÅÅÅÅ-T1, ÅÅÅÅ-T2, ÅÅÅÅ-T3 eller ÅÅÅÅ.")
    year, tertial = int(found.group(1)), found.group(2)
    if tertial:
        first = date(year, 4 * (int(tertial) - 1) + 1, 1)
        last = date(year + (first.month + 4 > 12), (first.month + 4 - 1) % 12 + 1, 1) - timedelta(days=1)
        kind, name = "tertial", f"Tertial {tertial} {year}"
    else:
        first, last, kind, name = date(year, 1, 1), date(year, 12, 31), "year", f"År {year}"
    if first > today:
        raise ReportError(f"Perioden {text} har inte börjat än.")
    return first, min(last, today), kind, name


def build_tertial(engine: Engine, *, scope: Scope, period: str, today: date | None = None, by: str = "",
                  area_codes: tuple[str, ...] = ()) -> Document:
    """The report for `period` ('ÅÅÅÅ-Tn' or 'ÅÅÅÅ') as the scope may see it."""
    today = today or today_stockholm()
    start, end, kind, name = parse_period(period, today=today)
    flt = IncidentFilter(start=start, end=end, area_codes=area_codes)
    labels = fg.category_labels(engine)
    forum = fg.forum_name(engine)
    comp = fg.comparison(engine, scope=scope, flt=flt, kind=kind)
    tot = fg.totals(comp)
    doc = Document(kind="tertial", title=f"Lägesbild och uppföljning – {name.lower()}",
                   subtitle=f"{forum} · rapport till kommunstyrelsen", footer=made_line())
    doc.facts = [("Forum", forum), ("Period", fmt_range(start, end) + (" (hittills)" if end < _unit_end(start, kind)
                                                                       else "")),
                 ("Område", fg.area_label(engine, area_codes)),
                 ("Disposition", "Enligt lag (2023:196)"), *fg.suppression_fact(scope)]
    if by:
        doc.facts.append(("Sammanställd av", by))

    # 1 Kartläggning
    months, counts = _monthly(engine, scope=scope, flt=flt)
    baseline = "saknas" if tot.baseline_mean != tot.baseline_mean else fmt_decimal(tot.baseline_mean, 1)
    areas = fg.grouped(comp, "area_name")
    cats = fg.grouped(comp, "category_code", labels)
    heads = ("Antal", "Föreg. period", "Tidigare år (snitt)", "Skillnad mot föreg.")
    row = (lambda r: (r.label, fmt_int(r.current), fmt_int(r.previous), fmt_decimal(r.baseline_mean, 1),
                      fmt_signed(r.current - r.previous)))
    doc.sections.append(Section("1. Kartläggning", (
        Paragraph(f"Under perioden registrerades {fmt_int(tot.current)} händelser i Lägesbild från forumets parter "
                  f"(föregående period {fmt_int(tot.previous)}, samma period tidigare år i snitt {baseline})."),
        Figure(charts.monthly_bars([f"{MONTHS[m.month - 1]} {m.year}" for m in months], counts),
               "Händelser per månad i perioden (sista månaden kan vara ofullständig).", "tertial-manader"),
        Table(("Kategori", *heads), tuple(row(r) for r in cats.itertuples()), widths=(3, 1, 1.2, 1.4, 1.4),
              numeric=(1, 2, 3, 4), empty="Inga händelser i perioden."),
        Table(("Område", *heads), tuple(row(r) for r in areas.itertuples()), widths=(3, 1, 1.2, 1.4, 1.4),
              numeric=(1, 2, 3, 4), empty="Inga händelser i perioden."))))

    # 2 Annan information
    cov = fg.coverage(engine, scope=scope, flt=flt)
    doc.sections.append(Section("2. Annan information", (
        Paragraph("Underlaget kommer från parternas egna rapporter, polisens händelser och import från partnernas "
                  "system. Tabellen visar hur mycket varje källa bidragit; en tyst källa gör att läget kan se "
                  "lugnare ut än det är."),
        Table(("Källa", "I perioden", "Väntat", "Rapportörer", "Status"), tuple(fg.coverage_rows(cov)),
              widths=(3, 1.1, 0.9, 1.3, 2.5), numeric=(1, 2, 3)),
        Paragraph("Trygghetsmätningar och andra enkäter redovisas i appens vy Trygghetsmätningar.", note=True))))

    # 3 Analys
    changes = fg.change_rows(comp, labels, n=12)
    hot, trends = fg.hotspot_table(engine, scope=scope, flt=flt)
    hot_rows = tuple((r.area_name, fmt_int(r.count), fg.GI_WORDS.get(r.cls_fdr, r.cls_fdr),
                      fg.TREND_WORDS.get(r.trend, r.trend)) for r in hot.head(10).itertuples())
    doc.sections.append(Section("3. Analys", (
        Paragraph(f"Totalt jämfört med föregående period: {fg.verdict_text(tot.flag_previous, tot.q_previous)}; "
                  f"jämfört med samma period tidigare år: {fg.verdict_text(tot.flag_baseline, tot.q_baseline)}."),
        Paragraph("Statistiskt säkra förändringar per område och kategori:" if changes else
                  "Ingen område–kategori-kombination har förändrats mer än slumpen kan förklara."),
        Table(("Område", "Kategori", "Antal", "Väntat", "Jämfört med", "Bedömning"), tuple(changes),
              widths=(2.2, 2.2, 1, 1, 2.2, 2.6), numeric=(2, 3), empty="Inga säkra förändringar."),
        Paragraph("Brännpunkter (Getis-Ord Gi*, justerat för antalet rutor) i perioden:"),
        Table(("Område (rutans mitt)", "Antal", "Klass", "Trend"), hot_rows, widths=(3, 1, 2, 2), numeric=(1,),
              empty="Ingen ruta sticker ut statistiskt säkert."),
        Paragraph(f"Poissontest (E-test) med p-värden justerade för {fmt_int(comp.tests)} samtidiga test "
                  "(Benjamini–Hochberg, 5 %).", note=True))))

    # 4 Åtgärdsplan
    everything = IncidentFilter(start=start, end=end, area_codes=area_codes)
    actions = fg.open_actions(engine, scope=scope, flt=everything, today=today)
    overdue = int(actions["overdue"].sum()) if len(actions) else 0
    doc.sections.append(Section("4. Åtgärdsplan", (
        Paragraph(f"{fmt_int(len(actions))} öppna åtgärder, varav {fmt_int(overdue)} försenade."),
        Table(ACTION_HEADERS, tuple(fg.action_rows(actions)), widths=ACTION_WIDTHS,
              empty="Inga öppna åtgärder."))))

    # 5 Uppföljning
    from data_layer.queries.actions import actions_list

    every = actions_list(engine, scope=scope, flt=everything, today=today)
    # the actions under way or finished (not proposed, not cancelled) that had started by the period's end, newest first
    started = every[every["start_date"].notna() & every["status"].isin(("beslutad", "pågår", "klar"))]
    started = started[[d <= end for d in started["start_date"]]].sort_values("start_date", ascending=False) \
        .head(FOLLOW_UP_ROWS)
    rows, verdicts = [], {}
    for r in started.itertuples():
        verdict, text = fg.effect_sentence(fg.effect_of(engine, scope=scope, action_id=int(r.id), today=today),
                                           threshold=min_count(scope))
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        rows.append((r.title, r.status, fmt_date(r.start_date), verdict, text))
    summary = ", ".join(f"{v} {k}" for k, v in sorted(verdicts.items(), key=lambda kv: -kv[1]))
    doc.sections.append(Section("5. Uppföljning", (
        Paragraph(f"Effekten av {fmt_int(len(rows))} beslutade eller genomförda åtgärder med plats och startdatum: "
                  f"{summary or 'inga att utvärdera'}."),
        Table(("Åtgärd", "Status", "Start", "Effekt", "Underlag"), tuple(rows), widths=(2.4, 1.0, 1.2, 1.3, 4.6),
              empty="Inga åtgärder att följa upp."),
        Paragraph(fg.effect_text("effect.method") + " Jämförelsen gäller 8 hela veckor före och efter starten.",
                  note=True))))
    doc.record(total_current=tot.current, total_previous=tot.previous, open_actions=len(actions),
               overdue_actions=overdue, followed_up=len(rows))
    return doc


def _unit_end(start: date, kind: str) -> date:
    if kind == "year":
        return date(start.year, 12, 31)
    month = start.month + 4
    return date(start.year + (month > 12), (month - 1) % 12 + 1, 1) - timedelta(days=1)


def _monthly(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> tuple[list[date], list[int]]:
    found = weekly_counts(engine, scope=scope, flt=flt, period="month")
    per = found.groupby("week_start")["count"].sum().to_dict() if len(found) else {}
    months, m = [], flt.start.replace(day=1)
    while m <= flt.end:
        months.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    counts = [int(per.get(m, 0)) for m in months]
    threshold = min_count(scope)
    if threshold > 1:  # published with their total (the period's count): small months NaN, a gap in the chart
        return months, [float("nan") if pd.isna(n) else int(n) for n in suppress_list(counts, threshold=threshold)]
    return months, counts
