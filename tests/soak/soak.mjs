// Kiosk soak (issue 9): one kiosk page and two publishing pages against the reference server,
// which is restarted every K minutes (every third restart, starting with the second, is a
// SIGKILL: sockets reset without a close frame). Each cycle records how long the kiosk took
// to show video again and what the page holds afterwards.
//   node tests/soak/soak.mjs [--minutes 60] [--restart-every 5] [--out DIR]
// Prints a table, writes DIR/soak-results.json (default build/soak). Exits 1 when a recovery
// fails or takes more than 15 s, or when the Wasm or JS heap grows by more than 10 % after
// the first cycle. Everything runs on 127.0.0.1 (tests/e2e/lib/harness.mjs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  Env, getState, openPeerCount, pageUrl, paths, peerCount, peerStats, seesVideoFrom,
  waitFor, waitUntil,
} from '../e2e/lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    'restart-every': { type: 'string', default: '5' },
    out: { type: 'string', default: path.join(paths.ROOT, 'build/soak') },
  },
});
const MINUTES = Number(args.minutes);
const EVERY = Number(args['restart-every']);
if (!(MINUTES > 0) || !(EVERY > 0) || EVERY > MINUTES) {
  console.error('usage: soak.mjs [--minutes N] [--restart-every K]   (0 < K <= N)');
  process.exit(2);
}
// (+1e-9: 1.2 / 0.4 is 2.9999999999999996 in binary floating point)
const RESTARTS = Math.floor(MINUTES / EVERY + 1e-9);
const RECOVERY_LIMIT_MS = 15000;
const HEAP_GROWTH_LIMIT = 0.10;
const IDLE_WINDOW_MS = 5000;
const T0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[soak ${((Date.now() - T0) / 1000).toFixed(1).padStart(7)}s]`, ...a);
const loadavg = () => { try { return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]; } catch { return ''; } };

const KIOSK = 5;
const PUBLISHERS = [1, 2];

/** What the kiosk page holds: heaps (JS after a forced GC), DOM, connections, videos. */
async function sample(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const js = await cdp.send('Runtime.getHeapUsage');
  const inPage = await page.evaluate(() => {
    const s = window.groupcall.state();
    return {
      wasmHeapBytes: s.memory ? s.memory.wasmHeapBytes : null,
      wasmHeapUsedBytes: s.memory ? s.memory.wasmHeapUsedBytes : null,
      domNodes: document.getElementsByTagName('*').length,
      videos: document.querySelectorAll('video').length,
      framesDrawn: s.framesDrawn,
    };
  });
  return { ...inPage, jsHeapUsedBytes: js.usedSize, openPeerConnections: await openPeerCount(page) };
}

/** Canvas frames drawn per second over a window with no input and nothing changing. */
async function idleFramesPerSecond(page) {
  const before = (await getState(page)).framesDrawn;
  const t = Date.now();
  await sleep(IDLE_WINDOW_MS);
  const after = (await getState(page)).framesDrawn;
  return (after - before) / ((Date.now() - t) / 1000);
}

/**
 * The kiosk shows video again: in the room, a tile with decoded frames for each publisher,
 * and connections made since `from` that are connected and decoding (one per publisher).
 */
async function waitVideoBack(page, from, timeout) {
  await waitFor(page, (s) => s.phase === 'in-room' && seesVideoFrom(s, PUBLISHERS), { timeout, what: 'kiosk in the room with video', interval: 100 });
  await waitUntil(async () => {
    const fresh = (await peerStats(page, from)).filter((p) => p.connectionState === 'connected' && p.framesDecoded > 0);
    return fresh.length >= PUBLISHERS.length;
  }, { timeout, what: 'new connections decoding on the kiosk', interval: 100 });
}

/**
 * Where a recovery's time goes: polls the kiosk and the publishers every 150 ms until stopped
 * and records when each milestone was first seen (ms after `t0`): the kiosk and each publisher
 * back in the room, each publisher's tile on the kiosk live (frames decoded), and how many
 * socket attempts the kiosk needed. Printed with each restart, so a slow one says why.
 */
function recoveryTimeline(kiosk, publishers, t0) {
  const seen = {};
  let stop = false;
  const mark = (key) => { if (!(key in seen)) seen[key] = Date.now() - t0; };
  const done = (async () => {
    while (!stop) {
      const [k, ...pubs] = await Promise.all([kiosk, ...publishers].map((p) => getState(p).catch(() => null)));
      if (k) {
        if (k.phase !== 'in-room') mark('kioskLeft');
        else if ('kioskLeft' in seen) mark('kioskIn');
        if (k.reconnectAttempts != null) seen.kioskAttempts = Math.max(seen.kioskAttempts || 0, k.reconnectAttempts);
        if ('kioskIn' in seen) {
          for (const id of PUBLISHERS) {
            const p = k.participants.find((q) => q.id === id);
            if (p && p.subscribed) mark(`sub${id}`);
            if (p && p.framesDecoded > 0) mark(`video${id}`);
          }
        }
      }
      pubs.forEach((s, i) => {
        if (!s) return;
        const key = `pub${PUBLISHERS[i]}`;
        if (s.phase !== 'in-room') mark(`${key}Left`);
        else if (`${key}Left` in seen) {
          mark(`${key}In`);
          if (s.self && s.self.publish === 'live') mark(`${key}Live`);
        }
      });
      await sleep(150);
    }
  })();
  return { seen, stop: async () => { stop = true; await done; } };
}

const env = new Env('soak');
const results = {
  what: 'kiosk soak: 1 kiosk + 2 publishers, reference server restarted every K minutes',
  minutes: MINUTES, restartEvery: EVERY, restarts: RESTARTS,
  limits: { recoveryMs: RECOVERY_LIMIT_MS, heapGrowth: HEAP_GROWTH_LIMIT },
  startedAt: new Date(T0).toISOString(), cycles: [], failures: [],
};
let cdp;
try {
  const server = await env.server();
  const publishers = await env.users(server, PUBLISHERS.map((user) => ({ room: 1, user })));
  const tOpen = Date.now();
  const kiosk = await env.page(pageUrl(server, { room: 1, user: KIOSK, kiosk: true }), { name: 'kiosk-user5' });
  cdp = await kiosk.context().newCDPSession(kiosk);
  await waitVideoBack(kiosk, 0, 40000);
  const first = { cycle: 0, kind: 'start', recoveryMs: Date.now() - tOpen, outageMs: 0 };
  await sleep(2000);
  Object.assign(first, await sample(kiosk, cdp), { idleFps: await idleFramesPerSecond(kiosk), load: loadavg() });
  results.cycles.push(first);
  log(`start: video on the kiosk after ${first.recoveryMs} ms`);

  for (let n = 1; n <= RESTARTS; n++) {
    // Steady state until this cycle's restart; the kiosk must keep its video meanwhile.
    const restartAt = T0 + n * EVERY * 60000;
    let dropped = 0;
    while (Date.now() < restartAt - 1000) {
      await sleep(Math.min(10000, restartAt - Date.now() - 1000));
      const s = await getState(kiosk);
      if (!(s.phase === 'in-room' && seesVideoFrom(s, PUBLISHERS))) dropped++;
    }
    while (Date.now() < restartAt) await sleep(50);

    const kind = n % 3 === 2 ? 'SIGKILL' : 'SIGTERM';
    const from = await peerCount(kiosk);
    const tDown = Date.now();
    await server.respawn({ kill: kind === 'SIGKILL' });
    const tUp = Date.now();
    const row = { cycle: n, kind, outageMs: tUp - tDown, droppedSamplesBefore: dropped };
    const timeline = recoveryTimeline(kiosk, publishers, tUp);
    try {
      await waitVideoBack(kiosk, from, 60000);
      row.recoveryMs = Date.now() - tUp;
    } catch (e) {
      row.recoveryMs = null;
      row.error = e.message.slice(0, 300);
    }
    await timeline.stop();
    row.timeline = timeline.seen;
    // Let the publishers' old connections and the reconnect's settle frames pass.
    await sleep(3000);
    Object.assign(row, await sample(kiosk, cdp), { idleFps: await idleFramesPerSecond(kiosk), load: loadavg() });
    const states = await Promise.all(publishers.map(getState));
    row.publishersInRoom = states.filter((s) => s.phase === 'in-room').length;
    results.cycles.push(row);
    log(`restart ${n}/${RESTARTS} (${kind}): video back after ${row.recoveryMs ?? 'FAILED'} ms; ` +
        `wasm ${(row.wasmHeapUsedBytes / 1048576).toFixed(2)} MiB used, js ${(row.jsHeapUsedBytes / 1048576).toFixed(2)} MiB, ` +
        `${row.openPeerConnections} pcs, ${row.videos} videos, ${row.domNodes} nodes, idle ${row.idleFps.toFixed(2)} fps, load ${row.load}`);
    log(`  timeline (ms after the server is back): ${Object.entries(row.timeline).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (row.recoveryMs === null) results.failures.push(`restart ${n}: video did not come back (${row.error})`);
    else if (row.recoveryMs > RECOVERY_LIMIT_MS) results.failures.push(`restart ${n}: recovery took ${row.recoveryMs} ms (> ${RECOVERY_LIMIT_MS})`);
  }

  // Growth after the first cycle: the first restart's figures are the baseline.
  const base = results.cycles[1];
  const last = results.cycles[results.cycles.length - 1];
  results.growth = {};
  for (const key of ['wasmHeapBytes', 'wasmHeapUsedBytes', 'jsHeapUsedBytes']) {
    if (!base || base[key] == null || last[key] == null) continue;
    const g = (last[key] - base[key]) / base[key];
    results.growth[key] = Math.round(g * 1000) / 10;
    if (g > HEAP_GROWTH_LIMIT) results.failures.push(`${key} grew ${(g * 100).toFixed(1)} % after the first cycle (${base[key]} -> ${last[key]})`);
  }
  for (const key of ['openPeerConnections', 'videos']) {
    if (base && last[key] > base[key]) results.failures.push(`${key} grew after the first cycle (${base[key]} -> ${last[key]})`);
  }
  env.assertNoPageErrors();
} catch (e) {
  results.failures.push(`soak aborted: ${e.message}`);
  await env.fail(e).catch(() => {});
  log(`artifacts: ${env.dir}`);
} finally {
  await env.close();
}

// ---- report ------------------------------------------------------------------------------------
const mib = (b) => (b == null ? '-' : (b / 1048576).toFixed(2));
const header = ['cycle', 'restart', 'outage ms', 'video back ms', 'wasm MiB (used)', 'js MiB', 'DOM', 'pcs', 'videos', 'idle fps', 'load'];
const rows = results.cycles.map((c) => [
  String(c.cycle), c.kind, String(c.outageMs), c.recoveryMs == null ? 'FAILED' : String(c.recoveryMs),
  `${mib(c.wasmHeapBytes)} (${mib(c.wasmHeapUsedBytes)})`, mib(c.jsHeapUsedBytes), String(c.domNodes ?? '-'),
  String(c.openPeerConnections ?? '-'), String(c.videos ?? '-'), c.idleFps == null ? '-' : c.idleFps.toFixed(2), c.load ?? '',
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((v, i) => v.padStart(widths[i])).join('  ');
const recoveries = results.cycles.slice(1).map((c) => c.recoveryMs).filter((x) => x != null).sort((a, b) => a - b);
results.summary = {
  recoveries: recoveries.length,
  recoveryMedianMs: recoveries.length ? recoveries[Math.floor(recoveries.length / 2)] : null,
  recoveryMaxMs: recoveries.length ? recoveries[recoveries.length - 1] : null,
  passed: results.failures.length === 0,
};
results.finishedAt = new Date().toISOString();
mkdirSync(args.out, { recursive: true });
const file = path.join(args.out, 'soak-results.json');
writeFileSync(file, JSON.stringify(results, null, 1));
console.log([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
console.log(`\nrecoveries: ${recoveries.length}/${RESTARTS}, median ${results.summary.recoveryMedianMs} ms, max ${results.summary.recoveryMaxMs} ms; ` +
            `growth after cycle 1: ${JSON.stringify(results.growth || {})}`);
for (const f of results.failures) console.log(`FAIL ${f}`);
console.log(`soak: ${results.failures.length ? 'FAILED' : 'passed'} (${((Date.now() - T0) / 60000).toFixed(1)} min); results: ${file}`);
process.exit(results.failures.length ? 1 : 0);
