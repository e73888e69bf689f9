// Starts the Wasm module. The Emscripten output is built with -sMODULARIZE
// -sEXPORT_NAME=createGroupcall, so it only defines a factory; this script calls it and
// turns any failure into a readable message on the loading screen.
'use strict';

(function () {
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
  if (!document.createElement('canvas').getContext('webgl2')) {
    fail('This browser has no WebGL2. 此浏览器不支持 WebGL2。');
    return;
  }
  if (typeof window.createGroupcall !== 'function') {
    fail('The client script did not load. 客户端脚本未能加载。');
    return;
  }
  window.createGroupcall({
    onAbort(what) { fail('The client stopped: ' + what); },
  }).then((module) => {
    // Tests and the bridges reach the running module here.
    window.gcModule = module;
  }).catch((err) => fail('The client failed to start: ' + err));
})();
