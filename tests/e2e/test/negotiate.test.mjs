// Scenarios 19-20 (shared/PROTOCOL.md rules 11 and 12) on the reference server in its
// default, Kurento-strict mode: a second receiveVideoFrom for one owner on one join, or
// one for an unknown owner, closes the socket with 1011; a frame over 8 KiB closes it
// with 1009. /stats counts repeats (repeatOffers) in every mode.
import assert from 'node:assert/strict';
import {
  e2eTest, clickRegion, getState, pageUrl, seesVideoFrom, waitFor, waitUntil, waitVideoGrows,
} from '../lib/harness.mjs';

const BOTS = { from: 101, count: 30 };

/** Every figure of rules 11 and 12 that must be zero, from /stats and the pages. */
async function assertNegotiatedOnce(server, pages) {
  const st = await server.stats();
  assert.equal(st.renegotiation, 'strict');
  assert.equal(st.repeatOffers, 0, `repeated offers: ${JSON.stringify(st.repeatOffersByUser)}`);
  assert.equal(st.renegotiationCloses, 0, 'a socket was closed with 1011 for a repeated offer');
  assert.equal(st.unknownOwnerCloses, 0, 'a socket was closed with 1011 for an unknown owner');
  assert.equal(st.frameTooBigCloses, 0, 'a socket was closed with 1009');
  assert.ok(st.largestFrameIn <= 8192, `largest frame ${st.largestFrameIn}`);
  for (const page of pages) {
    const s = await getState(page);
    assert.equal(s.resubscribes, 0, `${page.gc.name}: resubscribes`);
    assert.ok(s.largestFrameSent > 0 && s.largestFrameSent <= s.maxFrameBytes,
              `${page.gc.name}: largest frame sent ${s.largestFrameSent}`);
  }
  return st;
}

const visibleIds = (s) => s.participants.filter((p) => p.visible).map((p) => p.id).sort((a, b) => a - b);

e2eTest('19. 30 participants on the strict server: a kiosk through 3 rotations and a page paging forward and back offer each owner once', { timeout: 180000 }, async (env) => {
  const server = await env.server({ args: ['--max-participants', '40', '--bots', `1:${BOTS.from}-${BOTS.from + BOTS.count - 1}`] });
  const kiosk = await env.page(pageUrl(server, { room: 1, user: 12, kiosk: true, extra: { rotate: 2 } }), { name: 'kiosk-user12' });
  const [user] = await env.users(server, [{ room: 1, user: 11 }]);
  const everyone = 31;  // 30 bots and the other page
  await waitFor(kiosk, (s) => s.phase === 'in-room' && s.participants.length === everyone,
                { timeout: 30000, what: 'the kiosk lists 31 participants' });

  // The kiosk turns its pages by itself. Watch three whole rotations: the visible set
  // returns to the first page three times. The live subscriptions never exceed the cap.
  const first = visibleIds(await waitFor(kiosk, (s) => s.participants.some((p) => p.visible) && s, { what: 'a page' }));
  let rotations = 0;
  let left = false;
  let pages = new Set([first.join(',')]);
  let maxLive = 0;
  const shown = new Set(first);
  await waitUntil(async () => {
    const s = await getState(kiosk);
    maxLive = Math.max(maxLive, s.liveSubscriptions);
    const ids = visibleIds(s);
    if (!ids.length) return false;
    ids.forEach((id) => shown.add(id));
    const key = ids.join(',');
    pages.add(key);
    if (key !== first.join(',')) left = true;
    else if (left) { rotations++; left = false; }
    return rotations >= 3;
  }, { timeout: 90000, interval: 150, what: 'three kiosk rotations' });
  assert.ok(pages.size >= 2, 'the kiosk has more than one page');
  assert.equal(shown.size, everyone, 'every participant was on screen');
  assert.ok(maxLive <= 25, `live subscriptions peaked at ${maxLive}`);
  const ks = await getState(kiosk);
  assert.ok(ks.maxLiveSubscriptions === 25);
  // 31 owners do not fit under 25 live subscriptions: the kiosk rejoined by itself.
  assert.ok(ks.rejoins.count >= 1, 'the kiosk rejoined for the tiles over the cap');
  assert.equal(ks.rejoins.lastCause, 'too-many-streams');

  // The page: forward to the last page and back, tiles over the cap say so; "Show video"
  // on one of them rejoins and subscribes what is on screen.
  const pageCount = async () => (await getState(user)).participants.filter((p) => p.visible).length;
  await waitFor(user, (s) => s.phase === 'in-room' && s.participants.length === everyone && s.participants.some((p) => p.visible),
                { timeout: 30000, what: 'the page lists 31 participants' });
  const firstPage = visibleIds(await getState(user));
  assert.ok(await clickRegion(user, 'controls/page_next'));
  const second = await waitFor(user, (s) => visibleIds(s).join(',') !== firstPage.join(',') && s,
                               { timeout: 10000, what: 'page 2' });
  const capped = second.participants.filter((p) => p.visible && p.media === 'capped');
  assert.ok(capped.length > 0, 'tiles over the cap on page 2');
  assert.ok(second.liveSubscriptions <= 25);
  const before = second.rejoins.count;
  assert.ok(await clickRegion(user, `tile/${capped[0].id}/show-video`), 'a Show video button on a capped tile');
  const after = await waitFor(user, (s) => s.rejoins.count === before + 1 && s.phase === 'in-room' &&
                              s.participants.filter((p) => p.visible).every((p) => p.negotiated) && s,
                              { timeout: 30000, what: 'rejoined with every tile on screen subscribed' });
  assert.equal(after.rejoins.lastCause, 'too-many-streams');
  assert.ok(await pageCount() > 0);
  assert.ok(await clickRegion(user, 'controls/page_prev'));
  await waitFor(user, (s) => visibleIds(s).join(',') === firstPage.join(','), { timeout: 10000, what: 'back on page 1' });
  await waitFor(user, (s) => s.participants.filter((p) => p.visible).every((p) => ['connecting', 'live', 'no-media', 'capped'].includes(p.media)),
                { timeout: 10000, what: 'page 1 tiles connecting, live or capped' });

  const st = await assertNegotiatedOnce(server, [kiosk, user]);
  assert.ok(st.receiveVideoFromIn > 0);
});

e2eTest('20. a stalled publisher: the viewer rejoins once after the video stopped for 10 s, on the strict server, and sees it again', { timeout: 150000 }, async (env) => {
  const server = await env.server();
  const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2 }]);
  await waitFor(a, (s) => seesVideoFrom(s, [2]), { timeout: 30000, what: 'user 1 decodes user 2' });
  await waitFor(b, (s) => seesVideoFrom(s, [1]), { timeout: 30000, what: 'user 2 decodes user 1' });

  // The relay stops forwarding user 2's media; every connection stays up.
  const stalledAt = Date.now();
  await server.control('stall', { user: 2 });
  await waitFor(a, (s) => s.stalls.detected >= 1, { timeout: 30000, what: 'the stall is detected' });
  const s1 = await waitFor(a, (s) => s.rejoins.count === 1 && s, { timeout: 30000, what: 'one planned rejoin' });
  assert.equal(s1.rejoins.lastCause, 'stalled-video');
  assert.ok(Date.now() - stalledAt >= 10000, 'not before the video stopped for 10 s');
  await server.control('unstall', { user: 2 });

  await waitFor(a, (s) => s.phase === 'in-room' && seesVideoFrom(s, [2]), { timeout: 30000, what: 'user 1 sees user 2 again' });
  await waitVideoGrows([a, b], (i) => (i === 0 ? [2] : [1]), { what: 'video flows both ways after the rejoin' });
  const sa = await getState(a);
  assert.equal(sa.rejoins.count, 1, 'one rejoin, not a loop');
  assert.equal((await getState(b)).rejoins.count, 0, 'only the viewer rejoined');
  await assertNegotiatedOnce(server, [a, b]);
});
