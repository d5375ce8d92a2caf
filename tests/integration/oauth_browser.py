#!/usr/bin/python3
"""Plays the user's browser in an OAuth login against wpe-sandbox.

As a script (usable as $BROWSER for `wpectl login --oauth`):

    oauth_browser.py [--ca CA.pem] [--log FILE] URL
    BROWSER="/path/oauth_browser.py --ca /path/ca.pem --log /tmp/x.log %s" wpectl login --oauth

(wpectl hands the browser a minimal environment, so the options are the way in; the
environment variables OAUTH_BROWSER_CA and OAUTH_BROWSER_LOG are the fallback.)

GETs the authorize URL (trusting only the sandbox CA), does not follow the 302 itself but
reads its Location and GETs that (the wped loopback listener, plain http on 127.0.0.1). When
OAUTH_BROWSER_LOG is set, one line "<listener status> <location without query>" is appended.
Exit 0 when the listener answered, 1 otherwise.

As a module: authorize(url, ca) → (status, location) and visit(url) → (status, body)."""

import http.client
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


def authorize(url, ca_file, timeout=10.0):
    """GET the authorize URL without following redirects → (status, Location or None)."""
    parts = urllib.parse.urlsplit(url)
    context = ssl.create_default_context(cafile=ca_file)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                       context=context)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def visit(url, timeout=10.0):
    """GET a loopback URL (the listener) → (status, body text). Connection errors raise."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def with_query(url, **params):
    """url with its query parameters replaced/added (None removes one)."""
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def query_param(url, name):
    values = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get(name)
    return values[0] if values else None


def main(argv):
    args = argv[1:]
    options = {"--ca": os.environ.get("OAUTH_BROWSER_CA"),
               "--log": os.environ.get("OAUTH_BROWSER_LOG")}
    while len(args) > 1 and args[0] in options:
        options[args[0]] = args[1]
        args = args[2:]
    if len(args) != 1:
        print("usage: oauth_browser.py [--ca CA.pem] [--log FILE] URL", file=sys.stderr)
        return 2
    ca_file, log = options["--ca"], options["--log"]
    status, location = authorize(args[0], ca_file)
    line = f"{status} -"
    code = 1
    if status == 302 and location:
        listener_status, _ = visit(location)
        line = f"{listener_status} {location.split('?')[0]}"
        code = 0
    if log:
        with open(log, "a") as f:
            f.write(line + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
