// Glue between the page and src/platform (Frontend): the hidden IME input, clipboard,
// file drag-and-drop, the fallback font fetch and the loading screen. It translates browser
// events into calls on functions the Wasm module exports (Module.gcFrontend_*) and holds
// no application state. Mouse, wheel, touch and keys are read by C++ (Emscripten html5).
//
// C++ calls window.gcFrontend.attach(Module, canvasSelector) when a Frontend is created and
// detach() when it is destroyed; after detach every late event is dropped.
(function () {
  'use strict';  // inside the function: this file is linked at the top of groupcall.js

  let mod = null;       // the Emscripten module while a Frontend is alive
  let canvas = null;
  let ime = null;       // <input id="gc-ime">: receives typed, composed and pasted text
  // Where typing goes now: #gc-ime, or the accessibility mirror's field for the active
  // canvas field (web/js/a11y.js, data-gc-item), so a screen reader is in that field.
  let textEl = null;
  let composing = false;

  // Typing, composition and paste events come from either kind of text element.
  const isTextTarget = (el) => !!el && (el === ime || (el.dataset && el.dataset.gcField === '1'));
  let removers = [];

  function on(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    removers.push(() => target.removeEventListener(type, fn, opts));
  }

  // A single-line <input>, not a <textarea>, so that it can become type=password while
  // ImGui's password field is active (setTextInput); Enter and Shift+Enter reach ImGui as
  // keys either way.
  function imeElement() {
    let el = document.getElementById('gc-ime');
    if (!el || el.tagName !== 'INPUT') {
      const input = document.createElement('input');
      if (el) el.replaceWith(input); else document.body.appendChild(input);
      el = input;
      el.id = 'gc-ime';
    }
    el.type = 'text';
    el.setAttribute('autocomplete', 'off');
    el.setAttribute('autocorrect', 'off');
    el.setAttribute('autocapitalize', 'off');
    el.setAttribute('spellcheck', 'false');
    el.setAttribute('aria-hidden', 'true');
    el.tabIndex = -1;
    return el;
  }

  // A mirror field keeps its text: the canvas's field sends it back with the caret; a
  // password never stays in the DOM.
  function clearIme(el) {
    if (!composing && (el === ime || el.type === 'password')) el.value = '';
  }

  function onCompositionStart(e) {
    if (!isTextTarget(e.target)) return;
    composing = true;
    e.target.classList.add('composing');
    if (mod) mod.gcFrontend_composing(true);
  }

  // The pre-edit text is shown in the input itself: size it to its content.
  function onCompositionUpdate(e) {
    if (!composing || !isTextTarget(e.target)) return;
    const el = e.target;
    el.style.width = '1px';
    el.style.width = (el.scrollWidth + 2) + 'px';
  }

  function onCompositionEnd(e) {
    if (!isTextTarget(e.target)) return;
    composing = false;
    e.target.classList.remove('composing');
    e.target.style.width = '';
    // The committed text arrives here; the 'input' events of the composition are skipped
    // below, so it is inserted exactly once.
    if (mod) {
      mod.gcFrontend_composing(false);
      if (e.data) mod.gcFrontend_text(e.data);
    }
    if (e.target === ime) ime.value = '';
  }

  function onInput(e) {
    if (!isTextTarget(e.target) || e.isComposing || composing) return;
    // Only plain insertions carry text: Enter, Backspace and friends reach ImGui as keys, a
    // paste arrives through the 'paste' event, and composition text through compositionend.
    if ((e.inputType === 'insertText' || e.inputType === 'insertReplacementText') && e.data) {
      if (mod) mod.gcFrontend_text(e.data);
    }
    clearIme(e.target);
  }

  function onPaste(e) {
    if (!isTextTarget(e.target)) return;
    e.preventDefault();
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (mod && text) mod.gcFrontend_paste(text);
  }

  function hasFiles(e) {
    const types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
  }

  function onDragOver(e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }

  function onDrop(e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    const files = e.dataTransfer.files;
    for (let i = 0; i < files.length; i++) {
      if (mod) mod.gcFrontend_fileDropped(files[i]);
    }
  }

  // devicePixelRatio changes (window moved to another screen, zoom) do not always fire
  // 'resize'; a media query on the current ratio does.
  let dprQuery = null;
  function watchPixelRatio() {
    if (dprQuery) dprQuery.removeEventListener('change', onPixelRatioChange);
    dprQuery = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
    dprQuery.addEventListener('change', onPixelRatioChange);
  }
  function onPixelRatioChange() {
    watchPixelRatio();
    if (mod) mod.gcFrontend_wake();
  }

  function copyFallback(text) {
    const had = document.activeElement;
    const tmp = document.createElement('textarea');
    tmp.value = text;
    tmp.className = 'gc-offscreen';
    document.body.appendChild(tmp);
    tmp.select();
    try { document.execCommand('copy'); } catch (err) { console.warn('copy failed', err); }
    tmp.remove();
    if (had && had.focus) had.focus({ preventScroll: true });
  }

  window.gcFrontend = {
    attach(module, canvasSelector) {
      this.detach();
      mod = module;
      canvas = document.querySelector(canvasSelector);
      ime = imeElement();
      textEl = ime;
      on(document, 'compositionstart', onCompositionStart, true);
      on(document, 'compositionupdate', onCompositionUpdate, true);
      on(document, 'input', onCompositionUpdate, true);
      on(document, 'compositionend', onCompositionEnd, true);
      on(document, 'input', onInput, true);
      on(document, 'paste', onPaste, true);
      on(document, 'dragenter', onDragOver);
      on(document, 'dragover', onDragOver);
      on(document, 'drop', onDrop);
      if (canvas) on(canvas, 'contextmenu', (e) => e.preventDefault());
      watchPixelRatio();
      return !!canvas;
    },

    detach() {
      removers.forEach((f) => f());
      removers = [];
      if (dprQuery) dprQuery.removeEventListener('change', onPixelRatioChange);
      dprQuery = null;
      if (ime && document.activeElement === ime) ime.blur();
      mod = null;
      canvas = null;
    },

    // True when keys belong to the canvas: nothing else on the page has the focus.
    focusIsOurs() {
      return this.keyRoute() === 1;
    },

    // Who gets a key: 0 not ours (another element of the page), 1 the canvas (nothing
    // focused, the canvas, or a text element), 2 a control of the accessibility mirror
    // (Tab, Enter and Space stay the browser's: focus moves, the button is clicked).
    keyRoute() {
      const a = document.activeElement;
      if (!a || a === document.body || a === document.documentElement || a === canvas || isTextTarget(a)) return 1;
      if (a.closest && a.closest('#gc-a11y')) return 2;
      return 0;
    },

    // Places the input at ImGui's text caret (CSS px relative to the canvas) and gives it
    // the focus while ImGui wants text, so IME candidate windows open next to the caret.
    // password: ImGui's active field is a password field: the input is type=password
    // (autocomplete=new-password: no saved password offered, nothing learnt or shown) until
    // another field is active or none is.
    // item: the active canvas field's ImGui id; when the accessibility mirror has a field
    // for it, typing goes there instead of #gc-ime, and it follows the canvas's text and
    // caret (value, caret in UTF-16 units; never for a password).
    setTextInput(active, x, y, lineHeight, password, item, value, caret) {
      if (!ime) return;
      const field = active && item ? document.querySelector('#gc-a11y [data-gc-field][data-gc-item="' + item + '"]') : null;
      const target = field || ime;
      if (textEl && textEl !== target && textEl !== ime) {
        textEl.classList.remove('gc-typing');
        textEl.style.left = textEl.style.top = textEl.style.height = textEl.style.fontSize = '';
        if (document.activeElement === textEl && !active) textEl.blur();
      }
      textEl = target;
      const type = active && password ? 'password' : 'text';
      if (target === ime && ime.type !== type) {
        if (!composing) ime.value = '';
        ime.type = type;
        ime.setAttribute('autocomplete', type === 'password' ? 'new-password' : 'off');
      }
      const r = canvas ? canvas.getBoundingClientRect() : { left: 0, top: 0 };
      if (field) field.classList.add('gc-typing');
      target.style.left = (r.left + x) + 'px';
      target.style.top = (r.top + y) + 'px';
      target.style.height = lineHeight + 'px';
      target.style.fontSize = Math.max(1, Math.round(lineHeight * 0.8)) + 'px';
      if (field && !password && !composing && typeof value === 'string') {
        if (field.value !== value) field.value = value;
        if (caret >= 0 && document.activeElement === field) field.setSelectionRange(caret, caret);
      }
      if (active) {
        if (document.activeElement !== target) {
          if (field && window.gcA11y) window.gcA11y.focusField(field);
          else target.focus({ preventScroll: true });
        }
      } else if (document.activeElement === ime) {
        ime.blur();
        ime.value = '';
      }
    },

    copyText(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).catch(() => copyFallback(text));
      } else {
        copyFallback(text);
      }
    },

    setCursor(css) {
      if (canvas) canvas.style.cursor = css;
    },

    // Fetches the fallback fonts (canvas data-fallback-fonts, space-separated, in merge
    // order: the rest of Latin, Greek, Cyrillic, symbols; then CJK) after the first paint;
    // C++ merges each into the atlas as it arrives.
    loadFallbackFonts() {
      const list = ((canvas && canvas.dataset.fallbackFonts) || 'fonts/dejavu-sans-ext.ttf fonts/wqy-microhei-cjk.ttf')
        .split(/\s+/).filter(Boolean);
      const m = mod;
      let pending = list.length;
      const failures = [];
      const settled = () => {
        if (--pending > 0) return;
        window.gcFrontend.cjkFont = failures.length ? 'failed: ' + failures.join('; ') : 'loaded';
      };
      list.forEach((url, index) => {
        fetch(url)
          .then((r) => {
            if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
            return r.arrayBuffer();
          })
          .then((buf) => {
            if (m === mod && mod) mod.gcFrontend_fontLoaded(index, new Uint8Array(buf));
          })
          .catch((err) => {
            failures.push(String(err));
            if (m === mod && mod) mod.gcFrontend_fontFailed(String(err));
          })
          .finally(settled);
      });
    },

    // Fetches the emoji font (canvas data-emoji-font), asked by C++ once, when text with an
    // emoji first reaches the glyph atlas: a page without emoji never downloads it.
    loadEmojiFont() {
      const url = (canvas && canvas.dataset.emojiFont) || 'fonts/unifont-emoji.otf';
      const m = mod;
      window.gcFrontend.emojiFont = 'pending';
      fetch(url)
        .then((r) => {
          if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
          return r.arrayBuffer();
        })
        .then((buf) => {
          if (m === mod && mod) mod.gcFrontend_emojiFontLoaded(new Uint8Array(buf));
          window.gcFrontend.emojiFont = 'loaded';
        })
        .catch((err) => {
          window.gcFrontend.emojiFont = 'failed: ' + err;
          if (m === mod && mod) mod.gcFrontend_emojiFontFailed(String(err));
        });
    },

    // The first ImGui frame is on screen: the loading text goes.
    firstFrame() {
      const el = document.getElementById('loading');
      if (el) el.remove();
      document.documentElement.classList.add('gc-ready');
    },

    // For tests: 'pending' until every fallback font (CJK included) has been handed to the
    // atlas, then 'loaded' (or 'failed: ...').
    cjkFont: 'pending',
    // 'none' until an emoji asks for the emoji font, then 'pending', 'loaded' or 'failed: ...'.
    emojiFont: 'none',

    // For tests and the idle benchmark.
    framesDrawn() {
      return mod ? mod.gcFrontend_framesDrawn() : 0;
    },

    // Frames, font atlas rebuilds and their cost, glyph count, atlas size.
    stats() {
      return mod ? JSON.parse(mod.gcFrontend_stats()) : null;
    },
  };
})();
