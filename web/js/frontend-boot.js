// Starts the Wasm module. The Emscripten output is built with -sMODULARIZE
// -sEXPORT_NAME=createGroupcall, so it only defines a factory; this script calls it and
// turns any failure into a readable message on the loading screen.
(function () {
  // Inside the function: this file is appended to groupcall.js after the module factory
  // (--extern-post-js, src/platform/CMakeLists.txt), where a file-level 'use strict' would
  // not be the script's first statement and so would do nothing.
  'use strict';

  function fail(message) {
    const el = document.getElementById('loading');
    if (el) {
      el.textContent = message;
      el.classList.add('error');
    }
    console.error(message);
  }

  if (typeof WebAssembly !== 'object') {
    fail('This browser cannot run WebAssembly. 此浏览器不支持 WebAssembly。');
    return;
  }
  // A cheap check only: creating a throwaway WebGL2 context here cost 15-25 ms of start-up.
  // When the real context cannot be created the client says so on this loading screen.
  if (typeof WebGL2RenderingContext === 'undefined') {
    fail('This browser has no WebGL2. 此浏览器不支持 WebGL2。');
    return;
  }
  if (typeof window.createGroupcall !== 'function') {
    fail('The client script did not load. 客户端脚本未能加载。');
    return;
  }
  // What web/early.js asked for while this script and the .wasm loaded (index.html runs it
  // first): the compiled .wasm, config.json's answer, a kiosk's socket, camera and first
  // connection. The bridges take the socket, camera and connection (web/js/bridges.js) and
  // read the config (loadConfig: the client reads it before it opens any socket or camera,
  // and asks for it itself when early.js did not run, e.g. refused by a server's CSP header).
  const early = window.gcEarly || {};
  window.gcEarly = null;
  // With -sMODULARIZE this object is the module (`Module`) itself.
  const module = {
    onAbort(what) { fail('The client stopped: ' + what); },
    gcConfigResponse: early.config || null,
    gcEarlySocket: early.socket || null,
    gcEarlyMedia: early.media || null,
  };
  // The module comes in two halves (issue 12; src/app/CMakeLists.txt): groupcall.wasm,
  // what a kiosk link runs until its first videos show, and groupcall.deferred.wasm, the
  // canvas's code (Dear ImGui, the renderer, the screens). The second is instantiated
  // against the first's exports, and fills its functions into the table in place of the
  // placeholders the first was linked with. A person's page has both before the client
  // starts (early.js compiled both); a kiosk loads the second when the client asks for its
  // canvas (Module.gcLoadUiCode, web/js/bridges.js loadUiCode), after its join's work.
  const DEFERRED = 'groupcall.deferred.wasm';
  // What state().code reports (window.groupcall.state, web/js/bridges.js).
  const code = { deferred: 'idle', syncLoads: 0, failures: 0 };
  let second = null;    // [instance, module] once the second half is in
  let loading = null;   // the promise of it while a kiosk fetches it
  function bytesOf(url) {
    return fetch(url, { credentials: 'same-origin' })
      .then((r) => { if (!r.ok) throw new Error(url + ': HTTP ' + r.status); return r.arrayBuffer(); });
  }
  // The streaming compile, else from the bytes (a server that does not send application/wasm).
  function compile(url, streamed) {
    return (streamed || WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' })))
      .catch(() => bytesOf(url).then((bytes) => WebAssembly.compile(bytes)));
  }
  function attach(compiled, primaryExports) {
    if (!second) {
      second = [new WebAssembly.Instance(compiled, { primary: primaryExports }), compiled];
      code.deferred = 'loaded';
    }
    return second;
  }
  // A kiosk's second half: fetched and compiled off the main thread, then attached; a
  // failure (a server restarting) is retried, 1 s, 2 s, ... at most 30 s apart, while the
  // call goes on without a canvas.
  module.gcLoadUiCode = () => {
    if (second) return null;
    if (!loading) {
      code.deferred = 'loading';
      loading = new Promise((resolve) => {
        const attempt = (delay) => compile(DEFERRED).then((compiled) => {
          attach(compiled, module.asm);
          resolve();
        }, (err) => {
          code.failures++;
          console.warn('[groupcall] the interface code did not load (' + err + '); again in ' + delay / 1000 + ' s');
          setTimeout(() => attempt(Math.min(30000, delay * 2)), delay);
        });
        attempt(1000);
      });
    }
    return loading;
  };
  // Emscripten's hook for a call into the second half before it is in (a placeholder, e.g.
  // an embind invoker cached while it was one): once in, the same instance; else it is
  // loaded now, synchronously, and counted (state().code.syncLoads; a kiosk's join should
  // never need it: tests/bench/split-profile.mjs keeps what the join runs in the first).
  module.loadSplitModule = (url, imports) => {
    if (second) return second;
    code.syncLoads++;
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);  // a synchronous XHR cannot ask for an ArrayBuffer
    xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send(null);
    if (xhr.status !== 200) throw new Error(url + ': HTTP ' + xhr.status);
    const text = xhr.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return attach(new WebAssembly.Module(bytes), imports.primary);
  };
  module.gcCodeState = () => Object.assign({}, code);
  if (early.wasm) {
    // Emscripten's hook: instantiate the module early.js compiled, and hand it over.
    module.instantiateWasm = (imports, receiveInstance) => {
      compile('groupcall.wasm', early.wasm).then((compiled) => WebAssembly.instantiate(compiled, imports)
        .then((instance) => {
          // A person's page: the second half before the client starts (its join screen
          // draws at once). Should it fail, the client asks for it again (gcLoadUiCode).
          if (!early.deferred) return receiveInstance(instance, compiled);
          return compile(DEFERRED, early.deferred)
            .then((c) => { attach(c, instance.exports); }, () => {})
            .then(() => receiveInstance(instance, compiled));
        }))
        .catch((err) => fail('The client failed to start: ' + err));
      return {};  // the exports arrive through receiveInstance
    };
  }
  window.createGroupcall(module).then((ready) => {
    // Tests and the bridges reach the running module here.
    window.gcModule = ready;
  }).catch((err) => fail('The client failed to start: ' + err));

  // The .wasm now compiles off the main thread: create the canvas's WebGL2 context
  // meanwhile (15-25 ms with a software GL, up to 130 ms on a loaded machine), so the
  // client's own create call, which asks for the same attributes (src/platform/
  // frontend.cpp), gets this one back at no cost. Not for a kiosk: its first frame comes
  // once its first videos are on screen, and until then this thread has the socket and the
  // connections to serve.
  const canvas = document.getElementById('canvas');
  if (canvas && !early.kiosk) {
    canvas.getContext('webgl2', {
      alpha: true, premultipliedAlpha: true, antialias: false, depth: false, stencil: false,
      preserveDrawingBuffer: false,
    });
  }
})();
