'use strict';
// WebRTC media relay on werift (an SFU without decoding).
//
// One Feed per participant: the participant's publisher endpoint (their own
// `receiveVideoFrom`) pushes RTP into it and every subscriber endpoint watching that
// participant takes a copy. Facts this relies on (werift 0.24.4, Node 20):
//  - ICE-lite: werift's full-ICE consent checks give up after ~30 s when the browser is
//    busy, and media silently stops. A lite agent never sends checks, it only answers them.
//  - iceServers: [] (werift's default is a public STUN server; there is no internet here).
//  - RTCRtpSender.sendRtp mutates the packet (ssrc, pt, seq, ts, extensions) and keeps it
//    for NACK retransmission, so each subscriber gets its own clone.
//  - The publisher's header extension ids mean nothing on the subscriber's connection:
//    they are stripped, werift writes the subscriber's negotiated ones.
//  - Subscribers' PLI/FIR go to the publisher (throttled); a subscriber that connects asks
//    for a keyframe at once.
//  - A feed may have no publisher at all (signalling-only bots): subscribers to it negotiate
//    and connect normally and simply receive nothing.
//  - Stall (control): a stalled owner's incoming RTP is counted and dropped here, before any
//    subscriber sees it; the publisher's connection is untouched. Unstalling asks the
//    publisher for a keyframe so the viewers' decoders recover at once.
// werift takes a second or two to load: loaded on first use (see MediaRelay.preload).
let werift = null;
function w() {
  if (!werift) werift = require('werift');
  return werift;
}

const RTCP_PSFB = 206;
const PSFB_PLI = 1;
const PSFB_FIR = 4;

function isLoopback(addr) {
  return /^127\./.test(addr) || addr === '::1' || addr === 'localhost';
}

function candidateAddress(candidateLine) {
  // "candidate:<foundation> <component> <transport> <priority> <address> <port> typ ..."
  const parts = String(candidateLine || '').replace(/^a=/, '').split(/\s+/);
  return parts.length >= 6 ? parts[4] : '';
}

function isIpLiteral(addr) {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(addr) || (addr.includes(':') && /^[0-9a-fA-F:.]+$/.test(addr));
}

function fmtpParams(codec) {
  const out = {};
  for (const kv of String(codec.parameters || '').split(';')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i).trim().toLowerCase()] = kv.slice(i + 1).trim().toLowerCase();
  }
  return out;
}

/** Finds the subscriber codec that can carry packets encoded with the publisher codec. */
function matchCodec(pubCodec, subCodecs) {
  const mime = pubCodec.mimeType.toLowerCase();
  const same = subCodecs.filter((c) => c.mimeType.toLowerCase() === mime);
  if (same.length <= 1 || mime !== 'video/h264') return same[0];
  const p = fmtpParams(pubCodec);
  const score = (c) => {
    const q = fmtpParams(c);
    let s = 0;
    if ((q['packetization-mode'] || '0') === (p['packetization-mode'] || '0')) s += 2;
    if ((q['profile-level-id'] || '').slice(0, 2) === (p['profile-level-id'] || '').slice(0, 2)) s += 1;
    return s;
  };
  return same.slice().sort((a, b) => score(b) - score(a))[0];
}

class Feed {
  /** The media of one participant, whoever is publishing it right now. */
  constructor(relay, ownerId) {
    this.relay = relay;
    this.ownerId = ownerId;
    this.publisher = null;
    this.subscribers = new Set();
    this.lastKeyframeRequest = 0;
    this.keyframeTimer = null;
  }

  forward(kind, rtp, pubCodec) {
    this.relay.stats.rtpPacketsIn++;
    if (this.relay.isStalled(this.ownerId)) {
      this.relay.stats.stalledPacketsDropped++;
      return;
    }
    for (const sub of this.subscribers) sub.send(kind, rtp, pubCodec);
  }

  /** Asks the publisher for a keyframe, at most once per keyframeIntervalMs (trailing call kept). */
  requestKeyframe(reason) {
    if (!this.publisher) return;
    const now = Date.now();
    const wait = this.lastKeyframeRequest + this.relay.keyframeIntervalMs - now;
    if (wait > 0) {
      if (!this.keyframeTimer) {
        this.keyframeTimer = setTimeout(() => {
          this.keyframeTimer = null;
          this.requestKeyframe(reason);
        }, wait);
        this.keyframeTimer.unref?.();
      }
      return;
    }
    this.lastKeyframeRequest = now;
    if (this.publisher.requestKeyframe()) {
      this.relay.stats.keyframeRequests++;
      this.relay.log.debug(`keyframe request to publisher ${this.ownerId} (${reason})`);
    }
  }

  close() {
    this.relay.feeds.delete(this);
    clearTimeout(this.keyframeTimer);
    this.keyframeTimer = null;
    for (const sub of [...this.subscribers]) sub.close();
    if (this.publisher) this.publisher.close();
  }
}

class Endpoint {
  constructor(relay, feed, role, ownerId, viewerId) {
    this.relay = relay;
    this.feed = feed;
    this.role = role; // 'publisher' | 'subscriber'
    this.ownerId = ownerId;
    this.viewerId = viewerId;
    this.pc = null;
    this.state = 'new';
    this.closed = false;
    this.pendingCandidates = [];
    this.candidateSink = null;
    this.unsubscribers = [];
  }

  get label() {
    return this.role === 'publisher'
      ? `publisher ${this.ownerId}`
      : `subscriber ${this.viewerId}<-${this.ownerId}`;
  }

  /** Applies the browser's offer and returns the answer SDP. Throws on a bad offer. */
  async negotiate(offerSdp) {
    if (typeof offerSdp !== 'string' || !offerSdp.startsWith('v=')) throw new Error('sdpOffer is not an SDP string');
    const pc = new (w().RTCPeerConnection)(this.relay.peerConfig());
    this.pc = pc;
    this.relay.stats.peerConnections++;
    const sub = pc.onIceCandidate.subscribe((c) => {
      if (!c || this.closed) return;
      const json = typeof c.toJSON === 'function' ? c.toJSON() : c;
      if (!this.relay.shouldAdvertise(json.candidate)) return;
      const out = { candidate: json.candidate, sdpMid: json.sdpMid, sdpMLineIndex: json.sdpMLineIndex };
      if (this.candidateSink) this.candidateSink(out);
      else this.pendingCandidates.push(out);
    });
    this.unsubscribers.push(() => sub.unSubscribe?.());
    const stateSub = pc.connectionStateChange.subscribe((state) => this.onConnectionState(state));
    this.unsubscribers.push(() => stateSub.unSubscribe?.());
    this.beforeOffer(pc);
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    if (this.closed) throw new Error('endpoint closed during negotiation');
    this.afterOffer(pc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    if (this.closed) throw new Error('endpoint closed during negotiation');
    let sdp = pc.localDescription.sdp;
    if (!this.relay.sdpCandidates) {
      sdp = sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
    } else {
      sdp = sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || this.relay.shouldAdvertise(l.slice(2))).join('\r\n');
    }
    return sdp;
  }

  /** From now on local candidates go to sink; the ones gathered so far are flushed first. */
  startTrickle(sink) {
    this.candidateSink = sink;
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of pending) sink(c);
  }

  async addRemoteCandidate(candidate) {
    if (this.closed || !this.pc || !candidate) return;
    const line = typeof candidate === 'string' ? candidate : candidate.candidate;
    if (!line) return; // end-of-candidates
    const addr = candidateAddress(line);
    // A lite agent never sends checks, so remote candidates only label incoming checks.
    // Skip mDNS names (werift would multicast a query) and, in loopback-only mode,
    // anything that is not loopback: nothing must go to another address.
    if (!isIpLiteral(addr)) return;
    if (this.relay.loopbackOnly && !isLoopback(addr)) return;
    try {
      await this.pc.addIceCandidate(typeof candidate === 'string' ? { candidate } : candidate);
    } catch (e) {
      this.relay.log.debug(`${this.label}: addIceCandidate failed: ${e.message}`);
    }
  }

  onConnectionState(state) {
    this.state = state;
    this.relay.log.debug(`${this.label}: ${state}`);
  }

  beforeOffer() {}
  afterOffer() {}

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribers) { try { u(); } catch { /* ignore */ } }
    this.unsubscribers = [];
    const pc = this.pc;
    this.pc = null;
    if (pc) {
      this.relay.stats.peerConnections--;
      Promise.resolve().then(() => pc.close()).catch((e) => this.relay.log.debug(`${this.label}: close: ${e.message}`));
    }
  }
}

class Publisher extends Endpoint {
  constructor(relay, feed) {
    super(relay, feed, 'publisher', feed.ownerId, feed.ownerId);
    this.videoTrack = null;
    this.videoReceiver = null;
  }

  beforeOffer(pc) {
    const sub = pc.onTrack.subscribe((track) => {
      const transceiver = pc.getTransceivers().find((t) => t.receiver.track === track
        || (t.receiver.tracks || []).includes(track));
      if (!transceiver) return;
      const kind = track.kind;
      if (kind === 'video' && !this.videoTrack) {
        this.videoTrack = track;
        this.videoReceiver = transceiver.receiver;
      }
      const byPt = new Map();
      const rtpSub = track.onReceiveRtp.subscribe((rtp) => {
        if (this.closed || this.feed.publisher !== this) return;
        let codec = byPt.get(rtp.header.payloadType);
        if (codec === undefined) {
          codec = transceiver.codecs.find((c) => c.payloadType === rtp.header.payloadType) || null;
          byPt.set(rtp.header.payloadType, codec);
        }
        if (!codec || codec.name.toLowerCase() === 'rtx') return;
        this.feed.forward(kind, rtp, codec);
      });
      this.unsubscribers.push(() => rtpSub.unSubscribe?.());
    });
    this.unsubscribers.push(() => sub.unSubscribe?.());
  }

  afterOffer(pc) {
    for (const t of pc.getTransceivers()) {
      if (t.direction !== 'recvonly' && t.direction !== 'inactive') t.setDirection('recvonly');
    }
  }

  onConnectionState(state) {
    super.onConnectionState(state);
    if (state === 'connected') this.feed.requestKeyframe('publisher connected');
  }

  requestKeyframe() {
    if (this.closed || !this.videoReceiver || !this.videoTrack || !this.videoTrack.ssrc) return false;
    this.videoReceiver.sendRtcpPLI(this.videoTrack.ssrc).catch(() => {});
    return true;
  }

  close() {
    if (this.feed.publisher === this) this.feed.publisher = null;
    super.close();
  }
}

class Subscriber extends Endpoint {
  constructor(relay, feed, viewerId) {
    super(relay, feed, 'subscriber', feed.ownerId, viewerId);
    this.senders = { audio: null, video: null };
    this.connected = false;
  }

  afterOffer(pc) {
    for (const t of pc.getTransceivers()) {
      if (t.kind !== 'audio' && t.kind !== 'video') continue;
      if (t.direction !== 'sendonly') t.setDirection('sendonly');
      if (!this.senders[t.kind]) {
        this.senders[t.kind] = { sender: t.sender, transceiver: t, codecByPub: new Map() };
        const rtcpSub = t.sender.onRtcp.subscribe((pkt) => this.onRtcp(pkt));
        // werift routes feedback by sender SSRC first: when the viewer's recvonly offer lists
        // its own SSRCs, PLI/NACK land on our (unused) receiver instead of the sender.
        const rxSub = t.receiver.onRtcp.subscribe((pkt) => this.onRtcp(pkt));
        this.unsubscribers.push(() => rtcpSub.unSubscribe?.(), () => rxSub.unSubscribe?.());
      }
    }
    // Nothing is received on a subscriber connection: unregister the receivers so the
    // router sends every feedback packet to our senders (NACK retransmission included).
    const table = pc.router && pc.router.ssrcTable;
    if (table) {
      const senders = new Set(pc.getTransceivers().map((t) => t.sender));
      for (const key of Object.keys(table)) if (!senders.has(table[key])) delete table[key];
    }
  }

  onRtcp(pkt) {
    if (pkt.type !== RTCP_PSFB || !pkt.feedback) return;
    const count = pkt.feedback.constructor.count;
    if (count === PSFB_PLI || count === PSFB_FIR) {
      this.relay.stats.pliFromSubscribers++;
      this.feed.requestKeyframe(`${count === PSFB_PLI ? 'PLI' : 'FIR'} from viewer ${this.viewerId}`);
    }
  }

  onConnectionState(state) {
    super.onConnectionState(state);
    this.connected = state === 'connected';
    if (this.connected) this.feed.requestKeyframe(`viewer ${this.viewerId} connected`);
  }

  send(kind, rtp, pubCodec) {
    if (!this.connected || this.closed) return;
    const slot = this.senders[kind];
    if (!slot) return;
    const { sender } = slot;
    if (!sender.dtlsTransport || sender.dtlsTransport.state !== 'connected') return;
    let codec = slot.codecByPub.get(pubCodec);
    if (codec === undefined) {
      codec = matchCodec(pubCodec, slot.transceiver.codecs) || null;
      slot.codecByPub.set(pubCodec, codec);
      if (!codec) this.relay.log.info(`${this.label}: viewer did not negotiate ${pubCodec.mimeType}; dropping its ${kind}`);
    }
    if (!codec) { this.relay.stats.rtpPacketsDropped++; return; }
    if (!rtp.payload || rtp.payload.length === 0) return; // padding-only probe
    const h = rtp.header;
    const { RtpPacket, RtpHeader } = w();
    const clone = new RtpPacket(new RtpHeader({
      marker: h.marker,
      payloadType: codec.payloadType,
      sequenceNumber: h.sequenceNumber,
      timestamp: h.timestamp,
      ssrc: h.ssrc,
      extensions: [],
    }), Buffer.from(rtp.payload));
    // sendRtp stamps sender.codec.payloadType synchronously, before its first await.
    sender.codec = codec;
    this.relay.stats.rtpPacketsOut++;
    sender.sendRtp(clone).catch((e) => this.relay.log.debug(`${this.label}: sendRtp: ${e.message}`));
  }

  close() {
    this.feed.subscribers.delete(this);
    super.close();
  }
}


/** Answers offerSdp on a fresh endpoint; an endpoint whose negotiation fails is closed. */
async function negotiateOrClose(ep, offerSdp) {
  try {
    const answer = await ep.negotiate(offerSdp);
    return { endpoint: ep, answer };
  } catch (e) {
    ep.close();
    throw e;
  }
}

class MediaRelay {
  /**
   * options.iceAddresses: host addresses to advertise (null = werift's choice of every
   *   non-internal interface); options.allowLoopback adds 127.0.0.1 to that choice.
   * options.portRange: [min, max] or null. options.sdpCandidates: keep candidates in answers.
   */
  constructor(options, log) {
    this.log = log;
    this.keyframeIntervalMs = options.keyframeIntervalMs ?? 500;
    this.sdpCandidates = !!options.sdpCandidates;
    this.iceAddresses = options.iceAddresses && options.iceAddresses.length ? options.iceAddresses.slice() : null;
    this.allowLoopback = !!options.allowLoopback;
    this.loopbackOnly = !!this.iceAddresses && this.iceAddresses.every(isLoopback);
    this.portRange = options.portRange || undefined;
    this.stats = {
      rtpPacketsIn: 0, rtpPacketsOut: 0, rtpPacketsDropped: 0,
      keyframeRequests: 0, pliFromSubscribers: 0, peerConnections: 0,
      stalledPacketsDropped: 0,
    };
    this.feeds = new Set(); // live feeds
    this.stalls = new Map(); // ownerId or '*' -> { until (ms epoch, Infinity = until unstall), timer }
  }

  /** Drops every RTP packet of ownerId ('*' = everyone) for ms (undefined/0: until unstall). */
  stall(ownerId, ms) {
    this.unstall(ownerId, { keyframe: false });
    const entry = { until: ms ? Date.now() + ms : Infinity, timer: null };
    if (ms) {
      entry.timer = setTimeout(() => { if (this.stalls.get(ownerId) === entry) this.unstall(ownerId); }, ms);
      entry.timer.unref?.();
    }
    this.stalls.set(ownerId, entry);
    this.log.info(`stall: RTP of ${ownerId === '*' ? 'everyone' : `user ${ownerId}`} dropped ${ms ? `for ${ms} ms` : 'until unstalled'}`);
  }

  /** Ends a stall ('*': the everyone-stall; undefined: every stall). Returns whether one ended. */
  unstall(ownerId, { keyframe = true } = {}) {
    const keys = ownerId === undefined ? [...this.stalls.keys()] : [ownerId];
    let ended = false;
    for (const k of keys) {
      const e = this.stalls.get(k);
      if (!e) continue;
      clearTimeout(e.timer);
      this.stalls.delete(k);
      ended = true;
      this.log.info(`stall: RTP of ${k === '*' ? 'everyone' : `user ${k}`} flows again`);
      if (keyframe) {
        for (const f of this.feeds) if (k === '*' || f.ownerId === k) f.requestKeyframe('unstalled');
      }
    }
    return ended;
  }

  isStalled(ownerId) {
    return this.stalls.size > 0 && (this.stalls.has(ownerId) || this.stalls.has('*'));
  }

  stalledList() {
    return [...this.stalls.entries()].map(([user, e]) => ({ user, untilMs: Number.isFinite(e.until) ? e.until : null }));
  }

  close() {
    for (const e of this.stalls.values()) clearTimeout(e.timer);
    this.stalls.clear();
  }

  /** Loads werift now rather than on the first offer. */
  preload() { w(); }

  peerConfig() {
    const {
      useOPUS, usePCMU, useVP8, useH264, useVP9, useNACK, usePLI, useFIR, useREMB, useSdesMid, useAbsSendTime,
    } = w();
    const cfg = {
      iceLite: true,
      iceServers: [],
      iceUseIpv6: false,
      codecs: {
        audio: [useOPUS(), usePCMU()],
        video: [
          useVP8({ rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB()] }),
          useH264({ rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB()] }),
          useVP9({ rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB()] }),
        ],
      },
      headerExtensions: { audio: [useSdesMid()], video: [useSdesMid(), useAbsSendTime()] },
      icePortRange: this.portRange,
    };
    if (this.iceAddresses) {
      cfg.iceUseIpv4 = false; // no interface scan: only the listed addresses
      cfg.iceAdditionalHostAddresses = this.iceAddresses.slice();
      if (this.loopbackOnly) cfg.iceInterfaceAddresses = { udp4: '127.0.0.1' };
    } else if (this.allowLoopback) {
      cfg.iceAdditionalHostAddresses = ['127.0.0.1'];
    }
    return cfg;
  }

  shouldAdvertise(candidateLine) {
    if (!this.iceAddresses) return true;
    return this.iceAddresses.includes(candidateAddress(candidateLine));
  }

  createFeed(ownerId) {
    const f = new Feed(this, ownerId);
    this.feeds.add(f);
    return f;
  }

  /** Replaces the feed's publisher with a new one negotiated from offerSdp. */
  async publish(feed, offerSdp) {
    const ep = new Publisher(this, feed);
    if (feed.publisher) feed.publisher.close();
    feed.publisher = ep;
    return negotiateOrClose(ep, offerSdp);
  }

  async subscribe(feed, viewerId, offerSdp) {
    const ep = new Subscriber(this, feed, viewerId);
    feed.subscribers.add(ep);
    return negotiateOrClose(ep, offerSdp);
  }
}

module.exports = { MediaRelay, isLoopback, candidateAddress, matchCodec };
