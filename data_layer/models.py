"""SQLModel tables for every entity of the design: who reports, where, what happened, and what the forum does about it.

All datetimes are timezone-aware and stored as UTC (sqlmodel rejects naive ones). Local calendar facts that
aggregations group by (the Europe/Stockholm date and hour an incident started) are stored beside the instant,
so every store can GROUP BY them without time-zone functions.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

ORGANISATION_KINDS = ("kommun", "polis", "bostadsbolag", "bevakning", "räddningstjänst", "förening", "annan")
ROLES = ("admin", "samordnare", "analytiker", "medlem", "rapportor", "lasare")
AREA_LEVELS = ("kommun", "stadsdel", "omrade", "lan")  # lan: counties, for events placed only at county level
LOCATION_PRECISIONS = ("point", "area", "none")
ACTION_STATUSES = ("föreslagen", "beslutad", "pågår", "klar", "avbruten")
MEETING_STATUSES = ("planerat", "pågår", "avslutat")


class Organisation(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=100)
    display_name: str = Field(max_length=200)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=32)
    password_hash: Optional[str] = Field(default=None, max_length=255)
    oidc_subject: Optional[str] = Field(default=None, unique=True, max_length=255)
    email: Optional[str] = Field(default=None, max_length=255)
    active: bool = True
    failed_logins: int = 0
    locked_until: Optional[datetime] = None
    created_at: datetime


class Area(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str = Field(max_length=200)
    level: str = Field(max_length=16)
    parent_id: Optional[int] = Field(default=None, foreign_key="area.id", index=True)
    geometry: Optional[str] = Field(default=None, sa_column=Column(Text))  # GeoJSON geometry, WGS84
    centroid_lat: Optional[float] = None
    centroid_lon: Optional[float] = None
    population: Optional[int] = None
    vulnerable: bool = False  # "utsatt område" per the police's list


class Place(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)  # torg, skola, park, tvättstuga, källare, centrum, hållplats …
    lat: float
    lon: float
    area_id: Optional[int] = Field(default=None, foreign_key="area.id", index=True)


class Category(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    label_sv: str = Field(max_length=200)
    label_en: str = Field(max_length=200)
    group: str = Field(max_length=64)
    sensitive_default: bool = False


class ImportBatch(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    source_kind: str = Field(max_length=32)  # demo, polisen-json, police-uk-csv, incidents, areas, survey, form
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    file_name: Optional[str] = Field(default=None, max_length=500)
    sha256: Optional[str] = Field(default=None, max_length=64, index=True)
    rows_accepted: int = 0
    rows_rejected: int = 0
    rejected_detail: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON: [{row, column, reason}]
    user_id: Optional[int] = Field(default=None, foreign_key="user.id")
    created_at: datetime
    undone_at: Optional[datetime] = None


class ImportProfile(SQLModel, table=True):
    """A saved, reusable import profile (column mapping etc.) for one partner's files; the body is TOML."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=100)
    kind: str = Field(max_length=32)  # incidents | survey
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    body_toml: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime
    updated_by: Optional[int] = Field(default=None, foreign_key="user.id")


class Incident(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("source_org_id", "external_id", name="uq_incident_source_external"),
        Index("ix_incident_date_area_category", "occurred_date", "area_id", "category_id"),
        Index("ix_incident_date_category", "occurred_date", "category_id"),
        # per-source counts over a period (coverage, the source split) search a range per source
        Index("ix_incident_source_date", "source_org_id", "occurred_date"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    source_org_id: int = Field(foreign_key="organisation.id")  # indexed by ix_incident_source_date
    external_id: str = Field(max_length=128)
    category_id: int = Field(foreign_key="category.id")
    source_type: Optional[str] = Field(default=None, max_length=128)  # the source's own type, e.g. Polisen's "Brand"
    occurred_at: datetime  # start of the window, or the instant
    occurred_to: Optional[datetime] = None  # end of the window when only a window is known
    occurred_date: date  # Europe/Stockholm calendar date of occurred_at
    occurred_hour: int  # Europe/Stockholm hour (0-23) of occurred_at
    reported_at: datetime
    lat: Optional[float] = None
    lon: Optional[float] = None
    location_precision: str = Field(default="point", max_length=8)  # point | area | none
    area_id: Optional[int] = Field(default=None, foreign_key="area.id")
    place_id: Optional[int] = Field(default=None, foreign_key="place.id", index=True)
    description: Optional[str] = Field(default=None, sa_column=Column(Text))
    assessment: Optional[int] = None  # reporter's own assessment 1-3
    police_reported: bool = False
    sensitive: bool = False
    reporter_user_id: Optional[int] = Field(default=None, foreign_key="user.id", index=True)
    import_batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)
    h3_r7: Optional[str] = Field(default=None, max_length=16, index=True)
    h3_r8: Optional[str] = Field(default=None, max_length=16, index=True)
    h3_r9: Optional[str] = Field(default=None, max_length=16)


# --- rollups: incident counts kept in step with the incident table by data_layer/rollups.py ---------------------------
# area_id is NOT NULL in them: ROLLUP_NO_AREA (0, never an Area id) stands for "area unknown", because NULLs are
# distinct in a primary key / unique index on both stores. No foreign keys: rows are derived, rebuilt at will.
ROLLUP_NO_AREA = 0
# SQLite: store the rows in primary-key order, so a date range reads the counts without a lookup per row.
ROLLUP_TABLE_ARGS = {"sqlite_with_rowid": False}


class IncidentDaily(SQLModel, table=True):
    """Incidents per local date × area × category × source × location precision."""

    __tablename__ = "incident_daily"
    __table_args__ = ROLLUP_TABLE_ARGS
    occurred_date: date = Field(primary_key=True)
    category_id: int = Field(primary_key=True)  # before area: the default series (per category) reads in key order
    area_id: int = Field(primary_key=True)
    source_org_id: int = Field(primary_key=True)
    location_precision: str = Field(primary_key=True, max_length=8)
    n: int


class IncidentMonthly(SQLModel, table=True):
    """Incidents per calendar month (its first day) × area × category × source × location precision: the daily
    rollup summed by month, for windows of many months (year to date) that the daily rollup reads day by day."""

    __tablename__ = "incident_monthly"
    __table_args__ = ROLLUP_TABLE_ARGS
    month_start: date = Field(primary_key=True)
    category_id: int = Field(primary_key=True)
    area_id: int = Field(primary_key=True)
    source_org_id: int = Field(primary_key=True)
    location_precision: str = Field(primary_key=True, max_length=8)
    n: int


class IncidentHourly(SQLModel, table=True):
    """Incidents per local date × local start hour × area × category × source, windows (occurred_to set) apart."""

    __tablename__ = "incident_hourly"
    __table_args__ = ROLLUP_TABLE_ARGS
    occurred_date: date = Field(primary_key=True)
    occurred_hour: int = Field(primary_key=True)
    area_id: int = Field(primary_key=True)
    category_id: int = Field(primary_key=True)
    source_org_id: int = Field(primary_key=True)
    windowed: bool = Field(primary_key=True)
    n: int


class IncidentReporterDaily(SQLModel, table=True):
    """Incidents with a known reporter per local date × reporter × area × category × source (distinct reporters)."""

    __tablename__ = "incident_reporter_daily"
    __table_args__ = ROLLUP_TABLE_ARGS
    occurred_date: date = Field(primary_key=True)
    reporter_user_id: int = Field(primary_key=True)
    area_id: int = Field(primary_key=True)
    category_id: int = Field(primary_key=True)
    source_org_id: int = Field(primary_key=True)
    n: int


class IncidentH3Weekly(SQLModel, table=True):
    """Point-precision incidents per ISO week (Monday) × H3 cells r7, r8, r9 × area × category × source (all three
    cells in the key: a point's r8 cell is not always the parent of its r9 cell, H3 does not nest exactly)."""

    __tablename__ = "incident_h3_weekly"
    __table_args__ = ROLLUP_TABLE_ARGS
    week_start: date = Field(primary_key=True)
    h3_r7: str = Field(primary_key=True, max_length=16)
    h3_r8: str = Field(primary_key=True, max_length=16)
    h3_r9: str = Field(primary_key=True, max_length=16)
    area_id: int = Field(primary_key=True)
    category_id: int = Field(primary_key=True)
    source_org_id: int = Field(primary_key=True)
    n: int


class SurveyQuestion(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    text_sv: str = Field(max_length=500)
    scale_min: float = 0
    scale_max: float = 1
    higher_is_worse: bool = True  # direction: True when a higher value means more insecurity
    index_code: Optional[str] = Field(default=None, max_length=64)  # the index this question belongs to
    kind: str = Field(default="share", max_length=16)  # share | mean


class Survey(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)  # trygghetsmatning, hyresgastenkat, ntu, egen
    wave: str = Field(max_length=32)  # e.g. "2025"
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    fielded_from: date
    fielded_to: date
    import_batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)  # None: demo/manual


class SurveyResult(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("survey_id", "question_id", "area_id", name="uq_surveyresult"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    question_id: int = Field(foreign_key="surveyquestion.id")
    area_id: int = Field(foreign_key="area.id", index=True)
    n: Optional[int] = None  # respondents; unknown for some published scores
    response_rate: Optional[float] = None
    value: Optional[float] = None  # share (0-1) or mean on the question's scale; None = missing, never zero
    distribution: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON {answer: count}
    import_batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)  # None: demo/manual


class SurveyOwnIndex(SQLModel, table=True):
    """An index a user with survey edit rights defined from questions; shown to everyone on the survey page."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=80)
    components: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of question codes
    scale_max: float = 100
    higher_is_worse: bool = True
    created_by: Optional[int] = Field(default=None, foreign_key="user.id")
    created_at: datetime


class SurveyPlaceMark(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    survey_id: Optional[int] = Field(default=None, foreign_key="survey.id")
    source: str = Field(default="enkat", max_length=32)  # enkat | trygghetsvandring
    lat: float
    lon: float
    area_id: Optional[int] = Field(default=None, foreign_key="area.id", index=True)
    reasons: str = Field(max_length=200)  # comma-separated codes: belysning, skymd_sikt, folktomt, personer, trafik
    created_at: datetime


class Meeting(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    forum: str = Field(max_length=200)
    held_on: date = Field(index=True)
    status: str = Field(default="planerat", max_length=16)
    participants: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON list of organisation codes
    minutes: Optional[str] = Field(default=None, sa_column=Column(Text))
    snapshot: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON of the figures shown, frozen at close
    closed_at: Optional[datetime] = None


class AgendaItem(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int
    kind: str = Field(max_length=32)  # uppfoljning, forandringar, hotspots, handelser, rapporter, ovrigt
    title: str = Field(max_length=300)
    body: Optional[str] = Field(default=None, sa_column=Column(Text))
    link: Optional[str] = Field(default=None, max_length=500)
    minutes: Optional[str] = Field(default=None, sa_column=Column(Text))


class Action(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    description: Optional[str] = Field(default=None, sa_column=Column(Text))
    area_id: Optional[int] = Field(default=None, foreign_key="area.id", index=True)
    place_id: Optional[int] = Field(default=None, foreign_key="place.id")
    h3_cells: Optional[str] = Field(default=None, sa_column=Column(Text))  # comma-separated cells chosen on the map
    owner_org_id: int = Field(foreign_key="organisation.id", index=True)
    responsible_user_id: Optional[int] = Field(default=None, foreign_key="user.id")
    status: str = Field(default="föreslagen", max_length=16, index=True)
    priority: int = 2  # 1 high, 2 normal, 3 low
    start_date: Optional[date] = None
    due_date: Optional[date] = None
    decided_meeting_id: Optional[int] = Field(default=None, foreign_key="meeting.id")
    version: int = 1  # optimistic locking: updates must name the version the editor saw
    created_at: datetime
    updated_at: datetime


class ActionCategory(SQLModel, table=True):
    action_id: int = Field(foreign_key="action.id", primary_key=True)
    category_id: int = Field(foreign_key="category.id", primary_key=True)


class ActionUpdate(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    user_id: Optional[int] = Field(default=None, foreign_key="user.id")
    at: datetime
    status_from: Optional[str] = Field(default=None, max_length=16)
    status_to: Optional[str] = Field(default=None, max_length=16)
    changes: Optional[str] = Field(default=None, sa_column=Column(Text))  # JSON {field: [old, new]}
    note: Optional[str] = Field(default=None, sa_column=Column(Text))


class Decision(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: Optional[int] = Field(default=None, foreign_key="agendaitem.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    action_id: Optional[int] = Field(default=None, foreign_key="action.id")


class Event(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    kind: str = Field(max_length=32)  # evenemang, högtid, skolavslutning, match, …
    starts_at: datetime = Field(index=True)
    ends_at: Optional[datetime] = None
    place_id: Optional[int] = Field(default=None, foreign_key="place.id")
    area_id: Optional[int] = Field(default=None, foreign_key="area.id")
    lat: Optional[float] = None
    lon: Optional[float] = None
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")


class AuditLog(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    user_id: Optional[int] = Field(default=None, foreign_key="user.id")
    username: Optional[str] = Field(default=None, max_length=100)
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    event: str = Field(max_length=32)  # login, login_failed, view_sensitive, export, import, edit, role_change
    object_type: Optional[str] = Field(default=None, max_length=32)
    object_id: Optional[str] = Field(default=None, max_length=64)
    detail: Optional[str] = Field(default=None, max_length=500)  # structured facts only, never free text


class RetentionRule(SQLModel, table=True):
    """How long one category's details are kept: after `coarsen_after_months` free text, coordinates, place and fine
    H3 cells are removed (the row still counts per area, day and 1.2 km cell); after `delete_after_months` the row
    is deleted. None: never. Categories without a row follow the defaults in data_layer/retention.py."""

    id: Optional[int] = Field(default=None, primary_key=True)
    category_id: int = Field(foreign_key="category.id", unique=True, index=True)
    coarsen_after_months: Optional[int] = None
    delete_after_months: Optional[int] = None
    updated_at: datetime
    updated_by: Optional[int] = Field(default=None, foreign_key="user.id")


class StoreInfo(SQLModel, table=True):
    """Key/value facts about the store itself: whether it holds the demo, its seed, the data version for caches."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)


class CategoryMapping(SQLModel, table=True):
    """How one source's own type (e.g. Polisen's "Misshandel, grov") maps onto our category; seeded, then editable."""

    __table_args__ = (UniqueConstraint("source_kind", "source_type", name="uq_categorymapping_source_type"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    source_kind: str = Field(max_length=32)  # polisen-json, police-uk-csv, …
    source_type: str = Field(max_length=128)
    category_code: str = Field(max_length=64)
    edited: bool = False  # True once a person changed it: re-seeding never overwrites it
