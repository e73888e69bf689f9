// Produces the README screenshots with the real client, server and browser:
//   node screenshots.mjs [outDir]      (default tests/e2e/out/screenshots/)
// Writes join.png (the join screen with its camera preview, the pickers and the meter),
// room-4.png (a 4-user room, chat open), speaker.png (the same room in the speaker layout,
// chat closed), quality.png (back in the grid, a tile's quality plots open), help.png (the
// shortcut list, "?"), share.png (user 1 sharing its screen: its own tile shows what is
// shared) and kiosk.png (the kiosk display of a 3-publisher room). The room picture is
// pixel-checked (every tile shows video and a readable name bar) so a blank image is never
// published. The README's images are tests/e2e/screenshots/*.png, copied from here.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Env, clickRegion, getState, join, pageUrl, paths, region, seesVideoFrom, waitFor, waitForAll } from './lib/harness.mjs';
import { checkRoomScreenshot } from './lib/pixels.mjs';
import { linesWith, textElementFocused, typeChat } from './lib/ui.mjs';

const outDir = path.resolve(process.argv[2] || path.join(paths.OUT, 'screenshots'));
mkdirSync(outDir, { recursive: true });
const viewport = { width: 960, height: 600 };
const others = (ids, self) => ids.filter((id) => id !== self);

/** Waits until the CJK font is in, every video plays, and the browser painted twice more. */
async function settled(page) {
  await waitFor(page, () => page.evaluate(() => window.gcFrontend && window.gcFrontend.cjkFont !== 'pending' &&
    [...document.querySelectorAll('video')].filter((v) => v.style.display !== 'none').every((v) => v.readyState >= 2)),
                { what: 'fonts and videos ready' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const env = new Env('screenshots-failure');
let failed = false;
try {
  const server = await env.server();

  // 1. The join screen, pre-filled from the fragment, with the camera preview.
  const joinPage = await env.page(pageUrl(server, { room: 1, user: 1 }), { name: 'join', viewport });
  await waitFor(joinPage, (s) => s.preview.state === 'live', { what: 'the preview' });
  await settled(joinPage);
  writeFileSync(path.join(outDir, 'join.png'), await joinPage.screenshot());
  await joinPage.close();

  // 2. Four users; user 1's view with the chat open.
  const ids = [1, 2, 5, 8];
  const pages = await Promise.all(ids.map((user) => env.page(pageUrl(server, { room: 1, user }), { name: `user${user}`, viewport })));
  await Promise.all(pages.map((p) => join(p)));
  await waitForAll(pages, (s, _p, i) => seesVideoFrom(s, others(ids, ids[i]), 10), { timeout: 60000, what: 'video' });
  const lines = [[pages[1], '大家好，今天的周会开始了。'], [pages[2], 'Hi all, the slides are in Files. 👍🏻'],
                 [pages[0], '收到，谢谢！🎉']];
  for (const [p, text] of lines) {
    await typeChat(p, text);
    await waitFor(pages[0], (s) => linesWith(s, text).length === 1, { what: `chat "${text}"` });
  }
  const main = pages[0];
  // The emoji font is fetched once the emoji are shown (README, Emoji).
  await waitFor(main, (s) => s.chat.every((c) => c.status === 'sent') && s.fonts.emojiFont === 'loaded' &&
                             !s.fonts.rebuildWaiting, { what: 'chat settled, emoji drawn' });
  await main.mouse.move(viewport.width / 2, 2);   // no hover highlight on a widget
  await settled(main);
  const room = await main.screenshot();
  const check = checkRoomScreenshot(room, await getState(main));
  writeFileSync(path.join(outDir, 'room-4.png'), room);
  if (!check.ok) throw new Error(`room-4.png is not really drawn: ${check.problems.join('; ')}`);

  // 2b. The speaker layout (G), chat closed (C): whoever speaks large (the fake microphones beep).
  // A click on the status bar first: the chat box lets go of the keys.
  await main.mouse.click(viewport.width / 2, 10);
  await waitFor(main, () => main.evaluate(textElementFocused).then((f) => !f), { what: 'the chat box let go' });
  await main.keyboard.press('g');
  await main.keyboard.press('c');
  await waitFor(main, (s) => {
    if (s.layout !== 'speaker' || s.activeSpeaker === null) return false;
    const big = s.participants.find((p) => p.id === s.activeSpeaker)?.tile;
    return big && s.participants.every((p) => p.id === s.activeSpeaker || (p.tile && p.tile.w < big.w / 2));
  }, { timeout: 20000, what: 'the active speaker large' });
  await main.mouse.move(viewport.width / 2, 2);
  await settled(main);
  writeFileSync(path.join(outDir, 'speaker.png'), await main.screenshot());

  // 2c. Back to the grid (G); user 2's quality badge opens the plots of the last 60 s.
  await main.keyboard.press('g');
  await waitFor(main, (s) => s.layout === 'grid', { what: 'the grid' });
  await clickRegion(main, 'tile/2/quality');
  await region(main, 'quality/panel');
  await main.mouse.move(viewport.width / 2, 2);
  await settled(main);
  writeFileSync(path.join(outDir, 'quality.png'), await main.screenshot());
  await clickRegion(main, 'quality/close');

  // 2d. The shortcut list ("?", Shift+/), then Esc.
  await main.keyboard.press('Shift+Slash');
  await region(main, 'help');
  await settled(main);
  writeFileSync(path.join(outDir, 'help.png'), await main.screenshot());
  await main.keyboard.press('Escape');

  // 2e. Screen sharing (S): headless Chromium's fake screen is the window itself.
  await main.keyboard.press('s');
  await waitFor(main, (s) => s.self.sharing, { timeout: 10000, what: 'user 1 shares its screen' });
  await settled(main);
  writeFileSync(path.join(outDir, 'share.png'), await main.screenshot());
  await main.keyboard.press('s');
  await waitFor(main, (s) => !s.self.sharing, { timeout: 10000, what: 'user 1 stopped sharing' });

  // 3. The kiosk display (receive-only, names only) of users 1, 2 and 8.
  await pages[2].evaluate(() => window.groupcall.leave());
  const kiosk = await env.page(pageUrl(server, { room: 1, user: 5, kiosk: true }), { name: 'kiosk', viewport });
  await waitFor(kiosk, (s) => seesVideoFrom(s, [1, 2, 8], 10), { timeout: 60000, what: 'kiosk video' });
  await settled(kiosk);
  writeFileSync(path.join(outDir, 'kiosk.png'), await kiosk.screenshot());
  console.log(`screenshots written to ${outDir}: join.png room-4.png speaker.png quality.png help.png share.png kiosk.png`);
} catch (e) {
  failed = true;
  console.error(e);
  await env.fail(e);
  console.error(`artifacts: ${env.dir}`);
} finally {
  await env.close();
}
process.exit(failed ? 1 : 0);
