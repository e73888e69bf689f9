// Scenario 27 (issue 13 item 6): emoji in chat draw as glyphs of the emoji font, not as
// U+FFFD, and the page fetches that font only once an emoji is on screen. The parts of an
// emoji sequence that draw as nothing (skin tone, VS16) leave no box: "👍🏻❤️" draws exactly
// as "👍❤". The emoji font is held back by the test until the line is drawn, so the same
// line is seen with U+FFFD (before) and with the emoji (after).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { e2eTest, getState, join, pageUrl, region, settle, waitFor, waitUntil } from '../lib/harness.mjs';
import { decodePng } from '../lib/png.mjs';
import { typeChat } from '../lib/ui.mjs';

const EMOJI_FONT = /\/fonts\/unifont-emoji\.otf$/;
const WITH_MODIFIERS = '👍🏻❤️✨🎉';  // skin tone, VS16, a plane-0 emoji, a plane-1 emoji
const PLAIN = '👍❤✨🎉';

/** The pixels of a self chat line's text: from the log's left edge to its status mark. */
async function lineStrip(page, png, seq) {
  const log = await region(page, 'chat/log');
  const mark = await region(page, `chat/mark/${seq}`);
  const img = decodePng(png);
  const x0 = Math.ceil(log.x), x1 = Math.floor(mark.x), y0 = Math.ceil(mark.y), y1 = Math.floor(mark.y + mark.h);
  const w = x1 - x0, h = y1 - y0;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = ((y0 + y) * img.width + x0 + x) * 4;
      rgb.set([img.data[o], img.data[o + 1], img.data[o + 2]], (y * w + x) * 3);
    }
  }
  // Ink: pixels far from the strip's commonest colour (the panel's background).
  const counts = new Map();
  for (let i = 0; i < w * h; i++) {
    const k = (rgb[i * 3] << 16) | (rgb[i * 3 + 1] << 8) | rgb[i * 3 + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  const bg = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const d = Math.max(Math.abs(rgb[i * 3] - (bg >> 16)), Math.abs(rgb[i * 3 + 1] - ((bg >> 8) & 255)),
                       Math.abs(rgb[i * 3 + 2] - (bg & 255)));
    ink[i] = d > 60 ? 1 : 0;
  }
  return { w, h, ink, count: ink.reduce((a, b) => a + b, 0) };
}

/** The first glyph's ink: columns from the first inked one to the next blank one. */
function firstGlyph(strip) {
  const inked = (x) => { for (let y = 0; y < strip.h; y++) if (strip.ink[y * strip.w + x]) return true; return false; };
  let a = 0;
  while (a < strip.w && !inked(a)) a++;
  let b = a;
  while (b < strip.w && inked(b)) b++;
  const cells = new Set();
  for (let y = 0; y < strip.h; y++) for (let x = a; x < b; x++) if (strip.ink[y * strip.w + x]) cells.add(`${x - a},${y}`);
  return cells;
}

const overlap = (p, q) => {
  let both = 0;
  for (const c of p) if (q.has(c)) both++;
  return both / Math.max(1, p.size + q.size - both);
};

e2eTest('27. emoji: drawn from the emoji font fetched once one is on screen; skin tone and VS16 draw as nothing', { timeout: 60000 }, async (env) => {
  const server = await env.server();
  const requests = [];
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const page = await env.page(pageUrl(server, { room: 1, user: 1 }), {
    name: 'user1',
    beforeGoto: async (pg) => {
      pg.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
      await pg.route(EMOJI_FONT, async (route) => { await held; await route.continue(); });
    },
  });
  await join(page);
  await waitUntil(() => page.evaluate(() => window.gcFrontend.cjkFont === 'loaded'),
                  { timeout: 15000, what: 'fallback fonts loaded' });
  await settle(page);
  assert.deepEqual(requests.filter((r) => EMOJI_FONT.test(r.url)), [], 'no emoji font before an emoji is shown');
  assert.equal((await getState(page)).fonts.emojiFont, 'notNeeded');

  // Two lines, the same emoji with and without the invisible parts; the font is held back.
  const typedAt = Date.now();
  await typeChat(page, WITH_MODIFIERS);
  await typeChat(page, PLAIN);
  const s = await waitFor(page, (st) => st.chat.filter((c) => c.self && c.status === 'sent').length === 2 &&
                                        st.fonts.emojiFont === 'fetching' && st,
                          { timeout: 10000, what: 'both lines sent, the emoji font asked for' });
  const fetched = requests.filter((r) => EMOJI_FONT.test(r.url));
  assert.equal(fetched.length, 1, 'the emoji font is fetched once');
  assert.ok(fetched[0].at >= typedAt, 'and only after the emoji was typed');
  const [withMods, plain] = s.chat.map((c) => c.seq);
  await settle(page);
  const before = await page.screenshot();

  const releasedAt = Date.now();
  release();
  const merged = await waitFor(page, (st) => st.fonts.emojiFont === 'loaded' && st.fonts.withoutFont === 0 &&
                                             st.fonts.missingGlyphs === 0 && !st.fonts.rebuildWaiting && st,
                               { timeout: 10000, what: 'emoji font merged into the atlas' });
  console.log(`emoji font: fetched and merged ${Date.now() - releasedAt} ms after release, ` +
              `atlas rebuild ${merged.fonts.lastRebuildMs} ms, ${merged.fonts.glyphs} glyphs`);
  await settle(page);
  const after = await page.screenshot();
  const dir = path.join(env.dir, 'screens');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'emoji-before.png'), before);
  writeFileSync(path.join(dir, 'emoji-after.png'), after);

  const b = await lineStrip(page, before, withMods);
  const a = await lineStrip(page, after, withMods);
  const p = await lineStrip(page, after, plain);
  assert.ok(b.count > 50 && a.count > 50, `ink before ${b.count}, after ${a.count}`);
  // 👍 is drawn, and not as the U+FFFD it was before the font arrived.
  const thumbBefore = firstGlyph(b), thumbAfter = firstGlyph(a);
  assert.ok(thumbAfter.size > 20, `the thumb has ink (${thumbAfter.size} px)`);
  assert.ok(overlap(thumbBefore, thumbAfter) < 0.5,
            `the thumb is not the U+FFFD glyph (overlap ${overlap(thumbBefore, thumbAfter).toFixed(2)})`);
  // Skin tone and VS16 draw as nothing: both lines are the same pixels.
  assert.equal(a.w, p.w);
  let differ = 0;
  for (let i = 0; i < a.ink.length && i < p.ink.length; i++) differ += a.ink[i] !== p.ink[i] ? 1 : 0;
  assert.ok(differ <= 4, `"${WITH_MODIFIERS}" draws as "${PLAIN}" (${differ} px differ)`);
  const st = await getState(page);
  assert.ok(st.fonts.requested <= st.fonts.glyphBudget, 'within the glyph budget');
});
