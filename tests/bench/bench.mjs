// The benchmarks of issue 6. Run through tests/bench/run (which builds what is missing);
//   node bench.mjs --out DIR [--www DIR] [--gc-bench PATH] [--only a,b,...]
// Sections: bytes, startup, ttv (time to video + idle), fps, ui (UI frame cost + memory),
// atlas (a glyph atlas rebuild for one new character in a long Chinese chat; --atlas-glyphs N),
// hidden (CPU of kept-but-hidden subscriptions), baseline (time to video, this client /
// the plain-JS baseline; --baseline-rounds N, --baseline-late 0, --baseline-profile 0,
// --baseline-client ui, --baseline-scenarios users2,users4,late, --profile-www DIR),
// rotation (a kiosk's rotation -> all tiles live; --rotation-publishers N, --rotation-count N),
// steady (main-thread CPU with 4 live tiles, client / baseline; --steady-rounds N,
// --steady-profile DIR, --steady-trace DIR: see trace-tasks.mjs), native.
// Prints a table (figure, value, goal, PASS/MISS) and writes DIR/bench-results.json.
// What each figure measures is documented in README.md next to this file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import WebSocket from 'ws';

import {
  clickRegion, getState, launchBrowser, openPage, pageUrl, participant, paths, peerStats, region, startServer, waitFor, waitUntil,
  withTimeout,
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
  // A silent fake microphone: Chromium's own beeps every second, which the speaking rings and
  // the own microphone's meter follow, and "idle" means a room where nothing changes.
  // Nothing else here listens to the audio.
  browser = await launchBrowser({ microphone: 'silent' });
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
  // The module in its two halves (issue 12, src/app/CMakeLists.txt): the first is what a
  // kiosk's join waits for; a person's page loads both before it starts.
  const joinHalf = file('groupcall.wasm');
  const uiHalf = file('groupcall.deferred.wasm');
  const wasm = { file: 'groupcall.wasm + groupcall.deferred.wasm', raw: joinHalf.raw + uiHalf.raw, gzip: joinHalf.gzip + uiHalf.gzip };
  const js = scripts.map(file);
  const other = ['index.html', ...styles].map(file);
  // The emoji font (canvas data-emoji-font) is fetched only once an emoji is shown: its own row.
  const emojiRel = (html.match(/data-emoji-font="([^"]+)"/) || [])[1];
  const fonts = readdirSync(path.join(WWW, 'fonts')).filter((f) => statSync(path.join(WWW, 'fonts', f)).isFile())
    .map((f) => file(`fonts/${f}`)).filter((f) => f.file !== emojiRel);
  const emojiFont = emojiRel ? file(emojiRel) : null;
  const sum = (list, k) => list.reduce((a, x) => a + x[k], 0);
  const all = [wasm, ...js, ...other, ...fonts];
  const r = {
    wasm, joinHalf, uiHalf, js, other, fonts, emojiFont,
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
    // Issue 14: the accessibility mirror is rebuilt only when what it shows changes; frames
    // forced by the mouse alone must build no tree (state().a11y.builds counts them).
    const a11yBuilds = () => page.evaluate(() => { const a = window.groupcall.state().a11y; return a ? a.builds : null; });
    const builds0 = await a11yBuilds();
    out.frames5000 = await forcedFrames(page, 300);
    const builds1 = await a11yBuilds();
    out.a11yBuildsDuringMouseFrames = builds0 === null || builds1 === null ? null : builds1 - builds0;
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

// ---- 5b. the glyph atlas: a new character in a long Chinese chat ------------------------------
// A chat with ATLAS.filled distinct CJK characters (sent by a synthetic participant, in lines
// of 1,000), then ATLAS.rounds lines with one new character each: the atlas rebuild each one
// costs (state().fonts.lastRebuildMs: the bake and the texture upload), and how many glyphs
// it rasterised and copied (src/platform/font_builder.hpp).
const ATLAS = { filled: Number(args['atlas-glyphs'] || 3000), rounds: 10 };

async function benchAtlas() {
  const srv = await getServer();
  const room = 310;
  const page = await benchPage(pageUrl(srv, { room, user: 1, w: 320, h: 240, fps: 15, lang: 'en' }), 'atlas-u1');
  const out = { what: `one chat line with one new CJK character after ${ATLAS.filled} distinct ones; the rebuild it causes (state().fonts.lastRebuildMs)` };
  const clients = [];
  const fonts = () => page.evaluate(() => window.groupcall.state().fonts);
  const cjk = (from, n) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + i)).join('');
  try {
    await clickRegion(page, 'join/button');
    await waitUntil(async () => (await page.evaluate(() => window.groupcall.state().phase)) === 'in-room', { timeout: 20000, what: 'in-room' });
    await waitUntil(() => page.evaluate(() => window.gcFrontend.cjkFont === 'loaded'), { timeout: 20000, what: 'CJK font' });
    clients.push(...await synthClients(srv, room, [2]));
    await clickRegion(page, 'controls/chat');
    const settled = async (rebuildsAbove) => waitUntil(async () => {
      const f = await fonts();
      return f.atlasRebuilds > rebuildsAbove && !f.rebuildWaiting && f;
    }, { timeout: 60000, interval: 50, what: 'the atlas rebuilt' });
    let f = await fonts();
    const fill0 = Date.now();
    const r0 = f.atlasRebuilds;
    for (let k = 0; k < ATLAS.filled; k += 1000) {
      clients[0].send(JSON.stringify({ type: 'sendMessage', message: cjk(0x4E00 + k, Math.min(1000, ATLAS.filled - k)) }));
    }
    await waitUntil(() => page.evaluate((n) => window.__bench.chatReceived >= n, Math.ceil(ATLAS.filled / 1000)), { timeout: 30000, what: 'fill lines' });
    // Settled: no rebuild waiting and none for a second (the lines are drawn, so asked for,
    // over several frames; a flood is baked in steps).
    f = await settled(r0);
    for (let n = f.atlasRebuilds; ; n = f.atlasRebuilds) {
      await sleep(1000);
      f = await fonts();
      if (f.atlasRebuilds === n && !f.rebuildWaiting) break;
    }
    out.fill = { ms: Date.now() - fill0 - 1000, rebuilds: f.atlasRebuilds - r0, glyphs: f.glyphs };
    const rebuilds = [];
    for (let i = 0; i < ATLAS.rounds; i++) {
      const before = f.atlasRebuilds;
      clients[0].send(JSON.stringify({ type: 'sendMessage', message: `new ${cjk(0x8000 + i, 1)}` }));
      f = await settled(before);
      rebuilds.push({ ms: f.lastRebuildMs, uploadMs: f.lastUploadMs, rasterised: f.lastRasterised, reused: f.lastReused });
      await sleep(200);
    }
    const ms = rebuilds.map((r) => r.ms);
    Object.assign(out, { rebuilds, glyphs: f.glyphs, medianMs: round(median(ms), 1), maxMs: round(max(ms), 1),
                         medianUploadMs: round(median(rebuilds.map((r) => r.uploadMs)), 1) });
    log(`atlas: one new character among ${f.glyphs} glyphs: rebuild median ${out.medianMs} ms, max ${out.maxMs} ms`);
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

// ---- 5b. hidden subscriptions -------------------------------------------------------------------

// The CPU cost of subscriptions that are kept but hidden (rule 11: a receive connection stays
// until its owner leaves, so a tile on another page keeps receiving). A second server instance
// with 25 signalling-only bots (no media) joined at start into room 400, then 4 real publishers
// (the app's default camera: 640x360 at 15 fps, fake device; small pages whose grid never
// reaches each other), then one viewer page (publish=0: no camera, no self tile) in a browser
// of its own, at the bench viewport (25 tiles a page; no self tile): its page 1 is the 25 bots,
// its page 2 the 4 publishers.
// The viewer's CPU is the whole process tree of its browser (browser, zygote, renderer, GPU
// process, utilities) from /proc: utime + stime (+ reaped children), USER_HZ 100, over 20 s:
//   A: page 1 shown, the 4 publishers subscribed and hidden (display: none);
//   B: page 2 shown, the 4 publishers visible;
//   C: the 4 publisher pages closed (they leave): the viewer with only bots.
// A and B alternate twice (A B A B), C last; figures are medians. Per stream: (A - C) / 4 and
// (B - C) / 4. A, B and C all hold 25 receive connections (A, B: 21 bots + 4 publishers; C: 25
// bots). The cap of 25 live subscriptions is filled by page 1's 25 bots (nothing left to
// prefetch page 2 with), so the viewer pages forward, presses Show video on a capped tile (a
// planned rejoin subscribes what is on screen: the publishers) and pages back: then the 4
// publishers are subscribed and hidden, the state rule 11 leaves a real page in. Before each
// window: no tile connecting (a new bot subscription turns no-media after 10 s) and no canvas
// frame for 1.5 s (canvas frames are software GL in the GPU process).
// The window's CPU is measured with nothing else of ours in the viewer page; after it, a 1 s
// probe counts requestVideoFrameCallback per publisher <video>.
const HIDDEN = {
  room: 400, bots: [1, 25], publishers: [41, 42, 43, 44], viewer: 45,
  windowMs: 20000, restMs: 1500, presentProbeMs: 1000,
  // The publishers' own pages: a small grid, so their page 1 + prefetched page 2 hold only bots
  // and they never receive each other (the main browser stays as quiet as it can; checked:
  // publisherCrossSubscriptions in the JSON).
  publisherViewport: { width: 640, height: 400 },
};

/** Every process on the machine: pid -> {ppid, comm, self, reaped} (CPU seconds). */
function procTable() {
  const out = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rp = f.lastIndexOf(')');
      const x = f.slice(rp + 2).split(' ');
      // after the comm: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime
      out.set(Number(d), {
        pid: Number(d), ppid: Number(x[1]), comm: f.slice(f.indexOf('(') + 1, rp),
        self: (Number(x[11]) + Number(x[12])) / 100, reaped: (Number(x[13]) + Number(x[14])) / 100,
      });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

const procTypes = new Map();
/** Chromium's process type from the command line: browser, zygote, renderer, gpu-process, utility:audio, ... */
function procType(pid) {
  if (procTypes.has(pid)) return procTypes.get(pid);
  let t = 'other';
  try {
    // Chromium rewrites its child processes' titles: the arguments are then space-separated.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const arg = (k) => cmd.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
    const type = arg('type');
    t = !type ? 'browser' : type === 'utility' ? `utility:${(arg('utility-sub-type') || '?').replace(/^.*\./, '')}` : type;
  } catch { /* gone */ }
  procTypes.set(pid, t);
  return t;
}

/** The CPU seconds of rootPid and all its descendants: {total, byPid: pid -> [type, self]}. */
function treeCpu(rootPid) {
  const table = procTable();
  const kids = new Map();
  for (const p of table.values()) (kids.get(p.ppid) || kids.set(p.ppid, []).get(p.ppid)).push(p.pid);
  const byPid = new Map();
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift();
    const p = table.get(pid);
    if (!p) continue;
    // reaped: children that exited inside the tree keep counting through their parent
    total += p.self + p.reaped;
    byPid.set(pid, [procType(pid), p.self + p.reaped]);
    queue.push(...(kids.get(pid) || []));
  }
  return { total, byPid, t: Date.now() };
}

function cpuDelta(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const byType = {};
  for (const [pid, [type, cpu]] of b.byPid) {
    const before = a.byPid.get(pid);
    byType[type] = (byType[type] || 0) + cpu - (before ? before[1] : 0);
  }
  for (const k of Object.keys(byType)) byType[k] = round(100 * byType[k] / seconds);
  return { seconds: round(seconds, 2), cpuPercent: round(100 * (b.total - a.total) / seconds), byTypePercent: byType, processes: b.byPid.size };
}

/** The viewer's receive connections: owner (from the <video data-user> holding the track), getStats, the <video>. */
async function receiveMedia(page) {
  return page.evaluate(async () => {
    const byTrack = {};
    for (const v of document.querySelectorAll('video[data-user]')) {
      if (v.srcObject) for (const t of v.srcObject.getTracks()) byTrack[t.id] = v;
    }
    const out = [];
    for (const pc of window.__gcPeers || []) {
      if (pc.signalingState === 'closed') continue;
      const tr = pc.getTransceivers();
      if (!tr.length || !tr.every((t) => t.direction === 'recvonly')) continue;
      let el = null;
      for (const t of tr) el = el || byTrack[t.receiver.track.id] || null;
      const q = el && el.getVideoPlaybackQuality ? el.getVideoPlaybackQuality() : null;
      const row = {
        user: el ? Number(el.dataset.user) : null, connectionState: pc.connectionState,
        element: el ? { display: el.style.display, paused: el.paused, delivered: q ? q.totalVideoFrames : null, dropped: q ? q.droppedVideoFrames : null } : null,
        video: null, audio: null,
      };
      try {
        (await pc.getStats()).forEach((r) => {
          if (r.type !== 'inbound-rtp') return;
          row[r.kind] = {
            packets: r.packetsReceived || 0, bytes: r.bytesReceived || 0,
            framesReceived: r.framesReceived, framesDecoded: r.framesDecoded, framesDropped: r.framesDropped,
            keyFramesDecoded: r.keyFramesDecoded, decodeSeconds: r.totalDecodeTime,
            width: r.frameWidth, height: r.frameHeight, decoder: r.decoderImplementation,
            samples: r.totalSamplesReceived,
          };
        });
      } catch { /* closed meanwhile */ }
      out.push(row);
    }
    return out;
  });
}

/** Per publisher over a window: frames received / decoded / delivered to the <video> (getVideoPlaybackQuality
 *  totalVideoFrames) per second, decode ms per frame, video kbit/s, audio packets/s. */
function mediaRates(before, after, seconds, ids) {
  const find = (list, id) => list.find((r) => r.user === id);
  const rate = (a, b, f) => (a && b && typeof a[f] === 'number' && typeof b[f] === 'number' ? round((b[f] - a[f]) / seconds) : null);
  return ids.map((id) => {
    const a = find(before, id);
    const b = find(after, id);
    if (!a || !b) return { user: id, subscribed: !!b };
    const frames = (b.video?.framesDecoded ?? 0) - (a.video?.framesDecoded ?? 0);
    return {
      user: id, subscribed: true, display: b.element?.display ?? null, paused: b.element?.paused ?? null,
      receivedPerSecond: rate(a.video, b.video, 'framesReceived'),
      decodedPerSecond: rate(a.video, b.video, 'framesDecoded'),
      deliveredPerSecond: rate(a.element, b.element, 'delivered'),
      decodeMsPerFrame: frames > 0 ? round(1000 * ((b.video.decodeSeconds ?? 0) - (a.video.decodeSeconds ?? 0)) / frames, 2) : null,
      kbitPerSecond: a.video && b.video ? round(8 * (b.video.bytes - a.video.bytes) / seconds / 1000) : null,
      audioPacketsPerSecond: rate(a.audio, b.audio, 'packets'),
      resolution: b.video && b.video.width ? `${b.video.width}x${b.video.height}` : null, decoder: b.video?.decoder ?? null,
    };
  });
}

/** Frames each owner's <video> presents (requestVideoFrameCallback: composited for display) per second, over ms.
 *  Run after a CPU window, never inside it: the callbacks are JavaScript of their own. */
async function presentedPerSecond(page, ids, ms) {
  return page.evaluate(async ({ ids, ms }) => {
    const counts = {};
    const stop = performance.now() + ms;
    for (const id of ids) {
      const v = document.querySelector(`video[data-user="${id}"]`);
      counts[id] = v && v.requestVideoFrameCallback ? 0 : null;
      if (counts[id] === null) continue;
      const cb = () => { if (performance.now() < stop) { counts[id]++; v.requestVideoFrameCallback(cb); } };
      v.requestVideoFrameCallback(cb);
    }
    await new Promise((r) => setTimeout(r, ms));
    for (const id of ids) if (counts[id] !== null) counts[id] = Math.round(counts[id] * 10000 / ms) / 10;
    return counts;
  }, { ids, ms });
}

async function hiddenWindow(label, viewer, rootPid) {
  await viewer.mouse.move(VIEWPORT.width - 2, 2);
  // Every connection set up (21 bot subscriptions are new on the first return to page 1: ICE,
  // DTLS and the tiles' connecting -> no-media redraws would count as hidden-video cost).
  let idleWaitMs = Date.now();
  await waitFor(viewer, (st) => st.phase === 'in-room' && st.participants.every((p) => p.media !== 'connecting'),
                { timeout: 30000, what: 'no tile connecting' });
  const drawn = () => viewer.evaluate(() => window.gcFrontend.framesDrawn());
  // The canvas at rest first (a toast after the rejoin, the page change's settle frames): every
  // canvas frame is software GL in the GPU process, which would count as video cost here.
  try {
    let last = await drawn();
    await waitUntil(async () => { await sleep(HIDDEN.restMs); const f = await drawn(); const same = f === last; last = f; return same; },
                    { timeout: 15000, interval: 0, what: `the viewer canvas at rest (no frame drawn for ${HIDDEN.restMs} ms)` });
  } catch (e) { log(`hidden ${label}: ${e.message}`); }
  idleWaitMs = Date.now() - idleWaitMs;
  const m0 = await receiveMedia(viewer);
  const f0 = await drawn();
  const c0 = treeCpu(rootPid);
  const load = [os.loadavg()[0]];
  await sleep(HIDDEN.windowMs);
  const c1 = treeCpu(rootPid);
  const f1 = await drawn();
  const m1 = await receiveMedia(viewer);
  load.push(os.loadavg()[0]);
  const cpu = cpuDelta(c0, c1);
  const s = await getState(viewer);
  const pubs = mediaRates(m0, m1, cpu.seconds, HIDDEN.publishers);
  const presented = pubs.some((p) => p.subscribed) ? await presentedPerSecond(viewer, HIDDEN.publishers, HIDDEN.presentProbeMs) : {};
  for (const p of pubs) p.presentedPerSecond = presented[p.user] ?? null;
  const media = {};
  for (const p of s.participants) media[p.media] = (media[p.media] || 0) + 1;
  const w = {
    label, ...cpu, loadAverage: load, idleWaitMs,
    liveSubscriptions: s.liveSubscriptions, receiveConnections: m1.length,
    visiblePublishers: HIDDEN.publishers.filter((id) => participant(s, id)?.visible).length,
    tiles: media, publishers: pubs,
    canvasFramesPerSecond: round((f1 - f0) / cpu.seconds, 2),
  };
  log(`hidden ${label}: viewer browser ${w.cpuPercent}% of a core (${Object.entries(w.byTypePercent).map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
      `publishers decoded/s ${pubs.map((p) => p.decodedPerSecond).join(' ')}, presented/s ${pubs.map((p) => p.presentedPerSecond).join(' ')}`);
  return w;
}

async function benchHidden() {
  const b = await getBrowser();
  const [botFrom, botTo] = HIDDEN.bots;
  const bots = botTo - botFrom + 1;
  const srv = await startServer({
    name: 'bench-hidden-server', web: WWW,
    args: ['--users', writeUsersFile(), '--max-participants', '64', '--log-level', 'quiet',
           '--bots', `${HIDDEN.room}:${botFrom}-${botTo}`],
  });
  log(`hidden: server ${srv.origin} with ${bots} bots in room ${HIDDEN.room}`);
  const pubs = [];
  let viewer = null;
  let vbrowser = null;
  const out = {
    what: `viewer browser CPU (whole process tree, /proc utime+stime) over ${HIDDEN.windowMs / 1000} s: A = page 1 (${bots} bots) shown with ${HIDDEN.publishers.length} publishers (640x360@15) subscribed and hidden; B = page 2 (the publishers) shown; C = publishers gone, bots only`,
    camera: '640x360@15 (the app default; fake device)', bots, publishers: HIDDEN.publishers.length,
  };
  try {
    // The publishers, in the shared bench browser: opened together, then joined one by one
    // through the join screen (41 first).
    const opened = await Promise.allSettled(HIDDEN.publishers.map((user) =>
      openPage(b, pageUrl(srv, { room: HIDDEN.room, user, w: null, h: null, fps: null, lang: 'en' }),
               { name: `hidden-pub${user}`, viewport: HIDDEN.publisherViewport, timeout: 30000 })));
    for (const r of opened) if (r.status === 'fulfilled') pubs.push(r.value);
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const page of pubs) {
      await clickRegion(page, 'join/button', { timeout: 15000 });
      await page.mouse.move(HIDDEN.publisherViewport.width - 2, 2);
    }
    await Promise.all(pubs.map((p) => waitFor(p, (s) => s.phase === 'in-room' && s.self.publish === 'live',
                                               { timeout: 30000, what: 'publishing' })));
    log(`hidden: ${pubs.length} publishers live`);
    // The viewer: its own browser, so its process tree is its alone.
    const before = new Set([...procTable().values()].filter((p) => p.ppid === process.pid).map((p) => p.pid));
    vbrowser = await launchBrowser({});
    const roots = [...procTable().values()].filter((p) => p.ppid === process.pid && !before.has(p.pid) && /chrom/i.test(p.comm));
    if (roots.length !== 1) throw new Error(`viewer browser: expected one new chromium child of ${process.pid}, found ${JSON.stringify(roots)}`);
    const rootPid = roots[0].pid;
    viewer = await openPage(vbrowser, pageUrl(srv, { room: HIDDEN.room, user: HIDDEN.viewer, publish: false, w: null, h: null, fps: null, lang: 'en' }),
                            { name: 'hidden-viewer', viewport: VIEWPORT, timeout: 30000 });
    await clickRegion(viewer, 'join/button', { timeout: 15000 });
    await viewer.mouse.move(VIEWPORT.width - 2, 2);
    const everyone = bots + HIDDEN.publishers.length;
    const pubIds = HIDDEN.publishers;
    const onPage1 = (s) => s.participants.some((p) => p.visible) && pubIds.every((id) => !participant(s, id)?.visible);
    const first = await waitFor(viewer, (s) => s.phase === 'in-room' && s.participants.length === everyone && onPage1(s) && s,
                                { timeout: 30000, what: `the viewer lists ${everyone} participants, publishers not on page 1` });
    out.perPage = first.participants.filter((p) => p.visible).length;
    out.joinPrefetched = pubIds.filter((id) => participant(first, id)?.prefetch).length;
    // Page 2; tiles over the cap get Show video: a planned rejoin subscribes what is on screen.
    await clickRegion(viewer, 'controls/page_next');
    await viewer.mouse.move(VIEWPORT.width - 2, 2);
    let s = await waitFor(viewer, (st) => pubIds.every((id) => participant(st, id)?.visible) && st, { timeout: 10000, what: 'page 2 shows the publishers' });
    await sleep(500);
    s = await getState(viewer);
    const capped = s.participants.filter((p) => p.visible && p.media === 'capped');
    out.cappedOnPage2 = capped.length;
    if (capped.length) {
      const n = s.rejoins.count;
      await clickRegion(viewer, `tile/${capped[0].id}/show-video`);
      await viewer.mouse.move(VIEWPORT.width - 2, 2);
      await waitFor(viewer, (st) => st.rejoins.count === n + 1 && st.phase === 'in-room' &&
                    st.participants.filter((p) => p.visible).every((p) => p.negotiated),
                    { timeout: 30000, what: 'rejoined with page 2 subscribed' });
    }
    await waitFor(viewer, (st) => pubIds.every((id) => { const p = participant(st, id); return p && p.media === 'live' && p.framesDecoded > 0; }),
                  { timeout: 30000, what: 'the viewer decodes every publisher' });
    const page = async (name, visible) => {
      await clickRegion(viewer, name);
      await viewer.mouse.move(VIEWPORT.width - 2, 2);
      await waitFor(viewer, (st) => pubIds.every((id) => !!participant(st, id)?.visible === visible) &&
                    pubIds.every((id) => participant(st, id)?.negotiated), { timeout: 10000, what: `${name}: publishers ${visible ? 'shown' : 'hidden'}` });
    };
    log('hidden: the viewer decodes the publishers');
    out.publisherCrossSubscriptions = 0;
    for (const p of pubs) {
      const ps = await getState(p);
      out.publisherCrossSubscriptions += ps.participants.filter((q) => pubIds.includes(q.id) && q.negotiated).length;
    }
    await page('controls/page_prev', false);
    out.windows = [];
    out.windows.push(await hiddenWindow('A1', viewer, rootPid));
    await page('controls/page_next', true);
    out.windows.push(await hiddenWindow('B1', viewer, rootPid));
    await page('controls/page_prev', false);
    out.windows.push(await hiddenWindow('A2', viewer, rootPid));
    await page('controls/page_next', true);
    out.windows.push(await hiddenWindow('B2', viewer, rootPid));
    // C: the publishers leave; the viewer keeps only the bots (one page).
    await Promise.all(pubs.splice(0).map((p) => closePages([p])));
    await waitFor(viewer, (st) => st.participants.length === bots && st.phase === 'in-room' &&
                  st.participants.every((p) => p.negotiated || p.media === 'capped'), { timeout: 20000, what: 'publishers gone' });
    log('hidden: the publishers left');
    out.windows.push(await hiddenWindow('C', viewer, rootPid));
    const st = await getState(viewer);
    out.resubscribes = st.resubscribes;
    out.rejoins = st.rejoins.count;
    const pick = (re) => out.windows.filter((w) => re.test(w.label));
    const med = (list, f) => round(median(list.map(f)));
    const A = pick(/^A/);
    const B = pick(/^B/);
    const C = pick(/^C/);
    const n = pubIds.length;
    out.aCpuPercent = med(A, (w) => w.cpuPercent);
    out.bCpuPercent = med(B, (w) => w.cpuPercent);
    out.cCpuPercent = med(C, (w) => w.cpuPercent);
    const loads = out.windows.flatMap((w) => w.loadAverage);
    out.loadAverage = { min: round(Math.min(...loads)), max: round(Math.max(...loads)) };
    out.byTypeMedianPercent = {};
    for (const [k, list] of [['A', A], ['B', B], ['C', C]]) {
      const types = [...new Set(list.flatMap((w) => Object.keys(w.byTypePercent)))];
      out.byTypeMedianPercent[k] = Object.fromEntries(types.map((t) => [t, med(list, (w) => w.byTypePercent[t] ?? 0)]));
    }
    out.hiddenPerStreamPercent = round((out.aCpuPercent - out.cCpuPercent) / n, 2);
    out.visiblePerStreamPercent = round((out.bCpuPercent - out.cCpuPercent) / n, 2);
    const perPub = (list, f) => round(median(list.flatMap((w) => w.publishers.map(f)).filter((x) => x !== null && x !== undefined)));
    out.hiddenDecodedPerSecond = perPub(A, (p) => p.decodedPerSecond);
    out.hiddenReceivedPerSecond = perPub(A, (p) => p.receivedPerSecond);
    out.hiddenDeliveredPerSecond = perPub(A, (p) => p.deliveredPerSecond);
    out.hiddenPresentedPerSecond = perPub(A, (p) => p.presentedPerSecond);
    out.hiddenDecodeMsPerFrame = round(median(A.flatMap((w) => w.publishers.map((p) => p.decodeMsPerFrame)).filter((x) => x !== null && x !== undefined)), 2);
    out.visibleDecodedPerSecond = perPub(B, (p) => p.decodedPerSecond);
    out.visiblePresentedPerSecond = perPub(B, (p) => p.presentedPerSecond);
    log(`hidden: A ${out.aCpuPercent}%, B ${out.bCpuPercent}%, C ${out.cCpuPercent}% of a core; per stream hidden ${out.hiddenPerStreamPercent}%, visible ${out.visiblePerStreamPercent}%; hidden decoded/s ${out.hiddenDecodedPerSecond}`);
  } finally {
    const open = [...pubs, ...(viewer ? [viewer] : [])];
    await closePages(open);
    if (vbrowser) await vbrowser.close().catch(() => {});
    out.serverStats = await srv.stats().then((x) => ({ repeatOffers: x.repeatOffers, renegotiationCloses: x.renegotiationCloses, largestFrameIn: x.largestFrameIn })).catch(() => null);
    await srv.close().catch(() => {});
  }
  return out;
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
  const ran = (section) => !ONLY || ONLY.has(section);  // --only: no ERROR rows for the others
  const b = results.bytes;
  if (b) {
    row('bytes: the .wasm (both halves) raw / gzip', `${kb(b.wasm.raw)} / ${kb(b.wasm.gzip)}`);
    if (b.joinHalf) row('  groupcall.wasm (a kiosk\'s join) / groupcall.deferred.wasm (the canvas), gzip', `${kb(b.joinHalf.gzip)} / ${kb(b.uiHalf.gzip)}`);
    row('bytes: .js (' + b.js.map((x) => path.basename(x.file)).join(', ') + ') raw / gzip', `${kb(b.jsTotal.raw)} / ${kb(b.jsTotal.gzip)}`);
    row('bytes: .wasm + .js gzip', kb(b.wasmPlusJs.gzip), '<= 300 KB', b.wasmPlusJs.gzip <= GOALS.gzipWasmJs);
    row('bytes: fonts (after first frame) raw / gzip', `${kb(b.fontsTotal.raw)} / ${kb(b.fontsTotal.gzip)}`);
    if (b.emojiFont) row('bytes: emoji font (once an emoji shows) raw / gzip', `${kb(b.emojiFont.raw)} / ${kb(b.emojiFont.gzip)}`);
    row('bytes: total (+ html, css) raw / gzip', `${kb(b.total.raw)} / ${kb(b.total.gzip)}`);
  } else if (ran('bytes')) row('bytes', 'ERROR');
  const s = results.startup;
  if (s) row('start-up: page open -> join screen drawn, median of 10', `${ms(s.medianMs)} (min ${s.minMs}, max ${s.maxMs})`, '<= 300 ms', s.medianMs <= GOALS.joinScreenMs);
  else if (ran('startup')) row('start-up', 'ERROR');
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
  if ((!t || !t.users4) && ran('ttv')) row('time to video', 'ERROR');
  const i = t && t.idle;
  if (i) {
    row('idle (4 users, 20 s): canvas frames/s, worst page', `${i.maxFramesPerSecond}`, '0', i.maxFramesPerSecond <= GOALS.idleFps);
    row('idle: page main-thread CPU (task / script), mean', `${i.meanMainThreadCpuPercent}% / ${i.meanScriptCpuPercent}% of a core`);
  } else if (ran('ttv')) row('idle', 'ERROR');
  const f = results.fps;
  for (const mode of ['ui', 'kiosk']) {
    const m = f && f[mode];
    if (m) {
      row(`frame rate, 4 users, ${mode === 'ui' ? 'UI' : 'kiosk'} mode: fps per sub p10 / median`, `${m.p10} / ${m.median} (slowest 5 s: ${m.slowest5sWindow}; stalls ${m.stalls.detected})`,
          `p10 >= ${GOALS.fps4P10}`, m.p10 >= GOALS.fps4P10);
      row(`  ${mode}: senders encode fps / limitation; relay CPU, PLIs`, `${m.senders.map((x) => `${x.fps}@${x.height}p`).join(' ')} / ${[...new Set(m.senders.map((x) => x.limitation))].join(',')}; server ${m.server.cpuPercent}% of a core, ${m.server.pliFromSubscribers} PLIs`);
    } else if (ran('fps')) row(`frame rate, 4 users, ${mode} mode`, 'ERROR');
  }
  const u = results.ui;
  if (u && u.frames5000) {
    row('UI frame CPU, 25 users + 5000 chat lines p50 / p95', `${ms(u.p50Ms)} / ${ms(u.p95Ms)}`, 'p95 <= 4 ms', u.p95Ms <= GOALS.uiFrameP95Ms);
    row('  same room before the chat lines p50 / p95', `${ms(u.framesEmpty.p50Ms)} / ${ms(u.framesEmpty.p95Ms)}`);
    if (u.a11yBuildsDuringMouseFrames !== undefined)
      row('  accessibility tree builds in those mouse-move frames', `${u.a11yBuildsDuringMouseFrames} in ${u.frames5000.rafCallbacks} frames`);
  } else if (ran('ui')) row('UI frame CPU', 'ERROR');
  if (u && u.heapAfter10000) {
    row('memory: Wasm heap after 10,000 chat lines', `${(u.heapAfter10000.wasmHeapBytes / 1048576).toFixed(1)} MiB (in room: ${(u.heapInRoom.wasmHeapBytes / 1048576).toFixed(1)}, 5,000: ${(u.heapAfter5000.wasmHeapBytes / 1048576).toFixed(1)}); ${u.heapAfter10000.chatLinesInView} lines kept`);
  } else if (ran('ui')) row('memory', 'ERROR');
  const at = results.atlas;
  if (at && at.rebuilds) {
    const last = at.rebuilds[at.rebuilds.length - 1];
    row(`atlas: one new character among ${at.glyphs} glyphs: rebuild median / max`, `${ms(at.medianMs)} / ${ms(at.maxMs)} (upload ${ms(at.medianUploadMs)}; ${last.rasterised} rasterised, ${last.reused} copied)`);
    row(`  filling it: ${at.fill.glyphs} glyphs from 1,000-character lines`, `${at.fill.rebuilds} rebuilds, settled in ${at.fill.ms} ms`);
  } else if (ran('atlas')) row('atlas', 'ERROR');
  const h = results.hidden;
  if (h && h.aCpuPercent !== undefined) {
    row('hidden subs: viewer CPU, A hidden / B shown / C no publishers', `${h.aCpuPercent}% / ${h.bCpuPercent}% / ${h.cCpuPercent}% of a core (${HIDDEN.windowMs / 1000} s each; A, B median of 2)`);
    row(`  per ${h.camera.split(' ')[0]} stream (${h.publishers}): hidden (A-C)/${h.publishers} / visible (B-C)/${h.publishers}`,
        `${h.hiddenPerStreamPercent}% / ${h.visiblePerStreamPercent}% of a core`);
    row('  hidden subs, each: frames received / decoded per s', `${h.hiddenReceivedPerSecond} / ${h.hiddenDecodedPerSecond} (rVFC ${h.hiddenPresentedPerSecond}/s; visible: ${h.visibleDecodedPerSecond} decoded, rVFC ${h.visiblePresentedPerSecond}/s)`);
    const bt = h.byTypeMedianPercent;
    const tri = (t) => ['A', 'B', 'C'].map((k) => bt[k][t] ?? 0).join(' / ');
    row('  A / B / C by process: renderer; GPU process; network', `${tri('renderer')}; ${tri('gpu-process')}; ${tri('utility:NetworkService')} % of a core`);
    row('  1-min load average in the windows (this section\'s own pages)', `${h.loadAverage.min}-${h.loadAverage.max}`);
  } else if (ran('hidden')) row('hidden subs', 'ERROR');
  const bl = results.baseline;
  if (bl && (bl.users2 || bl.users4 || bl.late || bl.profile)) {
    const label = { users2: '2 users', users4: '4 users', late: '2 users, late joiner (+6 s)' };
    for (const k of ['users2', 'users4', 'late']) {
      const x = bl[k];
      if (!x) continue;
      if (!x.ratios) { row(`time to video vs baseline, ${label[k]}`, `ERROR (${x.failed} failed rounds)`); continue; }
      const goal = x.goal ? `<= ${x.goal}x` : '';
      row(`time to video vs baseline, ${label[k]}: client / baseline median, ratio`, `${ms(x.clientMedianMs)} / ${ms(x.baselineMedianMs)}; median of ${x.ratios.length} ratios ${x.medianRatio}x${x.failedRounds ? ` (${x.failedRounds} rounds failed)` : ''}`,
          goal, x.goal ? x.medianRatio <= x.goal : null);
      row(`  ${label[k]}, per round client / baseline ms`, x.clientMs.map((c, i) => `${Math.round(c)}/${Math.round(x.baselineMs[i])}`).join(' '));
      const c = x.stepsMedianMs.client;
      const b = x.stepsMedianMs.baseline;
      row(`  ${label[k]}, gUM/socket/join/list/offer/answer/frame (c|b)`, [c.gumEnd, c.socketOpen, c.joinSent, c.list, c.firstOffer, c.firstAnswer, c.firstFrame].join('/') + ' | ' +
          [b.gumEnd, b.socketOpen, b.joinSent, b.list, b.firstOffer, b.firstAnswer, b.firstFrame].join('/') + ' ms');
    }
    if (bl.syncLoads !== undefined) row('  baseline section: the client\'s second half loaded synchronously (pages, all rounds)', String(bl.syncLoads), '0', bl.syncLoads === 0);
    if (bl.rule11) row('  baseline section: repeated offers / 1011 closes / largest frame c|b', `${bl.rule11.repeatOffers} / ${bl.rule11.closes1011} / ${bl.rule11.largestFrameSent.client}|${bl.rule11.largestFrameSent.baseline} bytes`);
    const pr = bl.profile;
    if (pr && pr.topSelf) {
      const cat = pr.categoriesMs;
      row(`  client profile, first ${BASE.profileMs / 1000} s (u1 of 2): idle/program/GC/wasm/js/builtins ms`, ['(idle)', '(program)', '(garbage collector)', 'wasm', 'groupcall.js', 'native/builtin'].map((k) => round(cat[k] || 0, 0)).join(' / '));
      const tr = bl.trace;
      if (tr && tr.topEvents) {
        const pick = (name) => round((tr.topEvents.find((e) => e.name === name) || { ms: 0 }).ms, 0);
        row(`  client trace, first ${BASE.profileMs / 1000} s: tasks / rAF / lazy Wasm compile / GL waits (ReadPixels, Finish)`,
            `${round(tr.tasksMs, 0)} / ${pick('FireAnimationFrame')} / ${pick('wasm.CompileLazy')} / ${pick('GLES2::ReadPixels')}, ${pick('CommandBufferHelper::Finish')} ms`);
      }
      row('  client profile, top self time', pr.topSelf.slice(0, 4).map((f) => `${f.fn.slice(0, 40)} ${round(f.ms, 0)}`).join('; '));
    }
  } else if (ran('baseline')) row('time to video vs baseline', 'ERROR');
  if (bl && bl.rounds && bl.rounds.some((x) => x.failed)) row('  baseline section: failed rounds (JSON rounds[].failed)', String(bl.rounds.filter((x) => x.failed).length));
  const n = results.native;
  if (n) {
    for (const x of n.benchmarks) row(`native: ${x.name}`, `${(x.itemsPerSecond / 1e6).toFixed(3)} M msg/s`, '>= 2 M/s', x.itemsPerSecond >= GOALS.nativeMsgsPerSec);
  } else if (ran('native')) row('native', 'ERROR');

  const ro = results.rotation;
  if (ro) {
    row(`kiosk: rotation -> all tiles live, median / max (${ro.rotations.length} rotations, ${ro.perPage} per page)`,
        `${ms(ro.medianMs)} / ${ms(ro.maxMs)}${ro.notLive ? ` (${ro.notLive} not live in 5 s)` : ''}`, `every one <= ${ro.goalMs} ms`,
        ro.maxMs !== null && ro.maxMs <= ro.goalMs);
    row('  rotation: offers repeated (server) / resubscribes (client)', `${ro.repeatOffers} / ${ro.resubscribes}`, '0 / 0', ro.repeatOffers === 0 && ro.resubscribes === 0);
  } else if (ran('rotation')) row('kiosk rotation', 'ERROR');
  const st = results.steady;
  if (st) {
    // One pair of rows per room: the idle room's figures are the top of `steady`.
    for (const [name, s] of [['idle', st], ['talking', st.talking]]) {
      if (!s) continue;
      row(`steady, 4 live tiles, ${name} room: main-thread CPU, client / baseline`, `${s.client.threadCpuPercent}% / ${s.baseline.threadCpuPercent}% of a core (${s.ratio}x)`,
          '<= 1.0x', s.ratio !== null && s.ratio <= 1);
      row(`  ${name}: main thread busy; renderer process CPU, client / baseline; client canvas frames/s`,
          `${s.client.taskPercent}% / ${s.baseline.taskPercent}%; ${s.client.processCpuPercent}% / ${s.baseline.processCpuPercent}%; ${s.client.framesPerSecond ?? '?'}`);
    }
  } else if (ran('steady')) row('steady state', 'ERROR');
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

// ---- 7. time to video, this client / baseline (issue 12) -------------------------------------

// The real client against tests/bench/baseline/ (a minimal plain-JS client), both served by
// one reference server instance (its --web is a folder of symlinks: the client's build
// plus baseline/), both timed by ttv-probe.js (the only init script on these pages).
// A round opens all its pages at once (fresh browser contexts: cold HTTP cache for both)
// and times each page from its navigation start to its first decoded remote frame. The
// round's figure is the slowest page's (everyone sees someone); the JSON also has, per page,
// the time until every remote owner decodes. Client and baseline rounds alternate (ABBA),
// each round in a new room. The real client joins from the URL as the baseline does:
// kiosk=1&publish=1 (UI mode needs a click; --baseline-client ui clicks Join as soon as
// regions() shows it, which adds the bench's polling to the client's time).
const PROBE = readFileSync(path.join(here, 'ttv-probe.js'), 'utf8');
const BASE = {
  rounds: Number(args['baseline-rounds'] || 5),
  lateDelayMs: 6000,
  roundTimeoutMs: 120000,     // a 4-user client round took 18-26 s at load 20-27
  late: args['baseline-late'] !== '0',
  scenarios: args['baseline-scenarios'] ? new Set(args['baseline-scenarios'].split(',')) : null,  // users2,users4,late
  profile: args['baseline-profile'] !== '0',
  profileMs: 3000,
  profileWww: args['profile-www'] ? path.resolve(args['profile-www']) : null,  // e.g. a --profiling-funcs link, served at /prof/
  clientMode: args['baseline-client'] === 'ui' ? 'ui' : 'kiosk',
  camera: { w: 320, h: 240, fps: 15 },
  goals: { users2: 0.7, users4: 0.8 },
};

function baselineWww() {
  const dir = path.join(OUT, 'baseline-www');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(WWW)) symlinkSync(path.join(WWW, name), path.join(dir, name));
  symlinkSync(path.join(here, 'baseline'), path.join(dir, 'baseline'));
  if (BASE.profileWww) symlinkSync(BASE.profileWww, path.join(dir, 'prof'));
  return dir;
}

function ttvUrl(srv, kind, room, user) {
  const c = BASE.camera;
  if (kind === 'baseline') return `${srv.origin}/baseline/#room=${room}&user=${user}&w=${c.w}&h=${c.h}&fps=${c.fps}`;
  const kiosk = BASE.clientMode === 'kiosk' ? { kiosk: 1, publish: 1 } : {};
  return pageUrl(srv, { room, user, lang: 'en', ...kiosk, w: c.w, h: c.h, fps: c.fps });
}

async function ttvOpen(kind, name) {
  const context = await (await getBrowser()).newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.gc = { name, log: [] };
  page.on('console', (m) => { if (m.type() === 'error' || /baseline/.test(m.text())) page.gc.log.push(`[${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => page.gc.log.push(`[pageerror] ${e.message}`));
  await page.addInitScript({ content: PROBE });
  return page;
}

// Navigates; in UI mode also clicks Join as soon as it is there. Resolves once navigation began.
async function ttvGo(page, url, kind) {
  await page.goto(url, { waitUntil: 'commit' });
  if (kind === 'client' && BASE.clientMode === 'ui') {
    (async () => {
      await waitFor(page, (s) => s && s.framesDrawn > 0, { timeout: 30000, interval: 20, what: 'first frame' });
      await clickRegion(page, 'join/button', { timeout: 15000 });
    })().catch((e) => page.gc.log.push(`[bench] join click: ${e.message}`));
  }
}

const ttvState = (page) => page.evaluate(() => window.__ttv);

async function ttvRound(srv, kind, users, room, late) {
  const pages = [];
  for (const u of users) pages.push(await ttvOpen(kind, `${kind}-u${u}`));
  const want = users.length - 1;
  const before = await srv.stats().catch(() => null);
  let lateOpenedMs = null;
  try {
    if (!late) {
      await Promise.all(pages.map((p, i) => ttvGo(p, ttvUrl(srv, kind, room, users[i]), kind)));
    } else {
      const t0 = Date.now();
      await ttvGo(pages[0], ttvUrl(srv, kind, room, users[0]), kind);
      await sleep(Math.max(0, BASE.lateDelayMs - (Date.now() - t0)));
      // On a starved machine 6 s may not be enough: the first page must be in the room and
      // have sent its publish offer, else the second is not joining a call in progress.
      await waitUntil(async () => { const a = await ttvState(pages[0]); return a && a.list !== null && a.offers >= 1; },
                      { timeout: 30000, interval: 50, what: `${kind}: first page joined and published` });
      lateOpenedMs = Date.now() - t0;
      await ttvGo(pages[1], ttvUrl(srv, kind, room, users[1]), kind);
    }
    const timed = late ? [pages[1]] : pages;
    const states = await waitUntil(async () => {
      const st = await Promise.all(timed.map(ttvState));
      return st.every((s) => s && s.decoded.length >= want) && st;
    }, { timeout: BASE.roundTimeoutMs, interval: 100, what: `${kind} ${users.length} users room ${room}: every page decodes every remote` });
    const all = await Promise.all(pages.map(ttvState));
    const perPage = (late ? [all[1]] : all).map((s) => ({
      firstFrame: s.firstFrame, allFrames: Math.max(...s.decoded.slice(0, want)),
      gumStart: s.gumStart, gumEnd: s.gumEnd, socketCreated: s.socketCreated, socketOpen: s.socketOpen,
      joinSent: s.joinSent, list: s.list, firstOffer: s.firstOffer, firstAnswer: s.firstAnswer,
      offers: s.offers, peers: s.peers,
    }));
    void states;
    // The client's second half loaded synchronously on any page (state().code.syncLoads:
    // a join that needed the canvas's code before it was fetched; README "Building by
    // hand"), read once the round is timed.
    const syncLoads = kind !== 'client' ? 0 : (await Promise.all(pages.map((p) => p.evaluate(() => {
      const s = window.groupcall && window.groupcall.state();
      return s && s.code ? s.code.syncLoads : 0;
    }).catch(() => 0)))).reduce((a, n) => a + n, 0);
    const after = await srv.stats().catch(() => null);
    return {
      kind, users: users.length, room, late: !!late, lateOpenedMs,
      ms: round(Math.max(...perPage.map((p) => p.firstFrame))),
      allMs: round(Math.max(...perPage.map((p) => p.allFrames))),
      pages: perPage,
      maxFrameSent: Math.max(...all.map((s) => s.maxFrameSent)),
      syncLoads,
      repeatOffers: before && after ? after.repeatOffers - before.repeatOffers : null,
      closes1011: before && after ? (after.renegotiationCloses + after.unknownOwnerCloses) - (before.renegotiationCloses + before.unknownOwnerCloses) : null,
    };
  } catch (e) {
    e.message += '\n' + pages.map((p) => `${p.gc.name}: ${p.gc.log.slice(-8).join(' | ')}`).join('\n');
    throw e;
  } finally {
    for (const p of pages) {
      await p.evaluate(() => { if (window.__ttv) window.__ttv.stop = true; }).catch(() => {});
      await p.context().close().catch(() => {});
    }
  }
}

// CDP sampling profile (500 us) of one real-client page (user 1 of a 2-user round, both
// opened at once; not counted in the rounds) from just before its navigation until its own
// clock passes BASE.profileMs: self time per function and per category, and busy time per
// 250 ms from the profile's start. --profile-www DIR profiles another build of the client
// (e.g. linked with --profiling-funcs, so Wasm functions have names), served at /prof/.
async function ttvProfile(srv, room) {
  const users = [1, 2];
  const pages = [];
  for (const u of users) pages.push(await ttvOpen('client', `profile-u${u}`));
  const cdp = await pages[0].context().newCDPSession(pages[0]);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  try {
    const url = (i) => {
      const u = ttvUrl(srv, 'client', room, users[i]);
      return i === 0 && BASE.profileWww ? u.replace(`${srv.origin}/#`, `${srv.origin}/prof/#`) : u;
    };
    await Promise.all(pages.map((p, i) => ttvGo(p, url(i), 'client')));
    // Until the profiled page's own clock (ms since its navigation start) passes profileMs.
    await waitUntil(async () => (await pages[0].evaluate(() => performance.now())) >= BASE.profileMs,
                    { timeout: 30000, interval: 20, what: 'profile window' });
    void t0;
    const metrics = await cdp.send('Performance.getMetrics');
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(path.join(OUT, 'baseline-client-u1.cpuprofile'), JSON.stringify(profile));
    const st = await ttvState(pages[0]);
    const nav = metrics.metrics.find((m) => m.name === 'NavigationStart');
    const navStartUs = nav ? nav.value * 1e6 : profile.startTime;
    return { ...summarizeProfile(profile, navStartUs, BASE.profileMs), navStartAfterProfileStartMs: round((navStartUs - profile.startTime) / 1000),
             www: BASE.profileWww || WWW, pageLandmarks: st, file: path.join(OUT, 'baseline-client-u1.cpuprofile') };
  } finally {
    for (const p of pages) {
      await p.evaluate(() => { if (window.__ttv) window.__ttv.stop = true; }).catch(() => {});
      await p.context().close().catch(() => {});
    }
  }
}

// A Chromium trace of the same kind of page (another uncounted 2-user client round): what
// the profiler books to "(program)". Events on the profiled page's renderer main thread
// (CrRendererMain of the process its committed frame lives in) in its first profileMs,
// total duration per event name (names nest: a parent's total includes its children's).
async function ttvTrace(srv, room) {
  const users = [1, 2];
  const pages = [];
  for (const u of users) pages.push(await ttvOpen('client', `trace-u${u}`));
  const b = await getBrowser();
  const cdp = await pages[0].context().newCDPSession(pages[0]);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  await b.startTracing(pages[0], {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink', 'loading', 'toplevel', 'gpu'],
  });
  let buf;
  try {
    const url = (i) => {
      const u = ttvUrl(srv, 'client', room, users[i]);
      return i === 0 && BASE.profileWww ? u.replace(`${srv.origin}/#`, `${srv.origin}/prof/#`) : u;
    };
    await Promise.all(pages.map((p, i) => ttvGo(p, url(i), 'client')));
    await waitUntil(async () => (await pages[0].evaluate(() => performance.now())) >= BASE.profileMs,
                    { timeout: 30000, interval: 20, what: 'trace window' });
    const metrics = await cdp.send('Performance.getMetrics');
    buf = await b.stopTracing();
    writeFileSync(path.join(OUT, 'baseline-client-u1.trace.json'), buf);
    const nav = metrics.metrics.find((m) => m.name === 'NavigationStart');
    const { traceEvents } = JSON.parse(buf.toString('utf8'));
    const pageUrlPart = `room=${room}&user=1`;
    // The page's renderer main thread: where its HTML was parsed.
    const parse = traceEvents.find((e) => e.name === 'ParseHTML' && e.args?.beginData?.url?.includes(pageUrlPart));
    const pid = parse ? parse.pid : null;
    const tid = parse ? parse.tid : null;
    const t0 = nav ? nav.value * 1e6 : null;
    const totals = new Map();
    let tasks = 0;
    for (const e of traceEvents) {
      if (e.pid !== pid || e.tid !== tid || e.ph !== 'X' || t0 === null) continue;
      const from = Math.max(e.ts, t0);
      const to = Math.min(e.ts + (e.dur || 0), t0 + BASE.profileMs * 1000);
      if (to <= from) continue;
      if (e.name === 'RunTask') tasks += (to - from) / 1000;  // top-level tasks: the thread's busy time
      totals.set(e.name, (totals.get(e.name) || 0) + (to - from) / 1000);
    }
    const top = [...totals.entries()].sort((a, c) => c[1] - a[1]).slice(0, 40).map(([name, ms]) => ({ name, ms: round(ms) }));
    return { windowMs: BASE.profileMs, pid, tid, tasksMs: round(tasks), topEvents: top, events: traceEvents.length,
             note: 'total ms per trace event name on the page renderer main thread in its first windowMs (nested names overlap)' };
  } finally {
    if (!buf) await b.stopTracing().catch(() => {});
    for (const p of pages) {
      await p.evaluate(() => { if (window.__ttv) window.__ttv.stop = true; }).catch(() => {});
      await p.context().close().catch(() => {});
    }
  }
}

// Samples between the page's navigation start (navStartUs, the same monotonic clock as the
// profile's) and windowMs after it: self time per function (with its hottest line, from
// positionTicks) and per category, busy time per 250 ms of page time.
function summarizeProfile(profile, navStartUs, windowMs) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const category = (cf) => {
    const f = cf.functionName || '';
    const u = cf.url || '';
    if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(f)) return f;
    if (u.startsWith('wasm://') || /\.wasm$/.test(u) || /^\$|wasm-function/.test(f)) return 'wasm';
    if (/groupcall\.js/.test(u)) return 'groupcall.js';
    if (u === '' && f !== '') return 'native/builtin';
    return u ? path.basename(u.split('?')[0]) : '(anonymous)';
  };
  const hotLine = (node) => {
    const t = (node.positionTicks || []).slice().sort((a, b) => b.ticks - a.ticks)[0];
    return t && node.callFrame.url && !/\.wasm$/.test(node.callFrame.url) ? ` (hot line ${t.line})` : '';
  };
  const self = new Map();
  const cats = new Map();
  const buckets = [];
  let total = 0;
  let t = profile.startTime;
  const n = profile.samples.length;
  for (let i = 0; i < n; i++) {
    t += profile.timeDeltas[i];
    const pageMs = (t - navStartUs) / 1000;
    if (pageMs < 0 || pageMs >= windowMs) continue;
    const dt = (i + 1 < n ? profile.timeDeltas[i + 1] : 0) / 1000;  // ms this sample stands for
    const node = byId.get(profile.samples[i]);
    const cf = node.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url ? path.basename(cf.url) + ':' + (cf.lineNumber + 1) : ''}`.trim();
    const cat = category(cf);
    const e = self.get(key) || { ms: 0, node };
    e.ms += dt;
    self.set(key, e);
    cats.set(cat, (cats.get(cat) || 0) + dt);
    total += dt;
    const b = Math.floor(pageMs / 250);
    buckets[b] = buckets[b] || { busy: 0, program: 0, wasm: 0, js: 0, gc: 0 };
    if (cat !== '(idle)') buckets[b].busy += dt;
    if (cat === '(program)') buckets[b].program += dt;
    if (cat === 'wasm') buckets[b].wasm += dt;
    if (cat === 'groupcall.js' || cat === 'native/builtin') buckets[b].js += dt;
    if (cat === '(garbage collector)') buckets[b].gc += dt;
  }
  const top = [...self.entries()].filter(([k]) => !/^\((idle|root)\)/.test(k)).sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)
    .map(([fn, e]) => ({ fn: fn + hotLine(e.node), ms: round(e.ms) }));
  const z = { busy: 0, program: 0, wasm: 0, js: 0, gc: 0 };
  return {
    windowMs, totalMs: round(total), samples: n,
    categoriesMs: Object.fromEntries([...cats.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
    topSelf: top,
    per250Ms: Array.from({ length: Math.ceil(windowMs / 250) }, (_, i) => {
      const b = buckets[i] || z;
      return { fromMs: i * 250, busy: round(b.busy), program: round(b.program), wasm: round(b.wasm), js: round(b.js), gc: round(b.gc) };
    }),
    note: 'ms of the page main thread; "(program)" = native renderer work outside JS/Wasm (compile, parse, style/layout, GPU IPC); js includes browser builtins called from JS (fetch, getContext...)',
  };
}

async function benchBaseline() {
  const srv = await sectionServer('baseline-server');
  log(`baseline server ${srv.origin} (web ${srv.web} -> ${WWW})`);
  const out = { what: 'navigation start -> first decoded remote frame (getStats inbound-rtp video framesDecoded > 0, polled every 50 ms on every RTCPeerConnection); round = the slowest page of the round; pages of a round opened at once', config: BASE, rounds: [] };
  try {
    let room = 700;
    let userBase = 0;
    const nextUsers = (k) => { const u = []; for (let i = 0; i < k; i++) u.push(1 + ((userBase + i) % 56)); userBase += k; return u; };
    const scenarios = [['users2', 2, false], ['users4', 4, false], ['late', 2, true]]
      .filter(([name]) => (name !== 'late' || BASE.late) && (!BASE.scenarios || BASE.scenarios.has(name)));
    // One uncounted 2-user round of each kind first: in a browser that has not opened its
    // fake camera yet, the first getUserMedia took 600-800 ms against 80-200 ms after (the
    // renderer asked the browser for the stream only once a device enumeration was done),
    // and round 0's first kind paid it alone.
    if (BASE.rounds > 0 && scenarios.length) {
      for (const kind of ['baseline', 'client']) {
        const res = await ttvRound(srv, kind, nextUsers(2), room++, false).catch((e) => ({ failed: String(e.message || e) }));
        out.warmup = { ...(out.warmup || {}), [kind]: res.failed ? `FAILED ${res.failed.split('\n')[0]}` : res.ms };
        log(`baseline: warm-up ${kind}: ${res.failed ? 'FAILED' : `${res.ms} ms`} (not counted)`);
      }
    }
    for (let r = 0; r < BASE.rounds; r++) {
      for (const [name, n, late] of scenarios) {
        const order = r % 2 === 0 ? ['client', 'baseline'] : ['baseline', 'client'];
        for (const kind of order) {
          let res;
          try {
            res = await ttvRound(srv, kind, nextUsers(n), room++, late);
          } catch (e) {  // counted as a failed round: its pair is left out of the ratios
            res = { kind, users: n, late, failed: String(e.message || e).slice(0, 2000), ms: null, allMs: null, pages: [] };
          }
          res.scenario = name; res.round = r; res.load1 = round(os.loadavg()[0], 2);
          out.rounds.push(res);
          log(`baseline: round ${r} ${name} ${kind}: ${res.failed ? 'FAILED ' + res.failed.split('\n')[0] : `${res.ms} ms (all remotes ${res.allMs} ms`}; load ${os.loadavg()[0].toFixed(1)})`);
          await sleep(500);
        }
      }
    }
    for (const [name] of scenarios) {
      const c = out.rounds.filter((x) => x.scenario === name && x.kind === 'client');
      const b = out.rounds.filter((x) => x.scenario === name && x.kind === 'baseline');
      if (!c.length) continue;  // --baseline-rounds 0: the profile only
      const failed = c.filter((x) => x.failed).length + b.filter((x) => x.failed).length;
      const ok = c.map((x, i) => [x, b[i]]).filter(([x, y]) => !x.failed && y && !y.failed);
      c.splice(0, c.length, ...ok.map(([x]) => x));
      b.splice(0, b.length, ...ok.map(([, y]) => y));
      if (!c.length) { out[name] = { failed }; continue; }
      const ratios = c.map((x, i) => round(x.ms / b[i].ms, 2));
      const steps = ['gumStart', 'gumEnd', 'socketCreated', 'socketOpen', 'joinSent', 'list', 'firstOffer', 'firstAnswer', 'firstFrame', 'allFrames'];
      const stepMedians = (list) => Object.fromEntries(steps.map((s) => [s, round(median(list.flatMap((x) => x.pages.map((p) => p[s])).filter((v) => v !== null && v !== undefined)))]));
      out[name] = {
        clientMs: c.map((x) => x.ms), baselineMs: b.map((x) => x.ms), ratios,
        medianRatio: round(median(ratios), 2),
        clientMedianMs: round(median(c.map((x) => x.ms))), baselineMedianMs: round(median(b.map((x) => x.ms))),
        clientAllMs: c.map((x) => x.allMs), baselineAllMs: b.map((x) => x.allMs),
        allRatioMedian: round(median(c.map((x, i) => x.allMs / b[i].allMs)), 2),
        stepsMedianMs: { client: stepMedians(c), baseline: stepMedians(b) },
        goal: BASE.goals[name] ?? null,
        failedRounds: failed,
      };
      log(`baseline: ${name}: client ${out[name].clientMs.join(' ')} / baseline ${out[name].baselineMs.join(' ')}; median ratio ${out[name].medianRatio}`);
    }
    out.syncLoads = out.rounds.reduce((a, x) => a + (x.syncLoads || 0), 0);
    out.rule11 = {
      repeatOffers: out.rounds.reduce((a, x) => a + (x.repeatOffers || 0), 0),
      closes1011: out.rounds.reduce((a, x) => a + (x.closes1011 || 0), 0),
      largestFrameSent: { client: Math.max(0, ...out.rounds.filter((x) => x.kind === 'client').map((x) => x.maxFrameSent || 0)),
                          baseline: Math.max(0, ...out.rounds.filter((x) => x.kind === 'baseline').map((x) => x.maxFrameSent || 0)) },
    };
    if (BASE.profile) {
      try { out.profile = await ttvProfile(srv, room++); } catch (e) { out.profile = { error: String(e.stack || e) }; }
      try { out.trace = await ttvTrace(srv, room++); } catch (e) { out.trace = { error: String(e.stack || e) }; }
    }
  } finally {
    await srv.close().catch(() => {});
  }
  return out;
}

// ---- 8. kiosk rotation and steady state against the baseline (issue 12 items 4, 5) ------------

// Publishers for both sections: baseline pages with sub=0 (publish only: one encoder each,
// nothing decoded), so the page measured is the only one receiving. The fake camera as in
// the baseline section (320x240@15).
async function publishers(srv, room, ids, from = null) {
  const c = BASE.camera;
  const pages = [];
  for (const id of ids) {
    const context = await (from || await getBrowser()).newContext({ viewport: { width: 320, height: 240 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.gc = { name: `publisher${id}`, log: [] };
    await page.goto(`${srv.origin}/baseline/#room=${room}&user=${id}&w=${c.w}&h=${c.h}&fps=${c.fps}&sub=0`, { waitUntil: 'commit' });
    pages.push(page);
  }
  return pages;
}

// A server of its own for a section that needs the baseline's pages (baselineWww: the
// client's build plus baseline/) and users up to 60.
async function sectionServer(name) {
  const web = baselineWww();
  const srv = await startServer({
    name, web, args: ['--users', writeUsersFile(), '--max-participants', '64', '--log-level', 'quiet'],
  });
  srv.web = web;
  return srv;
}

// Item 4: a kiosk (receive-only, rotate=ROT.seconds) in a room of ROT.publishers live
// publishers, its window sized so a page holds a few tiles. Once every publisher decodes
// (the kiosk has been through its pages: each one is subscribed, the next page ahead of its
// turn), rotation-probe.js times each later rotation from the batch of style changes that
// shows the new page's <video> elements to (a) each of them presenting a frame
// (requestVideoFrameCallback) and (b) the client's state saying every new tile shows its
// video. The figure is the later of the two, per rotation; goal <= 200 ms.
const ROTATION_PROBE = readFileSync(path.join(here, 'rotation-probe.js'), 'utf8');
const ROT = {
  publishers: Number(args['rotation-publishers'] || 6),
  seconds: 3,
  rotations: Number(args['rotation-count'] || 8),
  viewport: { width: 300, height: 200 },
  goalMs: 200,
};

async function benchRotation() {
  const srv = await sectionServer('rotation-server');
  const room = 900;
  const ids = Array.from({ length: ROT.publishers }, (_, i) => 31 + i);
  const pubs = await publishers(srv, room, ids);
  let kiosk = null;
  try {
    const context = await (await getBrowser()).newContext({ viewport: ROT.viewport, deviceScaleFactor: 1, locale: 'en-US' });
    kiosk = await context.newPage();
    kiosk.gc = { name: 'kiosk', log: [] };
    kiosk.on('pageerror', (e) => kiosk.gc.log.push(`[pageerror] ${e.message}`));
    await kiosk.addInitScript({ content: ROTATION_PROBE });
    await kiosk.goto(pageUrl(srv, { room, user: 40, kiosk: true, lang: 'en', extra: { rotate: ROT.seconds } }), { waitUntil: 'commit' });
    const warm = await waitFor(kiosk, (s) => s && s.phase === 'in-room' && s.participants.length === ids.length &&
                                          s.participants.every((p) => p.framesDecoded > 0) && s,
                               { timeout: 90000, interval: 250, what: 'the kiosk decodes every publisher' });
    const perPage = warm.participants.filter((p) => p.visible).length;
    await kiosk.evaluate(() => { window.__rot.armed = true; });
    const t0 = Date.now();
    await waitUntil(async () => {
      const r = await kiosk.evaluate(() => window.__rot.rotations.length);
      return r >= ROT.rotations + 1 || Date.now() - t0 > (ROT.rotations + 3) * ROT.seconds * 1000;
    }, { timeout: (ROT.rotations + 4) * ROT.seconds * 1000, interval: 500, what: 'rotations' });
    await sleep(1000);  // the last rotation's frames
    const rec = await kiosk.evaluate(() => window.__rot.rotations);
    const end = await getState(kiosk);
    const rotations = rec.map((r) => {
      const frames = r.users.map((u) => r.frames[u]);
      const framesAt = frames.every((x) => typeof x === 'number') ? Math.max(...frames) : null;
      return {
        users: r.users, framesMs: framesAt === null ? null : round(framesAt - r.t),
        uiMs: r.uiLive === null ? null : round(r.uiLive - r.t),
        liveMs: framesAt === null || r.uiLive === null ? null : round(Math.max(framesAt, r.uiLive) - r.t),
      };
    });
    const live = rotations.map((r) => r.liveMs);
    const done = live.filter((x) => x !== null);
    return {
      what: `kiosk rotate=${ROT.seconds} s, ${ids.length} publishers (baseline pages, sub=0, ${BASE.camera.w}x${BASE.camera.h}@${BASE.camera.fps}), window ${ROT.viewport.width}x${ROT.viewport.height}: batch of style changes showing a page's <video>s -> every one presented a frame and state() says every new tile shows its video`,
      publishers: ids.length, perPage, rotations,
      medianMs: round(median(done)), maxMs: done.length === live.length ? max(done) : null, notLive: live.length - done.length,
      resubscribes: end.resubscribes, repeatOffers: (await srv.stats().catch(() => ({}))).repeatOffers ?? null,
      goalMs: ROT.goalMs,
    };
  } finally {
    for (const p of [kiosk, ...pubs]) if (p) await p.context().close().catch(() => {});
    await srv.close().catch(() => {});
  }
}

// Item 5: one page with 4 live remote tiles (4 publishers, as above) that also publishes its
// own camera, this client (UI mode, joined with the Join button) and the baseline
// alternating, STEADY.rounds each: after every remote decodes and 3 s of settling, 20 s with
// nothing evaluated in the page: the renderer main thread's CPU time (CDP
// Performance.getMetrics ThreadTime), its busy time (TaskDuration) and the whole renderer
// process's CPU (ProcessTime), as % of a core. Goal: the client's main thread no higher
// than the baseline's.
const PC_LIST = readFileSync(path.join(here, 'pc-list.js'), 'utf8');
// --steady-profile DIR: a CPU profile (200 us) of each round's window, written there.
// --steady-trace DIR: a Chromium trace of each round's window (devtools.timeline and V8's
// GC), written there; trace-tasks.mjs sums a trace's main-thread tasks by kind.
const STEADY = { rounds: Number(args['steady-rounds'] || 3), windowMs: 20000, settleMs: 3000,
                 talking: args['steady-talking'] !== '0',  // --steady-talking 0: the idle room only
                 profileDir: args['steady-profile'] ? path.resolve(args['steady-profile']) : null,
                 traceDir: args['steady-trace'] ? path.resolve(args['steady-trace']) : null };

async function steadyRound(srv, kind, room, user, pubIds) {
  const context = await (await getBrowser()).newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  page.gc = { name: `${kind}-u${user}`, log: [] };
  try {
    await page.addInitScript({ content: PC_LIST });
    const c = BASE.camera;
    if (kind === 'baseline') {
      await page.goto(`${srv.origin}/baseline/#room=${room}&user=${user}&w=${c.w}&h=${c.h}&fps=${c.fps}`, { waitUntil: 'commit' });
    } else {
      await page.goto(pageUrl(srv, { room, user, lang: 'en', w: c.w, h: c.h, fps: c.fps }), { waitUntil: 'commit' });
      await waitFor(page, (s) => s && s.framesDrawn > 0, { timeout: 30000, what: 'first frame' });
      await clickRegion(page, 'join/button', { timeout: 15000 });
    }
    await waitUntil(async () => (await page.evaluate(() => window.__decodingVideos())) >= pubIds.length,
                    { timeout: 60000, interval: 250, what: `${kind}: every publisher decoding` });
    if (kind === 'client') {
      await waitFor(page, (s) => pubIds.every((id) => participant(s, id)?.tile?.videoVisible), { timeout: 15000, what: 'tiles show video' });
    }
    await page.mouse.move(VIEWPORT.width - 2, 2);
    await sleep(STEADY.settleMs);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const profiling = Boolean(STEADY.profileDir);
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const drawn = () => (kind === 'client' ? page.evaluate(() => window.gcFrontend.framesDrawn()) : 0);
    const traceFile = STEADY.traceDir && path.join(STEADY.traceDir, `steady-${kind}-u${user}.json`);
    if (traceFile) {
      mkdirSync(STEADY.traceDir, { recursive: true });
      await context.browser().startTracing(page, { path: traceFile, categories: [
        'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.gc', 'toplevel'] });
    }
    const a = await metrics();
    const f0 = await drawn();
    const t0 = Date.now();
    await sleep(STEADY.windowMs);
    const b = await metrics();
    const f1 = await drawn();
    if (traceFile) await context.browser().stopTracing();
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(STEADY.profileDir, { recursive: true });
      writeFileSync(path.join(STEADY.profileDir, `steady-${kind}-u${user}.cpuprofile`), JSON.stringify(profile));
    }
    const seconds = (Date.now() - t0) / 1000;
    const pct = (k) => round(100 * ((b[k] ?? 0) - (a[k] ?? 0)) / seconds, 2);
    return { kind, user, seconds: round(seconds, 2), threadCpuPercent: pct('ThreadTime'), taskPercent: pct('TaskDuration'),
             scriptPercent: pct('ScriptDuration'), processCpuPercent: pct('ProcessTime'),
             framesPerSecond: round((f1 - f0) / seconds, 2), load1: round(os.loadavg()[0], 2) };
  } finally {
    await context.close().catch(() => {});
  }
}

async function benchSteady() {
  const srv = await sectionServer('steady-server');
  // Two rooms: "idle", whose publishers' microphones play silence (nothing changes on
  // screen), and "talking", whose publishers are in a browser of their own with Chromium's
  // fake microphone, a beep once a second each: speech starting and stopping, which a
  // client with speaking rings and meters follows on screen. The measured pages are the same.
  let talkBrowser = null;
  const pubs = [];
  try {
    const rooms = [['idle', 910, [51, 52, 53, 54]]];
    if (STEADY.talking) rooms.push(['talking', 911, [55, 56, 57, 58]]);
    const rounds = [];
    let user = 41;
    for (const [name, room, ids] of rooms) {
      // One room's publishers at a time: four more encoders would load the other's rounds.
      while (pubs.length) await pubs.pop().context().close().catch(() => {});
      if (name === 'talking') talkBrowser = await launchBrowser({});
      pubs.push(...await publishers(srv, room, ids, talkBrowser));
      for (let r = 0; r < STEADY.rounds; r++) {
        for (const kind of r % 2 === 0 ? ['client', 'baseline'] : ['baseline', 'client']) {
          const res = await steadyRound(srv, kind, room, user++, ids);
          res.room = name;
          rounds.push(res);
          log(`steady (${name}): round ${r} ${kind}: main thread ${res.threadCpuPercent}% (tasks ${res.taskPercent}%, renderer ${res.processCpuPercent}%) of a core; ` +
              `${kind === 'client' ? `${res.framesPerSecond} canvas frames/s; ` : ''}load ${res.load1}`);
          await sleep(1000);
        }
      }
    }
    const summary = (name) => {
      const of = (kind, k) => round(median(rounds.filter((x) => x.room === name && x.kind === kind).map((x) => x[k])), 2);
      const o = {};
      for (const kind of ['client', 'baseline']) {
        o[kind] = { threadCpuPercent: of(kind, 'threadCpuPercent'), taskPercent: of(kind, 'taskPercent'),
                    scriptPercent: of(kind, 'scriptPercent'), processCpuPercent: of(kind, 'processCpuPercent') };
      }
      o.client.framesPerSecond = of('client', 'framesPerSecond');
      o.ratio = o.baseline.threadCpuPercent > 0 ? round(o.client.threadCpuPercent / o.baseline.threadCpuPercent, 2) : null;
      return o;
    };
    const out = { what: `one page with 4 live remote tiles + its own camera, ${STEADY.windowMs / 1000} s windows, CDP Performance.getMetrics (ThreadTime: main-thread CPU; TaskDuration: main-thread busy; ProcessTime: renderer process CPU), medians of ${STEADY.rounds} alternating rounds per room; idle: the publishers' microphones silent; talking: each beeps once a second`, rounds };
    Object.assign(out, summary('idle'));  // the idle room's figures at the top, as before
    if (STEADY.talking) out.talking = summary('talking');
    return out;
  } finally {
    for (const p of pubs) await p.context().close().catch(() => {});
    if (talkBrowser) await talkBrowser.close().catch(() => {});
    await srv.close().catch(() => {});
  }
}

// ---- main -------------------------------------------------------------------------------------

const sections = [
  ['bytes', 'bytes', async () => benchBytes()],
  ['startup', 'startup', benchStartup],
  ['ttv', 'timeToVideo', benchTimeToVideo],
  ['fps', 'fps', benchFps],
  ['ui', 'ui', benchUi],
  ['atlas', 'atlas', benchAtlas],
  ['hidden', 'hidden', benchHidden],
  ['baseline', 'baseline', benchBaseline, 1200000],
  ['rotation', 'rotation', benchRotation],
  // ~30 s a round per kind and room, on a 2-core machine
  ['steady', 'steady', benchSteady, (STEADY.rounds * 2 * (STEADY.talking ? 2 : 1) + 2) * 45000],
];
try {
  for (const [key, field, fn, limitMs = 300000] of sections) {
    if (ONLY && !ONLY.has(key)) continue;
    log(`${key}...`);
    results.load = results.load || {};
    results.load[key] = { before: os.loadavg()[0] };
    try {
      results[field] = await withTimeout(fn(), limitMs, key);
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
