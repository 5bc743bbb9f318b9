"""The command line for reports: `python -m data_layer report lagesbild|protokoll|tertial …` and
`python -m data_layer digest --area CODE --week ÅÅÅÅ-Vvv …`. Each acts as --user (default: the forum's coordinator,
see acting.py) and writes Markdown or PDF to --out or stdout. Problems raise ReportError (exit code 2)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from data_layer.reports.acting import ReportError, actor
from data_layer.reports.document import Document


def _common(parser) -> None:
    parser.add_argument("--user", help="användarnamn vars behörighet rapporten följer (standard: forumets samordnare)")
    parser.add_argument("--format", default="md", help="md eller pdf (standard md)")
    parser.add_argument("--out", help="fil att skriva till (standard: stdout)")


def add_report_commands(sub) -> None:
    """Register `report` and `digest` on the main parser's subparsers (each sets args.handler)."""
    report = sub.add_parser("report", help="rapporter: lägesbild, mötesprotokoll, tertial-/årsrapport")
    kinds = report.add_subparsers(dest="report_kind", required=True)
    lb = kinds.add_parser("lagesbild", help="14-dagars lägesbild")
    lb.add_argument("--end", help="sista dag ÅÅÅÅ-MM-DD (standard: i dag)")
    lb.add_argument("--days", default="14", help="antal dagar (standard 14)")
    lb.add_argument("--area", action="append", default=[], help="områdeskod (kan upprepas)")
    _common(lb)
    pr = kinds.add_parser("protokoll", help="protokoll från ett möte")
    pr.add_argument("--meeting", help="mötets id (standard: senaste avslutade mötet)")
    pr.add_argument("--date", help="mötets datum ÅÅÅÅ-MM-DD")
    _common(pr)
    te = kinds.add_parser("tertial", help="tertial- eller årsrapport till kommunstyrelsen (lag 2023:196)")
    te.add_argument("--period", required=True, help="ÅÅÅÅ-T1, ÅÅÅÅ-T2, ÅÅÅÅ-T3 eller ÅÅÅÅ")
    te.add_argument("--area", action="append", default=[], help="områdeskod (kan upprepas)")
    _common(te)
    for p in (lb, pr, te):
        p.set_defaults(handler=cmd_report)
    dg = sub.add_parser("digest", help="veckobrev per område (återkoppling)")
    dg.add_argument("--area", required=True, help="områdeskod")
    dg.add_argument("--week", required=True, help="ISO-vecka ÅÅÅÅ-Vvv, t.ex. 2026-W47")
    dg.add_argument("--org", help="organisationskod vars åtgärder listas (standard: användarens organisation)")
    _common(dg)
    dg.set_defaults(handler=cmd_digest)


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"Ogiltigt datum för {what}: '{text}', använd ÅÅÅÅ-MM-DD.") from None


def _int(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise ReportError(f"{what} måste vara ett positivt heltal, inte '{text}'.")
    return int(text)


def _engine(args):
    from data_layer.db import make_engine
    from data_layer.migrate import is_at_head

    engine = make_engine(args.db)
    if not is_at_head(engine):
        raise ReportError("Databasens schema är inte uppdaterat. Kör först: python -m data_layer init")
    return engine


def _check_format(args) -> None:
    if args.format not in ("md", "pdf"):
        raise ReportError(f"Okänt format '{args.format}': välj md eller pdf.")


def _areas_exist(engine, codes) -> tuple[str, ...]:
    from sqlalchemy import select

    from data_layer.models import Area

    with engine.connect() as conn:
        known = set(conn.execute(select(Area.code).where(Area.code.in_(codes))).scalars())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ReportError(f"Okänt område '{unknown[0]}'.")
    return tuple(codes)


def write(doc: Document, args) -> None:
    """Render and write the document to --out (charts beside a Markdown file, in <stem>-bilder/) or stdout."""
    from data_layer.reports.markdown import render_markdown
    from data_layer.reports.pdf import render_pdf

    if args.format == "pdf":
        data = render_pdf(doc)
        if args.out:
            Path(args.out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return
    if args.out:
        out = Path(args.out)
        folder = out.with_name(out.stem + "-bilder")
        figures = doc.figures()
        if figures:
            folder.mkdir(parents=True, exist_ok=True)
            for f in figures:
                (folder / f"{f.name}.png").write_bytes(f.png)
        out.write_text(render_markdown(doc, image_dir=folder.name if figures else None), encoding="utf-8")
    else:
        sys.stdout.write(render_markdown(doc))


def cmd_report(args) -> int:
    _check_format(args)
    engine = _engine(args)
    who = actor(engine, args.user)
    if args.report_kind == "lagesbild":
        from analysis.periods import today_stockholm
        from data_layer.reports.lagesbild import build_lagesbild, lagesbild_filter

        end = _date(args.end, "--end") or today_stockholm()
        flt = lagesbild_filter(end, days=_int(args.days, "--days"), area_codes=_areas_exist(engine, args.area))
        doc = build_lagesbild(engine, scope=who.scope, flt=flt, by=who.display_name)
    elif args.report_kind == "protokoll":
        from data_layer.reports.protokoll import build_protokoll

        doc = build_protokoll(engine, scope=who.scope, meeting_id=_int(args.meeting, "--meeting"),
                              held_on=_date(args.date, "--date"), by=who.display_name)
    else:
        from data_layer.reports.tertial import build_tertial

        doc = build_tertial(engine, scope=who.scope, period=args.period, by=who.display_name,
                            area_codes=_areas_exist(engine, args.area))
    write(doc, args)
    return 0


def cmd_digest(args) -> int:
    from data_layer.reports.digest import build_digest, parse_week

    _check_format(args)
    parse_week(args.week)  # a malformed week is refused before the store is opened
    engine = _engine(args)
    who = actor(engine, args.user)
    doc = build_digest(engine, scope=who.scope, area_code=args.area, week=args.week, org_code=args.org,
                       org_fallback=who.organisation_code)
    write(doc, args)
    return 0
