// Unit test (no browser) of tests/bench/instrument.js, the bench's page probe: the bench is
// not part of the test command, so a probe that stops matching the client's behaviour would
// only show as a bench section that times out (as its owner matching did after the client
// began to prepare a receive connection before knowing its owner).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = readFileSync(path.join(here, '../../bench/instrument.js'), 'utf8');

// The probe in a context of its own, over fake WebSocket and RTCPeerConnection classes.
function load() {
  class FakeSocket {
    constructor() { this.sent = []; this.listeners = {}; }
    addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
    send(data) { this.sent.push(data); }
  }
  class FakePeer {
    constructor() { this.connectionState = 'new'; this.localDescription = null; this.frames = 0; }
    addEventListener() {}
    getStats() { return Promise.resolve([{ type: 'inbound-rtp', kind: 'video', framesDecoded: this.frames }]); }
  }
  const window = {
    WebSocket: FakeSocket, RTCPeerConnection: FakePeer,
    addEventListener() {}, requestAnimationFrame: (cb) => setTimeout(cb, 0),
  };
  const context = vm.createContext({
    window, performance: { timeOrigin: 0, now: () => Date.now() }, setTimeout, Promise, JSON, String,
    document: {}, MutationObserver: class { observe() {} },
  });
  vm.runInContext(source, context);
  return window;
}
const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=video 9 UDP/TLS/RTP/SAVPF 96',
               'a=ice-ufrag:Ab12', 'a=ice-pwd:0123456789012345678901', 'a=recvonly', ''].join('\r\n');

test('bench instrument: a receive connection is its owner\'s by the offer\'s ICE ufrag, also once it has gathered candidates', async () => {
  const window = load();
  const B = window.__bench;
  const socket = new window.WebSocket('ws://x');
  // Prepared before its owner was known: the offer went out long after, and the connection's
  // description has gained its candidates since.
  const prepared = new window.RTCPeerConnection();
  prepared.localDescription = { sdp: OFFER.replace('a=recvonly\r\n', 'a=recvonly\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n') };
  const other = new window.RTCPeerConnection();
  other.localDescription = { sdp: OFFER.replace('Ab12', 'Zz99') };
  socket.send(JSON.stringify({ id: 'receiveVideoFrom', type: 'receiveVideoFrom', userId: 7, sdpOffer: OFFER }));
  assert.ok('7' in B.offerSent);
  prepared.frames = 3;
  await tick();
  assert.ok('7' in B.decoded, 'the prepared connection decodes for 7');
  assert.equal(other.__owner, undefined, 'another connection is not 7\'s');
  // An offer without a ufrag matches nothing.
  socket.send(JSON.stringify({ type: 'receiveVideoFrom', userId: 8, sdpOffer: 'v=0\r\n' }));
  await tick();
  assert.equal(other.__owner, undefined);
});
