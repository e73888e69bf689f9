// Scenarios 11 and 12: a misbehaving server (ICE ordering and spelling, duplicate
// announcements, garbage and oversized frames) and a camera the user denied.
import assert from 'node:assert/strict';
import {
  e2eTest, getState, join, pageUrl, participant, seesVideoFrom, waitFor, waitForAll, waitUntil, waitVideoGrows,
} from '../lib/harness.mjs';
import { linesWith, typeChat } from '../lib/ui.mjs';

const others = (ids, self) => ids.filter((id) => id !== self);
const uniqueIds = (s) => new Set(s.participants.map((p) => p.id)).size === s.participants.length;

e2eTest('11a. faults: candidates before answers, `candidate` spelling, duplicate announcements', async (env) => {
  const server = await env.server({ faults: ['candidates-before-answer', 'candidate-spelling', 'duplicate-announce'] });
  const ids = [1, 2, 3];
  // One after the other, so each joiner is announced (twice) to those already in.
  const pages = [];
  for (const user of ids) pages.push(...await env.users(server, [{ room: 1, user }]));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i])), { timeout: 45000, what: 'everyone decodes everyone' });
  for (const [i, p] of pages.entries()) {
    const s = await getState(p);
    assert.ok(uniqueIds(s), `${p.gc.name}: no duplicate tiles ${JSON.stringify(s.participants.map((q) => q.id))}`);
    assert.equal(s.participants.length, 2);
    for (const id of others(ids, ids[i])) assert.equal(participant(s, id).media, 'live');
  }
  const stats = await server.stats();
  assert.equal(stats.subscribers, 6, 'one subscription per pair, not two');
  assert.ok(stats.faults['duplicate-announce'] !== undefined, 'fault active');
});

e2eTest('11b. faults: garbage and oversized frames from the server: no crash, the call continues', async (env) => {
  const server = await env.server({ faults: ['garbage', 'oversized'] });
  const ids = [1, 2];
  const pages = await env.users(server, ids.map((user) => ({ room: 1, user })));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i])), { timeout: 45000, what: 'call up despite garbage' });
  // More on demand: every garbage kind and another oversized frame to both.
  const g = await server.control('garbage?user=*');
  assert.ok(g.sentTo >= 2, JSON.stringify(g));
  for (const id of ids) await server.control(`oversized?user=${id}`);
  await typeChat(pages[0], 'garbage in, call on 🗑️');
  await waitFor(pages[1], (s) => linesWith(s, 'garbage in, call on 🗑️').length === 1, { timeout: 15000, what: 'chat through' });
  await waitVideoGrows(pages, (i) => others(ids, ids[i]), { what: 'video still flowing' });
  const stats = await server.stats();
  assert.ok(stats.garbageFramesOut > 20, `garbage sent: ${stats.garbageFramesOut}`);
  assert.ok(stats.oversizedFramesOut >= 4, `oversized sent: ${stats.oversizedFramesOut}`);
  for (const p of pages) {
    const s = await getState(p);
    // Bad frames are reported and dropped: no reconnect, no failure.
    assert.equal(s.phase, 'in-room');
    assert.ok(uniqueIds(s));
    assert.ok(s.notices.some((n) => n.code === 'garbage-from-server'), `${p.gc.name}: noticed`);
    assert.ok(!s.notices.some((n) => n.code === 'connection-lost'), `${p.gc.name}: no reconnect ${JSON.stringify(s.notices)}`);
  }
  env.assertNoPageErrors();
});

e2eTest('12. camera denied -> joins receive-only with a notice and still sees the others', async (env) => {
  const server = await env.server();
  const [publisher] = await env.users(server, [{ room: 1, user: 1 }]);
  // A browser that answers every permission prompt with "deny".
  const denying = await env.browser({ fakeUi: false, args: ['--deny-permission-prompts'] });
  const denied = await env.page(pageUrl(server, { room: 1, user: 6 }), { browser: denying, name: 'user6-denied' });
  await join(denied);
  await waitFor(denied, (s) => s.self.mediaError && s, { timeout: 15000, what: 'media error reported' });
  await waitFor(denied, (s) => seesVideoFrom(s, [1]), { timeout: 30000, what: 'the denied user sees user 1' });
  const s = await getState(denied);
  assert.equal(s.phase, 'in-room');
  assert.match(s.self.mediaError, /NotAllowed|denied|permission/i, s.self.mediaError);
  assert.notEqual(s.self.publish, 'live');
  assert.ok(s.notices.length > 0, `a notice tells the user: ${JSON.stringify(s.notices)}`);
  // The others see user 6 in the grid, without video; the server has one publisher.
  const p = await waitFor(publisher, (st) => participant(st, 6), { what: 'user 6 listed' });
  assert.ok(p.tile, 'user 6 has a tile');
  await waitUntil(async () => (await server.stats()).publishers === 1, { what: 'one publisher' });
});
