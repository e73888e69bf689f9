'use strict';
// Signalling-only bots for big-room tests: /control/bots and --bots.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, waitUntil, request } = require('./helpers');
const { loopbackPeer, closeAll, negotiate } = require('./webrtc');
const { parseArgs } = require('../bin/groupcall-server');

let server;
const clients = [];
const peers = [];
async function client(label) {
  const c = await Client.connect(server);
  c.label = label;
  clients.push(c);
  return c;
}
// Content-Length: Node sends a DELETE body without one (and without chunking) otherwise.
const control = (method, path, body) => request(server, method, path, body === undefined ? {} : {
  headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(JSON.stringify(body)) },
  body: JSON.stringify(body),
});

test.before(async () => { server = await startServer({ maxParticipants: 40 }); });
test.after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await closeAll(...peers);
  await server.stop();
});
test.afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await control('DELETE', '/control/bots');
  await waitUntil(() => server.stats().participants === 0, { what: 'room empty' });
});

test('POST /control/bots: 39 bots fill a 40-member room; they are announced, listed, counted; DELETE makes them leave', async () => {
  const a = await client('a');
  await a.join(1, 1);
  let r = await control('POST', '/control/bots', { room: 1, from: 12, count: 39 });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.joined, Array.from({ length: 39 }, (_, i) => i + 12));
  assert.deepEqual(r.json.skipped, []);
  assert.equal(r.json.bots, 39);
  const arrived = [];
  for (let i = 0; i < 39; i++) arrived.push((await a.next('newParticipantArrived')).participant);
  assert.deepEqual(arrived[0], { id: 12, name: 'Dave', prefix: '', postfix: '' }, 'users-file name');
  assert.deepEqual(arrived[1], { id: 13, name: 'Bot 13', prefix: '', postfix: '' }, 'generated name');
  let st = server.stats();
  assert.equal(st.participants, 40);
  assert.equal(st.bots, 39);
  assert.equal(st.connections, 1);

  // The room is full (bots count); why a bot is skipped.
  const b = await client('b');
  assert.equal((await b.join(2, 1)).reason, 'roomFull');
  r = await control('POST', '/control/bots', { room: 1, ids: [1, 12, 60] });
  assert.deepEqual(r.json.joined, []);
  assert.deepEqual(r.json.skipped, [{ id: 1, reason: 'inUse' }, { id: 12, reason: 'alreadyBot' }, { id: 60, reason: 'roomFull' }]);
  r = await control('DELETE', '/control/bots', { ids: [50] });
  assert.deepEqual(r.json, { left: [50], bots: 38 });
  assert.equal((await a.next('participantLeft')).userId, 50);

  // A real user taking a bot's id replaces the bot (like any second session of that user).
  const c = await client('c');
  const list = await c.join(12, 1);
  assert.equal(list.type, 'existingParticipants');
  assert.equal(list.participants.length, 38);
  assert.ok(list.participants.some((p) => p.id === 49 && p.name === 'Bot 49'));
  assert.equal((await a.next('participantLeft')).userId, 12);
  assert.equal((await a.next('newParticipantArrived')).participant.id, 12);
  const listed = (await control('GET', '/control/bots')).json.bots;
  assert.deepEqual(listed[0], { id: 13, room: 1, name: 'Bot 13' });
  assert.deepEqual(listed.map((x) => x.id), Array.from({ length: 37 }, (_, i) => i + 13));

  r = await control('DELETE', '/control/bots');
  assert.equal(r.json.left.length, 37);
  assert.equal(r.json.bots, 0);
  await waitUntil(() => a.messages().filter((m) => m.type === 'participantLeft').length === 2 + 37, { what: 'participantLeft for every bot' });
  st = server.stats();
  assert.equal(st.bots, 0);
  assert.deepEqual(st.roomList, [{ id: 1, participants: [1, 12] }]);
  assert.deepEqual((await control('POST', '/control/bots/clear')).json, { left: [], bots: 0 });
});

test('/control/bots: bad requests, query form, restart forgets bots', async () => {
  assert.equal((await control('POST', '/control/bots', { room: 1 })).status, 400);
  assert.equal((await control('POST', '/control/bots', { room: 1, ids: ['x'] })).status, 400);
  assert.equal((await control('POST', '/control/bots', { room: 1, from: 5, to: 2 })).status, 400);
  assert.equal((await control('PUT', '/control/bots', { room: 1, ids: [3] })).status, 405);
  let r = await request(server, 'POST', '/control/bots?room=2&from=20&to=22');
  assert.deepEqual(r.json.joined, [20, 21, 22]);
  assert.deepEqual(server.stats().roomList, [{ id: 2, participants: [20, 21, 22] }], 'room passwords do not apply to bots');
  r = await request(server, 'DELETE', '/control/bots?room=3');
  assert.deepEqual(r.json.left, []);
  r = await request(server, 'POST', '/control/restart');
  assert.equal(server.stats().bots, 0);
  assert.equal(server.stats().rooms, 0);
});

test('a receiveVideoFrom for a bot gets an answer and candidates and connects (no media); its leave releases the endpoint', async () => {
  const a = await client('a');
  await a.join(1, 1);
  await control('POST', '/control/bots', { room: 1, ids: [20] });
  assert.equal((await a.next('newParticipantArrived')).participant.id, 20);
  const pc = loopbackPeer();
  peers.push(pc);
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  await negotiate(a, 20, pc);
  await waitUntil(() => server.stats().endpoints.some((e) => e.owner === 20 && e.viewer === 1 && e.state === 'connected'),
    { what: 'server side of the subscription connected' });
  // Strict mode holds for bots as for anyone.
  assert.equal(server.stats().repeatOffers, 0);
  await control('DELETE', '/control/bots', { room: 1 });
  assert.equal((await a.next('participantLeft')).userId, 20);
  await waitUntil(() => server.stats().peerConnections === 0, { what: 'endpoint released' });
});

test('--bots ROOM:FROM-TO joins bots at start', async () => {
  const o = parseArgs(['--bots', '1:13-52', '--bots=0:7', '--renegotiation', 'allow']);
  assert.equal(o.bots.length, 2);
  assert.equal(o.bots[0].room, 1);
  assert.equal(o.bots[0].ids.length, 40);
  assert.deepEqual(o.bots[1], { room: 0, ids: [7] });
  assert.equal(o.renegotiation, 'allow');
  assert.throws(() => parseArgs(['--bots', '1:9-3']), /--bots/);
  assert.throws(() => parseArgs(['--bots', 'x']), /--bots/);
  assert.throws(() => parseArgs(['--renegotiation', 'maybe']), /strict or allow/);
  const s = await startServer({ bots: [{ room: 1, ids: [13, 14] }, { room: 2, ids: [15] }] });
  try {
    const st = s.stats();
    assert.equal(st.bots, 3);
    assert.deepEqual(st.roomList.sort((x, y) => x.id - y.id), [{ id: 1, participants: [13, 14] }, { id: 2, participants: [15] }]);
    assert.ok(s.urls().some((l) => /bots\s+2 in room 1, 1 in room 2/.test(l)));
    const c = await Client.connect(s);
    const list = await c.join(1, 1);
    assert.deepEqual(list.participants.map((p) => p.name), ['Bot 13', 'Bot 14']);
    await c.close();
  } finally {
    await s.stop();
  }
});
