'use strict';
// The command line: banner, --port 0, --fault flags, --help, bad options, clean exit on signals.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const WebSocket = require('ws');
const { waitUntil, tmpDir } = require('./helpers');
const { parseArgs } = require('../bin/groupcall-server');

const BIN = path.join(__dirname, '..', 'bin', 'groupcall-server.js');

function startCli(args) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { out.stdout += d; });
  child.stderr.on('data', (d) => { out.stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, out, exited };
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`prints the listening line with the real port, serves /groupcall, exits 0 on ${signal}`, async () => {
    const { child, out, exited } = startCli(['--port', '0', '--uploads', tmpDir(), '--fault', 'duplicate-announce', '--log-level', 'quiet']);
    try {
      const m = await waitUntil(() => /^groupcall-server listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out.stdout),
        { timeout: 10000, what: 'listening line' });
      const port = Number(m[1]);
      assert.ok(port > 0);
      assert.equal(out.stdout.split('\n')[0], `groupcall-server listening on http://127.0.0.1:${port}`, 'the first line');
      assert.match(out.stdout, new RegExp(`ws://127\\.0\\.0\\.1:${port}/groupcall`));
      assert.match(out.stdout, /\/upload/);
      assert.match(out.stdout, /\/stats/);
      assert.match(out.stdout, /duplicate-announce/);
      const ws = new WebSocket(`ws://127.0.0.1:${port}/groupcall`);
      const reply = await new Promise((resolve, reject) => {
        ws.on('open', () => ws.send('{"type":"join","room":1,"userId":1}'));
        ws.on('message', (d) => resolve(JSON.parse(d.toString())));
        ws.on('error', reject);
      });
      assert.deepEqual(reply, { type: 'existingParticipants', participants: [] });
      const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
      child.kill(signal);
      const { code } = await exited;
      assert.equal(code, 0);
      assert.equal(await closed, 1001, 'clients see "going away"');
    } finally {
      child.kill('SIGKILL');
    }
  });
}

test('--help documents every option; bad options exit 2', () => {
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const opt of ['--host', '--port', '--tls', '--users', '--rooms', '--web', '--uploads', '--max-upload-mb', '--echo-chat', '--fault', '--allow-loopback', '--ice-address',
    '--max-frame-bytes', '--max-participants', '--renegotiation', '--bots', '/control/bots', '/control/stall',
    '--control', '--allow-origin', '--join-timeout-ms', '--max-connections-per-ip', '--max-uploads-per-ip', '--upload-quota-mb',
    'delay', 'reorder', 'candidates-before-answer', 'candidate-spelling', 'duplicate-announce', 'drop', 'restart', 'garbage', 'oversized', 'unsafe-file-url']) {
    assert.ok(help.stdout.includes(opt), opt);
  }
  const bad = spawnSync(process.execPath, [BIN, '--bogus'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --bogus/);
  const badFault = spawnSync(process.execPath, [BIN, '--port', '0', '--fault', 'nonsense'], { encoding: 'utf8' });
  assert.equal(badFault.status, 1);
  assert.match(badFault.stderr, /unknown fault/);
  const badUsers = spawnSync(process.execPath, [BIN, '--port', '0', '--users', '/nonexistent.json'], { encoding: 'utf8' });
  assert.equal(badUsers.status, 1);
  assert.match(badUsers.stderr, /cannot read users file/);
});

test('argument parsing', () => {
  const o = parseArgs(['--host=127.0.0.1', '--port', '9000', '--tls', '--echo-chat', 'off', '--fault', 'delay=5', '--fault=reorder',
    '--chat-rate', '3/1.5', '--ice-address', '127.0.0.1', '--ice-port-range', '40000-40100', '--allow-loopback', 'off', '--max-upload-mb', '2.5']);
  assert.equal(o.port, 9000);
  assert.equal(o.tls, true);
  assert.equal(o.echoChat, false);
  assert.deepEqual(o.faults, ['delay=5', 'reorder']);
  assert.deepEqual(o.chatRate, { count: 3, perMs: 1500 });
  assert.deepEqual(o.iceAddresses, ['127.0.0.1']);
  assert.deepEqual(o.icePortRange, [40000, 40100]);
  assert.equal(o.allowLoopback, false);
  assert.equal(o.maxUploadMb, 2.5);
  assert.equal(parseArgs(['--allow-loopback']).allowLoopback, true);
  const sec = parseArgs(['--control', '--join-timeout-ms', '0', '--max-connections-per-ip=8', '--max-uploads-per-ip', '2', '--upload-quota-mb', '0.5']);
  assert.deepEqual([sec.control, sec.joinTimeoutMs, sec.maxConnectionsPerIp, sec.maxUploadsPerIp, sec.uploadQuotaMb], [true, 0, 8, 2, 0.5]);
  assert.equal(parseArgs([]).control, undefined, 'off unless given');
  assert.throws(() => parseArgs(['--max-connections-per-ip', '0']), /--max-connections-per-ip/);
  assert.throws(() => parseArgs(['--upload-quota-mb', '-1']), /--upload-quota-mb/);
  assert.throws(() => parseArgs(['--port', 'x']), /--port/);
  assert.throws(() => parseArgs(['--echo-chat', 'maybe']), /on or off/);
});
