'use strict';
// Conformance: every row of both tables of shared/PROTOCOL.md, the error paths, Kurento
// ordering, leaving and replacing.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, waitUntil } = require('./helpers');
const { offerPeer, closeAll } = require('./webrtc');

let server;
const clients = [];
const peers = [];
async function client(label) {
  const c = await Client.connect(server);
  c.label = label;
  clients.push(c);
  return c;
}

test.before(async () => { server = await startServer(); });
test.after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await closeAll(...peers);
  await server.stop();
});
test.afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await waitUntil(() => server.stats().connections === 0, { what: 'all sockets gone' });
});

test('join with an unknown userId answers userNotFound', async () => {
  const a = await client('a');
  assert.deepEqual(await a.join(999, 1), { type: 'userNotFound' });
  assert.deepEqual(await a.join('not a number', 1), { type: 'userNotFound' });
  a.send({ type: 'join', room: 1 });
  assert.equal((await a.next('userNotFound')).type, 'userNotFound');
  assert.equal(server.stats().participants, 0);
});

test('password room: wrong or missing pw answers permisionDeny (sic), right pw joins', async () => {
  const a = await client('a');
  assert.equal((await a.join(1, 2)).type, 'permisionDeny');
  assert.equal((await a.join(1, 2, 'wrong')).type, 'permisionDeny');
  assert.deepEqual(await a.join(1, 2, 'secret'), { type: 'existingParticipants', participants: [] });
  const b = await client('b');
  assert.equal((await b.join(2, 4, 'wrong')).type, 'permisionDeny');
  assert.equal((await b.join(2, 4, '芝麻开门')).type, 'existingParticipants');
});

test('join: room defaults to 0; existingParticipants lists everyone but the joiner', async () => {
  const a = await client('a');
  a.send({ type: 'join', userId: 1 });
  assert.deepEqual(await a.next('existingParticipants'), { type: 'existingParticipants', participants: [] });
  assert.deepEqual(server.stats().roomList, [{ id: 0, participants: [1] }]);
  const b = await client('b');
  const list = await b.join(5, 0);
  assert.deepEqual(list, {
    type: 'existingParticipants',
    participants: [{ id: 1, name: '张伟', prefix: '[研发部]', postfix: '(主持人)' }],
  });
  const c = await client('c');
  const list3 = await c.join(4, 0);
  assert.deepEqual(list3.participants.map((p) => p.id).sort(), [1, 5]);
  assert.ok(!list3.participants.some((p) => p.id === 4));
});

test('newParticipantArrived goes to the others, before the joiner gets its list (Kurento order)', async () => {
  const order = [];
  server.groupcall.tap = (s, text) => order.push(`${s.user ? s.user.id : '?'}:${JSON.parse(text).type}`);
  try {
    const a = await client('a');
    await a.join(1, 1);
    const b = await client('b');
    await b.join(4, 1);
    const arrived = await a.next('newParticipantArrived');
    // A user without prefix/postfix in the users file is sent with empty strings.
    assert.deepEqual(arrived, { type: 'newParticipantArrived', participant: { id: 4, name: '刘洋', prefix: '', postfix: '' } });
    assert.deepEqual(order, ['1:existingParticipants', '1:newParticipantArrived', '4:existingParticipants']);
    await b.sync();
    assert.ok(!b.messages().some((m) => m.type === 'newParticipantArrived'), 'the joiner is never announced to itself');
  } finally {
    server.groupcall.tap = null;
  }
});

test('sendMessage -> reciveTextMessage (sic) to the room, echoed to the sender by default', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(7, 1);
  const other = await client('other room');
  await other.join(6, 3);
  b.send({ type: 'sendMessage', message: '你好, world 👋' });
  assert.deepEqual(await a.next('reciveTextMessage'), { type: 'reciveTextMessage', userId: 7, message: '你好, world 👋' });
  assert.deepEqual(await b.next('reciveTextMessage'), { type: 'reciveTextMessage', userId: 7, message: '你好, world 👋' });
  await other.sync();
  assert.ok(!other.messages().some((m) => m.type === 'reciveTextMessage'), 'other rooms hear nothing');
});

test('uploadSuccess -> fileUploaded to the room', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  a.send({ type: 'uploadSuccess', fileName: '报告.pdf', fileUrl: '/files/%E6%8A%A5%E5%91%8A.pdf' });
  const expected = { type: 'fileUploaded', userId: 1, fileName: '报告.pdf', fileUrl: '/files/%E6%8A%A5%E5%91%8A.pdf' };
  assert.deepEqual(await b.next('fileUploaded'), expected);
  assert.deepEqual(await a.next('fileUploaded'), expected);
});

test('unknown, missing or non-string type -> unrecognizedMessage; invalid JSON and binary frames are dropped', async () => {
  const a = await client('a');
  a.send({ type: 'ping' });
  assert.deepEqual(await a.next('unrecognizedMessage'), { type: 'unrecognizedMessage' });
  a.send({ message: 'no type' });
  await a.next('unrecognizedMessage');
  a.send({ type: 42 });
  await a.next('unrecognizedMessage');
  a.send('[1,2]');
  await a.next('unrecognizedMessage');
  a.send('"join"');
  await a.next('unrecognizedMessage');
  const before = server.stats().invalidFrames;
  a.send('{"type": "join", oops');
  a.send('');
  a.ws.send(Buffer.from([1, 2, 3]), { binary: true });
  await a.sync(); // still alive and answering
  assert.equal(server.stats().invalidFrames - before, 3);
  assert.equal(a.messages().filter((m) => m.type === 'unrecognizedMessage').length, 6);
});

test('messages before join are ignored, never fatal', async () => {
  const a = await client('a');
  a.send({ type: 'sendMessage', message: 'hi' });
  a.send({ type: 'uploadSuccess', fileName: 'a', fileUrl: '/files/a' });
  a.send({ type: 'onIceCandidate', userId: 1, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: 'v=0' });
  await a.sync();
  assert.deepEqual(a.messages().map((m) => m.type), ['unrecognizedMessage']);
  assert.equal((await a.join(1, 1)).type, 'existingParticipants');
});

test('receiveVideoFrom own id: receiveVideoAnswer first, then trickled iceCandidate with `candicate` (sic)', async () => {
  const a = await client('a');
  await a.join(3, 1);
  const { pc, sdp } = await offerPeer('sendonly');
  peers.push(pc);
  a.send({ type: 'receiveVideoFrom', userId: 3, sdpOffer: sdp });
  const answer = await a.next((m) => m.type === 'receiveVideoAnswer' || m.type === 'iceCandidate');
  assert.equal(answer.type, 'receiveVideoAnswer', 'answer comes before any candidate');
  assert.equal(answer.userId, 3);
  assert.match(answer.sdpAnswer, /^v=0\r\n/);
  assert.match(answer.sdpAnswer, /a=ice-lite/);
  assert.match(answer.sdpAnswer, /a=recvonly/);
  assert.doesNotMatch(answer.sdpAnswer, /a=candidate:/, 'Kurento-style answers carry no candidates');
  const cand = await a.next('iceCandidate');
  assert.equal(cand.userId, 3);
  assert.equal(cand.candidate, undefined);
  assert.equal(typeof cand.candicate.candidate, 'string');
  assert.match(cand.candicate.candidate, /^candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/);
  assert.equal(typeof cand.candicate.sdpMLineIndex, 'number');
  assert.ok('sdpMid' in cand.candicate);
  assert.equal(server.stats().publishers, 1);
});

test("receiveVideoFrom another's id: a subscriber endpoint answered under the owner's id", async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const { pc, sdp } = await offerPeer('recvonly');
  peers.push(pc);
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: sdp });
  const answer = await b.next('receiveVideoAnswer');
  assert.equal(answer.userId, 1);
  assert.match(answer.sdpAnswer, /a=sendonly/);
  const cand = await b.next('iceCandidate');
  assert.equal(cand.userId, 1);
  assert.equal(server.stats().subscribers, 1);
  // Trickle from the client for that endpoint is accepted (and ignored if unusable).
  b.send({ type: 'onIceCandidate', userId: 1, candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  b.send({ type: 'onIceCandidate', userId: 1, candidate: { candidate: 'candidate:2 1 udp 2122260223 abcd-1234.local 50001 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  await b.sync();
});

test('receiveVideoFrom error paths: unknown owner, bad SDP, candidates for endpoints that do not exist', async () => {
  const a = await client('a');
  await a.join(1, 1);
  a.send({ type: 'onIceCandidate', userId: 1, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  a.send({ type: 'onIceCandidate', userId: 8, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  a.send({ type: 'onIceCandidate', userId: 1, candidate: null });
  const { pc, sdp } = await offerPeer('recvonly');
  peers.push(pc);
  a.send({ type: 'receiveVideoFrom', userId: 8, sdpOffer: sdp }); // 8 is not in the room
  a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: 'this is not sdp' });
  a.send({ type: 'receiveVideoFrom', userId: 1 });
  await a.sync();
  assert.ok(!a.messages().some((m) => m.type === 'receiveVideoAnswer'));
  assert.equal(server.stats().publishers, 0);
});

test('socket close = leave: participantLeft to the others, endpoints released, empty room removed', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const pa = await offerPeer('sendonly');
  const pb = await offerPeer('recvonly');
  peers.push(pa.pc, pb.pc);
  a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: pa.sdp });
  await a.next('receiveVideoAnswer');
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: pb.sdp });
  await b.next('receiveVideoAnswer');
  assert.equal(server.stats().peerConnections, 2);
  await a.close();
  assert.deepEqual(await b.next('participantLeft'), { type: 'participantLeft', userId: 1 });
  await waitUntil(() => server.stats().peerConnections === 0, { what: 'endpoints released' });
  assert.deepEqual(server.stats().roomList, [{ id: 1, participants: [2] }]);
  await b.close();
  await waitUntil(() => server.stats().rooms === 0, { what: 'empty room removed' });
});

test('a second join with the same userId replaces the old session cleanly', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const watcher = await client('watcher');
  await watcher.join(2, 1);
  const a2 = await client('a2');
  const list = await a2.join(1, 1);
  assert.deepEqual(list.participants.map((p) => p.id), [2]);
  const closed = await a.closed;
  assert.equal(closed.code, 4000);
  assert.equal(await watcher.next('participantLeft').then((m) => m.userId), 1);
  assert.equal(await watcher.next('newParticipantArrived').then((m) => m.participant.id), 1);
  assert.deepEqual(server.stats().roomList, [{ id: 1, participants: [2, 1] }]);
  // The client may see the close before the server has finished it.
  await waitUntil(() => server.stats().connections === 2, { what: 'old socket gone on the server' });
});

test('the same socket may join again (another room): it leaves the first room', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const c = await client('c');
  await c.join(3, 0);
  assert.deepEqual((await a.join(1, 0)).participants.map((p) => p.id), [3]);
  assert.equal((await b.next('participantLeft')).userId, 1);
  assert.equal((await c.next('newParticipantArrived')).participant.id, 1);
  assert.deepEqual(server.stats().roomList.sort((x, y) => x.id - y.id), [{ id: 0, participants: [3, 1] }, { id: 1, participants: [2] }]);
});

test('max participants per room: a full room answers permisionDeny', async () => {
  const a = await client('a');
  await a.join(1, 3);
  const b = await client('b');
  await b.join(2, 3);
  const c = await client('c');
  const denied = await c.join(3, 3);
  assert.equal(denied.type, 'permisionDeny');
  assert.equal(denied.reason, 'roomFull');
  // Replacing a member of a full room is not blocked by the limit.
  const b2 = await client('b2');
  assert.equal((await b2.join(2, 3)).type, 'existingParticipants');
});

test('frames over 1 MiB close the socket with 1009 (message too big)', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  a.send({ type: 'sendMessage', message: 'x'.repeat(1024 * 1024) });
  const info = await a.closed;
  assert.equal(info.code, 1009);
  assert.equal((await b.next('participantLeft')).userId, 1);
  // Just under the cap is fine.
  const c = await client('c');
  await c.join(3, 1);
  c.send({ type: 'sendMessage', message: 'y'.repeat(1024 * 1024 - 100) });
  assert.equal((await c.next('reciveTextMessage')).message.length, 1024 * 1024 - 100);
});

test('chat rate limit drops the excess (default 20 per 10 s per socket)', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const before = server.stats().chatRateLimited;
  for (let i = 0; i < 25; i++) a.send({ type: 'sendMessage', message: `m${i}` });
  await a.sync();
  const got = a.messages().filter((m) => m.type === 'reciveTextMessage').map((m) => m.message);
  assert.equal(got.length, 20);
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `m${i}`));
  assert.equal(server.stats().chatRateLimited - before, 5);
});

test('--echo-chat off: the sender does not get its own chat or file back', async () => {
  const quiet = await startServer({ echoChat: false });
  const a = await Client.connect(quiet);
  const b = await Client.connect(quiet);
  try {
    await a.join(1, 1);
    await b.join(2, 1);
    a.send({ type: 'sendMessage', message: 'hello' });
    a.send({ type: 'uploadSuccess', fileName: 'f.txt', fileUrl: '/files/f.txt' });
    await b.next('reciveTextMessage');
    await b.next('fileUploaded');
    await a.sync();
    assert.ok(!a.messages().some((m) => m.type === 'reciveTextMessage' || m.type === 'fileUploaded'));
  } finally {
    await a.close();
    await b.close();
    await quiet.stop();
  }
});

test('--unknown-rooms deny refuses rooms missing from the rooms file', async () => {
  const strict = await startServer({ unknownRooms: 'deny' });
  const a = await Client.connect(strict);
  try {
    assert.equal((await a.join(1, 77)).type, 'permisionDeny');
    assert.equal((await a.join(1, 1)).type, 'existingParticipants');
  } finally {
    await a.close();
    await strict.stop();
  }
});
