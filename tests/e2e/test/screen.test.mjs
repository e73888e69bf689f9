// Scenario 16: a screenshot of a 4-user room is really drawn (pixels, not only a file).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { e2eTest, getState, seesVideoFrom, waitFor, waitForAll, waitVideoGrows } from '../lib/harness.mjs';
import { checkRoomScreenshot } from '../lib/pixels.mjs';

const others = (ids, self) => ids.filter((id) => id !== self);

e2eTest('16. a screenshot of a 4-user room shows tiles and names over video, not blank', async (env) => {
  const server = await env.server();
  const ids = [1, 2, 5, 8];
  const pages = await env.users(server, ids.map((user) => ({ room: 1, user })));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i])),
                   { timeout: 45000, what: 'video from the three others' });
  await waitVideoGrows(pages, (i) => others(ids, ids[i]), { what: 'video from the three others keeps flowing' });
  const page = pages[0];
  // Every <video> beneath the canvas has a picture (readyState >= 2, non-zero size).
  await waitFor(page, () => page.evaluate(() => {
    const v = [...document.querySelectorAll('video')].filter((e) => e.style.display !== 'none');
    return v.length >= 4 && v.every((e) => e.readyState >= 2 && e.videoWidth > 0);
  }), { timeout: 15000, what: 'four playing <video> elements' });

  const state = await getState(page);
  const png = await page.screenshot();
  const result = checkRoomScreenshot(png, state);
  mkdirSync(env.dir, { recursive: true });
  if (!result.ok) {
    writeFileSync(path.join(env.dir, 'room-4-checked.png'), png);
    writeFileSync(path.join(env.dir, 'room-4-pixels.json'), JSON.stringify(result, null, 1));
  }
  assert.equal(result.tiles.length, 4, 'four tiles');
  assert.deepEqual(result.problems, []);
  // The tiles do not overlap and fill a 2 x 2 grid.
  const rects = result.tiles.map((t) => t.rect);
  const xs = new Set(rects.map((r) => Math.round(r.x))), ys = new Set(rects.map((r) => Math.round(r.y)));
  assert.equal(xs.size, 2, `two columns ${[...xs]}`);
  assert.equal(ys.size, 2, `two rows ${[...ys]}`);
});
