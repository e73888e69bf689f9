// The accessibility mirror's browser side (issue 14): a visually hidden DOM tree that
// web/js/a11y.js (window.gcA11y) keeps in step with the nodes the app sends (ui/a11y.hpp,
// as JSON), diffing by id so an element that stays keeps its focus. It reports back where
// the DOM focus went, which control Enter / Space / a click activated, and the page's
// preferences (prefers-reduced-motion, forced-colors / prefers-contrast: more).
//
// The DOM focus is the one owner of the keyboard focus: the app only keeps a copy for the
// canvas's focus ring. Text fields of the mirror are where typing goes while their canvas
// field is active (ime.hpp finds them by their ImGui item id, data-gc-item).
//
// One per page; `this` is reached from JS through a global, so heap only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <emscripten/val.h>

namespace gc::platform {

struct A11yCallbacks {
  std::function<void(const std::string& id)> focus;     // "" = the focus left the mirror
  std::function<void(const std::string& id)> activate;  // a control was activated
  std::function<void(bool reduced_motion, bool high_contrast)> preferences;  // also at start
};

class A11yMirror {
 public:
  static std::unique_ptr<A11yMirror> create(A11yCallbacks callbacks);
  ~A11yMirror();
  A11yMirror(const A11yMirror&) = delete;
  A11yMirror& operator=(const A11yMirror&) = delete;

  // {"lang": "en", "nodes": [...]} (app/client.cpp a11y_json). Cheap when nothing changed.
  void update(const std::string& json);
  // Read out politely by the live region (role=status), once.
  void announce(const std::string& text);

  // From JS.
  void on_focus(const std::string& id) { if (cb_.focus) cb_.focus(id); }
  void on_activate(const std::string& id) { if (cb_.activate) cb_.activate(id); }
  void on_preferences(bool reduced, bool contrast) { if (cb_.preferences) cb_.preferences(reduced, contrast); }

 private:
  explicit A11yMirror(A11yCallbacks callbacks);
  A11yCallbacks cb_;
  emscripten::val glue_ = emscripten::val::undefined();
};

}  // namespace gc::platform
