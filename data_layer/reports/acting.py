"""Who a report is made for: a named user's Scope, so a report shows exactly what that user may see.

The command line acts as --user USERNAME; without it as the forum's coordinator: the first active user with the
role samordnare (the role that owns the forum's reports), else the first active admin. The reports hold only
aggregates, action titles and meeting texts, never an incident's free text or position, so the choice of user
decides the permission gates (meeting rights, which actions are readable), not row-level detail."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_layer.models import Organisation, User
from data_layer.scope import Scope

DEFAULT_ROLES = ("samordnare", "admin")


class ReportError(ValueError):
    """A problem with the report request, in Swedish (the CLI prints it and exits with code 2)."""


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    organisation_code: str
    organisation_name: str
    scope: Scope


def actor(engine: Engine, username: str | None = None) -> Actor:
    """The named active user (or the default coordinator) with their scope; ReportError when there is none."""
    stmt = (select(User.id, User.username, User.display_name, User.role, User.organisation_id, Organisation.code,
                   Organisation.name)
            .join(Organisation, User.organisation_id == Organisation.id).where(User.active.is_(True)))
    with engine.connect() as conn:
        if username is not None:
            row = conn.execute(stmt.where(User.username == username.strip())).first()
            if row is None:
                raise ReportError(f"Okänd eller inaktiv användare '{username}'.")
        else:
            row = None
            for role in DEFAULT_ROLES:
                row = conn.execute(stmt.where(User.role == role).order_by(User.id).limit(1)).first()
                if row is not None:
                    break
            if row is None:
                raise ReportError("Det finns ingen aktiv samordnare eller administratör; ange --user ANVÄNDARNAMN.")
    return Actor(username=row.username, display_name=row.display_name, organisation_code=row.code,
                 organisation_name=row.name,
                 scope=Scope(user_id=row.id, role=row.role, organisation_id=row.organisation_id))
