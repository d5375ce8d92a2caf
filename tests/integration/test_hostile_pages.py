"""Answers that are valid but unusual or costly (issue 8 items 4 and 9): a server that caps
pages below what wped asks for, irregular page sizes, a `count` that promises more than the
pages hold, and pages or lists too large to hold. The sandbox bends its paging through
`POST /_sandbox/paging` (docs/sandbox.md); wped must walk by what the server returns, and stop
at its documented bounds (docs/security.md "Bounds on what the API may send") with an error
naming the bound — without first spending thousands of requests or gigabytes on it."""

import json

from harness import SANITIZED



def call(stack, method, path, body=None, timeout=120.0):
    data = None if body is None else json.dumps(body)
    status, _, text = stack.daemon.request(method, path, data, timeout=timeout)
    return status, (json.loads(text) if text else None)


def login(stack):
    status, body = call(stack, "POST", "/v1/profiles/default/login",
                        {"method": "api_key", "api_key": stack.info["api_key"]})
    assert status == 200, body


def sandbox_ids(stack, kind):
    """The ids the sandbox holds, walked with its paging quirks off."""
    saved = stack.sandbox.control("GET", "/paging")
    stack.sandbox.control("POST", "/paging", {})
    try:
        ids, url = [], f"/v1/{kind}?limit=100"
        while url:
            status, _, page = stack.sandbox.get(url, stack.sandbox.api_key_header())
            assert status == 200
            ids += [s["id"] for s in page["results"]]
            url = page["next"]
        return ids
    finally:
        stack.sandbox.control("POST", "/paging", {k: v for k, v in saved.items()
                                                  if v is not None and v != ""})


def sync(stack):
    return call(stack, "POST", "/v1/profiles/default/sync")


def cached_ids(stack, kind="sites"):
    status, body = call(stack, "GET", f"/v1/profiles/default/{kind}")
    assert status == 200, body
    return [s["id"] for s in body["results"]], body


def test_a_server_page_cap_below_100_syncs_every_list(make_stack):
    stack = make_stack(sites=230)
    stack.sandbox.control("POST", "/paging", {"max_page_size": 7})
    login(stack)
    status, body = sync(stack)
    assert status == 200, body
    for kind in ("sites", "installs", "accounts"):
        ids, _ = cached_ids(stack, kind)
        assert ids == sandbox_ids(stack, kind), kind
    # The walk stays concurrent and asks each page once: 230 sites at 7 a page.
    by_path = stack.sandbox.counters()["by_path"]
    assert by_path["GET /v1/sites"] <= 2 * (230 // 7 + 1), by_path


def test_irregular_pages_are_walked_by_what_each_page_holds(make_stack):
    stack = make_stack(sites=180)
    stack.sandbox.control("POST", "/paging", {"irregular": True, "list": "sites"})
    login(stack)
    status, body = sync(stack)
    assert status == 200, body
    ids, doc = cached_ids(stack)
    assert ids == sandbox_ids(stack, "sites")
    assert doc["stale"] is False


def test_an_empty_page_before_count_ends_the_walk_with_a_clear_error(make_stack):
    stack = make_stack(sites=30)
    login(stack)
    stack.wait_every_list_synced()
    before, _ = cached_ids(stack)
    stack.sandbox.control("POST", "/paging", {"count": 130, "list": "sites"})
    stack.sandbox.reset_counters()
    status, body = sync(stack)
    assert status == 502, body
    assert body["error"]["code"] == "upstream_error"
    assert "no items" in body["error"]["message"] and "130" in body["error"]["message"], body
    assert stack.sandbox.counters()["by_path"]["GET /v1/sites"] < 10
    ids, doc = cached_ids(stack)
    assert ids == before and doc["stale"] is True and "no items" in doc["last_error"]


def test_an_inflated_count_is_refused_before_thousands_of_requests(make_stack):
    stack = make_stack(sites=25)
    stack.sandbox.control("POST", "/paging",
                          {"max_page_size": 1, "count": 150000, "list": "sites"})
    stack.sandbox.reset_counters()
    login(stack)  # its sync and this one: one request each before the count is refused
    status, body = sync(stack)
    assert status == 502, body
    message = body["error"]["message"]
    assert "2000" in message and "pages" in message, message
    assert stack.sandbox.counters()["by_path"]["GET /v1/sites"] <= 2


def peak_rss_kib(stack):
    with open(f"/proc/{stack.daemon.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_a_page_larger_than_the_page_bound_is_refused_while_read(make_stack):
    for chunked in (False, True):
        stack = make_stack(sites=100)
        login(stack)
        stack.wait_every_list_synced()
        before = peak_rss_kib(stack)
        # 100 sites of 400 kB: a 40 MB page, five times the 8 MiB bound.
        stack.sandbox.control("POST", "/paging",
                              {"pad_bytes": 400000, "list": "sites", "chunked": chunked})
        status, body = sync(stack)
        assert status == 502, body
        message = body["error"]["message"]
        assert "8388608" in message or "8 MiB" in message, message
        # Refused while read: the peak grew by far less than the 40 MB page.
        peak = peak_rss_kib(stack)
        assert peak - before < 32 * 1024, f"chunked={chunked}: {before} -> {peak} KiB"
        if not SANITIZED:
            assert peak < 60 * 1024, f"chunked={chunked}: {peak} KiB"
        ids, doc = cached_ids(stack)
        assert len(ids) == 100 and doc["stale"] is True
