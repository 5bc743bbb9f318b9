"""Every user-facing string, in Swedish (default) and English: t(key, **kw) formats the current language's text."""
from __future__ import annotations

LANGUAGES = {"sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "sv"

# key: (Swedish, English). Placeholders use str.format names.
TEXTS: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("Lägesbild", "Lägesbild (situational picture)"),
    "app.schema_outdated": ("Databasens schema är inte uppdaterat, så Lägesbild kan inte starta. "
                            "Kör först kommandot nedan och ladda sedan om sidan.",
                            "The store's schema is out of date, so Lägesbild cannot start. "
                            "Run the command below, then reload the page."),
    "app.demo_badge": ("DEMO", "DEMO"),
    "app.demo_help": ("Påhittade data från demokommunen, inte verkliga händelser.",
                      "Made-up data from the demo municipality, not real incidents."),
    "nav.overview": ("Lägesbild", "Overview"),
    "nav.map": ("Karta", "Map"),
    "nav.trends": ("Trender", "Trends"),
    "nav.surveys": ("Trygghetsmätningar", "Safety surveys"),
    "nav.actions": ("Åtgärder", "Actions"),
    "nav.meeting": ("Veckomöte", "Weekly meeting"),
    "nav.report": ("Rapportera", "Report"),
    "nav.data": ("Data", "Data"),
    "nav.admin": ("Admin", "Admin"),
    # login
    "login.title": ("Logga in", "Log in"),
    "login.intro": ("Logga in med ditt konto för att se lägesbilden.", "Log in with your account to see the picture."),
    "login.username": ("Användarnamn", "Username"),
    "login.password": ("Lösenord", "Password"),
    "login.submit": ("Logga in", "Log in"),
    "login.failed": ("Fel användarnamn eller lösenord", "Wrong username or password"),
    "login.forbidden": ("Din roll har inte behörighet till den här sidan.", "Your role may not open this page."),
    "auth.signed_in_as": ("Inloggad som {name} ({org}, {role})", "Logged in as {name} ({org}, {role})"),
    "auth.logout": ("Logga ut", "Log out"),
    # filters
    "filters.language": ("Språk", "Language"),
    "filters.heading": ("Urval", "Filters"),
    "filters.from": ("Från och med", "From"),
    "filters.to": ("Till och med", "To"),
    "filters.areas": ("Områden", "Areas"),
    "filters.categories": ("Kategorier", "Categories"),
    "filters.sources": ("Källor", "Sources"),
    "filters.all": ("Alla", "All"),
    "filters.swapped": ("Startdatumet låg efter slutdatumet; datumen har bytt plats.",
                        "The start date was after the end date; the dates were swapped."),
    # common
    "common.yes": ("Ja", "Yes"),
    "common.no": ("Nej", "No"),
    "common.no_incidents": ("Inga händelser i urvalet.", "No incidents in the selection."),
    "common.show_table": ("Visa siffrorna som tabell", "Show the figures as a table"),
    "common.unknown_area": ("Okänt område", "Unknown area"),
    # table columns
    "col.area": ("Område", "Area"),
    "col.category": ("Kategori", "Category"),
    "col.current": ("Perioden", "This period"),
    "col.previous": ("Föregående", "Previous"),
    "col.change": ("Skillnad", "Difference"),
    "col.p_value": ("p-värde", "p-value"),
    "col.verdict": ("Bedömning", "Verdict"),
    "col.source": ("Källa", "Source"),
    "col.incidents": ("Händelser", "Incidents"),
    "col.reporters": ("Rapportörer", "Reporters"),
    "col.last_date": ("Senaste", "Latest"),
    "col.cell": ("H3-ruta", "H3 cell"),
    "col.title": ("Åtgärd", "Action"),
    "col.status": ("Status", "Status"),
    "col.owner": ("Ansvarig organisation", "Owner"),
    "col.due": ("Klart senast", "Due"),
    "col.overdue": ("Försenad", "Overdue"),
    "col.targets": ("Riktar sig mot", "Targets"),
    "col.date": ("Datum", "Date"),
    "col.forum": ("Forum", "Forum"),
    "col.items": ("Punkter", "Items"),
    "col.decisions": ("Beslut", "Decisions"),
    "col.when": ("När", "When"),
    "col.description": ("Beskrivning", "Description"),
    "col.wave": ("Mätning", "Wave"),
    "col.respondents": ("Svarande", "Respondents"),
    "col.source_kind": ("Typ", "Kind"),
    "col.file": ("Fil", "File"),
    "col.accepted": ("Inlästa rader", "Rows accepted"),
    "col.rejected": ("Avvisade rader", "Rows rejected"),
    "col.user": ("Användare", "User"),
    "col.undone": ("Ångrad", "Undone"),
    "col.username": ("Användarnamn", "Username"),
    "col.name": ("Namn", "Name"),
    "col.organisation": ("Organisation", "Organisation"),
    "col.role": ("Roll", "Role"),
    "col.active": ("Aktiv", "Active"),
    "col.locked": ("Låst till", "Locked until"),
    "col.operation": ("Behörighet", "Permission"),
    "col.event": ("Händelse", "Event"),
    "col.object_type": ("Objekttyp", "Object type"),
    "col.object_id": ("Objekt-id", "Object id"),
    "col.detail": ("Detaljer", "Detail"),
    # change verdicts
    "change.increase": ("tydlig ökning", "clear increase"),
    "change.decrease": ("tydlig minskning", "clear decrease"),
    "change.normal": ("inom normal variation", "within normal variation"),
    # charts
    "chart.week": ("Vecka", "Week"),
    "chart.week_tick": ("v. {week}", "wk {week}"),
    "chart.count": ("Antal händelser", "Number of incidents"),
    "chart.area": ("Område", "Area"),
    "chart.week_hover": ("Veckan som börjar %{x|%Y-%m-%d}: %{y} händelser", "Week starting %{x|%Y-%m-%d}: %{y} incidents"),
    # overview
    "overview.title": ("Lägesbild", "Situational picture"),
    "overview.metric_current": ("Händelser i perioden", "Incidents in the period"),
    "overview.metric_current_help": ("Skillnaden mot föregående lika långa period står under siffran.",
                                     "The difference from the previous period of equal length is shown below."),
    "overview.metric_previous": ("Föregående period", "Previous period"),
    "overview.metric_reporters": ("Aktiva rapportörer", "Active reporters"),
    "overview.metric_areas": ("Områden med händelser", "Areas with incidents"),
    "overview.table_heading": ("Förändring per område och kategori", "Change per area and category"),
    "overview.table_caption": ("{rows} kombinationer av område och kategori. {significant} visar en förändring som "
                               "är större än normal variation (p < 0,05): {up} ökningar och {down} minskningar. "
                               "Övriga ligger inom normal variation.",
                               "{rows} area–category combinations. {significant} show a change larger than normal "
                               "variation (p < 0.05): {up} increases and {down} decreases. The rest are within "
                               "normal variation."),
    "overview.table_alt": ("Tabell över händelser per område och kategori i perioden och föregående period, med "
                           "p-värde och bedömning.", "Table of incidents per area and category in this and the "
                           "previous period, with p-value and verdict."),
    "overview.coverage_heading": ("Vilka har rapporterat", "Who has reported"),
    "overview.coverage_chart": ("Händelser per källa", "Incidents per source"),
    "overview.coverage_caption": ("{sources} källor har rapporterat i perioden. Flest kommer från {top} ({n}).",
                                  "{sources} sources reported in the period; most came from {top} ({n})."),
    "overview.coverage_alt": ("Liggande stapeldiagram: antal händelser per källa i perioden.",
                              "Horizontal bar chart: incidents per source in the period."),
    # map
    "map.title": ("Karta", "Map"),
    "map.period": ("Period: {period}", "Period: {period}"),
    "map.caption": ("{points} händelser med exakt position visas i {cells} sexkantiga rutor. {not_drawn} händelser "
                    "har bara ett område (t.ex. polisens händelser) och ritas inte som punkter; de räknas i "
                    "områdenas siffror.",
                    "{points} incidents with a precise position are shown in {cells} hexagonal cells. {not_drawn} "
                    "incidents only have an area (e.g. police events) and are not drawn as points; they count in "
                    "the area figures."),
    "map.alt": ("Karta med {points} händelser i {cells} rutor ovanpå områdesgränser.",
                "Map of {points} incidents in {cells} cells over area outlines."),
    "map.legend": ("Färgskala: mörklila = få händelser, gult = många. Peka på en ruta eller ett område för antalet.",
                   "Colour scale: dark purple = few incidents, yellow = many. Point at a cell or area for the count."),
    "map.cell": ("Ruta", "Cell"),
    "map.tooltip": ("{name}: {count} händelser", "{name}: {count} incidents"),
    "map.cells_table": ("Visa rutorna som tabell", "Show the cells as a table"),
    "map.areas_table": ("Visa områdena som tabell", "Show the areas as a table"),
    # trends
    "trends.title": ("Trender", "Trends"),
    "trends.intro": ("Händelser per vecka och kategori, {period}.", "Incidents per week and category, {period}."),
    "trends.chart_title": ("Händelser per vecka", "Incidents per week"),
    "trends.caption": ("{weeks} veckor, {categories} kategorier, {total} händelser. Flest: {top} ({top_n}).",
                       "{weeks} weeks, {categories} categories, {total} incidents. Most: {top} ({top_n})."),
    "trends.partial_weeks": ("Perioden börjar eller slutar mitt i en vecka: den första eller sista veckan är "
                             "ofullständig.", "The period starts or ends mid-week: the first or last week is partial."),
    "trends.top_only": ("Visa alla kategorier i diagrammet", "Show all categories in the chart"),
    "trends.top_caption": ("Diagrammet visar de {n} största kategorierna; alla finns i tabellen.",
                           "The chart shows the {n} largest categories; all are in the table."),
    "trends.alt": ("Linjediagram: antal händelser per vecka, en linje per kategori.",
                   "Line chart: incidents per week, one line per category."),
    # surveys
    "surveys.title": ("Trygghetsmätningar", "Safety surveys"),
    "surveys.none": ("Det finns inga enkätresultat ännu.", "There are no survey results yet."),
    "surveys.question": ("Fråga", "Question"),
    "surveys.too_few": ("för få svar", "too few answers"),
    "surveys.caption": ("{question}: {areas} områden, {waves} mätningar. {suppressed} värden visas inte eftersom "
                        "de bygger på färre än {min_n} svar eller saknas.",
                        "{question}: {areas} areas, {waves} waves. {suppressed} values are not shown because they "
                        "rest on fewer than {min_n} answers or are missing."),
    "surveys.chart_title": ("Resultat per område och mätning", "Result per area and wave"),
    "surveys.share_axis": ("Andel (%)", "Share (%)"),
    "surveys.mean_axis": ("Medelvärde", "Mean"),
    "surveys.alt": ("Stapeldiagram: frågans resultat per område, en stapel per mätning.",
                    "Bar chart: the question's result per area, one bar per wave."),
    # actions
    "actions.title": ("Åtgärder", "Actions"),
    "actions.own_org": ("Bara min organisation", "Only my organisation"),
    "actions.open_only": ("Bara pågående och planerade", "Only open actions"),
    "actions.none": ("Inga åtgärder i urvalet.", "No actions in the selection."),
    "actions.caption": ("{n} åtgärder, varav {overdue} är försenade (klart-datum före {today} och inte avslutade). "
                        "Försenade står först.", "{n} actions, {overdue} overdue (due before {today} and not "
                        "finished). Overdue actions come first."),
    "actions.overdue": ("Försenad", "Overdue"),
    "actions.alt": ("Tabell över åtgärder med status, ansvarig organisation och klart-datum.",
                    "Table of actions with status, owner and due date."),
    "status.föreslagen": ("Föreslagen", "Proposed"),
    "status.beslutad": ("Beslutad", "Decided"),
    "status.pågår": ("Pågår", "In progress"),
    "status.klar": ("Klar", "Done"),
    "status.avbruten": ("Avbruten", "Cancelled"),
    # meeting
    "meeting.title": ("Veckomöte", "Weekly meeting"),
    "meeting.none": ("Inga möten är inlagda ännu.", "No meetings yet."),
    "meeting.next": ("Nästa möte: {forum}, {date}", "Next meeting: {forum}, {date}"),
    "meeting.latest": ("Senaste mötet: {forum}, {date}", "Latest meeting: {forum}, {date}"),
    "meeting.status": ("Status: {status}. {items} dagordningspunkter, {decisions} beslut.",
                       "Status: {status}. {items} agenda items, {decisions} decisions."),
    "meeting.no_agenda": ("Dagordningen är tom.", "The agenda is empty."),
    "meeting.minutes": ("Anteckningar", "Minutes"),
    "meeting.past": ("Tidigare möten", "Past meetings"),
    "meeting.past_caption": ("{n} tidigare möten.", "{n} past meetings."),
    "meeting_status.planerat": ("planerat", "planned"),
    "meeting_status.pågår": ("pågår", "in progress"),
    "meeting_status.avslutat": ("avslutat", "closed"),
    "agenda_kind.uppfoljning": ("Uppföljning", "Follow-up"),
    "agenda_kind.forandringar": ("Förändringar", "Changes"),
    "agenda_kind.hotspots": ("Brännpunkter", "Hotspots"),
    "agenda_kind.handelser": ("Kommande händelser", "Coming events"),
    "agenda_kind.rapporter": ("Rapporter", "Reports"),
    "agenda_kind.ovrigt": ("Övrigt", "Other"),
    # report
    "report.title": ("Rapportera", "Report"),
    "report.not_allowed": ("Din roll kan inte rapportera händelser. Kontakta samordnaren om du behöver kunna det.",
                           "Your role cannot report incidents. Contact the coordinator if you need to."),
    "report.category": ("Vad hände?", "What happened?"),
    "report.choose": ("Välj", "Choose"),
    "report.optional": ("Valfritt", "Optional"),
    "report.now": ("Det händer nu / hände nyss", "It is happening now / just happened"),
    "report.date": ("Datum (om inte nu)", "Date (if not now)"),
    "report.time": ("Klockslag (om inte nu)", "Time (if not now)"),
    "report.area": ("Område", "Area"),
    "report.place": ("Plats", "Place"),
    "report.description": ("Kort beskrivning", "Short description"),
    "report.description_help": ("Skriv inga namn eller personnummer.", "Do not write names or personal ids."),
    "report.assessment": ("Hur allvarligt?", "How serious?"),
    "report.assessment_1": ("1 – lindrigt", "1 – minor"),
    "report.assessment_2": ("2 – märkbart", "2 – noticeable"),
    "report.assessment_3": ("3 – allvarligt", "3 – serious"),
    "report.submit": ("Skicka rapport", "Send report"),
    "report.need_category": ("Välj vad som hände innan du skickar.", "Choose what happened before sending."),
    "report.thanks": ("Tack! Rapporten är sparad.", "Thank you! The report is saved."),
    "report.mine": ("Mina senaste rapporter", "My latest reports"),
    "report.mine_none": ("Du har inte rapporterat något ännu.", "You have not reported anything yet."),
    # data
    "data.title": ("Data", "Data"),
    "data.incidents": ("Händelser totalt", "Incidents in total"),
    "data.sources": ("Källor", "Sources"),
    "data.with_point": ("Med exakt position", "With a precise position"),
    "data.range": ("Händelser från {first} till {last}; {forms} kom via rapportformuläret.",
                   "Incidents from {first} to {last}; {forms} came from the report form."),
    "data.areas": ("Områden", "Areas"),
    "data.categories": ("Kategorier", "Categories"),
    "data.organisations": ("Organisationer", "Organisations"),
    "data.demo_store": ("Databasen innehåller demokommunen (slumpfrö {seed}).",
                        "The store holds the demo municipality (seed {seed})."),
    "data.batches": ("Senaste inläsningar", "Latest imports"),
    "data.batches_none": ("Inga inläsningar ännu.", "No imports yet."),
    "data.batches_not_allowed": ("Din roll ser inte inläsningarna.", "Your role cannot see the imports."),
    # admin
    "admin.title": ("Admin", "Admin"),
    "admin.read_only": ("Du ser administrationen utan att kunna ändra.", "You see the administration read-only."),
    "admin.users": ("Användare", "Users"),
    "admin.users_not_allowed": ("Din roll ser inte användarlistan.", "Your role cannot see the users."),
    "admin.matrix": ("Behörigheter", "Permissions"),
    "admin.matrix_caption": ("Vad varje roll får göra med den valda resursen. Känsliga händelser räknas alltid i "
                             "summor men visas i detalj bara för den rapporterande organisationen och roller med "
                             "rätt.", "What each role may do with the chosen resource. Sensitive incidents always "
                             "count in totals but are shown in detail only to the reporting organisation and "
                             "roles granted it."),
    "admin.resource": ("Resurs", "Resource"),
    "admin.audit": ("Granskningslogg", "Audit log"),
    "admin.audit_caption": ("De senaste {n} händelserna i loggen.", "The latest {n} log entries."),
    "admin.audit_not_allowed": ("Din roll ser inte granskningsloggen.", "Your role cannot see the audit log."),
    "role.admin": ("administratör", "administrator"),
    "role.samordnare": ("samordnare", "coordinator"),
    "role.analytiker": ("analytiker", "analyst"),
    "role.medlem": ("medlem", "member"),
    "role.rapportor": ("rapportör", "reporter"),
    "role.lasare": ("läsare", "reader"),
    "resource.incident": ("Händelser", "Incidents"),
    "resource.sensitive_incident": ("Känsliga händelser", "Sensitive incidents"),
    "resource.survey": ("Enkäter", "Surveys"),
    "resource.action": ("Åtgärder", "Actions"),
    "resource.meeting": ("Möten", "Meetings"),
    "resource.import": ("Inläsningar", "Imports"),
    "resource.user": ("Användare", "Users"),
    "resource.audit": ("Granskningslogg", "Audit log"),
    "operation.list": ("Räkna i summor", "Count in totals"),
    "operation.read_detail": ("Se enskilda rader", "See single rows"),
    "operation.precise_location": ("Se exakt position", "See precise location"),
    "operation.free_text": ("Läsa fritext", "Read free text"),
    "operation.export": ("Exportera", "Export"),
    "operation.edit": ("Ändra", "Edit"),
    "operation.administer": ("Administrera", "Administer"),
    "audit.login": ("inloggning", "login"),
    "audit.login_failed": ("misslyckad inloggning", "failed login"),
    "audit.logout": ("utloggning", "logout"),
    "audit.view_sensitive": ("visade känslig detalj", "viewed sensitive detail"),
    "audit.export": ("export", "export"),
    "audit.import": ("inläsning", "import"),
    "audit.edit": ("ändring", "edit"),
    "audit.role_change": ("rollbyte", "role change"),
    "audit.user_add": ("ny användare", "user added"),
}

_MISSING = object()


def current_language() -> str:
    """The session's chosen language (from the lang widget), or Swedish outside a Streamlit session."""
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx() is None:
            return DEFAULT_LANGUAGE
        lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    except Exception:  # noqa: BLE001 - no runtime: tests, CLI
        return DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, *, lang: str | None = None, default=_MISSING, **kw) -> str:
    """The text for `key` in `lang` (default: the session's), formatted with `kw`; a missing key shows as itself."""
    entry = TEXTS.get(key)
    if entry is None:
        if default is not _MISSING:
            return str(default)
        return key
    text = entry[1] if (lang or current_language()) == "en" else entry[0]
    return text.format(**kw) if kw else text
