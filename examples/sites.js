#!/usr/bin/env node
/**
 * List your WP Engine sites, show one, and call the API — through wped, holding no secret.
 *
 * Run:  node examples/sites.js [PROFILE [SITE]]
 *
 * PROFILE defaults to $WPE_PROFILE, else "default"; SITE is a site's name or id (the first
 * site listed when omitted). The socket is $WPED_SOCKET, else $XDG_RUNTIME_DIR/wped/wped.sock —
 * the same rules as wpectl. Log in once first (`wpectl login --api-key`); this script never
 * sees a key or a token: wped adds the Authorization header itself on the /api/ passthrough.
 *
 * Node's own `http` module only: its `socketPath` option sends the request over a Unix socket.
 */
'use strict';

const http = require('http');
const path = require('path');

class WpedError extends Error {}

function socketPath() {
  if (process.env.WPED_SOCKET) return process.env.WPED_SOCKET;
  if (!process.env.XDG_RUNTIME_DIR) {
    throw new WpedError("wped: XDG_RUNTIME_DIR is not set; set WPED_SOCKET to wped's socket");
  }
  return path.join(process.env.XDG_RUNTIME_DIR, 'wped', 'wped.sock');
}

// GET `urlPath` from wped: resolves to the decoded JSON answer, rejects with a WpedError that
// carries a readable message.
function get(socket, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: socket, path: urlPath }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve(JSON.parse(body));
        } else {
          reject(new WpedError(describeError(res.statusCode, res.headers['x-wped-error'], body)));
        }
      });
    });
    req.on('error', (err) => {
      // No socket file, or nobody listening on it: the daemon (and its socket unit) is down.
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(new WpedError('wped is not running: systemctl --user start wped.socket'));
      } else {
        reject(err);
      }
    });
  });
}

// wped's own errors carry X-Wped-Error and {"error":{"code","message"}}; anything else on the
// passthrough is the WP Engine API's answer, passed on unchanged (usually {"message"}).
function describeError(status, wpedCode, body) {
  let doc = null;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    // not JSON (say an HTML error page): show the text itself
  }
  if (wpedCode) {
    const message = doc && doc.error ? doc.error.message : body;
    return `wped: ${wpedCode}: ${message} (from wped, HTTP ${status})`;
  }
  const message = (doc && doc.message) || body.trim() || '(no body)';
  return `wped: ${status}: ${message} (from the WP Engine API through the passthrough)`;
}

async function main(args) {
  const profile = args[0] || process.env.WPE_PROFILE || 'default';
  const socket = socketPath();
  // encodeURIComponent: a site name may hold spaces or slashes.
  const base = `/v1/profiles/${encodeURIComponent(profile)}`;
  console.log(`wped at ${socket}, profile "${profile}"`);

  // 1. The site list, from wped's cache: no network, milliseconds, with its age.
  const sites = await get(socket, `${base}/sites`);
  console.log(`${sites.count} sites (synced ${sites.synced_at})${sites.stale ? ' (stale)' : ''}:`);
  sites.results.forEach((site) => console.log(`  - ${site.name}  ${site.id}`));
  if (sites.results.length === 0) return;

  // 2. One site by name or id, also from the cache.
  const wanted = args[1] || sites.results[0].name;
  const site = await get(socket, `${base}/sites/${encodeURIComponent(wanted)}`);
  const installs = (site.installs || []).map((i) => `${i.name} (${i.environment})`).join(', ');
  console.log(`site "${site.name}":`);
  console.log(`  id:       ${site.id}`);
  console.log(`  account:  ${site.account.id}`);
  console.log(`  installs: ${installs || '-'}`);

  // 3. Any WP Engine API call through the passthrough: /v1/profiles/P/api/user is
  //    GET {api_url}/user, sent by wped with the profile's credential.
  const user = await get(socket, `${base}/api/user`);
  console.log('through the passthrough, GET /user:');
  console.log(`  ${user.first_name} ${user.last_name} <${user.email}> (id ${user.id})`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof WpedError ? error.message : `error: ${error.stack}`);
  process.exitCode = 1;
});
