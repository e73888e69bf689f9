// Issue 12: time to video (or the main thread's cost in a talking room) of two builds of the
// client, alternating round by round under one reference server and one Chromium, with the
// plain-JS baseline and the floor optionally as further kinds.
// The bench's baseline section compares the client with the baseline; this compares the
// client with itself, which is what a change needs: on this 2-CPU machine a figure moves
// by 5-10 % between runs of the same code, so only alternating rounds in one run show a
// change of that size. Every page is timed from navigation to its first decoded remote
// frame by the bench's own probe (ttv-probe.js).
//
//   node tests/bench/ab.mjs MODE ROUNDS WWW_A WWW_B [baseline|floor|baseline,floor]
//     MODE  late: a kiosk idles in a room, a second opens 5 s later (its frame counts)
//           two:  two kiosks open at once (the mean of their frames)
//           four: four kiosks open at once (the median of their frames)
//           talking: item 5's talking room (bench.mjs --only steady): four publish-only
//             baseline pages in a browser of their own whose fake microphones beep once a
//             second; each round one page of the kind joins (the client through its Join
//             button, 1280x720), and once its four videos decode, 3 s later, its renderer
//             main thread's CPU (CDP ThreadTime) over 20 s, % of a core
//     WWW_A, WWW_B: two build/web/www directories (e.g. one built in a git worktree)
//     baseline: the plain-JS baseline (tests/bench/baseline) as a further kind
//     floor: the baseline made to wait for WWW_A's groupcall.wasm before it joins
//       (baseline.js `module=`): fetched, compiled and instantiated with no-op imports, the
//       socket and camera started at once as early.js starts them. The time to video of a
//       client that had to load that module and did nothing else of its own before
//       joining (not for talking mode)
//
// Prints, per kind, the medians of the first frame, the join sent, the list, the first
// offer and the camera's answer (ms from navigation), and every round's frame; with the
// baseline, each kind's ratio to it and the bound (the baseline's frame less its list to
// first offer: within some 20-40 ms no client here can be faster); in talking mode the
// median and every round's main-thread CPU.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clickRegion, launchBrowser, participant, startServer, waitFor } from '../e2e/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, roundsArg, wwwA, wwwB, extraArg] = process.argv.slice(2);
const extra = extraArg ? extraArg.split(',') : [];
if (!['late', 'two', 'four', 'talking'].includes(mode) || !wwwA || !wwwB ||
    extra.some((k) => !['baseline', 'floor'].includes(k)) || (mode === 'talking' && extra.includes('floor'))) {
  console.error('usage: node tests/bench/ab.mjs late|two|four|talking ROUNDS WWW_A WWW_B [baseline|floor|baseline,floor]');
  process.exit(2);
}
const rounds = Number(roundsArg) || 8;
const kinds = ['a', 'b', ...extra];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gc-ab-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const web = path.join(tmp, 'www');
mkdirSync(web);
symlinkSync(path.resolve(wwwA), path.join(web, 'a'));
symlinkSync(path.resolve(wwwB), path.join(web, 'b'));
symlinkSync(path.join(here, 'baseline'), path.join(web, 'baseline'));
const users = path.join(tmp, 'users.json');
// Users 1-4 (late / two / four), 51-54 (talking's publishers) and from 101 up (talking's
// measured pages: one per round and kind, and the warm-up).
const userIds = [1, 2, 3, 4, 51, 52, 53, 54, ...Array.from({ length: rounds * kinds.length + 1 }, (_, i) => 101 + i)];
writeFileSync(users, JSON.stringify(userIds.map((id) => ({ id, name: `用户${id}`, prefix: '', postfix: '' }))));

const PROBE = readFileSync(path.join(here, 'ttv-probe.js'), 'utf8');
const server = await startServer({ name: 'ab', web, args: ['--users', users, '--max-participants', '64', '--log-level', 'quiet'] });
const browser = await launchBrowser({ microphone: 'silent' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const url = (kind, room, user) => {
  if (kind === 'baseline') return `${server.origin}/baseline/#room=${room}&user=${user}&w=320&h=240&fps=15`;
  if (kind === 'floor') return `${server.origin}/baseline/#room=${room}&user=${user}&w=320&h=240&fps=15&module=/a/groupcall.wasm`;
  return `${server.origin}/${kind}/#room=${room}&user=${user}&lang=en&kiosk=1&publish=1&w=320&h=240&fps=15`;
};
async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript({ content: PROBE });
  return page;
}
async function firstFrame(page) {
  for (let i = 0; i < 300; i++) {
    const t = await page.evaluate(() => window.__ttv);
    if (t.firstFrame) return t;
    await sleep(50);
  }
  throw new Error(`no remote frame in 15 s on ${page.url()}`);
}
const STEPS = ['firstFrame', 'joinSent', 'list', 'firstOffer', 'gumEnd'];
// Pages opened at once; the round's value of each step over its pages.
async function together(kind, room, n, pick) {
  const pages = [];
  for (let i = 0; i < n; i++) pages.push(await open());
  await Promise.all(pages.map((p, i) => p.goto(url(kind, room, i + 1), { waitUntil: 'commit' })));
  const ts = [];
  for (const p of pages) ts.push(await firstFrame(p));
  for (const p of pages) await p.context().close();
  return STEPS.map((k) => pick(ts.map((t) => t[k])));
}
async function late(kind, room) {
  const first = await open();
  await first.goto(url(kind, room, 1), { waitUntil: 'commit' });
  await sleep(5000);
  const second = await open();
  await second.goto(url(kind, room, 2), { waitUntil: 'commit' });
  const t = await firstFrame(second);
  await first.context().close();
  await second.context().close();
  return STEPS.map((k) => t[k]);
}
// Talking mode: the publishers (room TALK_ROOM, users 51-54) and one measured page a round
// (users from 101).
const TALK_ROOM = 4900;
const PUBLISHERS = [51, 52, 53, 54];
let talkers = null;  // the publishers' browser: Chromium's fake microphone beeps
let talkUser = 101;
// The page's connections, for the decode check (pc-list.js, not ttv-probe.js, which polls
// the publishing connection's stats every 50 ms: that would be measured too).
const PC_LIST = readFileSync(path.join(here, 'pc-list.js'), 'utf8');
async function talking(kind) {
  const user = talkUser++;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: PC_LIST });
    await page.goto(kind === 'baseline'
      ? `${server.origin}/baseline/#room=${TALK_ROOM}&user=${user}&w=320&h=240&fps=15`
      : `${server.origin}/${kind}/#room=${TALK_ROOM}&user=${user}&lang=en&w=320&h=240&fps=15`, { waitUntil: 'commit' });
    if (kind !== 'baseline') {
      await clickRegion(page, 'join/button', { timeout: 15000 });
      await waitFor(page, (st) => PUBLISHERS.every((id) => participant(st, id)?.tile?.videoVisible),
                    { timeout: 30000, what: 'four videos shown' });
    }
    for (let i = 0; ; i++) {  // every publisher decodes
      const decoding = await page.evaluate(() => window.__decodingVideos());
      if (decoding >= PUBLISHERS.length) break;
      if (i > 300) throw new Error(`${kind}: ${decoding} of ${PUBLISHERS.length} publishers decode after 30 s`);
      await sleep(100);
    }
    await page.mouse.move(1278, 2);
    await sleep(3000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const cpu = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    const a = await cpu();
    const t0 = Date.now();
    await sleep(20000);
    const b = await cpu();
    return [100 * (b - a) / ((Date.now() - t0) / 1000)];
  } finally {
    await context.close().catch(() => {});
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (kind, room) => (mode === 'talking' ? talking(kind) : mode === 'late' ? late(kind, room)
  : together(kind, room, mode === 'two' ? 2 : 4, mode === 'two' ? mean : median));

const results = Object.fromEntries(kinds.map((k) => [k, []]));
let room = 5000;
try {
  if (mode === 'talking') {
    talkers = await launchBrowser({});
    for (const id of PUBLISHERS) {
      const page = await (await talkers.newContext({ viewport: { width: 320, height: 240 } })).newPage();
      await page.goto(`${server.origin}/baseline/#room=${TALK_ROOM}&user=${id}&w=320&h=240&fps=15&sub=0`, { waitUntil: 'commit' });
    }
    await talking('a');  // warm-up, not counted
  } else {
    await together('a', room++, 2, mean);  // warm-up (a fresh browser's first camera is slow), not counted
  }
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      results[kind].push(await round(kind, room++));
      await sleep(500);
    }
  }
} finally {
  if (talkers) await talkers.close().catch(() => {});
  await browser.close();
  await server.stop();
}
if (mode === 'talking') {
  for (const kind of kinds) {
    const xs = results[kind].map((x) => x[0]);
    console.log(`talking ${kind}: main thread ${median(xs).toFixed(2)} % of a core (median) | rounds ${xs.map((x) => x.toFixed(2)).join(' ')}`);
  }
  process.exit(0);
}
for (const kind of kinds) {
  const rows = results[kind];
  const cols = STEPS.map((s, i) => `${s} ${Math.round(median(rows.map((x) => x[i])))}`).join(', ');
  console.log(`${mode} ${kind}: ${cols} | frames ${rows.map((x) => Math.round(x[0])).join(' ')}`);
}
// The bound: each baseline round's first frame less its list-to-first-offer step, the one
// step a client can take off the path (its offer ready when the list comes; the client
// prepares one connection that way). After the offer (the server, ICE, DTLS, the
// publisher's key frame) no client is faster; before the join, one that opens its socket
// from the page's HTML (as early.js does) instead of a script gains some 20-40 ms here,
// which the bound leaves out.
const med = (kind, i) => median(results[kind].map((x) => x[i]));
const [FRAME, LIST, OFFER] = ['firstFrame', 'list', 'firstOffer'].map((k) => STEPS.indexOf(k));
if (results.baseline) {
  const bound = median(results.baseline.map((x) => x[FRAME] - (x[OFFER] - x[LIST])));
  const base = med('baseline', FRAME);
  const ratios = kinds.filter((k) => k !== 'baseline').map((k) => `${k} ${(med(k, FRAME) / base).toFixed(2)}x`).join(', ');
  console.log(`${mode}: against the baseline's ${Math.round(base)} ms: ${ratios}; the bound ${Math.round(bound)} ms, ${(bound / base).toFixed(2)}x`);
}
process.exit(0);
