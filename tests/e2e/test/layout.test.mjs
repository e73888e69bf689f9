// The speaker layout, the own microphone's meter and the pre-join check (issue 13 items 2
// and 7), in headless Chromium with fake devices:
//   28a the join screen's camera preview plays, the pickers list the fake cameras and
//       microphones, the meter moves with the microphone, a choice survives a reload, and
//       Join publishes the preview's stream (one getUserMedia for both); a microphone that
//       falls silent draws no frames, on the join screen or in the room;
//   28b G shows the active speaker large above a filmstrip, P pins them, the controls bar's
//       layout button goes back to the grid; no owner is offered twice; the meter beside
//       Mute moves with the fake microphone (Chromium's beep).
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  clickRegion, countCameraRequests, e2eTest, getState, pageUrl, region, seesVideoFrom, settle, waitFor, waitUntil,
} from '../lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A mono 16-bit 48 kHz WAV: `toneSeconds` of a 440 Hz tone at -10 dBFS, then silence.
// Chromium plays it as the fake microphone once (%noloop), then only silence.
function writeWav(file, toneSeconds, silenceSeconds) {
  const rate = 48000;
  const n = Math.round(rate * (toneSeconds + silenceSeconds));
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + n * 2, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 2, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < rate * toneSeconds; i++) buf.writeInt16LE(Math.round(Math.sin(2 * Math.PI * 440 * i / rate) * 0.316 * 32767), 44 + i * 2);
  writeFileSync(file, buf);
}

// The self <video>: playing, where on the page, and the device its video track comes from.
const selfVideo = (page) => page.evaluate(() => {
  const v = document.querySelector('video.gc-self');
  if (!v) return null;
  const r = v.getBoundingClientRect();
  const track = v.srcObject && v.srcObject.getVideoTracks()[0];
  return { playing: !v.paused && v.readyState >= 2 && v.videoWidth > 0, shown: getComputedStyle(v).display !== 'none',
           x: r.x, y: r.y, w: r.width, h: r.height, camera: track ? track.getSettings().deviceId : null };
});

// Frames drawn over `ms`, and a trace (every 250 ms: frames, the meter's level) for the report.
const framesOver = async (page, ms) => {
  const f0 = (await getState(page)).framesDrawn;
  const trace = [];
  let last = f0;
  for (let t = 0; t < ms; t += 250) {
    await sleep(250);
    const s = await getState(page);
    trace.push(`${s.framesDrawn - last}@${s.self.audioLevel.toFixed(3)}`);
    last = s.framesDrawn;
  }
  return { frames: last - f0, trace: trace.join(' ') };
};

e2eTest('28a. pre-join check: camera preview, pickers, meter; the choice survives a reload; Join reuses the stream; silence draws nothing', async (env) => {
  const wav = path.join(os.tmpdir(), `gc-e2e-tone-${process.pid}.wav`);
  writeWav(wav, 2, 1);
  try {
    const server = await env.server();
    const browser = await env.browser({
      fakeMedia: false,
      args: ['--use-fake-device-for-media-stream=device-count=2', `--use-file-for-fake-audio-capture=${wav}%noloop`],
    });
    const url = pageUrl(server, { room: 1, user: 1, lang: 'en' });
    const t0 = Date.now();
    const page = await env.page(url, { browser, name: 'prejoin', beforeGoto: countCameraRequests });

    // The preview plays where the join screen draws it, and its meter moves with the tone.
    await waitFor(page, (s) => s.preview.state === 'live', { timeout: 15000, what: 'the preview live' });
    const liveAfter = Date.now() - t0;
    await waitFor(page, (s) => s.self.audioLevel > 0.05, { timeout: 10000, interval: 50, what: 'the meter moves (the tone)' });
    const box = await region(page, 'join/preview');
    const video = await waitUntil(async () => { const v = await selfVideo(page); return v && v.playing && v.shown && v; },
                                  { timeout: 10000, what: 'the preview <video> plays' });
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(video[k] - box[k]) <= 1, `video ${k} ${video[k]} at the preview's ${box[k]}`);

    // The pickers list the fake devices, with labels (the permission is granted).
    const { devices } = await waitFor(page, (s) => s.devices.cameras.length === 2 && s.devices.microphones.length >= 2 && s,
                                      { timeout: 10000, what: 'two fake cameras and the microphones listed' });
    for (const d of [...devices.cameras, ...devices.microphones]) assert.ok(d.label, `a label for ${d.id}`);
    const second = devices.cameras[1].id;
    assert.notEqual(video.camera, second, 'the first camera to begin with');
    await clickRegion(page, 'join/camera');
    await clickRegion(page, 'join/camera/1');
    await waitUntil(async () => (await selfVideo(page))?.camera === second, { timeout: 10000, what: 'the preview switched camera' });
    const mic = devices.microphones[devices.microphones.length - 1].id;
    await clickRegion(page, 'join/mic');
    await clickRegion(page, `join/mic/${devices.microphones.length - 1}`);
    await waitFor(page, (s) => s.devices.camera === second && s.devices.microphone === mic, { timeout: 10000, what: 'both chosen' });

    // A reload asks for the same devices.
    const tReload = Date.now();
    await page.reload();
    await waitFor(page, (s) => s && s.preview.state === 'live', { timeout: 15000, what: 'the preview live after the reload' });
    await waitUntil(async () => (await selfVideo(page))?.camera === second, { timeout: 10000, what: 'the remembered camera' });
    const reloaded = await getState(page);
    assert.equal(reloaded.devices.camera, second);
    assert.equal(reloaded.devices.microphone, mic);

    // Silence (the tone played once): the meter at 0 asks for no frames on the join screen.
    // A click beside the form first: a focused text field's caret blinks (3 frames a
    // second, as before the pre-join check).
    await page.mouse.click(2, 300);
    await sleep(Math.max(0, tReload + 3000 - Date.now()));  // the reload's 2 s tone is over
    await waitFor(page, (s) => s.self.audioLevel < 0.001, { timeout: 10000, interval: 100, what: 'the tone over' });
    await sleep(1500);  // the click's own frames (focus, settling) are over
    const joinScreenFrames = await framesOver(page, 3000);

    // Join: the preview's stream goes out; no second getUserMedia, no wait for one.
    const tClick = Date.now();
    await clickRegion(page, 'join/button');
    await waitFor(page, (s) => s.self.mediaReady, { timeout: 10000, interval: 20, what: 'media ready' });
    const mediaAfter = Date.now() - tClick;
    await waitFor(page, (s) => s.phase === 'in-room' && s.self.publish === 'live', { timeout: 15000, what: 'publishing' });
    const publishAfter = Date.now() - tClick;
    assert.equal(await page.evaluate(() => window.__gum), 1, 'one getUserMedia since the reload: the preview\'s');
    assert.equal((await selfVideo(page)).camera, second, 'the call sends the chosen camera');

    // In the room, alone and silent: the meter beside Mute adds no frames either.
    await page.mouse.move(2, 2);
    await sleep(1500);
    const roomFrames = await framesOver(page, 3000);
    assert.ok(joinScreenFrames.frames <= 2, `join screen with a silent microphone: ${JSON.stringify(joinScreenFrames)} frames in 3 s`);
    assert.ok(roomFrames.frames <= 2, `room with a silent microphone: ${JSON.stringify(roomFrames)} frames in 3 s`);
    console.log(`28a: preview live ${liveAfter} ms after opening the page; after Join: media ready ${mediaAfter} ms, ` +
                `publishing ${publishAfter} ms; frames over 3 s with a silent ` +
                `microphone (per 250 ms @ level): join screen ${joinScreenFrames.frames} (${joinScreenFrames.trace}), ` +
                `room ${roomFrames.frames} (${roomFrames.trace})`);
  } finally {
    rmSync(wav, { force: true });
  }
});

// The tile on screen that is larger than every other (the grid's are all equal: none).
function largeTile(s) {
  const tiles = s.participants.filter((p) => p.tile).map((p) => ({ id: p.id, ...p.tile }));
  if (s.self.tile) tiles.push({ id: s.selfId, ...s.self.tile });
  tiles.sort((a, b) => b.w - a.w);
  return tiles.length > 1 && tiles[0].w > tiles[1].w * 1.5 ? tiles[0] : null;
}

e2eTest('28b. speaker layout: G, the active speaker large above a filmstrip, P pins them, the layout button; the meter beside Mute', async (env) => {
  const server = await env.server();
  const ids = [1, 2, 5];
  const browser = await env.browser();  // Chromium's beeping fake microphones (the shared one is silent)
  const pages = await env.users(server, ids.map((user) => ({ room: 1, user })), { browser });
  const a = pages[0];
  await waitFor(a, (s) => seesVideoFrom(s, [2, 5]), { timeout: 45000, what: 'video from the two others' });
  const before = await server.stats();
  assert.equal((await getState(a)).layout, 'grid');
  await region(a, 'controls/meter');
  await waitFor(a, (s) => s.self.audioLevel > 0, { timeout: 10000, interval: 50, what: 'the own meter above 0 (fake microphone)' });
  await settle(a);

  await a.keyboard.press('g');
  const speaker = await waitFor(a, (s) => s.layout === 'speaker' && s.activeSpeaker !== null &&
                                         largeTile(s)?.id === s.activeSpeaker && s,
                                { timeout: 15000, what: 'the active speaker large' });
  for (const id of [2, 5]) assert.ok(speaker.participants.find((p) => p.id === id).visible, `${id} on screen, subscribed`);
  assert.equal(speaker.pinned, null);

  await a.keyboard.press('p');
  const pinned = await waitFor(a, (s) => s.pinned !== null && largeTile(s)?.id === s.pinned && s,
                               { timeout: 5000, what: 'P pins the active speaker' });
  assert.ok([2, 5].includes(pinned.pinned), `pinned ${pinned.pinned}`);

  await clickRegion(a, 'controls/layout');
  const grid = await waitFor(a, (s) => s.layout === 'grid' && s.pinned === null && !largeTile(s) && s,
                             { timeout: 5000, what: 'the layout button: back to the grid' });
  for (const id of [2, 5]) assert.ok(grid.participants.find((p) => p.id === id).visible);

  const after = await server.stats();
  assert.equal(after.receiveVideoFromIn, before.receiveVideoFromIn, 'switching layouts offered nothing');
  assert.equal(after.repeatOffers, 0);
  assert.equal(grid.resubscribes, 0);
  assert.equal(grid.rejoins.count, 0);
  console.log(`28b: speaker ${speaker.activeSpeaker} large, pinned ${pinned.pinned}; offers ${before.receiveVideoFromIn} -> ${after.receiveVideoFromIn}`);
});
