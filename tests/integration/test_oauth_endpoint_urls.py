"""OAuth endpoint URLs are used exactly as configured (RFC 6749 §3.1): against an
authorization server that publishes Django OAuth Toolkit style endpoints (/o/authorize/,
/o/token/, /o/revoke_token/ — the slash-less paths are 404, or a 301 for GET) each carrying a
query parameter of its own, a login, a refresh and a logout all work. The real wped against
wpe-sandbox in its strict mode, driven over its socket."""

import urllib.parse

import pytest

from oauth_browser import visit
from oauth_flow import (api, begin_login, counter, profile_status, redirect_of, stored_grant,
                        token, wait_login_done)

SLASH_ONLY = {"oauth_path_style": "slash"}
SLASH_WITH_QUERY = {"oauth_path_style": "slash", "oauth_query": "tenant=wpe"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_the_sandbox_serves_only_the_published_urls(make_stack):
    stack = make_stack(sandbox_options=SLASH_WITH_QUERY)
    sb = stack.sandbox
    assert stack.info["authorize_url"] == sb.origin + "/o/authorize/?tenant=wpe"
    assert stack.info["token_url"] == sb.origin + "/o/token/?tenant=wpe"
    assert stack.info["revoke_url"] == sb.origin + "/o/revoke_token/?tenant=wpe"
    assert sb.request("POST", "/o/token?tenant=wpe", "grant_type=x", FORM)[0] == 404
    assert sb.request("POST", "/o/revoke_token?tenant=wpe", "token=x", FORM)[0] == 404
    status, headers, _ = sb.request("GET", "/o/authorize?tenant=wpe&state=s")
    assert status == 301 and headers["location"] == "/o/authorize/?tenant=wpe&state=s"
    assert sb.request("POST", "/oauth/token", "grant_type=x", FORM)[0] == 404
    # Without its own query parameter an endpoint refuses the request.
    status, _, body = sb.request("POST", "/o/token/", "grant_type=refresh_token", FORM)
    assert status == 400 and b"tenant=wpe" in body
    status, _, body = sb.request("GET", "/o/authorize/?client_id=" + stack.info["client_id"])
    assert status == 400 and b"tenant=wpe" in body
    # A client using the published URLs gets through the whole dance.
    assert sb.login()["token_type"] == "Bearer"


@pytest.mark.parametrize("published", [SLASH_ONLY, SLASH_WITH_QUERY], ids=["slash", "query"])
def test_login_refresh_and_logout_use_the_endpoints_as_published(make_stack, published):
    stack = make_stack(sandbox_options=published)
    assert stack.info["token_url"].endswith("/o/token/" if published is SLASH_ONLY
                                            else "/o/token/?tenant=wpe")
    started = begin_login(stack)
    url = urllib.parse.urlsplit(started["authorize_url"])
    query = urllib.parse.parse_qs(url.query)
    # The endpoint's own path (and parameter) survive; wped's parameters follow.
    assert url.path == "/o/authorize/"
    assert query["response_type"] == ["code"], query
    if published is SLASH_WITH_QUERY:
        assert query["tenant"] == ["wpe"], query
    assert started["authorize_url"].count("?") == 1
    status, page = visit(redirect_of(stack, started["authorize_url"]))
    assert status == 200, page
    done = wait_login_done(stack, started["login_id"])
    assert done["state"] == "succeeded", done  # the code exchange reached the token endpoint
    assert counter(stack, "grants", "authorization_code") == 1

    # A refresh goes to the same token endpoint.
    first = token(stack)[2]["access_token"]
    stack.sandbox.control("POST", "/tokens", {"action": "expire"})
    status, body = api(stack, "sites?limit=1")
    assert status == 200, body
    assert counter(stack, "grants", "refresh_token") == 1
    status, _, now = token(stack)
    assert status == 200 and now["access_token"] != first

    # Logout revokes the grant at the published revocation endpoint.
    refresh_token = stored_grant(stack)["refresh_token"]
    status, _, body = stack.request_json("POST", "/v1/profiles/oauth/logout")
    assert status in (200, 204), body
    assert counter(stack, "revocations") == 1
    assert stack.sandbox.token_active(refresh_token) is False
    assert stack.sandbox.token_active(now["access_token"]) is False
    assert profile_status(stack)["state"] == "logged_out"
    c = stack.sandbox.counters()
    assert c["by_status"].get("404", 0) == 0 and c["by_status"].get("400", 0) == 0, c
    assert c["by_path"].get("POST /o/token/", 0) == 2, c
    assert stack.canary_hits() == []
