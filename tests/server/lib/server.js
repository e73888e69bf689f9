'use strict';
// HTTP(S) + WebSocket front: /groupcall, /upload, /files/, /stats, /control/, static web build.
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { WebSocketServer } = require('ws');

const { loadUsers, loadRooms, DEFAULT_USERS_FILE, DEFAULT_ROOMS_FILE } = require('./data');
const { Faults, GARBAGE_KINDS, DEFAULT_OVERSIZED_BYTES } = require('./faults');
const { GroupCallServer } = require('./groupcall');
const { MediaRelay, isLoopback } = require('./media');
const files = require('./files');
const { logSafe, safeLogger, remoteIp, OriginPolicy, hostHeaderAllowed } = require('./security');

const PACKAGE_DIR = path.join(__dirname, '..');

const DEFAULTS = {
  host: '127.0.0.1',
  port: null, // 8080, or 8443 with tls
  tls: false,
  tlsDir: path.join(PACKAGE_DIR, '.tls'),
  usersFile: DEFAULT_USERS_FILE,
  roomsFile: DEFAULT_ROOMS_FILE,
  web: null,
  uploads: path.join(PACKAGE_DIR, 'uploads'),
  maxUploadMb: 50,
  echoChat: true,
  faults: [],
  allowLoopback: null, // null: on when host is loopback
  iceAddresses: null, // null: 127.0.0.1 when host is loopback, else every interface
  icePortRange: null,
  sdpCandidates: false,
  maxParticipants: 16,
  chatRate: { count: 20, perMs: 10000 },
  // Spring Boot's embedded Tomcat: a text message over 8 KiB closes the socket with 1009.
  maxFrameBytes: 8192,
  unknownRooms: 'open',
  renegotiation: 'strict', // 'strict' (Kurento: repeat or unknown owner -> 1011) | 'allow'
  bots: [], // [{room, ids}] joined at start (--bots ROOM:FROM-TO)
  csp: null,
  cspUnsafeEval: false,
  keyframeIntervalMs: 500,
  logLevel: 'info',
  // Security (README "Security"):
  control: false, // /control/* exists only with --control (else 404); /stats then lists ids
  allowOrigins: [], // --allow-origin, on top of the server's own origin and loopback origins
  joinTimeoutMs: 10000, // a socket without a successful join by then is closed (1008); 0 = never
  maxConnectionsPerIp: 64, // open WebSockets per client address; more: 429 before the upgrade
  maxUploadsPerIp: 4, // concurrent POST /upload per client address; more: 429
  uploadQuotaMb: 500, // total size of the uploads folder (MiB); over: 507
};

const DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws: wss: http: https:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

// The client's page carries one inline script (web/early.js, written in by the build, with
// its SHA-256 in the page's own CSP meta). A header policy applies on top of the page's, so
// a page's header names the hashes of the inline scripts that file itself holds: exactly
// those texts may run, nothing added to the page later. Cached per file and mtime.
const inlineHashCache = new Map();
function inlineScriptHashes(file) {
  let st;
  try { st = fs.statSync(file); } catch { return []; }
  const key = `${st.mtimeMs}:${st.size}`;
  const hit = inlineHashCache.get(file);
  if (hit && hit.key === key) return hit.hashes;
  let html;
  try { html = fs.readFileSync(file, 'utf8'); } catch { return []; }
  const hashes = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]) || m[2].length === 0) continue;
    hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  inlineHashCache.set(file, { key, hashes });
  return hashes;
}

/** `csp` with `hashes` added to its script-src directive (unchanged without one). */
function withInlineScriptHashes(csp, hashes) {
  if (!hashes.length) return csp;
  return csp.split(';').map((d) => (/^\s*script-src\s/i.test(d) ? `${d.trimEnd()} ${hashes.join(' ')}` : d)).join(';');
}

/** Every line is escaped by logSafe (one line per event, whatever a client sent). */
function makeLogger(level, sink = console) {
  const rank = { quiet: 0, error: 0, info: 1, debug: 2 }[level] ?? 1;
  const stamp = () => new Date().toISOString().slice(11, 23);
  return {
    safe: true,
    error: (m) => sink.error(`${stamp()} ERROR ${logSafe(m)}`),
    info: (m) => { if (rank >= 1) sink.log(`${stamp()} ${logSafe(m)}`); },
    debug: (m) => { if (rank >= 2) sink.log(`${stamp()} debug ${logSafe(m)}`); },
  };
}

function isLoopbackHost(host) {
  return host === 'localhost' || isLoopback(host) || host === '::1';
}

function isLoopbackRemote(addr) {
  if (!addr) return false;
  const a = addr.replace(/^::ffff:/, '');
  return /^127\./.test(a) || a === '::1';
}

/** Creates (once) a self-signed certificate for localhost/127.0.0.1 with openssl. */
function ensureCertificate(dir, log) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  if (fs.existsSync(key) && fs.existsSync(cert)) return { key, cert };
  fs.mkdirSync(dir, { recursive: true });
  const tmpKey = `${key}.${process.pid}.tmp`;
  const tmpCert = `${cert}.${process.pid}.tmp`;
  log.info(`creating a self-signed certificate in ${dir}`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
    '-keyout', tmpKey, '-out', tmpCert, '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.renameSync(tmpKey, key);
  fs.renameSync(tmpCert, cert);
  return { key, cert };
}

function sendJson(res, status, obj, headers = {}) {
  const body = JSON.stringify(obj, null, 1);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** CORS for /upload: the request's Origin when it passed the origin check, '*' without one. */
function uploadCors(req) {
  const origin = req.headers.origin;
  return {
    'Access-Control-Allow-Origin': origin === undefined ? '*' : origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, X-File-Name',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

/** Answers an upgrade request with an HTTP error instead of switching protocols. */
function refuseUpgrade(socket, status, text, error) {
  const body = JSON.stringify({ error });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const positiveInt = (name, v, min = 1) => {
  if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
};

class ReferenceServer {
  constructor(options = {}) {
    this.opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    const o = this.opts;
    if (o.port === null) o.port = o.tls ? 8443 : 8080;
    this.log = safeLogger(options.logger || makeLogger(o.logLevel));
    positiveInt('maxConnectionsPerIp', o.maxConnectionsPerIp);
    positiveInt('maxUploadsPerIp', o.maxUploadsPerIp);
    positiveInt('joinTimeoutMs', o.joinTimeoutMs, 0);
    if (!(o.uploadQuotaMb > 0)) throw new Error(`uploadQuotaMb: expected a positive number, got ${JSON.stringify(o.uploadQuotaMb)}`);
    // Validates --allow-origin now; rebuilt with the real port once listening.
    this.origins = new OriginPolicy({ scheme: o.tls ? 'https' : 'http', host: o.host, port: o.port, allow: o.allowOrigins || [] });
    this.hostCheck = isLoopbackHost(o.host);
    if (o.renegotiation !== 'strict' && o.renegotiation !== 'allow') throw new Error(`renegotiation: strict or allow, got ${JSON.stringify(o.renegotiation)}`);
    this.users = loadUsers(o.usersFile);
    this.rooms = loadRooms(o.roomsFile);
    const hostIsLoopback = isLoopbackHost(o.host);
    const allowLoopback = o.allowLoopback === null ? true : !!o.allowLoopback;
    let iceAddresses = o.iceAddresses;
    if (!iceAddresses && hostIsLoopback && allowLoopback) iceAddresses = ['127.0.0.1'];
    this.media = new MediaRelay({
      iceAddresses,
      allowLoopback,
      portRange: o.icePortRange,
      sdpCandidates: o.sdpCandidates,
      keyframeIntervalMs: o.keyframeIntervalMs,
    }, this.log);
    this.restartTimer = null;
    this.faults = new Faults((name) => { if (name === 'restart') this.applyRestartFault(); });
    for (const spec of o.faults) this.faults.setSpec(spec);
    this.groupcall = new GroupCallServer({
      users: this.users,
      rooms: this.rooms,
      media: this.media,
      faults: this.faults,
      log: this.log,
      echoChat: o.echoChat,
      maxParticipants: o.maxParticipants,
      chatRate: o.chatRate,
      unknownRooms: o.unknownRooms,
      renegotiation: o.renegotiation,
      joinTimeoutMs: o.joinTimeoutMs,
    });
    this.csp = o.csp || (o.cspUnsafeEval ? DEFAULT_CSP.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' 'unsafe-eval'") : DEFAULT_CSP);
    this.startedAt = Date.now();
    this.httpServer = null;
    this.wss = null;
    this.port = null;
    this.uploadCount = 0;
    this.connectionsByIp = new Map(); // client address -> open WebSockets
    this.uploadsByIp = new Map(); // client address -> running uploads
    this.quota = new files.UploadQuota(path.resolve(o.uploads), Math.floor(o.uploadQuotaMb * 1024 * 1024));
    this.security = {
      originRefused: 0, // upgrades, uploads and control requests refused for their Origin (403)
      hostRefused: 0, // requests refused for their Host header (421; loopback --host only)
      connectionsPerIpRefused: 0, // upgrades refused by --max-connections-per-ip (429)
      uploadsPerIpRefused: 0, // uploads refused by --max-uploads-per-ip (429)
      uploadQuotaRefused: 0, // uploads refused by --upload-quota-mb (507)
    };
  }

  get scheme() { return this.opts.tls ? 'https' : 'http'; }

  get displayHost() {
    const h = this.opts.host;
    if (h === '0.0.0.0' || h === '::' || h === '') return '127.0.0.1';
    return h.includes(':') ? `[${h}]` : h;
  }

  get baseUrl() { return `${this.scheme}://${this.displayHost}:${this.port}`; }

  get wsUrl() { return `${this.opts.tls ? 'wss' : 'ws'}://${this.displayHost}:${this.port}/groupcall`; }

  applyRestartFault() {
    clearInterval(this.restartTimer);
    this.restartTimer = null;
    const period = this.faults.get('restart');
    if (period && this.httpServer) {
      this.restartTimer = setInterval(() => this.groupcall.restart(), period);
    }
  }

  async start() {
    const o = this.opts;
    const handler = (req, res) => {
      this.handleRequest(req, res).catch((e) => {
        this.log.error(`${req.method} ${req.url}: ${e.stack || e}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    };
    if (o.tls) {
      const { key, cert } = ensureCertificate(o.tlsDir, this.log);
      this.httpServer = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, handler);
    } else {
      this.httpServer = http.createServer(handler);
    }
    this.wss = new WebSocketServer({ noServer: true, maxPayload: o.maxFrameBytes, perMessageDeflate: false });
    this.wss.on('connection', (ws, req) => this.groupcall.handleConnection(ws, req));
    this.httpServer.on('upgrade', (req, socket, head) => {
      socket.on('error', () => {});
      const pathname = (req.url || '').split('?')[0];
      if (pathname !== '/groupcall') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (!this.hostAllowed(req)) return refuseUpgrade(socket, 421, 'Misdirected Request', this.hostError());
      if (!this.originAllowed(req, 'websocket')) return refuseUpgrade(socket, 403, 'Forbidden', 'origin not allowed');
      const ip = remoteIp(req.socket.remoteAddress);
      const open = this.connectionsByIp.get(ip) || 0;
      if (open >= o.maxConnectionsPerIp) {
        this.security.connectionsPerIpRefused++;
        this.log.info(`websocket from ${ip} refused: ${open} open (--max-connections-per-ip ${o.maxConnectionsPerIp})`);
        return refuseUpgrade(socket, 429, 'Too Many Requests', `too many connections from this address (${o.maxConnectionsPerIp})`);
      }
      // Counted from the handshake until the TCP connection is gone (a failed handshake too).
      this.connectionsByIp.set(ip, open + 1);
      socket.once('close', () => {
        const n = (this.connectionsByIp.get(ip) || 1) - 1;
        if (n > 0) this.connectionsByIp.set(ip, n);
        else this.connectionsByIp.delete(ip);
      });
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    });
    this.httpServer.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    await new Promise((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(o.port, o.host, () => {
        this.httpServer.off('error', reject);
        resolve();
      });
    });
    this.port = this.httpServer.address().port;
    this.origins = new OriginPolicy({ scheme: this.scheme, host: o.host, port: this.port, allow: o.allowOrigins || [] });
    this.quota.used = await files.dirBytes(this.quota.dir);
    // (The banner reports them: nothing is logged before its first line.)
    this.startupBotsSkipped = [];
    for (const { room, ids } of o.bots || []) this.startupBotsSkipped.push(...this.groupcall.addBots(room, ids).skipped);
    this.applyRestartFault();
    setImmediate(() => this.media.preload());
    return this;
  }

  /** Every URL the server answers, for the start-up banner. */
  urls() {
    const b = this.baseUrl;
    const lines = [
      `groupcall-server listening on ${b}`,
      `  websocket  ${this.wsUrl}`,
      `  web        ${b}/${this.opts.web ? `  (from ${path.resolve(this.opts.web)})` : '  (built-in index; use --web DIR for the client build)'}`,
      `  upload     POST ${b}/upload  (max ${this.opts.maxUploadMb} MiB, stored in ${path.resolve(this.opts.uploads)})`,
      `  files      ${b}/files/<name>`,
      `  stats      ${b}/stats`,
      this.opts.control ? `  control    ${b}/control/  (loopback clients only)` : '  control    off (--control to enable /control/ and participant ids in /stats)',
      `  security   origins: own, loopback${(this.opts.allowOrigins || []).length ? `, ${this.opts.allowOrigins.join(', ')}` : ''}; `
        + `${this.hostCheck ? 'Host checked (loopback); ' : ''}join within ${this.opts.joinTimeoutMs} ms; `
        + `${this.opts.maxConnectionsPerIp} sockets and ${this.opts.maxUploadsPerIp} uploads per IP; upload quota ${this.opts.uploadQuotaMb} MiB`,
    ];
    lines.push(`  kurento    renegotiation ${this.opts.renegotiation}, max frame ${this.opts.maxFrameBytes} bytes`);
    if (this.groupcall.bots.size) {
      const byRoom = new Map();
      for (const b of this.groupcall.bots.values()) byRoom.set(b.room, (byRoom.get(b.room) || 0) + 1);
      lines.push(`  bots       ${[...byRoom].map(([r, n]) => `${n} in room ${r}`).join(', ')}`);
    }
    const skipped = this.startupBotsSkipped || [];
    if (skipped.length) {
      const reasons = [...new Set(skipped.map((x) => x.reason))].join(', ');
      lines.push(`  bots       ${skipped.length} not joined (${reasons}${reasons.includes('roomFull') ? `: raise --max-participants (${this.opts.maxParticipants})` : ''})`);
    }
    const f = this.faults.toJSON();
    if (Object.keys(f).length) lines.push(`  faults     ${JSON.stringify(f)}`);
    return lines;
  }

  async stop() {
    clearInterval(this.restartTimer);
    this.restartTimer = null;
    this.groupcall.shutdown();
    this.media.close();
    if (this.wss) {
      const clients = [...this.wss.clients];
      const deadline = Date.now() + 500;
      while (clients.some((c) => c.readyState !== c.CLOSED) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const c of clients) c.terminate();
      this.wss.close();
    }
    if (this.httpServer) {
      await new Promise((resolve) => {
        this.httpServer.close(() => resolve());
        this.httpServer.closeAllConnections?.();
      });
    }
    // Let werift finish closing its UDP sockets.
    await new Promise((r) => setTimeout(r, 50));
  }

  /** /stats. Participant ids (roomList members, endpoint owners/viewers, repeatOffersByUser) only with --control. */
  stats() {
    const g = this.groupcall.stats;
    const ids = !!this.opts.control;
    return {
      ...this.groupcall.snapshot(ids),
      control: ids,
      rtpPacketsIn: this.media.stats.rtpPacketsIn,
      rtpPacketsOut: this.media.stats.rtpPacketsOut,
      rtpPacketsDropped: this.media.stats.rtpPacketsDropped,
      keyframeRequests: this.media.stats.keyframeRequests,
      pliFromSubscribers: this.media.stats.pliFromSubscribers,
      peerConnections: this.media.stats.peerConnections,
      messagesIn: this.groupcall.stats.messagesIn,
      messagesOut: this.groupcall.stats.messagesOut,
      invalidFrames: this.groupcall.stats.invalidFrames,
      unrecognized: this.groupcall.stats.unrecognized,
      chatRateLimited: this.groupcall.stats.chatRateLimited,
      garbageFramesOut: this.groupcall.stats.garbageFramesOut,
      oversizedFramesOut: this.groupcall.stats.oversizedFramesOut,
      replaced: this.groupcall.stats.replaced,
      drops: this.groupcall.stats.drops,
      restarts: this.groupcall.stats.restarts,
      renegotiation: this.opts.renegotiation,
      maxFrameBytes: this.opts.maxFrameBytes,
      receiveVideoFromIn: g.receiveVideoFromIn,
      repeatOffers: g.repeatOffers,
      ...(ids ? { repeatOffersByUser: { ...g.repeatOffersByUser } } : {}),
      renegotiationCloses: g.renegotiationCloses,
      unknownOwnerCloses: g.unknownOwnerCloses,
      frameTooBigCloses: g.frameTooBigCloses,
      largestFrameIn: g.largestFrameIn,
      stalled: this.media.stalledList(),
      stalledPacketsDropped: this.media.stats.stalledPacketsDropped,
      uploads: this.uploadCount,
      joinTimeouts: g.joinTimeouts,
      ...this.security,
      uploadDiskBytes: this.quota.used,
      uploadQuotaBytes: this.quota.limit,
      faults: this.faults.toJSON(),
      uptimeMs: Date.now() - this.startedAt,
    };
  }

  // ---- HTTP ------------------------------------------------------------------------------

  /** Loopback --host: the Host header must name loopback with our port (DNS rebinding). */
  hostAllowed(req) {
    if (!this.hostCheck || hostHeaderAllowed(req.headers.host, { scheme: this.scheme, port: this.port })) return true;
    this.security.hostRefused++;
    this.log.info(`${req.method} ${req.url} from ${remoteIp(req.socket.remoteAddress)} refused: Host ${JSON.stringify(req.headers.host)} is not loopback:${this.port}`);
    return false;
  }

  hostError() {
    return `Host must be 127.0.0.1:${this.port}, localhost:${this.port} or [::1]:${this.port} (this server is bound to loopback)`;
  }

  /** The Origin check of the WebSocket upgrade, /upload and /control (see OriginPolicy). */
  originAllowed(req, what) {
    if (this.origins.allows(req.headers.origin)) return true;
    this.security.originRefused++;
    this.log.info(`${what} from ${remoteIp(req.socket.remoteAddress)} refused: origin ${JSON.stringify(req.headers.origin)} not allowed (--allow-origin)`);
    return false;
  }

  async handleRequest(req, res) {
    const url = new URL(req.url || '/', 'http://x');
    const p = url.pathname;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!this.hostAllowed(req)) return sendJson(res, 421, { error: this.hostError() });
    if (p === '/groupcall') {
      sendJson(res, 426, { error: 'WebSocket upgrade required' }, { Upgrade: 'websocket' });
      return;
    }
    if (p === '/upload') return this.handleUpload(req, res, url);
    if (p.startsWith('/files/')) return this.handleFiles(req, res, p.slice('/files/'.length), url);
    if (p === '/stats') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
      return sendJson(res, 200, this.stats(), { 'Access-Control-Allow-Origin': '*' });
    }
    if (p === '/control' || p.startsWith('/control/')) return this.handleControl(req, res, url);
    return this.handleStatic(req, res, p);
  }

  async handleUpload(req, res, url) {
    if (!this.originAllowed(req, 'upload')) return sendJson(res, 403, { error: 'origin not allowed' });
    const cors = uploadCors(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { ...cors, Allow: 'POST, OPTIONS' });
    // A refusal before the body is read: answer, stop reading, close the connection.
    const refuse = (status, obj, extra = {}) => {
      sendJson(res, status, obj, { ...cors, Connection: 'close', ...extra });
      req.unpipe?.();
      setTimeout(() => req.socket.destroy(), 200).unref?.();
    };
    const o = this.opts;
    const ip = remoteIp(req.socket.remoteAddress);
    const running = this.uploadsByIp.get(ip) || 0;
    if (running >= o.maxUploadsPerIp) {
      this.security.uploadsPerIpRefused++;
      this.log.info(`upload from ${ip} refused: ${running} running (--max-uploads-per-ip ${o.maxUploadsPerIp})`);
      return refuse(429, { error: 'too many concurrent uploads from this address', maxUploadsPerIp: o.maxUploadsPerIp }, { 'Retry-After': '2' });
    }
    this.uploadsByIp.set(ip, running + 1);
    try {
      await this.quota.begin(); // counts the upload at once: end() below always balances it
      await this.receiveUpload(req, res, url, refuse);
    } catch (e) {
      if (e.message !== 'request aborted') throw e;
      this.log.info(`upload from ${ip} aborted by the client (partial file removed)`);
    } finally {
      this.quota.end();
      const n = (this.uploadsByIp.get(ip) || 1) - 1;
      if (n > 0) this.uploadsByIp.set(ip, n);
      else this.uploadsByIp.delete(ip);
    }
  }

  /** The body goes to a temporary file as it arrives (files.receiveUpload), then gets its name. */
  async receiveUpload(req, res, url, refuse) {
    const limit = Math.floor(this.opts.maxUploadMb * 1024 * 1024);
    const tooLarge = () => {
      this.log.info(`upload refused: larger than ${limit} bytes`);
      refuse(413, { error: 'file too large', maxBytes: limit });
    };
    const overQuota = () => {
      this.security.uploadQuotaRefused++;
      this.log.info(`upload refused: the uploads folder would exceed its quota (${this.quota.limit} bytes, ${this.quota.used} used)`);
      refuse(507, { error: 'upload quota exceeded', quotaBytes: this.quota.limit, availableBytes: Math.max(0, this.quota.available()) });
    };
    const ctype = String(req.headers['content-type'] || '');
    const multipart = /^multipart\/form-data/i.test(ctype);
    let name = null;
    if (!multipart) {
      const header = req.headers['x-file-name'];
      const raw = header !== undefined ? String(header) : url.searchParams.get('name');
      if (raw === null || raw === undefined || raw === '') {
        return refuse(400, { error: 'missing file name: send X-File-Name (URL-encoded UTF-8) or ?name=' });
      }
      try { name = decodeURIComponent(raw); } catch { name = raw; }
    }
    // Multipart framing adds a few hundred bytes around the file.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared)) {
      if (declared > (multipart ? limit + 64 * 1024 : limit)) return tooLarge();
      if (declared - (multipart ? 64 * 1024 : 0) > this.quota.available()) return overQuota();
    }
    const r = await files.receiveUpload(req, this.opts.uploads, {
      limit,
      multipart,
      contentType: ctype,
      reserve: (n) => this.quota.reserve(n),
      release: (n) => this.quota.release(n),
    });
    if (r.error === 'tooLarge') return tooLarge();
    if (r.error === 'quota') return overQuota();
    if (r.error) return sendJson(res, 400, { error: r.message }, uploadCors(req));
    if (multipart) name = r.fileName;
    let stored;
    try {
      stored = await files.commitUpload(path.resolve(this.opts.uploads), r.tmp, name);
    } catch (e) {
      this.quota.release(r.reserved);
      throw e;
    }
    this.quota.commit(r.reserved);
    this.uploadCount++;
    const fileUrl = `/files/${encodeURIComponent(stored)}`;
    this.log.info(`upload: ${JSON.stringify(name)} -> ${stored} (${r.size} bytes)`);
    sendJson(res, 200, { fileUrl, fileName: stored, size: r.size }, uploadCors(req));
  }

  async handleFiles(req, res, encodedName, url) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    let name;
    try { name = decodeURIComponent(encodedName); } catch { return sendJson(res, 400, { error: 'bad file name' }); }
    if (!name || name !== files.safeFileName(name) || name.startsWith('.upload-')) {
      return sendJson(res, 404, { error: 'not found' });
    }
    const file = path.join(path.resolve(this.opts.uploads), name);
    const inline = url.searchParams.get('inline') === '1';
    const ok = await files.serveFile(req, res, file, {
      'Content-Disposition': files.contentDisposition(name, inline ? 'inline' : 'attachment'),
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Access-Control-Allow-Origin': '*',
    });
    if (!ok) sendJson(res, 404, { error: 'not found' });
  }

  async handleStatic(req, res, p) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    const headers = { 'Content-Security-Policy': this.csp };
    if (!this.opts.web) {
      if (p !== '/' && p !== '/index.html') return sendJson(res, 404, { error: 'not found' });
      const html = this.builtinIndex();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    let file = files.resolveInside(this.opts.web, p);
    if (!file) return sendJson(res, 400, { error: 'bad path' });
    if (p.endsWith('/')) file = path.join(file, 'index.html');
    else {
      try {
        if (fs.statSync(file).isDirectory()) {
          res.writeHead(301, { Location: p + '/' });
          res.end();
          return;
        }
      } catch { /* not found below */ }
    }
    if (/\.html?$/i.test(file)) headers['Content-Security-Policy'] = withInlineScriptHashes(this.csp, inlineScriptHashes(file));
    if (!(await files.serveFile(req, res, file, headers))) sendJson(res, 404, { error: 'not found' });
  }

  builtinIndex() {
    const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
    const users = [...this.users.values()].map((u) => `<li>${u.id}: ${esc(u.prefix)}${esc(u.name)}${esc(u.postfix)}</li>`).join('');
    const rooms = [...this.rooms.values()].map((r) => `<li>${r.id}: ${esc(r.name)}${r.password ? ' (password)' : ''}</li>`).join('');
    return `<!doctype html><html><head><meta charset="utf-8"><title>groupcall reference server</title></head><body>
<h1>groupcall reference server</h1>
<p>WebSocket: <code>${esc(this.wsUrl)}</code>. No web build is served (start with <code>--web DIR</code>).</p>
<p><a href="/stats">/stats</a></p><h2>Users</h2><ul>${users}</ul><h2>Rooms</h2><ul>${rooms}</ul></body></html>\n`;
  }

  async handleControl(req, res, url) {
    if (!this.opts.control) return sendJson(res, 404, { error: 'not found (the server runs without --control)' });
    if (!isLoopbackRemote(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'control is for loopback clients only' });
    if (!this.originAllowed(req, 'control')) return sendJson(res, 403, { error: 'origin not allowed' });
    const p = url.pathname.replace(/\/+$/, '');
    const q = url.searchParams;
    const userParam = () => {
      const u = q.get('user');
      if (u === null || u === '' || u === '*') return '*';
      const n = Number(u);
      if (!Number.isSafeInteger(n)) throw new Error('user must be an integer or *');
      return n;
    };
    let body = {};
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE') {
      const b = await files.readBody(req, 64 * 1024);
      if (b.tooLarge) return sendJson(res, 413, { error: 'control body too large' });
      const text = b.data.toString('utf8').trim();
      if (text) {
        try { body = JSON.parse(text); } catch { return sendJson(res, 400, { error: 'body is not JSON' }); }
        if (!body || typeof body !== 'object' || Array.isArray(body)) return sendJson(res, 400, { error: 'body must be a JSON object' });
      }
    }
    try {
      if (p === '/control' || p === '/control/faults' || (p === '/control/fault' && req.method === 'GET')) {
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
        return sendJson(res, 200, { faults: this.faults.toJSON(), garbageKinds: GARBAGE_KINDS });
      }
      if (p === '/control/fault' && (req.method === 'POST' || req.method === 'PUT')) {
        if (body.clear === true) this.faults.clear();
        else if (typeof body.clear === 'string') this.faults.clear(body.clear);
        if (q.get('name')) this.faults.set(q.get('name'), q.has('value') ? q.get('value') : undefined);
        if (typeof body.name === 'string') this.faults.set(body.name, body.value);
        for (const [k, v] of Object.entries(body)) {
          if (k === 'name' || k === 'value' || k === 'clear') continue;
          this.faults.set(k, v);
        }
        this.log.info(`control: faults now ${JSON.stringify(this.faults.toJSON())}`);
        return sendJson(res, 200, { faults: this.faults.toJSON() });
      }
      if ((p === '/control/fault' && req.method === 'DELETE') || (p === '/control/fault/clear' && req.method === 'POST') || (p === '/control/clear' && req.method === 'POST')) {
        const name = q.get('name') || (typeof body.name === 'string' ? body.name : undefined);
        this.faults.clear(name);
        this.log.info(`control: faults now ${JSON.stringify(this.faults.toJSON())}`);
        return sendJson(res, 200, { faults: this.faults.toJSON() });
      }
      if (p === '/control/bots' || p === '/control/bots/clear') return this.controlBots(req, res, p, q, body);
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
      if (p === '/control/stall') {
        const user = controlUser(body.user !== undefined ? body.user : q.get('user'));
        if (user === undefined) return sendJson(res, 400, { error: 'give user (an integer or *)' });
        const rawMs = body.ms !== undefined ? body.ms : q.get('ms');
        const ms = rawMs === undefined || rawMs === null || rawMs === '' ? 0 : Number(rawMs);
        if (!Number.isSafeInteger(ms) || ms < 0) return sendJson(res, 400, { error: 'ms must be a non-negative integer (0 or none: until unstall)' });
        this.media.stall(user, ms);
        return sendJson(res, 200, { stalled: user, ms: ms || null, stalls: this.media.stalledList() });
      }
      if (p === '/control/unstall') {
        const raw = body.user !== undefined ? body.user : q.get('user');
        const user = raw === undefined || raw === null || raw === '' ? undefined : controlUser(raw);
        if (user === undefined && raw !== undefined && raw !== null && raw !== '') return sendJson(res, 400, { error: 'user must be an integer or *' });
        return sendJson(res, 200, { unstalled: this.media.unstall(user), stalls: this.media.stalledList() });
      }
      if (p === '/control/drop') {
        const user = userParam();
        if (user === '*' && q.get('user') === null) return sendJson(res, 400, { error: 'give ?user=N (or user=* for everyone)' });
        return sendJson(res, 200, { dropped: this.groupcall.dropUser(user) });
      }
      if (p === '/control/restart') return sendJson(res, 200, { dropped: this.groupcall.restart() });
      if (p === '/control/garbage') {
        const kind = q.get('kind');
        if (kind && !GARBAGE_KINDS.includes(kind)) return sendJson(res, 400, { error: `unknown kind; known: ${GARBAGE_KINDS.join(', ')}` });
        return sendJson(res, 200, { sentTo: this.groupcall.sendGarbage(userParam(), kind || null) });
      }
      if (p === '/control/oversized') {
        const bytes = q.get('bytes') ? Number(q.get('bytes')) : DEFAULT_OVERSIZED_BYTES;
        if (!Number.isSafeInteger(bytes) || bytes < 64) return sendJson(res, 400, { error: 'bytes must be an integer >= 64' });
        return sendJson(res, 200, { sentTo: this.groupcall.sendOversized(userParam(), bytes) });
      }
    } catch (e) {
      return sendJson(res, 400, { error: e.message });
    }
    return sendJson(res, 404, { error: 'unknown control endpoint' });
  }

  /**
   * POST /control/bots {room, ids: [...]} | {room, from, count} | {room, from, to} -> join;
   * GET -> list; DELETE /control/bots [{room?, ids?}] or POST /control/bots/clear -> leave.
   */
  controlBots(req, res, p, q, body) {
    const roomOf = (v) => {
      if (v === undefined || v === null || v === '') return undefined;
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new Error('room must be an integer');
      return n;
    };
    const idsOf = (src) => {
      let ids = src.ids;
      if (typeof ids === 'string') ids = ids.split(',').filter(Boolean).map(Number);
      if (ids !== undefined) {
        if (!Array.isArray(ids) || !ids.every(Number.isSafeInteger)) throw new Error('ids must be an array of integers');
        return ids;
      }
      if (src.from === undefined || src.from === null) return undefined;
      const from = Number(src.from);
      const to = src.to !== undefined ? Number(src.to) : from + Number(src.count ?? 1) - 1;
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) throw new Error('from/count (or from/to) must give a range of integers');
      if (to - from >= 1000) throw new Error('at most 1000 bots at a time');
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    };
    const src = { ...Object.fromEntries(q), ...body };
    if (p === '/control/bots' && req.method === 'GET') return sendJson(res, 200, { bots: this.groupcall.botList() });
    if (p === '/control/bots' && req.method === 'POST') {
      const ids = idsOf(src);
      if (!ids || !ids.length) return sendJson(res, 400, { error: 'give {room, ids: [...]} or {room, from, count}' });
      const room = roomOf(src.room) ?? 0;
      const r = this.groupcall.addBots(room, ids);
      this.log.info(`control: bots ${r.joined.join(',') || '(none)'} joined room ${room}${r.skipped.length ? `; skipped ${JSON.stringify(r.skipped)}` : ''}`);
      return sendJson(res, 200, { ...r, bots: this.groupcall.bots.size });
    }
    if ((p === '/control/bots' && req.method === 'DELETE') || (p === '/control/bots/clear' && req.method === 'POST')) {
      const left = this.groupcall.removeBots({ room: roomOf(src.room), ids: idsOf(src) });
      this.log.info(`control: bots ${left.join(',') || '(none)'} left`);
      return sendJson(res, 200, { left, bots: this.groupcall.bots.size });
    }
    return sendJson(res, 405, { error: 'use GET, POST or DELETE' });
  }
}

/** A control user parameter: an integer, or '*' (everyone); undefined when missing or bad. */
function controlUser(v) {
  if (v === '*') return '*';
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

module.exports = { ReferenceServer, DEFAULTS, DEFAULT_CSP, makeLogger, ensureCertificate, isLoopbackRemote };
