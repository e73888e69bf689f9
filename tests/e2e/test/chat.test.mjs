// Scenarios 5 and 14: chat (Chinese + emoji, exactly once, echo on and off) and IME input.
import assert from 'node:assert/strict';
import { e2eTest, waitFor, waitForAll } from '../lib/harness.mjs';
import { decodePng, forEachPixel } from '../lib/png.mjs';
import { focusChat, linesWith, typeChat } from '../lib/ui.mjs';

const LINE = '大家好 👋 会议开始了 🎉✅ 第3季度';

async function chatExactlyOnce(env, echoChat) {
  const server = await env.server({ echoChat });
  // A call in progress: the sender's video goes to the two others, who join receive-only
  // (media is not what is checked here, and two more publishers cost the run's two cores
  // ~4 s of CPU; see lib/harness.mjs "light rooms").
  const pages = await env.users(server, [1, 2, 3].map((user) => ({ room: 1, user, publish: user === 2 })));
  const [p1, sender, p3] = pages;
  const receivers = [p1, p3];

  await typeChat(sender, LINE);
  // At once, as the sender's own pending (or sent) line.
  await waitFor(sender, (s) => linesWith(s, LINE).length === 1, { timeout: 3000, what: 'own line shown' });
  await waitForAll(receivers, (s) => linesWith(s, LINE).length >= 1, { timeout: 10000, what: 'line arrived' });

  // A second line from the same sender: whatever the server sends for the first line
  // (an echo, a duplicate) comes before anything for the second on the same socket.
  const marker = `marker ${echoChat ? 'echo-on' : 'echo-off'} ✔`;
  await typeChat(sender, marker);
  await waitForAll(receivers, (s) => linesWith(s, marker).length >= 1, { timeout: 10000, what: 'marker arrived' });
  // The sender: with echo on the marker is "sent" once its echo came back; with echo off
  // once the echo timeout passed (5 s). Either way the first line's echo is in by then.
  await waitFor(sender, (s) => linesWith(s, marker).some((c) => c.status === 'sent') &&
                               linesWith(s, LINE).every((c) => c.status === 'sent'),
                { timeout: 15000, what: 'sender lines sent' });

  for (const page of pages) {
    const s = await waitFor(page, (st) => st);
    const lines = linesWith(s, LINE);
    assert.equal(lines.length, 1, `${page.gc.name}: the line exactly once, got ${JSON.stringify(s.chat)}`);
    assert.equal(linesWith(s, marker).length, 1, `${page.gc.name}: the marker exactly once`);
    assert.equal(lines[0].sender, 2, `${page.gc.name}: sender is user 2`);
    assert.equal(lines[0].self, page === sender, `${page.gc.name}: self flag`);
    assert.equal(s.chat.length, 2, `${page.gc.name}: no other chat lines`);
  }
  const stats = await server.stats();
  assert.equal(stats.chatRateLimited, 0);
}

e2eTest('5a. chat: a Chinese + emoji line reaches everyone exactly once (server echo on)', async (env) => {
  await chatExactlyOnce(env, true);
});

e2eTest('5b. chat: a Chinese + emoji line reaches everyone exactly once (server echo off)', async (env) => {
  await chatExactlyOnce(env, false);
});

e2eTest('14. IME: Chinese typed through composition events arrives in chat', async (env) => {
  const server = await env.server();
  const [typist, reader] = await env.users(server, [{ room: 1, user: 5 }, { room: 1, user: 9, publish: false }]);
  await focusChat(typist);
  const cdp = await typist.context().newCDPSession(typist);
  // Pinyin composition: "ni" -> "你", committed; then "hao" composing as 好, committed.
  await cdp.send('Input.imeSetComposition', { text: 'n', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: '你', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.insertText', { text: '你' });
  await cdp.send('Input.imeSetComposition', { text: 'hao', selectionStart: 3, selectionEnd: 3 });
  await cdp.send('Input.imeSetComposition', { text: '好', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.insertText', { text: '好' });
  await cdp.send('Input.imeSetComposition', { text: 'shijie', selectionStart: 6, selectionEnd: 6 });
  await cdp.send('Input.imeSetComposition', { text: '世界', selectionStart: 2, selectionEnd: 2 });
  // The pre-edit text is seen at the caret while composing: the element taking the typing
  // shows it on its light background, above the canvas (nothing clips or covers it).
  const box = await typist.evaluate(() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    return { composing: e.classList.contains('composing'), value: e.value, x: r.x, y: r.y, w: r.width, h: r.height };
  });
  assert.ok(box.composing && box.value.endsWith('世界') && box.w > 4 && box.h > 4, `composing element: ${JSON.stringify(box)}`);
  const shot = decodePng(await typist.screenshot());
  let light = 0;
  forEachPixel(shot, box, (r, g, b) => { if (r > 240 && g > 235 && b > 170 && b < 220) light++; });
  assert.ok(light >= box.w * box.h * 0.2, `the pre-edit text's background is on screen: ${light} of ${Math.round(box.w * box.h)} px`);
  await cdp.send('Input.insertText', { text: '世界' });
  await cdp.detach();
  // Latin typed on the keyboard after the composition, then Enter.
  await typist.keyboard.type('!');
  await typist.keyboard.press('Enter');

  const text = '你好世界!';
  await waitFor(reader, (s) => linesWith(s, text).length === 1, { timeout: 10000, what: `"${text}" arrived` });
  const s = await waitFor(typist, (st) => linesWith(st, text).length === 1 && st, { what: 'own line' });
  assert.equal(s.chat.length, 1, `only the committed line, no pinyin fragments: ${JSON.stringify(s.chat)}`);
  const r = await waitFor(reader, (st) => st);
  assert.equal(r.chat.length, 1, `reader got one line: ${JSON.stringify(r.chat)}`);
  assert.equal(r.chat[0].sender, 5);
});
