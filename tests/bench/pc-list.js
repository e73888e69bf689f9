// The page's RTCPeerConnections, for counting which of them decode video (an init script of
// bench.mjs's steady section and of ab.mjs talking). Unlike ttv-probe.js it polls nothing
// by itself: the pages it goes into are measured at rest, and must not pay for their probe.
// window.__decodingVideos(): how many open connections have decoded a video frame.
(() => {
  'use strict';
  const Orig = window.RTCPeerConnection;
  if (!Orig) return;
  const list = [];
  window.RTCPeerConnection = class extends Orig {
    constructor(...a) { super(...a); list.push(this); }
  };
  window.__decodingVideos = async () => {
    let decoding = 0;
    for (const pc of list) {
      if (pc.signalingState === 'closed') continue;
      (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0) decoding++; });
    }
    return decoding;
  };
})();
