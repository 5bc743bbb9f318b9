"""Local accounts: argon2 password hashes, adding users, and authenticating with lockout after repeated failures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func
from sqlmodel import select

from data_layer import audit
from data_layer.rls import acting_for_login
from data_layer.db import session_scope
from data_layer.models import ROLES, Organisation, User
from data_layer.scope import Scope

_HASHER = PasswordHasher()
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class UserError(ValueError):
    """A user-facing problem with account data (message in Swedish)."""


@dataclass(frozen=True)
class AuthenticatedUser:
    """What the app keeps about a logged-in user: display facts plus the scope that limits every read."""

    username: str
    display_name: str
    organisation_name: str
    scope: Scope
    has_password: bool = True  # False for single-sign-on accounts without a local password (no password change)


def hash_password(password: str) -> str:
    """Return an argon2 hash of `password`."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches the argon2 `password_hash`."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def add_user(engine: Engine, *, username: str, role: str, organisation_code: str, password: str,
             display_name: str | None = None) -> int:
    """Create a local account and return its id; raises UserError for an unknown role or organisation or a taken name."""
    username = username.strip()
    if not username:
        raise UserError("Användarnamnet får inte vara tomt.")
    if role not in ROLES:
        raise UserError(f"Okänd roll '{role}'. Välj en av: {', '.join(ROLES)}.")
    if len(password) < 4:
        raise UserError("Lösenordet måste ha minst 4 tecken.")
    with session_scope(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.code == organisation_code)).first()
        if org is None:
            raise UserError(f"Okänd organisation '{organisation_code}'.")
        if session.exec(select(User).where(User.username == username)).first() is not None:
            raise UserError(f"Användaren '{username}' finns redan.")
        user = User(username=username, display_name=display_name or username, organisation_id=org.id, role=role,
                    password_hash=hash_password(password), created_at=datetime.now(timezone.utc))
        session.add(user)
        session.flush()
        audit.record(session, event="user_add", object_type="user", object_id=user.id, detail=f"role={role}")
        return user.id


def authenticate(engine: Engine, *, username: str, password: str) -> AuthenticatedUser | None:
    """Return the user when the password matches an active, unlocked account; count failures and lock after too many."""
    now = datetime.now(timezone.utc)
    with acting_for_login(username), session_scope(engine) as session:  # on PostgreSQL: only this account's rows
        user = session.exec(select(User).where(User.username == username.strip())).first()
        if user is None or not user.active or not user.password_hash:
            audit.record(session, event="login_failed", username=username[:100], detail="unknown_or_inactive")
            return None
        if user.locked_until is not None and user.locked_until > now:
            audit.record(session, event="login_failed", user_id=user.id, username=user.username, detail="locked")
            return None
        try:
            _HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            audit.record(session, event="login_failed", user_id=user.id, username=user.username,
                         organisation_id=user.organisation_id, detail="bad_password")
            return None
        user.failed_logins = 0
        user.locked_until = None
        org = session.get(Organisation, user.organisation_id)
        audit.record(session, event="login", user_id=user.id, username=user.username, organisation_id=user.organisation_id)
        return AuthenticatedUser(username=user.username, display_name=user.display_name, organisation_name=org.name,
                                 scope=Scope(user_id=user.id, role=user.role, organisation_id=user.organisation_id))


def authenticate_identity(engine: Engine, *, subject: str, email: str | None) -> AuthenticatedUser | None:
    """Return the active user a single-sign-on identity belongs to (matched on oidc_subject, else on e-mail without
    case, storing the subject on that first match), or None; audited as login / login_failed."""
    subject = (subject or "").strip()
    email = (email or "").strip()
    with acting_for_login(subject, email=email), session_scope(engine) as session:  # PostgreSQL: only these rows
        user = session.exec(select(User).where(User.oidc_subject == subject)).first() if subject else None
        if user is None and subject and email:
            matches = session.exec(select(User).where(func.lower(User.email) == email.lower())).all()
            # an address shared by two accounts, or one already tied to another identity, proves nothing
            if len(matches) == 1 and matches[0].oidc_subject is None:
                user = matches[0]
                user.oidc_subject = subject
        if user is None or not user.active:
            audit.record(session, event="login_failed", user_id=user.id if user else None,
                         username=user.username if user else (email or subject)[:100] or None,
                         detail="sso_inactive" if user else "sso_unknown")
            return None
        # SSO skips the local lockout on purpose: the lockout guards the password, which is not used here
        org = session.get(Organisation, user.organisation_id)
        audit.record(session, event="login", user_id=user.id, username=user.username,
                     organisation_id=user.organisation_id, detail="sso")
        return AuthenticatedUser(username=user.username, display_name=user.display_name, organisation_name=org.name,
                                 scope=Scope(user_id=user.id, role=user.role, organisation_id=user.organisation_id),
                                 has_password=bool(user.password_hash))


def still_valid(engine: Engine, *, user_id: int, role: str) -> bool:
    """True while the account behind a session exists, is active and still holds `role` (checked on every run)."""
    with engine.connect() as conn:
        row = conn.execute(select(User.active, User.role).where(User.id == user_id)).first()
    return row is not None and bool(row[0]) and row[1] == role
