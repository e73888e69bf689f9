// Scenario 23 (issue 13 items 1, 4, 5): screen sharing, pinning and keyboard shortcuts.
// (a) Share screen swaps the published video track (replaceTrack): the other side decodes the
//     fake screen Chromium gives with --use-fake-ui-for-media-stream (the window: 1280x720
//     here, a 960x640 page would share 960x640), then the
//     320x240 camera again after Stop sharing and after the browser's own stop, and the
//     server sees no offer at all meanwhile (rule 11).
// (b) Shortcuts act with no text field focused and never while typing (keys or IME); "?"
//     opens the help, Esc closes it; double-clicking a tile pins it, again unpins.
import assert from 'node:assert/strict';
import {
  e2eTest, clickRegion, getState, participant, region, seesVideoFrom, settle, waitFor, waitUntil,
} from '../lib/harness.mjs';
import { focusChat, hasRegion, linesWith } from '../lib/ui.mjs';

/** frameWidth of every inbound video stream of the page's open connections. */
async function inboundWidths(page) {
  return page.evaluate(async () => {
    const widths = [];
    for (const pc of window.__gcPeers || []) {
      if (pc.signalingState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && r.frameWidth) widths.push(r.frameWidth);
      });
    }
    return widths;
  });
}

/** Waits until the page decodes `width`-wide frames; returns how long that took (ms). */
async function waitWidth(page, width, what) {
  const t0 = Date.now();
  await waitUntil(async () => (await inboundWidths(page)).includes(width), { timeout: 15000, interval: 250, what });
  return Date.now() - t0;
}

e2eTest('23a. screen sharing: the other side receives the 1280-wide screen, then the camera again, with no offer', async (env) => {
  const server = await env.server();
  // Headless Chromium's fake screen is its window: 1280x720 here.
  const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2 }],
                                 { viewport: { width: 1280, height: 720 } });
  await waitFor(b, (s) => seesVideoFrom(s, [1]), { timeout: 30000, what: 'B decodes A' });
  await waitWidth(b, 320, 'B receives the 320-wide camera');
  const before = await server.stats();

  await clickRegion(a, 'controls/share');
  const sharing = await waitFor(a, (s) => s.self.sharing && s, { timeout: 10000, what: 'A shares its screen' });
  assert.equal(sharing.phase, 'in-room');
  const toScreen = await waitWidth(b, 1280, 'B receives 1280-wide frames');

  await clickRegion(a, 'controls/share');  // now "Stop sharing"
  await waitFor(a, (s) => !s.self.sharing && s.self.screenShare === 'off', { timeout: 5000, what: 'A stopped sharing' });
  const toCamera = await waitWidth(b, 320, 'B receives the camera again');

  // The browser's own "Stop sharing" ends the track: the camera comes back the same way.
  await clickRegion(a, 'controls/share');
  await waitFor(a, (s) => s.self.sharing, { timeout: 10000, what: 'A shares again' });
  await waitWidth(b, 1280, 'B receives the screen again');
  await a.evaluate(() => {
    for (const pc of window.__gcPeers || []) {
      if (pc.signalingState === 'closed') continue;
      for (const sender of pc.getSenders())
        if (sender.track && sender.track.kind === 'video' && sender.track.contentHint === 'detail') {
          sender.track.stop();  // what the browser's stop does; stop() itself fires no event
          sender.track.dispatchEvent(new Event('ended'));
        }
    }
  });
  await waitFor(a, (s) => !s.self.sharing, { timeout: 5000, what: 'the ended track stops sharing' });
  await waitWidth(b, 320, 'B receives the camera after the browser stop');

  const after = await server.stats();
  assert.equal(after.receiveVideoFromIn, before.receiveVideoFromIn, 'sharing made no offer');
  assert.equal(after.repeatOffers, 0);
  for (const page of [a, b]) {
    const s = await getState(page);
    assert.equal(s.rejoins.count, 0, `${page.gc.name}: no rejoin`);
    assert.equal(s.resubscribes, 0);
  }
  console.log(`23a: 1280-wide frames at B ${toScreen} ms after A was sharing; 320-wide ${toCamera} ms after Stop sharing; offers ${before.receiveVideoFromIn} -> ${after.receiveVideoFromIn}`);
});

e2eTest('23b. shortcuts: M mutes with no focus, typing m or Chinese in the chat never does; ? and Esc; double-click pins', async (env) => {
  const server = await env.server();
  const [a] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2 }]);
  await waitFor(a, (s) => s.self.mediaReady && participant(s, 2)?.tile, { timeout: 20000, what: 'A in the room with B' });
  await settle(a);

  await a.keyboard.press('m');
  await waitFor(a, (s) => s.self.muted, { timeout: 5000, what: 'M mutes' });

  // In the chat box: a typed "m" and an IME composition are text, not shortcuts.
  await focusChat(a);
  await a.keyboard.type('m');
  const cdp = await a.context().newCDPSession(a);
  await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: '你', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.insertText', { text: '你' });
  await cdp.detach();
  await a.keyboard.type('s?');
  await a.keyboard.press('Enter');
  const typed = await waitFor(a, (s) => linesWith(s, 'm你s?').length === 1 && s, { timeout: 10000, what: 'the line went out' });
  assert.equal(typed.self.muted, true, 'typing m did not unmute');
  assert.equal(typed.self.screenShare, 'off', 'typing s did not share');
  assert.equal(await hasRegion(a, 'help'), false, 'typing ? did not open the help');

  // Leave the text field (a click on B's tile), then "?" and Esc.
  const tile = participant(await getState(a), 2).tile;
  await a.mouse.click(tile.x + tile.w / 2, tile.y + tile.h / 2);
  await waitUntil(() => a.evaluate(() => !(document.activeElement?.id === 'gc-ime' || document.activeElement?.dataset?.gcField === '1')), { timeout: 5000, what: 'the chat box let go' });
  await a.keyboard.press('Shift+Slash');
  await region(a, 'help', { timeout: 5000 });
  await a.keyboard.press('Escape');
  await settle(a);
  await waitUntil(async () => !(await hasRegion(a, 'help')), { timeout: 5000, what: 'Esc closed the help' });

  // Double-click B's tile: pinned, large; again: the grid.
  await a.mouse.dblclick(tile.x + tile.w / 2, tile.y + tile.h / 2);
  const pinned = await waitFor(a, (s) => s.pinned === 2 && s, { timeout: 5000, what: 'B pinned' });
  await settle(a);
  const big = participant(await getState(a), 2).tile;
  assert.ok(big.w > tile.w * 1.2, `the pinned tile is large: ${tile.w} -> ${big.w}`);
  assert.ok(participant(pinned, 2).visible, 'the pinned participant is visible (subscribed)');
  await a.mouse.dblclick(big.x + big.w / 2, big.y + big.h / 2);
  await waitFor(a, (s) => s.pinned === null, { timeout: 5000, what: 'B unpinned' });
});
