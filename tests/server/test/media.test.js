'use strict';
// Media relay: werift plays both browsers. A publisher peer sends VP8-like RTP to the server
// through the real protocol (receiveVideoFrom own id), a subscriber peer receives it through
// receiveVideoFrom the publisher's id. Everything is on 127.0.0.1.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, waitUntil, request } = require('./helpers');
const { loopbackPeer, closeAll, negotiate, werift } = require('./webrtc');

const { RtpHeader, RtpPacket, useH264, useVP8, useOPUS, useNACK, usePLI, useFIR, RTCPeerConnection } = werift;

const RTCP_PSFB = 206;
const VP8_KEYFRAME = Buffer.from([0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0x11, 0x22, 0x33]);

let server;
const cleanups = [];
test.before(async () => { server = await startServer({ keyframeIntervalMs: 100 }); });
test.after(async () => {
  for (const c of cleanups.reverse()) await c();
  await server.stop();
});

function rtpSource(transceiver, payload, extraExtensions = []) {
  let seq = 1000;
  let ts = 5000;
  let timer = null;
  return {
    start(periodMs = 20) {
      timer = setInterval(() => {
        const h = new RtpHeader({ payloadType: 0, sequenceNumber: seq++ & 0xffff, timestamp: (ts += 3000) >>> 0, ssrc: 1, marker: true });
        h.extensions = extraExtensions.map((e) => ({ ...e }));
        transceiver.sender.sendRtp(new RtpPacket(h, payload)).catch(() => {});
      }, periodMs);
    },
    stop() { clearInterval(timer); },
  };
}

test('VP8 + Opus relay: publisher -> server -> subscriber, payload types rewritten, extensions stripped, PLI forwarded', async () => {
  const a = await Client.connect(server);
  const b = await Client.connect(server);
  cleanups.push(() => a.close(), () => b.close());
  assert.equal((await a.join(1, 1)).type, 'existingParticipants');
  assert.equal((await b.join(2, 1)).type, 'existingParticipants');

  // Publisher: PT 100 (VP8) / 109 (Opus); subscriber: PT 120 / 121.
  const pub = loopbackPeer({ videoPt: 100, audioPt: 109 });
  const sub = loopbackPeer({ videoPt: 120, audioPt: 121 });
  cleanups.push(() => closeAll(pub, sub));
  const pubVideo = pub.addTransceiver('video', { direction: 'sendonly' });
  const pubAudio = pub.addTransceiver('audio', { direction: 'sendonly' });
  sub.addTransceiver('audio', { direction: 'recvonly' });
  sub.addTransceiver('video', { direction: 'recvonly' });

  const plis = [];
  pubVideo.sender.onRtcp.subscribe((pkt) => {
    if (pkt.type === RTCP_PSFB && pkt.feedback && pkt.feedback.constructor.count === 1) plis.push(Date.now());
  });

  await negotiate(a, 1, pub);
  await waitUntil(() => server.stats().endpoints.some((e) => e.role === 'publisher' && e.state === 'connected'),
    { timeout: 10000, what: 'server side of the publisher connected' });
  const video = rtpSource(pubVideo, VP8_KEYFRAME, [{ id: 14, payload: Buffer.from('pub-only') }]);
  const audio = rtpSource(pubAudio, Buffer.from([0xf8, 0xff, 0xfe]));
  video.start();
  audio.start();
  cleanups.push(async () => { video.stop(); audio.stop(); });
  await waitUntil(() => server.stats().rtpPacketsIn > 10, {
    timeout: 10000,
    what: () => `RTP reaching the server (endpoints ${JSON.stringify(server.stats().endpoints)}, client ${pub.connectionState})`,
  });

  const got = { video: [], audio: [] };
  sub.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => got[track.kind].push(rtp));
  });
  await negotiate(b, 1, sub);
  await waitUntil(() => got.video.length >= 20 && got.audio.length >= 10, { timeout: 15000, what: 'relayed RTP at the subscriber' });

  const v = got.video[got.video.length - 1];
  assert.equal(v.header.payloadType, 120, 'video PT rewritten to the subscriber\'s VP8 PT');
  assert.deepEqual(Buffer.from(v.payload), VP8_KEYFRAME, 'payload relayed untouched');
  assert.ok(!v.header.extensions.some((e) => e.id === 14), 'publisher header extensions stripped');
  assert.equal(got.audio[got.audio.length - 1].header.payloadType, 121, 'audio PT rewritten');
  const ssrcs = new Set(got.video.map((p) => p.header.ssrc));
  assert.equal(ssrcs.size, 1);

  // The subscriber connecting asked the publisher for a keyframe.
  await waitUntil(() => plis.length >= 1, { timeout: 5000, what: 'keyframe request on subscriber connect' });
  // A PLI from the subscriber is forwarded to the publisher (throttled).
  const before = plis.length;
  const subVideo = sub.getTransceivers().find((t) => t.kind === 'video');
  await waitUntil(async () => {
    await subVideo.receiver.sendRtcpPLI(v.header.ssrc);
    return plis.length > before;
  }, { timeout: 5000, interval: 150, what: 'subscriber PLI forwarded to the publisher' });
  const stats = server.stats();
  assert.ok(stats.rtpPacketsIn > 0 && stats.rtpPacketsOut > 0);
  assert.ok(stats.pliFromSubscribers >= 1);
  assert.equal(stats.publishers, 1);
  assert.equal(stats.subscribers, 1);

  // Publisher leaves: the subscriber's endpoint is released, the viewer told.
  video.stop();
  audio.stop();
  await a.close();
  assert.equal((await b.next('participantLeft')).userId, 1);
  await waitUntil(() => server.stats().peerConnections === 0, { what: 'endpoints released' });
});

test('H.264 when negotiated: an H.264-only publisher reaches a VP8+H.264 subscriber as H.264', async () => {
  const a = await Client.connect(server);
  const b = await Client.connect(server);
  cleanups.push(() => a.close(), () => b.close());
  await a.join(5, 1);
  await b.join(6, 1);
  const fb = () => [useNACK(), usePLI(), useFIR()];
  const base = {
    bundlePolicy: 'max-bundle',
    iceServers: [], iceUseIpv4: false, iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' },
  };
  const pub = new RTCPeerConnection({ ...base, codecs: { audio: [useOPUS()], video: [useH264({ payloadType: 102, rtcpFeedback: fb() })] } });
  const sub = new RTCPeerConnection({
    ...base,
    codecs: { audio: [useOPUS()], video: [useVP8({ payloadType: 96, rtcpFeedback: fb() }), useH264({ payloadType: 125, rtcpFeedback: fb() })] },
  });
  cleanups.push(() => closeAll(pub, sub));
  const pubVideo = pub.addTransceiver('video', { direction: 'sendonly' });
  sub.addTransceiver('video', { direction: 'recvonly' });
  await negotiate(a, 5, pub);
  const nal = Buffer.from([0x65, 0x88, 0x84, 0x00, 0x33, 0xff]); // IDR slice NAL
  const video = rtpSource(pubVideo, nal);
  video.start();
  cleanups.push(async () => video.stop());
  const got = [];
  sub.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => got.push(rtp)));
  await negotiate(b, 5, sub);
  await waitUntil(() => got.length >= 10, { timeout: 15000, what: 'relayed H.264 RTP' });
  assert.equal(got[got.length - 1].header.payloadType, 125);
  assert.deepEqual(Buffer.from(got[got.length - 1].payload), nal);
  video.stop();
});

test('stall: POST /control/stall drops a publisher\'s RTP at the relay (its connection stays up) until unstall or ms', async () => {
  const a = await Client.connect(server);
  const b = await Client.connect(server);
  cleanups.push(() => a.close(), () => b.close());
  await a.join(3, 1);
  await b.join(4, 1);
  const pub = loopbackPeer();
  const sub = loopbackPeer();
  cleanups.push(() => closeAll(pub, sub));
  const pubVideo = pub.addTransceiver('video', { direction: 'sendonly' });
  sub.addTransceiver('video', { direction: 'recvonly' });
  const plis = [];
  pubVideo.sender.onRtcp.subscribe((pkt) => {
    if (pkt.type === RTCP_PSFB && pkt.feedback && pkt.feedback.constructor.count === 1) plis.push(Date.now());
  });
  await negotiate(a, 3, pub);
  const video = rtpSource(pubVideo, VP8_KEYFRAME);
  video.start(10);
  cleanups.push(async () => video.stop());
  const got = [];
  sub.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => got.push(rtp)));
  await negotiate(b, 3, sub);
  await waitUntil(() => got.length >= 5, { timeout: 10000, what: 'relayed RTP' });
  const post = (path, body) => request(server, 'POST', path, {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });

  // Until unstall.
  let r = await post('/control/stall', { user: 3 });
  assert.equal(r.status, 200);
  assert.equal(r.json.stalled, 3);
  assert.deepEqual(server.stats().stalled, [{ user: 3, untilMs: null }]);
  const dropped0 = server.stats().stalledPacketsDropped;
  await new Promise((res) => setTimeout(res, 50)); // packets in flight
  const frozen = got.length;
  await waitUntil(() => server.stats().stalledPacketsDropped >= dropped0 + 10, { what: 'packets dropped at the relay' });
  assert.equal(got.length, frozen, 'nothing reaches the subscriber');
  assert.ok(server.stats().endpoints.every((e) => e.state === 'connected'), 'connections stay up');
  const plisBefore = plis.length;
  r = await post('/control/unstall', { user: 3 });
  assert.deepEqual(r.json, { unstalled: true, stalls: [] });
  await waitUntil(() => got.length > frozen + 5, { what: 'RTP flows again' });
  await waitUntil(() => plis.length > plisBefore, { what: 'keyframe request on unstall' });

  // For ms: resumes by itself.
  r = await post('/control/stall?user=3&ms=250', {});
  assert.equal(r.json.ms, 250);
  const until = r.json.stalls[0].untilMs;
  await new Promise((res) => setTimeout(res, 50));
  const frozen2 = got.length;
  await new Promise((res) => setTimeout(res, 80));
  if (Date.now() < until - 10) assert.equal(got.length, frozen2, 'stalled for ms'); // (unless the timers ran late)
  await waitUntil(() => got.length > frozen2 + 5, { what: 'RTP flows again after ms' });
  assert.deepEqual(server.stats().stalled, []);
  assert.equal((await post('/control/stall', {})).status, 400);
  assert.deepEqual((await post('/control/unstall', { user: 3 })).json.unstalled, false);
  video.stop();
});
