"""Account administration (admins only) and the own password change: each operation is one audited transaction.

Admin rights are checked twice: the session's scope must grant user/administer, and the acting account must still be
an active admin in the store (a session that outlived its admin role cannot administer). An admin may neither take
away their own admin role nor deactivate themselves, so the store always keeps at least one admin. Audit rows hold
usernames and roles, never passwords or hashes.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from data_layer import audit
from data_layer.db import session_scope
from data_layer.models import ROLES, Organisation, User
from data_layer.permissions import allowed
from data_layer.reference import bump_data_version
from data_layer.scope import Scope
from data_layer.users import UserError, hash_password, verify_password

MIN_PASSWORD_LENGTH = 12


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise UserError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"Okänd roll '{role}'. Välj en av: {', '.join(ROLES)}.")


def _admin(session: Session, scope: Scope) -> User:
    """The acting admin's row; refuses unless both the scope and the stored account are an active admin."""
    actor = session.get(User, scope.user_id) if scope.can("user", "administer") else None
    if actor is None or not actor.active or not allowed(actor.role, "user", "administer"):
        raise UserError("Bara en administratör får hantera användarkonton.")
    return actor


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserError(f"Det finns ingen användare med id {user_id}.")
    return user


def _record(session: Session, actor: User, *, event: str, target: User, detail: str) -> None:
    audit.record(session, event=event, user_id=actor.id, username=actor.username,
                 organisation_id=actor.organisation_id, object_type="user", object_id=target.id,
                 detail=f"user={target.username}; {detail}")


def create_user(engine: Engine, *, scope: Scope, organisation_code: str, role: str, username: str,
                display_name: str | None = None, email: str | None = None, password: str) -> int:
    """Create a local account (password of at least MIN_PASSWORD_LENGTH) and return its id; UserError on bad data."""
    username = (username or "").strip()
    email = (email or "").strip() or None
    if not username:
        raise UserError("Användarnamnet får inte vara tomt.")
    _check_role(role)
    if email is not None and ("@" not in email or " " in email):
        raise UserError(f"E-postadressen '{email}' ser inte giltig ut.")
    _check_password(password)
    with session_scope(engine) as session:
        actor = _admin(session, scope)
        org = session.exec(select(Organisation).where(Organisation.code == organisation_code)).first()
        if org is None:
            raise UserError(f"Okänd organisation '{organisation_code}'.")
        if session.exec(select(User).where(User.username == username)).first() is not None:
            raise UserError(f"Användaren '{username}' finns redan.")
        # single sign-on matches accounts on e-mail, so an address may belong to one account only
        if email and session.exec(select(User).where(func.lower(User.email) == email.lower())).first() is not None:
            raise UserError(f"E-postadressen '{email}' används redan av ett annat konto.")
        user = User(username=username, display_name=(display_name or "").strip() or username, email=email,
                    organisation_id=org.id, role=role, password_hash=hash_password(password),
                    created_at=datetime.now(timezone.utc))
        session.add(user)
        session.flush()
        _record(session, actor, event="user_add", target=user, detail=f"role={role}; org={org.code}")
        bump_data_version(session)
        return user.id


def change_role(engine: Engine, *, scope: Scope, user_id: int, role: str) -> None:
    """Give the user `role` (audited with the old and the new role); an admin cannot drop their own admin role."""
    _check_role(role)
    with session_scope(engine) as session:
        actor = _admin(session, scope)
        user = _target(session, user_id)
        if user.id == actor.id and role != actor.role:
            raise UserError("Du kan inte ta bort din egen administratörsroll. Be en annan administratör göra det.")
        if user.role == role:
            raise UserError(f"{user.username} har redan rollen {role}.")
        old, user.role = user.role, role
        _record(session, actor, event="role_change", target=user, detail=f"old={old}; new={role}")
        bump_data_version(session)


def set_active(engine: Engine, *, scope: Scope, user_id: int, active: bool) -> None:
    """Deactivate (no login, existing sessions end) or reactivate an account; an admin cannot deactivate themselves."""
    with session_scope(engine) as session:
        actor = _admin(session, scope)
        user = _target(session, user_id)
        if user.id == actor.id and not active:
            raise UserError("Du kan inte inaktivera ditt eget konto.")
        if user.active == active:
            raise UserError(f"{user.username} är redan {'aktiv' if active else 'inaktiverad'}.")
        user.active = active
        _record(session, actor, event="edit", target=user, detail="reactivated" if active else "deactivated")
        bump_data_version(session)


def unlock(engine: Engine, *, scope: Scope, user_id: int) -> None:
    """Lift a lockout after too many failed logins (clears failed_logins and locked_until)."""
    with session_scope(engine) as session:
        actor = _admin(session, scope)
        user = _target(session, user_id)
        user.failed_logins = 0
        user.locked_until = None
        _record(session, actor, event="edit", target=user, detail="unlocked")
        bump_data_version(session)


def reset_password(engine: Engine, *, scope: Scope, user_id: int, password: str) -> None:
    """Set a new password for the user (who should change it on first login) and lift any lockout."""
    _check_password(password)
    with session_scope(engine) as session:
        actor = _admin(session, scope)
        user = _target(session, user_id)
        user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        _record(session, actor, event="edit", target=user, detail="password_reset")
        bump_data_version(session)


def change_own_password(engine: Engine, *, scope: Scope, current: str, new: str) -> None:
    """Change the logged-in user's own password after verifying the current one; UserError otherwise."""
    _check_password(new)
    if new == current:
        raise UserError("Det nya lösenordet måste skilja sig från det nuvarande.")
    wrong = False
    with session_scope(engine) as session:
        user = session.get(User, scope.user_id)
        if user is None or not user.active:
            raise UserError("Ditt konto är inte aktivt.")
        if not user.password_hash:
            raise UserError("Ditt konto loggar in via organisationens konto och har inget lösenord i Lägesbild.")
        if not verify_password(user.password_hash, current or ""):
            wrong = True  # the refusal is audited, so this transaction must commit; raise after it
            audit.record(session, event="login_failed", user_id=user.id, username=user.username,
                         organisation_id=user.organisation_id, detail="password_change_wrong_current")
        else:
            user.password_hash = hash_password(new)
            audit.record(session, event="edit", user_id=user.id, username=user.username,
                         organisation_id=user.organisation_id, object_type="user", object_id=user.id,
                         detail=f"user={user.username}; password_changed")
    if wrong:
        raise UserError("Det nuvarande lösenordet stämmer inte.")
