"""Local accounts: argon2 hashes, clear Swedish refusals, and lockout after repeated failures."""
import pytest
from sqlmodel import select

from data_layer.db import session_scope
from data_layer.models import AuditLog, Organisation, User
from data_layer.users import MAX_FAILED_LOGINS, UserError, add_user, authenticate


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
