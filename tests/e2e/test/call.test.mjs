// Scenarios 1-4 and 16: seeing each other, four users and a screenshot of their room, a late
// joiner, leaving.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  e2eTest, clickRegion, getState, waitFor, waitForAll, waitUntil, waitVideoGrows, seesVideoFrom, participant,
  openPeerCount,
} from '../lib/harness.mjs';
import { checkRoomScreenshot } from '../lib/pixels.mjs';

const others = (ids, self) => ids.filter((id) => id !== self);

e2eTest('1. two users see each other, tiles carry Chinese names with prefix and postfix', async (env) => {
  const server = await env.server();
  // User 1 is 张伟 with prefix [研发部] and postfix (主持人); user 3 is 王芳 with postfix only.
  const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 3 }]);
  await waitFor(a, (s) => seesVideoFrom(s, [3]), { timeout: 30000, what: 'user 1 decodes frames from user 3' });
  await waitFor(b, (s) => seesVideoFrom(s, [1]), { timeout: 30000, what: 'user 3 decodes frames from user 1' });

  const sa = await waitFor(a, (s) => s);
  const sb = await waitFor(b, (s) => s);
  const p1 = participant(sb, 1);
  assert.deepEqual({ name: p1.name, prefix: p1.prefix, postfix: p1.postfix },
                   { name: '张伟', prefix: '[研发部]', postfix: '(主持人)' });
  const p3 = participant(sa, 3);
  assert.deepEqual({ name: p3.name, prefix: p3.prefix, postfix: p3.postfix },
                   { name: '王芳', prefix: '', postfix: '(嘉宾)' });
  for (const [s, other] of [[sa, 3], [sb, 1]]) {
    assert.equal(s.participants.length, 1, 'exactly one other participant');
    assert.equal(participant(s, other).media, 'live');
    assert.ok(s.self.tile && s.self.tile.w > 0, 'self tile drawn');
    assert.equal(s.self.publish, 'live');
  }
});

// Scenario 16 shares scenario 2's room: a screenshot of it is really drawn (pixels, not only
// a file). One 4-user room instead of two saves a setup of four pages (about 20 s).
e2eTest('2 + 16. four users: all 12 subscriptions decode; a screenshot shows tiles and names over video', async (env) => {
  const server = await env.server();
  const ids = [1, 2, 5, 8];
  const pages = await env.users(server, ids.map((user) => ({ room: 1, user })));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i])),
                   { timeout: 45000, what: 'frames decoded from the three others' });
  // Every decoder keeps going (not one frame and a stall): counts grow.
  await waitVideoGrows(pages, (i) => others(ids, ids[i]), { what: 'frame counts still growing' });
  const stats = await server.stats();
  assert.equal(stats.publishers, 4);
  assert.equal(stats.subscribers, 12);
  for (const page of pages) assert.equal(await openPeerCount(page), 4, 'one send + three receive connections');

  // 16: every <video> beneath the canvas has a picture (readyState >= 2, non-zero size), and
  // the screenshot shows video pixels in every tile and name bars with contrast.
  const page = pages[0];
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

e2eTest('3. a late joiner sees everyone and everyone sees it', async (env) => {
  const server = await env.server();
  const first = [1, 2, 3];
  const pages = await env.users(server, first.map((user) => ({ room: 1, user })));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(first, first[i])),
                   { timeout: 40000, what: 'the first three see each other' });
  const [late] = await env.users(server, [{ room: 1, user: 4, name: 'late-user4' }]);
  await waitFor(late, (s) => seesVideoFrom(s, first), { timeout: 30000, what: 'the late joiner sees 1, 2, 3' });
  await waitForAll(pages, (s) => seesVideoFrom(s, [4]), { timeout: 30000, what: 'everyone sees the late joiner' });
  const s4 = await waitFor(late, (s) => s);
  assert.equal(participant(s4, 4), undefined, 'own id is not a participant');
  assert.deepEqual(s4.participants.map((p) => p.id).sort(), first);
});

e2eTest('4. leave: the tile disappears from the others within 3 s and its connections close', async (env) => {
  const server = await env.server();
  const ids = [1, 2, 3];
  const pages = await env.users(server, ids.map((user) => ({ room: 1, user })));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i])),
                   { timeout: 40000, what: 'three users see each other' });
  const [p1, p2, p3] = pages;

  const t0 = Date.now();
  await clickRegion(p3, 'controls/leave');   // the real Leave button
  await waitForAll([p1, p2], (s) => !participant(s, 3) && Date.now(),
                   { timeout: 3000, interval: 50, what: 'user 3 gone from the grid' });
  const gone = Date.now() - t0;
  assert.ok(gone <= 3000, `tile gone after ${gone} ms`);

  await waitFor(p3, (s) => s.phase === 'left' && s.participants.length === 0, { what: 'the leaver is out' });
  // Its connections close: all of them in its own page, its one in each other page,
  // and every server endpoint it owned or watched.
  await waitUntil(async () => (await openPeerCount(p3)) === 0, { timeout: 3000, what: 'leaver closed its peers' });
  for (const p of [p1, p2]) {
    await waitUntil(async () => (await openPeerCount(p)) === 2, { timeout: 3000, what: `${p.gc.name}: 2 open peers` });
  }
  await waitUntil(async () => {
    const st = await server.stats();
    return st.participants === 2 && !st.endpoints.some((e) => e.owner === 3 || e.viewer === 3);
  }, { timeout: 3000, what: 'server released user 3\'s endpoints' });
  // The two who stayed still see each other.
  const before = await Promise.all([p1, p2].map((p) => waitFor(p, (s) => s)));
  await waitFor(p1, (s) => participant(s, 2).framesDecoded > participant(before[0], 2).framesDecoded,
                { timeout: 10000, what: 'user 1 still decodes user 2' });
  await waitFor(p2, (s) => participant(s, 1).framesDecoded > participant(before[1], 1).framesDecoded,
                { timeout: 10000, what: 'user 2 still decodes user 1' });
});
