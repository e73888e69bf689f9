'use strict';
// werift peers playing the browser side, loopback only (no other address is ever contacted).
const werift = require('werift');
const { waitUntil } = require('./helpers');

const { RTCPeerConnection, useVP8, useOPUS, useNACK, usePLI, useFIR, useSdesMid, useAbsSendTime } = werift;

function loopbackPeer({ videoPt = 96, audioPt = 111, headerExtensions } = {}) {
  return new RTCPeerConnection({
    // max-compat (werift's default) gathers one transport per m-line and leaks the sockets
    // of the ones BUNDLE makes redundant; Chromium bundles from the start too.
    bundlePolicy: 'max-bundle',
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    codecs: {
      audio: [useOPUS({ payloadType: audioPt })],
      video: [useVP8({ payloadType: videoPt, rtcpFeedback: [useNACK(), usePLI(), useFIR()] })],
    },
    headerExtensions: headerExtensions || { audio: [useSdesMid()], video: [useSdesMid(), useAbsSendTime()] },
  });
}

/** A peer with audio+video transceivers in `direction` and its offer (candidates gathered). */
async function offerPeer(direction, opts) {
  const pc = loopbackPeer(opts);
  pc.addTransceiver('audio', { direction });
  pc.addTransceiver('video', { direction });
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  return { pc, sdp: pc.localDescription.sdp };
}

async function closeAll(...pcs) {
  await Promise.all(pcs.filter(Boolean).map((pc) => pc.close().catch(() => {})));
}

/** Sends the offer of pc through client for owner; applies the answer and trickled candidates. */
async function negotiate(client, ownerId, pc) {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const sent = new Set();
  const sendCand = (c) => {
    if (!c || !c.candidate || sent.has(c.candidate)) return;
    sent.add(c.candidate);
    client.send({ type: 'onIceCandidate', userId: ownerId, candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } });
  };
  client.send({ type: 'receiveVideoFrom', userId: ownerId, sdpOffer: pc.localDescription.sdp });
  // Client candidates only after receiveVideoFrom (PROTOCOL.md rule 3).
  for (const line of pc.localDescription.sdp.split('\r\n')) {
    if (line.startsWith('a=candidate:')) sendCand({ candidate: line.slice(2), sdpMid: '0', sdpMLineIndex: 0 });
  }
  const answer = await client.next((m) => m.type === 'receiveVideoAnswer' && m.userId === ownerId);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdpAnswer });
  const cand = await client.next((m) => m.type === 'iceCandidate' && m.userId === ownerId);
  await pc.addIceCandidate(cand.candicate);
  await waitUntil(() => pc.connectionState === 'connected', { timeout: 10000, what: `peer for owner ${ownerId} connected` });
}

module.exports = { loopbackPeer, offerPeer, closeAll, negotiate, werift };
