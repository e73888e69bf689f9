// The probe of the `baseline` section (time to video, this client / baseline), injected
// with addInitScript into the real client's pages and the baseline's alike, so both are
// timed by exactly the same code. It only watches:
//   - every RTCPeerConnection (a subclass records it) is polled with getStats() every 50 ms
//     from its creation until it is closed or has decoded video: the first inbound-rtp
//     video framesDecoded > 0 is that connection's first frame. The publisher never
//     decodes, so it is polled until the page stops the probe (__ttv.stop = true);
//   - a few landmarks, for the breakdown: getUserMedia called / resolved, the socket
//     created / open, join sent, existingParticipants received, the first receiveVideoFrom
//     sent, the first receiveVideoAnswer received.
// Times are ms since navigation start (performance.now(); timeOrigin is the navigation).
// Read it all with window.__ttv.
(() => {
  'use strict';
  const now = () => Math.round(performance.now() * 10) / 10;
  const T = (window.__ttv = {
    stop: false, peers: 0, decoded: [],     // decoded: first-frame time per receiving peer
    firstFrame: null,                        // the first decoded remote frame of the page
    gumStart: null, gumEnd: null, socketCreated: null, socketOpen: null, joinSent: null,
    list: null, firstOffer: null, offers: 0, firstAnswer: null, maxFrameSent: 0,
  });

  const md = navigator.mediaDevices;
  if (md && md.getUserMedia) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = function (c) {
      if (T.gumStart === null) T.gumStart = now();
      const p = gum(c);
      p.then(() => { if (T.gumEnd === null) T.gumEnd = now(); }, () => {});
      return p;
    };
  }

  // "type":"X" anywhere in the frame (encoders order keys differently).
  const is = (text, type) => new RegExp(`"type"\\s*:\\s*"${type}"`).test(text);
  const OrigWS = window.WebSocket;
  window.WebSocket = class extends OrigWS {
    constructor(...a) {
      super(...a);
      if (T.socketCreated === null) T.socketCreated = now();
      this.addEventListener('open', () => { if (T.socketOpen === null) T.socketOpen = now(); });
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        if (T.list === null && is(e.data, 'existingParticipants')) T.list = now();
        else if (T.firstAnswer === null && is(e.data, 'receiveVideoAnswer')) T.firstAnswer = now();
      });
    }
    send(data) {
      if (typeof data === 'string') {
        T.maxFrameSent = Math.max(T.maxFrameSent, new TextEncoder().encode(data).length);
        if (T.joinSent === null && is(data, 'join')) T.joinSent = now();
        else if (is(data, 'receiveVideoFrom')) { T.offers++; if (T.firstOffer === null) T.firstOffer = now(); }
      }
      return super.send(data);
    }
  };

  const OrigPC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends OrigPC {
    constructor(...a) {
      super(...a);
      T.peers++;
      const poll = () => {
        if (T.stop || this.connectionState === 'closed') return;
        this.getStats().then((report) => {
          let frames = 0;
          report.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') frames += s.framesDecoded || 0; });
          if (frames > 0) {
            const t = now();
            T.decoded.push(t);
            if (T.firstFrame === null) T.firstFrame = t;
          } else setTimeout(poll, 50);
        }, () => setTimeout(poll, 50));
      };
      setTimeout(poll, 50);
    }
  };
})();
