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
    "app.production_refused": ("Lägesbild startar inte: inställningarna klarar inte produktionskontrollen. "
                               "Driftansvarig ser problemen i serverloggen och med `python -m data_layer check-config`.",
                               "Lägesbild will not start: the settings fail the production check. Operators find "
                               "the problems in the server log and with `python -m data_layer check-config`."),
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
    "login.sso": ("Logga in med organisationens konto", "Log in with your organisation's account"),
    "login.or_local": ("Eller logga in med användarnamn och lösenord:", "Or log in with username and password:"),
    "login.sso_unknown": ("Ditt konto ({who}) finns inte i Lägesbild eller är inaktiverat; kontakta samordnaren.",
                          "Your account ({who}) does not exist in Lägesbild or is deactivated; contact the "
                          "coordinator."),
    "login.session_ended": ("Ditt konto har ändrats eller inaktiverats. Logga in igen.",
                            "Your account was changed or deactivated. Please log in again."),
    "auth.change_password": ("Byt lösenord", "Change password"),
    "auth.current_password": ("Nuvarande lösenord", "Current password"),
    "auth.new_password": ("Nytt lösenord (minst {n} tecken)", "New password (at least {n} characters)"),
    "auth.repeat_password": ("Upprepa det nya lösenordet", "Repeat the new password"),
    "auth.password_submit": ("Spara nytt lösenord", "Save new password"),
    "auth.password_mismatch": ("De två nya lösenorden är inte lika.", "The two new passwords differ."),
    "auth.password_changed": ("Ditt lösenord är bytt.", "Your password is changed."),
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
    # period presets (sidebar; ui/filters.py)
    "period.label": ("Period", "Period"),
    "period.help": ("Välj en färdig period eller egna datum nedan. Länken i adressfältet har alltid datumen, så den "
                    "visar samma period för den du delar den med.",
                    "Pick a ready-made period or your own dates below. The link in the address bar always holds the "
                    "dates, so it shows the same period to whoever you share it with."),
    "period.week": ("Denna vecka (v. {week})", "This week (wk {week})"),
    "period.last_week": ("Förra veckan (v. {week})", "Last week (wk {week})"),
    "period.14d": ("Senaste 14 dagarna", "Last 14 days"),
    "period.28d": ("Senaste 28 dagarna", "Last 28 days"),
    "period.month": ("Denna månad ({month})", "This month ({month})"),
    "period.tertial": ("Detta tertial (T{n})", "This tertial (T{n})"),
    "period.year": ("I år ({year})", "This year ({year})"),
    "period.since_meeting": ("Sedan förra mötet ({date})", "Since the last meeting ({date})"),
    "period.since_meeting_none": ("Sedan förra mötet", "Since the last meeting"),
    "period.custom": ("Egna datum", "Custom dates"),
    # overview
    "overview.title": ("Lägesbild", "Situational picture"),
    "overview.sentence": ("{current} jämfört med {previous}", "{current} compared with {previous}"),
    "overview.sentence_week_part": ("Vecka {week} hittills ({range}) jämfört med samma dagar vecka {prev_week} "
                                    "({prev_range})",
                                    "Week {week} so far ({range}) compared with the same days of week {prev_week} "
                                    "({prev_range})"),
    "overview.baseline_weeks": ("Snitt tidigare år = samma veckonummer {years} ({n} år).",
                                "Earlier years = the same week numbers in {years} ({n} years)."),
    "overview.baseline_dates": ("Snitt tidigare år = samma datum {years} ({n} år).",
                                "Earlier years = the same dates in {years} ({n} years)."),
    "overview.baseline_none": ("Tidigare år saknar data, så ingen jämförelse med tidigare år görs.",
                               "There are no data for earlier years, so no comparison with them is made."),
    "overview.ytd_caption": ("Hittills i år = {ytd} mot {previous}.", "Year to date = {ytd} against {previous}."),
    "overview.fdr": ("Bedömningen gäller efter justering för att {tests} jämförelser görs samtidigt "
                     "(Benjamini–Hochberg: högst 5 % av det som markeras väntas vara slump).",
                     "Verdicts hold after adjusting for {tests} comparisons made at once (Benjamini–Hochberg: at most "
                     "5 % of what is marked is expected to be chance)."),
    "overview.verdict_increase": ("tydlig ökning", "clear increase"),
    "overview.verdict_decrease": ("tydlig minskning", "clear decrease"),
    "overview.verdict_normal": ("inom normal variation", "within normal variation"),
    "overview.verdict_short_normal": ("normal", "normal"),
    "overview.verdict_short_increase": ("ökar", "up"),
    "overview.verdict_short_decrease": ("minskar", "down"),
    "overview.verdict_na": ("data saknas", "no data"),
    "overview.metric_current": ("Händelser i perioden", "Incidents in the period"),
    "overview.metric_delta": ("{diff} mot föregående period", "{diff} against the previous period"),
    "overview.metric_current_help": ("Skillnaden mot föregående period står under siffran. Om den är verklig eller "
                                     "slump visar tabellen nedan.",
                                     "The difference from the previous period is shown below the figure. Whether it "
                                     "is real or chance is shown in the table below."),
    "overview.metric_baseline": ("Samma period tidigare år", "Same period, earlier years"),
    "overview.metric_baseline_help": ("Genomsnittet av samma period de tre föregående åren (säsongsnivå).",
                                      "The average of the same period in the three previous years (seasonal level)."),
    "overview.metric_reporters": ("Aktiva rapportörer", "Active reporters"),
    "overview.metric_reporters_before": ("{n} under de 8 veckorna före", "{n} in the 8 weeks before"),
    "overview.metric_reporters_help": ("Personer som rapporterat via formuläret i perioden. Importerade händelser "
                                       "räknas per källa i tabellen längst ned.",
                                       "People who reported through the form in the period. Imported incidents are "
                                       "counted per source in the table at the bottom."),
    "overview.metric_sources": ("Källor som rapporterat", "Sources that reported"),
    "overview.metric_sources_value": ("{n} av {of}", "{n} of {of}"),
    "overview.metric_sources_help": ("Källor med minst en händelse i perioden, av dem som rapporterat i perioden "
                                     "eller de 8 veckorna före.",
                                     "Sources with at least one incident in the period, out of those that reported "
                                     "in the period or the 8 weeks before."),
    "overview.silent_warning": ("Inga rapporter i perioden från {names}, som brukar rapportera — tyst källa? En lugn "
                                "period kan bero på att rapporter saknas.",
                                "No reports in the period from {names}, who usually report: a silent source? A calm "
                                "period may be missing reports."),
    "overview.low_warning": ("Klart färre rapporter än vanligt från {names}. Kontrollera att inget fattas innan en "
                             "minskning tolkas som verklig.",
                             "Clearly fewer reports than usual from {names}. Check that nothing is missing before "
                             "reading a decrease as real."),
    "overview.headlines_heading": ("Tydliga förändringar", "Clear changes"),
    "overview.no_headlines": ("Inga tydliga förändringar i perioden: alla områden och kategorier ligger inom normal "
                              "variation mot föregående period och mot samma period tidigare år.",
                              "No clear changes in the period: every area and category is within normal variation "
                              "against the previous period and the same period in earlier years."),
    "overview.ref_baseline": ("snitt samma period tidigare år", "average of the same period in earlier years"),
    "overview.ref_previous": ("föregående period", "the previous period"),
    "overview.card_delta": ("{diff} mot väntat {expected} ({ref})", "{diff} against {expected} expected ({ref})"),
    "overview.card_help": ("Staplarna visar de senaste {weeks} veckorna; den sista är veckan hittills.",
                           "The bars show the last {weeks} weeks; the last one is the week so far."),
    "overview.spark_alt": ("Stapeldiagram: {category} i {area} per vecka de senaste {weeks} veckorna: {counts}.",
                           "Bar chart: {category} in {area} per week over the last {weeks} weeks: {counts}."),
    "overview.card_verdict": ("**{verdict}** (justerat p {p})", "**{verdict}** (adjusted p {p})"),
    "overview.card_action": (":material/task_alt: **Åtgärd:** {action}", ":material/task_alt: **Action:** {action}"),
    "overview.card_more_actions": (" och {n} till", " and {n} more"),
    "overview.card_no_action": (":material/error: **Ingen öppen åtgärd** för detta område och denna kategori: "
                                "en fråga för mötet.", ":material/error: **No open action** for this area and "
                                "category: a question for the meeting."),
    "overview.link_map": ("Karta", "Map"),
    "overview.link_trend": ("Trend", "Trend"),
    "overview.table_heading": ("Förändring per område och kategori", "Change per area and category"),
    "overview.by_source": ("Dela upp per källa", "Split by source"),
    "overview.by_source_help": ("Visa en rad per område, kategori och rapporterande organisation.",
                                "Show one row per area, category and reporting organisation."),
    "overview.table_caption2": ("{rows} rader; {significant} med en tydlig förändring överst. Varje jämförelse visar "
                                "antalet att jämföra med, bedömningen (▲ ökar, ▼ minskar: tydlig förändring, färgad; "
                                "normal: inom normal variation) och justerat p-värde. Välj en rad för att se "
                                "händelserna bakom den.",
                                "{rows} rows; {significant} with a clear change first. Each comparison shows the count "
                                "compared with, the verdict (▲ up, ▼ down: a clear change, coloured; normal: within "
                                "normal variation) and the adjusted p-value. Select a row to see the incidents behind "
                                "it."),
    "overview.table_alt2": ("Tabell per område och kategori: antal i perioden, per 1 000 invånare, föregående period, "
                            "snitt samma period tidigare år och hittills i år, med bedömning och justerat p-värde.",
                            "Table per area and category: count in the period, per 1,000 residents, previous period, "
                            "average of earlier years and year to date, with verdict and adjusted p-value."),
    "overview.col_rate": ("Per 1\u00a0000", "Per 1,000"),
    "overview.help_current": ("Händelser i perioden.", "Incidents in the period."),
    "overview.help_rate": ("Händelser i perioden per 1 000 invånare i området, där folkmängden är känd.",
                           "Incidents in the period per 1,000 residents of the area, where the population is known."),
    "overview.help_previous": ("Händelser i föregående period (se rubriken överst) · bedömning · justerat p-värde.",
                               "Incidents in the previous period (see the heading at the top) · verdict · adjusted "
                               "p-value."),
    "overview.help_baseline": ("Genomsnitt för samma period de tre föregående åren (säsongsnivå) · bedömning · "
                               "justerat p-värde.", "Average of the same period in the three previous years "
                               "(seasonal level) · verdict · adjusted p-value."),
    "overview.help_ytd_count": ("Händelser från 1 januari till periodens sista dag.",
                          "Incidents from 1 January to the period's last day."),
    "overview.help_ytd": ("Händelser samma datum förra året · bedömning av i år mot i fjol · justerat p-värde.",
                          "Incidents over the same dates last year · verdict of this year against last · adjusted "
                          "p-value."),
    "overview.col_baseline": ("Snitt 3 år", "Avg. 3 years"),
    "overview.col_ytd": ("I år", "This year"),
    "overview.col_ytd_previous": ("I fjol", "Last year"),
    "overview.col_precision": ("Plats", "Location"),
    "overview.col_assessment": ("Bedömning 1–3", "Assessment 1–3"),
    "overview.col_sensitive": ("Känslig", "Sensitive"),
    "overview.precision_point": ("exakt position", "exact position"),
    "overview.precision_area": ("bara område", "area only"),
    "overview.precision_none": ("okänd", "unknown"),
    "overview.drill_hint": ("Välj en rad i tabellen för att se händelserna bakom den.",
                            "Select a row in the table to see the incidents behind it."),
    "overview.drill_heading": ("Händelserna bakom raden: {category} i {area}", "The incidents behind the row: "
                               "{category} in {area}"),
    "overview.drill_caption": ("{period}: {n} händelser.", "{period}: {n} incidents."),
    "overview.drill_counts_only": ("Din roll ({role}) ser antal men inte enskilda händelser. Vänd dig till "
                                   "samordnaren om du behöver detaljerna.",
                                   "Your role ({role}) sees counts but not single incidents. Ask the coordinator if "
                                   "you need the details."),
    "overview.drill_hidden": ("Visar {shown} av {total}: övriga är känsliga och visas bara för den organisation som "
                              "rapporterat dem och för behöriga roller.",
                              "Showing {shown} of {total}: the others are sensitive and shown only to the reporting "
                              "organisation and to roles allowed to see them."),
    "overview.drill_own_only": ("Visar dina egna {shown} av {total}: som rapportör ser du bara dina egna rapporter.",
                                "Showing your own {shown} of {total}: as a reporter you see only your own reports."),
    "overview.drill_alt": ("Händelserna bakom den valda raden.", "The incidents behind the selected row."),
    "export.every": ("alla", "all"),
    "export.as_of": ("ställning {day}", "as of {day}"),
    "export.view": ("Vy", "View"),
    "overview.drill_download": ("Ladda ner de {n} händelserna (CSV)", "Download the {n} incidents (CSV)"),
    "overview.since_heading": ("Nytt sedan förra mötet ({date})", "New since the last meeting ({date})"),
    "overview.since_heading_none": ("Nytt sedan förra mötet", "New since the last meeting"),
    "overview.since_none": ("Inget hållet möte finns i registret (eller så får din roll inte se mötena).",
                            "No meeting held is in the register (or your role may not see meetings)."),
    "overview.since_caption": ("{n} händelser {period}, per kategori och område. Urvalet i sidopanelen gäller, "
                               "utom perioden.",
                               "{n} incidents {period}, by category and area. The sidebar selection applies, except "
                               "the period."),
    "overview.events_heading": ("Kommande evenemang {period}", "Coming events {period}"),
    "overview.events_none": ("Inga evenemang i registret de kommande två veckorna.",
                             "No events in the register for the next two weeks."),
    "overview.col_event": ("Evenemang", "Event"),
    "overview.col_place": ("Plats", "Place"),
    "overview.coverage_heading": ("Vilka har rapporterat", "Who has reported"),
    "overview.coverage_caption2": ("Perioden {period} mot de 8 veckorna före ({history}). \"Normalt\" är vad "
                                   "källan brukar rapportera under lika lång tid.",
                                   "The period {period} against the 8 weeks before ({history}). \"Usual\" is what "
                                   "the source reports in as long a time."),
    "overview.coverage_alt2": ("Tabell per källa: händelser i perioden, normalt antal, rapportörer, senaste händelse "
                               "och läge.", "Table per source: incidents in the period, usual number, reporters, "
                               "latest incident and status."),
    "overview.col_in_period": ("I perioden", "In the period"),
    "overview.col_expected": ("Normalt", "Usual"),
    "overview.col_status": ("Läge", "Status"),
    "overview.source_silent": ("inga rapporter i perioden — tyst källa?", "no reports in the period: silent source?"),
    "overview.source_low": ("klart färre än normalt", "clearly fewer than usual"),
    "overview.source_new": ("ny källa", "new source"),
    "overview.source_normal": ("som vanligt", "as usual"),
    "overview.coverage_chart": ("Händelser per källa", "Incidents per source"),
    # privacy (small-count suppression: analysis/privacy.py, data_layer/overview_suppression.py)
    "privacy.note": ("Antal under {n} visas inte för din roll ({role}): de står som –, liksom några fler antal som "
                     "annars skulle gå att räkna fram ur summorna. Jämförelser med ett dolt antal får ingen "
                     "bedömning.",
                     "Counts below {n} are not shown to your role ({role}): they read –, as do a few more counts "
                     "that could otherwise be worked out from the totals. Comparisons involving a hidden count get "
                     "no verdict."),
    "privacy.note_help": ("Små antal kan peka ut enskilda personer. Gränsen ställs in med LAGESBILD_MIN_COUNT.",
                          "Small counts can point at individuals. The threshold is set with LAGESBILD_MIN_COUNT."),
    "privacy.by_source_off": ("Uppdelning per källa visas inte för din roll: den skulle kunna avslöja små antal.",
                              "The split by source is not shown to your role: it could reveal small counts."),
    "overview.source_hidden": ("–", "–"),
    # report downloads (ui/report_downloads.py)
    "reports.heading": ("Rapporter", "Reports"),
    "reports.caption": ("Lägesbilden för den valda perioden och de valda filtren, som PDF eller Markdown.",
                        "The situation report for the chosen period and filters, as PDF or Markdown."),
    "reports.build": ("Skapa lägesbild", "Create report"),
    "reports.pdf": ("Ladda ned PDF", "Download PDF"),
    "reports.md": ("Ladda ned Markdown", "Download Markdown"),
    # map
    "map.title": ("Karta", "Map"),
    "map.period": ("Period: {period}", "Period: {period}"),
    "map.week_period": ("Vecka {week}: {period}", "Week {week}: {period}"),
    "map.layers": ("Lager", "Layers"),
    "map.layer.hexagons": ("Sexkanter", "Hexagons"),
    "map.layer.heatmap": ("Värmekarta", "Heat map"),
    "map.layer.points": ("Enskilda händelser", "Single incidents"),
    "map.layer.areas": ("Områden", "Areas"),
    "map.layer.area_events": ("Händelser på områdesnivå", "Area-level events"),
    "map.layer.places": ("Namngivna platser", "Named places"),
    "map.layer.actions": ("Åtgärder", "Actions"),
    "map.layer.events": ("Kommande evenemang", "Coming events"),
    "map.layer.marks": ("Otrygga platser (enkät)", "Unsafe places (survey)"),
    "map.colour_by": ("Sexkanternas färg", "Hexagon colour"),
    "map.colour.trend": ("Utveckling", "Trend"),
    "map.colour.gistar": ("Hotspots (Gi*)", "Hotspots (Gi*)"),
    "map.colour.count": ("Antal", "Count"),
    "map.resolution": ("Detaljnivå", "Detail"),
    "map.resolution.7": ("Grov", "Coarse"),
    "map.resolution.8": ("Mellan", "Medium"),
    "map.resolution.9": ("Fin", "Fine"),
    "map.resolution_help": ("Rutornas storlek: grov ≈ 5 km², mellan ≈ 0,7 km², fin ≈ 0,1 km². Förvalet följer "
                            "kartans utsnitt: ju mindre område som visas, desto finare rutor. Fina rutor visas bara "
                            "för roller som får se exakta platser.",
                            "Cell size: coarse ≈ 5 km², medium ≈ 0.7 km², fine ≈ 0.1 km². The default follows the "
                            "map's extent: the smaller the area shown, the finer the cells. Fine cells are only for "
                            "roles that may see precise places."),
    "map.area_colour": ("Områdenas färg", "Area colour"),
    "map.area_colour.outline": ("Bara gränser", "Outlines only"),
    "map.area_colour.count": ("Antal händelser", "Number of incidents"),
    "map.area_colour.rate": ("Händelser per 1 000 invånare", "Incidents per 1,000 residents"),
    "map.area_colour.survey": ("Enkät: {question}", "Survey: {question}"),
    "map.basemap": ("Bakgrundskarta", "Basemap"),
    "map.basemap_help": ("Bakgrundskartan hämtas från internet. Utan den fungerar kartan ändå: lagren och "
                         "områdesgränserna ritas alltid.",
                         "The basemap comes from the internet. Without it the map still works: layers and area "
                         "outlines are always drawn."),
    "map.week": ("Vecka", "Week"),
    "map.whole_period": ("Hela perioden", "Whole period"),
    "map.week_label": ("v. {week}", "wk {week}"),
    "map.play": ("Spela upp veckorna", "Play through the weeks"),
    "map.caption": ("{points} händelser med exakt position i {cells} rutor. {area_level} händelser har bara ett "
                    "område (t.ex. polisens händelser, som placeras i kommunens mitt) och ritas på sitt område, "
                    "aldrig som punkt eller ruta.",
                    "{points} incidents with a precise position in {cells} cells. {area_level} incidents only have "
                    "an area (e.g. police events, placed at the municipality's centre) and are drawn on their "
                    "area, never as a point or cell."),
    "map.alt": ("Karta: {points} händelser i {cells} rutor. {summary} Samma uppgifter finns i tabellerna under "
                "kartan.",
                "Map: {points} incidents in {cells} cells. {summary} The same figures are in the tables below the "
                "map."),
    "map.alt_trend": ("Nya hotspots: {ny}; ihållande: {ihallande}; återkommande: {aterkommande}; avtagande: "
                      "{avtagande}.",
                      "New hotspots: {ny}; persistent: {ihallande}; recurring: {aterkommande}; fading: "
                      "{avtagande}."),
    "map.alt_gistar": ("Signifikanta hotspots: {hot99} (99 %), {hot95} (95 %); kalla områden: {cold}.",
                       "Significant hotspots: {hot99} (99%), {hot95} (95%); cold spots: {cold}."),
    "map.alt_count": ("Flest händelser i en ruta: {max}.", "Most incidents in one cell: {max}."),
    "map.legend_count": ("Färg: antal händelser per ruta, mörklila = få, gult = många (klassgränser {bins}).",
                         "Colour: incidents per cell, dark purple = few, yellow = many (class limits {bins})."),
    "map.legend_gistar": ("Getis-Ord Gi* jämför varje ruta och dess grannar med hela kommunen: :red[■] mörkröd = "
                          "hotspot (99 %), ljusröd = hotspot (95 %), :blue[■] blå = färre än väntat; grå = inom normal "
                          "variation. "
                          "Signifikansen är justerad för att många rutor testas samtidigt (Benjamini–Hochberg).",
                          "Getis-Ord Gi* compares each cell and its neighbours with the whole municipality: dark "
                          "red = hotspot (99%), light red = hotspot (95%), blue = fewer than expected; grey = "
                          "normal variation. Significance is adjusted for testing many cells (Benjamini–Hochberg)."),
    "map.legend_trend": ("{classes} · grå = ingen hotspot. De senaste 4 veckorna ({recent}) jämförs med de 12 "
                         "veckorna före och samma veckor i fjol (Gi*, justerat för många rutor).",
                         "{classes} · grey = no hotspot. The last 4 weeks ({recent}) against the 12 weeks before "
                         "and the same weeks last year (Gi*, adjusted for many cells)."),
    "map.how_classes": ("Så avgörs klasserna", "How the classes are decided"),
    "map.legend_areas": ("Områdenas färg: {what}, mörklila = lägst, gult = högst (klassgränser {limits}).",
                         "Area colour: {what}, dark purple = lowest, yellow = highest (class limits {limits})."),
    "map.legend_heatmap": ("Värmekartan är för ögat: ljusare = fler händelser i närheten. Siffrorna finns i rutorna.",
                           "The heat map is for the eye: lighter = more incidents nearby. The figures are in the "
                           "cells."),
    "map.legend_perception": ("Områdenas färg: upplevd otrygghet (senaste mätningen) mot händelser per 1 000 "
                              "invånare de 12 månaderna före, delat vid medianerna: {classes}. Bara kant = för få "
                              "svar eller okänd befolkning. Detaljer under Trygghetsmätningar.",
                              "Area colour: perceived insecurity (latest survey) against incidents per 1,000 "
                              "residents in the 12 months before, split at the medians: {classes}. Outline only = "
                              "too few answers or unknown population. Details under Surveys."),
    "map.area_colour.perception": ("Upplevelse mot händelser", "Perception vs incidents"),
    "map.legend_actions": ("Åtgärder: grå = föreslagen, blå = beslutad, orange = pågår, grön = klar, svart = "
                           "avbruten; röd ring = försenad.",
                           "Actions: grey = proposed, blue = decided, orange = in progress, green = done, black = "
                           "cancelled; red ring = overdue."),
    "map.trend.ny": ("Ny hotspot", "New hotspot"),
    "map.trend.ihallande": ("Ihållande hotspot", "Persistent hotspot"),
    "map.trend.aterkommande": ("Återkommande (säsong)", "Recurring (seasonal)"),
    "map.trend.avtagande": ("Avtagande", "Fading"),
    "map.trend.ingen": ("Ingen hotspot", "No hotspot"),
    "map.gi.hot99": ("Hotspot (99 %)", "Hotspot (99%)"),
    "map.gi.hot95": ("Hotspot (95 %)", "Hotspot (95%)"),
    "map.gi.cold95": ("Färre än väntat (95 %)", "Fewer than expected (95%)"),
    "map.gi.cold99": ("Färre än väntat (99 %)", "Fewer than expected (99%)"),
    "map.gi.ns": ("Inom normal variation", "Normal variation"),
    "map.cell": ("Ruta", "Cell"),
    "map.cell_named": ("Ruta vid {places}", "Cell at {places}"),
    "map.cell_in_area": ("Ruta i {area}", "Cell in {area}"),
    "map.tooltip": ("{name}\n{detail}", "{name}\n{detail}"),
    "map.incidents_n": ("{n} händelser", "{n} incidents"),
    "map.area_events_detail": ("{n} händelser utan exakt plats (hela området): {top}",
                               "{n} incidents without a precise place (whole area): {top}"),
    "map.area_events_label": ("{n} utan exakt plats", "{n} without precise place"),
    "map.points_limited": ("Punktlagret visar de {shown} senaste av {total} händelser med exakt position.",
                           "The point layer shows the latest {shown} of {total} incidents with a precise position."),
    "map.points_hidden_sensitive": ("Känsliga händelser som du inte får se exakt ingår bara i rutorna.",
                                    "Sensitive incidents you may not see precisely only count in the cells."),
    "map.cells_table": ("Visa rutorna som tabell", "Show the cells as a table"),
    "map.areas_table": ("Visa områdena som tabell", "Show the areas as a table"),
    "map.no_incidents": ("Inga händelser med exakt position i perioden.", "No incidents with a precise position in "
                         "the period."),
    "map.panel_hint": ("Välj en ruta, ett område eller en åtgärd på kartan (klicka, eller tabba till kartan och "
                       "använd tabellerna nedanför) så visas vad som hänt där och vad som görs.",
                       "Select a cell, an area or an action on the map (click, or use the tables below the map) "
                       "to see what happened there and what is being done."),
    "map.panel_pick": ("Visa i panelen", "Show in the panel"),
    "map.panel_close": ("Stäng", "Close"),
    "map.panel_counts": ("{n} händelser i perioden", "{n} incidents in the period"),
    "map.panel_by_category": ("Per kategori och vecka", "By category and week"),
    "map.panel_incidents": ("Händelserna bakom ({shown} av {total})", "The incidents behind it ({shown} of {total})"),
    "map.panel_no_detail": ("Din roll ser antal men inte enskilda händelser här.",
                            "Your role sees counts but not single incidents here."),
    "map.panel_actions": ("Åtgärder här", "Actions here"),
    "map.panel_no_actions": ("Inga öppna åtgärder i området.", "No open actions in the area."),
    "map.panel_propose": ("Föreslå en åtgärd här", "Propose an action here"),
    "map.panel_propose_title": ("Rubrik", "Title"),
    "map.panel_propose_default": ("Åtgärd vid {place}", "Action at {place}"),
    "map.panel_propose_categories": ("Problem som åtgärden riktar sig mot", "Problems the action targets"),
    "map.panel_propose_submit": ("Lägg till i åtgärdsregistret", "Add to the action register"),
    "map.panel_proposed": ("Åtgärden finns nu i åtgärdsregistret som föreslagen.",
                           "The action is now in the action register as proposed."),
    "map.panel_action_status": ("Status: {status}{overdue}", "Status: {status}{overdue}"),
    "map.panel_hotspot": ("I perioden (Gi*): {gi}. De senaste 4 veckorna mot de 12 före: {trend}.",
                          "In the period (Gi*): {gi}. The last 4 weeks against the 12 before: {trend}."),
    "map.open_actions_link": ("Öppna åtgärdsregistret", "Open the action register"),
    "map.event_detail": ("{kind}, {when}", "{kind}, {when}"),
    "map.mark_name": ("Otrygg plats ({source})", "Unsafe place ({source})"),
    "map.place_detail": ("Namngiven plats: {kind}", "Named place: {kind}"),
    "reason.belysning": ("dålig belysning", "poor lighting"),
    "reason.skymd_sikt": ("skymd sikt", "blocked view"),
    "reason.folktomt": ("folktomt", "deserted"),
    "reason.personer": ("personer som uppehåller sig", "people hanging around"),
    "reason.trafik": ("trafik", "traffic"),
    "col.categories": ("Vanligaste kategorier", "Main categories"),
    "col.week": ("Vecka", "Week"),
    "col.total": ("Totalt", "Total"),
    "map.panel_pick_none": ("– välj –", "– choose –"),
    "map.panel_weeks_cut": ("Visar de {n} senaste veckorna.", "Showing the latest {n} weeks."),
    "map.fewer_than": ("färre än {n}", "fewer than {n}"),
    "map.suppressed_note": ("Antal under {n} visas inte för din roll; sådana rutor ritas inte efter antal och "
                            "visar bara sin klass.",
                            "Counts below {n} are not shown to your role; such cells are not drawn by count and "
                            "only show their class."),
    "map.point_detail": ("{category}, {date}", "{category}, {date}"),
    # trends
    "trends.title": ("Trender", "Trends"),
    "trends.intro": ("Hur antalet händelser utvecklas {period}, jämfört med samma tid tidigare år, och när och var "
                     "de inträffar.", "How the number of incidents develops {period}, compared with the same time "
                     "in earlier years, and when and where they happen."),
    "trends.chart_title": ("Händelser per vecka", "Incidents per week"),
    "trends.split": ("Dela upp efter", "Split by"),
    "trends.by_category": ("Kategori", "Category"),
    "trends.by_area": ("Område", "Area"),
    "trends.by_source": ("Källa", "Source"),
    "trends.unit": ("Tidsenhet", "Time unit"),
    "trends.unit_week": ("Vecka", "Week"),
    "trends.unit_month": ("Månad", "Month"),
    "trends.whole_weeks": ("Diagrammen räknar hela veckor (måndag–söndag) som perioden berör.",
                           "The charts count whole weeks (Monday–Sunday) that the period touches."),
    "trends.whole_months": ("Diagrammen räknar hela månader som perioden berör.",
                            "The charts count whole months that the period touches."),
    "trends.all_series": ("Alla händelser", "All incidents"),
    "trends.series": ("Visa serie", "Show series"),
    "trends.series_heading": ("Utveckling över tid", "Development over time"),
    "trends.anomalies_heading": ("Avvikelser i perioden", "Anomalies in the period"),
    "trends.no_anomalies_week": ("Inga avvikelser: varje vecka ligger inom normal variation, för alla händelser "
                                 "och för varje del.", "No anomalies: every week lies within normal variation, for "
                                 "all incidents and for each part."),
    "trends.no_anomalies_month": ("Inga avvikelser: varje månad ligger inom normal variation, för alla händelser "
                                  "och för varje del.", "No anomalies: every month lies within normal variation, "
                                  "for all incidents and for each part."),
    "trends.anomalies_found": ("{n} avvikelser utanför normal variation ({over} över, {under} under). Nyaste först.",
                               "{n} anomalies outside normal variation ({over} above, {under} below). Newest first."),
    "trends.anomaly_found": ("{n} avvikelse utanför normal variation ({over} över, {under} under).",
                             "{n} anomaly outside normal variation ({over} above, {under} below)."),
    "trends.flag_over": ("Över normalt", "Above normal"),
    "trends.flag_under": ("Under normalt", "Below normal"),
    "trends.flag_normal": ("Normal variation", "Normal variation"),
    "trends.flag_hidden": ("–", "–"),
    "trends.suppressed_note": ("Antal under {n} visas inte för din roll: dolda antal är luckor i linjerna och tomma "
                               "rutor i värmekartan (inte noll), liksom några fler som annars skulle gå att räkna fram "
                               "ur summorna. Glidande medel visas inte.",
                               "Counts below {n} are not shown to your role: hidden counts are gaps in the lines and "
                               "empty cells in the heat map (not zero), as are a few more that could otherwise be "
                               "worked out from the totals. The moving average is not shown."),
    "trends.in_progress": ("Pågår", "In progress"),
    "trends.in_progress_week": ("Ofylld ring: veckan pågår fortfarande, så den kan bara markeras som över normalt.",
                                "Open ring: the week is still in progress, so it can only be marked as above "
                                "normal."),
    "trends.in_progress_month": ("Ofylld ring: månaden pågår fortfarande, så den kan bara markeras som över "
                                 "normalt.", "Open ring: the month is still in progress, so it can only be marked as "
                                 "above normal."),
    "trends.no_baseline": ("ingen baslinje", "no baseline"),
    "trends.col_series": ("Serie", "Series"),
    "trends.col_bucket": ("Period", "Period"),
    "trends.col_count": ("Antal", "Count"),
    "trends.col_baseline": ("Baslinje", "Baseline"),
    "trends.col_normal": ("Normalt spann", "Normal range"),
    "trends.col_lower": ("Nedre gräns", "Lower limit"),
    "trends.col_upper": ("Övre gräns", "Upper limit"),
    "trends.col_flag": ("Bedömning", "Verdict"),
    "trends.col_place": ("Plats", "Place"),
    "trends.col_cell": ("H3-ruta", "H3 cell"),
    "trends.col_cumulative": ("Andel hittills", "Cumulative share"),
    "trends.series_title_week": ("{name} per vecka", "{name} per week"),
    "trends.series_title_month": ("{name} per månad", "{name} per month"),
    "trends.series_alt_week": ("Linjediagram: {name} per vecka med säsongsbaslinje, normalt spann, glidande "
                               "medelvärde och avvikelser markerade med trianglar och text.",
                               "Line chart: {name} per week with seasonal baseline, normal range, moving average "
                               "and anomalies marked with triangles and text."),
    "trends.series_alt_month": ("Linjediagram: {name} per månad med säsongsbaslinje, normalt spann, glidande "
                                "medelvärde och avvikelser markerade med trianglar och text.",
                                "Line chart: {name} per month with seasonal baseline, normal range, moving average "
                                "and anomalies marked with triangles and text."),
    "trends.legend_count": ("Antal", "Count"),
    "trends.legend_baseline": ("Baslinje (snitt samma tid tidigare år)", "Baseline (mean, same time earlier years)"),
    "trends.legend_band": ("Normalt spann", "Normal range"),
    "trends.legend_moving_week": ("Glidande medel, {n} veckor", "Moving average, {n} weeks"),
    "trends.legend_moving_month": ("Glidande medel, {n} månader", "Moving average, {n} months"),
    "trends.hover": ("{bucket}: {count} händelser, baslinje {baseline}, normalt {normal}",
                     "{bucket}: {count} incidents, baseline {baseline}, normal {normal}"),
    "trends.method": ("Baslinjen är snittet av samma vecka (eller månad) de {years} föregående åren. Normalt spann = "
                      "de antal som ett exakt Poissontest mot samma tid de föregående åren inte skiljer från "
                      "baslinjen på 3-sigmanivån, för stora antal ungefär baslinjen ± 3 × √(baslinjen × (1 + 1/antal "
                      "år)). Punkter utanför markeras som avvikelser.",
                      "The baseline is the mean of the same week (or month) in the {years} previous years. Normal "
                      "range = the counts that an exact Poisson test against the same time in the previous years "
                      "does not tell apart from the baseline at the 3-sigma level, for large counts about baseline "
                      "± 3 × √(baseline × (1 + 1/number of years)). Points outside are marked as anomalies."),
    "trends.yoy_title_week": ("{name}: {year} jämfört med {last}, per vecka", "{name}: {year} compared with {last}, "
                              "per week"),
    "trends.yoy_title_month": ("{name}: {year} jämfört med {last}, per månad", "{name}: {year} compared with {last}, "
                               "per month"),
    "trends.yoy_alt": ("Linjediagram: {name} år {year} (heldragen linje) och {last} (streckad linje) per vecka "
                       "eller månad.", "Line chart: {name} in {year} (solid line) and {last} (dashed line) per week "
                       "or month."),
    "trends.incidents": ("händelser", "incidents"),
    "trends.when_heading": ("När inträffar händelserna?", "When do incidents happen?"),
    "trends.heatmap_subtitle": ("{spread} händelser kända bara som tidsfönster är utspridda jämnt över fönstrets "
                                "timmar", "{spread} incidents known only as a time window are spread evenly over "
                                "the window's hours"),
    "trends.heatmap_alt": ("Värmekarta: {name} per veckodag (rader) och timme (kolumner), i snitt per sådan dag; "
                           "mörkare ruta betyder fler händelser.", "Heat map: {name} per weekday (rows) and hour "
                           "(columns), averaged per such day; a darker cell means more incidents."),
    "trends.heatmap_title": ("{name} per veckodag och timme, snitt per dag", "{name} per weekday and hour, average "
                             "per day"),
    "trends.heatmap_caption": ("{points} händelser har en känd tidpunkt. {spread} är kända bara som ett tidsfönster "
                               "(t.ex. en natt) och räknas som en delad händelse över varje timme fönstret täcker, "
                               "högst {days} dygn (aoristisk metod).", "{points} incidents have a known time. {spread} "
                               "are known only as a time window (e.g. one night) and count as one incident shared "
                               "over every hour the window covers, at most {days} days (aoristic method)."),
    "trends.heatmap_left_out": ("{n} händelser med ett tidsfönster längre än {days} dygn (t.ex. bara månaden känd) "
                                "har okänd veckodag och timme och ingår inte i värmekartan.",
                                "{n} incidents with a time window longer than {days} days (e.g. only the month "
                                "known) have an unknown weekday and hour and are left out of the heat map."),
    "trends.hour_axis": ("Timme (svensk tid)", "Hour (Swedish time)"),
    "trends.where_heading": ("Hur koncentrerade är händelserna?", "How concentrated are incidents?"),
    "trends.top_metric": ("Andel vid de {p} mest drabbade platserna", "Share at the top {p} of places"),
    "trends.gini": ("Gini-koefficient", "Gini coefficient"),
    "trends.gini_help": ("0 = händelserna är jämnt spridda över platserna, nära 1 = nästan alla på en plats.",
                         "0 = incidents spread evenly over the places, close to 1 = almost all at one place."),
    "trends.lorenz_title": ("Koncentrationskurva", "Concentration curve"),
    "trends.lorenz_x": ("Andel av platserna, flest händelser först", "Share of places, most incidents first"),
    "trends.lorenz_y": ("Andel av händelserna", "Share of incidents"),
    "trends.lorenz_even": ("Jämn fördelning", "Even spread"),
    "trends.lorenz_curve": ("Faktisk fördelning", "Actual spread"),
    "trends.lorenz_marks": ("Topp 5 % och 20 %", "Top 5% and 20%"),
    "trends.lorenz_mark": ("{p} av platserna: {share}", "{p} of places: {share}"),
    "trends.lorenz_hover": ("%{x:.0f} % av platserna har %{y:.0f} % av händelserna",
                            "%{x:.0f}% of places have %{y:.0f}% of incidents"),
    "trends.lorenz_alt": ("Koncentrationskurva för {name}: andel av händelserna mot andel av platserna, de mest "
                          "drabbade först, med topp 5 % och 20 % markerade.", "Concentration curve for {name}: share "
                          "of incidents against share of places, most affected first, with the top 5% and 20% "
                          "marked."),
    "trends.lorenz_caption": ("En plats är en namngiven plats (torg, skola, tvättstuga …) eller, för övriga "
                              "händelser, en H3-ruta på cirka 0,1 km², med minst en händelse: {places} platser. Bara "
                              "händelser med exakt position räknas ({located} av {total}).",
                              "A place is a named place (square, school, laundry room …) or, for other incidents, an "
                              "H3 cell of about 0.1 km², with at least one incident: {places} places. Only incidents "
                              "with an exact position count ({located} of {total})."),
    "trends.unnamed_place": ("Ruta utan namn i {area}", "Unnamed cell in {area}"),
    "trends.no_places": ("Inga händelser med exakt position i urvalet.", "No incidents with an exact position in the "
                         "selection."),
    "trends.legend_in_progress_week": ("Pågående vecka (hittills)", "Week in progress (so far)"),
    "trends.legend_in_progress_month": ("Pågående månad (hittills)", "Month in progress (so far)"),
    "trends.yoy_caption_week": ("Veckor som inte är slut visas inte. Ett år utan vecka 53 saknar den punkten.",
                                "Weeks that have not ended are not shown. A year without week 53 lacks that point."),
    "trends.yoy_caption_month": ("Månader som inte är slut visas inte.", "Months that have not ended are not shown."),
    "trends.heatmap_unit": ("händelser per sådan dag", "incidents per such day"),
    "trends.heatmap_scale": ("Per dag", "Per day"),
    "trends.heatmap_table_caption": ("Händelser per veckodag och timme, i snitt per sådan dag i perioden.",
                                     "Incidents per weekday and hour, averaged over such days in the period."),
    "trends.top_places": ("De {n} mest drabbade platserna", "The {n} most affected places"),
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
    "surveys.measure": ("Mått", "Measure"),
    "surveys.measure_question": ("Fråga: {text}", "Question: {text}"),
    "surveys.measure_custom": ("Eget index: {name}", "Own index: {name}"),
    "surveys.tab_areas": ("Per område", "By area"),
    "surveys.tab_perception": ("Upplevelse mot händelser", "Perception vs incidents"),
    "surveys.tab_marks": ("Otrygga platser", "Unsafe places"),
    "surveys.tab_custom": ("Eget index", "Own index"),
    "surveys.how_index": ("Så räknas indexet: varje fråga skalas om till 0–1 där 1 är den otrygga änden, medelvärdet "
                          "av frågorna läggs på indexets skala {lo}–{hi} ({direction}). Ett område får ett värde bara "
                          "om alla frågor i indexet har svar där. Antal svarande = det minsta antalet bland frågorna.",
                          "How the index is computed: each question is rescaled to 0–1 with 1 at the unsafe end; the "
                          "mean over the questions is put on the index scale {lo}–{hi} ({direction}). An area gets a "
                          "value only when every question of the index has a result there. Respondents = the smallest "
                          "count among the questions."),
    "surveys.dir_worse": ("högre = otryggare", "higher = less safe"),
    "surveys.dir_better": ("högre = tryggare", "higher = safer"),
    "surveys.areas_caption": ("{measure}: {areas} områden, {waves} mätningar. Värden från färre än {min_n} svar "
                              "visas som ”för få svar”. De lodräta strecken visar 95 %-konfidensintervall.",
                              "{measure}: {areas} areas, {waves} waves. Values from fewer than {min_n} answers are "
                              "shown as \"too few answers\". The vertical whiskers show 95 % confidence intervals."),
    "surveys.small_alt": ("Små diagram, ett per område: måttets värde per mätning med 95 %-intervall där det finns. "
                          "Samma uppgifter finns i tabellen nedanför.",
                          "Small charts, one per area: the measure per wave with 95 % intervals where available. "
                          "The table below holds the same figures."),
    "surveys.small_title": ("{measure} per område och mätning", "{measure} by area and wave"),
    "surveys.status.ok": ("95 %-intervall", "95 % interval"),
    "surveys.panel_empty": ("för få svar eller saknas", "too few answers or missing"),
    "surveys.status.missing": ("saknas", "missing"),
    "surveys.status.too_few": ("för få svar", "too few answers"),
    "surveys.status.no_n": ("inget intervall: antal svarande saknas i källan",
                            "no interval: the source gives no respondent count"),
    "surveys.status.no_distribution": ("inget intervall: svarsfördelningen saknas",
                                       "no interval: the answer distribution is missing"),
    "surveys.status.bootstrap": ("95 %-intervall genom bootstrap; räknar frågorna som oberoende, så det kan vara "
                                 "något för smalt",
                                 "95 % interval by bootstrap; treats the questions as independent, so it may be "
                                 "somewhat too narrow"),
    "surveys.status.composite": ("inget intervall: sammansatt index (samma svarande i flera frågor)",
                                 "no interval: composite index (the same people answer several questions)"),
    "surveys.no_n_notice": ("Källan anger inte hur många som svarat. Värdena visas därför utan "
                            "konfidensintervall och utan test av förändringar; gränsen {min_n} svar kan inte prövas.",
                            "The source does not say how many answered. Values are therefore shown without "
                            "confidence intervals or change tests; the {min_n}-answer threshold cannot be checked."),
    "surveys.col.value": ("Värde", "Value"),
    "surveys.col.interval": ("95 %-intervall", "95 % interval"),
    "surveys.col.response_rate": ("Svarsfrekvens", "Response rate"),
    "surveys.col.note": ("Anmärkning", "Note"),
    "surveys.changes_title": ("Förändring sedan förra mätningen", "Change since the previous wave"),
    "surveys.change_up": ("ökade", "rose"), "surveys.change_down": ("minskade", "fell"),
    "surveys.change_same": ("var oförändrat", "was unchanged"),
    "surveys.change_line": ("{area}: {verb} från {before} ({wave_before}) till {after} ({wave_after}). {verdict}",
                            "{area}: {verb} from {before} ({wave_before}) to {after} ({wave_after}). {verdict}"),
    "surveys.verdict_sig": ("Skillnaden är statistiskt säkerställd (p = {p}, {test}).",
                            "The difference is statistically significant (p = {p}, {test})."),
    "surveys.verdict_chance": ("Skillnaden kan vara slumpmässig (p = {p}, {test}).",
                               "The difference may be chance (p = {p}, {test})."),
    "surveys.verdict_none": ("Ingen test: {reason}.", "No test: {reason}."),
    "surveys.test.two_proportion_z": ("z-test för två andelar", "two-proportion z test"),
    "surveys.test.welch_t": ("Welchs t-test", "Welch's t test"),
    "surveys.no_changes": ("Inget område har två mätningar med visade värden.",
                           "No area has two waves with shown values."),
    "surveys.wave": ("Mätning", "Wave"),
    "surveys.period_caption": ("Händelser {start}–{end} (12 månader fram till mätningens slut), per 1 000 invånare. "
                               "Gränser: {rule}.", "Incidents {start}–{end} (12 months up to the end of the wave), "
                               "per 1,000 residents. Thresholds: {rule}."),
    "surveys.thresholds": ("Gränser för kvadranterna", "Quadrant thresholds"),
    "surveys.thr_median": ("Medianer", "Medians"), "surveys.thr_own": ("Egna gränser", "Own thresholds"),
    "surveys.thr_value": ("Gräns för måttet", "Threshold for the measure"),
    "surveys.thr_rate": ("Gräns för händelser per 1 000 invånare", "Threshold for incidents per 1,000 residents"),
    "surveys.rule_median": ("medianerna ({value} och {rate} händelser per 1 000)",
                            "the medians ({value} and {rate} incidents per 1,000)"),
    "surveys.rule_own": ("egna ({value} och {rate} händelser per 1 000)",
                         "own ({value} and {rate} incidents per 1,000)"),
    "surveys.quadrant.unsafe_calm": ("otrygg men få händelser", "unsafe but few incidents"),
    "surveys.quadrant.busy_safe": ("många händelser men trygg", "many incidents but safe"),
    "surveys.quadrant.unsafe_busy": ("otrygg och många händelser", "unsafe and many incidents"),
    "surveys.quadrant.safe_calm": ("trygg och få händelser", "safe and few incidents"),
    "surveys.scatter_title": ("{measure} mot händelser per 1 000 invånare", "{measure} against incidents per 1,000"),
    "surveys.scatter_some_names": ("Namnen står vid de områden som ligger längst in i varje fyrfält och vid de högsta "
                                   "och lägsta värdena; håll muspekaren över en punkt för de övriga, eller se tabellen.",
                                   "Names are shown for the areas furthest into each quadrant and for the highest and "
                                   "lowest values; hover over a point for the others, or see the table."),
    "surveys.scatter_x": ("Händelser per 1 000 invånare", "Incidents per 1,000 residents"),
    "surveys.scatter_alt": ("Punktdiagram: varje område som en punkt, upplevd otrygghet uppåt och händelser per 1 000 "
                            "invånare åt höger, delat i fyra rutor vid gränserna. Samma uppgifter finns i tabellen.",
                            "Scatter: each area a point, perceived insecurity upwards and incidents per 1,000 "
                            "residents to the right, split into four quadrants at the thresholds. The table holds "
                            "the same figures."),
    "surveys.unsafe_up": ("↑ otryggare", "↑ less safe"),
    "surveys.conclusion_calm": ("{area} upplevs som otryggt ({value}) trots få händelser ({rate} per 1 000 invånare): "
                                "otryggheten syns inte i anmälningarna – fråga de boende vad den beror på "
                                "(se otrygga platser).",
                                "{area} is perceived as unsafe ({value}) despite few incidents ({rate} per 1,000 "
                                "residents): the insecurity does not show in reports – ask residents why (see unsafe "
                                "places)."),
    "surveys.conclusion_busy": ("{area} har många händelser ({rate} per 1 000 invånare) men de boende känner sig "
                                "trygga ({value}): händelserna drabbar troligen besökare eller sker där få bor.",
                                "{area} has many incidents ({rate} per 1,000 residents) but residents feel safe "
                                "({value}): the incidents probably affect visitors or happen where few live."),
    "surveys.conclusion_none": ("Inget område ligger i {quadrant}.", "No area lies in {quadrant}."),
    "surveys.col.per_1000": ("Händelser per 1 000", "Incidents per 1,000"),
    "surveys.col.incidents": ("Händelser", "Incidents"),
    "surveys.col.population": ("Invånare", "Residents"),
    "surveys.col.quadrant": ("Kvadrant", "Quadrant"),
    "surveys.no_population": ("Saknar befolkningsuppgift och kan inte jämföras: {areas}.",
                              "No population figure, cannot be compared: {areas}."),
    "surveys.not_shown_areas": ("Utan visat värde i mätningen (för få svar eller saknas): {areas}.",
                                "Without a shown value in the wave (too few answers or missing): {areas}."),
    "surveys.incidents_hidden": ("Antal under {n} visas inte för din roll: händelser och takt per 1 000 står som – "
                                 "(och området saknar kvadrant) för {areas}. Enkätvärdet visas.",
                                 "Counts below {n} are not shown to your role: incidents and rate per 1,000 read – "
                                 "(and the area has no quadrant) for {areas}. The survey value is shown."),
    "surveys.no_perception": ("Inget område har både ett visat värde och en befolkningsuppgift i den här mätningen.",
                              "No area has both a shown value and a population figure in this wave."),
    "surveys.marks_caption": ("{n} markeringar ”otryggt här” från enkäter och trygghetsvandringar, samlade per plats "
                              "(närmaste namngivna plats inom 400 m) och område.",
                              "{n} \"unsafe here\" marks from surveys and safety walks, grouped by place (nearest "
                              "named place within 400 m) and area."),
    "surveys.marks_none": ("Inga markeringar i urvalet.", "No marks in the selection."),
    "surveys.col.place": ("Plats", "Place"),
    "surveys.col.marks": ("Markeringar", "Marks"),
    "surveys.col.reasons": ("Skäl", "Reasons"),
    "surveys.col.sources": ("Källa", "Source"),
    "surveys.col.action": ("Åtgärd", "Action"),
    "surveys.propose_action": ("Föreslå åtgärd", "Propose action"),
    "surveys.action_title": ("Otrygg plats: {place}", "Unsafe place: {place}"),
    "surveys.no_place": ("(ingen namngiven plats nära)", "(no named place nearby)"),
    "surveys.source.enkat": ("enkät", "survey"),
    "surveys.source.trygghetsvandring": ("trygghetsvandring", "safety walk"),
    "surveys.custom_caption": ("Ett eget index sparas för alla: det blir ett mått i listan Mått för alla användare.",
                               "An own index is stored for everyone: it becomes a measure under Measure for all users."),
    "surveys.custom_none": ("Inga egna index är sparade än.", "No own indices are stored yet."),
    "surveys.custom_line": ("**{name}** (0–{scale}): {questions}", "**{name}** (0–{scale}): {questions}"),
    "surveys.custom_delete": ("Ta bort", "Delete"),
    "surveys.custom_deleted": ("Indexet ”{name}” är borttaget.", "The index \"{name}\" is deleted."),
    "surveys.custom_readonly": ("Egna index kan läggas till av roller som får ändra trygghetsmätningar "
                                "(samordnare, admin).",
                                "Own indices can be added by roles that may edit surveys (coordinator, admin)."),
    "surveys.custom_name": ("Namn på indexet", "Index name"),
    "surveys.custom_questions": ("Frågor som ingår", "Questions included"),
    "surveys.custom_scale_max": ("Skalans maximum (minimum 0)", "Scale maximum (minimum 0)"),
    "surveys.custom_worse": ("Högre värde betyder mer otrygghet", "A higher value means less safety"),
    "surveys.custom_submit": ("Skapa index", "Create index"),
    "surveys.custom_missing": ("Ange ett namn och minst en fråga.", "Give a name and at least one question."),
    "surveys.custom_created": ("Indexet ”{name}” finns nu under Mått.", "The index \"{name}\" is now under Measure."),
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
    # actions register
    "actions.view": ("Visa", "Show"),
    "actions.view_all": ("Alla åtgärder", "All actions"),
    "actions.view_own": ("Min organisations", "My organisation's"),
    "actions.view_overdue": ("Försenade", "Overdue"),
    "actions.view_area": ("Per område", "By area"),
    "actions.view_board": ("Tavla per status", "Board by status"),
    "actions.filters_apply": ("Urvalets områden och kategorier i sidopanelen gäller; perioden gäller inte åtgärder.",
                              "The sidebar's areas and categories apply; the period does not apply to actions."),
    "actions.table_hint": ("Välj en rad (klicka i rutan längst till vänster) eller välj åtgärden i listan nedan för "
                           "att se och ändra den.", "Select a row (click the box at its left) or choose the action "
                           "in the list below to see and edit it."),
    "actions.col_priority": ("Prioritet", "Priority"),
    "actions.col_responsible": ("Ansvarig person", "Responsible"),
    "actions.col_start": ("Start", "Start"),
    "actions.col_days_late": ("Dagar försenad", "Days overdue"),
    "actions.col_open": ("Öppna", "Open"),
    "actions.col_overdue_n": ("Varav försenade", "Of which overdue"),
    "actions.col_done": ("Klara", "Done"),
    "actions.col_who": ("Vem", "Who"),
    "actions.col_what": ("Vad", "What"),
    "actions.col_changes": ("Ändringar", "Changes"),
    "actions.col_note": ("Anteckning", "Note"),
    "actions.priority_1": ("Hög", "High"),
    "actions.priority_2": ("Normal", "Normal"),
    "actions.priority_3": ("Låg", "Low"),
    "actions.no_area": ("Inget område", "No area"),
    "actions.nobody": ("Ingen utsedd", "Nobody named"),
    "actions.area_alt": ("Tabell per område: öppna, försenade och klara åtgärder.",
                         "Table per area: open, overdue and finished actions."),
    "actions.pick": ("Öppna åtgärd", "Open action"),
    "actions.pick_placeholder": ("Välj en åtgärd för att se, ändra och följa upp den",
                                 "Choose an action to see, edit and follow it up"),
    "actions.pick_other": ("Åtgärd {id} (utanför urvalet)", "Action {id} (outside the selection)"),
    "role.hidden": ("visas inte för din roll", "not shown for your role"),
    "actions.place_hidden": ("plats och hexagoner visas inte för din roll", "place and cells not shown for your role"),
    "meeting.notes_hidden": ("Anteckningar visas inte för din roll.", "Notes are not shown for your role."),
    "surveys.mark_counts_caption": ("Markeringar per område och skäl (en markering med två skäl räknas under båda). "
                                    "Platserna visas inte för din roll.",
                                    "Marks per area and reason (a mark with two reasons counts under both). The "
                                    "places are not shown for your role."),
    "actions.not_found": ("Åtgärden finns inte eller så får din roll inte se den.",
                          "The action does not exist or your role may not see it."),
    "actions.facts_late": ("Försenad: {days} dagar efter klart-datum och inte avslutad.",
                           "Overdue: {days} days past the due date and not finished."),
    "actions.board_due": ("klart senast {date}", "due {date}"),
    "actions.board_late": ("Försenad {days} dagar", "Overdue by {days} days"),
    "actions.board_more": ("… och {n} till: se tabellvyerna.", "… and {n} more: see the table views."),
    "actions.board_empty": ("Inga åtgärder.", "No actions."),
    "actions.board_open_help": ("Öppna åtgärden nedanför tavlan", "Open the action below the board"),
    "actions.board_move": ("Flytta till {status}", "Move to {status}"),
    "actions.board_moved": ("Åtgärden flyttades till {status}.", "The action was moved to {status}."),
    "actions.board_conflict": ("Åtgärden hann ändras av någon annan, så den flyttades inte:",
                               "Someone else changed the action first, so it was not moved:"),
    "actions.export_csv": ("Ladda ner CSV", "Download CSV"),
    "actions.export_xlsx": ("Ladda ner Excel", "Download Excel"),
    "actions.export_help": ("De {n} åtgärderna i listan, med samma kolumner som tabellen.",
                            "The {n} listed actions, with the same columns as the table."),
    "actions.version": ("Version", "Version"),
    "actions.cells_n": ("{n} rutor på kartan", "{n} cells on the map"),
    "actions.history_heading": ("Historik", "History"),
    "actions.history_none": ("Ingen historik ännu.", "No history yet."),
    "actions.history_alt": ("Tabell över åtgärdens ändringar och anteckningar, senaste först.",
                            "Table of the action's changes and notes, newest first."),
    "actions.history_description_changed": ("Beskrivningen ändrades", "Description changed"),
    "actions.kind_skapad": ("Skapad", "Created"),
    "actions.kind_ändrad": ("Ändrad", "Changed"),
    "actions.kind_anteckning": ("Anteckning", "Note"),
    "actions.unknown_user": ("Okänd användare", "Unknown user"),
    "actions.edit_heading": ("Ändra åtgärden", "Edit the action"),
    "actions.edit_role_cannot": ("Din roll ({role}) kan se åtgärder men inte ändra dem.",
                                 "Your role ({role}) may see actions but not change them."),
    "actions.edit_not_yours": ("Du kan inte ändra den här åtgärden: den ägs av {owner} och du är inte ansvarig för "
                               "den. Be samordnaren eller {owner} om ändringen.",
                               "You cannot edit this action: {owner} owns it and you are not responsible for it. "
                               "Ask the coordinator or {owner} to make the change."),
    "actions.f_title": ("Rubrik", "Title"),
    "actions.f_description": ("Beskrivning", "Description"),
    "actions.f_status": ("Status", "Status"),
    "actions.f_status_help": ("Bara nästa steg erbjuds, och avbruten. Att gå tillbaka eller öppna en avslutad "
                              "åtgärd igen kräver en anteckning om varför.",
                              "Only the next step is offered, and cancelled. Moving back or reopening a finished "
                              "action needs a note saying why."),
    "actions.needs_note": ("kräver anteckning", "needs a note"),
    "actions.f_note": ("Anteckning", "Note"),
    "actions.f_note_help": ("Sparas i historiken. Krävs när status flyttas bakåt eller en avslutad åtgärd öppnas "
                            "igen.", "Kept in the history. Required when the status moves back or a finished action "
                            "is reopened."),
    "actions.save": ("Spara ändringar", "Save changes"),
    "actions.nothing_to_save": ("Inget är ändrat, så inget sparades.", "Nothing was changed, so nothing was saved."),
    "actions.saved": ("Ändringarna är sparade (version {version}).", "The changes are saved (version {version})."),
    "actions.note_saved": ("Anteckningen är sparad.", "The note is saved."),
    "actions.conflict": ("Någon annan har ändrat åtgärden sedan du öppnade den (du såg version {seen}, nu är den "
                         "version {current}). Dina ändringar är inte sparade än:",
                         "Someone else changed the action after you opened it (you saw version {seen}, it is now "
                         "version {current}). Your changes are not saved yet:"),
    "actions.conflict_unknown": ("ändringen kunde inte beskrivas", "the change could not be described"),
    "actions.conflict_choice": ("Dina uppgifter finns kvar i formuläret. Skriv över med dina ändringar (bara de fält "
                                "du ändrade), eller ladda om åtgärden som den är nu.",
                                "Your input is still in the form. Overwrite with your changes (only the fields you "
                                "changed), or reload the action as it is now."),
    "actions.overwrite": ("Skriv över med mina ändringar", "Overwrite with my changes"),
    "actions.reload": ("Ladda om", "Reload"),
    "actions.new_heading": ("Ny åtgärd", "New action"),
    "actions.new_cells": ("Åtgärden gäller {n} rutor som valts på kartan.", "The action covers {n} cells chosen on "
                          "the map."),
    "actions.create": ("Lägg till åtgärden", "Add the action"),
    "actions.created": ("Åtgärden ”{title}” är tillagd.", "The action “{title}” was added."),
    "actions.title_required": ("Rubrik: skriv vad åtgärden är.", "Title: say what the action is."),
    "actions.effect_heading": ("Effekt", "Effect"),
    "actions.effect_none": ("Effekten kan bedömas när åtgärden har en plats (område, plats eller rutor på kartan) och "
                            "ett startdatum.", "The effect can be evaluated once the action has a place (area, place "
                            "or map cells) and a start date."),
    "actions.effect_verdict": ("Bedömning", "Verdict"),
    "actions.effect_no_weeks": ("Ingen hel vecka har gått sedan starten {start}.",
                                "No whole week has passed since the start on {start}."),
    "actions.effect_before": ("Före ({weeks} v)", "Before ({weeks} wk)"),
    "actions.effect_after": ("Efter ({weeks} v)", "After ({weeks} wk)"),
    "actions.effect_expected_after": ("Väntat efter", "Expected after"),
    "actions.effect_target": ("Händelser på platsen", "Incidents at the place"),
    "actions.effect_expected": ("Väntat enligt jämförelseområdena", "Expected from the comparison areas"),
    "actions.effect_start": ("Start", "Start"),
    "actions.effect_chart_title": ("Händelser per vecka före och efter starten", "Incidents per week before and "
                                   "after the start"),
    "actions.effect_alt": ("Linjediagram per vecka: händelser på platsen mot vad jämförelseområdena förutsäger, "
                           "{weeks} veckor före och efter starten. {before} före, {after} efter, ungefär {expected} "
                           "väntade. Bedömning: {verdict}.",
                           "Weekly line chart: incidents at the place against what the comparison areas predict, "
                           "{weeks} weeks before and after the start. {before} before, {after} after, about "
                           "{expected} expected. Verdict: {verdict}."),
    "actions.effect_period": ("Period", "Period"),
    "actions.effect_period_before": ("före", "before"),
    "actions.effect_period_after": ("efter", "after"),
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
    # meeting mode
    "meeting.start": ("Starta ett möte", "Start a meeting"),
    "meeting.forum": ("Forum", "Forum"),
    "meeting.date": ("Mötesdatum", "Meeting date"),
    "meeting.participants": ("Deltagande organisationer", "Participating organisations"),
    "meeting.start_submit": ("Starta mötet och skriv dagordningen", "Start the meeting and write the agenda"),
    "meeting.pick": ("Möte", "Meeting"),
    "meeting.pick_option": ("{date} · {forum} ({status})", "{date} · {forum} ({status})"),
    "meeting.generate": ("Skriv dagordningen från data", "Write the agenda from the data"),
    "meeting.regenerate": ("Skriv om dagordningen från dagens data", "Rewrite the agenda from today's data"),
    "meeting.open_view": ("Öppna vyn", "Open the view"),
    "meeting.edit_item": ("Ändra punkten", "Edit the item"),
    "meeting.item_title": ("Rubrik", "Title"),
    "meeting.item_body": ("Text", "Text"),
    "meeting.save": ("Spara", "Save"),
    "meeting.up": ("Flytta upp", "Move up"),
    "meeting.down": ("Flytta ned", "Move down"),
    "meeting.delete_item": ("Ta bort punkten", "Delete the item"),
    "meeting.add_item": ("Lägg till en punkt", "Add an item"),
    "meeting.item_minutes": ("Anteckningar till punkten", "Minutes for the item"),
    "meeting.save_minutes": ("Spara anteckningar", "Save minutes"),
    "meeting.decision": ("Beslut", "Decision"),
    "meeting.decision_text": ("Beslutstext", "Decision text"),
    "meeting.make_action": ("Beslutet blir en åtgärd i åtgärdsregistret", "The decision becomes an action"),
    "meeting.action_title": ("Åtgärdens rubrik", "Action title"),
    "meeting.action_owner": ("Ägande organisation", "Owner organisation"),
    "meeting.action_due": ("Klart senast", "Due"),
    "meeting.action_area": ("Område", "Area"),
    "meeting.record_decision": ("Fatta beslut", "Record the decision"),
    "meeting.decisions": ("Beslut under punkten", "Decisions under this item"),
    "meeting.decision_line": ("Beslut: {text}", "Decision: {text}"),
    "meeting.decision_action": ("Åtgärd {id}: {title} – {owner}, {status}, klart senast {due}",
                                "Action {id}: {title} – {owner}, {status}, due {due}"),
    "meeting.close": ("Avsluta mötet och frys siffrorna", "Close the meeting and freeze the figures"),
    "meeting.closed_info": ("Mötet avslutades {when}. Siffrorna nedan är frysta som de visades på mötet.",
                            "The meeting was closed {when}. The figures below are frozen as shown at the meeting."),
    "meeting.frozen": ("Då (fryst vid mötet)", "Then (frozen at the meeting)"),
    "meeting.now": ("Nu (vad data säger i dag)", "Now (what the data says today)"),
    "meeting.saved": ("Sparat.", "Saved."),
    "meeting.decided": ("Beslutet är sparat.", "The decision is saved."),
    "meeting.decided_action": ("Beslutet är sparat och åtgärd {id} ligger i åtgärdsregistret.",
                               "The decision is saved and action {id} is in the register."),
    "meeting.read_only": ("Din roll kan läsa mötet men inte ändra det.", "Your role may read the meeting, not edit it."),
    "meeting.no_meeting_rights": ("Du har inte behörighet till möten.", "You have no access to meetings."),
    "meeting.events": ("Händelseregistret", "Events register"),
    "meeting.event_title": ("Händelse", "Event"),
    "meeting.event_kind": ("Typ", "Kind"),
    "meeting.event_day": ("Dag", "Day"),
    "meeting.event_time": ("Klockan", "Time"),
    "meeting.event_place": ("Plats", "Place"),
    "meeting.event_add": ("Lägg till händelsen", "Add the event"),
    "meeting.event_delete": ("Ta bort vald händelse", "Delete the chosen event"),
    "meeting.event_pick": ("Kommande händelser", "Coming events"),
    "meeting.general_minutes": ("Mötets anteckningar", "The meeting's minutes"),
    # report
    "report.title": ("Rapportera", "Report"),
    "report.not_allowed": ("Din roll kan inte rapportera händelser. Kontakta samordnaren om du behöver kunna det.",
                           "Your role cannot report incidents. Contact the coordinator if you need to."),
    "report.category": ("Vad hände?", "What happened?"),
    "report.choose": ("Välj", "Choose"),
    "report.optional": ("Valfritt", "Optional"),
    "report.intro": ("Välj vad som hände och var. Allt annat är valfritt.",
                     "Choose what happened and where. Everything else is optional."),
    "report.when": ("När hände det?", "When did it happen?"),
    "report.when_now": ("Nu", "Now"),
    "report.when_at": ("Vid en tid", "At a time"),
    "report.when_between": ("Mellan två tider", "Between two times"),
    "report.date": ("Datum", "Date"),
    "report.time": ("Klockan", "Time"),
    "report.from_date": ("Från datum", "From date"),
    "report.from_time": ("Från klockan", "From time"),
    "report.to_date": ("Till datum", "To date"),
    "report.to_time": ("Till klockan", "To time"),
    "report.where": ("Var hände det?", "Where did it happen?"),
    "report.map_help_all": ("Kartan visar områdena. Tryck på området där det hände för att zooma in. "
                            "Du kan också välja område eller plats i listorna under kartan.",
                            "The map shows the areas. Tap the area where it happened to zoom in. "
                            "You can also choose an area or a place in the lists below the map."),
    "report.map_help_parts": ("Kartan visar delarna av {area}. Tryck på den del där det hände.",
                              "The map shows the parts of {area}. Tap the part where it happened."),
    "report.map_help_cells": ("Kartan visar {area} indelat i rutor, och namngivna platser som orange prickar. "
                              "Tryck på rutan eller platsen där det hände. En ruta sparas med cirka {metres} m "
                              "noggrannhet.",
                              "The map shows {area} divided into cells, and named places as orange dots. Tap the "
                              "cell or place where it happened. A cell is saved to within about {metres} m."),
    "report.map_too_big": ("{area} är för stort för att peka ut en ruta på kartan. Välj en namngiven plats i "
                           "listan, eller skicka rapporten med hela området.",
                           "{area} is too big to point at a cell on the map. Choose a named place in the list, "
                           "or send the report with the whole area."),
    "report.map_cell": ("Ruta – tryck för att välja", "Cell – tap to choose"),
    "report.map_picked": ("Vald ruta", "Chosen cell"),
    "report.map_all": ("Visa alla områden", "Show all areas"),
    "report.area": ("Område", "Area"),
    "report.place": ("Namngiven plats", "Named place"),
    "report.chosen_point": ("Vald plats: en ruta i {area}. Platsen sparas med cirka {metres} m noggrannhet.",
                            "Chosen place: a cell in {area}. The place is saved to within about {metres} m."),
    "report.chosen_point_nowhere": ("Vald plats: en ruta på kartan, sparas med cirka {metres} m noggrannhet.",
                                    "Chosen place: a cell on the map, saved to within about {metres} m."),
    "report.chosen_place": ("Vald plats: {place}, {area}.", "Chosen place: {place}, {area}."),
    "report.chosen_area": ("Vald plats: hela området {area}.", "Chosen place: the whole area {area}."),
    "report.chosen_none": ("Ingen plats vald ännu.", "No place chosen yet."),
    "report.clear_point": ("Ta bort rutan", "Remove the cell"),
    "report.description": ("Kort beskrivning", "Short description"),
    "report.description_help": ("Beskriv vad som hände. Skriv inga namn, personnummer, telefonnummer eller "
                                "registreringsnummer.",
                                "Describe what happened. Do not write names, personal identity numbers, phone "
                                "numbers or registration plates."),
    "report.description_placeholder": ("T.ex. tio ungdomar samlade vid entrén, hög ljudnivå",
                                       "E.g. ten youths gathered at the entrance, loud"),
    "report.pii_warning": ("Texten ser ut att innehålla {what}. Skriv hellre vad som hände än vem det var – ta "
                           "bort uppgifter som kan peka ut en person.",
                           "The text seems to contain {what}. Write what happened rather than who it was – remove "
                           "details that can identify a person."),
    "report.pii.personnummer": ("ett personnummer", "a personal identity number"),
    "report.pii.telefonnummer": ("ett telefonnummer", "a phone number"),
    "report.pii.registreringsnummer": ("ett registreringsnummer", "a registration plate"),
    "report.pii.e-post": ("en e-postadress", "an e-mail address"),
    "report.and": ("och", "and"),
    "report.confirm": ("Texten ser ut att innehålla {what}. Ändra texten ovan, eller skicka ändå om du är säker "
                       "på att ingen kan pekas ut.",
                       "The text seems to contain {what}. Change the text above, or send anyway if you are sure "
                       "nobody can be identified."),
    "report.send_anyway": ("Skicka ändå", "Send anyway"),
    "report.assessment": ("Hur allvarligt? (valfritt)", "How serious? (optional)"),
    "report.assessment_1": ("1 – lindrigt", "1 – minor"),
    "report.assessment_2": ("2 – märkbart", "2 – noticeable"),
    "report.assessment_3": ("3 – allvarligt", "3 – serious"),
    "report.submit": ("Skicka rapport", "Send report"),
    "report.need_category": ("Välj vad som hände innan du skickar.", "Choose what happened before sending."),
    "report.need_place": ("Ange var det hände innan du skickar: tryck på kartan, eller välj ett område eller en "
                          "plats.",
                          "Say where it happened before sending: tap the map, or choose an area or a place."),
    "report.thanks": ("Tack! Rapporten är sparad.", "Thank you! The report is saved."),
    "report.mine": ("Mina senaste rapporter", "My latest reports"),
    "report.mine_none": ("Du har inte rapporterat något ännu.", "You have not reported anything yet."),
    "report.mine_more": ("Visa {n} äldre", "Show {n} older"),
    "report.between": ("{start} – {end}", "{start} – {end}"),
    "report.status_received": ("Mottagen", "Received"),
    "report.status_ongoing": ("Åtgärd pågår i området: {title}", "Action under way in the area: {title}"),
    "report.status_decided": ("Åtgärd beslutad i området: {title}", "Action decided in the area: {title}"),
    "report.status_proposed": ("Åtgärd föreslagen i området: {title}", "Action proposed in the area: {title}"),
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
    "data.tab_import": ("Läs in fil", "Import a file"),
    "data.tab_mappings": ("Kategorier per källa", "Categories per source"),
    "data.tab_profiles": ("Importprofiler", "Import profiles"),
    "data.col_batch": ("Nr", "No."),
    "data.col_accepted": ("Inlästa", "Imported"),
    "data.col_rejected": ("Avvisade", "Rejected"),
    # data: the import wizard (ui/import_wizard.py, ui/import_batches.py, ui/import_common.py)
    "import.n_rows_one": ("{n} rad", "{n} row"),
    "import.n_rows": ("{n} rader", "{n} rows"),
    "import.n_incidents_one": ("{n} händelse", "{n} incident"),
    "import.n_incidents": ("{n} händelser", "{n} incidents"),
    "import.n_results_one": ("{n} enkätresultat", "{n} survey result"),
    "import.n_results": ("{n} enkätresultat", "{n} survey results"),
    "import.n_types_one": ("{n} typ", "{n} type"),
    "import.n_types": ("{n} typer", "{n} types"),
    "import.step_file": ("1. Välj typ av fil och filen", "1. Choose the kind of file and the file"),
    "import.step_options": ("2. Inställningar", "2. Settings"),
    "import.step_preview": ("3. Förhandsgranska", "3. Preview"),
    "import.step_import": ("4. Läs in", "4. Import"),
    "import.kind": ("Typ av fil", "Kind of file"),
    "import.file": ("Fil", "File"),
    "import.file_help": ("Filtyper som går att läsa: {types}, högst {mb} MB (större filer läses in med "
                         "kommandoraden: python -m data_layer import). Filen sparas inte; bara det som läses in.",
                         "File types that can be read: {types}, at most {mb} MB (larger files are imported on the "
                         "command line: python -m data_layer import). The file itself is not kept, only what is "
                         "imported."),
    "import.no_options": ("Inga inställningar behövs för den här typen av fil.",
                          "This kind of file needs no settings."),
    "import.more_options": ("Fler inställningar (kan oftast lämnas som de är)",
                            "More settings (usually fine as they are)"),
    "import.choose": ("Välj …", "Choose …"),
    "import.choose_property": ("Välj egenskap i filen …", "Choose a property of the file …"),
    "import.choose_profile": ("Välj profil …", "Choose a profile …"),
    "import.derive_code": ("(härled koden ur namnet)", "(derive the code from the name)"),
    "import.optional": ("valfritt", "optional"),
    "import.no_profiles": ("Det finns ingen sparad importprofil för {kind} ännu. Skapa en under fliken "
                           "Importprofiler; den säger vilken kolumn som är vad.",
                           "There is no saved import profile for {kind} yet. Create one under the Import profiles "
                           "tab; it says which column is what."),
    "import.profiles_where": ("Profiler skapas och ändras under fliken Importprofiler.",
                              "Profiles are created and changed under the Import profiles tab."),
    "import.skip_invalid": ("Hoppa över ogiltiga rader", "Skip invalid rows"),
    "import.skip_invalid_help": ("Utan kryss avvisas hela filen om någon rad inte kan läsas, och ingenting sparas. "
                                 "Med kryss läses de giltiga raderna in och varje överhoppad rad sparas med sin "
                                 "orsak i inläsningens logg.",
                                 "Unticked, the whole file is refused if any row cannot be read, and nothing is "
                                 "saved. Ticked, the valid rows are imported and each skipped row is kept with its "
                                 "reason in the import's log."),
    "import.need": ("Saknas innan du kan förhandsgranska: {what}.", "Missing before you can preview: {what}."),
    "import.need_file": ("en fil", "a file"),
    "import.preview": ("Förhandsgranska", "Preview"),
    "import.preview_first": ("Förhandsgranska filen först; då ser du vad som skulle läsas in innan något sparas.",
                             "Preview the file first: you see what would be imported before anything is saved."),
    "import.preview_stale": ("Filen eller inställningarna har ändrats sedan förhandsgranskningen. "
                             "Förhandsgranska igen.", "The file or the settings changed since the preview. "
                             "Preview again."),
    "import.nothing_to_import": ("Det finns inget att läsa in från den här filen. Rätta filen, eller välj en annan, "
                                 "och förhandsgranska igen.", "There is nothing to import from this file. Fix it, or "
                                 "choose another, and preview again."),
    "import.working": ("Arbetar … en stor fil kan ta en stund.", "Working … a large file can take a while."),
    "import.checking": ("Kontrollerar {file} …", "Checking {file} …"),
    "import.writing": ("Läser in {file} …", "Importing {file} …"),
    "import.progress": ("{done} av {total} rader behandlade", "{done} of {total} rows processed"),
    "import.refused": ("Filen {file} kan inte läsas in: {n} fel, se tabellen. Ingenting har sparats.",
                       "The file {file} cannot be imported: {n} problems, see the table. Nothing was saved."),
    "import.verdict_refused": ("Av {read} i {file} kan {bad} inte läsas. Som inställningarna är nu avvisas hela "
                               "filen och ingenting sparas. Rätta filen, eller kryssa i ”Hoppa över ogiltiga rader” "
                               "ovan för att läsa in de giltiga ({rows}).",
                               "Of {read} in {file}, {bad} cannot be read. As things are set, the whole file is "
                               "refused and nothing is saved. Fix the file, or tick “Skip invalid rows” above to "
                               "import the valid ones ({rows})."),
    "import.verdict_skip": ("{rows} läses in. {bad} hoppas över och sparas med sin orsak i inläsningens logg.",
                            "{rows} will be imported. {bad} skipped and kept with the reason in the import's log."),
    "import.verdict_nothing": ("Inget nytt att läsa in från {file}: allt i filen finns redan i databasen.",
                               "Nothing new to import from {file}: everything in it is already in the store."),
    "import.verdict_ok": ("{file} ser bra ut: {rows} läses in. Ingenting har sparats ännu.",
                          "{file} looks fine: {rows} will be imported. Nothing has been saved yet."),
    "import.area_fallbacks": ("Varav {n} låg strax utanför alla områdesgränser och fick närmaste område "
                              "(inom 2 km).", "Of these, {n} lay just outside every area boundary and were given "
                              "the nearest area (within 2 km)."),
    "import.no_areas": ("Ingen av raderna hamnar i något område i databasen. De räknas i summor men syns inte per "
                        "område. Saknas områdena? Läs först in områdesgränserna (typ Områdesgränser).",
                        "None of the rows falls in any area of the store. They count in totals but not per area. "
                        "Are the areas missing? Import the area boundaries first (kind Area boundaries)."),
    "import.rejected_heading": ("Rader som inte kan läsas ({n})", "Rows that cannot be read ({n})"),
    "import.rows_caption": ("Rad = radnumret i filen (i en CSV-fil är rubrikraden rad 1; i en JSON-fil är det "
                            "händelsens nummer i listan, i GeoJSON objektets).",
                            "Row = the row number in the file (in a CSV file the header is row 1; in a JSON file "
                            "it is the event's number in the list, in GeoJSON the feature's)."),
    "import.col_row": ("Rad", "Row"),
    "import.col_column": ("Kolumn", "Column"),
    "import.col_reason": ("Orsak", "Reason"),
    "import.col_what": ("Vad", "What"),
    "import.col_count": ("Antal", "Count"),
    "import.whole_file": ("hela filen", "whole file"),
    "import.conversions_heading": ("Så tolkades filen", "How the file was read"),
    "import.categories_heading": ("Kategorier efter inläsning", "Categories after import"),
    "import.run": ("Läs in {rows}", "Import {rows}"),
    "import.done": ("Inläsning nr {batch} är klar: {rows} från {file} finns nu i databasen.",
                    "Import no. {batch} is done: {rows} from {file} are now in the store."),
    "import.done_rejected": ("{bad} hoppades över; de står med orsak under fliken Senaste inläsningar.",
                             "{bad} skipped; they are listed with the reason under the Latest imports tab."),
    "import.done_nothing": ("Ingenting lästes in från {file}: allt fanns redan i databasen.",
                            "Nothing was imported from {file}: everything was already in the store."),
    "import.not_undoable": ("Områden kan inte ångras som en helhet; läs in en rättad fil i stället.",
                            "Areas cannot be undone as a whole; import a corrected file instead."),
    "import.undo": ("Ångra inläsning nr {batch}", "Undo import no. {batch}"),
    "import.undo_confirm": ("Inläsning nr {batch} ({file}) tas bort: {what} försvinner ur databasen. "
                            "Filen kan läsas in igen senare.",
                            "Import no. {batch} ({file}) will be removed: {what} leave the store. "
                            "The file can be imported again later."),
    "import.undo_yes": ("Ja, ta bort {what}", "Yes, remove {what}"),
    "import.undo_cancel": ("Avbryt", "Cancel"),
    "import.undone": ("Inläsning nr {batch} är ångrad: {what} togs bort.",
                      "Import no. {batch} is undone: {what} removed."),
    "import.undo_heading": ("Ångra en inläsning", "Undo an import"),
    "import.undo_help": ("Tar bort alla händelser från en inläsning på en gång. Inläsningen finns kvar i listan, "
                         "markerad som ångrad.", "Removes every incident of one import at once. The import stays "
                         "in the list, marked as undone."),
    "import.undo_none": ("Det finns ingen inläsning att ångra.", "There is no import to undo."),
    "import.undo_choose": ("Inläsning att ångra", "Import to undo"),
    "import.batch_option": ("Nr {batch}: {file} ({when}, {n} rader)", "No. {batch}: {file} ({when}, {n} rows)"),
    "import.rejections_heading": ("Överhoppade rader", "Skipped rows"),
    "import.rejections_choose": ("Visa de överhoppade raderna för inläsning", "Show the skipped rows of import"),
    "import.kind_other.demo": ("Demodata", "Demo data"),
    "import.kind_other.form": ("Rapportformuläret", "The report form"),
    "import.choice.kommun": ("Kommun", "Municipality"),
    "import.choice.stadsdel": ("Stadsdel", "City district"),
    "import.choice.omrade": ("Område", "Area"),
    "import.choice.lan": ("Län", "County"),
    "import.field.rows_read": ("Lästa rader", "Rows read"),
    "import.field_done.accepted": ("Inlästa", "Imported"),
    "import.field_done.rejected_count": ("Överhoppade", "Skipped"),
    "import.field.features_read": ("Lästa objekt", "Features read"),
    "import.field.accepted": ("Godtas", "Accepted"),
    "import.field.created": ("Nya områden", "New areas"),
    "import.field.updated": ("Ändrade områden", "Changed areas"),
    "import.field.unchanged": ("Oförändrade", "Unchanged"),
    "import.field.rejected_count": ("Avvisas", "Rejected"),
    "import.field.duplicates_skipped": ("Dubbletter (finns redan)", "Duplicates (already stored)"),
    "import.field.areas_assigned": ("Fick område", "Given an area"),
    "import.field.with_population": ("Med befolkning", "With population"),
    "import.field.missing_values": ("Varav utan värde", "Of which without a value"),
    "import.field.surveys_created": ("Nya enkäter", "New surveys"),
    "import.field.questions_created": ("Nya frågor", "New questions"),
    "import.field.by_wave": ("Resultat per period", "Results per wave"),
    "import.field.by_question": ("Resultat per fråga", "Results per question"),
    "import.field.ignored_columns": ("Kolumner som inte lästes in", "Columns not imported"),
    "import.field.notes": ("Att känna till", "Worth knowing"),
    "import.field.profile": ("Profil", "Profile"),
    "import.field.survey_name": ("Enkät", "Survey"),
    "import.field.layout": ("Layout", "Layout"),
    "import.field.level": ("Nivå", "Level"),
    "import.conv.time_from_name": ("{n} händelser fick tidpunkten ur rubriken (t.ex. ”22 augusti 17.59”), inte "
                                   "publiceringstiden", "{n} events took their time from the title (e.g. "
                                   "“22 augusti 17.59”), not from the publication time"),
    "import.conv.time_from_published": ("{n} händelser saknar tid i rubriken och fick publiceringstiden",
                                        "{n} events have no time in the title and took the publication time"),
    "import.conv.kommun": ("{n} händelser placerades i den kommun Polisen anger",
                           "{n} events were placed in the municipality the police name"),
    "import.conv.kommun_from_title": ("{n} händelser angav bara län, men kommunen stod i rubriken och händelsen "
                                      "placerades där", "{n} events named only a county, but the municipality was in "
                                      "the title and the event was placed there"),
    "import.conv.county_only": ("{n} händelser anger bara ett län (ingen kommun i rubriken)",
                                "{n} events name only a county (no municipality in the title)"),
    "import.conv.county_area": ("{n} händelser placerades på länet", "{n} events were placed on the county"),
    "import.conv.no_area": ("{n} händelser kunde inte kopplas till något område i databasen: de räknas i summor "
                            "men syns inte per område", "{n} events could not be linked to any area in the store: "
                            "they count in totals but not per area"),
    "import.conv.unlocated": ("{n} rader saknar koordinater och sparas utan position: de räknas i summor men syns "
                              "inte på kartan", "{n} rows have no coordinates and are kept without a position: "
                              "they count in totals but do not show on the map"),
    "import.conv.id_from_content": ("{n} rader saknar eget id (t.ex. Crime ID för ordningsstörningar); id räknas "
                                    "fram ur radens innehåll så att samma fil aldrig läses in två gånger",
                                    "{n} rows have no id of their own (e.g. Crime ID for anti-social behaviour); one "
                                    "is derived from the row's content so the same file is never imported twice"),
    "import.conv.id_from_source": ("{n} rader har eget id från källan", "{n} rows carry the source's own id"),
    "import.conv.swapped_axes": ("{n} rader har latitud och longitud omkastade",
                                 "{n} rows have latitude and longitude swapped"),
    "import.conv.outside_region": ("{n} rader har koordinater utanför det tillåtna området",
                                   "{n} rows have coordinates outside the allowed region"),
    "import.precision.point": ("{n} med exakt position (punkt på kartan)", "{n} with a precise position (a point)"),
    "import.precision.area": ("{n} har bara en ungefärlig plats (ett område som kommun eller län), ingen exakt "
                              "punkt", "{n} have only an approximate place (an area such as a municipality or "
                              "county), no exact point"),
    "import.precision.none": ("{n} utan plats: räknas i summor men visas inte på kartan",
                              "{n} without a place: counted in totals but not shown on the map"),
    # data: category mapping per source (ui/import_mappings.py)
    "import.map_source": ("Källa", "Source"),
    "import.map_help": ("Varje källas egna typer ({n} st.) och vilken av våra kategorier de hamnar i. Den "
                        "ursprungliga typen sparas alltid på händelsen. Ändra kategorin i tabellen och spara: "
                        "redan inlästa händelser av den typen flyttas då också. Typer som inte finns i tabellen "
                        "hamnar i Övrigt.",
                        "Each source's own types ({n}) and which of our categories they land in. The original type "
                        "is always kept on the incident. Change the category in the table and save: incidents "
                        "already imported with that type move too. Types missing from the table land in Other."),
    "import.map_col_type": ("Källans typ", "Source's type"),
    "import.map_col_type_help": ("Typen som den står i källans fil.", "The type as the source's file says it."),
    "import.map_col_category": ("Vår kategori", "Our category"),
    "import.map_col_category_help": ("Klicka för att välja en annan kategori.", "Click to choose another category."),
    "import.map_col_incidents": ("Händelser i databasen", "Incidents in the store"),
    "import.map_col_incidents_help": ("Hur många inlästa händelser som har den här typen.",
                                      "How many imported incidents carry this type."),
    "import.map_col_edited": ("Ändrad för hand", "Changed by hand"),
    "import.map_col_edited_help": ("Ändrade rader skrivs aldrig över av standardvärdena.",
                                   "Changed rows are never overwritten by the defaults."),
    "import.map_save": ("Spara ändringar", "Save changes"),
    "import.map_no_changes": ("Inga ändringar att spara.", "No changes to save."),
    "import.map_saved": ("{types} fick ny kategori; {incidents} som redan var inlästa flyttades.",
                         "{types} got a new category; {incidents} already imported moved."),
    # data: import profiles (ui/import_profiles.py)
    "import.profile_none": ("Inga sparade importprofiler ännu.", "No saved import profiles yet."),
    "import.profile_col_name": ("Namn", "Name"),
    "import.profile_col_updated": ("Senast ändrad", "Last changed"),
    "import.profile_choose": ("Profil att visa eller ändra", "Profile to show or change"),
    "import.profile_new": ("+ Ny profil", "+ New profile"),
    "import.profile_name": ("Namn på den nya profilen", "Name of the new profile"),
    "import.profile_name_help": ("T.ex. partnerns namn och filens innehåll: ”bostadsbolaget-felanmalan”.",
                                 "E.g. the partner's name and the file's content: “housing-fault-reports”."),
    "import.profile_kind": ("Profilen gäller", "The profile is for"),
    "import.profile_example": ("Börja från exemplet", "Start from the example"),
    "import.profile_editing": ("Profil för {kind}.", "Profile for {kind}."),
    "import.profile_body": ("Profil (TOML)", "Profile (TOML)"),
    "import.profile_body_help": ("Rader som börjar med # är kommentarer. Okända nycklar räknas som fel, så en "
                                 "felstavning syns direkt när du validerar.",
                                 "Lines starting with # are comments. Unknown keys count as errors, so a typo shows "
                                 "as soon as you validate."),
    "import.profile_validate": ("Validera", "Validate"),
    "import.profile_save": ("Spara profilen", "Save the profile"),
    "import.profile_delete": ("Ta bort profilen", "Delete the profile"),
    "import.profile_delete_confirm": ("Profilen {name} tas bort. Inlästa data påverkas inte.",
                                      "The profile {name} will be deleted. Imported data is not affected."),
    "import.profile_delete_yes": ("Ja, ta bort profilen", "Yes, delete the profile"),
    "import.profile_delete_cancel": ("Avbryt", "Cancel"),
    "import.profile_deleted": ("Profilen {name} är borttagen.", "The profile {name} is deleted."),
    "import.profile_this": ("profilen", "the profile"),
    "import.profile_valid": ("Profilen är giltig.", "The profile is valid."),
    "import.profile_invalid": ("Profilen har {n} fel; den kan inte sparas förrän de är rättade:",
                               "The profile has {n} problems; it cannot be saved until they are fixed:"),
    "import.profile_need_name": ("Ge profilen ett namn först.", "Give the profile a name first."),
    "import.profile_saved": ("Profilen {name} är sparad.", "The profile {name} is saved."),
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
    "retention.title": ("Gallring", "Retention"),
    "retention.caption": ("Efter angivet antal månader tas fritext, exakt position, plats och fina H3-rutor bort; "
                          "händelsen räknas fortfarande per område, dag och 1,2 km-ruta. Radering tar bort händelsen "
                          "helt. Standard: detaljer efter 24 månader (12 för känsliga kategorier), ingen radering.",
                          "After the given number of months, free text, precise position, place and fine H3 cells "
                          "are removed; the incident still counts per area, day and 1.2 km cell. Deletion removes the "
                          "incident. Default: details after 24 months (12 for sensitive categories), no deletion."),
    "retention.col_category": ("Kategori", "Category"),
    "retention.col_coarsen": ("Gallra detaljer efter (mån)", "Coarsen details after (months)"),
    "retention.col_delete": ("Radera efter (mån)", "Delete after (months)"),
    "retention.col_rule": ("Regel", "Rule"),
    "retention.col_to_coarsen": ("Att gallra", "To coarsen"),
    "retention.col_to_delete": ("Att radera", "To delete"),
    "retention.never": ("aldrig", "never"),
    "retention.own": ("egen", "own"),
    "retention.default": ("standard", "default"),
    "retention.due_caption": ("Per {today}: {coarsen} händelser att gallra, {delete} att radera.",
                              "As of {today}: {coarsen} incidents to coarsen, {delete} to delete."),
    "retention.confirm": ("Jag förstår att gallring och radering inte kan ångras.",
                          "I understand that coarsening and deletion cannot be undone."),
    "retention.apply": ("Gallra nu", "Run retention now"),
    "retention.applied": ("Klart: {coarsen} händelser gallrade, {delete} raderade.",
                          "Done: {coarsen} incidents coarsened, {delete} deleted."),
    "retention.edit": ("Ändra regel", "Change rule"),
    "retention.category": ("Kategori", "Category"),
    "retention.coarsen_months": ("Gallra detaljer efter antal månader", "Coarsen details after months"),
    "retention.delete_on": ("Radera händelser", "Delete incidents"),
    "retention.delete_months": ("Radera efter antal månader", "Delete after months"),
    "retention.save": ("Spara regel", "Save rule"),
    "retention.saved": ("Regeln är sparad.", "The rule is saved."),
    "retention.admin_only": ("Bara administratörer kan ändra och köra gallringen.",
                             "Only administrators can change and run retention."),
    "retention.large": ("Databasen är stor (upp till {n} händelser): att räkna vad som gallras läser varje händelse "
                        "och tar några sekunder.",
                        "The store is large (up to {n} incidents): counting what is due reads every incident and "
                        "takes a few seconds."),
    "retention.count": ("Räkna vad som gallras i dag", "Count what is due today"),
    "retention.counting": ("Räknar vad som gallras …", "Counting what is due …"),
    "masking.large": ("Databasen är stor (upp till {n} händelser): sökningen läser fritexten i varje rapport och tar "
                      "några sekunder.",
                      "The store is large (up to {n} incidents): the search reads the free text of every report and "
                      "takes a few seconds."),
    "masking.search": ("Sök efter personuppgifter", "Search for personal data"),
    "masking.searching": ("Söker efter personuppgifter …", "Searching for personal data …"),
    "actions.effect_suppressed": ("Antalen före och efter är för små för att visas för din roll (färre än {n}); "
                                  "bedömningen ovan bygger på dem.",
                                  "The counts before and after are too small to show to your role (fewer than "
                                  "{n}); the verdict above is based on them."),
    "masking.title": ("Personuppgifter i fritext", "Personal data in free text"),
    "masking.caption": ("Rapporter vars beskrivning ser ut att innehålla personnummer, telefonnummer, e-postadress "
                        "eller registreringsnummer. Maskera ersätter varje uppgift med en platshållare.",
                        "Reports whose description seems to hold a personal identity number, phone number, e-mail "
                        "address or registration plate. Mask replaces each item with a placeholder."),
    "masking.not_allowed": ("Din roll kan inte maskera fritext.", "Your role cannot mask free text."),
    "masking.none": ("Inga rapporter med personuppgifter hittades.", "No reports with personal data were found."),
    "masking.row": ("Rapport {id}, {day}, {category}: {kinds}", "Report {id}, {day}, {category}: {kinds}"),
    "masking.mask": ("Maskera", "Mask"),
    "masking.masked": ("Rapport {id} är maskerad ({kinds}).", "Report {id} is masked ({kinds})."),
    "import.field.personal_data_rows": ("Med personuppgifter i fritext", "With personal data in free text"),
    "admin.create": ("Ny användare", "New user"),
    "admin.display_name": ("Namn", "Name"),
    "admin.email": ("E-post (för inloggning med organisationens konto)", "E-mail (for organisation sign-in)"),
    "admin.organisation": ("Organisation", "Organisation"),
    "admin.role": ("Roll", "Role"),
    "admin.initial_password": ("Startlösenord (minst {n} tecken)", "Initial password (at least {n} characters)"),
    "admin.repeat_password": ("Upprepa lösenordet", "Repeat the password"),
    "admin.create_submit": ("Skapa användaren", "Create the user"),
    "admin.created": ("Användaren {username} är skapad.", "The user {username} is created."),
    "admin.manage": ("Hantera en användare", "Manage a user"),
    "admin.choose_user": ("Välj användare", "Choose a user"),
    "admin.status": ("{username}: {role}, {state}", "{username}: {role}, {state}"),
    "admin.state_active": ("aktiv", "active"),
    "admin.state_inactive": ("inaktiverad", "deactivated"),
    "admin.state_locked": ("låst till {when}", "locked until {when}"),
    "admin.new_role": ("Ny roll", "New role"),
    "admin.change_role": ("Byt roll", "Change role"),
    "admin.role_changed": ("{username} har nu rollen {role}.", "{username} now has the role {role}."),
    "admin.deactivate": ("Inaktivera kontot", "Deactivate the account"),
    "admin.reactivate": ("Aktivera kontot igen", "Reactivate the account"),
    "admin.deactivated": ("{username} är inaktiverad och kan inte logga in.",
                          "{username} is deactivated and cannot log in."),
    "admin.reactivated": ("{username} är aktiv igen.", "{username} is active again."),
    "admin.unlock": ("Lås upp kontot", "Unlock the account"),
    "admin.unlock_help": ("Nollställer misslyckade inloggningar och tar bort en spärr.",
                          "Resets failed logins and lifts a lockout."),
    "admin.unlocked": ("{username} är upplåst.", "{username} is unlocked."),
    "admin.reset_password": ("Nytt lösenord (minst {n} tecken)", "New password (at least {n} characters)"),
    "admin.reset_submit": ("Sätt nytt lösenord", "Set new password"),
    "admin.password_reset": ("{username} har fått ett nytt lösenord. Be användaren byta det efter inloggning.",
                             "{username} has a new password. Ask the user to change it after logging in."),
    "admin.audit_user": ("Användare", "User"),
    "admin.audit_event": ("Händelsetyp", "Event type"),
    "admin.audit_dates": ("Datum (från – till)", "Dates (from – to)"),
    "admin.audit_all": ("Alla", "All"),
    "admin.audit_read_only": ("Granskningsloggen kan inte ändras eller raderas från appen.",
                              "The audit log cannot be edited or deleted from the app."),
    "col.email": ("E-post", "E-mail"),
    "col.sso": ("Organisationskonto", "Organisation sign-in"),
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


# The effect evaluation's wording lives with the statistics it describes (analysis/effects.py).
from analysis.effects import EFFECT_TEXTS  # noqa: E402

TEXTS.update(EFFECT_TEXTS)
