"""The shared incident filter: a frozen, hashable value that keys caches and turns into WHERE clauses."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from data_layer.models import Area, Category, Incident, Organisation


@dataclass(frozen=True)
class IncidentFilter:
    """Period (Europe/Stockholm local dates, both inclusive, on Incident.occurred_date) and optional code lists."""

    start: date
    end: date
    area_codes: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()
    source_codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("Periodens startdatum ligger efter slutdatumet.")
        for name in ("area_codes", "category_codes", "source_codes"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))

    @property
    def days(self) -> int:
        """Number of days in the period (inclusive)."""
        return (self.end - self.start).days + 1

    def previous(self) -> "IncidentFilter":
        """The equally long period immediately before this one, with the same code lists."""
        return replace(self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))

    def with_period(self, start: date, end: date) -> "IncidentFilter":
        """The same code lists over another period."""
        return replace(self, start=start, end=end)


def area_ids_matching(codes: tuple[str, ...]):
    """A subquery of the ids of the areas named by `codes` and of the areas below them (up to three levels down)."""
    parent, grand, great = aliased(Area), aliased(Area), aliased(Area)
    return (select(Area.id)
            .outerjoin(parent, Area.parent_id == parent.id)
            .outerjoin(grand, parent.parent_id == grand.id)
            .outerjoin(great, grand.parent_id == great.id)
            .where(or_(Area.code.in_(codes), parent.code.in_(codes), grand.code.in_(codes), great.code.in_(codes))))


def incident_conditions(flt: IncidentFilter, *, period: bool = True) -> list[ColumnElement[bool]]:
    """WHERE conditions on Incident for `flt` (the period only when `period`)."""
    conds: list[ColumnElement[bool]] = []
    if period:
        conds += [Incident.occurred_date >= flt.start, Incident.occurred_date <= flt.end]
    if flt.area_codes:
        conds.append(Incident.area_id.in_(area_ids_matching(flt.area_codes)))
    if flt.category_codes:
        conds.append(Incident.category_id.in_(select(Category.id).where(Category.code.in_(flt.category_codes))))
    if flt.source_codes:
        conds.append(Incident.source_org_id.in_(select(Organisation.id).where(Organisation.code.in_(flt.source_codes))))
    return conds
