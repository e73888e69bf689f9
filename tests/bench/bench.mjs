// The benchmarks of issue 6. Run through tests/bench/run (which builds what is missing);
//   node bench.mjs --out DIR [--www DIR] [--gc-bench PATH] [--only a,b,...]
// Sections: bytes, startup, ttv (time to video + idle), ui (UI frame cost + memory), native.
// Prints a table (figure, value, goal, PASS/MISS) and writes DIR/bench-results.json.
// What each figure measures is documented in README.md next to this file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import WebSocket from 'ws';

import {
  clickRegion, launchBrowser, openPage, pageUrl, paths, peerStats, region, startServer, waitUntil, withTimeout,
} from '../e2e/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const OUT = path.resolve(args.out || path.join(paths.ROOT, 'build/bench'));
const WWW = path.resolve(args.www || paths.WWW);
const GC_BENCH = path.resolve(args['gc-bench'] || path.join(paths.ROOT, 'build/native/tests/bench/native/gc_bench'));
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const INSTRUMENT = readFileSync(path.join(here, 'instrument.js'), 'utf8');
mkdirSync(OUT, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[bench ${((Date.now() - T0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const T0 = Date.now();

const GOALS = {
  gzipWasmJs: 300 * 1000,     // bytes (KB = 1000 bytes)
  joinScreenMs: 300,
  idleFps: 0,
  uiFrameP95Ms: 4,
  fps4P10: 12,
  nativeMsgsPerSec: 2e6,
  maxFrameBytes: 8192,        // the Kurento server's Tomcat closes bigger frames with 1009
};

const results = {
  version: 1,
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
  www: WWW,
  goals: GOALS,
  errors: {},
};

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    o[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return o;
}

function quantile(values, q) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (v) => quantile(v, 0.5);
const max = (v) => (v.length ? Math.max(...v) : null);
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

// ---- shared: server and browser ------------------------------------------------------------

// A users file big enough for 25 participants (the default has 12): ids 1-60, Chinese and
// Latin names, some with department prefixes and role postfixes, like the default file.
function writeUsersFile() {
  const family = ['张', '李', '王', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
  const given = ['伟', '娜', '芳', '洋', '静', '磊', '敏', '强', '丽', '军', '杰', '婷'];
  const latin = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy'];
  const depts = ['[研发部]', '[市场部]', '[财务部]', '', '[Sales]', ''];
  const users = [];
  for (let id = 1; id <= 60; id++) {
    const name = id % 3 === 0 ? `${latin[id % latin.length]} ${String.fromCharCode(65 + (id % 26))}.`
                              : family[id % family.length] + given[(id * 7) % given.length];
    users.push({ id, name, prefix: depts[id % depts.length], postfix: id % 5 === 0 ? '(嘉宾)' : '' });
  }
  const file = path.join(OUT, 'bench-users.json');
  writeFileSync(file, JSON.stringify(users, null, 1));
  return file;
}

let server = null;
async function getServer() {
  if (server) return server;
  server = await startServer({
    name: 'bench-server', web: WWW,
    args: ['--users', writeUsersFile(), '--max-participants', '64', '--chat-rate', '1000000/1',
           '--log-level', 'quiet'],
  });
  log(`server ${server.origin}`);
  return server;
}

let browser = null;
async function getBrowser() {
  if (browser) return browser;
  browser = await launchBrowser({});
  log(`chromium ${browser.version()}`);
  return browser;
}

const VIEWPORT = { width: 1280, height: 720 };

async function benchPage(url, name) {
  return openPage(await getBrowser(), url, {
    name, viewport: VIEWPORT, timeout: 30000,
    beforeGoto: (page) => page.addInitScript({ content: INSTRUMENT }),
  });
}
const benchState = (page) => page.evaluate(() => window.__bench);

// ---- 1. bytes --------------------------------------------------------------------------------

function benchBytes() {
  const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
  const file = (rel) => {
    const buf = readFileSync(path.join(WWW, rel));
    return { file: rel, raw: buf.length, gzip: gz(buf) };
  };
  const html = readFileSync(path.join(WWW, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  const wasm = file('groupcall.wasm');
  const js = scripts.map(file);
  const other = ['index.html', ...styles].map(file);
  const fonts = readdirSync(path.join(WWW, 'fonts')).filter((f) => statSync(path.join(WWW, 'fonts', f)).isFile())
    .map((f) => file(`fonts/${f}`));
  const sum = (list, k) => list.reduce((a, x) => a + x[k], 0);
  const all = [wasm, ...js, ...other, ...fonts];
  const r = {
    wasm, js, other, fonts,
    jsTotal: { raw: sum(js, 'raw'), gzip: sum(js, 'gzip') },
    wasmPlusJs: { raw: wasm.raw + sum(js, 'raw'), gzip: wasm.gzip + sum(js, 'gzip') },
    fontsTotal: { raw: sum(fonts, 'raw'), gzip: sum(fonts, 'gzip') },
    total: { raw: sum(all, 'raw'), gzip: sum(all, 'gzip') },
    note: 'gzip -9 (zlib level 9). .js = every script index.html loads; the Latin base font is inside the .wasm; fonts/ is fetched after the first frame.',
  };
  return r;
}

// ---- 2. start-up -----------------------------------------------------------------------------

// Ten cold loads: each in a fresh browser context (empty HTTP cache, so no cached or
// compiled Wasm), the join screen URL (no kiosk). Measured in the page: navigation start
// (performance.timeOrigin) -> the end of the first frame the frontend draws (the moment
// gcFrontend.firstFrame() runs: ImGui has built the join screen and its WebGL draw calls
// are issued; the compositor shows it on the next vsync).
async function benchStartup() {
  const srv = await getServer();
  const b = await getBrowser();
  const url = pageUrl(srv, { room: 1, user: 1, lang: 'en' });
  const loads = [];
  // One warm-up load (not counted) so the browser process itself is not cold.
  for (let i = 0; i < 11; i++) {
    const context = await b.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.addInitScript({ content: INSTRUMENT });
      await page.goto(url);
      await waitUntil(() => page.evaluate(() => window.__bench.firstFrame !== null), { timeout: 30000, what: 'first frame' });
      const m = await page.evaluate(() => {
        const res = (suffix) => {
          const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith(suffix));
          return e ? { start: e.startTime, end: e.responseEnd } : null;
        };
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          firstFrame: window.__bench.firstFrame,
          html: nav ? nav.responseEnd : null,
          domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
          js: res('groupcall.js'), wasm: res('groupcall.wasm'),
          loadingTextPainted: fcp ? fcp.startTime : null,
          moduleReady: window.__bench.moduleReady ?? null,
        };
      });
      if (i > 0) loads.push(m);
    } finally {
      await context.close();
    }
  }
  let diagnostic = null;
  try { diagnostic = await startupDiagnostic(b, url); } catch (e) { diagnostic = { error: String(e) }; }
  const ff = loads.map((l) => l.firstFrame);
  return {
    diagnostic,
    what: 'navigation start -> end of the first frame drawn (join screen), fresh context each, median of 10 (after 1 uncounted warm-up)',
    medianMs: round(median(ff)), minMs: round(Math.min(...ff)), maxMs: round(max(ff)),
    breakdownMedianMs: {
      htmlResponseEnd: round(median(loads.map((l) => l.html))),
      jsResponseEnd: round(median(loads.map((l) => l.js?.end ?? NaN))),
      wasmResponseEnd: round(median(loads.map((l) => l.wasm?.end ?? NaN))),
      domContentLoaded: round(median(loads.map((l) => l.domContentLoaded))),
      loadingTextPainted: round(median(loads.map((l) => l.loadingTextPainted))),
      firstFrame: round(median(ff)),
    },
    loads: loads.map((l) => ({ ...l, firstFrame: round(l.firstFrame) })),
  };
}

// One more load (not counted) with timing wrappers on WebAssembly instantiation, canvas
// getContext and every WebGL2 call, to see where the time before the first frame goes.
const STARTUP_WRAPPERS = `(() => {
  const D = window.__startup = { wasm: [], getContext: 0, gl: {} };
  window.__bench.recordFrames = true;
  const wrapAsync = (obj, name) => {
    const f = obj[name];
    obj[name] = function () {
      const t = performance.now();
      const p = f.apply(this, arguments);
      p.then(() => D.wasm.push([name, t, performance.now()]), () => {});
      return p;
    };
  };
  wrapAsync(WebAssembly, 'instantiateStreaming');
  wrapAsync(WebAssembly, 'instantiate');
  const gc = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function () {
    const t = performance.now();
    try { return gc.apply(this, arguments); } finally { D.getContext += performance.now() - t; }
  };
  const proto = WebGL2RenderingContext.prototype;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d || typeof d.value !== 'function' || name === 'constructor') continue;
    const f = d.value;
    proto[name] = function () {
      const t = performance.now();
      try { return f.apply(this, arguments); } finally {
        if (window.__bench.firstFrame === null) {
          const e = D.gl[name] || (D.gl[name] = [0, 0]);
          e[0]++; e[1] += performance.now() - t;
        }
      }
    };
  }
})();`;

async function startupDiagnostic(b, url) {
  const context = await b.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: INSTRUMENT });
    await page.addInitScript({ content: STARTUP_WRAPPERS });
    await page.goto(url);
    await waitUntil(() => page.evaluate(() => window.__bench.firstFrame !== null), { timeout: 30000, what: 'first frame' });
    return await page.evaluate(() => {
      const D = window.__startup;
      const gl = Object.entries(D.gl).sort((a, b) => b[1][1] - a[1][1]);
      const glMs = gl.reduce((a, [, x]) => a + x[1], 0);
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return {
        note: 'one extra load with timing wrappers (adds a little overhead); ms since navigation start',
        wasmFetchStart: wasm ? Math.round(wasm.startTime) : null,
        wasmFetchEnd: wasm ? Math.round(wasm.responseEnd) : null,
        wasmInstantiate: D.wasm.map(([n, t0, t1]) => ({ call: n, start: Math.round(t0), end: Math.round(t1) })),
        moduleReady: Math.round(window.__bench.moduleReady),
        firstFrame: Math.round(window.__bench.firstFrame),
        firstRafCallbacks: window.__bench.frames.slice(0, 3).map(([t, d]) => ({ start: Math.round(t), ms: Math.round(d * 10) / 10 })),
        getContextMs: Math.round(D.getContext * 10) / 10,
        glMsBeforeFirstFrame: Math.round(glMs * 10) / 10,
        topGl: gl.slice(0, 6).map(([n, [c, t]]) => ({ name: n, calls: c, ms: Math.round(t * 10) / 10 })),
      };
    });
  } finally {
    await context.close();
  }
}

// ---- 3. time to video + idle -------------------------------------------------------------------

// Users join one after another (each click on the real Join button), each waiting until
// every subscription in the room decodes. A join by user k creates the subscriptions k->j
// (k sees j) and j->k for every j already there; each is timed from k's click to the first
// frame its receiving RTCPeerConnection decodes (getStats framesDecoded > 0, polled every
// 25 ms). Page clocks are epoch ms, comparable between pages on one machine.
async function roomTrial(room, users, srv) {
  const pages = [];
  for (const user of users) {
    pages.push(await benchPage(pageUrl(srv, { room, user, w: 320, h: 240, fps: 15, lang: 'en' }), `u${user}`));
  }
  const clicks = [];
  for (let k = 0; k < users.length; k++) {
    const page = pages[k];
    await region(page, 'join/button', { timeout: 15000 });
    await clickRegion(page, 'join/button');
    // Park the mouse outside every widget (no hover frames later, e.g. while idle).
    await page.mouse.move(VIEWPORT.width - 2, 2);
    const earlier = users.slice(0, k).map(String);
    const me = String(users[k]);
    await waitUntil(async () => {
      const mine = await benchState(page);
      if (!earlier.every((id) => id in mine.decoded)) return false;
      for (let j = 0; j < k; j++) if (!(me in (await benchState(pages[j])).decoded)) return false;
      return true;
    }, { timeout: 45000, interval: 100, what: `user ${me}: all subscriptions decode` });
    clicks.push((await benchState(page)).joinClick);
  }
  // The client shows a <video> once its own stats poll (1/s) sees frames: wait for that too.
  const ids = users.map(String);
  const shownAll = async () => {
    const st = await Promise.all(pages.map(benchState));
    return st.every((b, i) => ids.every((o, j) => j === i || o in b.shown)) && st;
  };
  let states;
  try { states = await waitUntil(shownAll, { timeout: 8000, interval: 100, what: 'every video shown' }); }
  catch (e) { states = await Promise.all(pages.map(benchState)); }
  const pairs = [];
  for (let k = 1; k < users.length; k++) {
    const me = ids[k];
    const mine = states[k];
    const t0 = clicks[k];
    const rel = (t) => (t === null || t === undefined ? null : round(t - t0));
    for (let j = 0; j < k; j++) {
      const o = ids[j];
      const other = states[j];
      pairs.push({
        viewer: me, owner: o, side: 'joiner', room,
        socketCreated: rel(mine.socketCreated), socketOpen: rel(mine.socketOpen), joinSent: rel(mine.joinSent),
        participantList: rel(mine.participantList),
        offerSent: rel(mine.offerSent[o]), answer: rel(mine.answer[o]), connected: rel(mine.connected[o]),
        firstFrame: rel(mine.decoded[o]), shown: rel(mine.shown[o]), presented: rel(mine.presented[o]),
        publishOffer: rel(mine.offerSent[me]), publishConnected: rel(mine.connected[me]),
      });
      pairs.push({
        viewer: o, owner: me, side: 'existing', room,
        participantList: rel(other.arrived[me]),
        offerSent: rel(other.offerSent[me]), answer: rel(other.answer[me]), connected: rel(other.connected[me]),
        firstFrame: rel(other.decoded[me]), shown: rel(other.shown[me]), presented: rel(other.presented[me]),
        publishOffer: rel(mine.offerSent[me]), publishConnected: rel(mine.connected[me]),
      });
    }
  }
  return { pages, pairs };
}

function summarizePairs(pairs) {
  const steps = ['socketCreated', 'socketOpen', 'joinSent', 'participantList', 'offerSent', 'answer', 'connected',
                 'firstFrame', 'shown', 'presented', 'publishOffer', 'publishConnected'];
  const bySide = (side) => {
    const list = pairs.filter((p) => p.side === side);
    const o = { n: list.length };
    for (const s of steps) {
      const v = list.map((p) => p[s]).filter((x) => x !== null && x !== undefined);
      if (v.length) o[s] = round(median(v));
    }
    return o;
  };
  const ff = pairs.map((p) => p.firstFrame);
  const shown = pairs.map((p) => p.shown).filter((x) => x !== null);
  return {
    subscriptions: pairs.length,
    medianMs: round(median(ff)), maxMs: round(max(ff)),
    shownMedianMs: round(median(shown)), shownMaxMs: round(max(shown)),
    breakdownMedianMs: { joiner: bySide('joiner'), existing: bySide('existing') },
    pairs,
  };
}

// Rule 12: the largest frame any bench page sent (state().largestFrameSent), over the run.
const frames = { largestSent: 0, pages: 0 };
async function closePages(pages) {
  for (const p of pages) {
    const sent = await p.evaluate(() => (window.groupcall ? window.groupcall.state().largestFrameSent : 0)).catch(() => 0);
    frames.largestSent = Math.max(frames.largestSent, sent || 0);
    frames.pages++;
    await p.context().close().catch(() => {});
  }
}

async function benchTimeToVideo() {
  const srv = await getServer();
  const out = {
    what: 'click on Join -> first decoded frame (getStats framesDecoded > 0) of every subscription the join creates (both directions), 320x240@15 fake camera; "shown" = the client displays that <video>',
  };
  // Two users: three rooms, one after another (2 subscriptions each).
  const two = [];
  for (let t = 0; t < 3; t++) {
    const { pages, pairs } = await roomTrial(201 + t, [1, 2], srv);
    two.push(...pairs);
    await closePages(pages);
    await sleep(300);
  }
  out.users2 = summarizePairs(two);
  log(`time to video, 2 users: median ${out.users2.medianMs} ms, max ${out.users2.maxMs} ms`);
  // Four users: one room (12 subscriptions), then the idle measurement in that room.
  const { pages, pairs } = await roomTrial(210, [1, 2, 3, 4], srv);
  out.users4 = summarizePairs(pairs);
  log(`time to video, 4 users: median ${out.users4.medianMs} ms, max ${out.users4.maxMs} ms`);
  try {
    out.idle = await benchIdle(pages);
  } catch (e) {
    results.errors.idle = String(e.stack || e);
  }
  await closePages(pages);
  return out;
}

// ---- 4. idle ---------------------------------------------------------------------------------

// The 4-user room above, every video playing, the mouse parked, no input, 20 s: canvas frames
// drawn (gcFrontend.framesDrawn()) and the renderer main thread's busy time (CDP
// Performance.getMetrics TaskDuration / ScriptDuration deltas), per page. Also the whole
// browser's CPU time per process type (CDP SystemInfo.getProcessInfo), which includes the
// video decoding, compositing and the software GL -- context, not part of the goal.
async function benchIdle(pages) {
  await sleep(3000);  // let the last joins' settle frames and hover timers pass
  const cdps = [];
  for (const p of pages) {
    const c = await p.context().newCDPSession(p);
    await c.send('Performance.enable', { timeDomain: 'timeTicks' });
    cdps.push(c);
  }
  const metrics = async (c) => Object.fromEntries((await c.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const bcdp = await (await getBrowser()).newBrowserCDPSession();
  const procs = async () => {
    try {
      const info = await bcdp.send('SystemInfo.getProcessInfo');
      const by = {};
      for (const p of info.processInfo) by[p.type] = (by[p.type] || 0) + p.cpuTime;
      return by;
    } catch (e) { return null; }
  };
  const before = await Promise.all(pages.map(async (p, i) => ({
    frames: await p.evaluate(() => window.gcFrontend.framesDrawn()),
    m: await metrics(cdps[i]),
  })));
  const p0 = await procs();
  const t0 = Date.now();
  await sleep(20000);
  const seconds = (Date.now() - t0) / 1000;
  const p1 = await procs();
  const after = await Promise.all(pages.map(async (p, i) => ({
    frames: await p.evaluate(() => window.gcFrontend.framesDrawn()),
    m: await metrics(cdps[i]),
    state: await p.evaluate(() => { const s = window.groupcall.state(); return { phase: s.phase, media: s.participants.map((q) => q.media) }; }),
  })));
  const perPage = pages.map((p, i) => {
    const d = (k) => (after[i].m[k] ?? 0) - (before[i].m[k] ?? 0);
    return {
      page: p.gc.name,
      frames: after[i].frames - before[i].frames,
      framesPerSecond: round((after[i].frames - before[i].frames) / seconds, 2),
      mainThreadCpuPercent: round(100 * d('TaskDuration') / seconds, 2),
      scriptCpuPercent: round(100 * d('ScriptDuration') / seconds, 2),
      layouts: d('LayoutCount'), styleRecalcs: d('RecalcStyleCount'),
      state: after[i].state,
    };
  });
  let processCpuPercent = null;
  if (p0 && p1) {
    processCpuPercent = {};
    for (const k of Object.keys(p1)) processCpuPercent[k] = round(100 * ((p1[k] || 0) - (p0[k] || 0)) / seconds, 1);
  }
  return {
    what: '4-user room, videos playing, no input, 20 s',
    seconds: round(seconds, 2),
    maxFramesPerSecond: Math.max(...perPage.map((p) => p.framesPerSecond)),
    meanMainThreadCpuPercent: round(perPage.reduce((a, p) => a + p.mainThreadCpuPercent, 0) / perPage.length, 2),
    meanScriptCpuPercent: round(perPage.reduce((a, p) => a + p.scriptCpuPercent, 0) / perPage.length, 2),
    perPage,
    browserProcessCpuPercent: processCpuPercent,
  };
}

// ---- 4b. frame rate held in a 4-user room ------------------------------------------------------

// Four users at the app's default camera settings (no w/h/fps in the URL: 640x360 at 15 fps),
// every page receiving the three others. Decoded frames per second of each subscription (the
// page's receive RTCPeerConnections, getStats framesDecoded) over 30 s, sampled every 5 s:
// p10 and median over the 12 subscriptions' 30 s rates, and the slowest 5 s window seen. Once
// with pages joined through the join screen (UI mode: self preview, controls, chat button),
// once as kiosk pages that publish (kiosk=1&publish=1: names only).
const FPS_WINDOW_MS = 30000;
const FPS_SAMPLE_MS = 5000;
async function fpsTrial(mode, room, users, srv) {
  const pages = [];
  for (const user of users) {
    const params = { room, user, w: null, h: null, fps: null, lang: 'en' };
    if (mode === 'kiosk') Object.assign(params, { kiosk: true, publish: true });
    pages.push(await benchPage(pageUrl(srv, params), `${mode}-u${user}`));
  }
  if (mode === 'ui') {
    for (const page of pages) {
      await clickRegion(page, 'join/button');
      await page.mouse.move(VIEWPORT.width - 2, 2);
    }
  }
  const receiving = async (page) => (await peerStats(page)).filter((p) => p.connectionState === 'connected' &&
    p.directions.length && p.directions.every((d) => d === 'recvonly'));
  await waitUntil(async () => {
    for (const page of pages) {
      const subs = await receiving(page);
      if (subs.length < users.length - 1 || subs.some((p) => p.framesDecoded === 0)) return false;
    }
    return true;
  }, { timeout: 60000, interval: 250, what: `${mode}: every subscription decodes` });
  await sleep(3000);  // past the first keyframes and the joins' settle frames
  const sample = async () => Promise.all(pages.map(async (page) => ({
    t: Date.now(), subs: Object.fromEntries((await receiving(page)).map((p) => [p.index, p.framesDecoded])),
  })));
  const serverBefore = { cpu: procCpuSeconds(srv.proc?.pid), stats: await srv.stats(), t: Date.now() };
  const samples = [await sample()];
  const load = [os.loadavg()[0]];
  for (let k = 0; k < FPS_WINDOW_MS / FPS_SAMPLE_MS; k++) {
    await sleep(FPS_SAMPLE_MS);
    samples.push(await sample());
    load.push(os.loadavg()[0]);
  }
  const serverAfter = { cpu: procCpuSeconds(srv.proc?.pid), stats: await srv.stats(), t: Date.now() };
  const serverSeconds = (serverAfter.t - serverBefore.t) / 1000;
  const delta = (k) => serverAfter.stats[k] - serverBefore.stats[k];
  const server = {
    cpuPercent: serverBefore.cpu === null ? null : round(100 * (serverAfter.cpu - serverBefore.cpu) / serverSeconds),
    rtpInPerSecond: round(delta('rtpPacketsIn') / serverSeconds), rtpOutPerSecond: round(delta('rtpPacketsOut') / serverSeconds),
    rtpDropped: delta('rtpPacketsDropped'), pliFromSubscribers: delta('pliFromSubscribers'), keyframeRequests: delta('keyframeRequests'),
  };
  const rates = [];
  const windows = [];
  for (let i = 0; i < pages.length; i++) {
    const first = samples[0][i];
    const last = samples[samples.length - 1][i];
    for (const idx of Object.keys(first.subs)) {
      if (!(idx in last.subs)) continue;  // replaced meanwhile: counts as a gap below
      rates.push((last.subs[idx] - first.subs[idx]) / ((last.t - first.t) / 1000));
      for (let k = 1; k < samples.length; k++) {
        const a = samples[k - 1][i];
        const b = samples[k][i];
        if (idx in a.subs && idx in b.subs) windows.push((b.subs[idx] - a.subs[idx]) / ((b.t - a.t) / 1000));
      }
    }
  }
  const states = await Promise.all(pages.map((p) => p.evaluate(() => window.groupcall.state().stalls)));
  // The senders: what each page encoded and what limited it (WebRTC's CPU/bandwidth adaptation).
  const senders = await Promise.all(pages.map((p) => p.evaluate(async () => {
    const out = [];
    for (const pc of window.__gcPeers || []) {
      if (pc.signalingState === 'closed' || !pc.getTransceivers().some((t) => t.direction === 'sendonly')) continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video') {
          out.push({ fps: r.framesPerSecond ?? null, width: r.frameWidth ?? null, height: r.frameHeight ?? null,
                     limitation: r.qualityLimitationReason, limitationSeconds: r.qualityLimitationDurations,
                     limitationChanges: r.qualityLimitationResolutionChanges });
        }
      });
    }
    return out;
  })));
  await closePages(pages);
  return {
    subscriptions: rates.length,
    p10: round(quantile(rates, 0.1)), median: round(median(rates)), min: round(Math.min(...rates)),
    slowest5sWindow: round(Math.min(...windows)),
    stalls: states.reduce((a, s) => ({ detected: a.detected + s.detected, acted: a.acted + s.acted }), { detected: 0, acted: 0 }),
    loadAverage: { min: round(Math.min(...load)), max: round(Math.max(...load)) },
    rates: rates.map((r) => round(r)),
    senders: senders.flat(),
    server,
  };
}

/** user + system CPU seconds of a process (Linux /proc), or null. */
function procCpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (USER_HZ 100)
  } catch { return null; }
}

async function benchFps() {
  const srv = await getServer();
  const out = { what: '4 users, default camera (640x360@15), decoded frames/s per subscription over 30 s' };
  out.ui = await fpsTrial('ui', 220, [1, 2, 3, 4], srv);
  log(`fps, 4 users, UI mode: p10 ${out.ui.p10}, median ${out.ui.median}, slowest 5 s window ${out.ui.slowest5sWindow}`);
  await sleep(1000);
  out.kiosk = await fpsTrial('kiosk', 221, [5, 6, 7, 8], srv);
  log(`fps, 4 users, kiosk mode: p10 ${out.kiosk.p10}, median ${out.kiosk.median}, slowest 5 s window ${out.kiosk.slowest5sWindow}`);
  return out;
}

// ---- 5. UI frame cost + memory ------------------------------------------------------------------

// Synthetic participants: plain WebSocket clients that join like the app does (no media).
async function synthClients(srv, room, ids) {
  const clients = await Promise.all(ids.map((id) => new Promise((resolve, reject) => {
    const ws = new WebSocket(srv.wsUrl);
    const timer = setTimeout(() => reject(new Error(`synthetic user ${id}: no existingParticipants`)), 15000);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room, userId: id })));
    const onMessage = (data) => {
      const m = JSON.parse(String(data));
      if (m.type === 'existingParticipants') { clearTimeout(timer); ws.off('message', onMessage); resolve(ws); }
    };
    ws.on('message', onMessage);
  })));
  return clients;
}

const CHAT_SAMPLES = [
  '大家好，能听到吗？',
  'Can everyone see my screen? 请确认一下',
  '下午三点的会议改到四点，地点不变。',
  'https://example.com/docs/design-review 这是设计评审的链接',
  'ok 👍',
  '预算表已经更新，请查看共享文件夹里的最新版本，有问题随时找我。',
  'Let us take five minutes and then continue with item 3 on the agenda.',
];

async function sendChat(clients, page, from, count) {
  const target = from + count;
  let sent = from;
  const batches = [];  // [lines already in the page before the batch, ms per line]
  while (sent < target) {
    const t0 = Date.now();
    const start = sent;
    const batch = Math.min(200, target - sent);
    for (let i = 0; i < batch; i++, sent++) {
      const ws = clients[sent % clients.length];
      ws.send(JSON.stringify({ type: 'sendMessage', message: `#${sent + 1} ${CHAT_SAMPLES[sent % CHAT_SAMPLES.length]}` }));
    }
    // Back-pressure: let the page catch up before the next batch.
    await waitUntil(() => page.evaluate((n) => window.__bench.chatReceived >= n, sent), { timeout: 60000, interval: 20, what: `page received ${sent} chat lines` });
    batches.push([start, (Date.now() - t0) / (sent - start)]);
  }
  // ms per received line while the history is short (< 500 lines) and once it is full.
  const early = batches.filter(([n]) => n < 500).map((b) => b[1]);
  const late = batches.filter(([n]) => n >= 2000).map((b) => b[1]);
  return { msPerLineFirst500: round(median(early), 2), msPerLineHistoryFull: round(median(late), 2) };
}

async function heap(page) {
  return page.evaluate(() => {
    const m = window.gcModule;
    const wasm = m && (m.HEAP8 ? m.HEAP8.length : (m.wasmMemory ? m.wasmMemory.buffer.byteLength : null));
    const s = window.groupcall.state();
    return {
      wasmHeapBytes: wasm,
      jsHeapUsedBytes: performance.memory ? performance.memory.usedJSHeapSize : null,
      chatLinesInView: s.chat.length,
    };
  });
}

// Frames forced by mouse movement over the room and the chat panel. Every rAF callback is
// timed (instrument.js); frames whose callback does not draw are excluded by counting only
// callbacks while framesDrawn moves -- the frontend's only rAF user is its frame.
async function forcedFrames(page, moves) {
  await page.evaluate(() => { window.__bench.frames = []; window.__bench.recordFrames = true; });
  const f0 = await page.evaluate(() => window.gcFrontend.framesDrawn());
  for (let i = 0; i < moves; i++) {
    const x = 40 + ((i * 37) % (VIEWPORT.width - 80));
    const y = 40 + ((i * 53) % (VIEWPORT.height - 80));
    await page.mouse.move(x, y);
    await sleep(20);
  }
  await sleep(500);
  const r = await page.evaluate(() => { window.__bench.recordFrames = false; return window.__bench.frames; });
  const f1 = await page.evaluate(() => window.gcFrontend.framesDrawn());
  const ms = r.map((x) => x[1]);
  return {
    framesDrawn: f1 - f0, rafCallbacks: ms.length,
    p50Ms: round(quantile(ms, 0.5), 2), p95Ms: round(quantile(ms, 0.95), 2), maxMs: round(max(ms), 2),
    meanMs: round(ms.reduce((a, b) => a + b, 0) / (ms.length || 1), 2),
  };
}

async function benchUi() {
  const srv = await getServer();
  const room = 300;
  const page = await benchPage(pageUrl(srv, { room, user: 1, w: 320, h: 240, fps: 15, lang: 'en' }), 'ui-u1');
  const out = { what: '25 participants (this page + 24 synthetic WebSocket users, no media) and chat lines sent by them; chat panel open; frames forced by mouse moves; time = each requestAnimationFrame callback (the frontend frame: input, measure, ImGui NewFrame..RenderDrawData, video placement)' };
  const clients = [];
  try {
    await clickRegion(page, 'join/button');
    await waitUntil(async () => (await page.evaluate(() => window.groupcall.state().phase)) === 'in-room', { timeout: 20000, what: 'in-room' });
    out.heapInRoom = await heap(page);
    clients.push(...await synthClients(srv, room, Array.from({ length: 24 }, (_, i) => i + 2)));
    await waitUntil(async () => (await page.evaluate(() => window.groupcall.state().participants.length)) === 24, { timeout: 20000, what: '24 participants' });
    await clickRegion(page, 'controls/chat');
    await sleep(500);
    out.participants = 25;
    out.framesEmpty = await forcedFrames(page, 150);
    const t0 = Date.now();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const task0 = await task();
    out.chatIngest = await sendChat(clients, page, 0, 5000);
    out.chatIngest.pageMainThreadMsPerLine = round((await task() - task0) * 1000 / 5000, 2);
    out.chat5000ReceiveSeconds = round((Date.now() - t0) / 1000, 2);
    await sleep(1000);
    out.heapAfter5000 = await heap(page);
    out.frames5000 = await forcedFrames(page, 300);
    out.p50Ms = out.frames5000.p50Ms;
    out.p95Ms = out.frames5000.p95Ms;
    log(`UI frame with 25 participants + 5000 chat lines: p50 ${out.p50Ms} ms, p95 ${out.p95Ms} ms`);
    // Where the frame time goes: time spent inside WebGL calls (per method) vs the rest.
    try { out.glBreakdown = await glBreakdown(page, 150); } catch (e) { out.glBreakdownError = String(e); }
    await sendChat(clients, page, 5000, 5000);
    await sleep(1000);
    out.heapAfter10000 = await heap(page);
    log(`Wasm heap after 10000 chat lines: ${out.heapAfter10000.wasmHeapBytes} bytes`);
  } finally {
    for (const ws of clients) ws.terminate();
    await closePages([page]);
  }
  return out;
}

// Diagnostic pass (not the figure): every WebGL2RenderingContext method is wrapped with
// performance.now() timing (installed on the prototype at run time; adds a little overhead),
// then frames are forced again. Reports per frame: the whole rAF callback, the time inside
// WebGL calls (most of it in the synchronous ones, which wait for the GPU process), and the
// top methods. performance.now() is coarsened to 100 us in a page that is not cross-origin
// isolated; sums over many calls are still meaningful on average.
async function glBreakdown(page, moves) {
  await page.evaluate(() => {
    const B = window.__bench;
    B.gl = {};
    const proto = WebGL2RenderingContext.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (!d || typeof d.value !== 'function' || name === 'constructor') continue;
      const f = d.value;
      proto[name] = function () {
        if (!B.recordFrames) return f.apply(this, arguments);
        const t = performance.now();
        try { return f.apply(this, arguments); } finally {
          const key = name === 'getParameter' ? `getParameter(0x${Number(arguments[0]).toString(16)})` : name;
          const e = B.gl[key] || (B.gl[key] = [0, 0]);
          e[0]++; e[1] += performance.now() - t;
        }
      };
    }
  });
  const frames = await forcedFrames(page, moves);
  const gl = await page.evaluate(() => window.__bench.gl);
  const n = frames.rafCallbacks || 1;
  const glMs = Object.values(gl).reduce((a, x) => a + x[1], 0);
  const top = Object.entries(gl).sort((a, b) => b[1][1] - a[1][1]).slice(0, 16)
    .map(([name, [calls, t]]) => ({ name, callsPerFrame: round(calls / n, 1), msPerFrame: round(t / n, 3) }));
  return {
    frames: n, frameMeanMs: frames.meanMs, frameP95Ms: frames.p95Ms,
    glMsPerFrame: round(glMs / n, 3), glCallsPerFrame: round(Object.values(gl).reduce((a, x) => a + x[0], 0) / n, 1),
    top,
  };
}

// ---- 6. native ----------------------------------------------------------------------------------

function benchNative() {
  const r = spawnSync(GC_BENCH, ['--benchmark_format=json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${GC_BENCH} exited ${r.status}: ${r.stderr}`);
  const json = JSON.parse(r.stdout);
  return {
    context: { numCpus: json.context.num_cpus, mhz: json.context.mhz_per_cpu, buildType: json.context.library_build_type, loadAvg: json.context.load_avg },
    benchmarks: json.benchmarks.map((b) => ({
      name: b.name, itemsPerSecond: Math.round(b.items_per_second), realTime: round(b.real_time, 1), timeUnit: b.time_unit,
    })),
  };
}

// ---- the table ---------------------------------------------------------------------------------

function kb(n) { return n === null || n === undefined ? '?' : `${(n / 1000).toFixed(1)} KB`; }
function ms(n) { return n === null || n === undefined ? '?' : `${n} ms`; }

function table() {
  const rows = [];
  const row = (figure, value, goal = '', ok = null) =>
    rows.push([figure, value, goal, ok === null ? '' : ok ? 'PASS' : 'MISS']);
  const b = results.bytes;
  if (b) {
    row('bytes: groupcall.wasm raw / gzip', `${kb(b.wasm.raw)} / ${kb(b.wasm.gzip)}`);
    row('bytes: .js (' + b.js.map((x) => path.basename(x.file)).join(', ') + ') raw / gzip', `${kb(b.jsTotal.raw)} / ${kb(b.jsTotal.gzip)}`);
    row('bytes: .wasm + .js gzip', kb(b.wasmPlusJs.gzip), '<= 300 KB', b.wasmPlusJs.gzip <= GOALS.gzipWasmJs);
    row('bytes: fonts (after first frame) raw / gzip', `${kb(b.fontsTotal.raw)} / ${kb(b.fontsTotal.gzip)}`);
    row('bytes: total (+ html, css) raw / gzip', `${kb(b.total.raw)} / ${kb(b.total.gzip)}`);
  } else row('bytes', 'ERROR');
  const s = results.startup;
  if (s) row('start-up: page open -> join screen drawn, median of 10', `${ms(s.medianMs)} (min ${s.minMs}, max ${s.maxMs})`, '<= 300 ms', s.medianMs <= GOALS.joinScreenMs);
  else row('start-up', 'ERROR');
  const t = results.timeToVideo;
  if (t && t.users2) row(`time to video, 2 users (${t.users2.subscriptions} subs) median / max`, `${ms(t.users2.medianMs)} / ${ms(t.users2.maxMs)}`);
  if (t && t.users4) {
    row(`time to video, 4 users (${t.users4.subscriptions} subs) median / max`, `${ms(t.users4.medianMs)} / ${ms(t.users4.maxMs)}`);
    const j = t.users4.breakdownMedianMs.joiner;
    row('  4 users, joiner: socket/list/offer/answer/conn/frame', [j.socketOpen, j.participantList, j.offerSent, j.answer, j.connected, j.firstFrame].join(' / ') + ' ms');
    const e = t.users4.breakdownMedianMs.existing;
    row('  4 users, existing: arrival/offer/answer/conn/frame', [e.participantList, e.offerSent, e.answer, e.connected, e.firstFrame].join(' / ') + ' ms');
    row('  4 users: video shown by the client median / max', `${ms(t.users4.shownMedianMs)} / ${ms(t.users4.shownMaxMs)}`);
  }
  if (!t || !t.users4) row('time to video', 'ERROR');
  const i = t && t.idle;
  if (i) {
    row('idle (4 users, 20 s): canvas frames/s, worst page', `${i.maxFramesPerSecond}`, '0', i.maxFramesPerSecond <= GOALS.idleFps);
    row('idle: page main-thread CPU (task / script), mean', `${i.meanMainThreadCpuPercent}% / ${i.meanScriptCpuPercent}% of a core`);
  } else row('idle', 'ERROR');
  const f = results.fps;
  for (const mode of ['ui', 'kiosk']) {
    const m = f && f[mode];
    if (m) {
      row(`frame rate, 4 users, ${mode === 'ui' ? 'UI' : 'kiosk'} mode: fps per sub p10 / median`, `${m.p10} / ${m.median} (slowest 5 s: ${m.slowest5sWindow}; stalls ${m.stalls.detected})`,
          `p10 >= ${GOALS.fps4P10}`, m.p10 >= GOALS.fps4P10);
      row(`  ${mode}: senders encode fps / limitation; relay CPU, PLIs`, `${m.senders.map((x) => `${x.fps}@${x.height}p`).join(' ')} / ${[...new Set(m.senders.map((x) => x.limitation))].join(',')}; server ${m.server.cpuPercent}% of a core, ${m.server.pliFromSubscribers} PLIs`);
    } else row(`frame rate, 4 users, ${mode} mode`, 'ERROR');
  }
  const u = results.ui;
  if (u && u.frames5000) {
    row('UI frame CPU, 25 users + 5000 chat lines p50 / p95', `${ms(u.p50Ms)} / ${ms(u.p95Ms)}`, 'p95 <= 4 ms', u.p95Ms <= GOALS.uiFrameP95Ms);
    row('  same room before the chat lines p50 / p95', `${ms(u.framesEmpty.p50Ms)} / ${ms(u.framesEmpty.p95Ms)}`);
  } else row('UI frame CPU', 'ERROR');
  if (u && u.heapAfter10000) {
    row('memory: Wasm heap after 10,000 chat lines', `${(u.heapAfter10000.wasmHeapBytes / 1048576).toFixed(1)} MiB (in room: ${(u.heapInRoom.wasmHeapBytes / 1048576).toFixed(1)}, 5,000: ${(u.heapAfter5000.wasmHeapBytes / 1048576).toFixed(1)}); ${u.heapAfter10000.chatLinesInView} lines kept`);
  } else row('memory', 'ERROR');
  const n = results.native;
  if (n) {
    for (const x of n.benchmarks) row(`native: ${x.name}`, `${(x.itemsPerSecond / 1e6).toFixed(3)} M msg/s`, '>= 2 M/s', x.itemsPerSecond >= GOALS.nativeMsgsPerSec);
  } else row('native', 'ERROR');

  const fr = results.frames;
  if (fr && fr.pages) {
    row(`frames: largest frame the client sent (${fr.pages} pages; server saw ${fr.serverLargestIn ?? '?'})`, `${fr.largestSent} bytes`,
        `<= ${GOALS.maxFrameBytes}`, fr.largestSent <= GOALS.maxFrameBytes);
  }
  const l = Object.values(results.load || {}).flatMap((x) => [x.before, x.after]).filter((x) => x !== undefined);
  if (l.length) row('machine: CPUs, 1-min load average during the run', `${results.machine.cpus} CPUs, load ${Math.min(...l).toFixed(1)}-${Math.max(...l).toFixed(1)}`);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length), ['figure', 'value', 'goal', ''][c].length));
  const line = (r) => r.map((x, c) => x.padEnd(widths[c])).join('  ').trimEnd();
  return [line(['figure', 'value', 'goal', 'result']), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---- main -------------------------------------------------------------------------------------

const sections = [
  ['bytes', 'bytes', async () => benchBytes()],
  ['startup', 'startup', benchStartup],
  ['ttv', 'timeToVideo', benchTimeToVideo],
  ['fps', 'fps', benchFps],
  ['ui', 'ui', benchUi],
];
try {
  for (const [key, field, fn] of sections) {
    if (ONLY && !ONLY.has(key)) continue;
    log(`${key}...`);
    results.load = results.load || {};
    results.load[key] = { before: os.loadavg()[0] };
    try {
      results[field] = await withTimeout(fn(), 300000, key);
    } catch (e) {
      results.errors[key] = String(e.stack || e);
      log(`${key} FAILED: ${e.stack || e}`);
    }
    results.load[key].after = os.loadavg()[0];
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) {
    results.serverStats = await server.stats().catch(() => null);
    results.frames = { ...frames, serverLargestIn: results.serverStats ? results.serverStats.largestFrameIn : null };
    await server.close().catch(() => {});
  }
}
// Native last, alone: nothing else is running on the two cores.
if (!ONLY || ONLY.has('native')) {
  log('native...');
  try { results.native = benchNative(); } catch (e) { results.errors.native = String(e.stack || e); log(`native FAILED: ${e}`); }
}
results.seconds = round((Date.now() - T0) / 1000, 1);
results.table = table();
writeFileSync(path.join(OUT, 'bench-results.json'), JSON.stringify(results, null, 1) + '\n');
console.log(results.table);
if (Object.keys(results.errors).length) console.log(`\nerrors in: ${Object.keys(results.errors).join(', ')} (see bench-results.json)`);
