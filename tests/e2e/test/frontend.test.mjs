// Scenarios 17 and 18: the browser frontend (src/platform, web/js) under events the other
// scenarios do not cause. 17: the GPU context is lost and restored (driver reset, GPU
// process crash), on the join screen and in a room. 18: the first frame comes before the
// fallback (CJK) fonts, clipboard copy and paste through the real shortcuts, a window
// resize at devicePixelRatio 2, the kiosk's idle cursor; the .wasm downloaded once, and a
// server that answers it with the wrong type. Every page must report no CSP violation
// (index.html's policy: no inline script but early.js, by its hash; no inline style, no eval).
// (These replace tests/web-smoke, which drove a throwaway demo build and never ran in CI.)
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  clickRegion, e2eTest, getRegions, getState, join, pageUrl, participant, seesVideoFrom, settle, waitFor, waitForAll,
  waitUntil, waitVideoGrows,
} from '../lib/harness.mjs';
import { decodePng, forEachPixel } from '../lib/png.mjs';
import { checkRoomScreenshot, measureTile } from '../lib/pixels.mjs';
import { focusChat, hasRegion, linesWith } from '../lib/ui.mjs';

// Every page records the CSP violations it reports (index.html's meta policy).
const recordCsp = async (_page, context) => {
  await context.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, '__gcCsp', { value: seen });
    document.addEventListener('securitypolicyviolation',
      (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
};

async function assertNoCsp(pages) {
  for (const page of pages) {
    assert.deepEqual(await page.evaluate(() => window.__gcCsp), [], `${page.gc.name}: CSP violations`);
  }
}

// ---- WebGL context loss ---------------------------------------------------------------------

const LOST_LOG = /WebGL context lost, waiting for restore/;
const lostLogs = (page) => page.gc.log.filter((l) => LOST_LOG.test(l)).length;

/**
 * Loses the app's WebGL2 context (#canvas) through WEBGL_lose_context and waits until the
 * app saw it (its console line; the app prevents the default, which is what allows a
 * restore). Returns state().framesDrawn at that moment.
 */
async function loseContext(page) {
  const seen = lostLogs(page);
  const r = await page.evaluate(() => {
    const gl = document.getElementById('canvas').getContext('webgl2');
    const ext = gl && gl.getExtension('WEBGL_lose_context');
    if (!ext) return 'no WEBGL_lose_context';
    window.__gcLoseContext = ext;  // getExtension answers null once the context is lost
    ext.loseContext();
    return gl.isContextLost() ? 'lost' : 'not lost';
  });
  assert.equal(r, 'lost', `${page.gc.name}: loseContext`);
  await waitUntil(() => lostLogs(page) > seen, { timeout: 5000, what: `${page.gc.name}: the app saw the context loss` });
  const s = await getState(page);
  assert.ok(s && s.phase, `${page.gc.name}: state() answers while the context is lost`);
  return s.framesDrawn;
}

/** Restores the context and waits until the app has drawn again and settled. */
async function restoreContext(page) {
  const before = (await getState(page)).framesDrawn;
  await page.evaluate(() => window.__gcLoseContext.restoreContext());
  await waitFor(page, () => page.evaluate(() => !document.getElementById('canvas').getContext('webgl2').isContextLost()),
                { timeout: 5000, what: 'context restored' });
  const s = await waitFor(page, (st) => st.framesDrawn > before && st, { timeout: 5000, what: 'a frame drawn after the restore' });
  await settle(page);
  return s;
}

/** The smallest rectangle around the join screen's fields and button, with a margin. */
async function joinCard(page) {
  // The card only: the camera preview beside it is a <video>, which shows while the canvas is lost.
  const rs = (await getRegions(page)).filter((r) => r.name.startsWith('join/') && !r.name.startsWith('join/preview') &&
                                                   r.name !== 'join/meter');
  assert.ok(rs.some((r) => r.name === 'join/button'), 'the join screen is showing');
  const x0 = Math.min(...rs.map((r) => r.x)), y0 = Math.min(...rs.map((r) => r.y));
  const x1 = Math.max(...rs.map((r) => r.x + r.w)), y1 = Math.max(...rs.map((r) => r.y + r.h));
  return { x: x0 - 20, y: y0 - 60, w: x1 - x0 + 40, h: y1 - y0 + 80 };
}

/** Pixels of the join card in a screenshot: colours, light (text) and blue (Join button) pixels. */
function measureCard(png, rect) {
  const img = decodePng(png);
  const colours = new Set();
  let text = 0, blue = 0;
  forEachPixel(img, rect, (r, g, b) => {
    colours.add((r >> 4) << 8 | (g >> 4) << 4 | (b >> 4));
    if (r > 170 && g > 170 && b > 170) text++;
    if (b > 200 && b > r + 80) blue++;
  });
  return { colours: colours.size, text, blue };
}

function keep(env, name, png, data) {
  mkdirSync(env.dir, { recursive: true });
  writeFileSync(path.join(env.dir, `${name}.png`), png);
  if (data) writeFileSync(path.join(env.dir, `${name}.json`), JSON.stringify(data, null, 1));
}

e2eTest('17. WebGL context loss and restore: the client redraws after the GPU context comes back, in the join screen and in a room', async (env) => {
  const server = await env.server();
  const ids = [1, 2];
  const [page, other] = await env.users(server, ids.map((user) => ({ room: 1, user })),
                                        { join: false, beforeGoto: recordCsp });

  // (a) The join screen: drawn, blank while the context is lost, drawn again after.
  await settle(page);
  const card = await joinCard(page);
  const before = measureCard(await page.screenshot(), card);
  assert.ok(before.colours >= 4 && before.text >= 200 && before.blue >= 5000, `join card drawn: ${JSON.stringify(before)}`);

  await loseContext(page);
  const lostPng = await page.screenshot();
  const lost = measureCard(lostPng, card);
  if (lost.colours > 2 || lost.text || lost.blue) keep(env, 'join-lost', lostPng, lost);
  // What comes back below was redrawn, not left on screen.
  assert.ok(lost.colours <= 2 && lost.text === 0 && lost.blue === 0, `canvas blank while lost: ${JSON.stringify(lost)}`);
  // Input while the context is lost asks for frames; nothing breaks.
  await page.mouse.move(card.x + card.w / 2, card.y + card.h - 30);
  await page.mouse.move(10, 10);

  await restoreContext(page);
  const afterPng = await page.screenshot();
  const after = measureCard(afterPng, card);
  if (!(after.colours >= 4 && after.text >= before.text * 0.8 && after.blue >= before.blue * 0.9)) {
    keep(env, 'join-restored', afterPng, { before, after });
  }
  assert.ok(after.colours >= 4, `join card redrawn (colours): ${JSON.stringify(after)}`);
  assert.ok(after.text >= before.text * 0.8, `join card text redrawn: ${after.text} light pixels, ${before.text} before`);
  assert.ok(after.blue >= before.blue * 0.9, `Join button redrawn: ${after.blue} blue pixels, ${before.blue} before`);
  // The restored renderer still works for input: the real Join button joins.
  await Promise.all([join(page), join(other)]);

  // (b) In a 2-user room with video: video goes on while the canvas is lost, names come back.
  const pages = [page, other];
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, ids.filter((id) => id !== ids[i])),
                   { timeout: 45000, what: 'video from the other user' });
  await loseContext(page);
  await waitVideoGrows([page], () => [2], { what: 'video decoding while the context is lost' });
  const roomLostPng = await page.screenshot();
  const roomLost = measureTile(decodePng(roomLostPng), (await getState(page)).participants.find((p) => p.id === 2).tile);
  if (roomLost.textPixels >= 25 || roomLost.videoFraction < 0.5) keep(env, 'room-lost', roomLostPng, roomLost);
  assert.ok(roomLost.videoFraction >= 0.5, `video shows through while lost: ${JSON.stringify(roomLost)}`);
  assert.ok(roomLost.textPixels < 25, `no name drawn while lost (canvas blank): ${JSON.stringify(roomLost)}`);

  await restoreContext(page);
  // Names drawn over video in both tiles again (the self tile too).
  const state = await getState(page);
  const roomPng = await page.screenshot();
  const room = checkRoomScreenshot(roomPng, state);
  if (!room.ok) keep(env, 'room-restored', roomPng, room);
  assert.equal(room.tiles.length, 2, 'two tiles');
  assert.deepEqual(room.problems, []);
  await waitVideoGrows([page], () => [2], { what: 'video still decoding after the restore' });
  await waitVideoGrows([other], () => [1], { what: 'the other user still sees user 1' });
  await assertNoCsp(pages);
});

// ---- fonts, clipboard, resize, kiosk cursor ----------------------------------------------------

const canvasSize = (page) => page.evaluate(() => {
  const c = document.getElementById('canvas');
  return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight, dpr: devicePixelRatio };
});
const backingStoreIs = (c, size, dpr) => c.dpr === dpr && c.cssW === size.width && c.cssH === size.height &&
                                         c.w === size.width * dpr && c.h === size.height * dpr;

e2eTest('18. frontend: first frame before the CJK font, clipboard copy and paste in the chat, window resize, kiosk cursor hidden when idle', async (env) => {
  const server = await env.server();
  const opts = { beforeGoto: recordCsp, permissions: ['clipboard-read', 'clipboard-write'] };
  // User 3 with the fallback fonts (rest of Latin, Greek, Cyrillic, CJK) held back until
  // released.
  let releaseFonts;
  const fontsHeld = new Promise((resolve) => { releaseFonts = resolve; });
  const holdFonts = async (pg, context) => {
    await recordCsp(pg, context);
    await pg.route('**/fonts/*', async (route) => { await fontsHeld; await route.continue(); });
  };
  // Every page's requests for the .wasm and early.js (issue 12: early.js is written into the
  // page, and compiles the .wasm from the response of the page's preload).
  const requests = new Map();
  const countRequests = (pg) => {
    const seen = { wasm: 0, early: 0 };
    requests.set(pg, seen);
    pg.on('request', (r) => {
      if (/\/groupcall\.wasm$/.test(r.url())) seen.wasm++;
      if (/\/early\.js$/.test(r.url())) seen.early++;
    });
  };
  // User 4's server answers the .wasm as application/octet-stream, which a streaming compile
  // refuses: the client must start anyway, from the bytes (web/js/frontend-boot.js).
  const wrongWasmType = async (pg, context) => {
    await recordCsp(pg, context);
    countRequests(pg);
    await pg.route('**/groupcall.wasm', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    });
  };
  const [page, reader, kiosk] = await Promise.all([
    env.page(pageUrl(server, { room: 1, user: 3 }), {
      name: 'user3', ...opts, beforeGoto: async (pg, context) => { countRequests(pg); await holdFonts(pg, context); },
    }),
    env.page(pageUrl(server, { room: 1, user: 4 }), { name: 'user4', ...opts, beforeGoto: wrongWasmType }),
    // A kiosk alone in room 3 (receive-only) at devicePixelRatio 2, for part (d); it draws
    // little, so the larger backing store costs little.
    env.page(pageUrl(server, { room: 3, user: 5, kiosk: 1 }), { name: 'kiosk5', deviceScaleFactor: 2, beforeGoto: recordCsp }),
  ]);

  // The .wasm was downloaded once (early.js's compile took the preload's response), early.js
  // was not requested (it is in the page); refused as a stream, it was fetched again as bytes.
  assert.deepEqual(requests.get(page), { wasm: 1, early: 0 }, 'user3: one .wasm download, no early.js request');
  assert.deepEqual(requests.get(reader), { wasm: 2, early: 0 }, 'user4: the .wasm again, as bytes');

  // (a) The first frame (the harness waits for it) did not wait for the fallback fonts:
  // they are fetched after it and merged into the atlas when they arrive.
  const fontState = () => page.evaluate(() => window.gcFrontend.cjkFont);
  assert.equal(await fontState(), 'pending', 'first frame drawn while the fonts are held back');
  assert.equal(await page.evaluate(() => !!document.getElementById('loading')), false, 'loading text gone');
  releaseFonts();
  await waitUntil(async () => (await fontState()) === 'loaded', { timeout: 15000, what: 'fallback fonts loaded' });
  await Promise.all([join(page), join(reader)]);

  // (b) Clipboard.
  // Paste: Chinese + emoji written to the clipboard, Ctrl+V in the chat box, Enter.
  const PASTED = '粘贴 paste ✂ 第2次';
  await focusChat(page);
  await page.evaluate((t) => navigator.clipboard.writeText(t), PASTED);
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Enter');
  await waitFor(reader, (s) => linesWith(s, PASTED).length >= 1, { timeout: 10000, what: 'pasted line arrived' });
  // Copy: a typed line, Ctrl+A, Ctrl+C (the app writes it with navigator.clipboard).
  const COPIED = 'copy 复制 ok';
  await focusChat(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.insertText', { text: COPIED });
  await cdp.detach();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  await waitUntil(async () => (await page.evaluate(() => navigator.clipboard.readText())) === COPIED,
                  { timeout: 5000, what: 'Ctrl+C put the chat box text on the clipboard' });
  await page.keyboard.press('Enter');
  await waitFor(reader, (s) => linesWith(s, COPIED).length >= 1, { timeout: 10000, what: 'copied line arrived' });
  const r = await getState(reader);
  assert.deepEqual(r.chat.map((c) => c.text), [PASTED, COPIED], 'pasted once, nothing else');

  // (c) Resize with the chat panel closed: the grid follows the window (a column in a portrait
  // window, a row in a landscape one), so does the backing store, and video and names are
  // drawn at the new places.
  await clickRegion(page, 'controls/chat');
  await waitUntil(async () => !(await hasRegion(page, 'chat/input')), { timeout: 5000, what: 'chat panel closed' });
  await waitFor(page, (s) => seesVideoFrom(s, [4]), { timeout: 45000, what: 'video from user 4' });
  await waitVideoGrows([page], () => [4], { what: 'video from user 4 flowing' });
  for (const [size, column] of [[{ width: 560, height: 720 }, true], [{ width: 1100, height: 520 }, false]]) {
    await page.setViewportSize(size);
    await waitFor(page, async (s) => {
      const [a, b] = [s.self?.tile, participant(s, 4)?.tile];
      if (!a || !b || !backingStoreIs(await canvasSize(page), size, 1)) return false;
      const inside = (t) => t.x >= 0 && t.y >= 0 && t.x + t.w <= size.width + 1 && t.y + t.h <= size.height + 1 && t.w > 100;
      const lined = column ? Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) > a.h - 1
                           : Math.abs(a.y - b.y) < 1 && Math.abs(a.x - b.x) > a.w - 1;
      return inside(a) && inside(b) && lined;
    }, { timeout: 5000, what: `canvas and a ${column ? 'column' : 'row'} of tiles at ${size.width}x${size.height}` });
    await settle(page);
    const png = await page.screenshot();
    const room = checkRoomScreenshot(png, await getState(page));
    if (!room.ok) keep(env, `resized-${size.width}x${size.height}`, png, room);
    assert.deepEqual(room.problems, [], `video and names at ${size.width}x${size.height}`);
  }

  // (d) Kiosk at devicePixelRatio 2: the backing store is CSS size x 2, before and after a
  // resize. The cursor hides after 3 s without mouse movement (long past by now) and comes
  // back on a move.
  const kioskSize = { width: 800, height: 450 };
  assert.ok(backingStoreIs(await canvasSize(kiosk), { width: 960, height: 640 }, 2), JSON.stringify(await canvasSize(kiosk)));
  await kiosk.setViewportSize(kioskSize);
  await waitUntil(async () => backingStoreIs(await canvasSize(kiosk), kioskSize, 2),
                  { timeout: 5000, what: 'kiosk backing store at 800x450 x 2' });
  const cursor = () => kiosk.evaluate(() => document.getElementById('canvas').style.cursor);
  await waitUntil(async () => (await cursor()) === 'none', { timeout: 10000, what: 'kiosk cursor hidden when idle' });
  await kiosk.mouse.move(400, 300);
  await kiosk.mouse.move(420, 310);
  await waitUntil(async () => (await cursor()) !== 'none', { timeout: 2000, what: 'kiosk cursor shown on a move' });
  await assertNoCsp([page, reader, kiosk]);
});
