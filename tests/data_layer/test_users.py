"""Local accounts: argon2 hashes, clear Swedish refusals, and lockout after repeated failures."""
import pytest
from sqlmodel import select

from data_layer.db import session_scope
from data_layer.models import AuditLog, Organisation, User
from data_layer.users import MAX_FAILED_LOGINS, UserError, add_user, authenticate, authenticate_identity, still_valid


@pytest.fixture
def with_org(engine):
    with session_scope(engine) as session:
        session.add(Organisation(code="kommunen", name="Kommunen", kind="kommun"))
    return engine


def test_an_added_user_logs_in_with_a_scope_of_role_and_organisation(with_org):
    user_id = add_user(with_org, username="anna", role="samordnare", organisation_code="kommunen", password="hemligt")
    user = authenticate(with_org, username="anna", password="hemligt")
    assert user is not None and user.scope.user_id == user_id and user.scope.role == "samordnare"
    with session_scope(with_org) as session:
        stored = session.exec(select(User)).one()
    assert stored.password_hash.startswith("$argon2") and "hemligt" not in stored.password_hash


def test_a_wrong_password_is_refused_and_audited(with_org):
    add_user(with_org, username="anna", role="medlem", organisation_code="kommunen", password="hemligt")
    assert authenticate(with_org, username="anna", password="fel") is None
    with session_scope(with_org) as session:
        events = [a.event for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert events[-1] == "login_failed"


def test_repeated_failures_lock_the_account_even_for_the_right_password(with_org):
    add_user(with_org, username="anna", role="medlem", organisation_code="kommunen", password="hemligt")
    for _ in range(MAX_FAILED_LOGINS):
        assert authenticate(with_org, username="anna", password="fel") is None
    assert authenticate(with_org, username="anna", password="hemligt") is None


@pytest.mark.parametrize("kwargs,needle", [
    ({"role": "kung"}, "Okänd roll"),
    ({"organisation_code": "saknas"}, "Okänd organisation"),
    ({"username": "  "}, "tomt"),
    ({"password": "x"}, "minst"),
])
def test_bad_account_data_gets_a_swedish_error(with_org, kwargs, needle):
    args = {"username": "anna", "role": "medlem", "organisation_code": "kommunen", "password": "hemligt"} | kwargs
    with pytest.raises(UserError, match=needle):
        add_user(with_org, **args)


def test_a_username_cannot_be_taken_twice(with_org):
    add_user(with_org, username="anna", role="medlem", organisation_code="kommunen", password="hemligt")
    with pytest.raises(UserError, match="finns redan"):
        add_user(with_org, username="anna", role="lasare", organisation_code="kommunen", password="hemligt")


# single sign-on: an identity from the provider is matched to an account, never creates one
def sso_user(engine, **kw) -> int:
    user_id = add_user(engine, username="anna", role="medlem", organisation_code="kommunen", password="hemligt")
    with session_scope(engine) as session:
        user = session.get(User, user_id)
        for key, value in ({"email": "Anna.Andersson@Kommunen.se"} | kw).items():
            setattr(user, key, value)
    return user_id


def test_an_identity_is_matched_on_its_stored_subject(with_org):
    user_id = sso_user(with_org, oidc_subject="sub-123", email=None)
    user = authenticate_identity(with_org, subject="sub-123", email="någon.annan@example.se")
    assert user is not None and user.scope.user_id == user_id and user.scope.role == "medlem"
    assert user.has_password


def test_an_identity_is_matched_on_email_without_case_and_its_subject_is_stored(with_org):
    user_id = sso_user(with_org, password_hash=None)
    user = authenticate_identity(with_org, subject="sub-9", email="anna.andersson@kommunen.SE")
    assert user is not None and user.scope.user_id == user_id and not user.has_password
    with session_scope(with_org) as session:
        assert session.get(User, user_id).oidc_subject == "sub-9"
        last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.event, last.username, last.detail) == ("login", "anna", "sso")


def test_an_email_already_tied_to_another_subject_does_not_let_a_new_identity_in(with_org):
    sso_user(with_org, oidc_subject="sub-123")
    assert authenticate_identity(with_org, subject="sub-evil", email="anna.andersson@kommunen.se") is None


def test_an_unknown_identity_gets_no_access_and_a_failed_login_in_the_audit(with_org):
    sso_user(with_org)
    assert authenticate_identity(with_org, subject="sub-x", email="okand@example.se") is None
    with session_scope(with_org) as session:
        last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert session.exec(select(User).where(User.oidc_subject == "sub-x")).first() is None
    assert (last.event, last.username, last.detail) == ("login_failed", "okand@example.se", "sso_unknown")


def test_an_inactive_account_gets_no_access_through_single_sign_on(with_org):
    sso_user(with_org, oidc_subject="sub-123", active=False)
    assert authenticate_identity(with_org, subject="sub-123", email="anna.andersson@kommunen.se") is None
    with session_scope(with_org) as session:
        last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.event, last.detail) == ("login_failed", "sso_inactive")


def test_a_session_stays_valid_only_while_its_account_is_active_with_the_same_role(with_org):
    user_id = sso_user(with_org)
    assert still_valid(with_org, user_id=user_id, role="medlem")
    assert not still_valid(with_org, user_id=user_id, role="admin")
    assert not still_valid(with_org, user_id=user_id + 100, role="medlem")
    with session_scope(with_org) as session:
        session.get(User, user_id).active = False
    assert not still_valid(with_org, user_id=user_id, role="medlem")
