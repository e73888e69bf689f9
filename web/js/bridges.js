// Thin JS glue for the C++ bridges (linked into groupcall.js with --pre-js, so `Module` is
// in scope). No protocol state lives here: only what emscripten::val cannot do by itself
// (catching exceptions, building a forwarding function) and the test hook.
'use strict';

// The early socket (issue 12): library_websocket.js creates sockets with `new
// WebSocket(url)`, and in the module's scope that name is this function. The client's
// first socket takes the one web/early.js opened while the page loaded (handed over by
// web/js/frontend-boot.js) when the URL is the same (its take() closes it otherwise);
// every other socket is the browser's own. Everything else about the socket (handlers,
// send, close) is Emscripten's.
var WebSocket = (function (Native) {
  if (typeof Native !== 'function') return undefined;  // emscripten_websocket_is_supported: no
  return function (url, protocols) {
    var early = Module['gcEarlySocket'];
    Module['gcEarlySocket'] = null;
    var socket = early ? early.take(url) : null;
    if (socket) return socket;
    return protocols === undefined ? new Native(url) : new Native(url, protocols);
  };
})(typeof window !== 'undefined' ? window.WebSocket : undefined);

// The page's one AudioContext, for levels (levelTap below): created on the first tap,
// suspended while no track is tapped (gcAudioIdle: suspended by us, not by the autoplay
// policy), so a page that left its call or its join screen runs no audio rendering.
var gcAudioContext = null;
var gcAudioTaps = 0;
var gcAudioIdle = false;
// The 'gc-level' AudioWorklet's module (web/worklets/levels.js) and what its nodes posted:
// tap id -> [energy, blocks] summed since the tap's last read (null: a node that has not
// reported yet). onSound: the function gcBridge.wakeOnSound armed (platform::SoundWake);
// it is also called (without sound) when the context stops running, since the worklet's
// reports stop with it (stopped below).
var gcLevels = {
  ready: false, lastId: 0, sums: new Map(), onSound: null, onAnyReport: false, messages: 0,
  load: function (ctx) {
    if (!ctx.audioWorklet || typeof AudioWorkletNode === 'undefined') return;  // insecure origin
    ctx.audioWorklet.addModule('worklets/levels.js').then(function () { gcLevels.ready = true; },
                                                          function () {});
  },
  receive: function (event) {
    var d = event.data;
    // A Float64Array: sound on any tap (1 or 0, the worklet's floor), then [id, energy,
    // blocks] per tap for the period.
    if (!ArrayBuffer.isView(d)) return;
    gcLevels.messages++;
    for (var k = 1; k + 2 < d.length; k += 3) {
      if (!gcLevels.sums.has(d[k])) continue;  // a tap closed since
      var s = gcLevels.sums.get(d[k]);
      if (s) { s[0] += d[k + 1]; s[1] += d[k + 2]; } else gcLevels.sums.set(d[k], [d[k + 1], d[k + 2]]);
    }
    var wake = gcLevels.onSound;
    if (wake && (d[0] > 0 || gcLevels.onAnyReport)) {
      gcLevels.onSound = null;
      wake(d[0] > 0);  // whether this report had sound (platform::SoundWake::sounding)
    }
  },
  // The context's statechange: no longer running (suspended, interrupted, closed), its
  // worklet reports nothing more, not even silence: an armed wake learns it now.
  stopped: function () {
    var wake = gcLevels.onSound;
    if (!wake || !gcAudioContext || gcAudioContext.state === 'running') return;
    gcLevels.onSound = null;
    wake(false);
  },
};

Module['gcBridge'] = {
  // A JS function that forwards one argument to the C++ callback `id`. The id is removed
  // from the C++ registry when its owner dies, so a late call does nothing.
  callback: function (id) {
    return function (arg) {
      if (Module['gcBridgeDispatch']) Module['gcBridgeDispatch'](id, arg === undefined ? null : arg);
    };
  },
  ignore: function () {},
  // localStorage throws in some sandboxes and private modes; storage is a nicety, never fatal.
  storageGet: function (key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  },
  storageSet: function (key, value) {
    try { window.localStorage.setItem(key, value); return true; } catch (e) { return false; }
  },
  // The constructor throws on a malformed iceServers entry; report it instead of aborting.
  newPeerConnection: function (config) {
    try { return { pc: new RTCPeerConnection(config), error: '' }; }
    catch (e) { return { pc: null, error: String(e) }; }
  },
  // Rule 12: offer only what a Kurento media server uses (VP8, H.264 constrained baseline
  // in packetization mode 1, Opus) through setCodecPreferences, no SDP munging. That keeps
  // every offer well under the server's 8 KiB frame limit, whatever codecs the browser
  // adds in future. Returns the number of codecs kept, 0 when the browser cannot do this
  // (the offer is then the browser's default).
  preferCodecs: function (transceiver, kind) {
    try {
      if (!transceiver.setCodecPreferences || typeof RTCRtpReceiver === 'undefined' ||
          !RTCRtpReceiver.getCapabilities) return 0;
      var caps = RTCRtpReceiver.getCapabilities(kind);
      if (!caps || !caps.codecs) return 0;
      var keep = caps.codecs.filter(function (c) {
        var mime = String(c.mimeType).toLowerCase();
        var fmtp = String(c.sdpFmtpLine || '');
        if (kind === 'audio') return mime === 'audio/opus';
        if (mime === 'video/vp8') return true;
        return mime === 'video/h264' && /profile-level-id=42e01f/i.test(fmtp) &&
               /packetization-mode=1/.test(fmtp);
      });
      keep.sort(function (a, b) {  // VP8 first: what the group-call tutorials use
        return (String(a.mimeType).toLowerCase() === 'video/vp8' ? 0 : 1) -
               (String(b.mimeType).toLowerCase() === 'video/vp8' ? 0 : 1);
      });
      if (!keep.length) return 0;
      transceiver.setCodecPreferences(keep);
      return keep.length;
    } catch (e) { return 0; }
  },
  // navigator.mediaDevices is missing on insecure origins (plain http on a LAN address).
  getUserMedia: function (constraints) {
    var md = navigator.mediaDevices;
    if (!md || !md.getUserMedia) {
      var e = new Error('camera access needs https or localhost');
      e.name = 'NotSupportedError';
      return Promise.reject(e);
    }
    // The first request takes the one web/early.js made while the page loaded when the
    // constraints are the same (its take() stops it otherwise).
    var early = Module['gcEarlyMedia'];
    Module['gcEarlyMedia'] = null;
    var taken = null;
    try { taken = early ? early.take(JSON.stringify(constraints)) : null; } catch (e) { taken = null; }
    if (taken) return taken;
    try { return md.getUserMedia(constraints); } catch (e) { return Promise.reject(e); }
  },
  // Screen sharing (issue 13 item 1): video only, at most 15 fps like the camera (a shared
  // screen needs detail, not motion). Rejects with NotAllowedError when the user cancels.
  getDisplayMedia: function () {
    var md = navigator.mediaDevices;
    if (!md || !md.getDisplayMedia) {
      var e = new Error('screen sharing is not available in this browser or on this address');
      e.name = 'NotSupportedError';
      return Promise.reject(e);
    }
    try {
      return md.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 15 } }, audio: false });
    } catch (e) { return Promise.reject(e); }
  },
  // Audio levels from WebAudio (src/platform/level_tap.hpp), in one AudioContext the page
  // shares, from the track of `from` (a MediaStreamTrack, or an RTCRtpSender /
  // RTCRtpReceiver: then whatever track it has at each read, so a device switch is
  // followed). peak(): the largest sample of the last ~43 ms (the pre-join meter), from an
  // AnalyserNode. interval(): the level since the previous read, as WebRTC's
  // totalAudioEnergy counts it (the RMS of a peak held ~110 ms, per 10 ms frame): from the
  // 'gc-level' AudioWorklet (web/worklets/levels.js), which computes it on the audio
  // thread and posts every tap's sums in one message four times a second, or not at all
  // while every track is silent (the level then stands at the silence it last said); until
  // its module has loaded, or where there is no AudioWorklet (an insecure origin), from the
  // analyser's samples, over at most the last ~340 ms. Both are 0..1 linear, or -1 without
  // a track or while the context does not run: the autoplay policy keeps it suspended until
  // the page has had a user gesture (then it is resumed), unless the browser allows
  // autoplay. null when WebAudio is missing.
  // The context is made on the first read that finds a track, not here: a connection is
  // created on the way to its first video, and an AudioContext costs ~10-20 ms to start.
  levelTap: function (from) {
    var AC = window.AudioContext || window.webkitAudioContext;
    if (!AC || !from) return null;
    var ctx = null;
    var tapped = null, source = null, analyser = null, buf = null, node = null, id = 0;
    var done = -1, lastLevel = 0, held = 0, current = 0, count = 0;
    function detach() {
      if (!source) return;
      try {
        source.disconnect();
        if (analyser) analyser.disconnect();
        if (node) { node.port.postMessage(0); node.disconnect(); }
      } catch (e) {}
      gcLevels.sums.delete(id);
      tapped = source = analyser = node = null;
      if (--gcAudioTaps === 0 && ctx.state === 'running') {
        gcAudioIdle = true;
        ctx.suspend().catch(function () {});
      }
    }
    // The source on the current track (a new one after a device switch), or null.
    function tap() {
      var track = 'track' in from ? from.track : from;
      if (track !== tapped) {
        detach();
        done = -1; lastLevel = held = current = count = 0;
        if (!track || track.kind !== 'audio') return null;
        try {
          if (!gcAudioContext) {
            // 16 kHz: a third of the samples to scan at 48 kHz (the levels are peaks per
            // 10 ms, which speech keeps below 8 kHz); a browser that refuses the rate gets
            // its own.
            try { gcAudioContext = new AC({ latencyHint: 'playback', sampleRate: 16000 }); }
            catch (e) { gcAudioContext = new AC({ latencyHint: 'playback' }); }
            gcAudioContext.onstatechange = gcLevels.stopped;
            gcLevels.load(gcAudioContext);
          }
          ctx = gcAudioContext;
          source = ctx.createMediaStreamSource(new MediaStream([track]));
          tapped = track;
          id = ++gcLevels.lastId;
          gcAudioTaps++;
        } catch (e) {
          source = null;
          return null;
        }
      }
      if (!source) return null;  // still no track
      if (ctx.state === 'suspended' &&
          (gcAudioIdle || (navigator.userActivation && navigator.userActivation.hasBeenActive))) {
        gcAudioIdle = false;
        ctx.resume().catch(function () {});
      }
      return ctx.state === 'running' ? source : null;
    }
    // The analyser on the source, made on first use; its samples are read into buf.
    function samples() {
      if (!analyser) {
        analyser = ctx.createAnalyser();
        // Enough for ~340 ms, more than the 250 ms between two reads, at whatever rate.
        analyser.fftSize = Math.min(32768, Math.pow(2, Math.ceil(Math.log2(ctx.sampleRate * 0.34))));
        source.connect(analyser);  // an analyser is processed without reaching the speakers
        if (!buf || buf.length !== analyser.fftSize) buf = new Float32Array(analyser.fftSize);
      }
      analyser.getFloatTimeDomainData(buf);
      return buf;
    }
    // The level from the worklet's sums: null while it has none for this tap.
    function fromWorklet() {
      if (!node) {
        if (!gcLevels.ready) return null;
        try {
          node = new AudioWorkletNode(ctx, 'gc-level', {
            numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit',
            processorOptions: { id: id } });
        } catch (e) {
          gcLevels.ready = false;  // the analyser from now on
          return null;
        }
        node.port.onmessage = gcLevels.receive;
        source.connect(node);
        gcLevels.sums.set(id, null);  // until the node's first message
      }
      var sums = gcLevels.sums.get(id);
      if (!sums) return null;
      if (analyser) { analyser.disconnect(); analyser = null; }  // the worklet's from now on
      // Nothing posted since the last read (the worklet is quiet while every track is
      // silent, and the last message it sent said so): the last level still stands.
      if (sums[1] <= 0) return lastLevel;
      var level = Math.sqrt(sums[0] / sums[1]);
      sums[0] = sums[1] = 0;
      lastLevel = level > 1 ? 1 : level;
      return lastLevel;
    }
    // The same level from the analyser's samples rendered since the last read.
    function fromAnalyser() {
      var block = Math.max(1, Math.round(ctx.sampleRate / 100));  // WebRTC's 10 ms frames
      var rendered = Math.round(ctx.currentTime * ctx.sampleRate);
      var size = analyser ? buf.length : Math.pow(2, Math.ceil(Math.log2(ctx.sampleRate * 0.34)));
      if (done < 0) done = rendered - Math.min(size, Math.round(ctx.sampleRate / 4));
      var fresh = rendered - done;
      if (fresh > size) { done += fresh - size; fresh = size; }
      var blocks = Math.floor(fresh / block);
      // Nothing rendered since the last read (the context renders in blocks of tens of
      // ms; two reads can fall in one): that read's level still stands.
      if (blocks <= 0) return lastLevel;
      var b0 = samples();
      var energy = 0;
      for (var b = 0, i = b0.length - fresh; b < blocks; b++, i += block) {
        var peak = 0;
        for (var j = i; j < i + block; j++) {
          var v = b0[j] < 0 ? -b0[j] : b0[j];
          if (v > peak) peak = v;
        }
        // webrtc audio/audio_level.cc: the largest peak, held for 11 frames, then a
        // quarter of it carried on; the energy counts the held value.
        if (peak > held) held = peak;
        if (count++ === 10) { current = held; count = 0; held /= 4; }
        energy += current * current;
      }
      done += blocks * block;
      var level = Math.sqrt(energy / blocks);
      lastLevel = level > 1 ? 1 : level;
      return lastLevel;
    }
    return {
      peak: function () {
        if (!tap()) return -1;
        var b0 = samples();
        var peak = 0;
        for (var i = b0.length - Math.min(b0.length, Math.round(ctx.sampleRate * 0.043)); i < b0.length; i++) {
          var v = b0[i] < 0 ? -b0[i] : b0[i];
          if (v > peak) peak = v;
        }
        return peak > 1 ? 1 : peak;
      },
      interval: function () {
        if (!tap()) return -1;
        var level = fromWorklet();
        return level === null ? fromAnalyser() : level;
      },
      close: detach,
    };
  },
  // platform::SoundWake: `fn` is called once, the next time the worklet reports sound on any
  // tapped track, or reports at all when `anyReport` (null: forget it), with whether that
  // report had sound.
  wakeOnSound: function (fn, anyReport) {
    gcLevels.onSound = fn || null;
    gcLevels.onAnyReport = Boolean(anyReport);
  },
  // Whether the worklet's reports come (platform::SoundWake::available).
  levelsFromWorklet: function () {
    return gcLevels.ready && Boolean(gcAudioContext) && gcAudioContext.state === 'running';
  },
  // The figures a stats poll needs from one RTCStatsReport (src/platform/peer.cpp), read here
  // in one call instead of a call into JavaScript per entry and per field. `what`: 1 the
  // video RTP entry (inbound-rtp when `receiving`, else outbound-rtp), the transport and its
  // selected candidate pair; 2 the audio (inbound-rtp when `receiving`, else the
  // microphone's media-source); 3 both. Reading a report whole turns every entry into a
  // JavaScript object (certificates, codecs, every candidate): so once a whole read has found
  // every entry asked for, their ids are kept in `memo` (one object per poll kind and
  // connection) and later reports give only those (RTCStatsReport.get); an id that is gone (a
  // new SSRC, a new transport) reads the report whole again. Returns [framesDecoded, bytes,
  // packetsReceived, packetsLost, framesPerSecond, frameWidth, frameHeight, jitter, round
  // trip (the selected pair's, else a nominated pair that succeeded), audioLevel,
  // totalAudioEnergy, totalSamplesDuration] (NaN: not reported) and puts the video entry's
  // qualityLimitationReason in memo.limitation.
  statsFigures: function (report, memo, what, receiving) {
    var out = new Float64Array(12).fill(NaN);
    var rtp = receiving ? 'inbound-rtp' : 'outbound-rtp';
    var audioType = receiving ? 'inbound-rtp' : 'media-source';
    function kindOf(e) { return e.kind || e.mediaType; }
    var video = null, transport = null, audio = null, pairs = [];
    var ids = memo.what === what ? memo.ids : null;
    memo.what = what;
    if (ids) {
      video = ids.video ? report.get(ids.video) : null;
      transport = ids.transport ? report.get(ids.transport) : null;
      audio = ids.audio ? report.get(ids.audio) : null;
      if ((ids.video && !video) || (ids.transport && !transport) || (ids.audio && !audio)) ids = null;
    }
    if (!ids) {
      video = transport = audio = null;
      report.forEach(function (e) {
        if ((what & 1) && e.type === rtp && kindOf(e) === 'video' && !video) video = e;
        else if ((what & 1) && e.type === 'transport' && !transport) transport = e;
        else if ((what & 1) && e.type === 'candidate-pair') pairs.push(e);
        else if ((what & 2) && e.type === audioType && kindOf(e) === 'audio' && !audio) audio = e;
      });
      memo.ids = (!(what & 1) || (video && transport)) && (!(what & 2) || audio)
        ? { video: video && video.id, transport: transport && transport.id, audio: audio && audio.id } : null;
    }
    function num(e, key, at) { if (e && typeof e[key] === 'number') out[at] = e[key]; }
    if (video) {
      num(video, 'framesDecoded', 0);
      num(video, receiving ? 'bytesReceived' : 'bytesSent', 1);
      num(video, 'packetsReceived', 2);
      num(video, 'packetsLost', 3);
      num(video, 'framesPerSecond', 4);
      num(video, 'frameWidth', 5);
      num(video, 'frameHeight', 6);
      num(video, 'jitter', 7);
      memo.limitation = typeof video.qualityLimitationReason === 'string' ? video.qualityLimitationReason : '';
    }
    var pair = transport && transport.selectedCandidatePairId ? report.get(transport.selectedCandidatePairId) : null;
    num(pair, 'currentRoundTripTime', 8);
    for (var i = 0; isNaN(out[8]) && i < pairs.length; i++) {
      if (pairs[i].nominated && pairs[i].state === 'succeeded') num(pairs[i], 'currentRoundTripTime', 8);
    }
    num(audio, 'audioLevel', 9);
    num(audio, 'totalAudioEnergy', 10);
    num(audio, 'totalSamplesDuration', 11);
    return out;
  },
  // Stops the tracks of a getUserMedia whose C++ owner has gone away.
  stopWhenResolved: function (promise) {
    promise.then(function (s) { s.getTracks().forEach(function (t) { t.stop(); }); },
                 function () {});
  },
  enumerateDevices: function () {
    var md = navigator.mediaDevices;
    if (!md || !md.enumerateDevices) return Promise.resolve([]);
    return md.enumerateDevices().catch(function () { return []; });
  },
  // The module's second half, the canvas's code (issue 12; src/app/CMakeLists.txt): null
  // once it is in, else a promise of it that never rejects (web/js/frontend-boot.js
  // gcLoadUiCode fetches it, and retries). Without that loader (the module started some
  // other way) both halves are taken as in: a call into the second is then loaded at once.
  loadUiCode: function () {
    var load = Module['gcLoadUiCode'];
    return load ? load() : null;
  },
  // Screen Wake Lock for kiosks; resolves to the sentinel or null, never rejects.
  requestWakeLock: function () {
    try {
      if (!navigator.wakeLock) return Promise.resolve(null);
      return navigator.wakeLock.request('screen').catch(function () { return null; });
    } catch (e) { return Promise.resolve(null); }
  },
  // config.json beside index.html (README "Deployment config"), as requested by
  // web/js/frontend-boot.js (or now, when the module was started some other way). Resolves,
  // never rejects, to {status, contentType, body, error}; src/core/deploy_config.hpp decides
  // what it means (404: no config). Reads at most 64 KiB + 1 byte and waits at most 5 s:
  // nothing connects before this settles.
  loadConfig: function () {
    var LIMIT = 64 * 1024;
    var out = { status: 0, contentType: '', body: '', error: '' };
    function failed(e) { out.error = String(e && e.message ? e.message : e) || 'failed'; return out; }
    var request;
    try {
      request = Module['gcConfigResponse'] ||
        fetch('config.json', { cache: 'no-cache', mode: 'same-origin', credentials: 'same-origin' });
    } catch (e) { return Promise.resolve(failed(e)); }
    var read = Promise.resolve(request).then(function (res) {
      out.status = res.status;
      out.contentType = res.headers.get('content-type') || '';
      if (!res.ok) { if (res.body) res.body.cancel().catch(function () {}); return out; }
      if (Number(res.headers.get('content-length')) > LIMIT) {
        if (res.body) res.body.cancel().catch(function () {});
        out.error = 'larger than 64 KiB';
        return out;
      }
      var chunks = [];
      var size = 0;
      var reader = res.body.getReader();
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          chunks.push(r.value);
          size += r.value.length;
          if (size > LIMIT) { reader.cancel().catch(function () {}); throw new Error('larger than 64 KiB'); }
          return pump();
        });
      }
      return pump().then(function () {
        var bytes = new Uint8Array(size);
        var at = 0;
        chunks.forEach(function (c) { bytes.set(c, at); at += c.length; });
        out.body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return out;
      });
    }).catch(failed);
    var timer = 0;
    var timeout = new Promise(function (resolve) {
      timer = setTimeout(function () {
        resolve({ status: 0, contentType: '', body: '', error: 'no answer within 5 s' });
      }, 5000);
    });
    return Promise.race([read, timeout]).then(function (r) { clearTimeout(timer); return r; });
  },
  // Returns {name, message}-ish description; XHR.send can throw synchronously on bad URLs.
  xhrSend: function (xhr, body) {
    try { xhr.send(body); return ''; } catch (e) { return String(e); }
  },
  xhrOpen: function (xhr, method, url) {
    try { xhr.open(method, url, true); return ''; } catch (e) { return String(e); }
  },
};

// The test hook (README "Test hook"): the view model as JSON, plus helpers that go
// through the same paths as the UI.
if (typeof window !== 'undefined') {
  window['groupcall'] = {
    state: function () {
      var s = Module['groupcallState'] ? JSON.parse(Module['groupcallState']()) : null;
      // The glyph atlas and its bounds (issue 11 item 6; src/platform/frontend.cpp js_stats):
      // {atlasWidth, atlasHeight, glyphs, maxTextureSize, glyphBudget, missingGlyphs, ...}.
      if (s && Module['gcFrontend_stats']) s['fonts'] = JSON.parse(Module['gcFrontend_stats']());
      // The module's two halves (issue 12; web/js/frontend-boot.js): {deferred: "idle" |
      // "loading" | "loaded", syncLoads, failures}. syncLoads: calls that needed the second
      // half before it was in (then loaded at once, synchronously).
      if (s && Module['gcCodeState']) s['code'] = Module['gcCodeState']();
      // Where the speaking levels come from (src/platform/level_tap.hpp): "worklet" (the
      // audio worklet's module loaded), "analyser" (a context runs, no worklet), "none" (no
      // AudioContext yet: getStats); the worklet's messages so far and the tapped tracks.
      if (s) {
        s['audioLevels'] = {
          source: gcLevels.ready ? 'worklet' : gcAudioContext ? 'analyser' : 'none',
          context: gcAudioContext ? gcAudioContext.state : 'none',
          messages: gcLevels.messages, taps: gcAudioTaps,
        };
      }
      return s;
    },
    // The UI's named areas of the last frame: [{name, x, y, w, h}] in CSS px, e.g.
    // "join/button", "chat/input"; click their centre to drive the real UI.
    regions: function () {
      return Module['groupcallRegions'] ? JSON.parse(Module['groupcallRegions']()) : [];
    },
    // Upload a File/Blob exactly as if it had been picked in the file chooser.
    uploadFile: function (file) { return Module['groupcallUploadFile'](file); },
    sendChat: function (text) { return Module['groupcallSendChat'](String(text)); },
    leave: function () { return Module['groupcallLeave'](); },
    enableSound: function () { return Module['groupcallEnableSound'](); },
  };
}
