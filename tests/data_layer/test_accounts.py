"""Account administration: only admins manage accounts, every change is audited without passwords, an admin cannot
lock themselves out of administration, and every user changes their own password."""
import pytest
from sqlmodel import select

from data_layer import accounts
from data_layer.db import session_scope
from data_layer.models import AuditLog, Organisation, User
from data_layer.scope import Scope
from data_layer.users import MAX_FAILED_LOGINS, UserError, add_user, authenticate

ADMIN_PW = "admins-lösenord-1"
NEW_PW = "ett-nytt-långt-lösen"


@pytest.fixture
def store(engine):
    """Two organisations, an admin and a samordnare; returns (engine, {name: Scope})."""
    with session_scope(engine) as session:
        session.add(Organisation(code="kommunen", name="Kommunen", kind="kommun"))
        session.add(Organisation(code="polisen", name="Polisen", kind="polis"))
    scopes = {}
    for name, role in (("admin", "admin"), ("samo", "samordnare")):
        add_user(engine, username=name, role=role, organisation_code="kommunen", password=ADMIN_PW)
        scopes[name] = authenticate(engine, username=name, password=ADMIN_PW).scope
    return engine, scopes


def create(engine, scope, **kw):
    args = dict(organisation_code="polisen", role="medlem", username="anna", display_name="Anna A",
                email="Anna@Example.se", password=NEW_PW) | kw
    return accounts.create_user(engine, scope=scope, **args)


def stored(engine, user_id) -> User:
    with session_scope(engine) as session:
        return session.get(User, user_id)


def audit_rows(engine) -> list[AuditLog]:
    with session_scope(engine) as session:
        return list(session.exec(select(AuditLog).order_by(AuditLog.id)))


def test_an_admin_creates_a_user_who_can_log_in_with_role_and_organisation(store):
    engine, s = store
    user_id = create(engine, s["admin"])
    user = authenticate(engine, username="anna", password=NEW_PW)
    assert user is not None and user.scope.user_id == user_id and user.scope.role == "medlem"
    assert user.organisation_name == "Polisen" and user.display_name == "Anna A"
    assert stored(engine, user_id).email == "Anna@Example.se"


def test_creating_a_user_is_audited_as_the_admin_with_role_and_never_the_password(store):
    engine, s = store
    user_id = create(engine, s["admin"])
    row = [a for a in audit_rows(engine) if a.event == "user_add"][-1]
    assert (row.user_id, row.username, row.object_type, row.object_id) == (s["admin"].user_id, "admin", "user",
                                                                           str(user_id))
    assert "role=medlem" in row.detail and "user=anna" in row.detail
    assert all(NEW_PW not in (a.detail or "") for a in audit_rows(engine))


@pytest.mark.parametrize("kwargs,needle", [
    ({"password": "kort-lösen"}, "minst 12 tecken"),
    ({"role": "kung"}, "Okänd roll"),
    ({"organisation_code": "saknas"}, "Okänd organisation"),
    ({"username": " "}, "tomt"),
    ({"username": "admin"}, "finns redan"),
    ({"email": "inte-en-adress"}, "ser inte giltig ut"),
    ({"email": "ANNA@example.se"}, None),  # second account below: the address is taken, whatever its case
])
def test_bad_account_data_is_refused_in_swedish_and_changes_nothing(store, kwargs, needle):
    engine, s = store
    if needle is None:
        create(engine, s["admin"], username="first")
        kwargs, needle = kwargs | {"username": "second"}, "används redan"
    with session_scope(engine) as session:
        before = len(session.exec(select(User)).all())
    with pytest.raises(UserError, match=needle):
        create(engine, s["admin"], **kwargs)
    with session_scope(engine) as session:
        assert len(session.exec(select(User)).all()) == before


def test_a_coordinator_may_not_create_change_or_unlock_accounts(store):
    engine, s = store
    target = create(engine, s["admin"])
    refusals = [
        lambda: create(engine, s["samo"], username="bertil"),
        lambda: accounts.change_role(engine, scope=s["samo"], user_id=target, role="admin"),
        lambda: accounts.set_active(engine, scope=s["samo"], user_id=target, active=False),
        lambda: accounts.unlock(engine, scope=s["samo"], user_id=target),
        lambda: accounts.reset_password(engine, scope=s["samo"], user_id=target, password="x" * 20),
    ]
    for refused in refusals:
        with pytest.raises(UserError, match="Bara en administratör"):
            refused()
    user = stored(engine, target)
    assert (user.role, user.active) == ("medlem", True)
    assert authenticate(engine, username="anna", password=NEW_PW) is not None


def test_an_admin_session_whose_account_lost_the_admin_role_can_no_longer_administer(store):
    engine, s = store
    other = create(engine, s["admin"], username="admin2", role="admin", email=None)
    other_scope = Scope(user_id=other, role="admin", organisation_id=s["admin"].organisation_id)
    accounts.change_role(engine, scope=s["admin"], user_id=other, role="lasare")
    with pytest.raises(UserError, match="Bara en administratör"):
        create(engine, other_scope, username="bertil")


def test_a_role_change_is_stored_and_audited_with_the_old_and_the_new_role(store):
    engine, s = store
    target = create(engine, s["admin"])
    accounts.change_role(engine, scope=s["admin"], user_id=target, role="analytiker")
    assert stored(engine, target).role == "analytiker"
    row = audit_rows(engine)[-1]
    assert (row.event, row.username, row.object_id) == ("role_change", "admin", str(target))
    assert row.detail == "user=anna; old=medlem; new=analytiker"


def test_an_admin_cannot_remove_their_own_admin_role_or_deactivate_themselves(store):
    engine, s = store
    me = s["admin"].user_id
    with pytest.raises(UserError, match="egen administratörsroll"):
        accounts.change_role(engine, scope=s["admin"], user_id=me, role="samordnare")
    with pytest.raises(UserError, match="ditt eget konto"):
        accounts.set_active(engine, scope=s["admin"], user_id=me, active=False)
    user = stored(engine, me)
    assert (user.role, user.active) == ("admin", True)


def test_a_deactivated_user_cannot_log_in_until_reactivated(store):
    engine, s = store
    target = create(engine, s["admin"])
    accounts.set_active(engine, scope=s["admin"], user_id=target, active=False)
    assert authenticate(engine, username="anna", password=NEW_PW) is None
    with pytest.raises(UserError, match="redan inaktiverad"):
        accounts.set_active(engine, scope=s["admin"], user_id=target, active=False)
    accounts.set_active(engine, scope=s["admin"], user_id=target, active=True)
    assert authenticate(engine, username="anna", password=NEW_PW) is not None
    details = [a.detail for a in audit_rows(engine) if a.event == "edit"]
    assert details == ["user=anna; deactivated", "user=anna; reactivated"]


def test_a_locked_out_user_gets_in_again_after_an_admin_unlocks_the_account(store):
    engine, s = store
    target = create(engine, s["admin"])
    for _ in range(MAX_FAILED_LOGINS):
        authenticate(engine, username="anna", password="fel")
    assert stored(engine, target).locked_until is not None
    assert authenticate(engine, username="anna", password=NEW_PW) is None
    accounts.unlock(engine, scope=s["admin"], user_id=target)
    user = stored(engine, target)
    assert (user.failed_logins, user.locked_until) == (0, None)
    assert authenticate(engine, username="anna", password=NEW_PW) is not None
    assert [a.detail for a in audit_rows(engine) if a.event == "edit"] == ["user=anna; unlocked"]


def test_a_password_reset_replaces_the_password_and_is_audited_without_it(store):
    engine, s = store
    target = create(engine, s["admin"])
    with pytest.raises(UserError, match="minst 12"):
        accounts.reset_password(engine, scope=s["admin"], user_id=target, password="kort")
    accounts.reset_password(engine, scope=s["admin"], user_id=target, password="återställt-lösen-9")
    assert authenticate(engine, username="anna", password=NEW_PW) is None
    assert authenticate(engine, username="anna", password="återställt-lösen-9") is not None
    rows = audit_rows(engine)
    assert "user=anna; password_reset" in [a.detail for a in rows]
    assert all("återställt" not in (a.detail or "") and "$argon2" not in (a.detail or "") for a in rows)


def test_an_unknown_user_id_gets_a_swedish_error(store):
    engine, s = store
    with pytest.raises(UserError, match="ingen användare med id 9999"):
        accounts.unlock(engine, scope=s["admin"], user_id=9999)


def test_any_user_changes_their_own_password_after_giving_the_current_one(store):
    engine, s = store
    create(engine, s["admin"], role="lasare")
    anna = authenticate(engine, username="anna", password=NEW_PW).scope
    accounts.change_own_password(engine, scope=anna, current=NEW_PW, new="mitt-eget-nya-lösen")
    assert authenticate(engine, username="anna", password=NEW_PW) is None
    assert authenticate(engine, username="anna", password="mitt-eget-nya-lösen") is not None
    changed = [a for a in audit_rows(engine) if a.event == "edit"][-1]
    assert (changed.username, changed.detail) == ("anna", "user=anna; password_changed")


@pytest.mark.parametrize("current,new,needle", [
    ("fel-lösenord", "mitt-eget-nya-lösen", "stämmer inte"),
    (NEW_PW, "kort", "minst 12"),
    (NEW_PW, NEW_PW, "skilja sig"),
])
def test_an_own_password_change_is_refused_without_the_right_current_or_a_good_new_one(store, current, new, needle):
    engine, s = store
    create(engine, s["admin"])
    anna = authenticate(engine, username="anna", password=NEW_PW).scope
    with pytest.raises(UserError, match=needle):
        accounts.change_own_password(engine, scope=anna, current=current, new=new)
    assert authenticate(engine, username="anna", password=NEW_PW) is not None


def test_a_wrong_current_password_is_audited_as_a_failed_attempt(store):
    engine, s = store
    create(engine, s["admin"])
    anna = authenticate(engine, username="anna", password=NEW_PW).scope
    with pytest.raises(UserError):
        accounts.change_own_password(engine, scope=anna, current="gissning", new="mitt-eget-nya-lösen")
    row = audit_rows(engine)[-1]
    assert (row.event, row.username, row.detail) == ("login_failed", "anna", "password_change_wrong_current")


def test_the_audit_log_filters_by_user_event_and_stockholm_dates_in_sql(store):
    from datetime import date, datetime, timezone

    from data_layer.queries.admin import audit_log

    engine, s = store
    target = create(engine, s["admin"])
    accounts.change_role(engine, scope=s["admin"], user_id=target, role="lasare")
    with session_scope(engine) as session:  # 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm
        session.add(AuditLog(at=datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc), username="gammal", event="login"))
    log = audit_log(engine, scope=s["admin"])
    assert set(log["username"].dropna()) == {"admin", "samo", "gammal"}
    assert list(audit_log(engine, scope=s["admin"], event="role_change")["detail"]) == [
        "user=anna; old=medlem; new=lasare"]
    assert set(audit_log(engine, scope=s["admin"], username="samo")["event"]) == {"login"}
    assert list(audit_log(engine, scope=s["admin"], date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))["username"]
                ) == ["gammal"]
    assert audit_log(engine, scope=s["admin"], date_from=date(2026, 3, 1), date_to=date(2026, 3, 1)).empty
    assert audit_log(engine, scope=s["samo"]).empty  # samordnare have no audit rights
