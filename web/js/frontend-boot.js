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
  // first): the compiled .wasm, config.json's answer, a kiosk's socket and the camera. The
  // bridges take the socket and camera (web/js/bridges.js) and read the config (loadConfig:
  // the client reads it before it opens any socket or camera, and asks for it itself when
  // early.js did not run, e.g. refused by a server's CSP header).
  const early = window.gcEarly || {};
  window.gcEarly = null;
  // With -sMODULARIZE this object is the module (`Module`) itself.
  const module = {
    onAbort(what) { fail('The client stopped: ' + what); },
    gcConfigResponse: early.config || null,
    gcEarlySocket: early.socket || null,
    gcEarlyMedia: early.media || null,
  };
  if (early.wasm) {
    // Emscripten's hook: instantiate the module early.js compiled, and hand it over.
    // If the streaming compile failed (a server that does not send application/wasm),
    // compile from the bytes, as the glue itself falls back to.
    module.instantiateWasm = (imports, receiveInstance) => {
      early.wasm.then((compiled) => WebAssembly.instantiate(compiled, imports)
        .then((instance) => receiveInstance(instance, compiled)), () =>
        fetch('groupcall.wasm', { credentials: 'same-origin' })
          .then((r) => { if (!r.ok) throw new Error('groupcall.wasm: HTTP ' + r.status); return r.arrayBuffer(); })
          .then((bytes) => WebAssembly.instantiate(bytes, imports))
          .then((result) => receiveInstance(result.instance, result.module)))
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
