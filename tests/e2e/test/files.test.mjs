// Scenarios 6, 7 and 15: a 2 MB upload through the file chooser, an oversized upload
// dropped on the page, and an unsafe fileUrl from a faulty server.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  e2eTest, clickRegion, getRegions, getState, openedWindows, participant, seesVideoFrom, waitFor,
  waitForAll, waitUntil,
} from '../lib/harness.mjs';
import { linesWith, openFiles, typeChat } from '../lib/ui.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** The page's SHA-256 of what fetching url gives (relative to the page). */
function fetchHash(page, url) {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    if (!res.ok) return `HTTP ${res.status}`;
    const digest = await crypto.subtle.digest('SHA-256', await res.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, url);
}

/** The region of the (only) shared file entry in the files panel. */
async function fileRegion(page) {
  await openFiles(page);
  let r;
  await waitUntil(async () => { r = (await getRegions(page)).find((x) => /^file\/\d+$/.test(x.name)); return r; },
                  { timeout: 5000, what: `${page.gc.name}: a file entry drawn` });
  return r;
}

/** Clicks r and waits until the app drew two more frames (it has handled the click). */
async function clickAndSettle(page, r) {
  const before = (await getState(page)).framesDrawn;
  await page.mouse.click(r.x + Math.min(20, r.w / 2), r.y + r.h / 2);
  await waitFor(page, (s) => s.framesDrawn >= before + 2, { timeout: 5000, what: 'frames after the click' });
}

e2eTest('6. file: a 2 MB file uploaded through the file chooser reaches everyone, bytes identical', async (env) => {
  const server = await env.server();
  // The uploader publishes; the two receivers join receive-only (a light room, see
  // lib/harness.mjs): the upload runs beside a call's media without five more streams.
  const pages = await env.users(server, [1, 2, 3].map((user) => ({ room: 1, user, publish: user === 1 })));
  const [uploader, ...receivers] = pages;
  const bytes = randomBytes(2 * 1024 * 1024);
  const name = '季度报告 Q3 📊.bin';

  await openFiles(uploader);
  const [chooser] = await Promise.all([
    uploader.waitForEvent('filechooser', { timeout: 10000 }),
    clickRegion(uploader, 'files/upload'),       // the real Upload button opens the chooser
  ]);
  await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });

  // Progress is reported on the way and reaches 100 %.
  const seen = new Set();
  const up = await waitFor(uploader, (s) => {
    for (const u of s.uploads) seen.add(`${u.state}:${u.percent}`);
    const u = s.uploads.find((x) => x.name === name);
    if (u && u.state === 'failed') throw new Error(`upload failed: ${u.error}`);
    return u && u.state === 'done' && u;
  }, { timeout: 60000, interval: 50, what: 'upload done' });
  assert.equal(up.percent, 100, `final percent ${up.percent}`);
  assert.equal(up.size, bytes.length);

  // The link appears for everyone (the uploader too), linkable, the same URL.
  const files = await waitForAll(pages, (s) => {
    const f = s.files.filter((x) => x.name === name);
    return f.length === 1 && !f[0].pending && f[0];
  }, { timeout: 10000, what: 'shared file listed once' });
  for (const [i, f] of files.entries()) {
    assert.equal(f.linkable, true, `${pages[i].gc.name}: linkable`);
    assert.match(f.url, /^\/files\//);
    assert.equal(f.url, files[0].url);
    assert.equal(f.uploader, 1);
  }
  // The stored file and what each page downloads are the same bytes.
  const stored = await readFile(`${server.uploadsDir}/${decodeURIComponent(files[0].url.slice('/files/'.length))}`);
  assert.equal(sha256(stored), sha256(bytes), 'stored bytes');
  for (const page of pages) assert.equal(await fetchHash(page, files[0].url), sha256(bytes), `${page.gc.name}: fetched bytes`);

  // Clicking the link in the files panel opens it in a new tab with noopener, and the
  // browser downloads exactly the uploaded bytes.
  const receiver = receivers[0];
  const r = await fileRegion(receiver);
  const download = new Promise((resolve) => {
    receiver.context().on('page', (popup) => popup.on('download', resolve));
    receiver.on('download', resolve);
  });
  await receiver.mouse.click(r.x + Math.min(20, r.w / 2), r.y + r.h / 2);
  const opened = await waitUntil(async () => (await openedWindows(receiver))[0], { timeout: 5000, what: 'window.open' });
  // The link opens the fileUrl resolved against the page (a relative path stays a link).
  assert.equal(opened[0], new URL(files[0].url, receiver.url()).href);
  assert.equal(opened[1], '_blank');
  assert.match(opened[2], /noopener/);
  const dl = await Promise.race([download, new Promise((_, rej) => setTimeout(() => rej(new Error('no download')), 15000))]);
  const got = await readFile(await dl.path());
  assert.equal(sha256(got), sha256(bytes), 'downloaded bytes');
  assert.equal(dl.suggestedFilename(), name);
});

e2eTest('7. an oversized upload (dropped on the page) shows a clear error and the call goes on', async (env) => {
  const server = await env.server({ maxUploadMb: 1 });
  const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2 }]);
  await waitFor(a, (s) => seesVideoFrom(s, [2]), { timeout: 30000, what: 'call up' });
  await waitFor(b, (s) => seesVideoFrom(s, [1]), { timeout: 30000, what: 'call up' });
  await openFiles(a);

  // Drag-and-drop of a 2 MiB file onto the page (limit 1 MiB).
  await a.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(2 * 1024 * 1024).fill(7)], 'too-big.bin', { type: 'application/octet-stream' }));
    const target = document.getElementById('canvas');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  });
  const up = await waitFor(a, (s) => {
    const u = s.uploads.find((x) => x.name === 'too-big.bin');
    return u && u.state !== 'queued' && u.state !== 'uploading' && u;
  }, { timeout: 20000, what: 'upload finished' });
  assert.equal(up.state, 'failed');
  assert.match(up.error, /413|too large/i, `error says why: ${up.error}`);
  // The error is drawn in the files panel.
  await waitUntil(async () => (await getRegions(a)).some((r) => r.name === `upload/${up.id}/error`),
                  { timeout: 5000, what: 'upload error drawn' });

  // The call goes on: still in the room, video still decoding, chat still works.
  const before = await Promise.all([a, b].map((p) => getState(p)));
  await waitFor(a, (s) => s.phase === 'in-room' && participant(s, 2).framesDecoded > participant(before[0], 2).framesDecoded,
                { timeout: 10000, what: 'a still decodes b' });
  await waitFor(b, (s) => s.phase === 'in-room' && participant(s, 1).framesDecoded > participant(before[1], 1).framesDecoded,
                { timeout: 10000, what: 'b still decodes a' });
  await typeChat(a, 'still here 还在');
  await waitFor(b, (s) => linesWith(s, 'still here 还在').length === 1, { timeout: 10000, what: 'chat after the failed upload' });
  for (const p of [a, b]) assert.equal((await getState(p)).files.length, 0, 'nothing was shared');
  assert.equal((await server.stats()).uploads, 0);
});

e2eTest('15. an unsafe fileUrl (javascript:) from a faulty server is shown but not clickable', async (env) => {
  const server = await env.server({ faults: ['unsafe-file-url=javascript:alert(1)'] });
  const [a, b] = await env.users(server, [{ room: 1, user: 1 }, { room: 1, user: 2, publish: false }]);
  const dialogs = [];
  for (const p of [a, b]) p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const popups = [];
  for (const p of [a, b]) p.context().on('page', (pg) => popups.push(pg.url()));

  await a.evaluate(() => window.groupcall.uploadFile(new File(['hello'], 'evil.txt', { type: 'text/plain' })));
  const f = await waitFor(b, (s) => s.files.find((x) => x.name === 'evil.txt'), { timeout: 15000, what: 'file announced' });
  assert.equal(f.url, 'javascript:alert(1)');
  assert.equal(f.linkable, false);

  // Shown in the list, and a click on it does nothing.
  const r = await fileRegion(b);
  assert.ok(r.w > 0 && r.h > 0);
  await clickAndSettle(b, r);
  // The uploader's list also holds the announced (unsafe) entry; clicking it is inert too.
  const own = await waitFor(a, (s) => s.files.find((x) => x.url === 'javascript:alert(1)'), { what: 'unsafe entry at the uploader' });
  assert.equal(own.linkable, false);
  assert.deepEqual(await openedWindows(b), []);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(popups, []);
  assert.equal((await getState(b)).phase, 'in-room');
});
