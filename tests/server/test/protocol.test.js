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

test('receiveVideoFrom error paths: bad SDP, candidates for endpoints that do not exist', async () => {
  const a = await client('a');
  await a.join(1, 1);
  a.send({ type: 'onIceCandidate', userId: 1, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  a.send({ type: 'onIceCandidate', userId: 8, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  a.send({ type: 'onIceCandidate', userId: 1, candidate: null });
  a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: 'this is not sdp' });
  a.send({ type: 'receiveVideoFrom', userId: 1 });
  await a.sync();
  assert.ok(!a.messages().some((m) => m.type === 'receiveVideoAnswer'));
  assert.equal(server.stats().publishers, 0);
  // A refused offer negotiated nothing: the next one is not a repeat.
  const { pc, sdp } = await offerPeer('sendonly');
  peers.push(pc);
  a.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: sdp });
  assert.equal((await a.next('receiveVideoAnswer')).userId, 1);
  assert.equal(a.closeInfo, null);
});

// ---- Kurento: one negotiation per owner per join session (PROTOCOL.md rule 11) ----------

test('strict: a second receiveVideoFrom for the same owner closes with 1011 and the viewer leaves', async () => {
  const before = server.stats();
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const { pc, sdp } = await offerPeer('recvonly');
  peers.push(pc);
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: sdp });
  await b.next('receiveVideoAnswer');
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: sdp });
  assert.deepEqual(await b.closed, { code: 1011, reason: 'SDP_END_POINT_ALREADY_NEGOTIATED' });
  assert.deepEqual(await a.next('participantLeft'), { type: 'participantLeft', userId: 2 });
  const after = server.stats();
  assert.equal(after.renegotiationCloses - before.renegotiationCloses, 1);
  assert.equal(after.repeatOffers - before.repeatOffers, 1);
  assert.equal(after.repeatOffersByUser['2'] - (before.repeatOffersByUser['2'] || 0), 1);
  assert.equal(after.receiveVideoFromIn - before.receiveVideoFromIn, 2);
  assert.equal(after.unknownOwnerCloses, before.unknownOwnerCloses);
  assert.equal(after.renegotiation, 'strict');
  assert.deepEqual(after.roomList, [{ id: 1, participants: [1] }]);
  assert.ok(!after.endpoints.some((e) => e.viewer === 2), 'the viewer\'s endpoints are released');
});

test('strict: publishing twice (own id) closes with 1011 too', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const before = server.stats().renegotiationCloses;
  const { pc, sdp } = await offerPeer('sendonly');
  peers.push(pc);
  b.send({ type: 'receiveVideoFrom', userId: 2, sdpOffer: sdp });
  b.send({ type: 'receiveVideoFrom', userId: 2, sdpOffer: sdp }); // before the first answer, too
  assert.equal((await b.closed).code, 1011);
  assert.equal((await a.next('participantLeft')).userId, 2);
  assert.equal(server.stats().renegotiationCloses - before, 1);
  await waitUntil(() => server.stats().publishers === 0, { what: 'publisher released' });
});

test('strict: receiveVideoFrom for an owner not in the room closes with 1011', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const other = await client('other room');
  await other.join(8, 0);
  const before = server.stats();
  const { pc, sdp } = await offerPeer('recvonly');
  peers.push(pc);
  b.send({ type: 'receiveVideoFrom', userId: 8, sdpOffer: sdp }); // 8 is in another room
  assert.deepEqual(await b.closed, { code: 1011, reason: 'unknown owner 8' });
  assert.equal((await a.next('participantLeft')).userId, 2);
  const after = server.stats();
  assert.equal(after.unknownOwnerCloses - before.unknownOwnerCloses, 1);
  assert.equal(after.renegotiationCloses, before.renegotiationCloses);
  assert.equal(after.repeatOffers, before.repeatOffers);
});

test('strict: after participantLeft the owner\'s endpoint is released; a new join session may offer everything again', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const offers = await Promise.all([1, 2, 3, 4].map(() => offerPeer('recvonly')));
  peers.push(...offers.map((o) => o.pc));
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[0].sdp });
  await b.next('receiveVideoAnswer');
  // The owner leaves and comes back (a new socket): the viewer may subscribe again.
  await a.close();
  assert.equal((await b.next('participantLeft')).userId, 1);
  const a2 = await client('a2');
  await a2.join(1, 1);
  assert.equal((await b.next('newParticipantArrived')).participant.id, 1);
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[1].sdp });
  assert.equal((await b.next('receiveVideoAnswer')).userId, 1);
  // A replace (the owner joins again while its old socket is open) is a leave too.
  const a3 = await client('a3');
  await a3.join(1, 1);
  assert.equal((await b.next('participantLeft')).userId, 1);
  await b.next('newParticipantArrived');
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[2].sdp });
  await b.next('receiveVideoAnswer');
  // The viewer's own socket joins again: a new session, its endpoints were released.
  await b.join(2, 1);
  b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[3].sdp });
  await b.next('receiveVideoAnswer');
  await b.sync();
  assert.equal(b.closeInfo, null);
  assert.equal(server.stats().subscribers, 1);
});

test('--renegotiation allow: a repeat replaces the endpoint, unknown owners are ignored; repeats still counted', async () => {
  const lenient = await startServer({ renegotiation: 'allow' });
  const a = await Client.connect(lenient);
  const b = await Client.connect(lenient);
  try {
    await a.join(1, 1);
    await b.join(2, 1);
    const offers = await Promise.all([1, 2, 3, 4].map((i) => offerPeer(i <= 2 ? 'recvonly' : 'sendonly')));
    peers.push(...offers.map((o) => o.pc));
    b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[0].sdp });
    await b.next('receiveVideoAnswer');
    b.send({ type: 'receiveVideoFrom', userId: 1, sdpOffer: offers[1].sdp });
    await b.next('receiveVideoAnswer');
    b.send({ type: 'receiveVideoFrom', userId: 2, sdpOffer: offers[2].sdp });
    await b.next('receiveVideoAnswer');
    b.send({ type: 'receiveVideoFrom', userId: 2, sdpOffer: offers[3].sdp });
    await b.next('receiveVideoAnswer');
    b.send({ type: 'receiveVideoFrom', userId: 9, sdpOffer: offers[0].sdp });
    await b.sync();
    assert.equal(b.closeInfo, null);
    const st = lenient.stats();
    assert.equal(st.renegotiation, 'allow');
    assert.equal(st.subscribers, 1, 'the old subscriber endpoint was replaced');
    assert.equal(st.publishers, 1);
    assert.equal(st.repeatOffers, 2);
    assert.deepEqual(st.repeatOffersByUser, { 2: 2 });
    assert.equal(st.renegotiationCloses, 0);
    assert.equal(st.unknownOwnerCloses, 0);
    assert.equal(st.receiveVideoFromIn, 5);
  } finally {
    await a.close();
    await b.close();
    await lenient.stop();
  }
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

/** A sendMessage frame of exactly `bytes` bytes. */
function chatFrame(bytes, fill = 'x') {
  const empty = JSON.stringify({ type: 'sendMessage', message: '' });
  return JSON.stringify({ type: 'sendMessage', message: fill.repeat(bytes - Buffer.byteLength(empty)) });
}

test('frames over 8,192 bytes close the socket with 1009 (Tomcat); the user leaves', async () => {
  const a = await client('a');
  await a.join(1, 1);
  const b = await client('b');
  await b.join(2, 1);
  const before = server.stats();
  assert.equal(before.maxFrameBytes, 8192);
  // Exactly 8,192 bytes is fine.
  const full = chatFrame(8192);
  assert.equal(Buffer.byteLength(full), 8192);
  b.send(full);
  assert.equal((await a.next('reciveTextMessage')).userId, 2);
  assert.equal(server.stats().largestFrameIn, 8192);
  const over = chatFrame(8193);
  assert.equal(Buffer.byteLength(over), 8193);
  a.send(over);
  assert.equal((await a.closed).code, 1009);
  assert.equal((await b.next('participantLeft')).userId, 1);
  const after = server.stats();
  assert.equal(after.frameTooBigCloses - before.frameTooBigCloses, 1);
  assert.equal(after.largestFrameIn, 8192, 'a refused frame is not received');
  assert.deepEqual(after.roomList, [{ id: 1, participants: [2] }]);
});

test('--max-frame-bytes raises the cap (1 MiB)', async () => {
  const big = await startServer({ maxFrameBytes: 1024 * 1024 });
  const a = await Client.connect(big);
  try {
    await a.join(1, 1);
    a.send(chatFrame(1024 * 1024, 'y'));
    assert.equal((await a.next('reciveTextMessage')).message.length, 1024 * 1024 - 35);
    assert.equal(big.stats().largestFrameIn, 1024 * 1024);
    a.send(chatFrame(1024 * 1024 + 1));
    assert.equal((await a.closed).code, 1009);
    await waitUntil(() => big.stats().frameTooBigCloses === 1 && big.stats().participants === 0, { what: '1009 counted, user left' });
  } finally {
    await a.close();
    await big.stop();
  }
});

test('chat rate limit drops the excess (default 20 per 10 s per user)', async () => {
  const a = await client('a');
  await a.join(12, 1); // a user that has not chatted in this file (the limit is per user id)
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
