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

// WebRTC's audio/audio_level.cc over the same samples: the peak of each 10 ms frame (`frame`
// samples: 480 at 48 kHz), held for 11 frames then a quarter carried on; totalAudioEnergy
// adds held^2 * duration.
function webrtcLevel(signal, from, to, frame = 480) {
  let held = 0, current = 0, count = 0, energy = 0, frames = 0;
  for (let s = 0; s + frame <= to; s += frame) {
    let peak = 0;
    for (let i = s; i < s + frame; i++) peak = Math.max(peak, Math.abs(signal(i)));
    if (peak > held) held = peak;
    if (count++ === 10) { current = held; count = 0; held /= 4; }
    if (s >= from) { energy += current * current; frames++; }
  }
  return Math.sqrt(energy / frames);
}
const rms = (xs) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);

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

// The worklet (web/worklets/levels.js) run for real in a context of its own, as the audio
// thread would run it: a fake AudioContext whose audioWorklet loads it, AudioWorkletNodes
// that make its processors, and a render() that feeds each one 128-sample quanta of its
// signal and delivers their messages (as a structured clone would) to the nodes' ports.
const workletSource = readFileSync(path.join(here, '../../../web/worklets/levels.js'), 'utf8');
function workletAudio(rate = 16000) {
  const scope = { sampleRate: rate, currentTime: 0, processors: {} };
  scope.AudioWorkletProcessor = class { constructor() { this.port = { postMessage: () => {}, onmessage: null }; } };
  scope.registerProcessor = (name, cls) => { scope.processors[name] = cls; };
  const wctx = vm.createContext(scope);
  const nodes = [];
  const ctx = {
    state: 'running', sampleRate: rate, currentTime: 0, suspends: 0, analysers: 0, modules: [],
    suspend: () => { ctx.state = 'suspended'; return Promise.resolve(); },
    resume: () => { ctx.state = 'running'; return Promise.resolve(); },
    createMediaStreamSource: (stream) => ({
      signal: stream.signal,
      connect(node) { if (node.input !== undefined) node.input = this.signal; },
      disconnect() {},
    }),
    createAnalyser: () => { ctx.analysers++; return { fftSize: 2048, disconnect() {}, getFloatTimeDomainData(buf) { buf.fill(0); } }; },
    audioWorklet: { addModule: (url) => { ctx.modules.push(url); vm.runInContext(workletSource, wctx); return Promise.resolve(); } },
  };
  function AudioWorkletNode(c, name, options) {
    const Processor = scope.processors[name];
    if (!Processor) throw new Error(`no processor ${name}`);
    const node = { input: null, port: { onmessage: null }, disconnected: false };
    node.processor = new Processor(options);
    node.processor.port.postMessage = (data) => {
      const copy = new Float64Array(data);  // the structured clone
      setImmediate(() => node.port.onmessage && node.port.onmessage({ data: copy }));
    };
    node.port.postMessage = (m) => node.processor.port.onmessage && node.processor.port.onmessage({ data: m });
    node.disconnect = () => { node.disconnected = true; };
    nodes.push(node);
    return node;
  }
  let frame = 0;  // samples rendered
  async function render(seconds) {
    const end = frame + Math.round(seconds * rate);
    for (; frame < end; frame += 128) {
      scope.currentTime = frame / rate;
      for (const node of nodes) {
        if (node.ended) continue;
        const channel = node.input ? Float32Array.from({ length: 128 }, (_, i) => node.input(frame + i)) : null;
        if (!node.processor.process(channel ? [[channel]] : [[]])) node.ended = true;
      }
    }
    ctx.currentTime = frame / rate;
    await new Promise((r) => setImmediate(r));  // the messages
  }
  const globals = {
    window: { AudioContext: function AudioContext() { return ctx; } },
    navigator: { userActivation: { hasBeenActive: true } },
    MediaStream: function MediaStream(tracks) { this.signal = tracks[0].signal; },
    AudioWorkletNode,
  };
  return { ctx, globals, render, nodes };
}

test('levelTap: the audio worklet\'s levels are WebRTC\'s totalAudioEnergy levels, four messages a second for every tap', async () => {
  const rate = 16000;
  const tone = (i) => 0.3 * Math.sin(2 * Math.PI * 440 * i / rate);
  const burst = (i) => (i % rate < 800 ? 0.6 * Math.sin(i / 5) : 0);  // 50 ms of sound each second
  const { ctx, globals, render, nodes } = workletAudio(rate);
  const bridge = load(globals);
  const taps = [tone, burst, () => 0].map((signal) => bridge.levelTap({ kind: 'audio', signal }));
  await render(0.1);
  for (const t of taps) t.interval();  // the first reads: the analyser's, the module loads
  assert.deepEqual(ctx.modules, ['worklets/levels.js']);
  await new Promise((r) => setImmediate(r));  // addModule resolved
  for (const t of taps) assert.equal(t.interval() >= 0, true);
  assert.equal(nodes.length, 3, 'a node per tap once the module loaded');
  await render(0.3);  // the first message
  let messages = 0;
  for (const n of nodes) { const on = n.port.onmessage; n.port.onmessage = (e) => { messages++; on(e); }; }
  for (const t of taps) t.interval();  // from here, levels since this read
  const got = [[], [], []];
  const start = Math.round(ctx.currentTime * rate / 160) * 160;
  for (let k = 0; k < 8; k++) {
    await render(0.25);
    taps.forEach((t, i) => got[i].push(t.interval()));
  }
  assert.ok(messages >= 7 && messages <= 9, `one message per 250 ms for all three taps: ${messages} in 2 s`);
  assert.equal(ctx.analysers, 3, 'the analysers of the first reads only');
  const end = Math.round(ctx.currentTime * rate);
  [tone, burst].forEach((signal, i) => {
    const want = webrtcLevel(signal, start, end, rate / 100);  // the same 10 ms frames of this rate
    assert.ok(Math.abs(rms(got[i]) - want) <= 0.01 * want, `tap ${i}: worklet ${rms(got[i]).toFixed(6)} against WebRTC's ${want.toFixed(6)}`);
  });
  assert.equal(rms(got[2]), 0, 'silence');
  // Closing a tap ends its processor and forgets its sums.
  taps[0].close();
  await render(0.5);
  assert.equal(nodes[0].ended, true, 'the closed tap\'s processor returned false');
  assert.equal(nodes[0].disconnected, true);
  assert.ok(taps[1].interval() >= 0, 'the others go on');
});

test('levelTap: a silent call posts nothing after saying so; the first sound is posted and wakes the armed SoundWake once', async () => {
  const rate = 16000;
  let loud = false;
  const noise = (i) => (loud ? 0.2 * Math.sin(i / 3) : 0.001 * Math.sin(i / 3));  // -60 dBov: silent
  const { globals, render, nodes } = workletAudio(rate);
  const bridge = load(globals);
  const taps = [noise, () => 0].map((signal) => bridge.levelTap({ kind: 'audio', signal }));
  for (const t of taps) t.interval();
  await new Promise((r) => setImmediate(r));
  for (const t of taps) t.interval();  // the nodes
  let messages = 0;
  for (const n of nodes) { const on = n.port.onmessage; n.port.onmessage = (e) => { messages++; on(e); }; }
  await render(0.6);
  assert.equal(messages, 1, 'the new taps\' first period, then nothing');
  assert.ok(taps[0].interval() < 0.00316, 'the level below the floor');
  let woken = 0;
  const sounds = [];
  bridge.wakeOnSound((sound) => { woken++; sounds.push(sound); });
  await render(3);
  assert.equal(messages, 1, 'three seconds of silence: no message');
  assert.equal(woken, 0);
  loud = true;
  await render(0.3);
  assert.equal(woken, 1, 'the first sound wakes');
  assert.deepEqual(sounds, [true], 'and says the report had sound');
  assert.ok(taps[0].interval() > 0.1, 'and its level is read');
  const after = messages;
  await render(0.5);
  assert.equal(woken, 1, 'once');
  assert.equal(messages - after, 2, 'four a second while there is sound');
  loud = false;
  for (let k = 0; k < 6; k++) {  // read as the poll does: the held peak decays, then one message saying so
    await render(0.25);
    taps[0].interval();
  }
  const quiet = messages;
  await render(1);
  assert.equal(messages, quiet, 'silent again: nothing');
  assert.ok(taps[0].interval() < 0.00316);
  assert.equal(taps[0].interval(), taps[0].interval(), 'nothing new: the level stands');
  bridge.wakeOnSound(null);
  loud = true;
  await render(0.5);
  assert.equal(woken, 1, 'a wake that was cancelled does not fire');
  // anyReport: the next report, sound or not (the reads follow the reports while there is sound).
  assert.equal(bridge.levelsFromWorklet(), true);
  let reports = 0;
  bridge.wakeOnSound((sound) => { reports++; sounds.push(sound); }, true);
  await render(0.3);
  assert.equal(reports, 1, 'the next report, once');
  assert.equal(sounds[1], true, 'with sound');
  // The report after the sound stops says so (the poll then ends the rings' hold on a timer).
  loud = false;
  for (let k = 0; k < 10 && sounds[sounds.length - 1] !== false; k++) {
    bridge.wakeOnSound((sound) => { sounds.push(sound); }, true);
    await render(0.25);
    taps[0].interval();
  }
  assert.equal(sounds[sounds.length - 1], false, `the last report says silence: ${JSON.stringify(sounds)}`);
});

test('levelTap: when the context stops running its worklet reports nothing more, and the armed wake fires without sound', async () => {
  const rate = 16000;
  const { ctx, globals, render } = workletAudio(rate);
  const bridge = load(globals);
  const tap = bridge.levelTap({ kind: 'audio', signal: (i) => 0.2 * Math.sin(i / 3) });
  tap.interval();
  await new Promise((r) => setImmediate(r));
  tap.interval();  // the node
  await render(0.3);
  assert.equal(typeof ctx.onstatechange, 'function', 'the context\'s statechange is watched');
  const sounds = [];
  bridge.wakeOnSound((sound) => { sounds.push(sound); }, true);
  ctx.onstatechange();
  assert.deepEqual(sounds, [], 'still running: nothing');
  await render(0.3);
  assert.deepEqual(sounds, [true], 'a report with sound');
  bridge.wakeOnSound((sound) => { sounds.push(sound); }, true);
  ctx.state = 'interrupted';
  ctx.onstatechange();
  assert.deepEqual(sounds, [true, false], 'stopped: the wake fires at once, without sound');
  assert.equal(tap.interval(), -1, 'and the tap reads nothing');
  ctx.onstatechange();
  assert.deepEqual(sounds, [true, false], 'once');
});

test('levelTap: without an AudioWorklet (an insecure origin) the analyser gives the levels', () => {
  const { ctx, globals } = audio(() => 0.5);
  assert.equal(globals.AudioWorkletNode, undefined);
  const bridge = load(globals);
  const tap = bridge.levelTap({ kind: 'audio' });
  ctx.currentTime = 1;
  assert.ok(tap.interval() > 0.3);
  assert.equal(bridge.levelsFromWorklet(), false, 'no reports would come: the caller keeps its timer');
});
