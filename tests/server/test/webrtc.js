'use strict';
// werift peers playing the browser side, loopback only (no other address is ever contacted).
const werift = require('werift');

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

module.exports = { loopbackPeer, offerPeer, closeAll, werift };
