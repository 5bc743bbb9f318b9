"""The 14-day lägesbild (or any period of the overview's filter) as a Document: headline counts against the
previous period and the same period in earlier years with the overview's significance verdicts, the weekly trend,
top areas and categories, hotspots, open and overdue actions, and who has reported."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine

from analysis.periods import infer_kind, today_stockholm, week_start
from data_layer.queries.filters import IncidentFilter
from data_layer.reports import charts
from data_layer.reports import figures as fg
from data_layer.reports.document import Bullets, Document, Figure, Paragraph, Section, Table
from data_layer.reports.text import fmt_date, fmt_decimal, fmt_int, fmt_range, fmt_signed
from data_layer.scope import Scope

DEFAULT_DAYS = 14
TREND_WEEKS = 26
TOP_ROWS = 10
ACTION_ROWS = 15
ACTION_HEADERS = ("Åtgärd", "Ansvarig", "Område", "Status", "Slutdatum")
ACTION_WIDTHS = (3.8, 2.2, 1.8, 1.7, 1.4)


def lagesbild_filter(end: date, *, days: int = DEFAULT_DAYS, area_codes: tuple[str, ...] = (),
                     category_codes: tuple[str, ...] = (), source_codes: tuple[str, ...] = ()) -> IncidentFilter:
    """The `days` days up to and including `end` with optional code lists."""
    return IncidentFilter(start=end - timedelta(days=days - 1), end=end, area_codes=area_codes,
                          category_codes=category_codes, source_codes=source_codes)


def made_line(now: datetime | None = None) -> str:
    """'Skapad 25 nov 2026 08:00 ur Lägesbild' (Stockholm time)."""
    from data_layer.reports.text import STOCKHOLM

    moment = (now or datetime.now(STOCKHOLM)).astimezone(STOCKHOLM)
    return f"Skapad {fmt_date(moment.date())} {moment:%H:%M} ur Lägesbild · underlag för samverkan, ej officiell statistik"


def _filter_facts(engine: Engine, flt: IncidentFilter, labels: dict[str, str]) -> list[tuple[str, str]]:
    facts = [("Område", fg.area_label(engine, flt.area_codes))]
    if flt.category_codes:
        facts.append(("Kategorier", ", ".join(labels.get(c, c) for c in flt.category_codes)))
    if flt.source_codes:
        names = fg.organisation_names(engine)
        facts.append(("Källor", ", ".join(names.get(c, c) for c in flt.source_codes)))
    return facts


def build_lagesbild(engine: Engine, *, scope: Scope, flt: IncidentFilter, today: date | None = None,
                    forum: str | None = None, by: str = "") -> Document:
    """The lägesbild of `flt` as the scope may see it (aggregates and action titles only)."""
    today = today or today_stockholm()
    labels = fg.category_labels(engine)
    forum = forum or fg.forum_name(engine)
    kind = infer_kind(flt.start, flt.end)
    comp = fg.comparison(engine, scope=scope, flt=flt, kind=kind)
    tot = fg.totals(comp)
    prev_start, prev_end = comp.windows.previous
    doc = Document(kind="lagesbild", title=f"Lägesbild {fmt_range(flt.start, flt.end)}", subtitle=forum,
                   footer=made_line())
    doc.facts = [("Forum", forum), ("Period", f"{fmt_range(flt.start, flt.end)} ({flt.days} dagar)"),
                 ("Jämförs med", f"{fmt_range(prev_start, prev_end)} och samma period tidigare år"),
                 *_filter_facts(engine, flt, labels), *fg.suppression_fact(scope)]
    if by:
        doc.facts.append(("Sammanställd av", by))

    # 1 — the headline
    baseline = "saknas" if tot.baseline_mean != tot.baseline_mean else fmt_decimal(tot.baseline_mean, 1)
    summary = (f"Under perioden rapporterades {fmt_int(tot.current)} händelser, {fmt_signed(tot.current - tot.previous)} "
               f"jämfört med föregående period ({fmt_int(tot.previous)}). Samma period tidigare år var snittet "
               f"{baseline} händelser.")
    headline_rows = (("Föregående period", fmt_int(tot.previous), fg.verdict_text(tot.flag_previous, tot.q_previous)),
                     ("Samma period tidigare år (snitt)", baseline, fg.verdict_text(tot.flag_baseline, tot.q_baseline)))
    changes = fg.change_rows(comp, labels, n=8)
    blocks = [Paragraph(summary),
              Table(("Jämförelse", "Antal", "Bedömning"), headline_rows, widths=(3, 1.2, 3), numeric=(1,)),
              Paragraph("Största statistiskt säkra förändringar (område och kategori):" if changes else
                        "Ingen område–kategori-kombination har förändrats mer än slumpen kan förklara.")]
    if changes:
        blocks.append(Table(("Område", "Kategori", "Antal", "Väntat", "Jämfört med", "Bedömning"), tuple(changes),
                            widths=(2.2, 2.2, 1, 1, 2.2, 2.6), numeric=(2, 3)))
    blocks.append(Paragraph(
        f"Varje jämförelse är ett Poissontest (E-test); p-värdena är justerade för {fmt_int(comp.tests)} samtidiga "
        "test (Benjamini–Hochberg, falsk upptäcktsgrad 5 %). \"Ingen säker förändring\" betyder att skillnaden kan "
        "vara slump.", note=True))
    doc.sections.append(Section("1. Sammanfattning", tuple(blocks)))

    # 2 — the weekly trend
    mondays, counts, last_year = fg.weekly_totals(engine, scope=scope, flt=flt, weeks=TREND_WEEKS)
    png = charts.weekly_bars(mondays, counts, reference=last_year, highlight_from=week_start(flt.start))
    doc.sections.append(Section("2. Utveckling vecka för vecka", (
        Figure(png, f"Händelser per vecka, de senaste {TREND_WEEKS} veckorna (perioden markerad i orange; "
                    f"streckad linje: samma veckor ett år tidigare). Sista veckan kan vara ofullständig.",
               "lagesbild-veckor"),)))

    # 3 — where and what
    areas = fg.grouped(comp, "area_name")
    cats = fg.grouped(comp, "category_code", labels)
    area_rows = tuple((r.label, fmt_int(r.current), fmt_int(r.previous), fmt_decimal(r.baseline_mean, 1),
                       fmt_signed(r.current - r.previous)) for r in areas.head(TOP_ROWS).itertuples())
    cat_rows = tuple((r.label, fmt_int(r.current), fmt_int(r.previous), fmt_decimal(r.baseline_mean, 1),
                      fmt_signed(r.current - r.previous)) for r in cats.head(TOP_ROWS).itertuples())
    heads = ("Antal", "Föreg. period", "Tidigare år (snitt)", "Skillnad mot föreg.")
    blocks = [Table(("Område", *heads), area_rows, widths=(3, 1, 1.2, 1.4, 1.4), numeric=(1, 2, 3, 4),
                    empty="Inga händelser i perioden.")]
    top_cats = cats.head(8)
    if len(top_cats) and int(top_cats["current"].sum()):
        blocks.append(Figure(charts.horizontal_bars(
            list(top_cats["label"]), [float(x) for x in top_cats["current"]],  # a hidden count: no bar (NaN)
            [0.0 if x != x else float(x) for x in top_cats["baseline_mean"]],
            now_label="Perioden", before_label="Samma period tidigare år (snitt)"),
            "Vanligaste kategorierna i perioden jämfört med snittet för samma period tidigare år.",
            "lagesbild-kategorier"))
    blocks.append(Table(("Kategori", *heads), cat_rows, widths=(3, 1, 1.2, 1.4, 1.4), numeric=(1, 2, 3, 4),
                        empty="Inga händelser i perioden."))
    blocks.append(Paragraph("Händelser som bara är kända på kommun- eller länsnivå (t.ex. polisens händelser) "
                            "redovisas på det området. \"Tidigare år\" är snittet för samma datum de tre åren före.",
                            note=True))
    doc.sections.append(Section("3. Var och vad", tuple(blocks)))

    # 4 — hotspots
    hot, trends = fg.hotspot_table(engine, scope=scope, flt=flt)
    hot_rows = tuple((r.area_name, fmt_int(r.count), fg.GI_WORDS.get(r.cls_fdr, r.cls_fdr),
                      fg.TREND_WORDS.get(r.trend, r.trend), ", ".join(labels.get(c, c) for c in r.top))
                     for r in hot.head(TOP_ROWS).itertuples())
    trend_line = ", ".join(f"{fg.TREND_WORDS[k].lower()} {v}" for k, v in trends.items() if k in fg.TREND_WORDS)
    doc.sections.append(Section("4. Brännpunkter (hotspots)", (
        Paragraph(f"{fmt_int(len(hot))} rutor (H3, ca 0,9 km breda) har fler händelser än omgivningen förklarar "
                  "(Getis-Ord Gi*, justerat för antalet rutor)." if len(hot) else
                  "Ingen ruta sticker ut statistiskt säkert i perioden."),
        Table(("Område (rutans mitt)", "Antal", "Klass", "Trend", "Vanligast"), hot_rows,
              widths=(2.4, 0.9, 1.6, 1.6, 3), numeric=(1,), empty="Inga brännpunkter."),
        Paragraph("Trend (senaste 4 veckorna mot de 12 före och samma veckor i fjol): "
                  + (trend_line or "inga rutor med trendklass") + ".", note=True))))

    # 5 — actions
    actions = fg.open_actions(engine, scope=scope, flt=flt, today=today)
    overdue = int(actions["overdue"].sum()) if len(actions) else 0
    rows = tuple(fg.action_rows(actions, limit=ACTION_ROWS))
    more = len(actions) - len(rows)
    blocks = [Paragraph(f"{fmt_int(len(actions))} öppna åtgärder (föreslagna, beslutade eller pågående), varav "
                        f"{fmt_int(overdue)} försenade (slutdatum passerat {fmt_date(today)})."),
              Table(ACTION_HEADERS, rows, widths=ACTION_WIDTHS, empty="Inga öppna åtgärder.")]
    if more > 0:
        blocks.append(Paragraph(f"… och {fmt_int(more)} öppna åtgärder till (se åtgärdslistan).", note=True))
    doc.sections.append(Section("5. Åtgärder", tuple(blocks)))

    # 6 — coverage
    cov = fg.coverage(engine, scope=scope, flt=flt)
    silent = [n for n, s in zip(cov["org_name"], cov["status"]) if s in ("silent", "low")]
    blocks = [Table(("Källa", "I perioden", "Väntat", "Rapportörer", "Status"), tuple(fg.coverage_rows(cov)),
                    widths=(3, 1.1, 0.9, 1.3, 2.5), numeric=(1, 2, 3), empty="Inga rapporter från någon källa.")]
    if silent:
        blocks.insert(0, Bullets(tuple(f"Observera: {n} har rapporterat klart mindre än vanligt – ett lugnt läge "
                                       "kan vara en tyst källa." for n in silent)))
    blocks.append(Paragraph("Väntat = källans antal de åtta veckorna före perioden, omräknat till periodens längd.",
                            note=True))
    doc.sections.append(Section("6. Vem har rapporterat", tuple(blocks)))
    doc.record(total_current=tot.current, total_previous=tot.previous, open_actions=len(actions),
               overdue_actions=overdue, hotspots=len(hot),
               **{f"source_{code}": int(n) for code, n in zip(cov["org_code"], cov["incidents"]) if not pd.isna(n)},
               **{f"area_rows": len(areas)})
    return doc
