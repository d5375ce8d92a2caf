#!/usr/bin/env bash
# List your WP Engine sites, show one, and call the API — through wped, holding no secret.
#
# Run:  bash examples/sites.sh [PROFILE [SITE]]
#
# PROFILE defaults to $WPE_PROFILE, else "default"; SITE is a site's name or id (the first site
# listed when omitted). The socket is $WPED_SOCKET, else $XDG_RUNTIME_DIR/wped/wped.sock — the
# same rules as wpectl. Log in once first (`wpectl login --api-key`); this script never sees a
# key or a token: wped adds the Authorization header itself on the /api/ passthrough.
#
# Needs curl ≥ 7.84 (--unix-socket, and %header{} in --write-out) and jq.
set -euo pipefail

profile=${1:-${WPE_PROFILE:-default}}
if [ -n "${WPED_SOCKET:-}" ]; then
  sock=$WPED_SOCKET
elif [ -n "${XDG_RUNTIME_DIR:-}" ]; then
  sock=$XDG_RUNTIME_DIR/wped/wped.sock
else
  echo "wped: XDG_RUNTIME_DIR is not set; set WPED_SOCKET to wped's socket" >&2
  exit 1
fi

# uri TEXT: TEXT as one URL path segment (a site name may hold spaces or slashes).
uri() { jq -rn --arg v "$1" '$v | @uri'; }

# wped_get PATH: prints wped's JSON answer. On an error prints one readable line to stderr and
# fails, which stops the script (set -e) where it called `x=$(wped_get …)`.
wped_get() {
  local out rc=0 status code body message
  # The body, then a last line "STATUS X-WPED-ERROR"; the host name is only the Host header.
  out=$(curl -s --max-time 60 --unix-socket "$sock" \
    -w '\n%{http_code} %header{x-wped-error}' "http://localhost$1") || rc=$?
  if [ "$rc" -eq 7 ]; then
    # No socket file, or nobody listening on it: the daemon (and its socket unit) is down.
    echo "wped is not running: systemctl --user start wped.socket" >&2
    return 1
  elif [ "$rc" -ne 0 ]; then
    echo "wped: cannot talk to $sock (curl exit status $rc)" >&2
    return 1
  fi
  body=${out%$'\n'*}
  read -r status code <<<"${out##*$'\n'}"
  if [ "$status" -ge 200 ] && [ "$status" -lt 300 ]; then
    printf '%s\n' "$body"
    return 0
  fi
  # wped's own errors carry X-Wped-Error and {"error":{"code","message"}}; anything else on the
  # passthrough is the WP Engine API's answer, passed on unchanged (usually {"message"}).
  if [ -n "$code" ]; then
    message=$(jq -r '.error.message' <<<"$body" 2>/dev/null) || message=$body
    echo "wped: $code: $message (from wped, HTTP $status)" >&2
  else
    message=$(jq -r '.message // empty' <<<"$body" 2>/dev/null) || message=""
    [ -n "$message" ] || message=${body:-(no body)}
    echo "wped: $status: $message (from the WP Engine API through the passthrough)" >&2
  fi
  return 1
}

base=/v1/profiles/$(uri "$profile")
echo "wped at $sock, profile \"$profile\""

# 1. The site list, from wped's cache: no network, milliseconds, with its age.
sites=$(wped_get "$base/sites")
jq -r '"\(.count) sites (synced \(.synced_at))\(if .stale then " (stale)" else "" end):",
       (.results[] | "  - \(.name)  \(.id)")' <<<"$sites"

# 2. One site by name or id, also from the cache.
wanted=${2:-$(jq -r '.results[0].name // empty' <<<"$sites")}
[ -n "$wanted" ] || exit 0
site=$(wped_get "$base/sites/$(uri "$wanted")")
jq -r '"site \"\(.name)\":",
       "  id:       \(.id)",
       "  account:  \(.account.id)",
       "  installs: \([.installs[]? | "\(.name) (\(.environment))"]
                     | if length > 0 then join(", ") else "-" end)"' <<<"$site"

# 3. Any WP Engine API call through the passthrough: /v1/profiles/P/api/user is
#    GET {api_url}/user, sent by wped with the profile's credential.
user=$(wped_get "$base/api/user")
echo "through the passthrough, GET /user:"
jq -r '"  \(.first_name) \(.last_name) <\(.email)> (id \(.id))"' <<<"$user"
