<?php
/**
 * List your WP Engine sites, show one, and call the API — through wped, holding no secret.
 *
 * Run:  php examples/sites.php [PROFILE [SITE]]
 *
 * PROFILE defaults to $WPE_PROFILE, else "default"; SITE is a site's name or id (the first
 * site listed when omitted). The socket is $WPED_SOCKET, else $XDG_RUNTIME_DIR/wped/wped.sock —
 * the same rules as wpectl. Log in once first (`wpectl login --api-key`); this script never
 * sees a key or a token: wped adds the Authorization header itself on the /api/ passthrough.
 *
 * Needs php-curl: CURLOPT_UNIX_SOCKET_PATH sends the request over a Unix socket.
 */

class WpedException extends Exception {}

function wpedSocketPath() {
    if (getenv('WPED_SOCKET')) {
        return getenv('WPED_SOCKET');
    }
    if (!getenv('XDG_RUNTIME_DIR')) {
        throw new WpedException(
            "wped: XDG_RUNTIME_DIR is not set; set WPED_SOCKET to wped's socket");
    }
    return getenv('XDG_RUNTIME_DIR') . '/wped/wped.sock';
}

/**
 * GET $path from wped: the decoded JSON answer, or a WpedException with a readable message.
 */
function wpedGet($socket, $path) {
    // The host name is only the Host header: curl connects to the socket instead.
    $ch = curl_init('http://localhost' . $path);
    curl_setopt($ch, CURLOPT_UNIX_SOCKET_PATH, $socket);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    curl_setopt($ch, CURLOPT_TIMEOUT, 60);
    $wpedCode = null;
    curl_setopt($ch, CURLOPT_HEADERFUNCTION, function ($ch, $line) use (&$wpedCode) {
        if (stripos($line, 'X-Wped-Error:') === 0) {
            $wpedCode = trim(substr($line, strlen('X-Wped-Error:')));
        }
        return strlen($line);
    });

    $body = curl_exec($ch);
    $errno = curl_errno($ch);
    $status = curl_getinfo($ch, CURLINFO_HTTP_CODE);
    curl_close($ch);

    if ($errno === CURLE_COULDNT_CONNECT) {
        // No socket file, or nobody listening on it: the daemon (and its socket unit) is down.
        throw new WpedException('wped is not running: systemctl --user start wped.socket');
    }
    if ($errno !== 0) {
        throw new WpedException("wped: cannot talk to $socket: " . curl_strerror($errno));
    }
    if ($status >= 200 && $status < 300) {
        return json_decode($body, true);
    }
    throw new WpedException(describeError($status, $wpedCode, $body));
}

/**
 * wped's own errors carry X-Wped-Error and {"error":{"code","message"}}; anything else on the
 * passthrough is the WP Engine API's answer, passed on unchanged (usually {"message"}).
 */
function describeError($status, $wpedCode, $body) {
    $doc = json_decode($body, true);
    if ($wpedCode !== null) {
        $message = $doc['error']['message'] ?? $body;
        return "wped: $wpedCode: $message (from wped, HTTP $status)";
    }
    $message = $doc['message'] ?? (trim($body) !== '' ? trim($body) : '(no body)');
    return "wped: $status: $message (from the WP Engine API through the passthrough)";
}

function main($argv) {
    $profile = $argv[1] ?? (getenv('WPE_PROFILE') ?: 'default');
    $socket = wpedSocketPath();
    // rawurlencode: a site name may hold spaces or slashes.
    $base = '/v1/profiles/' . rawurlencode($profile);
    echo "wped at $socket, profile \"$profile\"\n";

    // 1. The site list, from wped's cache: no network, milliseconds, with its age.
    $sites = wpedGet($socket, "$base/sites");
    echo $sites['count'] . " sites (synced " . $sites['synced_at'] . ")"
        . ($sites['stale'] ? ' (stale)' : '') . ":\n";
    foreach ($sites['results'] as $site) {
        echo "  - " . $site['name'] . "  " . $site['id'] . "\n";
    }
    if (count($sites['results']) === 0) {
        return;
    }

    // 2. One site by name or id, also from the cache.
    $wanted = $argv[2] ?? $sites['results'][0]['name'];
    $site = wpedGet($socket, "$base/sites/" . rawurlencode($wanted));
    $installs = array_map(function ($i) {
        return $i['name'] . ' (' . $i['environment'] . ')';
    }, $site['installs'] ?? []);
    echo "site \"" . $site['name'] . "\":\n";
    echo "  id:       " . $site['id'] . "\n";
    echo "  account:  " . $site['account']['id'] . "\n";
    echo "  installs: " . ($installs ? implode(', ', $installs) : '-') . "\n";

    // 3. Any WP Engine API call through the passthrough: /v1/profiles/P/api/user is
    //    GET {api_url}/user, sent by wped with the profile's credential.
    $user = wpedGet($socket, "$base/api/user");
    echo "through the passthrough, GET /user:\n";
    echo "  " . $user['first_name'] . " " . $user['last_name'] . " <" . $user['email'] . ">"
        . " (id " . $user['id'] . ")\n";
}

try {
    main($argv);
} catch (WpedException $e) {
    fwrite(STDERR, $e->getMessage() . "\n");
    exit(1);
}
