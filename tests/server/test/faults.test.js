'use strict';
// Every fault switch, by --fault flag (constructor option) and by the control endpoint.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, waitUntil, request } = require('./helpers');
const { offerPeer, closeAll } = require('./webrtc');
const { Faults, GARBAGE_KINDS } = require('../lib/faults');
const { isLoopbackRemote } = require('../lib/server');

const open = [];
async function withServer(options, fn) {
  const server = await startServer(options);
  const clients = [];
  const connect = async () => { const c = await Client.connect(server); clients.push(c); return c; };
  try {
    await fn(server, connect);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.stop();
  }
}
test.after(async () => { await closeAll(...open); });

const control = (server, method, path, body) => request(server, method, path, body === undefined ? {} : {
  headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
});

test('fault flag parsing: names, values, errors', () => {
  const f = new Faults();
  f.setSpec('delay=150');
  f.setSpec('candidate-spelling');
  f.setSpec('drop=3@250');
  f.setSpec('garbage=not-json,binary');
  assert.equal(f.get('delay'), 150);
  assert.equal(f.get('candidate-spelling'), true);
  assert.deepEqual(f.get('drop'), { user: 3, afterMs: 250 });
  assert.deepEqual(f.get('garbage'), ['not-json', 'binary']);
  f.setSpec('garbage');
  assert.deepEqual(f.get('garbage'), GARBAGE_KINDS);
  assert.equal(f.get('unsafe-file-url'), undefined);
  f.setSpec('unsafe-file-url');
  assert.equal(f.get('unsafe-file-url'), 'javascript:alert(1)');
  assert.throws(() => f.setSpec('no-such-fault'), /unknown fault/);
  assert.throws(() => f.setSpec('delay=soon'), /delay/);
  assert.throws(() => f.setSpec('garbage=confetti'), /unknown kind/);
  f.set('candidate-spelling', false);
  assert.equal(f.has('candidate-spelling'), false);
  f.clear();
  assert.deepEqual(f.toJSON(), {});
});

test('delay=MS delays every outgoing message, order kept', async () => {
  await withServer({ faults: ['delay=300'] }, async (server, connect) => {
    const a = await connect();
    const t0 = Date.now();
    a.send({ type: 'join', room: 1, userId: 1 });
    a.send({ type: 'nope' });
    await a.next('existingParticipants');
    assert.ok(Date.now() - t0 >= 280, `answered after ${Date.now() - t0} ms`);
    await a.next('unrecognizedMessage');
    assert.deepEqual(a.messages().map((m) => m.type), ['existingParticipants', 'unrecognizedMessage']);
  });
});

test('reorder=MS sends each held batch in reverse order', async () => {
  await withServer({ faults: ['reorder=300'] }, async (server, connect) => {
    const a = await connect();
    a.send({ type: 'join', room: 1, userId: 1 });
    for (const m of ['one', 'two', 'three']) a.send({ type: 'sendMessage', message: m });
    await waitUntil(() => a.messages().length === 4, { what: 'four messages' });
    assert.deepEqual(a.messages().map((m) => m.message || m.type), ['three', 'two', 'one', 'existingParticipants']);
  });
});

test('candidates-before-answer and candidate-spelling, via the control endpoint', async () => {
  await withServer({}, async (server, connect) => {
    let r = await control(server, 'POST', '/control/fault', { 'candidates-before-answer': true });
    assert.equal(r.status, 200);
    r = await control(server, 'POST', '/control/fault?name=candidate-spelling');
    assert.deepEqual(r.json.faults, { 'candidates-before-answer': true, 'candidate-spelling': true });
    const a = await connect();
    await a.join(1, 1);
    const { pc, sdp } = await offerPeer('sendonly');
    open.push(pc);
    a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: sdp });
    const first = await a.next((m) => m.type === 'iceCandidate' || m.type === 'receiveVideoAnswer');
    assert.equal(first.type, 'iceCandidate', 'candidate first');
    assert.equal(first.candicate, undefined);
    assert.match(first.candidate.candidate, /^candidate:/, 'spelt `candidate`');
    await a.next('receiveVideoAnswer');
    r = await control(server, 'DELETE', '/control/fault');
    assert.deepEqual(r.json.faults, {});
    assert.deepEqual((await request(server, 'GET', '/control/faults')).json.faults, {});
  });
});

test('duplicate-announce sends newParticipantArrived twice', async () => {
  await withServer({ faults: ['duplicate-announce'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    const b = await connect();
    await b.join(2, 1);
    await a.next('newParticipantArrived');
    const again = await a.next('newParticipantArrived');
    assert.equal(again.participant.id, 2);
  });
});

test('drop: by control (POST /control/drop?user=N) and by flag (drop=USER@MS)', async () => {
  await withServer({}, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    const b = await connect();
    await b.join(2, 1);
    const r = await request(server, 'POST', '/control/drop?user=1');
    assert.deepEqual(r.json, { dropped: 1 });
    assert.equal((await a.closed).code, 4001);
    assert.equal((await b.next('participantLeft')).userId, 1);
    assert.equal((await request(server, 'POST', '/control/drop')).status, 400);
  });
  await withServer({ faults: ['drop=2@50'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    const b = await connect();
    await b.join(2, 1);
    assert.equal((await b.closed).code, 4001);
    assert.equal((await a.next('participantLeft')).userId, 2);
    assert.equal(a.closeInfo, null, 'user 1 is not dropped');
  });
});

test('restart: drops everyone and forgets rooms, by control and by flag', async () => {
  await withServer({}, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    const b = await connect();
    await b.join(2, 2, 'secret');
    const r = await request(server, 'POST', '/control/restart');
    assert.deepEqual(r.json, { dropped: 2 });
    assert.equal((await a.closed).code, 4002);
    assert.equal((await b.closed).code, 4002);
    assert.ok(!a.messages().some((m) => m.type === 'participantLeft'), 'no participantLeft on restart');
    assert.equal(server.stats().rooms, 0);
    const c = await connect();
    assert.deepEqual(await c.join(1, 1), { type: 'existingParticipants', participants: [] });
  });
  await withServer({ faults: ['restart=300'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    assert.equal((await a.closed).code, 4002);
    assert.ok(server.stats().restarts >= 1);
  });
});

test('garbage: a garbage frame after every message (flag), or on demand (control)', async () => {
  await withServer({ faults: ['garbage=not-json,binary,deep'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    a.send({ type: 'x' });
    await a.next('unrecognizedMessage');
    await waitUntil(() => a.frames.length >= 4, { what: 'garbage frames' });
    const [, g1, , g2] = a.frames;
    assert.equal(g1.json, undefined);
    assert.match(g1.text, /this is not json/);
    assert.equal(g2.binary, true);
  });
  await withServer({}, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    let r = await request(server, 'POST', '/control/garbage?user=1&kind=wrong-types');
    assert.deepEqual(r.json, { sentTo: 1 });
    await a.next((m) => m.type === 'participantLeft' && typeof m.userId === 'object');
    r = await request(server, 'POST', '/control/garbage?user=1');
    await waitUntil(() => a.frames.length >= 2 + GARBAGE_KINDS.length, { what: 'every garbage kind' });
    assert.equal((await request(server, 'POST', '/control/garbage?kind=confetti')).status, 400);
  });
});

test('oversized: a frame over 1 MiB after existingParticipants (flag), or on demand (control)', async () => {
  await withServer({ faults: ['oversized'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    await waitUntil(() => a.frames.length >= 2, { what: 'oversized frame' });
    assert.ok(a.frames[1].size > 1024 * 1024);
    assert.equal(a.frames[1].json.type, 'reciveTextMessage');
  });
  await withServer({}, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    const r = await request(server, 'POST', '/control/oversized?user=1&bytes=2000000');
    assert.deepEqual(r.json, { sentTo: 1 });
    await waitUntil(() => a.frames.length >= 2, { what: 'oversized frame' });
    assert.equal(a.frames[1].size, 2000000);
  });
});

test('unsafe-file-url replaces fileUrl with javascript:alert(1)', async () => {
  await withServer({ faults: ['unsafe-file-url'] }, async (server, connect) => {
    const a = await connect();
    await a.join(1, 1);
    a.send({ type: 'uploadSuccess', fileName: 'x.txt', fileUrl: '/files/x.txt' });
    assert.equal((await a.next('fileUploaded')).fileUrl, 'javascript:alert(1)');
    await control(server, 'POST', '/control/fault', { clear: true });
    a.send({ type: 'uploadSuccess', fileName: 'x.txt', fileUrl: '/files/x.txt' });
    assert.equal((await a.next('fileUploaded')).fileUrl, '/files/x.txt');
  });
});

test('control endpoint: bad requests answered 400/404, loopback-only check', async () => {
  await withServer({}, async (server) => {
    assert.equal((await control(server, 'POST', '/control/fault', { 'no-such': 1 })).status, 400);
    assert.equal((await request(server, 'POST', '/control/fault', { body: '{oops' })).status, 400);
    assert.equal((await request(server, 'POST', '/control/nothing')).status, 404);
    const r = await control(server, 'POST', '/control/fault', { name: 'delay', value: 10 });
    assert.deepEqual(r.json.faults, { delay: 10 });
    assert.deepEqual(server.stats().faults, { delay: 10 });
  });
  assert.equal(isLoopbackRemote('127.0.0.1'), true);
  assert.equal(isLoopbackRemote('::ffff:127.0.0.1'), true);
  assert.equal(isLoopbackRemote('::1'), true);
  assert.equal(isLoopbackRemote('192.168.22.145'), false);
  assert.equal(isLoopbackRemote('10.0.0.1'), false);
});
