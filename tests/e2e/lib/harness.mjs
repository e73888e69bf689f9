// End-to-end harness: the reference server on a free loopback port, headless Chromium
// (Debian's /usr/bin/chromium through playwright-core), pages opened from fragment URLs,
// waits on window.groupcall.state() that poll with deadlines, and per-test artifacts
// (screenshot, console, state, server log) kept under tests/e2e/out/<test>/ on failure.
//
// Stable API (tests/e2e and tests/bench use it):
//   paths                                   ROOT, WWW, SERVER_BIN, OUT
//   freePort()                              a loopback port with nothing listening (now)
//   startServer(opts) -> Server             stop(), kill() (SIGKILL), respawn({kill}); opts: {port, faults, args, uploadsDir, web,
//                                            echoChat, maxUploadMb, name, nodeArgs}
//   launchBrowser(opts) -> Browser          opts: {fakeUi, fakeMedia, args, headless, microphone,
//                                            windowWebUI}; browser.gcMarker finds its processes
//   processCommandLines(), browserCommandLine(marker), disabledFeaturesProblem(argv)
//                                           /proc's command lines; the launch's feature check
//   openPage(browser, url, opts) -> Page    opts: {name, viewport, deviceScaleFactor,
//                                            permissions}; page.gc = {name, log[]}
//   pageUrl(server, params) -> string       fragment URL; params: room, user, pw, kiosk,
//                                            publish, lang, w, h, fps (default 320x240@15),
//                                            server (ws URL), upload, extra {key: value}
//   getState(page), getRegions(page), region(page, name, {timeout})
//   getPeers(page), openPeerCount(page)     the app's RTCPeerConnections (wrapped at load)
//   peerStats(page, from), peerCount(page)  getStats() of those connections (video frames)
//   openedWindows(page)                     the app's window.open calls (recorded at load)
//   waitFor(page, pred, {timeout, what, interval}) -> the truthy value pred returned
//   waitForAll(pages, pred, opts)           pred(state, page, index)
//   clickRegion(page, name, {timeout}), join(page, {timeout})
//   settle(page)                            the frames the app asked for are drawn: regions() are current
//   seesVideoFrom(state, ids)               every id has a tile with framesDecoded > 0
//   waitVideoGrows(pages, idsOf, {frames})  each page's counts from idsOf(i) grow (video flows)
//   saveArtifacts(dir, {pages, servers, error})
//   Env                                     owns what one test starts; closes it all
//   e2eTest(name, [opts], fn(env, t))       node:test test() with Env + artifacts
//
// Everything listens on and talks to 127.0.0.1 only. No fixed sleeps: every wait polls a
// condition until a deadline and fails with what it was waiting for and the last state.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const paths = {
  ROOT: path.resolve(here, '../../..'),
  WWW: process.env.GC_WWW || path.resolve(here, '../../../build/web/www'),
  SERVER_BIN: path.resolve(here, '../../server/bin/groupcall-server.js'),
  OUT: process.env.GC_E2E_OUT || path.resolve(here, '../out'),
};

export const CHROMIUM = process.env.GC_CHROMIUM || '/usr/bin/chromium';
export const BASE_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
  // Several users share one browser; none of them is "in the background".
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Loopback only: no host name resolves (every URL the tests use is 127.0.0.1).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
// Chromium 156 renders its omnibox popup as a WebUI page ("top chrome" WebUI) in a renderer
// of its own, started for every new window, and every browser context a test opens is a new
// window: ~250 ms of CPU in the first second of each page opened, on this 2-core machine as
// much as the page itself uses to start (a trace of one cold load of the join screen: the
// WebUI renderer 251-276 ms of CPU, the page's own renderer 282-288 ms). A user's window,
// with its omnibox, exists long before they open the page, so tests and the bench switch
// that popup off. Chromium keeps only the last --disable-features it is given, so this list
// repeats playwright-core's own (its chromiumSwitches); launchBrowser checks, at every launch,
// that the browser's command line has no feature of playwright's that this list lacks.
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin',
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
];
export const WINDOW_WEBUI_FEATURES = ['WebUIOmniboxAimPopup', 'WebUIOmniboxPopup'];  // both, or it still loads
export const DISABLE_FEATURES_ARG = `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...WINDOW_WEBUI_FEATURES].join(',')}`;

export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream'];
export const FAKE_UI_ARGS = ['--use-fake-ui-for-media-stream'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// GC_E2E_TRACE=1: every finished wait is printed with its duration and the time since the
// process started (where a scenario's time goes).
const trace = process.env.GC_E2E_TRACE
  ? (line) => console.log(`[trace +${(performance.now() / 1000).toFixed(2)} s] ${line}`) : () => {};
export const slug = (name) =>
  String(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';

// ---- ports and server ------------------------------------------------------------------

/** A loopback TCP port that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts tests/server on 127.0.0.1. Resolves once it printed its banner.
 *   port: 0 = any free port (default); faults: ['delay=200', 'garbage', ...];
 *   args: extra CLI arguments; uploadsDir: default a fresh temporary folder.
 * The Server keeps its whole log (server.log, server.logText()).
 */
export async function startServer(opts = {}) {
  const server = new Server(opts);
  const t0 = Date.now();
  await server.start();
  trace(`${server.name} started in ${Date.now() - t0} ms`);
  return server;
}

export class Server {
  constructor(opts = {}) {
    this.opts = opts;
    this.name = opts.name || 'server';
    this.port = opts.port || 0;
    this.ownsUploads = !opts.uploadsDir;
    this.uploadsDir = opts.uploadsDir || mkdtempSync(path.join(os.tmpdir(), 'gc-e2e-uploads-'));
    this.log = [];
    this.proc = null;
    this.starts = 0;
  }

  cliArgs() {
    const o = this.opts;
    const args = [paths.SERVER_BIN, '--host', '127.0.0.1', '--port', String(this.port),
                  '--uploads', this.uploadsDir, '--allow-loopback', 'on', '--control'];
    if (o.web !== null) args.push('--web', o.web || paths.WWW);
    if (o.echoChat !== undefined) args.push('--echo-chat', o.echoChat ? 'on' : 'off');
    if (o.maxUploadMb !== undefined) args.push('--max-upload-mb', String(o.maxUploadMb));
    for (const f of o.faults || []) args.push('--fault', f);
    args.push(...(o.args || []));
    return args;
  }

  async start() {
    if (this.proc) throw new Error(`${this.name} already running`);
    const args = this.cliArgs();
    this.starts++;
    this.log.push(`---- start #${this.starts}: node ${args.join(' ')}`);
    const proc = spawn(process.execPath, [...(this.opts.nodeArgs || []), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    exited.then(({ code, signal }) => {
      this.log.push(`---- exit code=${code} signal=${signal}`);
      if (this.proc === proc) this.proc = null;
    });
    const lines = (stream, tag) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          this.log.push(tag + line);
          this.onLine?.(line);
        }
      });
    };
    const banner = new Promise((resolve, reject) => {
      this.onLine = (line) => {
        const m = /listening on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) { this.onLine = null; resolve(Number(m[2])); }
      };
      exited.then(({ code }) => reject(new Error(`${this.name} exited (${code}) before listening:\n` +
                                                  this.log.slice(-20).join('\n'))));
    });
    lines(proc.stdout, '');
    lines(proc.stderr, '[stderr] ');
    const port = await withTimeout(banner, 15000, `${this.name} banner`);
    this.port = port;
    this.origin = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${port}/groupcall`;
    return this;
  }

  logText() { return this.log.join('\n') + '\n'; }

  /** SIGTERM (the server closes sockets with 1001), SIGKILL after 5 s. */
  async stop() {
    const proc = this.proc;
    if (!proc) return;
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }

  /** SIGKILL: the process dies at once, sockets are reset without a close frame. */
  async kill() {
    const proc = this.proc;
    if (!proc) return;
    proc.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the process (SIGTERM, or SIGKILL with {kill: true}) and starts a new one on the same port. */
  async respawn(opts = {}) {
    await (opts.kill ? this.kill() : this.stop());
    await this.start();
  }

  async request(method, pathAndQuery, body) {
    const res = await fetch(this.origin + pathAndQuery, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    if (!res.ok) throw new Error(`${method} ${pathAndQuery}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return json ?? text;
  }

  /** POST /control/<what> (e.g. 'restart', 'drop?user=2', 'fault' with {delay: 200}). */
  control(what, body) { return this.request('POST', '/control/' + what, body); }
  fault(faults) { return this.control('fault', faults); }
  clearFaults() { return this.control('clear'); }
  stats() { return this.request('GET', '/stats'); }

  async close() {
    await this.stop();
    if (this.ownsUploads) rmSync(this.uploadsDir, { recursive: true, force: true });
  }
}

// ---- browser and pages -------------------------------------------------------------------

// A second of silence (mono 16-bit 48 kHz WAV; Chromium loops it), written once per
// process: the fake microphone of launchBrowser({microphone: 'silent'}).
let silentWavFile = null;
export function silentWav() {
  if (silentWavFile) return silentWavFile;
  const rate = 48000;
  const wav = Buffer.alloc(44 + rate * 2);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + rate * 2, 4); wav.write('WAVE', 8); wav.write('fmt ', 12);
  wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22); wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34); wav.write('data', 36);
  wav.writeUInt32LE(rate * 2, 40);
  silentWavFile = path.join(os.tmpdir(), `gc-e2e-silence-${process.pid}.wav`);
  writeFileSync(silentWavFile, wav);
  return silentWavFile;
}

/**
 * One Chromium process with a fresh profile (playwright makes a temporary --user-data-dir
 * and removes it on close). fakeUi: auto-accept camera/microphone prompts (default true);
 * without it, use permissions on openPage or '--deny-permission-prompts' in args.
 * microphone: 'silent' makes the fake microphone play silence instead of Chromium's beep
 * once a second (which speaking rings and meters redraw for).
 * windowWebUI: true keeps Chromium's omnibox WebUI renderer per window (see
 * WINDOW_WEBUI_FEATURES; for the harness's own test only).
 */
export async function launchBrowser(opts = {}) {
  const args = [...BASE_ARGS];
  if (opts.fakeMedia !== false) args.push(...FAKE_MEDIA_ARGS);
  if (opts.microphone === 'silent') args.push(`--use-file-for-fake-audio-capture=${silentWav()}`);
  if (opts.fakeUi !== false) args.push(...FAKE_UI_ARGS);
  // A switch Chromium ignores, to find this browser's process (checkDisabledFeatures).
  const marker = `--gc-harness-browser=${process.pid}-${++launchCount}`;
  args.push(marker);
  if (opts.windowWebUI !== true) args.push(DISABLE_FEATURES_ARG);  // true: Chromium's default (a control)
  args.push(...(opts.args || []));
  // GC_CHROMIUM_ARGS: extra switches for every browser (space-separated; for experiments).
  if (process.env.GC_CHROMIUM_ARGS) args.push(...process.env.GC_CHROMIUM_ARGS.split(/\s+/).filter(Boolean));
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: opts.headless !== false,
    args,
    // Playwright's defaults include --mute-audio etc.; keep them, but nothing that would
    // make Chromium fetch anything from the network.
    env: { ...process.env, TZ: process.env.TZ || 'UTC' },
  });
  trace(`browser launched in ${Date.now() - t0} ms`);
  browser.gcMarker = marker;  // tests/e2e/test/harness.test.mjs finds the browser's processes by it
  try {
    if (opts.windowWebUI !== true) checkDisabledFeatures(marker);
  } catch (e) {
    await browser.close().catch(() => {});
    throw e;
  }
  return browser;
}
let launchCount = 0;

/** Every process's command line, as its argv. A Chromium child forked by the zygote sets its
 *  title, so its /proc cmdline is one string: that one is split at spaces. */
export function processCommandLines() {
  const out = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    let argv;
    try { argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { continue; }
    out.push(argv.length === 1 ? argv[0].split(' ') : argv);
  }
  return out;
}

/** The command line (argv) of the browser process started with `marker`, or null. */
export function browserCommandLine(marker) {
  return processCommandLines().find((argv) => argv.includes(marker) && !argv.some((a) => a.startsWith('--type='))) || null;
}

/** What is wrong with a browser's --disable-features switches (argv: its command line), or
 *  null. Playwright's own list comes first and DISABLE_FEATURES_ARG last (the one Chromium
 *  keeps): every feature an earlier list disables must be in the last one, and so must
 *  WINDOW_WEBUI_FEATURES. */
export function disabledFeaturesProblem(argv) {
  const lists = argv.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice(19).split(','));
  const kept = new Set(lists.at(-1) || []);
  const lost = [...new Set(lists.slice(0, -1).flat())].filter((f) => f && !kept.has(f));
  const window = WINDOW_WEBUI_FEATURES.filter((f) => !kept.has(f));
  if (!lost.length && !window.length) return null;
  const keeps = 'Chromium keeps the last --disable-features it is given';
  if (window.length) {
    return `${keeps}, and that one lacks ${window.join(', ')}: a --disable-features after the harness's ` +
           '(GC_CHROMIUM_ARGS, opts.args) must repeat DISABLE_FEATURES_ARG';
  }
  return `${keeps}, and that one lacks ${lost.join(', ')}: add them to PLAYWRIGHT_DISABLED_FEATURES in tests/e2e/lib/harness.mjs`;
}

function checkDisabledFeatures(marker) {
  const argv = browserCommandLine(marker);
  if (!argv) throw new Error(`launchBrowser: no browser process with ${marker} in /proc`);
  const problem = disabledFeaturesProblem(argv);
  if (problem) throw new Error(`launchBrowser: ${problem}`);
}

/** For openPage's beforeGoto: counts every getUserMedia the page makes in window.__gum, from
 *  before the client starts (each load of the page). */
export async function countCameraRequests(_page, context) {
  await context.addInitScript(() => {
    window.__gum = 0;
    const md = navigator.mediaDevices;
    if (md && md.getUserMedia) {
      const gum = md.getUserMedia.bind(md);
      md.getUserMedia = (...args) => { window.__gum++; return gum(...args); };
    }
  });
}

/**
 * A page in its own browser context (own localStorage, own permissions) at url. Collects
 * the console and page errors into page.gc.log; waits until window.groupcall answers and
 * the first frame is drawn.
 */
export async function openPage(browser, url, opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || { width: 960, height: 640 },
    deviceScaleFactor: opts.deviceScaleFactor || 1,
    permissions: opts.permissions,
    locale: opts.locale || 'en-US',
    timezoneId: opts.timezoneId || 'UTC',
  });
  const page = await context.newPage();
  const t0 = Date.now();
  page.gc = { name: opts.name || 'page', log: [], errors: [], t0 };
  const stamp = () => ((Date.now() - t0) / 1000).toFixed(3).padStart(8);
  page.on('console', (m) => {
    const text = m.text();
    if (/GL Driver Message|GPU stall due to ReadPixels/.test(text)) return;
    page.gc.log.push(`${stamp()} [${m.type()}] ${text}`);
    // main.cpp / index.html report a client that could not start or aborted.
    if (m.type() === 'error' && /client (failed to start|stopped)|Aborted\(/.test(text)) page.gc.errors.push(text);
  });
  page.on('pageerror', (e) => {
    page.gc.log.push(`${stamp()} [pageerror] ${e.stack || e.message}`);
    page.gc.errors.push(e.message);
  });
  page.on('crash', () => {
    page.gc.log.push(`${stamp()} [crash] the page crashed`);
    page.gc.errors.push('page crashed');
  });
  page.on('requestfailed', (r) => page.gc.log.push(`${stamp()} [requestfailed] ${r.url()} ${r.failure()?.errorText}`));
  // Every RTCPeerConnection the app makes, so tests can check which ones are still open.
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    if (!Original) return;
    const peers = [];
    Object.defineProperty(window, '__gcPeers', { value: peers });
    window.RTCPeerConnection = class extends Original {
      constructor(...args) { super(...args); peers.push(this); }
    };
  });
  // Every window.open call (url, target, features), still passed through.
  await context.addInitScript(() => {
    const opened = [];
    Object.defineProperty(window, '__gcOpened', { value: opened });
    const open = window.open.bind(window);
    window.open = (...args) => { opened.push(args.map(String)); return open(...args); };
  });
  if (opts.beforeGoto) await opts.beforeGoto(page, context);
  trace(`${page.gc.name}: context and page in ${Date.now() - t0} ms`);
  await page.goto(url);
  trace(`${page.gc.name}: goto in ${Date.now() - t0} ms`);
  await waitFor(page, (s) => s && s.framesDrawn > 0, { timeout: opts.timeout || 20000, what: 'first frame' });
  return page;
}

/** Fragment URL for the server's web build. params.server overrides the ws URL. */
export function pageUrl(server, params = {}) {
  const p = { w: 320, h: 240, fps: 15, ...params };
  const origin = p.origin || server.origin;
  const keys = [];
  const add = (k, v) => { if (v !== undefined && v !== null) keys.push(`${k}=${encodeURIComponent(String(v))}`); };
  add('server', p.server);
  add('room', p.room);
  add('user', p.user);
  add('pw', p.pw);
  if (p.kiosk !== undefined) add('kiosk', p.kiosk ? 1 : 0);
  if (p.publish !== undefined) add('publish', p.publish ? 1 : 0);
  add('lang', p.lang);
  add('w', p.w); add('h', p.h); add('fps', p.fps);
  add('upload', p.upload);
  for (const [k, v] of Object.entries(p.extra || {})) add(k, v);
  return `${origin}/#${keys.join('&')}`;
}

// ---- state and waiting ------------------------------------------------------------------

export async function getState(page) {
  return page.evaluate(() => (window.groupcall ? window.groupcall.state() : null));
}

/** The page's RTCPeerConnections: [{connectionState, signalingState, directions}]. */
export async function getPeers(page) {
  return page.evaluate(() => (window.__gcPeers || []).map((pc) => ({
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
    directions: pc.signalingState === 'closed' ? [] : pc.getTransceivers().map((t) => t.direction),
  })));
}

/**
 * Media statistics of the page's RTCPeerConnections from index `from` on (creation order):
 * [{index, connectionState, directions, framesDecoded, framesEncoded}] (video only).
 */
export async function peerStats(page, from = 0) {
  return page.evaluate(async (start) => {
    const out = [];
    const peers = window.__gcPeers || [];
    for (let i = start; i < peers.length; i++) {
      const pc = peers[i];
      const row = { index: i, connectionState: pc.connectionState, directions: [], framesDecoded: 0, framesEncoded: 0 };
      if (pc.signalingState !== 'closed') {
        row.directions = pc.getTransceivers().map((t) => t.direction);
        try {
          (await pc.getStats()).forEach((r) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') row.framesDecoded += r.framesDecoded || 0;
            if (r.type === 'outbound-rtp' && r.kind === 'video') row.framesEncoded += r.framesEncoded || 0;
          });
        } catch { /* closed meanwhile */ }
      }
      out.push(row);
    }
    return out;
  }, from);
}

/** How many RTCPeerConnections the page has created so far. */
export async function peerCount(page) {
  return page.evaluate(() => (window.__gcPeers || []).length);
}

/** The window.open calls the page made: [[url, target, features], ...]. */
export async function openedWindows(page) {
  return page.evaluate(() => window.__gcOpened || []);
}

/** How many of the page's RTCPeerConnections are not closed. */
export async function openPeerCount(page) {
  return (await getPeers(page)).filter((p) => p.signalingState !== 'closed').length;
}

export async function getRegions(page) {
  return page.evaluate(() => (window.groupcall ? window.groupcall.regions() : []));
}

function summarize(state) {
  if (!state) return String(state);
  const s = {
    phase: state.phase, error: state.error, selfId: state.selfId, room: state.room,
    self: state.self && { publish: state.self.publish, mediaReady: state.self.mediaReady, mediaError: state.self.mediaError },
    participants: (state.participants || []).map((p) => `${p.id}:${p.media}:${p.framesDecoded}${p.tile ? '' : ':notile'}`),
    chat: (state.chat || []).map((c) => `${c.sender}${c.self ? '(self)' : ''}:${c.status}:${c.text.slice(0, 40)}`),
    files: (state.files || []).map((f) => `${f.name}:${f.linkable ? 'link' : 'text'}:${f.url.slice(0, 60)}`),
    uploads: (state.uploads || []).map((u) => `${u.name}:${u.state}:${u.percent}%:${u.error || ''}`),
    notices: state.notices, reconnectAttempts: state.reconnectAttempts,
  };
  return JSON.stringify(s);
}

/**
 * Polls pred(state, page) (evaluated in Node over window.groupcall.state()) until it
 * returns something truthy, which is returned. Throws after timeout ms with `what` and the
 * last state. A page error or crash is fatal at once.
 */
export async function waitFor(page, pred, opts = {}) {
  const timeout = opts.timeout ?? 15000;
  const interval = opts.interval ?? 150;
  const what = opts.what || pred.toString().slice(0, 120);
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    if (page.isClosed()) throw new Error(`${page.gc?.name || 'page'}: closed while waiting for ${what}`);
    try {
      last = await page.evaluate(() => (window.groupcall ? window.groupcall.state() : null));
      lastError = undefined;
      const v = await pred(last, page);
      if (v) {
        trace(`${page.gc?.name || 'page'}: ${what} after ${Date.now() - (deadline - timeout)} ms`);
        return v;
      }
    } catch (e) {
      lastError = e;
      if (/Target .*closed|crash/i.test(String(e.message))) throw e;
    }
    if (page.gc?.errors?.length) {
      throw new Error(`${page.gc.name}: page error while waiting for ${what}: ${page.gc.errors.join(' | ')}`);
    }
    if (Date.now() >= deadline) {
      const err = new Error(`${page.gc?.name || 'page'}: timed out after ${timeout} ms waiting for ${what}; ` +
                            `last state: ${summarize(last)}${lastError ? `; last error: ${lastError.message}` : ''}`);
      err.lastState = last;
      throw err;
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

/** waitFor on every page (concurrently); pred(state, page, index). */
export async function waitForAll(pages, pred, opts = {}) {
  return Promise.all(pages.map((page, i) =>
    waitFor(page, (s) => pred(s, page, i), { ...opts, what: `${opts.what || 'condition'} (${page.gc?.name || i})` })));
}

/** A non-page wait: polls an async function until truthy or the deadline. */
export async function waitUntil(fn, opts = {}) {
  const timeout = opts.timeout ?? 15000;
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = e; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${opts.what || fn.toString().slice(0, 120)}` +
                      (last instanceof Error ? `: ${last.message}` : ''));
    }
    await sleep(opts.interval ?? 150);
  }
}

/**
 * Waits until the app has drawn every frame it asked for (render on demand: a state change
 * asks for a few, ImGui needs them to settle auto-sized windows), so regions() describe
 * what is on screen and where the next click lands. Gives up quietly after 5 s (a caret
 * or an animation may keep asking); the caller's own wait then decides.
 */
export async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => {
    const until = performance.now() + 5000;
    const check = () => {
      const s = window.groupcall ? window.groupcall.state() : null;
      if ((s && !s.framesPending) || performance.now() > until) resolve();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }));
}

export async function region(page, name, opts = {}) {
  await settle(page);
  const match = typeof name === 'function' ? name : (r) => r.name === name;
  let found;
  await waitUntil(async () => {
    found = (await getRegions(page)).find(match);
    return found;
  }, { timeout: opts.timeout ?? 10000, what: `${page.gc?.name || 'page'}: region ${name}` });
  return found;
}

/** Clicks the centre of a named UI region (the real ImGui widget) with the mouse. */
export async function clickRegion(page, name, opts = {}) {
  const r = await region(page, name, opts);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  return r;
}

/** Clicks the join screen's button and waits for "in-room". */
export async function join(page, opts = {}) {
  await clickRegion(page, 'join/button');
  return waitFor(page, (s) => s.phase === 'in-room' && s, { timeout: opts.timeout ?? 15000, what: 'phase in-room' });
}

/** True when every id has a tile and decoded frames (> minFrames) in this state. */
export function seesVideoFrom(state, ids, minFrames = 0) {
  if (!state || state.phase !== 'in-room') return false;
  return ids.every((id) => {
    const p = state.participants.find((q) => q.id === id);
    return p && p.tile && p.framesDecoded > minFrames;
  });
}

/**
 * Video keeps flowing: on every page, the decoded-frame count of each id in idsOf(i) grows
 * by at least `frames` (default 3) beyond the count when this is called. A guarantee the
 * product makes (video keeps arriving), not a rate only a quiet machine reaches: the
 * deadline is long (default 45 s), and a starved machine decodes slowly but still decodes.
 */
export async function waitVideoGrows(pages, idsOf, opts = {}) {
  const grow = opts.frames ?? 3;
  const before = await Promise.all(pages.map((p) => getState(p)));
  const count = (s, id) => participant(s, id)?.framesDecoded ?? 0;
  return waitForAll(pages, (s, _p, i) => s.phase === 'in-room' &&
                      idsOf(i).every((id) => count(s, id) >= count(before[i], id) + grow),
                    { timeout: opts.timeout ?? 45000, what: opts.what || 'video keeps flowing' });
}

export function participant(state, id) {
  return state?.participants?.find((p) => p.id === id);
}

// ---- artifacts ---------------------------------------------------------------------------

export async function saveArtifacts(dir, { pages = [], servers = [], error } = {}) {
  mkdirSync(dir, { recursive: true });
  let load = '';
  try { load = readFileSync('/proc/loadavg', 'utf8').trim(); } catch { /* not Linux */ }
  if (error) writeFileSync(path.join(dir, 'error.txt'), `${error.stack || error}\n\nload average: ${load}\n`);
  for (const [i, page] of pages.entries()) {
    const name = `${String(i + 1).padStart(2, '0')}-${slug(page.gc?.name || 'page')}`;
    writeFileSync(path.join(dir, `${name}-console.txt`), (page.gc?.log || []).join('\n') + '\n');
    if (page.isClosed()) continue;
    try {
      await page.screenshot({ path: path.join(dir, `${name}.png`), timeout: 5000 });
    } catch (e) {
      writeFileSync(path.join(dir, `${name}-screenshot-error.txt`), String(e));
    }
    try {
      const [state, regions] = await Promise.all([getState(page), getRegions(page)]);
      writeFileSync(path.join(dir, `${name}-state.json`), JSON.stringify({ state, regions }, null, 1));
    } catch (e) {
      writeFileSync(path.join(dir, `${name}-state-error.txt`), String(e));
    }
  }
  for (const [i, server] of servers.entries()) {
    const name = i ? `server-${i + 1}` : 'server';
    writeFileSync(path.join(dir, `${name}.log`), server.logText());
    if (server.proc) {
      try {
        writeFileSync(path.join(dir, `${name}-stats.json`), JSON.stringify(await server.stats(), null, 1));
      } catch (e) {
        writeFileSync(path.join(dir, `${name}-stats-error.txt`), String(e));
      }
    }
  }
}

// ---- per-test environment -----------------------------------------------------------------

// One Chromium per test file (node:test runs each file in its own process), shared by the
// tests that do not ask for a browser of their own: each page still gets a fresh browser
// context (own storage, permissions, HTTP cache), but the browser's launch, its first
// context and the GPU process's SwiftShader warm-up (shader JIT) are paid once per file
// instead of once per test (about 2 s each). A test that fails closes it, so the next test
// starts from a fresh browser; e2eTest closes it after the file's last test. Its fake
// microphones are silent: a scenario about sound (speaking, the meters) launches a browser
// of its own with Chromium's beeping one (env.browser()); elsewhere the beep would only make
// every page redraw its rings and meters a few times a second (call + chat scenarios: 102
// and 113 s silent, 113 and 123 s beeping).
let sharedBrowserPromise = null;
let sharedAfterHook = false;
function sharedBrowser() {
  if (!sharedBrowserPromise) {
    sharedBrowserPromise = launchBrowser({ microphone: 'silent' });
    sharedBrowserPromise.catch(() => { sharedBrowserPromise = null; });
  }
  return sharedBrowserPromise;
}
export async function closeSharedBrowser() {
  const p = sharedBrowserPromise;
  sharedBrowserPromise = null;
  if (p) await (await p.catch(() => null))?.close().catch(() => {});
}

/**
 * Owns what one test starts (servers, browsers, pages) and closes it all. With
 * {sharedBrowser: true} (what e2eTest uses) pages without a browser of their own open in the
 * file's shared browser, and only their contexts are closed.
 */
export class Env {
  constructor(name, opts = {}) {
    this.name = name;
    this.useSharedBrowser = !!opts.sharedBrowser;
    this.dir = path.join(paths.OUT, slug(name));
    this.servers = [];
    this.browsers = [];
    this.pages = [];
    this.defaultBrowser = null;
  }

  async server(opts = {}) {
    const s = await startServer({ name: `server${this.servers.length ? this.servers.length + 1 : ''}`, ...opts });
    this.servers.push(s);
    return s;
  }

  /** A server object that is not started yet (e.g. to start it later on a fixed port). */
  serverLater(opts = {}) {
    const s = new Server({ name: `server${this.servers.length ? this.servers.length + 1 : ''}`, ...opts });
    this.servers.push(s);
    return s;
  }

  async browser(opts = {}) {
    const b = await launchBrowser(opts);
    this.browsers.push(b);
    return b;
  }

  /** Opens a page; opts.browser defaults to one shared browser launched on first use. */
  async page(url, opts = {}) {
    let browser = opts.browser;
    if (!browser && this.useSharedBrowser) browser = await sharedBrowser();
    if (!browser) {
      // One launch however many pages ask at once (users() opens them concurrently).
      if (!this.defaultBrowser) this.defaultBrowser = this.browser();
      browser = await this.defaultBrowser;
    }
    const name = opts.name || `page${this.pages.length + 1}`;
    // Registered before goto so a failure while loading still leaves its console.
    let page;
    const p = openPage(browser, url, {
      ...opts, name,
      beforeGoto: async (pg, ctx) => { page = pg; this.pages.push(pg); if (opts.beforeGoto) await opts.beforeGoto(pg, ctx); },
    });
    await p;
    return page;
  }

  /**
   * Opens users' pages (pageUrl params each) concurrently and joins them (join: true).
   * Light rooms: a scenario whose subject is not media (chat, IME, files) keeps one
   * publisher and joins the others with `publish: false`, so a call is in progress while
   * the run's two cores are not spent on streams nobody checks (each more publisher is a
   * camera, an encoder and a decoder per other page). The scenarios are CPU-bound together
   * (tests/run-all.sh): 5a went from 26.7 to 22.4 core-seconds this way (2026-12-04).
   */
  async users(server, list, opts = {}) {
    const pages = await Promise.all(list.map((params) =>
      this.page(pageUrl(server, params), { name: params.name || `user${params.user}`, ...opts })));
    if (opts.join !== false) await Promise.all(pages.map((p) => join(p, opts)));
    return pages;
  }

  /** Fails the test if any page logged an uncaught error or crashed. */
  assertNoPageErrors() {
    const bad = this.pages.filter((p) => p.gc.errors.length);
    if (bad.length) throw new Error('page errors: ' + bad.map((p) => `${p.gc.name}: ${p.gc.errors.join(' | ')}`).join('; '));
  }

  async fail(error) {
    await saveArtifacts(this.dir, { pages: this.pages, servers: this.servers, error });
  }

  async close() {
    // Rule 12 figure: the largest frame each page sent, appended for tests/run-all.sh.
    for (const page of this.pages) {
      const sent = await page.evaluate(() => (window.groupcall ? window.groupcall.state().largestFrameSent : null))
        .catch(() => null);
      if (typeof sent === 'number' && sent > 0) {
        try {
          mkdirSync(paths.OUT, { recursive: true });
          appendFileSync(path.join(paths.OUT, 'largest-frames.jsonl'),
                         JSON.stringify({ test: this.name, page: page.gc.name, largestFrameSent: sent }) + '\n');
        } catch { /* a figure, never a failure */ }
      }
    }
    const t0 = Date.now();
    // Contexts first (a page in the shared browser closes with its context, not the browser).
    await Promise.all(this.pages.map((p) => p.context().close().catch(() => {})));
    for (const b of this.browsers) await b.close().catch(() => {});
    trace(`browsers closed in ${Date.now() - t0} ms`);
    for (const s of this.servers) await s.close().catch(() => {});
    trace(`closed in ${Date.now() - t0} ms`);
  }
}

/**
 * A node:test test with an Env: fn(env, t). On failure the artifacts go to
 * tests/e2e/out/<slug(name)>/ (emptied first); everything is closed either way.
 * opts: node:test options (timeout defaults to 120 s).
 */
export function e2eTest(name, opts, fn) {
  if (typeof opts === 'function') { fn = opts; opts = {}; }
  if (!sharedAfterHook) {
    sharedAfterHook = true;
    after(closeSharedBrowser);
  }
  return test(name, { timeout: 120000, ...opts }, async (t) => {
    const env = new Env(name, { sharedBrowser: true });
    rmSync(env.dir, { recursive: true, force: true });
    let failed = false;
    try {
      await fn(env, t);
      env.assertNoPageErrors();
    } catch (error) {
      failed = true;
      await env.fail(error).catch((e) => console.error('saving artifacts failed:', e));
      console.error(`artifacts: ${env.dir}`);
      throw error;
    } finally {
      await env.close();
      if (failed) await closeSharedBrowser();
    }
  });
}

export async function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  try { return await Promise.race([promise, t]); } finally { clearTimeout(timer); }
}
