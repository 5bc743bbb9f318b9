"""The one place for SQL dialect differences: calendar buckets of a DATE column and string aggregation.

Each construct compiles per dialect. Its parameters (the bucket `period`) are part of SQLAlchemy's statement
cache key, so a weekly statement is never silently reused for a monthly one.
"""
from __future__ import annotations

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

PERIODS = ("week", "month")


class date_bucket(ColumnElement):
    """The first day of the ISO week (Monday) or calendar month containing a DATE column's value, as a DATE."""

    inherit_cache = True
    type = Date()
    _traverse_internals = [("col", InternalTraversal.dp_clauseelement), ("period", InternalTraversal.dp_string)]

    def __init__(self, col, period: str = "week") -> None:
        if period not in PERIODS:
            raise ValueError(f"Okänd period: {period!r}")
        self.col = col
        self.period = period

    @property
    def _from_objects(self):
        return self.col._from_objects


def week_start(col) -> date_bucket:
    """Monday of the ISO week containing the DATE column `col`."""
    return date_bucket(col, "week")


def month_start(col) -> date_bucket:
    """First day of the month containing the DATE column `col`."""
    return date_bucket(col, "month")


@compiles(date_bucket, "sqlite")
def _bucket_sqlite(element, compiler, **kw):
    col = compiler.process(element.col, **kw)
    if element.period == "month":
        return f"date({col}, 'start of month')"
    # strftime('%w') is 0 for Sunday … 6 for Saturday; (w + 6) % 7 is the number of days since Monday.
    return f"date({col}, '-' || ((CAST(strftime('%w', {col}) AS INTEGER) + 6) % 7) || ' days')"


@compiles(date_bucket, "postgresql")
def _bucket_postgresql(element, compiler, **kw):
    col = compiler.process(element.col, **kw)
    # Cast to timestamp WITHOUT time zone first: date_trunc on timestamptz would truncate in the session zone.
    return f"CAST(date_trunc('{element.period}', CAST({col} AS TIMESTAMP)) AS DATE)"


@compiles(date_bucket)
def _bucket_default(element, compiler, **kw):
    raise NotImplementedError(f"date_bucket is not implemented for {compiler.dialect.name}")


class string_agg(ColumnElement):
    """Concatenate the non-null values of a column within each group, separated by `sep` (order unspecified)."""

    inherit_cache = True
    type = String()
    _traverse_internals = [("col", InternalTraversal.dp_clauseelement), ("sep", InternalTraversal.dp_string)]

    def __init__(self, col, sep: str = ",") -> None:
        if "'" in sep:
            raise ValueError("separator may not contain quotes")
        self.col = col
        self.sep = sep

    @property
    def _from_objects(self):
        return self.col._from_objects


@compiles(string_agg, "sqlite")
def _string_agg_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.col, **kw)}, '{element.sep}')"


@compiles(string_agg, "postgresql")
def _string_agg_postgresql(element, compiler, **kw):
    return f"string_agg(CAST({compiler.process(element.col, **kw)} AS TEXT), '{element.sep}')"


class _unary(ColumnElement):
    """Base for one-column dialect constructs below."""

    inherit_cache = True
    _traverse_internals = [("col", InternalTraversal.dp_clauseelement)]

    def __init__(self, col) -> None:
        self.col = col

    @property
    def _from_objects(self):
        return self.col._from_objects


class iso_weekday(_unary):
    """The ISO weekday of a DATE column counted from 0 (Monday) to 6 (Sunday), as an INTEGER."""

    inherit_cache = True
    type = Integer()


class epoch_seconds(_unary):
    """Whole seconds since 1970-01-01 UTC of a stored (UTC) timestamp column, as an INTEGER."""

    inherit_cache = True
    type = Integer()


@compiles(iso_weekday, "sqlite")
def _weekday_sqlite(element, compiler, **kw):
    return f"((CAST(strftime('%w', {compiler.process(element.col, **kw)}) AS INTEGER) + 6) % 7)"


@compiles(iso_weekday, "postgresql")
def _weekday_postgresql(element, compiler, **kw):
    return f"(CAST(EXTRACT(ISODOW FROM {compiler.process(element.col, **kw)}) AS INTEGER) - 1)"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # SQLite keeps UTCDateTime as 'YYYY-MM-DD HH:MM:SS.ffffff' text in UTC; strftime('%s') reads it as UTC.
    return f"CAST(strftime('%s', {compiler.process(element.col, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element, compiler, **kw):
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.col, **kw)}) AS BIGINT)"
