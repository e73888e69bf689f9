#include "a11y_mirror.hpp"

#include <cstdio>

#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/em_js.h>

namespace gc::platform {
namespace {

A11yMirror* g_mirror = nullptr;  // one per page; JS calls find it here

void js_a11y_focus(const std::string& id) {
  if (g_mirror) g_mirror->on_focus(id);
}
void js_a11y_activate(const std::string& id) {
  if (g_mirror) g_mirror->on_activate(id);
}
void js_a11y_preferences(bool reduced, bool contrast) {
  if (g_mirror) g_mirror->on_preferences(reduced, contrast);
}

}  // namespace

// Hands the module instance to web/js/a11y.js (-sMODULARIZE: there is no global Module).
EM_JS(void, gc_a11y_attach_glue, (), { window.gcA11y.attach(Module); });

A11yMirror::A11yMirror(A11yCallbacks callbacks) : cb_(std::move(callbacks)) {}

std::unique_ptr<A11yMirror> A11yMirror::create(A11yCallbacks callbacks) {
  if (g_mirror) return nullptr;
  const emscripten::val glue = emscripten::val::global("gcA11y");
  if (glue.isUndefined()) {
    std::fprintf(stderr, "gc::platform::A11yMirror: window.gcA11y is missing (web/js/a11y.js)\n");
    return nullptr;
  }
  std::unique_ptr<A11yMirror> mirror(new A11yMirror(std::move(callbacks)));
  mirror->glue_ = glue;
  g_mirror = mirror.get();
  gc_a11y_attach_glue();  // reports the preferences at once
  return mirror;
}

A11yMirror::~A11yMirror() {
  if (g_mirror == this) g_mirror = nullptr;
  if (!glue_.isUndefined()) glue_.call<void>("detach");
}

void A11yMirror::update(const std::string& json) { glue_.call<void>("update", json); }

void A11yMirror::announce(const std::string& text) { glue_.call<void>("announce", text); }

EMSCRIPTEN_BINDINGS(gc_a11y) {
  emscripten::function("gcA11y_focus", &js_a11y_focus);
  emscripten::function("gcA11y_activate", &js_a11y_activate);
  emscripten::function("gcA11y_preferences", &js_a11y_preferences);
}

}  // namespace gc::platform
