// Issue 12 (time to video): what the client will certainly ask for first, asked for while
// the page is still parsing. index.html runs this small script in <head>, before
// groupcall.js (deferred, 115 KB) and the .wasm have loaded: the .wasm's compile,
// config.json, a kiosk link's socket and the camera and microphone start a few hundred
// milliseconds sooner than from web/js/frontend-boot.js, which hands them to the module
// (window.gcEarly), whose bridges take them (web/js/bridges.js). The socket and the camera
// are guesses, never decisions: anything the client asks for differently gets its own
// socket or stream, and these are closed or stopped.
// Not linked into groupcall.js: the build writes it into the staged index.html and adds its
// SHA-256 to the page's script-src (src/platform/inline_script.cmake), so it runs as the
// parser reaches it, with no request of its own. It must not contain a closing script tag.
(function () {
  'use strict';
  window.gcEarly = null;
  // Where the client cannot start (frontend-boot.js says why), nothing is opened.
  if (typeof WebAssembly !== 'object' || typeof WebGL2RenderingContext === 'undefined') return;

  // The fragment as the two guesses below read it (src/core/url_config.cpp decides): of a
  // repeated key the last wins; a flag is true for "", 1, true, yes, on, false for 0,
  // false, no, off, null for anything else and undefined when absent (parse_flag).
  const fragment = (() => {
    try { return new URLSearchParams(location.hash.replace(/^#/, '')); } catch (e) { return new URLSearchParams(); }
  })();
  const last = (key) => (fragment.has(key) ? fragment.getAll(key).pop() : null);
  function flag(key) {
    const v = last(key);
    if (v === null) return undefined;
    if (['', '1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    return null;
  }

  // The shape of every guess below: take(wanted) hands over what get() gives when `wanted`
  // is `key` (get() may still refuse: null) and drops the guess otherwise; a guess is taken
  // at most once, and one not taken within 10 s is dropped.
  function guess(key, get, drop) {
    let taken = false;
    const timer = setTimeout(() => { if (!taken) { taken = true; drop(); } }, 10000);
    return {
      take(wanted) {
        if (taken) return null;
        taken = true;
        clearTimeout(timer);
        const value = wanted === key ? get() : null;
        if (!value) drop();
        return value || null;
      },
    };
  }

  // Issue 12 (time to video): a kiosk link joins as soon as the client runs, so the socket
  // to this page's own server is opened now, while the .wasm downloads and compiles, and
  // the client's first socket to exactly that URL is this one (web/js/bridges.js). This is
  // a guess, never a decision: the fragment is read only to skip the guess where it cannot
  // be right (not a kiosk, or another server asked for), and src/core decides the URL as
  // always (URL fragment, config.json); another URL gets its own socket and this one is
  // closed unused. Nothing is sent on it before the client has taken it, and only this
  // page's own origin is contacted. Not taken within 10 s: closed.
  function earlySocket() {
    try {
      if (typeof WebSocket !== 'function') return null;
      if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
      if (flag('kiosk') !== true || fragment.has('server')) return null;
      const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/groupcall';
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';  // as emscripten_websocket_new sets it
      let opened = false;
      const messages = [];
      const onOpen = () => { opened = true; };
      const onMessage = (e) => { messages.push(e.data); };
      socket.addEventListener('open', onOpen);
      socket.addEventListener('message', onMessage);
      const detach = () => {
        socket.removeEventListener('open', onOpen);
        socket.removeEventListener('message', onMessage);
      };
      // The socket for `url`, or null (another URL, already closing or closed, taken
      // before: then it is closed). Its `open` (and anything received since) already
      // happened, so it is delivered again to the handlers the taker sets in this task.
      return guess(url, () => {
        if (socket.readyState > 1) return null;
        detach();
        if (opened) {
          Promise.resolve().then(() => {
            if (socket.onopen) socket.onopen(new Event('open'));
            messages.forEach((data) => {
              if (socket.onmessage) socket.onmessage(new MessageEvent('message', { data }));
            });
          });
        }
        return socket;
      }, () => {
        detach();
        try { socket.close(1000); } catch (e) { /* already closing */ }
      });
    } catch (e) {
      return null;  // a guess that cannot be made costs nothing
    }
  }

  // Issue 12 (time to video): the camera and microphone the client will ask for as soon as
  // it runs (a normal page opens its pre-join preview at once; a kiosk link with publish=1
  // publishes when it joins) are asked for now, while the .wasm downloads and compiles: the
  // browser opens the devices meanwhile, and the client's first getUserMedia with exactly
  // these constraints takes this request (web/js/bridges.js). Like earlySocket a guess, never
  // a decision: only where the client is certain to ask (no server= or upload= that a
  // deployment could refuse; not a receive-only kiosk, not publish=0), with the constraints
  // it builds from the fragment (w, h, fps) and the devices chosen last time
  // (src/app/client.cpp); anything else makes the client ask afresh and this stream is
  // stopped. Not taken within 10 s: stopped.
  function earlyMedia() {
    try {
      const md = navigator.mediaDevices;
      if (!md || typeof md.getUserMedia !== 'function') return null;
      if (fragment.has('server') || fragment.has('upload')) return null;
      const kiosk = flag('kiosk');
      const publish = flag('publish');
      if (kiosk === null || publish === null) return null;
      if (kiosk ? publish !== true : publish === false) return null;
      const int = (key, lo, hi, fallback) => {  // core/url_config.cpp: else the default
        const v = last(key);
        if (v === null || !/^[0-9]{1,9}$/.test(v)) return fallback;
        const n = Number(v);
        return n >= lo && n <= hi ? n : fallback;
      };
      const stored = (key) => {
        try { return window.localStorage.getItem('groupcall.' + key) || ''; } catch (e) { return ''; }
      };
      const fps = int('fps', 1, 60, 15);
      const camera = stored('camera');
      const mic = stored('mic');
      // Built in the order src/platform/media.cpp builds it: the key is its JSON.
      const video = { width: { ideal: int('w', 16, 4096, 640) }, height: { ideal: int('h', 16, 4096, 360) },
                      frameRate: { ideal: fps, max: fps } };
      if (camera) video.deviceId = { exact: camera };
      const constraints = { audio: mic ? { deviceId: { exact: mic } } : true, video };
      const request = md.getUserMedia(constraints);
      request.catch(() => {});  // a refusal is the taker's to report
      // The request for exactly `wanted` (a JSON string), or null (then it is stopped).
      return guess(JSON.stringify(constraints), () => request,
                   () => request.then((stream) => stream.getTracks().forEach((t) => t.stop()), () => {}));
    } catch (e) {
      return null;
    }
  }

  // Issue 12 (time to video, start-up): the .wasm compiled while it downloads, from here
  // rather than from the Emscripten glue in groupcall.js. The glue's own compile starts only
  // once groupcall.js has run, which a deferred script does after the page is parsed and
  // the stylesheet has loaded (~200-350 ms after the .wasm's last byte in a 2-page round);
  // this fetch takes the response of index.html's preload, so nothing is downloaded twice.
  // web/js/frontend-boot.js instantiates the compiled module (and falls back to the bytes
  // if the server's answer cannot be compiled as a stream, e.g. not application/wasm).
  // earlyCompile(file): that compile for `file`, or null where it cannot be started.
  function earlyCompile(file) {
    try {
      if (typeof WebAssembly.compileStreaming !== 'function' || typeof fetch !== 'function') return null;
      const compiled = WebAssembly.compileStreaming(fetch(file, { credentials: 'same-origin' }));
      compiled.catch(() => {});  // frontend-boot.js falls back, and reports what fails there
      return compiled;
    } catch (e) {
      return null;
    }
  }

  // Issue 12: the module's second half (groupcall.deferred.wasm: Dear ImGui, the renderer,
  // the screens; src/app/CMakeLists.txt). A person's page draws its join screen at once, so
  // it is compiled now too, beside the first; a kiosk link asks for it only once its first
  // videos are up (web/js/frontend-boot.js), so its join waits for half the bytes.
  function earlyDeferred() {
    return flag('kiosk') === true ? null : earlyCompile('groupcall.deferred.wasm');
  }

  // config.json beside index.html (README "Deployment config"), asked for with the page:
  // the client reads the answer before it opens any socket or camera (web/js/bridges.js
  // loadConfig, which also times it out and reports a failure).
  function earlyConfig() {
    try {
      const response = fetch('config.json', { cache: 'no-cache', mode: 'same-origin', credentials: 'same-origin' });
      response.catch(() => {});
      return response;
    } catch (e) {
      return null;
    }
  }

  // kiosk: web/js/frontend-boot.js leaves the canvas alone (a kiosk draws its first frame
  // once its first videos are on screen, src/app/client.cpp).
  window.gcEarly = { wasm: earlyCompile('groupcall.wasm'), deferred: earlyDeferred(), config: earlyConfig(), socket: earlySocket(),
                    media: earlyMedia(), kiosk: flag('kiosk') === true };
})();
