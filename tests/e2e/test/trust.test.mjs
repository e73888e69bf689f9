// Scenario 21 (issue 11, item 1): a link cannot move the client to another server.
//   (a) Without config.json, `#server=ws://127.0.0.1:<other port>/groupcall&kiosk=1&publish=1`
//       shows an error screen naming that server: no WebSocket is created, getUserMedia is
//       never called, the other port sees no connection. An `upload=` on another origin is
//       refused the same way; "Continue" leads to the join screen with this page's server.
//   (b) With a config.json (served beside index.html from a copy of the web build) listing
//       that server, the same kind of link joins it, and config.json's values are applied.
//   (c) A wss: server on another origin that never answers: the certificate hint names
//       https://host:port/, and its link opens exactly that, with noopener.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  e2eTest, clickRegion, freePort, getRegions, getState, openedWindows, pageUrl, paths, waitFor, waitUntil,
} from '../lib/harness.mjs';

// Every WebSocket and getUserMedia the page makes, counted from before the client starts.
async function instrument(_page, context) {
  await context.addInitScript(() => {
    const calls = { webSockets: [], getUserMedia: 0 };
    Object.defineProperty(window, '__gcTrust', { value: calls });
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url, ...rest) { calls.webSockets.push(String(url)); super(url, ...rest); }
    };
    const md = navigator.mediaDevices;
    if (md && md.getUserMedia) {
      const gum = md.getUserMedia.bind(md);
      md.getUserMedia = (...args) => { calls.getUserMedia++; return gum(...args); };
    }
  });
}
const calls = (page) => page.evaluate(() => ({ ...window.__gcTrust, webSockets: [...window.__gcTrust.webSockets] }));

// A loopback port that counts the TCP connections made to it (and drops them).
function countingListener() {
  return new Promise((resolve, reject) => {
    let count = 0;
    const server = net.createServer((socket) => { count++; socket.destroy(); });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      count: () => count,
      close: () => new Promise((r) => server.close(() => r())),
    }));
  });
}

// A copy of the web build (symlinks) with a config.json beside index.html.
function wwwWithConfig(config) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gc-e2e-www-'));
  for (const name of readdirSync(paths.WWW)) {
    if (name !== 'config.json') symlinkSync(path.join(paths.WWW, name), path.join(dir, name));
  }
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

const names = async (page) => (await getRegions(page)).map((r) => r.name);

e2eTest('21. trust: a link may only pick an allowed server; config.json allows more; self-signed hint', { timeout: 60000 }, async (env) => {
  const web = await env.server({ name: 'web' });
  const other = await countingListener();
  const dirs = [];
  try {
    const foreign = `ws://127.0.0.1:${other.port}/groupcall`;

    // (a) No config.json: the foreign server is refused, in a kiosk that would publish.
    const [kiosk, uploader] = await Promise.all([
      env.page(pageUrl(web, { server: foreign, room: 1, user: 8, kiosk: true, publish: true }),
               { name: 'kiosk-refused', beforeGoto: instrument }),
      env.page(pageUrl(web, { room: 1, user: 3, upload: `http://127.0.0.1:${other.port}/upload` }),
               { name: 'upload-refused', beforeGoto: instrument }),
    ]);
    const k = await waitFor(kiosk, (s) => s.refusedScreen && s, { timeout: 10000, what: 'refused screen' });
    assert.equal(k.refusedServer, foreign);
    assert.equal(k.refusedUpload, null);
    assert.equal(k.phase, 'idle');
    assert.equal(k.config.source, 'none');
    assert.deepEqual(k.config.servers, []);
    const kr = await names(kiosk);
    assert.ok(kr.includes('refused/server'), `names the server: ${kr}`);
    assert.ok(!kr.includes('refused/continue'), 'a kiosk has no button');
    const u = await waitFor(uploader, (s) => s.refusedScreen && s, { timeout: 10000, what: 'refused upload' });
    assert.equal(u.refusedUpload, `http://127.0.0.1:${other.port}/upload`);
    assert.equal(u.refusedServer, null);
    assert.ok((await names(uploader)).includes('refused/upload'));
    // Continue: the join screen, offering this page's own server and upload address.
    await clickRegion(uploader, 'refused/continue');
    const j = await waitFor(uploader, (s) => !s.refusedScreen && s, { timeout: 5000, what: 'join screen' });
    assert.equal(j.form.server, web.wsUrl);
    assert.equal(j.upload.url, '/upload');
    assert.ok((await names(uploader)).includes('join/button'));

    // (b) config.json lists that kind of server (here a real one): the same link joins it.
    const allowed = await env.server({ name: 'allowed', web: null });
    const deadPort = await freePort();
    const dead = `wss://127.0.0.1:${deadPort}/groupcall`;
    const dir = wwwWithConfig({
      servers: [allowed.wsUrl, dead],
      language: 'zh',
      maxFrameBytes: 4096,
      maxLiveSubscriptions: 12,
      kiosk: { publish: false, rotateSeconds: 30 },
      upload: { url: '/upload', field: 'file', urlPath: 'fileUrl' },  // multipart, same server
      unknownKey: true,
    });
    dirs.push(dir);
    const configured = await env.server({ name: 'web-with-config', web: dir });
    const [joiner, certPage] = await Promise.all([
      env.page(pageUrl(configured, { server: allowed.wsUrl, room: 1, user: 8, kiosk: true, publish: true }),
               { name: 'kiosk-allowed', beforeGoto: instrument }),
      env.page(pageUrl(configured, { server: dead, room: 1, user: 2 }), { name: 'self-signed', beforeGoto: instrument }),
    ]);
    const b = await waitFor(joiner, (s) => s.phase === 'in-room' && s, { timeout: 15000, what: 'joined the allowed server' });
    assert.equal(b.server, allowed.wsUrl);
    assert.equal(b.refusedServer, null);
    assert.equal(b.config.source, 'file');
    assert.deepEqual(b.config.servers, [allowed.wsUrl, dead]);
    assert.deepEqual(b.config.problems, ['unknown key "unknownKey" ignored']);
    assert.equal(b.maxFrameBytes, 4096);
    assert.equal(b.maxLiveSubscriptions, 12);
    assert.equal(b.language, 'zh-CN');
    const bc = await calls(joiner);
    assert.ok(bc.webSockets.length >= 1 && bc.webSockets.every((w) => w === allowed.wsUrl), `sockets: ${bc.webSockets}`);
    // publish=1 in the link beats config.json's kiosk default (publish: false).
    await waitUntil(async () => (await calls(joiner)).getUserMedia >= 1, { timeout: 10000, what: 'the camera asked for' });
    await waitFor(joiner, (s) => ['starting', 'live'].includes(s.self.publish), { timeout: 10000, what: 'publishing' });
    // config.json's upload API: a multipart form with the file in `file`.
    await joiner.evaluate(() => window.groupcall.uploadFile(new File(['multipart upload'], 'trust.txt', { type: 'text/plain' })));
    const up = await waitFor(joiner, (s) => s.files.some((f) => f.name === 'trust.txt') && s,
                             { timeout: 10000, what: 'multipart upload announced' });
    assert.deepEqual(up.upload, { url: '/upload', field: 'file', urlPath: 'fileUrl' });
    assert.match(up.files.find((f) => f.name === 'trust.txt').url, /^\/files\/trust/);
    const stats = await allowed.stats();
    assert.ok(stats.roomList.some((r) => r.participants.includes(8)), `user 8 on the allowed server: ${JSON.stringify(stats.roomList)}`);

    // (c) The other allowed server is wss: on another origin and never answers.
    await clickRegion(certPage, 'join/button');
    const c = await waitFor(certPage, (s) => s.error.failure === 'server-unreachable' && s.certificateHint && s,
                            { timeout: 15000, what: 'unreachable with a certificate hint' });
    const certUrl = `https://127.0.0.1:${deadPort}/`;
    assert.equal(c.certificateHint, certUrl);
    await clickRegion(certPage, 'join/certificate');
    let opened = [];
    await waitUntil(async () => (opened = await openedWindows(certPage)).length > 0, { timeout: 5000, what: 'window.open' });
    assert.deepEqual(opened, [[certUrl, '_blank', 'noopener']]);

    // Checked last, after everything above: nothing ever reached the refused server.
    const a = await calls(kiosk);
    assert.deepEqual(a.webSockets, [], 'no WebSocket for a refused server');
    assert.equal(a.getUserMedia, 0, 'no getUserMedia for a refused server');
    assert.equal((await calls(uploader)).getUserMedia, 0);
    assert.equal(other.count(), 0, 'the refused server saw no connection');
    assert.equal((await getState(kiosk)).phase, 'idle');
  } finally {
    await other.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
