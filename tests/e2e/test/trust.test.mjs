// Scenario 21 (issue 11, item 1): a link cannot move the client to another server.
//   (a) Without config.json, `#server=ws://127.0.0.1:<other port>/groupcall&kiosk=1&publish=1`
//       shows an error screen naming that server: no WebSocket is created, getUserMedia is
//       never called, the other port sees no connection. An `upload=` on another origin is
//       refused the same way; "Continue" leads to the join screen with this page's server.
//   (b) With a config.json (served beside index.html from a copy of the web build) listing
//       that server, the same kind of link joins it, and config.json's values are applied.
//   (c) A wss: server on another origin that never answers: the certificate hint names
//       https://host:port/, and its link opens exactly that, with noopener.
// Scenario 22 (issue 11, item 6 and the hostile-input scenario): what others send is bounded
//   and the page stays responsive; see the comment above it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  e2eTest, clickRegion, countCameraRequests, freePort, getRegions, getState, openedWindows, pageUrl, participant,
  paths, settle, waitFor, waitUntil, waitVideoGrows,
} from '../lib/harness.mjs';
import { decodePng, forEachPixel } from '../lib/png.mjs';
import { openChat, openFiles } from '../lib/ui.mjs';

// The reference server's WebSocket library (tests/server's dependency), for the bots.
const WebSocket = createRequire(path.join(paths.ROOT, 'tests/server/package.json'))('ws');

// Every WebSocket and getUserMedia the page makes, counted from before the client starts.
async function instrument(page, context) {
  await countCameraRequests(page, context);  // window.__gum
  await context.addInitScript(() => {
    const webSockets = [];
    Object.defineProperty(window, '__gcTrust', { value: { webSockets } });
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url, ...rest) { webSockets.push(String(url)); super(url, ...rest); }
    };
  });
}
const calls = (page) => page.evaluate(() => ({ webSockets: [...window.__gcTrust.webSockets], getUserMedia: window.__gum }));

// A loopback port that counts the TCP connections made to it (and drops them).
function countingListener() {
  return new Promise((resolve, reject) => {
    let count = 0;
    const server = net.createServer((socket) => { count++; socket.destroy(); });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      count: () => count,
      close: () => new Promise((r) => server.close(() => r())),
    }));
  });
}

// A copy of the web build (symlinks) with a config.json beside index.html.
function wwwWithConfig(config) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gc-e2e-www-'));
  for (const name of readdirSync(paths.WWW)) {
    if (name !== 'config.json') symlinkSync(path.join(paths.WWW, name), path.join(dir, name));
  }
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

const names = async (page) => (await getRegions(page)).map((r) => r.name);

e2eTest('21. trust: a link may only pick an allowed server; config.json allows more; self-signed hint', { timeout: 60000 }, async (env) => {
  const web = await env.server({ name: 'web' });
  const other = await countingListener();
  const dirs = [];
  try {
    const foreign = `ws://127.0.0.1:${other.port}/groupcall`;

    // (a) No config.json: the foreign server is refused, in a kiosk that would publish.
    const [kiosk, uploader] = await Promise.all([
      env.page(pageUrl(web, { server: foreign, room: 1, user: 8, kiosk: true, publish: true }),
               { name: 'kiosk-refused', beforeGoto: instrument }),
      env.page(pageUrl(web, { room: 1, user: 3, upload: `http://127.0.0.1:${other.port}/upload` }),
               { name: 'upload-refused', beforeGoto: instrument }),
    ]);
    const k = await waitFor(kiosk, (s) => s.refusedScreen && s, { timeout: 10000, what: 'refused screen' });
    assert.equal(k.refusedServer, foreign);
    assert.equal(k.refusedUpload, null);
    assert.equal(k.phase, 'idle');
    assert.equal(k.config.source, 'none');
    assert.deepEqual(k.config.servers, []);
    const kr = await names(kiosk);
    assert.ok(kr.includes('refused/server'), `names the server: ${kr}`);
    assert.ok(!kr.includes('refused/continue'), 'a kiosk has no button');
    const u = await waitFor(uploader, (s) => s.refusedScreen && s, { timeout: 10000, what: 'refused upload' });
    assert.equal(u.refusedUpload, `http://127.0.0.1:${other.port}/upload`);
    assert.equal(u.refusedServer, null);
    assert.ok((await names(uploader)).includes('refused/upload'));
    assert.equal((await calls(uploader)).getUserMedia, 0, 'no camera while the link is refused');
    // Continue: the join screen, offering this page's own server and upload address (and
    // its camera preview: the camera opens only now, for this page's own join screen).
    await clickRegion(uploader, 'refused/continue');
    const j = await waitFor(uploader, (s) => !s.refusedScreen && s, { timeout: 5000, what: 'join screen' });
    assert.equal(j.form.server, web.wsUrl);
    assert.equal(j.upload.url, '/upload');
    assert.ok((await names(uploader)).includes('join/button'));

    // (b) config.json lists that kind of server (here a real one): the same link joins it.
    const allowed = await env.server({ name: 'allowed', web: null });
    const deadPort = await freePort();
    const dead = `wss://127.0.0.1:${deadPort}/groupcall`;
    const dir = wwwWithConfig({
      servers: [allowed.wsUrl, dead],
      language: 'zh',
      maxFrameBytes: 4096,
      maxLiveSubscriptions: 12,
      kiosk: { publish: false, rotateSeconds: 30 },
      upload: { url: '/upload', field: 'file', urlPath: 'fileUrl' },  // multipart, same server
      unknownKey: true,
    });
    dirs.push(dir);
    const configured = await env.server({ name: 'web-with-config', web: dir });
    const [joiner, certPage] = await Promise.all([
      env.page(pageUrl(configured, { server: allowed.wsUrl, room: 1, user: 8, kiosk: true, publish: true }),
               { name: 'kiosk-allowed', beforeGoto: instrument }),
      env.page(pageUrl(configured, { server: dead, room: 1, user: 2 }), { name: 'self-signed', beforeGoto: instrument }),
    ]);
    const b = await waitFor(joiner, (s) => s.phase === 'in-room' && s, { timeout: 15000, what: 'joined the allowed server' });
    assert.equal(b.server, allowed.wsUrl);
    assert.equal(b.refusedServer, null);
    assert.equal(b.config.source, 'file');
    assert.deepEqual(b.config.servers, [allowed.wsUrl, dead]);
    assert.deepEqual(b.config.problems, ['unknown key "unknownKey" ignored']);
    assert.equal(b.maxFrameBytes, 4096);
    assert.equal(b.maxLiveSubscriptions, 12);
    assert.equal(b.language, 'zh-CN');
    const bc = await calls(joiner);
    assert.ok(bc.webSockets.length >= 1 && bc.webSockets.every((w) => w === allowed.wsUrl), `sockets: ${bc.webSockets}`);
    // publish=1 in the link beats config.json's kiosk default (publish: false).
    await waitUntil(async () => (await calls(joiner)).getUserMedia >= 1, { timeout: 10000, what: 'the camera asked for' });
    await waitFor(joiner, (s) => ['starting', 'live'].includes(s.self.publish), { timeout: 10000, what: 'publishing' });
    // config.json's upload API: a multipart form with the file in `file`.
    await joiner.evaluate(() => window.groupcall.uploadFile(new File(['multipart upload'], 'trust.txt', { type: 'text/plain' })));
    const up = await waitFor(joiner, (s) => s.files.some((f) => f.name === 'trust.txt') && s,
                             { timeout: 10000, what: 'multipart upload announced' });
    assert.deepEqual(up.upload, { url: '/upload', field: 'file', urlPath: 'fileUrl' });
    assert.match(up.files.find((f) => f.name === 'trust.txt').url, /^\/files\/trust/);
    const stats = await allowed.stats();
    assert.ok(stats.roomList.some((r) => r.participants.includes(8)), `user 8 on the allowed server: ${JSON.stringify(stats.roomList)}`);

    // (c) The other allowed server is wss: on another origin and never answers.
    await clickRegion(certPage, 'join/button');
    const c = await waitFor(certPage, (s) => s.error.failure === 'server-unreachable' && s.certificateHint && s,
                            { timeout: 15000, what: 'unreachable with a certificate hint' });
    const certUrl = `https://127.0.0.1:${deadPort}/`;
    assert.equal(c.certificateHint, certUrl);
    await clickRegion(certPage, 'join/certificate');
    let opened = [];
    await waitUntil(async () => (opened = await openedWindows(certPage)).length > 0, { timeout: 5000, what: 'window.open' });
    assert.deepEqual(opened, [[certUrl, '_blank', 'noopener']]);

    // Checked last, after everything above: nothing ever reached the refused server.
    const a = await calls(kiosk);
    assert.deepEqual(a.webSockets, [], 'no WebSocket for a refused server');
    assert.equal(a.getUserMedia, 0, 'no getUserMedia for a refused server');
    assert.ok((await calls(uploader)).getUserMedia <= 1, 'after Continue, the preview\'s camera only');
    assert.equal(other.count(), 0, 'the refused server saw no connection');
    assert.equal((await getState(kiosk)).phase, 'idle');
  } finally {
    await other.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

// ---- 22. hostile input ---------------------------------------------------------------------

// Every CJK codepoint the fonts could be asked for: URO, extension A, Hangul, compatibility
// ideographs, and extension B (beyond U+FFFF: no font we ship has it, drawn as U+FFFD), as
// UTF-8, with each character's offset (built as bytes: 82,000 little strings cost seconds
// on a loaded machine).
const CJK = (() => {
  const ranges = [[0x4E00, 0x9FFF], [0x3400, 0x4DBF], [0xAC00, 0xD7A3], [0xF900, 0xFAD9], [0x20000, 0x2A6DF]];
  const count = ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
  const bytes = Buffer.alloc(count * 4);
  const offsets = new Uint32Array(count + 1);
  let n = 0, i = 0;
  for (const [a, b] of ranges) {
    for (let c = a; c <= b; c++) {
      offsets[i++] = n;
      if (c > 0xFFFF) {
        bytes[n++] = 0xF0 | (c >> 18); bytes[n++] = 0x80 | ((c >> 12) & 63);
      } else {
        bytes[n++] = 0xE0 | (c >> 12);
      }
      bytes[n++] = 0x80 | ((c >> 6) & 63); bytes[n++] = 0x80 | (c & 63);
    }
  }
  offsets[i] = n;
  return { bytes: bytes.subarray(0, n), offsets, count };
})();
/** At least `size` bytes of UTF-8: distinct CJK characters from the pool, from character `start` on. */
function cjkBytes(start, size) {
  const parts = [];
  let total = 0;
  for (let i = start % CJK.count; total < size; i = 0) {
    const from = CJK.offsets[i];
    let to = CJK.offsets[CJK.count];
    if (to - from > size - total) {  // end on a character boundary at or after `size`
      let j = i;
      while (CJK.offsets[j] - from < size - total) j++;
      to = CJK.offsets[j];
    }
    parts.push(CJK.bytes.subarray(from, to));
    total += to - from;
  }
  return Buffer.concat(parts);
}
const cjkText = (start, size) => cjkBytes(start, size).toString('utf8');
/** A sendMessage text frame of `message` (a Buffer of UTF-8 that needs no JSON escaping). */
const chatFrame = (message) => Buffer.concat([Buffer.from('{"type":"sendMessage","message":"'), message, Buffer.from('"}')]);
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const cjkCodepoints = (text, into) => { for (const ch of text) if (ch.codePointAt(0) >= 0x3400) into.add(ch.codePointAt(0)); };

/**
 * A signalling-only participant: a plain WebSocket that joins (no media). Once in, it reads
 * nothing: the room's 10 MB of chat comes back to it too, and parsing it here would only
 * slow down this process, which times the page.
 */
function bot(server, room, userId) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl, { origin: server.origin, perMessageDeflate: false, skipUTF8Validation: true });
    const timer = setTimeout(() => reject(new Error(`bot ${userId}: no existingParticipants`)), 10000);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room, userId })));
    const onMessage = (data) => {
      if (JSON.parse(String(data)).type !== 'existingParticipants') return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.on('message', () => {});
      resolve(ws);
    };
    ws.on('message', onMessage);
  });
}

// Scenario 22: a room with two real pages (1 and 2, both publishing) and two bots sending
// what a hostile participant can:
//   - bot 31 (a name of 3 x 300 distinct CJK characters) sends twenty 400 KB lines of
//     distinct CJK characters: with the names, over 50,000 distinct characters arrive;
//   - bot 30 (bidi overrides and isolates in every part of its name) sends a 1 MiB line
//     (its frame is over the client's 1 MiB frame cap: dropped, with a notice), a line of
//     just under 1 MiB (shown cut at 16 KiB with "…"), and a file whose fileUrl is
//     `#server=ws://127.0.0.1:<second server>/…&kiosk=1&publish=1` (listed, not clickable;
//     a page opened with such a link is scenario 21).
// The server relays frames up to 4 MiB here (--max-frame-bytes). Page 1 has the chat open.
// Checked: state() answers within 1 s throughout (see below); frames keep being drawn; video from user 2
// keeps decoding; the lines are cut, the names capped and their bidi controls drawn as
// U+FFFD; the glyph atlas stays within its caps (state().fonts) with the characters past
// them counted as missing (drawn as U+FFFD); the accessibility mirror reads each long line
// to 1,000 characters and says how many more; nothing reaches the second server. A
// screenshot (out/<test>/hostile.png) shows the room as the user sees it.
// What is timed is the page: a 50 ms tick inside it (state() at every tenth), and the answer's
// worst latency there (the longest wait for the main thread plus the longest state() call)
// must stay under 1 s. The round trip from this process is printed too but not judged: it
// also counts this process (which sends the 8 MB flood itself) and the browser process
// relaying 16 MB to two pages, which are the harness on a 2-core machine, not the client
// (measured at 18:30 on 2026-12-02: Node's own event loop stalled up to 576 ms, the page's
// longest gap 521 ms, a round trip 1,975 ms).
e2eTest('22. hostile input: huge lines, 50,000 distinct CJK characters, bidi names, a link to another server',
        { timeout: 90000 }, async (env) => {
  const other = await countingListener();
  const usersDir = mkdtempSync(path.join(os.tmpdir(), 'gc-e2e-users-'));
  try {
    const users = JSON.parse(readFileSync(path.join(paths.ROOT, 'tests/server/data/users.json'), 'utf8'));
    users.push({ id: 30, prefix: '[\u202Eadmin]', name: 'evil\u202Efdp.exe', postfix: '\u2067(host)\u2069\u2066x' });
    users.push({ id: 31, prefix: cjkText(60000, 900), name: cjkText(60300, 900), postfix: cjkText(60600, 900) });
    const usersFile = path.join(usersDir, 'users.json');
    writeFileSync(usersFile, JSON.stringify(users));
    const server = await env.server({ args: ['--users', usersFile, '--max-frame-bytes', String(4 << 20)] });
    const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2 }]);
    await waitFor(a, () => a.evaluate(() => window.gcFrontend.cjkFont === 'loaded'), { timeout: 20000, what: 'CJK font loaded' });
    await openChat(a);
    await waitVideoGrows([a, b], (i) => [[2], [1]][i], { frames: 1, what: 'video both ways before' });

    // Inside page 1: the longest gap between two 50 ms ticks (a tick is late by as long as
    // the main thread was busy) and the longest state() call, made at every tenth tick (the
    // whole state is ~350 KB of JSON here: asked for 20 times a second, the probe itself
    // kept the main thread busy for up to half of the time).
    await a.evaluate(() => {
      const m = { maxGap: 0, maxState: 0, ticks: 0 };
      let last = performance.now();
      m.timer = setInterval(() => {
        const t = performance.now();
        m.maxGap = Math.max(m.maxGap, t - last);
        last = t;
        if (m.ticks++ % 10 === 0) {
          window.groupcall.state();
          m.maxState = Math.max(m.maxState, performance.now() - t);
        }
      }, 50);
      window.__gcHostile = m;
    });

    const [evil, flood] = await Promise.all([bot(server, 1, 30), bot(server, 1, 31)]);
    const foreign = `#server=ws://127.0.0.1:${other.port}/groupcall&room=1&user=8&kiosk=1&publish=1`;
    const lines = [];
    for (let i = 0; i < 20; i++) lines.push(chatFrame(cjkBytes(i * 5461, 400 * 1024)));
    const before = await getState(a);
    const t0 = Date.now();
    evil.send(chatFrame(Buffer.alloc(1 << 20, 'y')), { binary: false });
    evil.send(chatFrame(Buffer.alloc((1 << 20) - 100, 'x')), { binary: false });  // its frame fits the client's 1 MiB cap
    evil.send(JSON.stringify({ type: 'uploadSuccess', fileName: 'report\u202Efdp.exe', fileUrl: foreign }));
    for (const line of lines) flood.send(line, { binary: false });

    // Until everything arrived, state() is asked for every 100 ms and timed: it is called in
    // the page and only counts come back (the whole state, 350 KB of JSON, would time the
    // DevTools protocol rather than the page).
    let slowest = 0;
    for (;;) {
      const t = Date.now();
      const n = await a.evaluate(() => {
        const st = window.groupcall.state();
        return { flood: st.chat.filter((c) => c.sender === 31).length, evil: st.chat.filter((c) => c.sender === 30).length,
                 files: st.files.filter((f) => f.uploader === 30).length };
      });
      slowest = Math.max(slowest, Date.now() - t);
      if (n.flood >= 20 && n.evil >= 1 && n.files >= 1) break;
      assert.ok(Date.now() - t0 < 45000, `everything arrives within 45 s: ${JSON.stringify(n)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const arrived = Date.now() - t0;
    await settle(a);  // the atlas rebuilt (state().fonts.rebuildWaiting false) and drawn
    const s = await getState(a);
    const inPage = await a.evaluate(() => { clearInterval(window.__gcHostile.timer); return window.__gcHostile; });
    console.log(`hostile: arrived in ${arrived} ms; slowest state() round trip ${slowest} ms; in the page: ` +
                `longest main-thread gap ${inPage.maxGap.toFixed(0)} ms, slowest state() ${inPage.maxState.toFixed(1)} ms; ` +
                `fonts ${JSON.stringify(s.fonts)}`);
    assert.ok(inPage.maxGap + inPage.maxState < 1000,
              `state() could wait ${inPage.maxGap.toFixed(0)} ms for the page's main thread and take ${inPage.maxState.toFixed(0)} ms`);
    assert.ok(s.framesDrawn > before.framesDrawn + 5, `frames drawn meanwhile: ${before.framesDrawn} -> ${s.framesDrawn}`);

    // The lines: the 1 MiB one was over the frame cap (a notice), the other is cut at 16 KiB.
    // The accessibility mirror reads a flooded line out to its first 1,000 characters and
    // says how many more the chat shows (laying 20 lines of 5,400 characters out in the
    // hidden DOM cost each page ~600 ms of layout and pre-paint); every line is there.
    const read = await a.evaluate(() => [...document.querySelectorAll('[data-gc-a11y^="chat/line/"]')].map((p) => p.textContent));
    assert.ok(read.filter((t) => /more characters, shown in the chat\)$/.test(t)).length >= 21,
              `the mirror's long lines are cut with a count: ${read.map((t) => t.length + ':' + t.slice(-45)).join(' | ')}`);
    // header: a name of 3 parts of at most 256 bytes each, the time; then the note
    assert.ok(read.every((t) => [...t].length < 3 * 256 + 20 + 1000 + 50), 'each read-out line is its header and 1,000 characters');
    const cut = s.chat.filter((c) => c.sender === 30);
    assert.equal(cut.length, 1, 'the frame over 1 MiB was dropped');
    assert.ok(cut[0].truncated && cut[0].text.endsWith('…'), 'cut with a visible mark');
    assert.ok(Buffer.byteLength(cut[0].text) <= 16 * 1024 + 3, `${Buffer.byteLength(cut[0].text)} bytes`);
    assert.ok(s.notices.some((n) => n.code === 'garbage-from-server'), `a notice: ${JSON.stringify(s.notices)}`);
    const flooded = s.chat.filter((c) => c.sender === 31);
    assert.ok(flooded.every((c) => c.truncated && Buffer.byteLength(c.text) <= 16 * 1024 + 3));
    // Over 50,000 distinct CJK characters reached the page, in names and lines.
    const seen = new Set();
    for (const c of flooded) cjkCodepoints(c.text, seen);
    const p31 = participant(s, 31);
    for (const part of [p31.prefix, p31.name, p31.postfix]) {
      cjkCodepoints(part, seen);
      assert.ok(Buffer.byteLength(part) <= 256 + 3, `a name part of ${Buffer.byteLength(part)} bytes`);
    }
    assert.ok(seen.size >= 50000, `${seen.size} distinct CJK characters`);

    // Bidi controls: state() is the view model and keeps the text as sent; the UI draws
    // each control as U+FFFD (core::reveal_bidi_controls, tests/unit/display_test.cpp), so the
    // screenshot below shows "evil\uFFFDfdp.exe".
    const p30 = participant(s, 30);
    assert.equal(p30.name, 'evil\u202Efdp.exe');
    assert.ok(BIDI.test(p30.prefix) && BIDI.test(p30.postfix));
    const file = s.files.find((f) => f.uploader === 30);
    assert.equal(file.name, 'report\u202Efdp.exe');

    // The glyph atlas: within MAX_TEXTURE_SIZE and its own caps; what did not fit is missing.
    const f = s.fonts;
    assert.ok(f.atlasWidth <= f.maxTextureSize && f.atlasHeight <= f.maxTextureSize, JSON.stringify(f));
    assert.ok(f.atlasWidth <= 4096 && f.atlasHeight <= 4096 && f.atlasWidth * f.atlasHeight <= 4 * 1024 * 1024,
              `atlas ${f.atlasWidth}x${f.atlasHeight}`);
    assert.ok(f.glyphs <= f.glyphBudget + 200, `${f.glyphs} glyphs, budget ${f.glyphBudget}`);
    assert.ok(f.missingGlyphs > 0, 'more was asked for than fits: counted as missing');
    assert.equal(f.rebuildWaiting, false);
    // Baked in steps (src/platform/fonts.hpp kMaxNewGlyphs = 500), each rebuild copying the
    // glyphs the one before it rasterised (font_builder.hpp): the last one rasterised at most
    // 500 and took every other glyph of the atlas from the one before.
    assert.ok(f.glyphs >= 5000, `the atlas holds the budget: ${f.glyphs} glyphs`);
    assert.ok(f.lastRasterised <= 500 && f.lastRasterised + f.lastReused >= f.glyphs - 20,
              `last rebuild: ${f.lastRasterised} rasterised, ${f.lastReused} reused, ${f.glyphs} glyphs`);
    assert.ok(f.atlasRebuilds >= 12, `${f.atlasRebuilds} rebuilds: 6,000 glyphs in steps of at most 500`);

    // The link to another server is listed, not clickable; a click opens nothing.
    assert.equal(file.url, foreign);
    assert.equal(file.linkable, false);
    await openFiles(a);
    await settle(a);
    const entry = (await getRegions(a)).find((r) => /^file\/\d+$/.test(r.name));
    assert.ok(entry, 'the file is listed');
    assert.ok(!(await getRegions(a)).some((r) => r.name === `${entry.name}/host`), 'no host shown: not a link');
    const drawn = (await getState(a)).framesDrawn;
    await a.mouse.click(entry.x + Math.min(20, entry.w / 2), entry.y + entry.h / 2);
    await waitFor(a, (st) => st.framesDrawn >= drawn + 2, { timeout: 5000, what: 'frames after the click' });
    assert.deepEqual(await openedWindows(a), []);

    // The call goes on: video from user 2 still decodes; a line from the other page arrives.
    await waitVideoGrows([a], () => [2], { frames: 3, timeout: 20000, what: 'video from user 2 after the flood' });
    const after = await getState(a);
    assert.equal(after.phase, 'in-room');
    assert.ok(!after.notices.some((n) => n.code === 'connection-lost'), JSON.stringify(after.notices));

    // As the user sees it: the chat side panel back, a screenshot kept and sanity-checked
    // (drawn: many colours; the chat panel holds light text on a dark background).
    await openChat(a);
    await settle(a);
    const png = await a.screenshot();
    mkdirSync(env.dir, { recursive: true });
    writeFileSync(path.join(env.dir, 'hostile.png'), png);
    const img = decodePng(png);
    const panel = (await getRegions(a)).find((r) => r.name === 'chat/input');
    let light = 0, dark = 0;
    forEachPixel(img, { x: panel.x, y: 40, w: panel.w, h: Math.max(40, panel.y - 60) }, (r, g, bl) => {
      if (r > 150 && g > 150 && bl > 150) light++;
      else if (Math.max(r, g, bl) < 80) dark++;
    });
    assert.ok(light > 500 && dark > 500, `chat text drawn over the panel: ${light} light, ${dark} dark pixels`);
    assert.equal(other.count(), 0, 'nothing reached the second server');
    evil.close();
    flood.close();
  } finally {
    await other.close();
    rmSync(usersDir, { recursive: true, force: true });
  }
});
