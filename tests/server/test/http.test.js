'use strict';
// Uploads, /files, the static web build, /stats, TLS.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const https = require('node:https');
const WebSocket = require('ws');
const { startServer, request, tmpDir } = require('./helpers');
const { safeFileName, contentDisposition, parseMultipart, headerParam } = require('../lib/files');

let server;
let web;
const INLINE = "window.early = '早';";
test.before(async () => {
  web = tmpDir('gc-web-');
  fs.writeFileSync(path.join(web, 'index.html'), `<!doctype html><title>client</title><script>${INLINE}</script><script src="app.js"></script>`);
  fs.writeFileSync(path.join(web, 'plain.html'), '<!doctype html><title>no inline script</title>');
  fs.writeFileSync(path.join(web, 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(web, 'app.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.mkdirSync(path.join(web, 'fonts'));
  fs.writeFileSync(path.join(web, 'fonts', 'NotoSansSC.otf'), 'otf');
  fs.writeFileSync(path.join(web, 'fonts', 'Roboto.ttf'), 'ttf');
  fs.writeFileSync(path.join(web, 'icon.png'), 'png');
  server = await startServer({ web, maxUploadMb: 1 });
});
test.after(async () => { await server.stop(); });

const upload = (name, body, headers = {}) => request(server, 'POST', '/upload', {
  headers: { 'Content-Type': 'application/octet-stream', 'X-File-Name': encodeURIComponent(name), ...headers },
  body,
});

test('raw upload with a UTF-8 name in X-File-Name, served back with RFC 5987 Content-Disposition', async () => {
  const r = await upload('会议纪要 v2.txt', Buffer.from('纪要内容'));
  assert.equal(r.status, 200);
  assert.equal(r.headers['access-control-allow-origin'], '*');
  assert.deepEqual(r.json, { fileUrl: `/files/${encodeURIComponent('会议纪要 v2.txt')}`, fileName: '会议纪要 v2.txt', size: 12 });
  assert.ok(fs.existsSync(path.join(server.testUploads, '会议纪要 v2.txt')));
  const g = await request(server, 'GET', r.json.fileUrl);
  assert.equal(g.status, 200);
  assert.equal(g.body.toString(), '纪要内容');
  assert.equal(g.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(g.headers['content-disposition'],
    `attachment; filename="____ v2.txt"; filename*=UTF-8''${encodeURIComponent('会议纪要 v2.txt')}`);
  assert.equal((await request(server, 'HEAD', r.json.fileUrl)).status, 200);
  assert.equal((await request(server, 'GET', '/files/missing.txt')).status, 404);
});

test('multipart/form-data upload', async () => {
  const boundary = '----gcboundary42';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="照片.png"\r\nContent-Type: image/png\r\n\r\n`),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await request(server, 'POST', '/upload', { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
  assert.equal(r.status, 200);
  assert.equal(r.json.fileName, '照片.png');
  assert.equal(r.json.size, 8);
  const g = await request(server, 'GET', r.json.fileUrl);
  assert.equal(g.headers['content-type'], 'image/png');
  assert.deepEqual(g.body, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const bad = await request(server, 'POST', '/upload', { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: 'junk' });
  assert.equal(bad.status, 400);
});

test('same name twice: never overwritten, a suffix is added', async () => {
  const r1 = await upload('dup.txt', 'first');
  const r2 = await upload('dup.txt', 'second');
  const r3 = await upload('dup.txt', 'third');
  assert.deepEqual([r1.json.fileName, r2.json.fileName, r3.json.fileName], ['dup.txt', 'dup-1.txt', 'dup-2.txt']);
  assert.equal((await request(server, 'GET', r1.json.fileUrl)).body.toString(), 'first');
  assert.equal((await request(server, 'GET', r3.json.fileUrl)).body.toString(), 'third');
});

test('too large: 413 with a JSON error (declared length and streamed body)', async () => {
  const big = Buffer.alloc(1024 * 1024 + 1, 1);
  const r = await upload('big.bin', big);
  assert.equal(r.status, 413);
  assert.equal(r.json.error, 'file too large');
  assert.equal(r.json.maxBytes, 1024 * 1024);
  // Chunked (no Content-Length): refused while streaming.
  const r2 = await new Promise((resolve, reject) => {
    const req = require('node:http').request({
      host: '127.0.0.1', port: server.port, method: 'POST', path: '/upload',
      headers: { 'X-File-Name': 'big2.bin', 'Transfer-Encoding': 'chunked' },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks)) }));
    });
    req.on('error', reject);
    for (let i = 0; i < 5; i++) req.write(Buffer.alloc(256 * 1024, 2));
    req.end();
  });
  assert.equal(r2.status, 413);
  assert.ok(!fs.readdirSync(server.testUploads).some((n) => n.startsWith('big')));
  assert.equal((await upload('ok.bin', Buffer.alloc(1024 * 1024, 3))).status, 200, 'exactly the limit is fine');
});

test('path traversal attempts are neutralised, on upload and on download', async () => {
  const names = ['../../escape.txt', '..\\..\\win.txt', '/etc/passwd', '.hidden', '..', 'a/../../b.txt', 'nul\u0000byte.txt', 'CON'];
  const stored = [];
  for (const n of names) {
    const r = await upload(n, 'x');
    assert.equal(r.status, 200, n);
    stored.push(r.json.fileName);
  }
  assert.deepEqual(stored, ['escape.txt', 'win.txt', 'passwd', 'hidden', 'file', 'b.txt', 'nul_byte.txt', '_CON']);
  for (const n of stored) assert.ok(fs.existsSync(path.join(server.testUploads, n)), n);
  assert.ok(!fs.existsSync(path.join(server.testUploads, '..', 'escape.txt')));
  for (const p of ['/files/..%2F..%2Fpackage.json', '/files/%2e%2e%2fpackage.json', '/files/..%5C..%5Cpackage.json', '/files/%2Fetc%2Fpasswd', '/files/%E0%A4%A', '/files/.upload-x.part']) {
    const r = await request(server, 'GET', p);
    assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
  }
  assert.equal((await upload('', 'x')).status, 400);
  assert.equal((await request(server, 'GET', '/upload')).status, 405);
  const pre = await request(server, 'OPTIONS', '/upload');
  assert.equal(pre.status, 204);
  assert.match(pre.headers['access-control-allow-headers'], /X-File-Name/);
});

test('file name helpers', () => {
  assert.equal(safeFileName('报告 (最终).docx'), '报告 (最终).docx');
  assert.equal(safeFileName('a<b>:"c"|?*.txt'), 'a_b___c____.txt');
  assert.ok(Buffer.byteLength(safeFileName('长'.repeat(200) + '.txt')) <= 180);
  assert.ok(safeFileName('长'.repeat(200) + '.txt').endsWith('.txt'));
  assert.equal(contentDisposition("it's.txt"), "attachment; filename=\"it's.txt\"; filename*=UTF-8''it%27s.txt");
  assert.equal(headerParam("form-data; name=\"f\"; filename*=UTF-8''%E4%BD%A0.txt", 'filename'), '你.txt');
  assert.throws(() => parseMultipart(Buffer.from('x'), 'multipart/form-data'), /boundary/);
});

test('static web build: index at /, MIME types, CSP, no traversal', async () => {
  const idx = await request(server, 'GET', '/');
  assert.equal(idx.status, 200);
  assert.equal(idx.headers['content-type'], 'text/html; charset=utf-8');
  const csp = idx.headers['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  // The page's own inline script (the client's early.js) is allowed by its hash, and only it.
  const hash = require('node:crypto').createHash('sha256').update(INLINE, 'utf8').digest('base64');
  assert.match(csp, new RegExp(`script-src [^;]*'sha256-${hash.replace(/[+/=]/g, '\\$&')}'`));
  assert.equal((csp.match(/'sha256-/g) || []).length, 1, csp);
  assert.doesNotMatch(csp, /unsafe-inline'[^;]*;[^;]*$|script-src[^;]*unsafe-inline/);
  const plain = (await request(server, 'GET', '/plain.html')).headers['content-security-policy'];
  assert.doesNotMatch(plain, /sha256-/, 'a page without inline script allows none');
  assert.doesNotMatch((await request(server, 'GET', '/app.js')).headers['content-security-policy'], /sha256-/);
  assert.match(csp, /connect-src 'self' ws: wss:/);
  assert.match(csp, /media-src 'self' blob: mediastream:/);
  const types = {
    '/app.js': 'text/javascript; charset=utf-8',
    '/app.wasm': 'application/wasm',
    '/fonts/NotoSansSC.otf': 'font/otf',
    '/fonts/Roboto.ttf': 'font/ttf',
    '/icon.png': 'image/png',
    '/index.html': 'text/html; charset=utf-8',
  };
  for (const [p, t] of Object.entries(types)) {
    const r = await request(server, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], t, p);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal((await request(server, 'GET', '/fonts')).status, 301);
  assert.equal((await request(server, 'GET', '/nope.js')).status, 404);
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/fonts/..%2f..%2fpackage.json']) {
    const r = await request(server, 'GET', p);
    assert.ok([400, 404].includes(r.status), `${p} -> ${r.status}`);
  }
  assert.equal((await request(server, 'GET', '/groupcall')).status, 426);
});

test('GET /stats', async () => {
  const r = await request(server, 'GET', '/stats');
  assert.equal(r.status, 200);
  for (const k of ['rooms', 'participants', 'connections', 'rtpPacketsIn', 'rtpPacketsOut', 'publishers', 'subscribers', 'faults']) {
    assert.ok(k in r.json, k);
  }
  assert.ok(r.json.uploads >= 3);
});

test('--tls: self-signed certificate created once, https + wss work', async () => {
  const tlsDir = tmpDir('gc-tls-');
  const s = await startServer({ tls: true, tlsDir });
  try {
    assert.ok(fs.existsSync(path.join(tlsDir, 'cert.pem')));
    const mtime = fs.statSync(path.join(tlsDir, 'cert.pem')).mtimeMs;
    assert.match(s.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise((resolve, reject) => {
      https.get(`${s.baseUrl}/stats`, { rejectUnauthorized: false }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
    });
    assert.equal(status, 200);
    const ws = new WebSocket(s.wsUrl, { rejectUnauthorized: false });
    const reply = await new Promise((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room: 1, userId: 99999 })));
      ws.on('message', (d) => resolve(JSON.parse(d.toString())));
      ws.on('error', reject);
    });
    assert.deepEqual(reply, { type: 'userNotFound' });
    ws.close();
    await s.stop();
    const again = await startServer({ tls: true, tlsDir });
    assert.equal(fs.statSync(path.join(tlsDir, 'cert.pem')).mtimeMs, mtime, 'certificate reused');
    await again.stop();
  } finally {
    if (s.httpServer.listening) await s.stop();
  }
});
