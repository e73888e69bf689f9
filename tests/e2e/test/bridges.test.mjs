// Unit tests of web/js/bridges.js's pure helpers, without a browser: the file is run in a
// node:vm context with a stub Module (it defines Module.gcBridge and touches the page only
// when `window` exists). statsFigures picks a stats poll's figures from an RTCStatsReport
// (src/platform/peer.cpp), levelTap computes speaking levels from a WebAudio analyser
// (src/platform/level_tap.hpp); both replaced per-field calls and getStats polls (issue 12
// item 5), so what they answer is checked here against what the old code answered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = readFileSync(path.join(here, '../../../web/js/bridges.js'), 'utf8');

function load(globals = {}) {
  const context = vm.createContext({ Module: {}, ...globals });
  vm.runInContext(source, context);
  return context.Module.gcBridge;
}

// An RTCStatsReport: get(id), forEach; counts whole reads.
function report(entries) {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const r = {
    wholeReads: 0,
    get: (id) => byId.get(id),
    forEach(fn) { r.wholeReads++; byId.forEach((e) => fn(e)); },
  };
  return r;
}

const receiveEntries = (ssrcId = 'IT01V1') => [
  { id: 'CF1', type: 'certificate' },
  { id: ssrcId, type: 'inbound-rtp', kind: 'video', framesDecoded: 120, bytesReceived: 50000, packetsReceived: 400,
    packetsLost: 2, framesPerSecond: 15, frameWidth: 320, frameHeight: 240, jitter: 0.005 },
  { id: 'IT01A1', type: 'inbound-rtp', kind: 'audio', audioLevel: 0.25, totalAudioEnergy: 3.5, totalSamplesDuration: 12 },
  { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP2' },
  { id: 'CP1', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.09 },
  { id: 'CP2', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.004 },
];
const figures = (a) => Array.from(a).map((x) => (Number.isNaN(x) ? null : x));

test('statsFigures: a receive report gives the video, round-trip and audio figures; NaN for what is missing', () => {
  const bridge = load();
  const memo = {};
  const f = figures(bridge.statsFigures(report(receiveEntries()), memo, 3, true));
  assert.deepEqual(f, [120, 50000, 400, 2, 15, 320, 240, 0.005, 0.004, 0.25, 3.5, 12]);
  const bare = figures(bridge.statsFigures(report([{ id: 'V', type: 'inbound-rtp', kind: 'video', framesDecoded: 3 }]), {}, 3, true));
  assert.deepEqual(bare, [3, null, null, null, null, null, null, null, null, null, null, null]);
});

test('statsFigures: later reports are read by id; a new entry id reads the report whole again', () => {
  const bridge = load();
  const memo = {};
  const first = report(receiveEntries());
  bridge.statsFigures(first, memo, 3, true);
  assert.equal(first.wholeReads, 1);
  const second = report(receiveEntries());
  assert.equal(figures(bridge.statsFigures(second, memo, 3, true))[0], 120);
  assert.equal(second.wholeReads, 0, 'read by the remembered ids');
  const renewed = report(receiveEntries('IT02V1'));  // a new SSRC: the old id is gone
  assert.equal(figures(bridge.statsFigures(renewed, memo, 3, true))[0], 120);
  assert.equal(renewed.wholeReads, 1);
  // Asking for other figures (audio no longer wanted) does not trust ids found for others.
  const videoOnly = report(receiveEntries('IT02V1'));
  const f = figures(bridge.statsFigures(videoOnly, memo, 1, true));
  assert.equal(videoOnly.wholeReads, 1);
  assert.deepEqual(f.slice(9), [null, null, null]);
});

test('statsFigures: without a selected pair the nominated pair that succeeded gives the round trip', () => {
  const bridge = load();
  const entries = receiveEntries().map((e) => (e.type === 'transport' ? { id: 'T01', type: 'transport' } : e))
    .filter((e) => e.id !== 'CP2');
  assert.equal(figures(bridge.statsFigures(report(entries), {}, 1, true))[8], 0.09);
});

test('statsFigures: a send report gives outbound-rtp video, its limitation, and the microphone media-source', () => {
  const bridge = load();
  const memo = {};
  const entries = [
    { id: 'OT1', type: 'outbound-rtp', kind: 'video', bytesSent: 9000, framesPerSecond: 14, frameWidth: 640,
      frameHeight: 360, qualityLimitationReason: 'cpu' },
    { id: 'S1', type: 'media-source', kind: 'audio', audioLevel: 0.5, totalAudioEnergy: 1, totalSamplesDuration: 4 },
    { id: 'S2', type: 'media-source', kind: 'video' },
    { id: 'T1', type: 'transport' },
  ];
  const f = figures(bridge.statsFigures(report(entries), memo, 3, false));
  assert.deepEqual(f, [null, 9000, null, null, 14, 640, 360, null, null, 0.5, 1, 4]);
  assert.equal(memo.limitation, 'cpu');
  // Audio only (a sender's own report): no video entry is needed to remember the ids.
  const audioMemo = {};
  bridge.statsFigures(report(entries.slice(1, 2)), audioMemo, 2, false);
  const again = report(entries.slice(1, 2));
  assert.deepEqual(figures(bridge.statsFigures(again, audioMemo, 2, false)).slice(9), [0.5, 1, 4]);
  assert.equal(again.wholeReads, 0);
});

// A fake AudioContext whose analyser's time-domain data is a signal the test controls, and
// whose clock the test moves (as the audio thread would).
// rates: the sample rates the fake AudioContext accepts when asked for one (else it runs at
// 48 kHz whatever is asked, like a browser that ignores the option).
function audio(signal, rates = null) {
  const ctx = {
    state: 'running',
    sampleRate: 48000,
    currentTime: 0,
    suspends: 0,
    suspend: () => { ctx.suspends++; ctx.state = 'suspended'; return Promise.resolve(); },
    resume: () => { ctx.state = 'running'; return Promise.resolve(); },
    createMediaStreamSource: () => ({ connect() {}, disconnect() {} }),
    createAnalyser: () => ({
      fftSize: 2048,
      disconnect() {},
      getFloatTimeDomainData(buf) {  // the latest buf.length samples up to currentTime
        const end = Math.round(ctx.currentTime * ctx.sampleRate);
        for (let i = 0; i < buf.length; i++) buf[i] = signal(end - buf.length + i);
      },
    }),
  };
  const globals = {
    window: {
      AudioContext: function AudioContext(options) {
        ctx.made = (ctx.made || 0) + 1;
        if (rates && options && options.sampleRate) {  // a browser that takes the rate asked for
          if (!rates.includes(options.sampleRate)) throw new Error('NotSupportedError');
          ctx.sampleRate = options.sampleRate;
        }
        return ctx;
      },
    },
    navigator: { userActivation: { hasBeenActive: true } },
    MediaStream: function MediaStream() {},
  };
  return { ctx, globals };
}

// WebRTC's audio/audio_level.cc over the same samples: the peak of each 10 ms frame, held
// for 11 frames then a quarter carried on; totalAudioEnergy adds held^2 * duration.
function webrtcLevel(signal, from, to) {
  let held = 0, current = 0, count = 0, energy = 0, frames = 0;
  for (let s = 0; s + 480 <= to; s += 480) {
    let peak = 0;
    for (let i = s; i < s + 480; i++) peak = Math.max(peak, Math.abs(signal(i)));
    if (peak > held) held = peak;
    if (count++ === 10) { current = held; count = 0; held /= 4; }
    if (s >= from) { energy += current * current; frames++; }
  }
  return Math.sqrt(energy / frames);
}

test('levelTap: the level since the last read is WebRTC\'s totalAudioEnergy level of the same samples', () => {
  const tone = (i) => 0.3 * Math.sin(2 * Math.PI * 440 * i / 48000);
  const burst = (i) => (i % 48000 < 2400 ? 0.6 * Math.sin(i / 5) : 0);  // 50 ms of sound each second
  for (const [name, signal] of [['a steady tone', tone], ['a short burst between reads', burst], ['silence', () => 0]]) {
    const { ctx, globals } = audio(signal);
    const bridge = load(globals);
    const tap = bridge.levelTap({ kind: 'audio' });  // a track
    ctx.currentTime = 1.0;
    tap.interval();  // the first read covers the last 250 ms
    const got = [];
    const want = [];
    for (let k = 1; k <= 8; k++) {
      const from = Math.round((1 + (k - 1) * 0.25) * 48000);
      ctx.currentTime = 1 + k * 0.25;
      got.push(tap.interval());
      want.push(webrtcLevel(signal, from, Math.round(ctx.currentTime * 48000)));
    }
    const rms = (xs) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
    assert.ok(Math.abs(rms(got) - rms(want)) <= 0.02 + 0.05 * rms(want),
              `${name}: analyser ${rms(got).toFixed(4)} against WebRTC's ${rms(want).toFixed(4)}`);
    if (name === 'silence') assert.equal(rms(got), 0);
    if (name !== 'silence') assert.ok(got.every((x) => x >= 0 && x <= 1));
  }
});

test('levelTap: a context at 16 kHz where the browser allows it, its own rate where not; the same levels', () => {
  const tone = (t) => 0.3 * Math.sin(2 * Math.PI * 440 * t);
  for (const rates of [[16000], [44100]]) {
    const rate = rates[0] === 16000 ? 16000 : 48000;
    const { ctx, globals } = audio((i) => tone(i / rate), rates);
    const bridge = load(globals);
    const tap = bridge.levelTap({ kind: 'audio' });
    ctx.currentTime = 1.0;
    tap.interval();
    assert.equal(ctx.sampleRate, rate);
    const got = [];
    for (let k = 1; k <= 8; k++) {
      ctx.currentTime = 1 + k * 0.25;
      got.push(tap.interval());
    }
    // WebRTC's level of the same tone (at 48 kHz): its peak, 0.3
    const want = webrtcLevel((i) => tone(i / 48000), 48000, 3 * 48000);
    for (const g of got) assert.ok(Math.abs(g - want) <= 0.01, `${rate} Hz: ${g} against ${want}`);
  }
});

test('levelTap: -1 while the context does not run or there is no track; the same level for a read with nothing new', () => {
  const { ctx, globals } = audio(() => 0.5);
  const bridge = load(globals);
  const receiver = { track: null };  // an RTCRtpReceiver whose track is read at each read
  const tap = bridge.levelTap(receiver);
  assert.equal(ctx.made, undefined, 'no AudioContext while the connection is made (time to video)');
  assert.equal(tap.interval(), -1, 'no track');
  assert.equal(ctx.made, undefined, 'nor before there is a track');
  receiver.track = { kind: 'audio' };
  ctx.currentTime = 1;
  const level = tap.interval();  // as WebRTC: the held level is 0 until its first update (11 frames)
  assert.ok(level > 0.3 && level < 0.5, `a level: ${level}`);
  assert.equal(tap.interval(), level, 'nothing rendered since: the last level stands');
  assert.equal(ctx.made, 1, 'one AudioContext, made on the first read with a track');
  ctx.state = 'suspended';
  globals.navigator.userActivation.hasBeenActive = false;
  ctx.currentTime = 2;
  assert.equal(tap.interval(), -1, 'a suspended context: the caller asks getStats');
  assert.equal(load({ window: {} }).levelTap({ kind: 'audio' }), null, 'a browser without WebAudio');
});

test('levelTap: the shared AudioContext is suspended while nothing is tapped, and resumed for the next tap', () => {
  const { ctx, globals } = audio(() => 0.5);
  globals.navigator.userActivation.hasBeenActive = false;  // e.g. a kiosk whose browser allows autoplay
  const bridge = load(globals);
  const a = bridge.levelTap({ kind: 'audio' });
  const b = bridge.levelTap({ track: { kind: 'audio' } });
  ctx.currentTime = 1;
  assert.ok(a.interval() > 0 && b.interval() > 0);
  a.close();
  assert.equal(ctx.suspends, 0, 'one track is still tapped');
  b.close();
  b.close();  // closing twice counts once
  assert.equal(ctx.suspends, 1);
  assert.equal(ctx.state, 'suspended');
  const c = bridge.levelTap({ kind: 'audio' });
  ctx.currentTime = 2;
  assert.ok(c.interval() > 0, 'suspended by the taps, not by the autoplay policy: resumed');
  assert.equal(ctx.state, 'running');
});
