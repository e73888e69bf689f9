'use strict';
// Issue 11, items 9 (origins) and 10 (limits): who may connect, upload and control, and what
// one client can cost the server. Test names start with the item: "origin:" / "limits:".
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const WebSocket = require('ws');
const { startServer, Client, waitUntil, request } = require('./helpers');
const { offerPeer, closeAll } = require('./webrtc');
const { makeLogger } = require('../lib/server');
const { OriginPolicy, hostHeaderAllowed, logSafe, redactFrame } = require('../lib/security');
const { parseArgs } = require('../bin/groupcall-server');

const peers = [];
test.after(async () => { await closeAll(...peers); });

/** The HTTP status of a WebSocket handshake: 101 when it opened (the socket is closed again). */
function upgradeStatus(server, headers = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl, { headers });
    ws.on('open', () => { ws.terminate(); resolve({ status: 101 }); });
    ws.on('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    ws.on('error', (e) => { if (!/Unexpected server response/.test(e.message)) reject(e); });
  });
}

/** A POST whose body is written by the test: {req, response: Promise<{status, json}>}. */
function openPost(server, urlPath, headers) {
  const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: urlPath, headers });
  req.on('error', () => {}); // refused uploads are cut after the answer
  const response = new Promise((resolve) => {
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
  });
  return { req, response };
}

const partFiles = (dir) => fs.readdirSync(dir).filter((n) => n.startsWith('.upload-'));

// ---- item 9: origins --------------------------------------------------------------------

test('origin: policy and Host helpers (own, loopback, --allow-origin, no Origin; DNS rebinding Host values)', () => {
  const p = new OriginPolicy({ scheme: 'http', host: '127.0.0.1', port: 8080, allow: ['https://meet.example.com'] });
  for (const o of [undefined, 'http://127.0.0.1:8080', 'http://localhost:3000', 'https://[::1]:1', 'https://meet.example.com', 'https://MEET.example.com:443']) {
    assert.equal(p.allows(o), true, String(o));
  }
  for (const o of ['http://evil.example', 'null', 'http://127.0.0.1.evil.example', 'http://meet.example.com', 'file://', 'javascript:alert(1)', '']) {
    assert.equal(p.allows(o), false, o);
  }
  assert.throws(() => new OriginPolicy({ scheme: 'http', host: '127.0.0.1', port: 1, allow: ['meet.example.com/path'] }), /allow-origin/);
  const tls = new OriginPolicy({ scheme: 'https', host: 'example.org', port: 8443 });
  assert.equal(tls.allows('https://example.org:8443'), true, 'own origin with --tls');
  assert.equal(tls.allows('http://example.org:8443'), false, 'wrong scheme');
  for (const h of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'LOCALHOST:8080', undefined]) assert.equal(hostHeaderAllowed(h, { scheme: 'http', port: 8080 }), true, String(h));
  for (const h of ['evil.example:8080', '127.0.0.1:8081', '127.0.0.1', 'evil.example', '127.0.0.1:8080/x', 'a@127.0.0.1:8080']) assert.equal(hostHeaderAllowed(h, { scheme: 'http', port: 8080 }), false, h);
  assert.deepEqual(parseArgs(['--allow-origin', 'https://a.example', '--allow-origin=http://b.example:81', '--control']).allowOrigins, ['https://a.example', 'http://b.example:81']);
  assert.throws(() => parseArgs(['--allow-origin', 'a.example']), /--allow-origin/);
});

test('origin: a cross-origin WebSocket upgrade is refused with 403; own, loopback, --allow-origin and no Origin are accepted', async () => {
  const server = await startServer({ allowOrigins: ['https://meet.example.com'] });
  try {
    assert.equal((await upgradeStatus(server, { Origin: 'http://evil.example' })).status, 403);
    assert.equal((await upgradeStatus(server, { Origin: 'null' })).status, 403);
    assert.equal(server.stats().originRefused, 2);
    for (const origin of [server.baseUrl, 'http://localhost:5173', 'http://[::1]:9', 'https://meet.example.com']) {
      assert.equal((await upgradeStatus(server, { Origin: origin })).status, 101, origin);
    }
    assert.equal((await upgradeStatus(server)).status, 101, 'no Origin: not a browser');
    assert.equal(server.stats().originRefused, 2);
    await waitUntil(() => server.stats().connections === 0, { what: 'the accepted test sockets gone' });
    assert.equal(server.groupcall.stats.messagesIn, 0);
  } finally {
    await server.stop();
  }
});

test('origin: POST /upload and /control from another origin get a 403 JSON error; an allowed one gets its origin back in CORS', async () => {
  const server = await startServer();
  try {
    const evil = { Origin: 'http://evil.example', 'X-File-Name': 'x.txt' };
    let r = await request(server, 'POST', '/upload', { headers: evil, body: 'x' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error, 'origin not allowed');
    assert.equal((await request(server, 'OPTIONS', '/upload', { headers: evil })).status, 403, 'preflight too');
    assert.deepEqual(fs.readdirSync(server.testUploads), []);
    r = await request(server, 'POST', '/control/restart', { headers: { Origin: 'http://evil.example' } });
    assert.equal(r.status, 403);
    assert.equal(server.stats().restarts, 0);
    assert.equal(server.stats().originRefused, 3);
    r = await request(server, 'POST', '/upload', { headers: { Origin: server.baseUrl, 'X-File-Name': 'ok.txt' }, body: 'ok' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], server.baseUrl);
    assert.equal((await request(server, 'POST', '/control/restart', { headers: { Origin: 'http://127.0.0.1:1' } })).status, 200);
  } finally {
    await server.stop();
  }
});

test('origin: /control exists only with --control (404 without); /stats then lists no participant ids', async () => {
  const server = await startServer({ control: false });
  const a = await Client.connect(server);
  const b = await Client.connect(server);
  try {
    for (const [m, p] of [['GET', '/control/faults'], ['POST', '/control/restart'], ['POST', '/control/bots'], ['POST', '/control/drop?user=1']]) {
      assert.equal((await request(server, m, p)).status, 404, `${m} ${p}`);
    }
    await a.join(1, 1);
    await b.join(2, 1);
    const [pa, pb] = await Promise.all([offerPeer('sendonly'), offerPeer('recvonly')]);
    peers.push(pa.pc, pb.pc);
    a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: pa.sdp });
    b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: pb.sdp });
    await a.next('receiveVideoAnswer');
    await b.next('receiveVideoAnswer');
    const st = (await request(server, 'GET', '/stats')).json;
    assert.equal(st.control, false);
    assert.equal(st.participants, 2);
    assert.deepEqual(st.roomList, [{ id: 1, count: 2 }]);
    assert.deepEqual(st.endpoints.map((e) => Object.keys(e).sort()), [['role', 'room', 'state'], ['role', 'room', 'state']]);
    assert.ok(!('repeatOffersByUser' in st));
    // Nothing in the whole document is a participant id.
    assert.doesNotMatch(JSON.stringify(st), /"participants":\s*\[|"(owner|viewer|user|users|repeatOffersByUser)":/);
  } finally {
    await a.close();
    await b.close();
    await server.stop();
  }
});

test('origin: bound to loopback, a Host that is not loopback with our port is refused (421, DNS rebinding)', async () => {
  const server = await startServer();
  try {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      assert.equal((await request(server, 'GET', '/stats', { headers: { Host: host } })).status, 421, host);
    }
    assert.equal((await upgradeStatus(server, { Host: `rebind.evil.example:${server.port}` })).status, 421);
    assert.equal((await request(server, 'GET', '/stats', { headers: { Host: `localhost:${server.port}` } })).status, 200);
    assert.equal(server.stats().hostRefused, 4);
  } finally {
    await server.stop();
  }
});

// ---- item 10: limits --------------------------------------------------------------------

test('limits: one subscription per participant per socket: strict closes a repeat with 1011, allow replaces it (two at once leave one endpoint)', async () => {
  for (const renegotiation of ['strict', 'allow']) {
    const server = await startServer({ renegotiation });
    const a = await Client.connect(server);
    const b = await Client.connect(server);
    try {
      await a.join(1, 1);
      await b.join(2, 1);
      const offers = await Promise.all([offerPeer('recvonly'), offerPeer('recvonly')]);
      peers.push(...offers.map((o) => o.pc));
      // Both at once: the second arrives while the first is still negotiating.
      b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[0].sdp });
      b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[1].sdp });
      const feed = server.groupcall.rooms.get(1).get(1).feed;
      if (renegotiation === 'strict') {
        assert.equal((await b.closed).code, 1011);
        assert.equal(server.stats().renegotiationCloses, 1);
        await waitUntil(() => feed.subscribers.size === 0, { what: 'the viewer\'s endpoint released' });
      } else {
        await b.next('receiveVideoAnswer');
        await waitUntil(() => feed.subscribers.size === 1 && server.stats().subscribers === 1,
          { what: () => `one endpoint (feed has ${feed.subscribers.size})` });
        assert.equal(b.closeInfo, null);
        assert.equal(server.stats().repeatOffers, 1);
      }
    } finally {
      await a.close();
      await b.close();
      await server.stop();
    }
  }
});

test('limits: a socket that never joins is closed with 1008 after --join-timeout-ms; counted in /stats', async () => {
  const server = await startServer({ joinTimeoutMs: 150 });
  const idle = await Client.connect(server);
  const denied = await Client.connect(server);
  const joined = await Client.connect(server);
  try {
    assert.equal((await denied.join(99999, 1)).type, 'userNotFound'); // a failed join does not count
    await joined.join(1, 1);
    const [ci, cd] = await Promise.all([idle.closed, denied.closed]);
    assert.deepEqual(ci, { code: 1008, reason: 'join timeout' });
    assert.equal(cd.code, 1008);
    await joined.sync(); // still open well after the timeout
    assert.equal(joined.closeInfo, null);
    assert.equal(server.stats().joinTimeouts, 2);
  } finally {
    await joined.close();
    await server.stop();
  }
});

test('limits: a per-IP connection cap refuses the upgrade with 429; the default allows 40 sockets from one address', async () => {
  const dflt = await startServer();
  const capped = await startServer({ maxConnectionsPerIp: 3 });
  const clients = [];
  try {
    clients.push(...await Promise.all(Array.from({ length: 40 }, () => Client.connect(dflt))));
    assert.equal(dflt.stats().connections, 40);
    assert.equal(dflt.stats().connectionsPerIpRefused, 0);
    const three = await Promise.all([1, 2, 3].map(() => Client.connect(capped)));
    clients.push(...three);
    const r = await upgradeStatus(capped);
    assert.equal(r.status, 429);
    assert.match(r.json.error, /too many connections/);
    assert.equal(capped.stats().connectionsPerIpRefused, 1);
    await three[0].close();
    await waitUntil(async () => (await upgradeStatus(capped)).status === 101, { what: 'a free slot after a close' });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await dflt.stop();
    await capped.stop();
  }
});

test('limits: uploads are streamed to a temporary file (not held in memory), concurrent uploads per IP are capped (429)', async () => {
  const server = await startServer();
  const running = [];
  try {
    const chunk = Buffer.alloc(256 * 1024, 7);
    for (let i = 0; i < 4; i++) {
      const u = openPost(server, '/upload', { 'X-File-Name': `slow${i}.bin`, 'Transfer-Encoding': 'chunked' });
      u.req.write(chunk);
      running.push(u);
    }
    // The bytes sent so far are already on disk, in .upload-*.part files, before the body ends.
    await waitUntil(() => {
      const parts = partFiles(server.testUploads);
      return parts.length === 4 && parts.every((n) => fs.statSync(path.join(server.testUploads, n)).size === chunk.length);
    }, { what: 'four partial files of 256 KiB' });
    const fifth = openPost(server, '/upload', { 'X-File-Name': 'fifth.bin', 'Content-Length': 1 });
    fifth.req.end('x');
    const r5 = await fifth.response;
    assert.equal(r5.status, 429);
    assert.equal(r5.json.maxUploadsPerIp, 4);
    assert.equal(server.stats().uploadsPerIpRefused, 1);
    // Multipart is streamed the same way.
    for (const u of running) u.req.end(chunk);
    for (const u of running) assert.equal((await u.response).status, 200);
    assert.deepEqual(partFiles(server.testUploads), []);
    // An upload cut off midway leaves no partial file and gives its slot back.
    const cut = openPost(server, '/upload', { 'X-File-Name': 'cut.bin', 'Transfer-Encoding': 'chunked' });
    cut.req.write(chunk);
    await waitUntil(() => partFiles(server.testUploads).length === 1, { what: 'the partial file' });
    cut.req.destroy();
    await waitUntil(() => partFiles(server.testUploads).length === 0 && server.uploadsByIp.size === 0 && server.quota.reserved === 0,
      { what: 'the cut upload cleaned up' });
    const boundary = 'gcB';
    const mp = openPost(server, '/upload', { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' });
    mp.req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="streamed.bin"\r\n\r\n`);
    mp.req.write(chunk);
    await waitUntil(() => partFiles(server.testUploads).some((n) => fs.statSync(path.join(server.testUploads, n)).size >= chunk.length - 64),
      { what: 'the multipart file part on disk' });
    mp.req.end(`\r\n--${boundary}--\r\n`);
    const r = await mp.response;
    assert.equal(r.status, 200);
    assert.equal(r.json.size, chunk.length);
    assert.deepEqual(fs.readFileSync(path.join(server.testUploads, 'streamed.bin')), chunk);
  } finally {
    for (const u of running) u.req.destroy();
    await server.stop();
  }
});

test('limits: uploads past --upload-quota-mb get 507 (declared or streamed), nothing partial is left; files removed by hand free space', async () => {
  const server = await startServer({ uploadQuotaMb: 1 });
  try {
    const up = (name, size) => request(server, 'POST', '/upload', { headers: { 'X-File-Name': name }, body: Buffer.alloc(size, 1) });
    assert.equal((await up('a.bin', 700 * 1024)).status, 200);
    let r = await up('b.bin', 400 * 1024);
    assert.equal(r.status, 507);
    assert.equal(r.json.quotaBytes, 1024 * 1024);
    const chunked = openPost(server, '/upload', { 'X-File-Name': 'c.bin', 'Transfer-Encoding': 'chunked' });
    for (let i = 0; i < 4; i++) chunked.req.write(Buffer.alloc(100 * 1024, 2));
    chunked.req.end();
    assert.equal((await chunked.response).status, 507);
    assert.deepEqual(fs.readdirSync(server.testUploads), ['a.bin'], 'no partial or refused file');
    assert.equal(server.stats().uploadQuotaRefused, 2);
    assert.equal(server.stats().uploadDiskBytes, 700 * 1024);
    fs.unlinkSync(path.join(server.testUploads, 'a.bin'));
    r = await up('b.bin', 400 * 1024);
    assert.equal(r.status, 200);
    assert.equal(server.stats().uploadDiskBytes, 400 * 1024);
  } finally {
    await server.stop();
  }
});

test('limits: the chat rate limit is kept per user id, so reconnecting does not reset it', async () => {
  const server = await startServer({ chatRate: { count: 3, perMs: 60000 } });
  const first = await Client.connect(server);
  let second;
  try {
    await first.join(6, 1);
    for (let i = 0; i < 3; i++) first.send({ type: 'sendMessage', message: `m${i}` });
    await first.sync();
    assert.equal(first.messages().filter((m) => m.type === 'reciveTextMessage').length, 3);
    await first.close();
    second = await Client.connect(server);
    await second.join(6, 1);
    second.send({ type: 'sendMessage', message: 'after reconnect' });
    second.send({ type: 'uploadSuccess', fileName: 'f', fileUrl: '/files/f' });
    await second.sync();
    assert.deepEqual(second.messages().filter((m) => m.type === 'reciveTextMessage' || m.type === 'fileUploaded'), []);
    assert.equal(server.stats().chatRateLimited, 2);
    const other = await Client.connect(server); // another user has its own allowance
    await other.join(7, 1);
    other.send({ type: 'sendMessage', message: 'hi' });
    assert.equal((await other.next('reciveTextMessage')).message, 'hi');
    await other.close();
  } finally {
    await second?.close();
    await server.stop();
  }
});

test('limits: log lines escape control characters; the password is never logged, even at debug level', async () => {
  const lines = [];
  const sink = { log: (l) => lines.push(l), error: (l) => lines.push(l) };
  const server = await startServer({ logger: makeLogger('debug', sink), logLevel: 'debug' });
  const a = await Client.connect(server);
  try {
    assert.equal((await a.join(1, 2, 'hunter2-wrong')).type, 'permisionDeny');
    assert.equal((await a.join(1, 2, 'secret')).type, 'existingParticipants');
    a.send('{"type":"join","room":2,"userId":1,"pw":"secret'); // invalid JSON: logged, redacted
    a.send('{"type":"join","room":2,"userId":1,"\\u0070w":"secret"'); // a key behind an escape
    a.send({ type: 'join', room: 1, userId: 'x\n12:00:00.000 user 1 is admin\u001b[2J\u202e' });
    await a.next('userNotFound');
    await request(server, 'POST', '/upload', { headers: { 'X-File-Name': encodeURIComponent('evil\r\nFAKE LINE.txt') }, body: 'x' });
    a.send('not json\n12:00:00.000 FORGED\u001b[31m'); // raw control characters reach the logger as they are
    await a.sync();
    a.ws.close(1000, 'bye\n12:00:00.000 FORGED');
    await a.closed;
    await waitUntil(() => lines.some((l) => l.includes('closed (1000')), { what: 'the close logged' });
    const text = lines.join('\n');
    assert.ok(lines.some((l) => l.includes('debug') && l.includes('"pw":"[redacted]"')), 'the debug frame log shows the frame, pw redacted');
    assert.doesNotMatch(text, /secret|hunter2/);
    // eslint-disable-next-line no-control-regex
    for (const l of lines) assert.doesNotMatch(l, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, l);
    // JSON.stringify escapes \n and ESC in the id it logs; logSafe the rest (U+202E).
    assert.ok(lines.some((l) => /join: user .*x\\n12:00:00\.000 user 1 is admin\\u001b\[2J\\u202e.* not found/.test(l)), 'escaped, on one line');
    assert.ok(lines.some((l) => l.includes('evil\\r\\nFAKE LINE.txt')));
    assert.ok(lines.some((l) => l.includes('invalid JSON dropped') && l.includes('not json\\n12:00:00.000 FORGED\\x1b[31m')));
    assert.ok(lines.some((l) => l.includes('closed (1000 bye\\n12:00:00.000 FORGED)')));
    assert.equal(logSafe(logSafe('a\n\u2028')), 'a\\n\\u2028', 'idempotent');
    assert.equal(redactFrame('{"pw":"x","a":{"password":"y"}}', { pw: 'x', a: { password: 'y' } }), '{"pw":"[redacted]","a":{"password":"[redacted]"}}');
  } finally {
    await a.close();
    await server.stop();
  }
});
