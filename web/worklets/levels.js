// The audio levels of the page's tapped tracks, computed on the audio rendering thread
// (issue 12 item 5: a call at rest). Loaded by gcBridge.levelTap (web/js/bridges.js) into
// the page's one AudioContext with audioWorklet.addModule: a file of its own because the
// page's CSP (script-src 'self') allows no blob: module.
//
// One 'gc-level' node per tapped track. Each counts its track's level as WebRTC's
// totalAudioEnergy does (webrtc audio/audio_level.cc: per 10 ms frame the largest sample,
// held for 11 frames, then a quarter of it carried on; the energy adds the held value
// squared). The processors share this module's scope: every 250 ms of rendered audio the
// first of them to run collects every tap's sums for that period and posts them in one
// message, so the page's main thread gets at most four small messages a second whatever
// the number of tiles, instead of reading and scanning an analyser's samples for each tile
// four times a second. While every track is silent (each period's level under FLOOR,
// -50 dBov: no ring or meter shows anything that low) nothing is posted, after one message
// that says so: a quiet call costs the main thread nothing (platform::SoundWake sleeps on
// it). A new tap's first period is always posted. A message is a Float64Array: whether any
// tap had sound (1 or 0), then [id, energy, blocks] per tap.
'use strict';

const PERIOD_S = 0.25;
const FLOOR = 0.00316;  // -50 dBov, as kSilentLevel in src/app/client.cpp
const taps = new Map();  // tap id -> { energy, blocks, posted }: this period's sums
let periodAt = -Infinity;  // currentTime the period began
let sounded = false;  // the last message had sound in it

function collect() {
  const out = new Float64Array(1 + taps.size * 3);
  let k = 1;
  let sound = false;
  let fresh = false;
  for (const [id, s] of taps) {
    out[k++] = id;
    out[k++] = s.energy;
    out[k++] = s.blocks;
    if (s.blocks > 0 && Math.sqrt(s.energy / s.blocks) >= FLOOR) sound = true;
    if (!s.posted) fresh = true;
    s.energy = 0;
    s.blocks = 0;
    s.posted = true;
  }
  out[0] = sound ? 1 : 0;
  const post = sound || sounded || fresh;
  sounded = sound;
  return post ? out : null;
}

class LevelProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.id = options.processorOptions.id;
    this.block = Math.max(1, Math.round(sampleRate / 100));  // WebRTC's 10 ms frames
    this.filled = 0;
    this.peak = 0;
    this.held = 0;
    this.current = 0;
    this.count = 0;
    this.sums = { energy: 0, blocks: 0, posted: false };
    this.open = true;
    taps.set(this.id, this.sums);
    // Any message closes the tap: the node is then collected once disconnected.
    this.port.onmessage = () => {
      this.open = false;
      taps.delete(this.id);
    };
  }

  process(inputs) {
    if (!this.open) return false;
    if (currentTime - periodAt >= PERIOD_S) {
      periodAt = currentTime;
      const out = collect();
      if (out) this.port.postMessage(out, [out.buffer]);
    }
    const channel = inputs[0] && inputs[0][0];  // the node mixes its input down to mono
    const n = channel ? channel.length : 128;   // nothing connected (yet): silence
    const sums = this.sums;
    for (let i = 0; i < n; i++) {
      const v = channel ? Math.abs(channel[i]) : 0;
      if (v > this.peak) this.peak = v;
      if (++this.filled < this.block) continue;
      if (this.peak > this.held) this.held = this.peak;
      if (this.count++ === 10) {
        this.current = this.held;
        this.count = 0;
        this.held /= 4;
      }
      sums.energy += this.current * this.current;
      sums.blocks++;
      this.peak = 0;
      this.filled = 0;
    }
    return true;
  }
}

registerProcessor('gc-level', LevelProcessor);
