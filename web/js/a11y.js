// The accessibility mirror's DOM (issue 14; src/platform/a11y_mirror.hpp, src/ui/a11y.hpp):
// a visually hidden <main id="gc-a11y"> of real buttons, text fields, links, lists, the chat
// log and alerts, kept in step with the nodes C++ sends. Elements are matched by id and
// changed in place, so the focused one keeps the focus and screen readers hear only what
// changed. It holds no application state: it reports focus, activation and the page's
// preferences to the module (Module.gcA11y_*) and nothing else.
//
// Keyboard: Tab / Shift+Tab are the browser's, over these elements in the visible order.
// Enter and Space on a button are its click. A popup (nodes marked `popup`) that opens while
// the focus is in the mirror takes it (its first entry); when it closes with the focus in
// it, the focus goes back to the control that had it before (the opener). A text field of the mirror is where typing
// goes while its canvas field is active (web/js/frontend.js finds it by data-gc-item).
(function () {
  'use strict';

  let mod = null;
  let root = null;       // <main id="gc-a11y">
  let announcer = null;  // role=status: the Announcer's polite, throttled messages
  const byId = new Map();  // node id -> element
  const removers = [];
  let popupOpen = false;   // the last update had popup nodes
  let opener = null;       // id of the control that had the focus when the popup opened
  let laterTimer = 0;      // the next round of an update that had more new text than one round takes
  // Characters of new text per round: ~8 chat lines as the log reads them (src/ui/a11y.cpp
  // read_out: a header and at most 1,000 characters), so the chat panel opened on 100 such
  // lines lays them out over ~12 rounds, not in one task.
  const NEW_TEXT_PER_ROUND = 16 * 1024;
  const LATER_MS = 50;                   // a frame is drawn between two rounds

  const TAGS = {
    button: 'button', menuitem: 'button', link: 'a', heading: 'h1', list: 'ul', listitem: 'li',
    log: 'div', alert: 'div', status: 'div', text: 'p',
  };
  function tagFor(n) {
    if (n.role === 'textbox') return n.multi ? 'textarea' : 'input';
    if (n.role === 'password') return 'input';
    return TAGS[n.role] || 'p';
  }

  function on(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    removers.push(() => target.removeEventListener(type, fn, opts));
  }

  function setAttr(el, name, value) {
    if (value === undefined || value === null || value === false) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== String(value)) {
      el.setAttribute(name, String(value));
    }
  }

  // The visible text of a container (a list item's or the log's label) lives in a first
  // <span>, so its children can follow it.
  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function create(n) {
    const el = document.createElement(tagFor(n));
    el.dataset.gcA11y = n.id;
    if (n.role === 'button') el.type = 'button';
    if (n.role === 'menuitem') { el.type = 'button'; el.setAttribute('role', 'menuitem'); }
    if (n.role === 'textbox' && !n.multi) el.type = 'text';
    if (n.role === 'password') { el.type = 'password'; el.autocomplete = 'new-password'; }
    if (n.role === 'textbox' || n.role === 'password') {
      el.dataset.gcField = '1';
      el.setAttribute('autocomplete', n.role === 'password' ? 'new-password' : 'off');
      el.setAttribute('spellcheck', 'false');
    }
    if (n.role === 'link') { el.target = '_blank'; el.rel = 'noopener noreferrer'; }
    if (n.role === 'log') el.setAttribute('role', 'log');
    if (n.role === 'alert') el.setAttribute('role', 'alert');
    if (n.role === 'status') el.setAttribute('role', 'status');
    return el;
  }

  function apply(el, n) {
    const field = n.role === 'textbox' || n.role === 'password';
    const container = n.role === 'list' || n.role === 'log' || (n.role === 'listitem' && !n.name);
    if (field) {
      setAttr(el, 'aria-label', n.name);
      // The focused field's value and caret follow the canvas (frontend.js setTextInput).
      if (n.role !== 'password' && document.activeElement !== el && el.value !== (n.value || '')) el.value = n.value || '';
    } else if (container) {
      setAttr(el, 'aria-label', n.name || null);
    } else {
      setText(el, n.name);
    }
    setAttr(el, 'title', n.desc || null);  // the accessible description
    setAttr(el, 'lang', n.lang || null);
    setAttr(el, 'aria-disabled', n.disabled ? 'true' : null);
    setAttr(el, 'aria-pressed', n.pressed === undefined ? null : String(n.pressed));
    if (n.role === 'log') setAttr(el, 'aria-live', n.live === false ? 'off' : 'polite');
    if (n.role === 'link') setAttr(el, 'href', n.value || null);
    setAttr(el, 'data-gc-item', n.item || null);
    // Focusable controls are in the Tab order (buttons, inputs, links are by nature); text is not.
    if (!n.focus && (n.role === 'button' || n.role === 'menuitem')) el.tabIndex = -1;
  }

  function onClick(e) {
    const el = e.target.closest('[data-gc-a11y]');
    if (!el || !mod) return;
    if (el.tagName === 'A') return;  // a real link: the browser opens it (noopener)
    if (el.tagName !== 'BUTTON') return;
    e.preventDefault();
    if (el.getAttribute('aria-disabled') === 'true') return;
    mod.gcA11y_activate(el.dataset.gcA11y);
  }

  let focusingField = false;  // frontend.js moves the focus to a field the canvas activated
  function onFocusIn(e) {
    const el = e.target.closest && e.target.closest('[data-gc-a11y]');
    if (!el || !mod) return;
    mod.gcA11y_focus(el.dataset.gcA11y);
    // Tab reached a text field: activate its canvas field, which then takes the typing.
    if (el.dataset.gcField && !focusingField) mod.gcA11y_activate(el.dataset.gcA11y);
  }
  function onFocusOut(e) {
    if (!mod) return;
    if (!e.relatedTarget || !root.contains(e.relatedTarget)) mod.gcA11y_focus('');
  }

  const queries = [];
  function preferences() {
    if (!mod) return;
    const [reduce, forced, more] = queries;
    mod.gcA11y_preferences(!!(reduce && reduce.matches), !!((forced && forced.matches) || (more && more.matches)));
  }

  // One round of an update: the tree's nodes placed and changed in place, by id. New text
  // past NEW_TEXT_PER_ROUND waits for the next round, which applies the same tree again.
  function applyTree(tree) {
    // Where the keyboard is before the update: only a keyboard user's focus (in the
    // mirror) is moved; a mouse user's page focus is left where it is.
    const active = document.activeElement;
    const focusInMirror = !!(active && active !== root && root.contains(active));
    const activeId = focusInMirror ? active.dataset.gcA11y : null;
    if (tree.lang && document.documentElement.lang !== tree.lang) document.documentElement.lang = tree.lang;
    const seen = new Set();
    const lastChild = new Map();  // parent element -> the last child placed in it
    const later = new Set();      // new nodes left for the next round, and their children
    let newText = 0;
    for (const n of tree.nodes) {
      let el = byId.get(n.id);
      // New text costs the browser's layout, hidden or not (scenario 22: 16 KiB lines cost
      // ~60 ms each, 2 s for a burst, before lines were read out to 1,000 characters). Past
      // NEW_TEXT_PER_ROUND characters, new text nodes (never controls) wait for a round of
      // their own.
      if (later.has(n.parent) ||
          (!el && n.role === 'text' && newText > 0 && newText + (n.name || '').length > NEW_TEXT_PER_ROUND)) {
        later.add(n.id);
        continue;
      }
      if (!el) newText += (n.name || '').length;
      seen.add(n.id);
      if (!el || el.tagName.toLowerCase() !== tagFor(n) || (el.dataset.role && el.dataset.role !== n.role)) {
        const fresh = create(n);
        if (el) el.replaceWith(fresh);
        el = fresh;
        byId.set(n.id, el);
      }
      if (el.dataset.role !== n.role) el.dataset.role = n.role;  // an unchanged value is no mutation
      apply(el, n);
      const parent = (n.parent && byId.get(n.parent)) || root;
      const prev = lastChild.has(parent) ? lastChild.get(parent) : null;
      const want = prev ? prev.nextSibling : parent.firstChild;
      if (want !== el) parent.insertBefore(el, want);
      lastChild.set(parent, el);
    }
    for (const [id, el] of byId) {
      if (seen.has(id)) continue;
      el.remove();
      byId.delete(id);
    }
    const first = tree.nodes.find((n) => n.popup && n.focus);
    if (first && !popupOpen) {
      // Opened: its first entry takes the focus, the opener is remembered.
      if (focusInMirror) {
        opener = activeId;
        const el = byId.get(first.id);
        if (el) el.focus({ preventScroll: true });
      }
    } else if (!first && popupOpen) {
      // Closed: the focus was in it (its element is gone, the focus fell to the page) or
      // still is on the opener; back to the opener.
      const lost = !document.activeElement || document.activeElement === document.body ||
                   (focusInMirror && !byId.has(activeId));
      const back = opener && byId.get(opener);
      if (lost && back) back.focus({ preventScroll: true });
      opener = null;
    }
    popupOpen = !!first;
    if (later.size) laterTimer = setTimeout(() => { laterTimer = 0; applyTree(tree); }, LATER_MS);
  }

  window.gcA11y = {
    attach(module) {
      this.detach();
      mod = module;
      root = document.getElementById('gc-a11y');
      if (!root) {
        root = document.createElement('main');
        root.id = 'gc-a11y';
        root.className = 'gc-sr-only';
        document.body.insertBefore(root, document.body.firstChild);  // first in the Tab order
      }
      announcer = document.getElementById('gc-a11y-announce');
      if (!announcer) {
        announcer = document.createElement('div');
        announcer.id = 'gc-a11y-announce';
        announcer.className = 'gc-sr-only';
        announcer.setAttribute('role', 'status');
        announcer.setAttribute('aria-live', 'polite');
        document.body.appendChild(announcer);
      }
      on(root, 'click', onClick);
      on(root, 'focusin', onFocusIn);
      on(root, 'focusout', onFocusOut);
      queries.length = 0;
      for (const q of ['(prefers-reduced-motion: reduce)', '(forced-colors: active)', '(prefers-contrast: more)']) {
        const mq = window.matchMedia ? window.matchMedia(q) : null;
        queries.push(mq);
        if (mq) on(mq, 'change', preferences);
      }
      preferences();
    },

    detach() {
      removers.splice(0).forEach((f) => f());
      if (laterTimer) { clearTimeout(laterTimer); laterTimer = 0; }
      mod = null;
    },

    update(json) {
      if (!root) return;
      if (laterTimer) { clearTimeout(laterTimer); laterTimer = 0; }  // this tree has everything
      applyTree(JSON.parse(json));
    },

    // The Announcer's text, read once: the live region is emptied first so the same words
    // said again later are still a change.
    announce(text) {
      if (!announcer) return;
      announcer.textContent = '';
      setTimeout(() => { announcer.textContent = text; }, 50);
    },

    // frontend.js: the canvas activated this field (a click on it): the DOM focus follows
    // without activating it a second time.
    focusField(el) {
      focusingField = true;
      try { el.focus({ preventScroll: true }); } finally { focusingField = false; }
    },
  };
})();
