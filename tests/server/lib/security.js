'use strict';
// Who may talk to the server (Origin, Host), and what may reach the log (escaped, no password).
const os = require('node:os');

// ---- log lines -----------------------------------------------------------------------------

// C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates and
// the BOM: anything that could forge a log line, move the cursor or reorder what is shown.
// eslint-disable-next-line no-control-regex
const LOG_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LOG_NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The one helper every log line goes through (the logger applies it to the whole line):
 * control and bidi characters become visible escapes (\n, \x1b, \u202e), so client-supplied
 * text (names, ids, frames, close reasons, URLs) cannot start a new line or rewrite one.
 * Idempotent: the escapes are printable.
 */
function logSafe(text) {
  return String(text).replace(LOG_UNSAFE, (c) => LOG_NAMED[c]
    || (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Wraps a logger ({error, info, debug}) so that every line is escaped by logSafe. */
function safeLogger(log) {
  if (log.safe) return log;
  return {
    safe: true,
    error: (m) => log.error(logSafe(m)),
    info: (m) => log.info(logSafe(m)),
    debug: (m) => log.debug(logSafe(m)),
  };
}

const SECRET_KEYS = new Set(['pw', 'password']);

/**
 * A received frame as it may be logged: `pw` (and `password`), at any depth, replaced by
 * "[redacted]". msg: the parsed frame (undefined when it is not JSON). Frames that do not
 * parse are redacted textually; one that hides a key behind a \u escape is not shown at all.
 */
function redactFrame(text, msg) {
  if (msg !== undefined) {
    if (!/pw|password|\\u/i.test(text)) return text;
    return JSON.stringify(msg, (k, v) => (SECRET_KEYS.has(k) ? '[redacted]' : v));
  }
  if (/\\u/i.test(text)) return `(${text.length} characters, not shown: it contains \\u escapes)`;
  return text.replace(/("(?:pw|password)"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]*)/gi, '$1"[redacted]"');
}

// ---- Origin and Host -----------------------------------------------------------------------

/** 'http(s)://host[:port]' -> 'http(s)://host:port' (lower case, explicit port); else null. */
function normalizeOrigin(value) {
  let u;
  try { u = new URL(String(value)); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname}:${port}`;
}

/** localhost, 127.0.0.0/8 or [::1] (a URL hostname: IPv6 in brackets). */
function isLoopbackName(hostname) {
  const h = String(hostname).toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The client address without the IPv4-mapped prefix (the key of the per-IP limits). */
function remoteIp(addr) {
  return String(addr || '').replace(/^::ffff:/, '') || 'unknown';
}

/**
 * Origin policy of the WebSocket upgrade, POST /upload and /control:
 *  - no Origin header: allowed. Browsers always send Origin on a WebSocket handshake and on
 *    a cross-origin POST (Chromium and Firefox on every POST), so a request without it does
 *    not come from a web page: curl, the test suites' ws clients, the e2e harness's fetch;
 *  - the server's own origin (scheme://host:port as served; for a wildcard --host every
 *    interface address and the machine's host name);
 *  - loopback origins: http(s)://127.0.0.1:*, localhost:*, [::1]:* (pages on this machine);
 *  - every --allow-origin.
 * Anything else, "null" (file://, sandboxed frames) included, is refused.
 */
class OriginPolicy {
  constructor({ scheme, host, port, allow = [] }) {
    this.own = new Set();
    const add = (h) => {
      const n = normalizeOrigin(`${scheme}://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`);
      if (n) this.own.add(n);
    };
    if (host === '0.0.0.0' || host === '::' || host === '') {
      for (const list of Object.values(os.networkInterfaces())) for (const i of list || []) add(i.address.replace(/%.*$/, ''));
      add(os.hostname());
    } else {
      add(host);
    }
    this.allowed = new Set();
    for (const a of allow) {
      const n = normalizeOrigin(a);
      if (!n) throw new Error(`--allow-origin: expected http(s)://HOST[:PORT], got ${JSON.stringify(a)}`);
      this.allowed.add(n);
    }
  }

  /** true when a request with this Origin header value (undefined = none) may proceed. */
  allows(origin) {
    if (origin === undefined) return true;
    const n = normalizeOrigin(origin);
    if (!n) return false;
    if (this.own.has(n) || this.allowed.has(n)) return true;
    return isLoopbackName(new URL(n).hostname);
  }
}

/**
 * DNS rebinding: a page on evil.example whose name is made to resolve to 127.0.0.1 is, for
 * the browser, same-origin with evil.example, but its requests carry `Host: evil.example`.
 * A server bound to loopback answers only Host values that name loopback with its own port.
 * A request without Host (HTTP/1.0 tools) is allowed.
 */
function hostHeaderAllowed(hostHeader, { scheme, port }) {
  if (hostHeader === undefined) return true;
  let u;
  try { u = new URL(`${scheme}://${hostHeader}`); } catch { return false; }
  if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return false;
  const p = Number(u.port || (scheme === 'https' ? 443 : 80));
  return p === port && isLoopbackName(u.hostname);
}

module.exports = {
  logSafe, safeLogger, redactFrame, normalizeOrigin, isLoopbackName, remoteIp, OriginPolicy, hostHeaderAllowed,
};
