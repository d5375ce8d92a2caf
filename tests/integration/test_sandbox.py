"""wpe-sandbox against its contract (docs/sandbox.md): the ready file, the v1 API's auth,
pagination and errors, fault injection, and the OAuth 2.0 authorization server."""

import http.client
import os
import re
import ssl
import stat
import time
import urllib.parse

import pytest

from harness import wait_for
from harness.sandbox import Sandbox, pkce_pair

SITES = 2500
REDIRECT = "http://127.0.0.1:8123/callback"
READY_KEYS = {"api_url", "authorize_url", "token_url", "revoke_url", "ca_file", "api_key", "user",
              "password", "client_id", "confidential_client_id", "client_secret", "control_url",
              "control_token"}


@pytest.fixture(scope="module")
def sb(tmp_path_factory):
    with Sandbox().start(tmp_path_factory.mktemp("sandbox"), sites=SITES) as sandbox:
        yield sandbox


@pytest.fixture(autouse=True)
def clean(request):
    if "sb" in request.fixturenames:
        sandbox = request.getfixturevalue("sb")
        sandbox.clear_faults()
        sandbox.control("POST", "/latency", {"ms": 0})
        sandbox.reset_counters()


def code_from(location):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)


def exchange(sb, verifier, code, client_id=None, redirect_uri=REDIRECT, basic=None, **extra):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": verifier, **extra}
    if client_id:
        form["client_id"] = client_id
    return sb.token_request(form, basic=basic)


def refresh(sb, refresh_token, client_id=None):
    return sb.token_request({"grant_type": "refresh_token", "refresh_token": refresh_token,
                             "client_id": client_id or sb.client_id})


# -- ready file and credentials ----------------------------------------------------------------

def test_ready_file_is_private_and_has_exactly_the_documented_keys(sb):
    path = os.path.join(sb.state_dir, "sandbox.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert set(sb.info) == READY_KEYS
    assert sb.api_url == sb.origin + "/v1" and sb.origin.startswith("https://127.0.0.1:")
    assert sb.control_url == sb.origin + "/_sandbox"
    assert sb.ca_file == os.path.join(sb.state_dir, "ca.pem")
    for name in ("server-key.pem", "server-cert.pem"):
        assert stat.S_IMODE(os.stat(os.path.join(sb.state_dir, name)).st_mode) == 0o600


def test_secrets_carry_the_canary_and_non_secrets_do_not(sb):
    for key in ("api_key", "password", "client_secret"):
        assert sb.info[key].startswith("wpecanary"), key
    for key in ("control_token", "user", "client_id", "confidential_client_id"):
        assert "wpecanary" not in sb.info[key], key
    assert "wpecanary" not in open(sb.log_path, errors="replace").read()


def test_tls_is_verified_against_the_generated_ca(sb):
    status, _, _ = sb.get("/v1/status")
    assert status == 200
    conn = http.client.HTTPSConnection("127.0.0.1", urllib.parse.urlsplit(sb.origin).port,
                                       context=ssl.create_default_context(), timeout=10)
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/v1/status")
    conn.close()


# -- v1 API ----------------------------------------------------------------------------------

def test_bad_or_missing_credentials_get_401_bad_credentials(sb):
    for header in ("ApiKey wpecanary-ak-wrong", None, sb.basic_header(password="nope"), "Token x"):
        status, _, body = sb.get("/v1/sites", header)
        assert (status, body) == (401, {"message": "Bad Credentials"})


def test_api_key_and_basic_both_work(sb):
    for header in (sb.api_key_header(), sb.basic_header()):
        status, headers, body = sb.get("/v1/user", header)
        assert status == 200
        assert headers["content-type"].startswith("application/json")
        assert body["id"] == sb.user and body["email"]


def test_status_needs_no_credentials(sb):
    status, _, body = sb.get("/v1/status")
    assert status == 200 and body["success"] is True


def test_walk_all_pages_sees_every_site_exactly_once(sb):
    url, pages, seen = "/v1/sites", 0, []
    while url:
        status, _, page = sb.get(url, sb.api_key_header())
        assert status == 200
        assert page["count"] == SITES
        offset = pages * 100
        expected_previous = None if pages == 0 else \
            f"{sb.api_url}/sites?limit=100&offset={offset - 100}"
        assert page["previous"] == expected_previous
        seen += [site["id"] for site in page["results"]]
        if page["next"]:
            assert page["next"] == f"{sb.api_url}/sites?limit=100&offset={offset + 100}"
        url, pages = page["next"], pages + 1
    assert pages == 25
    assert len(seen) == SITES and len(set(seen)) == SITES


def test_site_and_install_shapes(sb):
    _, _, page = sb.get("/v1/sites?limit=5", sb.api_key_header())
    site = page["results"][0]
    assert set(site) >= {"id", "name", "account", "group_name", "tags", "created_at", "installs"}
    assert site["installs"][0]["environment"] == "production"
    install_id = site["installs"][0]["id"]
    status, _, install = sb.get(f"/v1/installs/{install_id}", sb.api_key_header())
    assert status == 200 and install["site"] == {"id": site["id"]} and "wp_version" in install
    assert install["cname"] == install["name"] + ".wpengine.com"
    _, _, installs = sb.get("/v1/installs?limit=3", sb.api_key_header())
    assert "wp_version" not in installs["results"][0]
    status, _, body = sb.get("/v1/sites/00000000-0000-4000-8000-000000000000", sb.api_key_header())
    assert (status, body) == (404, {"message": "Not Found"})
    assert sb.get("/v1/nothing-here", sb.api_key_header())[0] == 404


def test_install_names_are_unique_and_valid(sb):
    url, names, uuid = "/v1/installs", [], re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    while url:
        _, _, page = sb.get(url, sb.api_key_header())
        for install in page["results"]:
            assert re.match(r"^[a-z][a-z0-9]{2,13}$", install["name"]), install["name"]
            assert uuid.match(install["id"]) and install["status"] == "active"
            names.append(install["name"])
        url = page["next"]
    assert SITES <= len(names) <= 3 * SITES and len(set(names)) == len(names)


def test_account_filter_is_kept_in_next_links(sb):
    _, _, accounts = sb.get("/v1/accounts", sb.api_key_header())
    account = accounts["results"][0]["id"]
    url, ids = f"/v1/sites?account_id={account}&limit=20", []
    while url:
        status, _, page = sb.get(url, sb.api_key_header())
        assert status == 200
        assert all(site["account"]["id"] == account for site in page["results"])
        if page["next"]:
            assert f"account_id={account}" in page["next"]
        ids += [site["id"] for site in page["results"]]
        url = page["next"]
    assert len(ids) == page["count"] > 0


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "limit=-1", "offset=-1",
                                   "offset=x", "limit=1.5"])
def test_bad_limit_or_offset_is_400_with_a_message(sb, query):
    status, _, body = sb.get(f"/v1/sites?{query}", sb.api_key_header())
    assert status == 400 and body["message"]


def test_same_site_count_gives_the_same_data(tmp_path):
    pages = []
    for run in ("a", "b"):
        with Sandbox().start(tmp_path / run, sites=40) as other:
            pages.append(other.get("/v1/sites", other.api_key_header())[2]["results"])
    assert pages[0] == pages[1] and len(pages[0]) == 40


def test_writes_create_rename_and_delete_a_site(sb):
    _, _, accounts = sb.get("/v1/accounts", sb.api_key_header())
    account = accounts["results"][0]["id"]
    key = {"Authorization": sb.api_key_header()}
    status, _, body = sb.request("POST", "/v1/sites", {"name": "", "account_id": account}, key)
    assert status == 400 and b'"field":"name"' in body
    status, _, body = sb.request("POST", "/v1/sites", {"name": "Harbor Test", "account_id": account}, key)
    assert status == 201
    site = __import__("json").loads(body)
    status, _, body = sb.request("PATCH", f"/v1/sites/{site['id']}", {"name": "Renamed"}, key)
    assert status == 200 and b'"name":"Renamed"' in body
    status, _, body = sb.request("DELETE", f"/v1/sites/{site['id']}", None, key)
    assert status == 204 and body == b""
    assert sb.get(f"/v1/sites/{site['id']}", sb.api_key_header())[0] == 404


# -- faults and counters -----------------------------------------------------------------------

def test_a_fault_answers_the_next_request_then_service_resumes(sb):
    sb.fault(path="/v1/sites", status=503, retry_after="2")
    status, headers, _ = sb.get("/v1/sites", sb.api_key_header())
    assert status == 503 and headers["retry-after"] == "2"
    assert sb.get("/v1/sites", sb.api_key_header())[0] == 200
    counters = sb.counters()
    assert counters["by_path"]["GET /v1/sites"] == 2
    assert counters["by_status"] == {"503": 1, "200": 1}


def test_faults_match_path_and_method_and_count(sb):
    sb.fault(path="/v1/installs", method="GET", status=429, count=2)
    assert sb.get("/v1/sites", sb.api_key_header())[0] == 200
    assert [sb.get("/v1/installs", sb.api_key_header())[0] for _ in range(3)] == [429, 429, 200]


def test_fault_can_add_headers_and_a_custom_body(sb):
    sb.fault(path="/oauth/token", status=200, body='{"access_token":"x","token_type":"mac"}',
             headers={"X-Test": "yes"})
    status, headers, raw = sb.request("POST", "/oauth/token", "grant_type=refresh_token",
                                      {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, headers["x-test"]) == (200, "yes")
    assert raw == b'{"access_token":"x","token_type":"mac"}'


def test_drop_closes_the_connection_without_an_answer(sb):
    sb.fault(path="/v1/sites", action="drop")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
        sb.get("/v1/sites", sb.api_key_header())
    assert sb.get("/v1/sites", sb.api_key_header())[0] == 200
    assert sb.counters()["by_status"]["dropped"] == 1


def test_body_bytes_fault_sends_a_body_of_that_size(sb):
    sb.fault(path="/oauth/token", status=200, body_bytes=5_000_000)
    status, _, raw = sb.request("POST", "/oauth/token", "grant_type=refresh_token",
                                {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and len(raw) == 5_000_000


def test_latency_control_slows_answers(sb):
    sb.control("POST", "/latency", {"ms": 300})
    started = time.monotonic()
    assert sb.get("/v1/status")[0] == 200
    assert time.monotonic() - started >= 0.3
    sb.control("POST", "/latency", {"ms": 0})


def test_controls_need_the_control_token(sb):
    status, _, _ = sb.request("GET", "/_sandbox/counters")
    assert status == 401
    status, _, _ = sb.request("GET", "/_sandbox/counters", headers={"Authorization": sb.api_key_header()})
    assert status == 401


# -- OAuth -------------------------------------------------------------------------------------

def test_authorize_redirects_with_code_and_state(sb):
    _, challenge = pkce_pair()
    status, location, _ = sb.authorize(challenge=challenge, state="abc123")
    assert status == 302 and location.startswith(REDIRECT + "?")
    query = code_from(location)
    assert query["state"] == ["abc123"] and query["code"][0].startswith("wpecanary")


@pytest.mark.parametrize("redirect", ["https://127.0.0.1:8123/callback", "http://evil.example/cb",
                                      "http://127.0.0.2.evil.example/cb", ""])
def test_authorize_with_bad_redirect_uri_is_400_without_redirect(sb, redirect):
    _, challenge = pkce_pair()
    status, location, _ = sb.authorize(redirect_uri=redirect, challenge=challenge)
    assert status == 400 and location is None


def test_authorize_with_unknown_client_is_400_without_redirect(sb):
    status, location, _ = sb.authorize(client_id="nobody", challenge=pkce_pair()[1])
    assert status == 400 and location is None


@pytest.mark.parametrize("method,challenge", [("plain", "x" * 43), ("S256", None)])
def test_authorize_requires_s256_pkce(sb, method, challenge):
    status, location, _ = sb.authorize(challenge=challenge, method=method, state="s1")
    query = code_from(location)
    assert status == 302 and query["error"] == ["invalid_request"] and query["state"] == ["s1"]


def test_deny_control_makes_the_next_authorize_answer_access_denied(sb):
    sb.control("POST", "/authorize", {"deny": True, "error_description": "<b>nope</b>"})
    status, location, _ = sb.authorize(challenge=pkce_pair()[1], state="s2")
    query = code_from(location)
    assert status == 302 and query["error"] == ["access_denied"]
    assert query["error_description"] == ["<b>nope</b>"] and query["state"] == ["s2"]
    status, location, _ = sb.authorize(challenge=pkce_pair()[1])
    assert "code" in code_from(location)


def test_public_client_exchanges_a_code_with_pkce(sb):
    verifier, challenge = pkce_pair()
    _, location, _ = sb.authorize(challenge=challenge)
    status, headers, body = exchange(sb, verifier, code_from(location)["code"][0], sb.client_id)
    assert status == 200 and headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["access_token"].startswith("wpecanary") and body["refresh_token"].startswith("wpecanary")
    assert body["scope"] == "sites:read"
    assert sb.get("/v1/sites?limit=1", "Bearer " + body["access_token"])[0] == 200
    assert sb.counters()["grants"]["authorization_code"] == 1


@pytest.mark.parametrize("how", ["basic", "body"])
def test_confidential_client_authenticates_with_its_secret(sb, how):
    verifier, challenge = pkce_pair()
    _, location, _ = sb.authorize(client_id=sb.confidential_client_id, challenge=challenge)
    code = code_from(location)["code"][0]
    if how == "basic":
        status, _, body = exchange(sb, verifier, code,
                                   basic=(sb.confidential_client_id, sb.client_secret))
    else:
        status, _, body = exchange(sb, verifier, code, sb.confidential_client_id,
                                   client_secret=sb.client_secret)
    assert status == 200 and body["access_token"]


def test_confidential_client_without_or_with_a_wrong_secret_is_invalid_client(sb):
    for extra in ({}, {"client_secret": "wpecanary-cs-wrong"}):
        verifier, challenge = pkce_pair()
        _, location, _ = sb.authorize(client_id=sb.confidential_client_id, challenge=challenge)
        status, _, body = exchange(sb, verifier, code_from(location)["code"][0],
                                   sb.confidential_client_id, **extra)
        assert status == 401 and body["error"] == "invalid_client"


def test_wrong_verifier_and_code_reuse_are_invalid_grant(sb):
    verifier, challenge = pkce_pair()
    _, location, _ = sb.authorize(challenge=challenge)
    code = code_from(location)["code"][0]
    status, _, body = exchange(sb, pkce_pair()[0], code, sb.client_id)
    assert status == 400 and body["error"] == "invalid_grant"

    verifier, challenge = pkce_pair()
    _, location, _ = sb.authorize(challenge=challenge)
    code = code_from(location)["code"][0]
    assert exchange(sb, verifier, code, sb.client_id)[0] == 200
    status, _, body = exchange(sb, verifier, code, sb.client_id)
    assert status == 400 and body["error"] == "invalid_grant"


def test_redirect_uri_must_match_byte_for_byte(sb):
    verifier, challenge = pkce_pair()
    _, location, _ = sb.authorize(challenge=challenge)
    status, _, body = exchange(sb, verifier, code_from(location)["code"][0], sb.client_id,
                               redirect_uri=REDIRECT + "/")
    assert status == 400 and body["error"] == "invalid_grant"


def test_token_endpoint_errors(sb):
    status, _, body = sb.token_request({"grant_type": "password", "client_id": sb.client_id})
    assert status == 400 and body["error"] == "unsupported_grant_type"
    status, _, body = sb.token_request({"grant_type": "authorization_code", "client_id": sb.client_id})
    assert status == 400 and body["error"] == "invalid_request"
    status, _, body = sb.token_request({"grant_type": "refresh_token", "refresh_token": "x",
                                        "client_id": "nobody"})
    assert status == 401 and body["error"] == "invalid_client"


def test_refresh_rotates_and_reuse_revokes_the_whole_grant(sb):
    first = sb.login()
    status, _, second = refresh(sb, first["refresh_token"])
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    status, _, body = refresh(sb, first["refresh_token"])  # replay of the used token
    assert status == 400 and body["error"] == "invalid_grant"
    status, _, body = refresh(sb, second["refresh_token"])  # the grant died with the replay
    assert status == 400 and body["error"] == "invalid_grant"
    assert not sb.token_active(second["access_token"])
    status, headers, _ = sb.get("/v1/sites", "Bearer " + second["access_token"])
    assert status == 401 and headers["www-authenticate"] == 'Bearer error="invalid_token"'
    counters = sb.counters()
    assert counters["grants"]["refresh_token"] == 1 and counters["refresh_tokens_revoked"] == 1


def test_lost_rotation_response(sb):
    tokens = sb.login()
    sb.fault(path="/oauth/token", grant_type="refresh_token", action="drop_after_processing")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
        refresh(sb, tokens["refresh_token"])
    status, _, body = refresh(sb, tokens["refresh_token"])  # it was rotated, so this is a replay
    assert status == 400 and body["error"] == "invalid_grant"
    assert sb.counters()["grants"]["refresh_token"] == 1


def test_revoking_a_refresh_token_revokes_its_grant(sb):
    tokens = sb.login(confidential=True)
    basic = (sb.confidential_client_id, sb.client_secret)
    status, _, _ = sb.revoke({"token": tokens["refresh_token"], "token_type_hint": "refresh_token"}, basic)
    assert status == 200
    assert not sb.token_active(tokens["refresh_token"])
    assert not sb.token_active(tokens["access_token"])
    status, _, body = sb.token_request({"grant_type": "refresh_token",
                                        "refresh_token": tokens["refresh_token"]}, basic=basic)
    assert status == 400 and body["error"] == "invalid_grant"
    assert sb.revoke({"token": "wpecanary-rt-unknown"}, basic)[0] == 200
    assert sb.counters()["revocations"] == 2


def test_tokens_control_expires_access_tokens(sb):
    tokens = sb.login()
    assert sb.get("/v1/user", "Bearer " + tokens["access_token"])[0] == 200
    sb.control("POST", "/tokens", {"action": "expire"})
    status, headers, body = sb.get("/v1/user", "Bearer " + tokens["access_token"])
    assert status == 401 and body == {"message": "Bad Credentials"}
    assert headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert refresh(sb, tokens["refresh_token"])[0] == 200  # refresh still works
    sb.control("POST", "/tokens", {"action": "revoke"})
    assert sb.control("GET", "/tokens")["valid_access_tokens"] == 0


def test_access_token_expires_after_token_ttl(tmp_path):
    with Sandbox().start(tmp_path, sites=5, token_ttl=1) as short:
        tokens = short.login()
        assert tokens["expires_in"] == 1
        assert short.get("/v1/user", "Bearer " + tokens["access_token"])[0] == 200
        wait_for(lambda: short.get("/v1/user", "Bearer " + tokens["access_token"])[0] == 401,
                 timeout=5, what="the access token to expire")
        _, headers, body = short.get("/v1/user", "Bearer " + tokens["access_token"])
        assert headers["www-authenticate"] == 'Bearer error="invalid_token"'
        assert body == {"message": "Bad Credentials"}


def test_sigterm_stops_the_sandbox_and_removes_the_ready_file(tmp_path):
    sandbox = Sandbox().start(tmp_path, sites=1)
    assert sandbox.stop() == 0
    assert not os.path.exists(tmp_path / "sandbox.json")


def test_fifty_thousand_sites_start_and_page_to_the_end(tmp_path):
    started = time.monotonic()
    with Sandbox().start(tmp_path, sites=50000) as big:
        ready_after = time.monotonic() - started
        status, _, page = big.get("/v1/sites?limit=100&offset=49950", big.api_key_header())
        assert status == 200 and page["count"] == 50000 and len(page["results"]) == 50
        assert page["next"] is None
        assert page["previous"] == f"{big.api_url}/sites?limit=100&offset=49850"
    assert ready_after < 15  # generous: shared CI machines; ~1 s when idle
