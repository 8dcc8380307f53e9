"""Descope's official Python SDK, unchanged, against a real beckon-server.

Run by scripts/test.sh with the SDK installed in .venv (scripts/setup.sh installs it):
    .venv/bin/python -m pytest tests/conformance
"""

import json
import time
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from descope import AuthException, DescopeClient, RateLimitException

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(os.environ.get("BECKON_E2E_SERVER", ROOT / "target" / "debug" / "beckon-server"))


def server_env():
    # The server refuses BECKON_* variables it does not know; this run's own are not for it.
    return {k: v for k, v in os.environ.items() if not k.startswith("BECKON_")}


def start_server(*args, database="sqlite::memory:"):
    assert SERVER.exists(), f"{SERVER} is missing: build it first (scripts/test.sh does)"
    env = server_env()
    proc = subprocess.Popen(
        [str(SERVER), "--dev", "--listen", "127.0.0.1:0", "--database", database, *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        base = proc.stdout.readline().split()[-1]
        project_id = proc.stdout.readline().split()[-1]
        assert base.startswith("http://") and project_id.startswith("P"), (base, project_id)
        yield base, project_id
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def server():
    yield from start_server()


@pytest.fixture()
def limited_server():
    yield from start_server("--limit-send-per-login-id", "2/600")


def links_to(base, email):
    with urllib.request.urlopen(f"{base}/dev/outbox") as response:
        messages = json.load(response)
    message = next(m for m in messages if m["to"] == email and m["kind"] == "sign_in")
    return {
        link["number"]: urllib.parse.parse_qs(urllib.parse.urlparse(link["url"]).query)["t"][0]
        for link in message["links"]
    }


def test_sign_up_or_in_pending_verify_get_session_validate(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    email = "ada.python@example.com"

    started = client.enchantedlink.sign_up_or_in(login_id=email, uri="")
    assert started["maskedEmail"] == "a***@example.com"
    assert len(started["linkId"]) == 2

    # Pending is HTTP 401 with E062503, which the SDK's README polls on.
    with pytest.raises(AuthException) as pending:
        client.enchantedlink.get_session(started["pendingRef"])
    assert pending.value.status_code == 401
    assert "E062503" in str(pending.value)

    links = links_to(base, email)
    assert len(links) == 3 and started["linkId"] in links
    client.enchantedlink.verify(token=links[started["linkId"]])

    session = client.enchantedlink.get_session(started["pendingRef"])
    assert session["user"]["email"] == email
    session_jwt = session["sessionToken"]["jwt"]
    refresh_jwt = session["refreshSessionToken"]["jwt"]
    assert session_jwt and refresh_jwt

    validated = client.validate_session(session_jwt)
    assert validated["sub"] == session["user"]["userId"]
    assert validated["drn"] == "DS"
    assert validated["amr"] == ["email"]


def test_sign_in_of_an_unknown_user_fails_with_e062108(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    with pytest.raises(AuthException) as failure:
        client.enchantedlink.sign_in(login_id="nobody@example.com", uri="")
    assert "E062108" in str(failure.value)


def signed_in(client, base, email):
    started = client.enchantedlink.sign_up_or_in(login_id=email, uri="")
    client.enchantedlink.verify(token=links_to(base, email)[started["linkId"]])
    return client.enchantedlink.get_session(started["pendingRef"])


def test_refresh_me_and_logout(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    session = signed_in(client, base, "grace.python@example.com")
    refresh_jwt = session["refreshSessionToken"]["jwt"]

    refreshed = client.refresh_session(refresh_jwt)
    assert refreshed["sessionToken"]["drn"] == "DS"
    new_refresh = refreshed["refreshSessionToken"]["jwt"]
    assert new_refresh != refresh_jwt

    me = client.me(new_refresh)
    assert me["email"] == "grace.python@example.com"
    assert me["loginIds"] == ["grace.python@example.com"]

    client.logout(new_refresh)
    with pytest.raises(AuthException) as revoked:
        client.me(new_refresh)
    assert "E064001" in str(revoked.value)


def test_logout_all_ends_every_session(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    first = signed_in(client, base, "alan.python@example.com")["refreshSessionToken"]["jwt"]
    second = signed_in(client, base, "alan.python@example.com")["refreshSessionToken"]["jwt"]
    client.logout_all(first)
    with pytest.raises(AuthException) as revoked:
        client.me(second)
    assert "E064001" in str(revoked.value)


def only_link_token(base, to):
    with urllib.request.urlopen(f"{base}/dev/outbox") as response:
        messages = json.load(response)
    (link,) = next(m for m in messages if m["to"] == to and m["kind"] == "sign_in")["links"]
    return urllib.parse.parse_qs(urllib.parse.urlparse(link["url"]).query)["t"][0]


def test_magic_link_by_email_and_sms(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    from descope import DeliveryMethod

    masked = client.magiclink.sign_up_or_in(DeliveryMethod.EMAIL, "ada.magic@example.com", "beckon://auth")
    assert masked == "a***@example.com"
    session = client.magiclink.verify(only_link_token(base, "ada.magic@example.com"))
    assert session["user"]["email"] == "ada.magic@example.com"

    masked = client.magiclink.sign_up(DeliveryMethod.SMS, "+15551234589", "beckon://auth", {"name": "Grace"})
    assert masked.endswith("4589")
    session = client.magiclink.verify(only_link_token(base, "+15551234589"))
    assert session["user"]["phone"] == "+15551234589"
    assert session["user"]["name"] == "Grace"
    assert client.validate_session(session["sessionToken"]["jwt"])["amr"] == ["sms"]


def test_update_email_and_phone(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    from descope import DeliveryMethod

    session = signed_in(client, base, "ada.update@example.com")
    refresh_jwt = session["refreshSessionToken"]["jwt"]

    # Magic link: the new address is confirmed by its link, then replaces the old one.
    masked = client.magiclink.update_user_email("ada.update@example.com", "ada.new@example.com", refresh_jwt)
    assert masked == "a***@example.com"
    assert client.me(refresh_jwt)["email"] == "ada.update@example.com"
    updated = client.magiclink.verify(only_link_token(base, "ada.new@example.com"))
    assert updated["user"]["email"] == "ada.new@example.com"
    assert updated["user"]["loginIds"] == ["ada.update@example.com"]

    # Python's unsuffixed update-phone path, adding the number as a login ID.
    masked = client.magiclink.update_user_phone(
        DeliveryMethod.SMS, "ada.update@example.com", "+14155550100", refresh_jwt, add_to_login_ids=True
    )
    assert masked.endswith("0100")
    updated = client.magiclink.verify(only_link_token(base, "+14155550100"))
    assert updated["user"]["phone"] == "+14155550100"
    assert "+14155550100" in updated["user"]["loginIds"]

    # Enchanted link: three links, completed through get_session.
    started = client.enchantedlink.update_user_email(
        "ada.update@example.com", "ada.work@example.com", refresh_jwt, add_to_login_ids=True
    )
    client.enchantedlink.verify(token=links_to(base, "ada.work@example.com")[started["linkId"]])
    updated = client.enchantedlink.get_session(started["pendingRef"])
    assert updated["user"]["email"] == "ada.work@example.com"
    assert "ada.work@example.com" in updated["user"]["loginIds"]

    # Python-only enchanted update phone by SMS.
    started = client.enchantedlink.update_user_phone("ada.update@example.com", "+14155550111", refresh_jwt)
    assert started["maskedPhone"].endswith("0111")
    client.enchantedlink.verify(token=links_to(base, "+14155550111")[started["linkId"]])
    assert client.enchantedlink.get_session(started["pendingRef"])["user"]["phone"] == "+14155550111"


def test_login_options_custom_claims_and_stepup(server):
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    from descope import DeliveryMethod, LoginOptions, SignUpOptions

    email = "grace.claims@example.com"
    client.magiclink.sign_up_or_in(
        DeliveryMethod.EMAIL, email, "beckon://auth", SignUpOptions(custom_claims={"plan": "pro"})
    )
    session = client.magiclink.verify(only_link_token(base, email))
    assert client.validate_session(session["sessionToken"]["jwt"])["nsec"] == {"plan": "pro"}
    refresh_jwt = session["refreshSessionToken"]["jwt"]

    # The default LoginOptions() sends stepup/mfa false and customClaims null.
    client.magiclink.sign_in(DeliveryMethod.EMAIL, email, "beckon://auth", LoginOptions())
    client.magiclink.verify(only_link_token(base, email))

    # Step-up with the refresh JWT: the same user, a new session.
    client.magiclink.sign_in(DeliveryMethod.EMAIL, email, "beckon://auth", LoginOptions(stepup=True), refresh_jwt)
    stepped = client.magiclink.verify(only_link_token(base, email))
    assert stepped["user"]["userId"] == session["user"]["userId"]
    assert client.validate_session(stepped["sessionToken"]["jwt"])["amr"] == ["email"]


def test_a_rate_limit_is_the_sdks_rate_limit_exception(limited_server):
    base, project_id = limited_server
    client = DescopeClient(project_id=project_id, base_url=base)
    for _ in range(2):
        client.enchantedlink.sign_up_or_in(login_id="ada@example.com", uri="")
    with pytest.raises(RateLimitException) as raised:
        client.enchantedlink.sign_up_or_in(login_id="ada@example.com", uri="")
    # The SDK's quirk (docs/wire.md §8.1): status_code holds the errorCode.
    assert raised.value.status_code == "E130429"
    retry_after = raised.value.rate_limit_parameters["Retry-After"]
    assert 0 < retry_after <= 600


def test_after_a_no_on_the_phone_a_start_is_the_sdks_rate_limit_exception(server):
    """A "No" pauses sign-ins to the address (docs/wire.md §8.4); the SDK sees its 429."""
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    email = "nora.python@example.com"
    client.enchantedlink.sign_up_or_in(login_id=email, uri="")
    with urllib.request.urlopen(f"{base}/dev/outbox") as response:
        messages = json.load(response)
    url = next(m for m in messages if m["to"] == email and m["kind"] == "sign_in")["links"][0]["url"]
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["t"][0]
    form = urllib.parse.urlencode({"t": token, "answer": "no"}).encode()
    with urllib.request.urlopen(urllib.request.Request(url.split("?")[0], data=form)) as answer:
        assert answer.status == 200
    with pytest.raises(RateLimitException) as raised:
        client.enchantedlink.sign_up_or_in(login_id=email, uri="")
    assert raised.value.status_code == "E130429"
    assert 800 < raised.value.rate_limit_parameters["Retry-After"] <= 900


def test_claims_a_client_asks_for_grant_no_roles_or_permissions(server):
    """Anyone may start a sign-in with any customClaims: the SDK must not read rights in them."""
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    from descope import DeliveryMethod, SignUpOptions

    email = "mallory.claims@example.com"
    asked = {"roles": ["admin"], "permissions": ["delete-users"], "tenants": {"T1": {"roles": ["admin"]}}}
    client.magiclink.sign_up_or_in(DeliveryMethod.EMAIL, email, "beckon://auth", SignUpOptions(custom_claims=asked))
    session = client.magiclink.verify(only_link_token(base, email))
    validated = client.validate_session(session["sessionToken"]["jwt"])
    assert validated["nsec"] == asked
    assert not client.validate_roles(validated, ["admin"])
    assert not client.validate_permissions(validated, ["delete-users"])
    assert not client.validate_tenant_roles(validated, "T1", ["admin"])


@pytest.fixture()
def poll_limited_server():
    yield from start_server("--limit-poll-per-request", "3/60", "--limit-poll-per-ip", "off")


def test_polls_of_someone_elses_request_never_rate_limit_yours(poll_limited_server):
    """Anyone can start a sign-in for your address and poll it; that uses up only theirs."""
    base, project_id = poll_limited_server
    attacker = DescopeClient(project_id=project_id, base_url=base)
    theirs = attacker.enchantedlink.sign_up_or_in(login_id="victim.python@example.com", uri="")
    for _ in range(3):
        with pytest.raises(AuthException) as pending:
            attacker.enchantedlink.get_session(theirs["pendingRef"])
        assert "E062503" in str(pending.value)
    with pytest.raises(RateLimitException):
        attacker.enchantedlink.get_session(theirs["pendingRef"])

    victim = DescopeClient(project_id=project_id, base_url=base)
    mine = victim.enchantedlink.sign_up_or_in(login_id="victim.python@example.com", uri="")
    with pytest.raises(AuthException) as pending:
        victim.enchantedlink.get_session(mine["pendingRef"])
    assert not isinstance(pending.value, RateLimitException)
    assert "E062503" in str(pending.value)
    victim.enchantedlink.verify(token=links_to(base, "victim.python@example.com")[mine["linkId"]])
    assert victim.enchantedlink.get_session(mine["pendingRef"])["user"]["email"] == "victim.python@example.com"


def test_a_refresh_jwt_reused_after_the_grace_ends_the_session_for_every_holder(server):
    """RFC 9700: a replaced refresh JWT used again means two holders; the session ends for both.

    The grace is 30 seconds of real time, so this test waits that long.
    """
    base, project_id = server
    client = DescopeClient(project_id=project_id, base_url=base)
    first = signed_in(client, base, "reuse.python@example.com")["refreshSessionToken"]["jwt"]
    second = client.refresh_session(first)["refreshSessionToken"]["jwt"]
    time.sleep(31)
    with pytest.raises(AuthException):
        client.refresh_session(first)
    with pytest.raises(AuthException) as ended:
        client.refresh_session(second)
    assert "E064001" in str(ended.value)


@pytest.fixture()
def managed_server(tmp_path):
    """A server on a SQLite file, and a management key made for it by the CLI."""
    database = f"sqlite://{tmp_path / 'beckon.db'}"
    made = subprocess.run(
        [str(SERVER), "--database", database, "management-key", "create", "python", "--json"],
        capture_output=True, text=True, env=server_env(), check=True,
    )
    key = json.loads(made.stdout)["key"]
    for base, project_id in start_server(database=database):
        yield base, project_id, key


def test_management_users_and_audit_with_a_management_key(managed_server):
    base, project_id, key = managed_server
    client = DescopeClient(project_id=project_id, base_url=base, management_key=key)
    user = client.mgmt.user.create(login_id="mgmt.python@example.com", display_name="Py Thon")["user"]
    assert user["loginIds"] == ["mgmt.python@example.com"]
    assert user["name"] == "Py Thon" and user["status"] == "enabled"
    assert client.mgmt.user.load("mgmt.python@example.com")["user"]["userId"] == user["userId"]
    assert client.mgmt.user.load_by_user_id(user["userId"])["user"]["email"] == "mgmt.python@example.com"
    for n in range(3):
        client.mgmt.user.create(login_id=f"page{n}.python@example.com")
    first = client.mgmt.user.search_all(limit=2, page=0)
    second = client.mgmt.user.search_all(limit=2, page=1)
    assert len(first["users"]) == 2 and len(second["users"]) == 2
    assert {u["userId"] for u in first["users"]}.isdisjoint({u["userId"] for u in second["users"]})
    assert [u["email"] for u in client.mgmt.user.search_all(emails=["page1.python@example.com"])["users"]] == [
        "page1.python@example.com"
    ]

    # The user signs in; deactivate ends the session and refuses the next sign-in.
    session = signed_in(client, base, "mgmt.python@example.com")
    assert session["user"]["userId"] == user["userId"]
    refresh_jwt = session["refreshSessionToken"]["jwt"]
    assert client.mgmt.user.deactivate("mgmt.python@example.com")["user"]["status"] == "disabled"
    with pytest.raises(AuthException) as ended:
        client.refresh_session(refresh_jwt)
    assert ended.value.status_code == 401 and "E062120" in str(ended.value)
    with pytest.raises(AuthException) as refused:
        client.enchantedlink.sign_in(login_id="mgmt.python@example.com", uri="")
    assert "E062120" in str(refused.value)
    assert client.mgmt.user.activate("mgmt.python@example.com")["user"]["status"] == "enabled"

    # logout_user ends every session; delete removes the user.
    again = signed_in(client, base, "mgmt.python@example.com")["refreshSessionToken"]["jwt"]
    client.mgmt.user.logout_user("mgmt.python@example.com")
    with pytest.raises(AuthException) as logged_out:
        client.refresh_session(again)
    assert "E064001" in str(logged_out.value)
    client.mgmt.user.delete("page0.python@example.com")
    with pytest.raises(AuthException) as gone:
        client.mgmt.user.load("page0.python@example.com")
    assert "E062108" in str(gone.value)

    # A tenant filter is refused, never ignored.
    with pytest.raises(AuthException) as tenants:
        client.mgmt.user.search_all(tenant_ids=["T1"])
    assert tenants.value.status_code == 400 and "tenantIds" in str(tenants.value)

    # The audit trail, as the SDK reads it.
    audits = client.mgmt.audit.search(user_ids=[user["userId"]])["audits"]
    actions = [a["action"] for a in audits]
    for action in ["user.created", "link.confirmed", "session.collected", "user.disabled", "user.signed_out"]:
        assert action in actions, actions
    started = client.mgmt.audit.search(actions=["signin.started"], login_ids=["mgmt.python@example.com"])["audits"]
    assert started and all(a["loginIds"] == ["mgmt.python@example.com"] for a in started)
    assert started[0]["remoteAddress"] == "127.0.0.1"
    assert started[0]["occurred"].year >= 2026


def test_management_calls_without_a_key_a_wrong_one_or_a_users_jwt_are_refused(managed_server):
    base, project_id, key = managed_server
    client = DescopeClient(project_id=project_id, base_url=base, management_key=key)
    client.mgmt.user.create(login_id="victim.python@example.com")
    session = signed_in(client, base, "someone.python@example.com")
    for wrong in [
        "Kxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        session["refreshSessionToken"]["jwt"],
        session["sessionToken"]["jwt"],
    ]:
        intruder = DescopeClient(project_id=project_id, base_url=base, management_key=wrong)
        for attempt in [
            lambda: intruder.mgmt.user.delete("victim.python@example.com"),
            lambda: intruder.mgmt.user.load("victim.python@example.com"),
            lambda: intruder.mgmt.audit.search(),
        ]:
            with pytest.raises(AuthException) as refused:
                attempt()
            assert refused.value.status_code == 401 and "E062130" in str(refused.value)
    # Without any key (the project ID alone): refused the same.
    request = urllib.request.Request(
        f"{base}/v1/mgmt/user?loginId=victim.python%40example.com",
        headers={"Authorization": f"Bearer {project_id}"},
    )
    with pytest.raises(urllib.error.HTTPError) as bare:
        urllib.request.urlopen(request)
    assert bare.value.code == 401 and "E062130" in bare.value.read().decode()
    # And the victim is untouched.
    assert client.mgmt.user.load("victim.python@example.com")["user"]["loginIds"] == ["victim.python@example.com"]
