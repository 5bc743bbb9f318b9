"""The Admin page: an admin creates and manages accounts and filters the audit log; a coordinator only looks; the
login page offers single sign-on only when [auth] is configured; every user changes their own password."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analysis.periods import today_stockholm
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
NEW_PASSWORD = "ett-långt-startlösen"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"}


def log_in(username: str, password: str = "demo", at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


def on_login_page(at: AppTest) -> bool:
    return "login_username" in [w.key for w in at.text_input]


def admin_page(username: str = "admin") -> AppTest:
    at = log_in(username)
    assert not on_login_page(at)
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, name: str):
    """The users or audit table: AppTest gives read-only dataframes no key, so tell them apart by a column."""
    column = {"users": "E-post", "audit": "Händelse"}[name]
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) <= 1
    return found[0] if found else None


def sql(path: str, query: str, *params):
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchone()


def create_user(at: AppTest, username: str, role: str = "medlem", password: str = NEW_PASSWORD,
                again: str | None = None) -> AppTest:
    at.text_input(key="new_user_username").input(username)
    at.text_input(key="new_user_display_name").input("Nina Ny")
    at.selectbox(key="new_user_role").select(role)
    at.text_input(key="new_user_email").input(f"{username}@example.se")
    at.text_input(key="new_user_password").input(password)
    at.text_input(key="new_user_password_again").input(password if again is None else again)
    at.button(key="new_user_submit").click().run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, store: str, username: str) -> AppTest:
    (user_id,) = sql(store, "SELECT id FROM user WHERE username = ?", username)
    at.selectbox(key="manage_user").select(user_id).run()
    return at


def _signed_in_by_sso(*, sub: str, email: str):
    """The app with SSO configured, run for a user the identity provider has signed in as `sub` / `email`."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "sub": sub, "email": email}
    return at.run()


def test_an_admin_creates_a_user_through_the_form_who_then_logs_in(own_store):
    at = create_user(admin_page(), "nina", role="analytiker")
    assert [s.value for s in at.success] == ["Användaren nina är skapad."]
    assert at.text_input(key="new_user_username").value == ""  # the form is empty for the next one
    assert "nina" in list(table(at, "users")["Användarnamn"])
    org, role, email = sql(own_store, "SELECT o.code, u.role, u.email FROM user u "
                                      "JOIN organisation o ON o.id = u.organisation_id WHERE u.username = 'nina'")
    assert (role, email) == ("analytiker", "nina@example.se") and org
    nina = log_in("nina", NEW_PASSWORD)
    assert not on_login_page(nina)
    assert any("Nina Ny" in c.value for c in nina.sidebar.caption)


@pytest.mark.parametrize("password,again,message", [
    ("kort", "kort", "Lösenordet måste ha minst 12 tecken."),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "De två nya lösenorden är inte lika."),
])
def test_a_bad_new_account_gets_a_swedish_error_and_is_not_created(own_store, password, again, message):
    at = create_user(admin_page(), "nina", password=password, again=again)
    assert [e.value for e in at.error] == [message]
    assert sql(own_store, "SELECT COUNT(*) FROM user WHERE username = 'nina'") == (0,)


def test_an_admin_changes_a_role_and_deactivates_an_account_which_then_cannot_log_in(own_store):
    at = choose(admin_page(), own_store, "polis")
    at.selectbox(key="manage_role").select("lasare")
    at.button(key="manage_role_submit").click().run()
    assert [s.value for s in at.success] == ["polis har nu rollen läsare."]
    at = choose(at, own_store, "polis")
    at.button(key="manage_deactivate").click().run()
    assert [s.value for s in at.success] == ["polis är inaktiverad och kan inte logga in."]
    assert sql(own_store, "SELECT role, active FROM user WHERE username = 'polis'") == ("lasare", 0)
    assert on_login_page(log_in("polis"))
    events = [r[0] for r in sqlite3.connect(own_store).execute(
        "SELECT detail FROM auditlog WHERE object_type = 'user' ORDER BY id")]
    assert events[-2:] == ["user=polis; old=analytiker; new=lasare", "user=polis; deactivated"]


def test_an_admin_cannot_deactivate_themselves_and_is_told_why(own_store):
    at = choose(admin_page(), own_store, "admin")
    at.button(key="manage_deactivate").click().run()
    assert [e.value for e in at.error] == ["Du kan inte inaktivera ditt eget konto."]
    assert sql(own_store, "SELECT active FROM user WHERE username = 'admin'") == (1,)


def test_a_locked_out_user_is_unlocked_and_given_a_new_password_by_the_admin(own_store):
    for _ in range(5):
        log_in("polis", "fel-lösenord")
    assert on_login_page(log_in("polis"))  # locked: even the right password is refused
    at = choose(admin_page(), own_store, "polis")
    assert any(c.value.startswith("polis: analytiker, låst till") for c in at.caption)
    at.button(key="manage_unlock").click().run()
    assert [s.value for s in at.success] == ["polis är upplåst."]
    at = choose(at, own_store, "polis")
    at.text_input(key="manage_password").input("polisens-nya-lösen")
    at.button(key="manage_password_submit").click().run()
    assert [s.value for s in at.success][0].startswith("polis har fått ett nytt lösenord.")
    assert on_login_page(log_in("polis"))
    assert not on_login_page(log_in("polis", "polisens-nya-lösen"))


def test_a_coordinator_sees_the_accounts_but_no_management_and_no_audit_log(own_store):
    at = admin_page("samordnare")
    assert at.info[0].value == "Du ser administrationen utan att kunna ändra."
    assert len(table(at, "users")) == sql(own_store, "SELECT COUNT(*) FROM user")[0]
    keys = {w.key for w in [*at.text_input, *at.selectbox, *at.button]}
    assert not keys & {"new_user_username", "manage_user", "manage_role", "manage_unlock", "new_user_submit"}
    assert table(at, "audit") is None


def test_the_audit_filters_narrow_the_rows_to_one_user_and_event_type(own_store):
    log_in("polis", "fel-lösenord")
    at = admin_page()
    assert "kan inte ändras" in " ".join(i.value for i in at.info)
    everything = table(at, "audit")
    assert {"admin", "polis"} <= set(everything["Användare"])
    at.selectbox(key="audit_user").select("polis").run()
    only_polis = table(at, "audit")
    assert set(only_polis["Användare"]) == {"polis"} and len(only_polis) < len(everything)
    at.selectbox(key="audit_event").select("login").run()
    assert table(at, "audit").empty  # polis only failed
    at.selectbox(key="audit_user").select("").run()
    logins = table(at, "audit")
    assert set(logins["Händelse"]) == {"inloggning"} and "admin" in set(logins["Användare"])
    long_ago = today_stockholm() - timedelta(days=5 * 365)
    at.date_input(key="audit_dates").set_value((long_ago, long_ago + timedelta(days=1))).run()
    assert table(at, "audit").empty  # nothing was logged back then
    at.date_input(key="audit_dates").set_value((today_stockholm(), today_stockholm())).run()
    assert set(table(at, "audit")["Användare"]) >= {"admin"}


def sidebar_ready(at: AppTest) -> AppTest:
    """One more run after logging in: the first run after login still carries the login page's script hash, which
    Streamlit puts into widget ids, so a sidebar widget clicked right away would not be recognised."""
    return at.run()


def _change_own_password(*, current: str, new: str):
    """lasare fills in the sidebar's password form (the new one twice) and submits it."""
    at = sidebar_ready(log_in("lasare"))
    at.text_input(key="own_password_current").input(current)
    at.text_input(key="own_password_new").input(new)
    at.text_input(key="own_password_again").input(new)
    return at.button(key="own_password_submit").click().run()


def test_every_logged_in_user_changes_their_own_password_in_the_sidebar(own_store):
    at = _change_own_password(current="demo", new="läsarens-nya-lösen")
    assert [s.value for s in at.sidebar.success] == ["Ditt lösenord är bytt."]
    assert on_login_page(log_in("lasare"))
    assert not on_login_page(log_in("lasare", "läsarens-nya-lösen"))


def test_a_wrong_current_password_changes_nothing_and_says_so(own_store):
    at = _change_own_password(current="fel", new="läsarens-nya-lösen")
    assert [e.value for e in at.sidebar.error] == ["Det nuvarande lösenordet stämmer inte."]
    assert not on_login_page(log_in("lasare"))


def test_without_auth_settings_the_login_page_offers_no_single_sign_on(own_store):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "login_sso" not in [b.key for b in at.button]
    assert at.text_input(key="login_username")


def test_with_auth_settings_the_login_page_offers_single_sign_on_beside_the_local_form(own_store):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.run()
    assert at.button(key="login_sso").label == "Logga in med organisationens konto"
    assert at.text_input(key="login_username")
    assert not on_login_page(log_in("samordnare", at=at))  # local login keeps working alongside


def test_an_identity_returned_by_the_provider_is_let_in_when_its_email_matches_an_account(own_store):
    with sqlite3.connect(own_store) as conn:
        conn.execute("UPDATE user SET email = 'Polis@Example.se' WHERE username = 'polis'")
    at = _signed_in_by_sso(sub="entra-42", email="polis@example.se")
    assert not at.exception, at.exception
    assert not on_login_page(at)
    assert sql(own_store, "SELECT oidc_subject FROM user WHERE username = 'polis'") == ("entra-42",)
    assert "own_password_current" in [w.key for w in at.text_input]  # polis also has a local password


def test_an_unknown_identity_is_refused_with_a_swedish_message_and_a_logout(own_store):
    at = _signed_in_by_sso(sub="entra-x", email="okand@example.se")
    assert not at.exception, at.exception
    # AppTest gives the Markdown source: the address is escaped, so it shows as written
    assert [e.value for e in at.error] == [
        "Ditt konto (okand@example\\.se) finns inte i Lägesbild eller är inaktiverat; kontakta samordnaren."]
    assert at.button(key="sso_logout")
    assert "login_username" not in [w.key for w in at.text_input] and not at.dataframe


def test_an_identity_providers_address_is_shown_as_text_never_as_a_link(own_store):
    at = _signed_in_by_sso(sub="entra-y", email="[klicka](javascript:alert(1))@x.se")
    assert not at.exception, at.exception
    (shown,) = [e.value for e in at.error]
    assert "\\[klicka\\]\\(javascript\\:alert\\(1\\)\\)@x\\.se" in shown
    assert "](javascript" not in shown  # no Markdown link can form
