// Page-side instrumentation for tests/bench (injected with addInitScript before any page
// script runs). It changes nothing the client does; it only watches, so the client needs no
// benchmark-specific code:
//   - WebSocket / RTCPeerConnection are wrapped by subclasses that record timestamps
//     (socket open, join sent, existingParticipants / newParticipantArrived received,
//     receiveVideoFrom sent, receiveVideoAnswer received, peer connected) per media owner;
//   - a recv peer's first decoded video frame: getStats() inbound-rtp framesDecoded > 0,
//     polled every 25 ms only until it is seen;
//   - the first time the client shows that owner's <video> (display != none) and the first
//     frame that <video> presents (requestVideoFrameCallback);
//   - every requestAnimationFrame callback is timed (performance.now() before and after):
//     the frontend draws only from one-shot rAF callbacks, so that is the CPU time of a
//     frame (input, measure, ImGui NewFrame .. RenderDrawData, video placement);
//   - the first ImGui frame: gcFrontend.firstFrame() is called at the end of frame 1.
// All times are epoch ms (performance.timeOrigin + performance.now()) so pages can be
// compared with each other. Read everything with window.__bench.
(() => {
  'use strict';
  const now = () => performance.timeOrigin + performance.now();
  const B = (window.__bench = {
    socketCreated: null, socketOpen: null, joinSent: null, joinClick: null,
    participantList: null,          // existingParticipants received
    arrived: {},                    // owner -> newParticipantArrived received
    offerSent: {},                  // owner -> receiveVideoFrom sent (owner == self: publish)
    answer: {},                     // owner -> receiveVideoAnswer received
    connected: {},                  // owner -> RTCPeerConnection connectionState 'connected'
    decoded: {},                    // owner -> first getStats framesDecoded > 0
    shown: {},                      // owner -> <video data-user=owner> first displayed
    presented: {},                  // owner -> first requestVideoFrameCallback
    selfId: null,
    firstFrame: null,               // end of the first ImGui frame (performance.now())
    frames: [],                     // [start performance.now(), duration ms] per rAF callback
    recordFrames: false,
    rafCallbacks: 0,
    chatReceived: 0,                // reciveTextMessage frames received
  });

  window.addEventListener('pointerdown', () => { if (B.joinClick === null) B.joinClick = now(); }, true);

  // ---- requestAnimationFrame timing
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = function (cb) {
    return raf(function (ts) {
      const t0 = performance.now();
      try { return cb(ts); } finally {
        B.rafCallbacks++;
        if (B.recordFrames) B.frames.push([t0, performance.now() - t0]);
      }
    });
  };

  // ---- first frame: wrap gcFrontend.firstFrame when frontend.js defines gcFrontend
  let gcf;
  Object.defineProperty(window, 'gcFrontend', {
    configurable: true, enumerable: true,
    get() { return gcf; },
    set(v) {
      gcf = v;
      if (v && typeof v.firstFrame === 'function' && !v.firstFrame.__bench) {
        const orig = v.firstFrame;
        v.firstFrame = function () {
          if (B.firstFrame === null) B.firstFrame = performance.now();
          return orig.apply(this, arguments);
        };
        v.firstFrame.__bench = true;
      }
    },
  });

  // ---- module ready: frontend-boot.js sets window.gcModule once createGroupcall() resolves
  let gcm;
  Object.defineProperty(window, 'gcModule', {
    configurable: true, enumerable: true,
    get() { return gcm; },
    set(v) { gcm = v; if (B.moduleReady === undefined) B.moduleReady = performance.now(); },
  });

  // ---- WebSocket
  const pcs = [];
  const OrigWS = window.WebSocket;
  class BenchWebSocket extends OrigWS {
    constructor(...args) {
      super(...args);
      if (B.socketCreated === null) B.socketCreated = now();
      this.addEventListener('open', () => { if (B.socketOpen === null) B.socketOpen = now(); });
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        const t = now();
        let m;
        try { m = JSON.parse(e.data); } catch (err) { return; }
        if (!m || typeof m !== 'object') return;
        if (m.type === 'reciveTextMessage') { B.chatReceived++; return; }
        if (m.type === 'existingParticipants') { if (B.participantList === null) B.participantList = t; }
        else if (m.type === 'newParticipantArrived' && m.participant) {
          const id = String(m.participant.id);
          if (!(id in B.arrived)) B.arrived[id] = t;
        } else if (m.type === 'receiveVideoAnswer') {
          const id = String(m.userId);
          if (!(id in B.answer)) B.answer[id] = t;
        }
      });
    }
    send(data) {
      if (typeof data === 'string' && data.length < 100000) {
        try {
          const m = JSON.parse(data);
          const t = now();
          if (m.type === 'join') { if (B.joinSent === null) B.joinSent = t; B.selfId = String(m.userId); }
          else if (m.type === 'receiveVideoFrom') {
            const id = String(m.userId);
            if (!(id in B.offerSent)) B.offerSent[id] = t;
            // The connection whose offer this is, by its ICE username fragment: a receive
            // connection the client prepared before its owner was known (src/app/client.cpp
            // keep_spare_peer) sends the offer it made then, while its localDescription has
            // since gained the candidates it gathered, so the two SDPs differ.
            const ufrag = iceUfrag(m.sdpOffer);
            for (const pc of pcs) {
              const d = pc.localDescription || pc.pendingLocalDescription;
              if (!pc.__owner && d && ufrag && iceUfrag(d.sdp) === ufrag) { pc.__owner = id; watchPeer(pc); }
            }
          }
        } catch (err) { /* not ours to judge */ }
      }
      return super.send(data);
    }
  }
  window.WebSocket = BenchWebSocket;

  // ---- RTCPeerConnection
  function iceUfrag(sdp) {
    const m = /^a=ice-ufrag:(\S+)/m.exec(String(sdp || ''));
    return m ? m[1] : null;
  }
  const OrigPC = window.RTCPeerConnection;
  class BenchPeerConnection extends OrigPC {
    constructor(...args) {
      super(...args);
      pcs.push(this);
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'closed' || this.connectionState === 'failed') {
          const i = pcs.indexOf(this);
          if (i >= 0) pcs.splice(i, 1);
        }
        if (this.connectionState === 'connected' && this.__owner && !(this.__owner in B.connected)) {
          B.connected[this.__owner] = now();
        }
      });
    }
  }
  window.RTCPeerConnection = BenchPeerConnection;

  function watchPeer(pc) {
    const owner = pc.__owner;
    if (pc.connectionState === 'connected' && !(owner in B.connected)) B.connected[owner] = now();
    if (owner === B.selfId) return;  // the publisher: nothing to decode
    const poll = () => {
      if (owner in B.decoded || pc.connectionState === 'closed') return;
      pc.getStats().then((report) => {
        let frames = 0;
        report.forEach((s) => { if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') frames += s.framesDecoded || 0; });
        if (frames > 0) { if (!(owner in B.decoded)) B.decoded[owner] = now(); }
        else setTimeout(poll, 25);
      }, () => setTimeout(poll, 25));
    };
    setTimeout(poll, 25);
  }

  // ---- <video data-user=N>: first shown, first presented frame
  function watchVideo(v) {
    if (v.__bench || v.classList.contains('gc-self')) return;
    v.__bench = true;
    const owner = v.getAttribute('data-user');
    const check = () => {
      if (!(owner in B.shown) && v.style.display !== 'none' && v.isConnected) B.shown[owner] = now();
    };
    new MutationObserver(check).observe(v, { attributes: true, attributeFilter: ['style'] });
    check();
    if (v.requestVideoFrameCallback) {
      v.requestVideoFrameCallback(() => { if (!(owner in B.presented)) B.presented[owner] = now(); });
    }
  }
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeName === 'VIDEO') watchVideo(n);
      else if (n.querySelectorAll) n.querySelectorAll('video').forEach(watchVideo);
    }
  }).observe(document, { childList: true, subtree: true });
})();
