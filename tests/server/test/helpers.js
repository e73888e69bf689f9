'use strict';
// Test harness: an in-process server on a free loopback port, and a scripted WebSocket
// client that records every frame and waits for them with deadlines (no fixed sleeps).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const WebSocket = require('ws');
const { ReferenceServer } = require('../lib/server');

const quietLogger = { error: () => {}, info: () => {}, debug: () => {} };
const verbose = !!process.env.GROUPCALL_TEST_VERBOSE;

function tmpDir(prefix = 'gc-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function startServer(options = {}) {
  const uploads = options.uploads || tmpDir('gc-uploads-');
  const server = new ReferenceServer({
    host: '127.0.0.1',
    port: 0,
    uploads,
    logger: verbose ? undefined : quietLogger,
    logLevel: verbose ? 'debug' : 'quiet',
    control: true, // the suites drive faults, bots and stalls through /control
    ...options,
  });
  await server.start();
  server.testUploads = uploads;
  if (!options.uploads) {
    const stop = server.stop.bind(server);
    server.stop = async () => {
      await stop();
      fs.rmSync(uploads, { recursive: true, force: true });
    };
  }
  return server;
}

async function waitUntil(fn, { timeout = 5000, interval = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

class Client {
  constructor(url, wsOptions = {}) {
    this.url = url;
    this.frames = []; // {text|binary, json, at}
    this.cursor = 0;
    this.closeInfo = null;
    this.ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024, ...wsOptions });
    this.ws.on('message', (data, isBinary) => {
      const f = { at: Date.now(), binary: isBinary, size: data.length };
      if (!isBinary) {
        f.text = data.toString('utf8');
        try { f.json = JSON.parse(f.text); } catch { f.json = undefined; }
      }
      this.frames.push(f);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
      });
    });
    this.ws.on('error', () => {});
  }

  static async connect(server, wsOptions) {
    const c = new Client(server.wsUrl, wsOptions);
    await new Promise((resolve, reject) => {
      c.ws.once('open', resolve);
      c.ws.once('error', reject);
    });
    return c;
  }

  send(obj) { this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)); }

  /** Protocol messages (JSON objects) received so far. */
  messages() { return this.frames.filter((f) => f.json && typeof f.json === 'object' && !Array.isArray(f.json)).map((f) => f.json); }

  /** Waits for the next message (after the cursor) matching pred; advances the cursor past it. */
  async next(pred, { timeout = 5000 } = {}) {
    const match = typeof pred === 'string' ? (m) => m.type === pred : pred;
    const found = await waitUntil(() => {
      for (let i = this.cursor; i < this.frames.length; i++) {
        const j = this.frames[i].json;
        if (j && typeof j === 'object' && !Array.isArray(j) && match(j)) {
          this.cursor = i + 1;
          return { m: j };
        }
      }
      return null;
    }, { timeout, what: `message ${typeof pred === 'string' ? pred : 'matching predicate'} on ${this.label || 'client'}` });
    return found.m;
  }

  /** Asserts nothing matching pred arrives within ms (used sparingly for "not sent" checks). */
  async none(pred, ms = 200) {
    const match = typeof pred === 'string' ? (m) => m.type === pred : pred;
    const start = this.frames.length;
    await new Promise((r) => setTimeout(r, ms));
    const bad = this.frames.slice(start).find((f) => f.json && match(f.json));
    if (bad) throw new Error(`unexpected message ${bad.text}`);
  }

  /** Round trip: an unknown type is always answered, so its answer marks "server done". */
  async sync() {
    const marker = `sync-${Math.random().toString(36).slice(2)}`;
    const before = this.frames.filter((f) => f.json && f.json.type === 'unrecognizedMessage').length;
    this.send({ type: marker });
    await waitUntil(() => this.frames.filter((f) => f.json && f.json.type === 'unrecognizedMessage').length > before,
      { what: 'sync round trip' });
  }

  async join(userId, room = 1, pw) {
    const msg = { type: 'join', room, userId };
    if (pw !== undefined) msg.pw = pw;
    this.send(msg);
    return this.next((m) => ['existingParticipants', 'userNotFound', 'permisionDeny'].includes(m.type));
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }
}

function request(server, method, urlPath, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        let json;
        try { json = JSON.parse(buf.toString('utf8')); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body: buf, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

module.exports = { startServer, waitUntil, Client, request, tmpDir, quietLogger };
