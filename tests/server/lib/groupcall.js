'use strict';
// The groupcall signalling protocol (../../../shared/PROTOCOL.md) with Kurento ordering.
//
// Kurento lineage, kept on purpose:
//  - join: the others get newParticipantArrived first, then the joiner gets
//    existingParticipants (everyone but itself).
//  - receiveVideoFrom: receiveVideoAnswer first, then the endpoint's iceCandidate messages
//    (field spelt `candicate`). Answers carry no candidates: trickle only.
//  - onIceCandidate for an endpoint that does not exist (yet) is dropped.
//  - Closing the socket is leaving; empty rooms are removed.
//  - renegotiation 'strict' (the default): UserSession.getEndpointForUser keeps one endpoint
//    per (viewer, owner) for the whole join session, so a second receiveVideoFrom for the same
//    owner (own id included) makes processOffer fail (SDP_END_POINT_ALREADY_NEGOTIATED) and
//    Spring closes the socket with 1011; so does an owner who is not in the room. Either way
//    the viewer then leaves like any closed socket. The endpoint for an owner is released
//    only when the owner leaves (participantLeft) or the viewer's session ends.
const { GARBAGE_KINDS } = require('./faults');
const { redactFrame } = require('./security');

const CLOSE_REPLACED = 4000;
const CLOSE_DROPPED = 4001;
const CLOSE_RESTART = 4002;
const CLOSE_SHUTDOWN = 1001;
const CLOSE_SERVER_ERROR = 1011;
const CLOSE_TOO_BIG = 1009;
const CLOSE_POLICY = 1008; // a socket that never joined within joinTimeoutMs

function toInt(v) {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

function participantInfo(user) {
  return { id: user.id, name: user.name, prefix: user.prefix, postfix: user.postfix };
}

function garbageFrame(kind) {
  switch (kind) {
    case 'not-json': return { data: '{"type": "participantLeft", this is not json' };
    case 'array': return { data: '[1,2,3]' };
    case 'null': return { data: 'null' };
    case 'number': return { data: '42' };
    case 'string': return { data: '"existingParticipants"' };
    case 'no-type': return { data: '{"userId": 1, "message": "no type field"}' };
    case 'unknown-type': return { data: '{"type": "noSuchMessageType", "userId": 1}' };
    case 'wrong-types': return { data: '{"type": "participantLeft", "userId": {"nested": [null]}}' };
    case 'empty': return { data: '' };
    case 'binary': return { data: Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x80, 0x00]), binary: true };
    case 'deep': return { data: '['.repeat(1000) + ']'.repeat(1000) };
    case 'truncated': return { data: '{"type":"reciveTextMessage","userId":1,"message":"\\u4e2' };
    default: return { data: 'garbage' };
  }
}

class Session {
  constructor(server, ws, remote) {
    this.server = server;
    this.ws = ws;
    this.id = ++server.nextSessionId;
    this.remote = remote;
    this.user = null;
    this.room = null;
    this.feed = null;
    this.subscriptions = new Map(); // ownerId -> Subscriber endpoint
    // Owners a receiveVideoFrom was accepted for in this join session (Kurento keeps their
    // endpoints until the owner leaves or this session ends), ownerId -> offer token.
    // A new join starts a new map.
    this.negotiated = new Map();
    this.failed = false; // closing with an error (1011): further frames are ignored
    this.joinTimer = null; // closes the socket unless a join succeeds in time
    this.reorderBuffer = [];
    this.reorderTimer = null;
    this.garbageIndex = 0;
    this.closed = false;
    this.dropTimer = null;
  }

  get label() {
    return this.user ? `#${this.id}(user ${this.user.id})` : `#${this.id}`;
  }

  /** Sends one protocol message through the outgoing fault pipeline. */
  send(msg) {
    if (this.closed) return;
    const text = JSON.stringify(msg);
    const faults = this.server.faults;
    const reorder = faults.get('reorder');
    if (reorder !== undefined) {
      this.reorderBuffer.push(text);
      if (!this.reorderTimer) {
        this.reorderTimer = setTimeout(() => this.flushReorder(), reorder);
      }
      return;
    }
    this.sendDelayed(text);
  }

  flushReorder() {
    this.reorderTimer = null;
    const batch = this.reorderBuffer.reverse();
    this.reorderBuffer = [];
    for (const text of batch) this.sendDelayed(text);
  }

  sendDelayed(text) {
    const delay = this.server.faults.get('delay');
    if (delay) {
      const t = setTimeout(() => { this.server.timers.delete(t); this.sendNow(text); }, delay);
      this.server.timers.add(t);
    } else {
      this.sendNow(text);
    }
  }

  sendNow(text) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.server.stats.messagesOut++;
    if (this.server.tap) this.server.tap(this, text);
    this.ws.send(text);
    const kinds = this.server.faults.get('garbage');
    if (kinds) this.sendGarbage(kinds[this.garbageIndex++ % kinds.length]);
  }

  sendGarbage(kind) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const g = garbageFrame(kind);
    this.server.stats.garbageFramesOut++;
    this.ws.send(g.data, { binary: !!g.binary });
  }

  sendOversized(bytes) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const head = '{"type":"reciveTextMessage","userId":0,"message":"';
    const tail = '"}';
    const fill = Math.max(0, bytes - head.length - tail.length);
    this.server.stats.oversizedFramesOut++;
    this.ws.send(head + 'x'.repeat(fill) + tail);
  }

  /** Closes the socket; the 'close' event does the leaving. */
  drop(code, reason) {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      try { this.ws.close(code, reason); } catch { this.ws.terminate(); }
      // A peer that never answers the close handshake is cut after a second.
      const t = setTimeout(() => { this.server.timers.delete(t); this.ws.terminate(); }, 1000);
      this.server.timers.add(t);
    }
  }
}

/**
 * A signalling-only participant joined through /control/bots: a real room member (announced,
 * listed, counted, subscribable) without a socket and without a publisher. Subscribing to it
 * gives a normal answer and candidates; the connection carries no media.
 */
class BotSession {
  constructor(server, user) {
    this.server = server;
    this.bot = true;
    this.id = ++server.nextSessionId;
    this.botId = user.id;
    this.user = user;
    this.room = null;
    this.feed = null;
    this.subscriptions = new Map();
    this.negotiated = new Map();
    this.closed = false;
    this.failed = false;
  }

  get label() { return `bot(user ${this.botId})`; }

  send() {}

  /** Replaced by a real join of the same user id (or removed): forget the bot. */
  drop() {
    this.closed = true;
    if (this.server.bots.get(this.botId) === this) this.server.bots.delete(this.botId);
  }
}

class GroupCallServer {
  /**
   * opts: users (Map), rooms (Map), media (MediaRelay), faults (Faults), log,
   * echoChat (bool), maxParticipants (int), chatRate {count, perMs}, unknownRooms 'open'|'deny',
   * renegotiation 'strict'|'allow', joinTimeoutMs (0 = never; sockets that have not joined
   * successfully by then are closed with 1008).
   */
  constructor(opts) {
    this.users = opts.users;
    this.roomConfig = opts.rooms;
    this.media = opts.media;
    this.faults = opts.faults;
    this.log = opts.log;
    this.echoChat = opts.echoChat !== false;
    this.maxParticipants = opts.maxParticipants || 16;
    this.chatRate = opts.chatRate || { count: 20, perMs: 10000 };
    this.unknownRooms = opts.unknownRooms || 'open';
    this.renegotiation = opts.renegotiation || 'strict';
    this.joinTimeoutMs = opts.joinTimeoutMs === undefined ? 10000 : opts.joinTimeoutMs;
    // Chat and uploadSuccess times per user id (not per socket: reconnecting keeps them).
    this.chatTimes = new Map();
    this.rooms = new Map(); // roomId -> Map<userId, Session|BotSession>
    this.sessions = new Set(); // sockets only
    this.bots = new Map(); // userId -> BotSession
    this.nextSessionId = 0;
    this.timers = new Set();
    this.tap = null; // tests: (session, text) for every protocol message, in send order
    this.stats = {
      messagesIn: 0, messagesOut: 0, invalidFrames: 0, unrecognized: 0,
      garbageFramesOut: 0, oversizedFramesOut: 0, chatRateLimited: 0, restarts: 0,
      drops: 0, replaced: 0,
      receiveVideoFromIn: 0, // every receiveVideoFrom received
      repeatOffers: 0, // receiveVideoFrom for an owner already negotiated in this join session (both modes)
      repeatOffersByUser: {}, // viewer id -> repeatOffers
      renegotiationCloses: 0, // 1011 for a repeat (strict)
      unknownOwnerCloses: 0, // 1011 for an owner not in the room (strict)
      frameTooBigCloses: 0, // 1009: incoming frame over maxPayload
      largestFrameIn: 0, // bytes of the largest text frame received
      joinTimeouts: 0, // sockets closed with 1008 for not joining within joinTimeoutMs
    };
  }

  // ---- connection lifecycle -------------------------------------------------------------

  handleConnection(ws, req) {
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const s = new Session(this, ws, remote);
    this.sessions.add(s);
    this.log.info(`${s.label} connected from ${remote}`);
    if (this.joinTimeoutMs > 0) {
      s.joinTimer = setTimeout(() => {
        s.joinTimer = null;
        if (s.closed || s.joinedOnce) return;
        this.stats.joinTimeouts++;
        this.log.info(`${s.label}: no join within ${this.joinTimeoutMs} ms: closing with ${CLOSE_POLICY}`);
        s.drop(CLOSE_POLICY, 'join timeout');
      }, this.joinTimeoutMs);
    }
    ws.on('message', (data, isBinary) => {
      try {
        this.onFrame(s, data, isBinary);
      } catch (e) {
        this.log.error(`${s.label}: handler error: ${e.stack || e}`);
      }
    });
    ws.on('close', (code, reason) => {
      this.log.info(`${s.label} closed (${code}${reason && reason.length ? ' ' + reason : ''})`);
      this.onClose(s);
    });
    ws.on('error', (e) => {
      if (e && e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // ws has already sent the close frame with 1009 (Tomcat: "The decoded text message
        // was too big for the output buffer"); 'close' follows and does the leaving.
        this.stats.frameTooBigCloses++;
        this.log.info(`${s.label}: incoming frame too big: closing with ${CLOSE_TOO_BIG}`);
        return;
      }
      this.log.info(`${s.label} socket error: ${e.message}`);
    });
  }

  /**
   * What an unhandled exception in the Kurento handler does: Spring closes the socket with
   * code (1011), and the closed session leaves the room as usual (participantLeft to the
   * others). Frames still arriving on the closing socket are ignored.
   */
  fail(s, code, reason) {
    if (s.failed || s.closed) return;
    s.failed = true;
    this.log.info(`${s.label}: closing with ${code} (${reason})`);
    this.leaveRoom(s);
    s.drop(code, reason);
  }

  onClose(s) {
    if (s.closed) return;
    s.closed = true;
    clearTimeout(s.reorderTimer);
    clearTimeout(s.dropTimer);
    clearTimeout(s.joinTimer);
    this.sessions.delete(s);
    this.leaveRoom(s);
  }

  // ---- frames ----------------------------------------------------------------------------

  onFrame(s, data, isBinary) {
    if (s.closed || s.failed) return;
    if (!isBinary && data.length > this.stats.largestFrameIn) this.stats.largestFrameIn = data.length;
    if (isBinary) {
      this.stats.invalidFrames++;
      this.log.info(`${s.label}: binary frame (${data.length} bytes) dropped`);
      return;
    }
    const text = data.toString('utf8');
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      this.stats.invalidFrames++;
      this.log.info(`${s.label}: invalid JSON dropped: ${e.message}: ${redactFrame(text.slice(0, 200), undefined).slice(0, 80)}`);
      return;
    }
    this.stats.messagesIn++;
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      this.unrecognized(s, msg, 'not an object');
      return;
    }
    // Never the password: `pw` is redacted (the logger escapes control characters).
    const shown = redactFrame(text, msg);
    this.log.debug(`${s.label} <- ${shown.length > 300 ? shown.slice(0, 300) + '...' : shown}`);
    switch (msg.type) {
      case 'join': return this.onJoin(s, msg);
      case 'receiveVideoFrom': return this.onReceiveVideoFrom(s, msg);
      case 'onIceCandidate': return this.onIceCandidate(s, msg);
      case 'sendMessage': return this.onSendMessage(s, msg);
      case 'uploadSuccess': return this.onUploadSuccess(s, msg);
      default: return this.unrecognized(s, msg, `type ${JSON.stringify(msg.type)}`);
    }
  }

  unrecognized(s, msg, why) {
    this.stats.unrecognized++;
    this.log.info(`${s.label}: unrecognized message (${why})`);
    s.send({ type: 'unrecognizedMessage' });
  }

  // ---- join / leave ----------------------------------------------------------------------

  onJoin(s, msg) {
    const userId = toInt(msg.userId);
    const user = userId === null ? null : this.users.get(userId);
    if (!user) {
      this.log.info(`${s.label}: join: user ${JSON.stringify(msg.userId)} not found`);
      s.send({ type: 'userNotFound' });
      return;
    }
    const roomId = msg.room === undefined || msg.room === null ? 0 : toInt(msg.room);
    if (roomId === null) {
      this.log.info(`${s.label}: join: bad room ${JSON.stringify(msg.room)}`);
      s.send({ type: 'permisionDeny', reason: 'badRoom' });
      return;
    }
    const cfg = this.roomConfig.get(roomId);
    if (!cfg && this.unknownRooms === 'deny') {
      this.log.info(`${s.label}: join: room ${roomId} unknown`);
      s.send({ type: 'permisionDeny', reason: 'unknownRoom' });
      return;
    }
    if (cfg && cfg.password !== null && msg.pw !== cfg.password) {
      this.log.info(`${s.label}: join: wrong password for room ${roomId}`);
      s.send({ type: 'permisionDeny', reason: 'password' });
      return;
    }
    const room = this.rooms.get(roomId);
    const previous = this.findSessionOfUser(userId);
    let count = room ? room.size : 0;
    if (room && previous && previous.room === roomId) count--;
    if (room && s.user && s.room === roomId && s !== previous && room.get(s.user.id) === s) count--;
    const max = this.maxFor(roomId);
    if (count >= max) {
      this.log.info(`${s.label}: join: room ${roomId} full (${max})`);
      s.send({ type: 'permisionDeny', reason: 'roomFull' });
      return;
    }

    // This socket was in a room already: leave it first.
    if (s.user) this.leaveRoom(s);
    // The same user on another socket: that session is replaced.
    if (previous && previous !== s) {
      this.stats.replaced++;
      this.log.info(`${previous.label} replaced by ${s.label}`);
      this.leaveRoom(previous);
      previous.user = null;
      previous.drop(CLOSE_REPLACED, 'replaced by a new session');
    }

    const others = this.enterRoom(s, user, roomId);
    s.send({ type: 'existingParticipants', participants: others.map((o) => participantInfo(o.user)) });

    const oversized = this.faults.get('oversized');
    if (oversized) s.sendOversized(oversized);
    const drop = this.faults.get('drop');
    if (drop && (drop.user === '*' || drop.user === user.id)) {
      clearTimeout(s.dropTimer);
      s.dropTimer = setTimeout(() => {
        this.log.info(`fault drop: dropping ${s.label}`);
        this.stats.drops++;
        s.drop(CLOSE_DROPPED, 'dropped by fault injection');
      }, drop.afterMs);
    }
  }

  maxFor(roomId) {
    const cfg = this.roomConfig.get(roomId);
    return (cfg && cfg.maxParticipants) || this.maxParticipants;
  }

  /** Puts s into the room as user (a new join session) and announces it; returns the others. */
  enterRoom(s, user, roomId) {
    s.user = user;
    s.room = roomId;
    if (!s.bot) {
      s.joinedOnce = true;
      clearTimeout(s.joinTimer);
      s.joinTimer = null;
    }
    s.feed = this.media.createFeed(user.id);
    s.negotiated = new Map();
    let members = this.rooms.get(roomId);
    if (!members) {
      members = new Map();
      this.rooms.set(roomId, members);
    }
    const others = [...members.values()];
    members.set(user.id, s);
    // Bots are logged at debug level (dozens at a time; the banner and control log sum them up).
    this.log[s.bot ? 'debug' : 'info'](`${s.label} joined room ${roomId} (${members.size} present)`);
    const announce = { type: 'newParticipantArrived', participant: participantInfo(user) };
    for (const o of others) {
      o.send(announce);
      if (this.faults.get('duplicate-announce')) o.send(announce);
    }
    return others;
  }

  findSessionOfUser(userId) {
    for (const members of this.rooms.values()) {
      const s = members.get(userId);
      if (s) return s;
    }
    return null;
  }

  leaveRoom(s) {
    if (!s.user) return;
    const userId = s.user.id;
    const members = this.rooms.get(s.room);
    for (const sub of s.subscriptions.values()) sub.close();
    s.subscriptions.clear();
    if (s.feed) {
      // Closes the publisher and every subscriber endpoint fed by it.
      for (const sub of s.feed.subscribers) {
        const viewer = members && members.get(sub.viewerId);
        if (viewer && viewer.subscriptions.get(userId) === sub) viewer.subscriptions.delete(userId);
      }
      s.feed.close();
      s.feed = null;
    }
    if (members && members.get(userId) === s) {
      members.delete(userId);
      this.log[s.bot ? 'debug' : 'info'](`${s.label} left room ${s.room} (${members.size} remain)`);
      for (const o of members.values()) {
        // Kurento releases every viewer's endpoint for the owner who left: a later
        // receiveVideoFrom for that id (after it re-joins) negotiates afresh.
        o.negotiated.delete(userId);
        o.send({ type: 'participantLeft', userId });
      }
      if (members.size === 0) this.rooms.delete(s.room);
    }
    s.room = null;
    s.user = null;
    s.negotiated = new Map();
  }

  // ---- media -----------------------------------------------------------------------------

  async onReceiveVideoFrom(s, msg) {
    this.stats.receiveVideoFromIn++;
    if (!s.user) { this.log.info(`${s.label}: receiveVideoFrom before join ignored`); return; }
    const ownerId = toInt(msg.userId);
    const sdpOffer = msg.sdpOffer;
    if (ownerId === null || typeof sdpOffer !== 'string') {
      this.log.info(`${s.label}: receiveVideoFrom with bad userId/sdpOffer ignored`);
      return;
    }
    const user = s.user;
    const members = this.rooms.get(s.room);
    const owner = members && members.get(ownerId);
    const strict = this.renegotiation === 'strict';
    if (!owner) {
      if (strict) {
        // Kurento: registry.getByName(sender) is null -> NullPointerException -> 1011.
        this.stats.unknownOwnerCloses++;
        this.fail(s, CLOSE_SERVER_ERROR, `unknown owner ${ownerId}`);
        return;
      }
      this.log.info(`${s.label}: receiveVideoFrom ${ownerId}: not in room ${s.room}, ignored`);
      return;
    }
    const negotiated = s.negotiated;
    if (negotiated.has(ownerId)) {
      this.stats.repeatOffers++;
      this.stats.repeatOffersByUser[user.id] = (this.stats.repeatOffersByUser[user.id] || 0) + 1;
      if (strict) {
        // Kurento: getEndpointForUser returns the endpoint that already negotiated;
        // processOffer fails (40208) and the handler does not catch it -> 1011.
        this.stats.renegotiationCloses++;
        this.fail(s, CLOSE_SERVER_ERROR, 'SDP_END_POINT_ALREADY_NEGOTIATED');
        return;
      }
      this.log.info(`${s.label}: receiveVideoFrom ${ownerId} again: replacing its endpoint (--renegotiation allow)`);
    }
    const token = {};
    negotiated.set(ownerId, token);
    let result;
    try {
      if (ownerId === user.id) {
        result = await this.media.publish(s.feed, sdpOffer);
      } else {
        const old = s.subscriptions.get(ownerId);
        if (old) old.close();
        const p = this.media.subscribe(owner.feed, user.id, sdpOffer);
        result = await p;
      }
    } catch (e) {
      this.log.info(`${s.label}: receiveVideoFrom ${ownerId} failed: ${e.message}`);
      // Nothing was negotiated: a later offer for this owner is not a repeat.
      if (negotiated.get(ownerId) === token) negotiated.delete(ownerId);
      return;
    }
    const ep = result.endpoint;
    // Session or owner gone while negotiating: the endpoint is already useless.
    if (s.closed || s.user !== user || ep.closed) { ep.close(); return; }
    // A newer receiveVideoFrom for this owner arrived meanwhile (allow mode): it wins, and
    // the client gets one answer, for its latest offer.
    if (negotiated.get(ownerId) !== token) { ep.close(); return; }
    if (ownerId !== user.id) {
      if (!owner.feed || owner.user === null) { ep.close(); return; }
      // One subscription per owner per socket: whatever is still there is replaced.
      const prev = s.subscriptions.get(ownerId);
      if (prev && prev !== ep) prev.close();
      s.subscriptions.set(ownerId, ep);
    }
    const answer = { type: 'receiveVideoAnswer', userId: ownerId, sdpAnswer: result.answer };
    const field = this.faults.get('candidate-spelling') ? 'candidate' : 'candicate';
    const sink = (c) => s.send({ type: 'iceCandidate', userId: ownerId, [field]: c });
    if (this.faults.get('candidates-before-answer')) {
      ep.startTrickle(sink);
      s.send(answer);
    } else {
      s.send(answer);
      ep.startTrickle(sink);
    }
  }

  onIceCandidate(s, msg) {
    if (!s.user) return;
    const ownerId = toInt(msg.userId);
    const ep = ownerId === s.user.id ? (s.feed && s.feed.publisher) : s.subscriptions.get(ownerId);
    if (!ep) {
      this.log.debug(`${s.label}: candidate for unknown endpoint ${msg.userId} dropped`);
      return;
    }
    const c = msg.candidate !== undefined ? msg.candidate : msg.candicate;
    if (!c || (typeof c !== 'object' && typeof c !== 'string')) return;
    ep.addRemoteCandidate(c);
  }

  // ---- chat and files --------------------------------------------------------------------

  broadcast(s, msg) {
    const members = this.rooms.get(s.room);
    if (!members) return;
    for (const o of members.values()) {
      if (o === s && !this.echoChat) continue;
      o.send(msg);
    }
  }

  /** Per user id, so that a reconnect (or a second tab) does not start a fresh allowance. */
  rateLimited(s) {
    const now = Date.now();
    const id = s.user.id;
    const times = (this.chatTimes.get(id) || []).filter((t) => now - t < this.chatRate.perMs);
    if (times.length >= this.chatRate.count) {
      this.chatTimes.set(id, times);
      this.stats.chatRateLimited++;
      this.log.info(`${s.label}: chat rate limit (${this.chatRate.count}/${this.chatRate.perMs} ms): message dropped`);
      return true;
    }
    times.push(now);
    this.chatTimes.set(id, times);
    if (this.chatTimes.size > 256) {
      for (const [k, v] of this.chatTimes) if (!v.length || now - v[v.length - 1] >= this.chatRate.perMs) this.chatTimes.delete(k);
    }
    return false;
  }

  onSendMessage(s, msg) {
    if (!s.user) { this.log.info(`${s.label}: sendMessage before join ignored`); return; }
    if (typeof msg.message !== 'string') { this.log.info(`${s.label}: sendMessage without a string message ignored`); return; }
    if (this.rateLimited(s)) return;
    this.broadcast(s, { type: 'reciveTextMessage', userId: s.user.id, message: msg.message });
  }

  onUploadSuccess(s, msg) {
    if (!s.user) { this.log.info(`${s.label}: uploadSuccess before join ignored`); return; }
    if (typeof msg.fileUrl !== 'string' || !msg.fileUrl) { this.log.info(`${s.label}: uploadSuccess without fileUrl ignored`); return; }
    if (this.rateLimited(s)) return;
    const unsafe = this.faults.get('unsafe-file-url');
    this.broadcast(s, {
      type: 'fileUploaded',
      userId: s.user.id,
      fileName: typeof msg.fileName === 'string' ? msg.fileName : '',
      fileUrl: unsafe !== undefined ? unsafe : msg.fileUrl,
    });
  }

  // ---- control ---------------------------------------------------------------------------

  sessionsOf(userId) {
    if (userId === undefined || userId === null || userId === '*') return [...this.sessions];
    return [...this.sessions].filter((s) => s.user && s.user.id === userId);
  }

  dropUser(userId) {
    const victims = this.sessionsOf(userId);
    for (const s of victims) {
      this.stats.drops++;
      s.drop(CLOSE_DROPPED, 'dropped by control');
    }
    return victims.length;
  }

  /**
   * Joins signalling-only participants to roomId (passwords ignored, the room limit applies).
   * Returns {room, joined: [ids], skipped: [{id, reason}]}; reasons: badId, alreadyBot
   * (a bot with that id exists), inUse (a real session has that user id), roomFull.
   */
  addBots(roomId, ids) {
    const joined = [];
    const skipped = [];
    for (const id of ids) {
      if (!Number.isSafeInteger(id)) { skipped.push({ id, reason: 'badId' }); continue; }
      if (this.bots.has(id)) { skipped.push({ id, reason: 'alreadyBot' }); continue; }
      if (this.findSessionOfUser(id)) { skipped.push({ id, reason: 'inUse' }); continue; }
      const members = this.rooms.get(roomId);
      if (members && members.size >= this.maxFor(roomId)) { skipped.push({ id, reason: 'roomFull' }); continue; }
      const user = this.users.get(id) || { id, name: `Bot ${id}`, prefix: '', postfix: '' };
      const b = new BotSession(this, user);
      this.bots.set(id, b);
      this.enterRoom(b, user, roomId);
      joined.push(id);
    }
    if (skipped.length) this.log.debug(`bots: skipped ${JSON.stringify(skipped)}`);
    return { room: roomId, joined, skipped };
  }

  /** Bots leave (participantLeft to their rooms); filter {room?, ids?}. Returns the ids. */
  removeBots({ room, ids } = {}) {
    const left = [];
    for (const [id, b] of [...this.bots]) {
      if (room !== undefined && room !== null && b.room !== room) continue;
      if (ids && !ids.includes(id)) continue;
      this.leaveRoom(b);
      b.drop();
      left.push(id);
    }
    return left;
  }

  botList() {
    return [...this.bots.values()].map((b) => ({ id: b.botId, room: b.room, name: b.user ? b.user.name : null }));
  }

  /** Drops every socket and forgets every room (bots too), as if the process had restarted. */
  restart() {
    this.stats.restarts++;
    const all = [...this.sessions];
    this.rooms.clear(); // first: nobody is told about the others leaving
    this.chatTimes.clear(); // a new process would not remember them either
    for (const b of [...this.bots.values()]) { this.leaveRoom(b); b.drop(); }
    for (const s of all) {
      this.onClose(s);
      s.drop(CLOSE_RESTART, 'server restart');
    }
    this.log.info(`restart: dropped ${all.length} connections, rooms forgotten`);
    return all.length;
  }

  sendGarbage(userId, kind) {
    const victims = this.sessionsOf(userId);
    for (const s of victims) {
      if (kind) s.sendGarbage(kind);
      else for (const k of GARBAGE_KINDS) s.sendGarbage(k);
    }
    return victims.length;
  }

  sendOversized(userId, bytes) {
    const victims = this.sessionsOf(userId);
    for (const s of victims) s.sendOversized(bytes);
    return victims.length;
  }

  /**
   * Rooms, sessions and endpoints for /stats. withIds false (no --control): room ids and
   * counts only, no participant ids (roomList entries {id, count} instead of
   * {id, participants}, endpoints without owner and viewer).
   */
  snapshot(withIds = true) {
    let participants = 0;
    let publishers = 0;
    let subscribers = 0;
    const rooms = [];
    const endpoints = [];
    for (const [id, members] of this.rooms) {
      participants += members.size;
      rooms.push(withIds ? { id, participants: [...members.keys()] } : { id, count: members.size });
      for (const s of members.values()) {
        if (s.feed && s.feed.publisher) {
          publishers++;
          endpoints.push(withIds ? { room: id, owner: s.user.id, viewer: s.user.id, role: 'publisher', state: s.feed.publisher.state }
            : { room: id, role: 'publisher', state: s.feed.publisher.state });
        }
        subscribers += s.subscriptions.size;
        for (const [owner, ep] of s.subscriptions) {
          endpoints.push(withIds ? { room: id, owner, viewer: s.user.id, role: 'subscriber', state: ep.state }
            : { room: id, role: 'subscriber', state: ep.state });
        }
      }
    }
    return { rooms: this.rooms.size, participants, connections: this.sessions.size, bots: this.bots.size, publishers, subscribers, roomList: rooms, endpoints };
  }

  shutdown() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.rooms.clear();
    for (const b of [...this.bots.values()]) { this.leaveRoom(b); b.drop(); }
    for (const s of [...this.sessions]) {
      this.onClose(s);
      try { s.ws.close(CLOSE_SHUTDOWN, 'server shutting down'); } catch { s.ws.terminate(); }
    }
  }
}

module.exports = {
  GroupCallServer, BotSession, CLOSE_REPLACED, CLOSE_DROPPED, CLOSE_RESTART, CLOSE_SERVER_ERROR, CLOSE_TOO_BIG, CLOSE_POLICY, garbageFrame,
};
