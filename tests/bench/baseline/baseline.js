// A minimal plain-JS client for shared/PROTOCOL.md, for tests/bench only (the yardstick of
// "time to video, this client / baseline"; tests/bench/README.md). What a plain client
// written along the Kurento group-call tutorial would do, without artificial delays:
//   - the socket and getUserMedia start together, as soon as the script runs;
//   - join on open; on existingParticipants subscribe to everyone listed at once and
//     publish (receiveVideoFrom self) as soon as the camera is there: subscriptions never
//     wait for the camera;
//   - newParticipantArrived subscribes; participantLeft closes that connection;
//   - trickle ICE both ways (onIceCandidate after the offer went out; remote candidates
//     queued until the answer is set);
//   - rule 11: at most one receiveVideoFrom per owner per socket (a repeat, or one for an
//     owner who left, is never sent); rule 12: offers carry VP8, H.264 (constrained
//     baseline, packetization-mode 1) and Opus only, through setCodecPreferences, as the
//     real client does (every frame stays under 8 KiB), and a frame over 8192 bytes is
//     never sent;
//   - the same RTCPeerConnection config as the real client without config.json:
//     { iceServers: [] } (host candidates; the bench's Chromium allows loopback ones).
// `sub=0` in the fragment: publish only, subscribe to nobody (the cheap publishers of the
// bench's rotation and steady-state sections, issue 12 items 4 and 5).
// `module=PATH` (a same-origin .wasm, e.g. /a/groupcall.wasm): the floor (ab.mjs `floor`).
// The socket and camera still start at once (as the client's early.js starts them), but
// the join waits until that module has been fetched, compiled (streaming) and instantiated
// with no-op imports: what any client that must load the module before it acts pays, and
// nothing of the client's own start (its glue, its runtime, main()).
'use strict';
(() => {
  const MAX_FRAME = 8192;
  const frag = new URLSearchParams(location.hash.slice(1));
  const num = (k, d) => (frag.has(k) && frag.get(k) !== '' && Number.isFinite(Number(frag.get(k))) ? Number(frag.get(k)) : d);
  const self = num('user', 1);
  const subscribing = num('sub', 1) !== 0;
  const room = num('room', 0);
  const pw = frag.get('pw') || '';
  const server = frag.get('server') ||
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/groupcall`;
  const videos = document.getElementById('videos');
  const log = (...a) => console.log('[baseline]', ...a);

  // The camera, the same constraints the real client asks for (ideal size, capped rate).
  const fps = num('fps', 15);
  const media = navigator.mediaDevices.getUserMedia({
    audio: true,
    video: { width: { ideal: num('w', 640) }, height: { ideal: num('h', 360) }, frameRate: { ideal: fps, max: fps } },
  });
  media.catch((e) => log('getUserMedia failed', e.name, e.message));

  const modulePath = frag.get('module');
  const moduleReady = modulePath && modulePath.startsWith('/') && !modulePath.startsWith('//')
    ? WebAssembly.compileStreaming(fetch(modulePath)).then((mod) => {
      const imports = {};
      for (const d of WebAssembly.Module.imports(mod)) (imports[d.module] ||= {})[d.name] = () => 0;
      return WebAssembly.instantiate(mod, imports);
    })
    : null;
  if (moduleReady) moduleReady.catch((e) => log('module failed', String(e)));

  const ws = new WebSocket(server);
  const send = (msg) => {
    const text = JSON.stringify(msg);
    if (new TextEncoder().encode(text).length > MAX_FRAME) { log('frame too big, not sent', msg.type); return false; }
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(text);
    return true;
  };

  const peers = new Map();    // owner id -> { pc, offered, answered, remote: [] }
  const offered = new Set();  // owners a receiveVideoFrom went out for on this socket (rule 11)

  function preferCodecs(transceiver, kind) {
    if (!transceiver.setCodecPreferences || !RTCRtpReceiver.getCapabilities) return;
    const caps = RTCRtpReceiver.getCapabilities(kind);
    const keep = caps.codecs.filter((c) => {
      const mime = c.mimeType.toLowerCase();
      if (kind === 'audio') return mime === 'audio/opus';
      return mime === 'video/vp8' ||
        (mime === 'video/h264' && /profile-level-id=42e01f/i.test(c.sdpFmtpLine || '') &&
         /packetization-mode=1/.test(c.sdpFmtpLine || ''));
    });
    keep.sort((a, b) => (a.mimeType.toLowerCase() === 'video/vp8' ? 0 : 1) - (b.mimeType.toLowerCase() === 'video/vp8' ? 0 : 1));
    if (keep.length) transceiver.setCodecPreferences(keep);
  }

  function videoFor(owner) {
    let v = document.querySelector(`video[data-user="${owner}"]`);
    if (!v) {
      v = document.createElement('video');
      v.dataset.user = String(owner);
      v.autoplay = true;
      v.playsInline = true;
      v.width = 320;
      v.height = 240;
      if (owner === self) v.muted = true;
      videos.appendChild(v);
    }
    return v;
  }

  // One connection per media owner; owner === self is the send-only publisher.
  async function connect(owner, stream) {
    if (peers.has(owner) || offered.has(owner)) return;  // rule 11: once per owner per socket
    const pc = new RTCPeerConnection({ iceServers: [] });
    const peer = { pc, offerSent: false, answered: false, remoteSet: false, local: [], remote: [] };
    peers.set(owner, peer);
    if (stream) {
      for (const track of stream.getTracks()) {
        preferCodecs(pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] }), track.kind);
      }
      videoFor(owner).srcObject = stream;
    } else {
      for (const kind of ['audio', 'video']) preferCodecs(pc.addTransceiver(kind, { direction: 'recvonly' }), kind);
      const remote = new MediaStream();
      videoFor(owner).srcObject = remote;
      pc.ontrack = (e) => remote.addTrack(e.track);
    }
    pc.onicecandidate = (e) => {
      if (!e.candidate) return;
      const msg = { type: 'onIceCandidate', userId: owner, candidate: e.candidate.toJSON() };
      if (peer.offerSent) send(msg); else peer.local.push(msg);  // rule 3: after the offer
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (peers.get(owner) !== peer) return;  // left meanwhile
    offered.add(owner);
    if (!send({ type: 'receiveVideoFrom', userId: owner, sdpOffer: pc.localDescription.sdp })) {
      log('offer not sent for', owner);
      return;
    }
    peer.offerSent = true;
    for (const msg of peer.local.splice(0)) send(msg);
  }

  function drop(owner) {
    const peer = peers.get(owner);
    if (peer) { peer.pc.close(); peers.delete(owner); }
    offered.delete(owner);  // the server released that owner's endpoint: a new one may follow
    const v = document.querySelector(`video[data-user="${owner}"]`);
    if (v) v.remove();
  }

  const subscribe = (p) => { if (subscribing && p && p.id !== undefined && Number(p.id) !== self) connect(Number(p.id)).catch((e) => log('subscribe', p.id, e)); };

  const join = () => send({ type: 'join', room, userId: self, pw });
  ws.onopen = moduleReady ? () => moduleReady.then(join) : join;
  ws.onclose = (e) => log('socket closed', e.code, e.reason);
  ws.onmessage = (e) => {
    let m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    switch (m.type) {
      case 'existingParticipants':
        (m.participants || []).forEach(subscribe);
        media.then((stream) => connect(self, stream)).catch((err) => log('publish', err));
        break;
      case 'newParticipantArrived':
        subscribe(m.participant);
        break;
      case 'participantLeft':
        drop(Number(m.userId));
        break;
      case 'receiveVideoAnswer': {
        const peer = peers.get(Number(m.userId));
        if (!peer || peer.answered) break;
        peer.answered = true;
        peer.pc.setRemoteDescription({ type: 'answer', sdp: m.sdpAnswer })
          .then(() => {
            peer.remoteSet = true;
            return Promise.all(peer.remote.splice(0).map((c) => peer.pc.addIceCandidate(c)));
          })
          .catch((err) => log('answer', m.userId, err));
        break;
      }
      case 'iceCandidate': {
        const peer = peers.get(Number(m.userId));
        const c = m.candicate || m.candidate;
        if (!peer || !c) break;  // unknown or departed owner: ignored
        if (peer.remoteSet) peer.pc.addIceCandidate(c).catch((err) => log('candidate', err));
        else peer.remote.push(c);
        break;
      }
      case 'userNotFound': case 'permisionDeny': case 'permissionDeny':
        log('join refused:', m.type);
        break;
      default:
        break;
    }
  };
})();
