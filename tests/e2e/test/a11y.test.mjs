// Issue 14: the accessibility mirror. 25 Chromium's own accessibility tree (CDP
// Accessibility.getFullAXTree) on the join screen and in a room: roles and names; axe-core
// in the page on both with no serious or critical violation. 26 keyboard only: Tab to
// Join, join, send a chat line, leave, with nothing but key presses.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { e2eTest, getRegions, pageUrl, paths, settle, waitFor, waitUntil } from '../lib/harness.mjs';
import { decodePng, forEachPixel } from '../lib/png.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** [{role, name}] of what Chromium exposes (ignored nodes left out). */
async function axNodes(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((n) => !n.ignored).map((n) => ({ role: n.role?.value, name: n.name?.value ?? '' }));
  } finally {
    await cdp.detach();
  }
}

function hasNode(nodes, role, name) {
  return nodes.some((n) => n.role === role && (name instanceof RegExp ? name.test(n.name) : n.name === name));
}

async function waitAx(page, role, name, what) {
  let last = [];
  await waitUntil(async () => hasNode((last = await axNodes(page)), role, name), {
    timeout: 15000, what: `${what}: ${role} "${name}"`,
  }).catch((e) => {
    throw new Error(`${e.message}\nAX nodes: ${JSON.stringify(last.filter((n) => n.name).slice(0, 80))}`);
  });
  return last;
}

/** axe-core in the page: the serious and critical violations. */
async function axeSerious(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.dataset?.gcA11y || document.activeElement?.id || '');

/** Presses Tab until the mirror's control `id` has the focus (at most `max` presses). */
async function tabTo(page, id, max = 40) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const now = await focusedId(page);
    if (now === id) return seen;
    await page.keyboard.press('Tab');
    seen.push(await focusedId(page));
  }
  throw new Error(`Tab never reached ${id}; focus went ${seen.join(' -> ')}`);
}

e2eTest('25. accessibility tree and axe-core: the join screen and a room', async (env) => {
  const server = await env.server();
  const page = await env.page(pageUrl(server, { room: 1, user: 1 }), { name: 'user1' });

  let ax = await waitAx(page, 'button', 'Join', 'join screen');
  for (const name of ['Server', 'Room', 'User ID', 'Password']) assert.ok(hasNode(ax, 'textbox', name), `textbox ${name}`);
  assert.ok(hasNode(ax, 'button', '中文'), 'language switch');
  assert.ok(hasNode(ax, 'heading', 'Join a meeting'), 'heading');
  assert.deepEqual(await axeSerious(page), [], 'axe on the join screen');

  // The form's Join, pressed through the mirror (Enter on its button).
  await page.focus('[data-gc-a11y="join/button"]');
  await page.keyboard.press('Enter');
  await waitFor(page, (s) => s.phase === 'in-room', { what: 'in the room' });
  ax = await waitAx(page, 'button', 'Leave', 'room');
  for (const name of ['Mute', 'Stop video', 'Share screen', 'Devices', 'Chat', 'Files', '中文'])
    assert.ok(hasNode(ax, 'button', name), `button ${name}`);
  assert.ok(hasNode(ax, 'list', /^Participants \(1\)$/), 'participants list');
  assert.ok(hasNode(ax, 'StaticText', /^You, /), 'own entry');  // a list item is named by nothing, its text is read
  assert.ok(hasNode(ax, 'log', 'Chat history'), 'chat log');
  const log = await page.evaluate(() => {
    const el = document.querySelector('[data-gc-a11y="chat/history"]');
    return { role: el.getAttribute('role'), live: el.getAttribute('aria-live') };
  });
  assert.deepEqual(log, { role: 'log', live: 'polite' });
  assert.deepEqual(await axeSerious(page), [], 'axe in the room');

  // Chinese: every name follows the language switch.
  await page.focus('[data-gc-a11y="language"]');
  await page.keyboard.press('Enter');
  ax = await waitAx(page, 'button', '离开', 'room in Chinese');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

  // The system's forced colours and reduced motion (emulated as Chromium does for the
  // media queries): the high-contrast theme is drawn, black grounds and white text.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setEmulatedMedia', {
    features: [{ name: 'forced-colors', value: 'active' }, { name: 'prefers-reduced-motion', value: 'reduce' }],
  });
  await waitFor(page, (s) => s.a11y.highContrast && s.a11y.reducedMotion, { what: 'high contrast and reduced motion on' });
  await settle(page);
  const png = await page.screenshot();
  mkdirSync(paths.OUT, { recursive: true });
  writeFileSync(path.join(paths.OUT, 'a11y-high-contrast.png'), png);
  const img = decodePng(png);
  const regions = await getRegions(page);
  const bar = regions.find((r) => r.name === 'controls/leave');
  assert.ok(bar, 'Leave drawn');
  // The controls bar's ground left of its buttons is black; the buttons' labels are white.
  let ground = 0, black = 0, white = 0, n = 0;
  forEachPixel(img, { x: 2, y: bar.y + bar.h / 2 - 2, w: 6, h: 4 }, (r, g, b) => { ground++; if (r + g + b === 0) black++; });
  forEachPixel(img, bar, (r, g, b) => { n++; if (r > 240 && g > 240 && b > 240) white++; });
  assert.equal(black, ground, 'black ground beside the controls');
  assert.ok(white > n * 0.02, `white label and outline on Leave (${white} of ${n} pixels)`);
});

e2eTest('26. keyboard only: Tab to Join, join, send a chat line, leave', async (env) => {
  const server = await env.server();
  const page = await env.page(pageUrl(server, { room: 1, user: 2 }), { name: 'user2' });
  await waitFor(page, () => page.evaluate(() => !!document.querySelector('[data-gc-a11y="join/button"]')),
                { what: 'mirror built' });

  await tabTo(page, 'join/button');
  await page.keyboard.press('Enter');
  await waitFor(page, (s) => s.phase === 'in-room', { what: 'joined by keyboard' });

  // A 960-px page opens the room with the side panel closed: Chat opens it.
  await tabTo(page, 'controls/chat');
  await page.keyboard.press('Enter');
  await waitFor(page, () => page.evaluate(() => !!document.querySelector('[data-gc-a11y="chat/input"]')),
                { what: 'the chat box in the mirror' });
  await tabTo(page, 'chat/input');
  await waitFor(page, (s) => s.a11y.focus === 'chat/input', { what: 'the canvas knows the focus' });
  const line = 'typed with the keyboard only';
  await page.keyboard.insertText(line);
  await waitFor(page, () => page.evaluate(() => document.activeElement?.value), { what: 'the field shows the text' })
    .then((v) => assert.equal(v, line));
  await page.keyboard.press('Enter');
  await waitFor(page, (s) => s.chat.some((c) => c.text === line && c.self), { what: 'the line is in the chat' });

  // A popup takes the focus when it opens and gives it back to its opener when it closes:
  // Devices opens its menu (the fake camera and microphone), Esc closes it.
  await tabTo(page, 'controls/devices');
  await page.keyboard.press('Enter');
  await waitFor(page, async () => /^(camera|mic)\/\d+$/.test(await focusedId(page) || ''),
                { what: 'the focus on the devices menu\'s first entry' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'menuitem');
  await waitFor(page, (s) => /^(camera|mic)\//.test(s.a11y.focus || ''), { what: 'the canvas rings the entry' });
  await page.keyboard.press('Escape');
  await waitFor(page, async () => (await focusedId(page)) === 'controls/devices' &&
                  !(await page.evaluate(() => !!document.querySelector('[data-gc-a11y^="camera/"]'))),
                { what: 'the menu closed and the focus back on Devices' });

  await tabTo(page, 'controls/leave');
  await waitFor(page, (s) => s.a11y.focus === 'controls/leave', { what: 'focus ring on Leave' });
  await page.screenshot({ path: `${env.outDir || '/tmp'}/a11y-focus-ring.png` });
  await page.keyboard.press('Space');
  await waitFor(page, (s) => s.phase === 'left', { what: 'left by keyboard' });
});
