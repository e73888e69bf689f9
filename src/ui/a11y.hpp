// The accessibility tree (issue 14): what a screen reader and a keyboard need of the canvas
// UI, as plain data, built from the same view model and the same named regions the Ui drew
// in its last frame (Flutter web's semantics tree, Qt for Wasm's accessibility layer).
//
// The web page keeps a visually hidden DOM copy of these nodes (src/platform/a11y_mirror,
// web/js/a11y.js): real <button>, <input>, <textarea>, <a>, lists, a chat log and alerts.
// Everything here is pure: no ImGui call, no browser, so names, roles, order, the language
// switch and the announcements are unit-tested natively (tests/ui/a11y_test.cpp).
//
// Rules the builder keeps:
//  - a control is in the tree only while it is drawn (its region is in the last frame);
//    its id is the region's name ("join/button", "controls/leave", "tile/5/quality"), so
//    the focus ring finds the rectangle to draw around by that id;
//  - its name is the text drawn on it, in the current language (a symbol-only button gets
//    its tooltip), and disabled controls stay focusable, marked disabled;
//  - the focusable nodes come in the visible order: the top bar, the join card or the
//    tiles, the side panel, the controls bar, then notices and popups (Tab follows it);
//  - a file or chat link is a link only where core::resolve_link says the UI would open it,
//    with that resolved URL; anything else is text, never a link;
//  - errors and notices are alerts, except connection lost / recovered, which the
//    Announcer speaks (one announcement, not two);
//  - what an open popup holds (the devices menu, the tile menu, the pre-join pickers' lists,
//    the shortcut help, the quality plots' Close) is marked `popup`: the page moves the
//    keyboard focus to its first entry when it opens and back to the opener when it closes.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/live_media.hpp"
#include "core/view_model.hpp"
#include "ui/i18n.hpp"
#include "ui/ui.hpp"

namespace gc::ui {

enum class A11yRole {
  kButton,
  kTextbox,   // one line; `multiline` for the chat box
  kPassword,  // a text field whose value never leaves the UI
  kLink,      // `href` is the URL the UI itself would open
  kMenuItem,  // an entry of an open popup menu (devices, the tile menu)
  kHeading,
  kText,
  kList,      // participants, shared files
  kListItem,
  kLog,       // the chat history: aria-live polite (`live`), new lines are read out
  kAlert,     // errors and notices
  kStatus,    // the connection status line (not live: the Announcer speaks changes)
};

const char* to_string(A11yRole role);  // ARIA's word: "button", "textbox", "log", ...

struct A11yNode {
  std::string id;      // stable across rebuilds; a control's region name
  A11yRole role = A11yRole::kText;
  std::string name;    // the accessible name, in the current language
  std::string description;  // extra state or the tooltip ("" = none)
  std::string value;   // a text field's content (never a password's); a link's href
  std::string parent;  // the container's id ("" = the mirror's root)
  std::string lang;    // a name in the other language ("中文" on an English page), else ""
  float x = 0, y = 0, w = 0, h = 0;  // the region in CSS px (0 for content nodes)
  std::uint32_t item = 0;  // the ImGui item id (activation, caret sync), 0 = none
  bool focusable = false;
  bool disabled = false;
  int pressed = -1;        // a toggle: 0 / 1; -1 = not a toggle
  bool multiline = false;
  bool live = false;       // kLog: read out additions now (off while a flood is summarised)
  bool popup = false;      // inside an open popup: takes the focus when the popup opens

  bool operator==(const A11yNode& o) const;
  bool operator!=(const A11yNode& o) const { return !(*this == o); }
};

// What the builder needs of the Ui beyond its regions (Ui::a11y_input fills it).
struct A11yInput {
  enum class Screen { kJoin, kRoom, kKiosk, kRefused };
  Screen screen = Screen::kJoin;
  Language language = Language::kEnglish;
  int text_scale = 100;  // the text size setting, percent (its button's name says it)
  const std::vector<Region>* regions = nullptr;
  const core::LiveMedia* live = nullptr;  // speaking; nullptr = unknown
  core::Millis now = 0;
  int utc_offset_minutes = 0;
  std::string server, room, user;  // the join form
  std::string chat_draft;
  bool chat_open = false;   // the side panel shows the chat / the files
  bool files_open = false;
  std::size_t page = 0, page_count = 1;
  std::optional<UserId> pinned;
  bool large_tile = false;          // a tile is shown large: the layout button says "Grid"
  std::optional<UserId> menu_tile;  // whose tile menu is open
  Devices devices;
  bool chat_quiet = false;        // Announcer::chat_flood(): the log is not live for now
};

// The tree of one frame, in document order (a container before its children).
std::vector<A11yNode> build_a11y_tree(const core::ViewModel& vm, const A11yInput& in);

// The join form's text fields (the mirror makes them <input>s that follow the caret).
bool is_a11y_text_field(std::string_view id);

// The message and hint of a failed join (the join card and the mirror's alert say the same).
void failure_text(core::FailureReason failure, StringId* message, StringId* hint);

// The high-contrast theme (forced-colors, prefers-contrast: more) over the current style:
// black, white and yellow, every frame and button outlined. a11y_ui.cpp.
void apply_high_contrast_theme();

// The text a notice's toast shows (room_view.cpp draws the same string).
std::string notice_text(Language lang, const core::Notice& notice, const std::string& user_name);

// Live-region announcements (issue 14 item 3): join and leave, a new chat line, a shared
// file, connection lost and recovered. observe() compares each view model with the last
// one and queues what happened (nothing on the first look at a room: who was there is not
// news, and nothing twice for the same change); take() releases at most one announcement
// per kGapMs, merging what queued meanwhile ("Ann joined. Bob joined."; beyond three, a
// count), so a busy room never floods the reader. An announcement equal to the previous
// one within kRepeatMs is dropped.
//
// Chat lines are read out by the chat log itself (role=log, aria-live=polite: that is its
// live region), so they are not announced twice. When more than kChatBurst lines arrive
// within kChatWindowMs the log stops being live (chat_flood()) and, once they stop for
// kChatWindowMs, one "N new messages" is announced instead.
class Announcer {
 public:
  static constexpr core::Millis kGapMs = 1500;
  static constexpr core::Millis kRepeatMs = 10000;
  static constexpr int kChatBurst = 3;
  static constexpr core::Millis kChatWindowMs = 5000;
  static constexpr std::size_t kMergeMax = 3;

  // `name_of` gives a participant's display name (as drawn).
  void observe(const core::ViewModel& vm, Language lang, core::Millis now,
               const std::function<std::string(UserId)>& name_of);
  // The announcement due now, if any.
  std::optional<std::string> take(core::Millis now);
  // When take() next has something (arm a timer), if anything is queued.
  std::optional<core::Millis> next_at() const;
  bool chat_flood() const { return flood_; }

 private:
  void queue(std::string text);

  bool seen_room_ = false;
  bool lost_ = false;  // "connection lost" was announced: recovery is news
  std::set<UserId> present_;
  std::uint64_t last_chat_ = 0;
  std::uint64_t last_file_ = 0;
  std::deque<core::Millis> chat_times_;  // others' lines in the last kChatWindowMs
  bool flood_ = false;
  int flood_count_ = 0;
  core::Millis last_chat_at_ = 0;
  Language lang_ = Language::kEnglish;
  std::vector<std::string> pending_;
  core::Millis last_spoken_at_ = -kGapMs;
  std::string last_spoken_;
};

}  // namespace gc::ui
