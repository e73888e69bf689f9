// The client's screens, drawn with Dear ImGui over the Session's read-only view model.
//
// Ui::draw() builds one ImGui frame's worth of windows (the caller owns the context and
// calls NewFrame before and Render after) and reports what the user asked for in UiOutput.
// The Ui never talks to the Session: the app turns each UiOutput field into a Session
// event (or a browser action, such as opening a file chooser) after the frame.
//
// Coordinates are ImGui's, which the app keeps equal to CSS pixels (io.DisplaySize = the
// canvas' CSS size, DisplayFramebufferScale = devicePixelRatio). tile_rects() after a draw
// says where each participant's <video> belongs; the canvas is transparent over a tile
// whose video is live, so only frames, name bars and badges cover the picture.
//
// Screens, chosen from the view model's phase:
//  - join: Idle, Connecting, Joining, Failed, Left, and Reconnecting before the first
//    success (server unreachable: countdown + retry);
//  - room: InRoom, and Reconnecting after having been in the room (banner + countdown);
//  - kiosk (set_kiosk): the grid with names only, in every phase; never a join screen;
//  - refused (set_refused): a link asked for a server or upload address the deployment does
//    not allow. Drawn instead of every other screen (kiosk too) and names what was refused;
//    outside kiosk mode "Continue" leads to the join screen (with the allowed default).
//
// Includes ImGui and src/core only: no Emscripten, no platform header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/layout.hpp"
#include "core/links.hpp"
#include "core/live_media.hpp"
#include "core/view_model.hpp"
#include "ui/i18n.hpp"

namespace gc::ui {

struct Tile;      // ui/tiles.hpp
struct RoomView;  // ui/tiles.hpp
struct PageSets;  // ui/tiles.hpp

using core::Millis;
using core::RoomId;
using core::UploadId;
using core::UserId;

// What the join form asks for. Validated: room and user are non-negative integers that
// fit the wire, server starts with ws:// or wss://.
struct JoinRequest {
  std::string server;
  RoomId room = 0;
  UserId user = 0;
  std::string password;
};

// Values the join form starts with (the app's localStorage, then the URL fragment). The
// password only ever comes from the fragment; the app must never persist it. Empty
// strings leave a field as it is.
struct JoinDefaults {
  std::string server;
  std::string room;
  std::string user;
  std::string password;
};

struct Device {
  std::string id;     // MediaDeviceInfo.deviceId
  std::string label;  // may be empty before permission is granted
};

// The app's view of navigator.mediaDevices.enumerateDevices().
struct Devices {
  std::vector<Device> cameras;
  std::vector<Device> mics;
  std::string camera_id;  // selected; "" = browser default
  std::string mic_id;
};

// The pre-join check (issue 13 item 7): what the join screen's camera preview shows. The app
// opens the camera and microphone for it on the join screen (not in kiosk mode, not
// receive-only) and hands that stream to the Session at Join, so joining never waits for a
// second getUserMedia. kOff draws no preview at all (the join screen as it was).
struct Preview {
  enum class State {
    kOff,       // no preview
    kStarting,  // getUserMedia asked
    kLive,      // the camera shows (the self <video> beneath the canvas, tile_rects())
    kNoCamera,  // a microphone only
    kFailed,    // nothing opened (denied: the browser or the user refused)
    kStopped,   // after leaving: off until "Check camera and microphone" (start_preview)
  };
  State state = State::kOff;
  bool mic = false;     // a microphone is open: the meter shows its level
  bool denied = false;  // kFailed: NotAllowedError
};

// Where a participant's <video> goes, in CSS px. Only tiles on the current page appear.
struct TileRect {
  UserId id = 0;
  bool is_self = false;
  float x = 0;
  float y = 0;
  float w = 0;
  float h = 0;
  float rounding = 0;  // corner radius of the frame, for the video's CSS border-radius
  bool video_visible = false;  // false: the tile draws an avatar over the video
  friend bool operator==(const TileRect& a, const TileRect& b) {
    return a.id == b.id && a.is_self == b.is_self && a.x == b.x && a.y == b.y && a.w == b.w &&
           a.h == b.h && a.rounding == b.rounding && a.video_visible == b.video_visible;
  }
  friend bool operator!=(const TileRect& a, const TileRect& b) { return !(a == b); }
};

// Everything the user asked for during one draw(). draw() resets it first.
struct UiOutput {
  std::optional<JoinRequest> join;  // -> new config / core::Join with overrides
  bool retry = false;               // -> core::Retry
  bool leave = false;               // -> core::Leave (also "cancel" while connecting)
  // -> core::SendChat. The box is cleared when this is emitted: the session takes every
  // line (queued while reconnecting) and the Ui refuses over-long text itself, keeping it.
  std::optional<std::string> send_chat;
  bool pick_files = false;               // -> open a file chooser (<input type=file>)
  std::vector<UploadId> cancel_uploads;  // -> core::CancelUpload each
  std::vector<UploadId> retry_uploads;   // -> core::RetryUpload each (same file, no new pick)
  // "Send again" on an own line or file announcement that is not confirmed -> core::ResendLine
  std::vector<std::uint64_t> resend_lines;
  // The participants on the current page, sent whenever the set changes (and on the first
  // room frame) -> core::SetVisibleParticipants. Never contains the self id.
  std::optional<std::vector<UserId>> visible_participants;
  // With visible_participants: the next page's participants, subscribed ahead of time.
  std::vector<UserId> prefetch_participants;
  bool resume_video = false;             // "Show video" on a tile over the cap -> core::ResumeVideo
  std::optional<std::size_t> page;       // the page changed (0-based), for the app's records
  std::optional<bool> set_muted;         // -> core::SetMuted
  std::optional<bool> set_camera_off;    // -> core::SetCameraOff
  std::optional<bool> share_screen;      // Share screen / Stop sharing -> core::SetScreenShare
  std::optional<std::string> select_camera;  // device id -> re-acquire local media
  std::optional<std::string> select_mic;
  std::optional<Language> language;      // switched (the Ui already uses it); persist it
  std::optional<int> text_scale;         // the text size setting changed (percent); persist, apply
  bool enable_sound = false;             // the "tap to enable sound" hint was tapped
  std::optional<bool> chat_visible;      // -> core::SetChatVisible
  bool mark_chat_read = false;           // -> core::MarkChatRead
  std::optional<std::string> open_url;   // linkable only: window.open(url, "_blank", "noopener")
  bool dismiss_refused = false;          // "Continue to the join screen" on the refused screen
  bool open_certificate_page = false;    // the certificate hint's link: the app opens its own URL
  bool start_preview = false;            // "Check camera and microphone" after leaving

  bool empty() const {
    return !join && !retry && !leave && !send_chat && !pick_files && cancel_uploads.empty() &&
           retry_uploads.empty() &&
           !visible_participants && !page && !set_muted && !set_camera_off && !share_screen && !select_camera &&
           !select_mic && !language && !text_scale && !enable_sound && !chat_visible && !mark_chat_read &&
           !open_url && !resume_video && !dismiss_refused && !open_certificate_page && !start_preview;
  }
};

// Text size (CSS px) for the kiosk display: a wall screen is read from across the room,
// so text grows with the screen (1/27 of its shorter side: 40 px on 1920x1080), never
// below the normal 16 px nor above 48 px.
float kiosk_text_size(float width_css, float height_css);

// A named interactive area of the last frame, for tests (simulated clicks) and debugging.
// The controls bar's button labels, each with its ImGui id ("Mute###mic").
struct ControlLabels {
  std::string mic;
  std::string cam;
  std::string share;
  std::string dev;
  std::string layout;  // "Speaker" / "Grid": the view it switches to
  std::string chat;
  std::string files;
  std::string leave;
};

struct Region {
  std::string name;  // e.g. "join/button", "chat/input", "file/3", "chat/link/7/0"
  float x = 0;
  float y = 0;
  float w = 0;
  float h = 0;
  // The ImGui item the region is (0: a drawn area, not an item): the accessibility mirror
  // activates it by id and follows a text field's caret (a11y.hpp). Not compared below.
  std::uint32_t item = 0;

  bool operator==(const Region& o) const { return name == o.name && x == o.x && y == o.y && w == o.w && h == o.h; }
  bool operator!=(const Region& o) const { return !(*this == o); }
};

struct A11yInput;

class Ui {
 public:
  explicit Ui(Language language = Language::kEnglish);

  // Draws the current screen into the current ImGui frame. `now` is the clock the Session
  // runs on (epoch milliseconds), used for countdowns and chat times.
  void draw(const core::ViewModel& vm, Millis now, UiOutput& out);

  // After draw(): where the videos go.
  const std::vector<TileRect>& tile_rects() const { return tile_rects_; }
  // True while something moves on its own and needs frames soon: the connecting spinner,
  // or a countdown whose next tick is less than a second away (outside kiosk mode).
  // redraw_at() is the time at which the picture next changes without input (countdown
  // tick, toast expiry, kiosk page rotation), if any: arm a timer for it. The kiosk relies
  // on redraw_at() alone, so a display that runs for days draws a frame a second at most.
  bool wants_animation() const { return wants_animation_; }
  std::optional<Millis> redraw_at() const { return redraw_at_; }
  const std::vector<Region>& regions() const { return regions_; }
  const Region* region(const std::string& name) const;

  // ---- inputs from the app -------------------------------------------------------------
  void set_language(Language language) { language_ = language; }
  // The text size setting (issue 14: a UI scale of its own, beside browser zoom): a percent
  // of kBaseTextSize, one of kTextScales; the top bar's button steps through them. The app
  // applies it to the atlas (crisp at any size: glyphs are rasterised at the new size).
  static constexpr int kTextScales[] = {100, 125, 150, 175, 200};
  static constexpr float kBaseTextSize = 16.0f;  // CSS px at 100 %
  static bool valid_text_scale(int percent);
  void set_text_scale(int percent) { if (valid_text_scale(percent)) text_scale_ = percent; }
  int text_scale() const { return text_scale_; }
  float text_size_css() const { return kBaseTextSize * static_cast<float>(text_scale_) / 100.0f; }  // CSS px
  Language language() const { return language_; }
  void set_kiosk(bool kiosk) { kiosk_ = kiosk; }
  void set_kiosk_page_ms(Millis ms) { kiosk_page_ms_ = ms > 0 ? ms : 20000; }
  bool kiosk() const { return kiosk_; }
  // Issue 12 (time to video): the kiosk's subscription sets before its first frame. The
  // grid its first frame will draw on a width x height (CSS px) canvas at the kiosk's text
  // size, arranged without ImGui, so a kiosk that is in the room before its canvas has
  // drawn subscribes at once instead of after that (slow, first) frame. Sent in `out` the
  // way draw_grid sends them, which then sends nothing new for the same sets. tile_rects()
  // then has the tiles where that frame will put them, so the videos that are live can be
  // shown before it.
  void plan_kiosk_grid(const core::ViewModel& vm, Millis now, float width, float height, UiOutput& out);
  // Fills fields the user has not edited yet.
  void set_join_defaults(const JoinDefaults& defaults);
  void set_devices(Devices devices) { devices_ = std::move(devices); }
  // Autoplay with sound was blocked: show the one-tap hint until enable_sound is reported
  // and the app clears it.
  void set_sound_blocked(bool blocked) { sound_blocked_ = blocked; }
  // Local time = UTC + offset (the app passes -new Date().getTimezoneOffset()).
  void set_utc_offset_minutes(int minutes) { utc_offset_minutes_ = minutes; }
  // The server shown in the status bar (the view model does not carry it).
  void set_server(std::string server) { server_ = std::move(server); }
  // Longer chat input is refused in the box instead of being sent (SessionConfig's limit).
  void set_max_chat_bytes(std::size_t bytes) { max_chat_bytes_ = bytes; }
  // Put the keyboard focus in the chat box on the next frame (opens the chat panel).
  void focus_chat_input();
  // The tile shown large (issue 13 item 4: double-click, the tile menu, P), or none: the
  // grid. state().pinned. Pinning the pinned tile unpins it; a pinned participant who
  // leaves is unpinned on the next frame.
  std::optional<UserId> pinned() const { return pinned_; }
  void toggle_pin(UserId id);
  bool help_open() const { return help_open_; }
  // The room's layout (issue 13 item 2): the grid, or the speaker layout (the active speaker
  // large above a filmstrip of the others; ui/tiles.hpp large_tile for who is large). A pin
  // outranks the active speaker in either layout. state().layout. The kiosk's `layout=`
  // sets it for good; elsewhere it is the first layout, and the controls bar's layout
  // button or G switch it: from a view with a large tile (the speaker layout, or a pin) to
  // the grid, unpinning; from the grid to the speaker layout.
  core::ViewLayout layout() const { return layout_; }
  void set_layout(core::ViewLayout layout) { layout_ = layout; }
  void toggle_layout();
  // The pre-join check's preview, set by the app (Preview::State::kOff: none).
  void set_preview(const Preview& preview) { preview_ = preview; }
  const Preview& preview() const { return preview_; }
  // The last draw() drew the join screen (where the preview and its meter are).
  bool on_join_screen() const { return last_screen_ == Screen::kJoin; }
  // The own microphone's meter as drawn now (core::meter_step of the LiveMedia's
  // self_level): beside Mute in the room, under the preview on the join screen; 0 when
  // muted, without a microphone, or on any other screen. The app redraws when it changes
  // (core::MeterThrottle), never otherwise.
  int mic_meter_step(const core::ViewModel& vm) const;
  // Levels, speakers and stream quality the app measures (issue 13 items 2, 3): a speaking
  // ring on tiles, signal bars (not in kiosk mode) that open a panel of 60 s plots. The app
  // owns it and keeps it alive while the Ui draws; nullptr draws none of it.
  void set_live_media(const core::LiveMedia* media) { live_ = media; }
  // A quality panel is open: its plots change with every stats poll.
  bool quality_panel_open() const { return quality_panel_.has_value(); }

  // ---- deployment config and refused links (issue 11, item 1) ---------------------------
  // What a link asked for and the deployment does not allow ("" = nothing): the refused
  // screen names it. has_config: config.json lists what is allowed (changes the hint).
  void set_refused(std::string server, std::string upload, bool has_config);
  bool refused() const { return !refused_server_.empty() || !refused_upload_.empty(); }
  // "https://host:port/" to open once to accept a self-signed certificate, shown with "cannot
  // reach the server" while it applies ("" = none). The link reports open_certificate_page.
  void set_certificate_hint(std::string url) { certificate_hint_ = std::move(url); }
  const std::string& certificate_hint() const { return certificate_hint_; }
  // config.json was there but not usable: one line on the join screen ("" = none).
  void set_config_notice(std::string detail) { config_notice_ = std::move(detail); }

  // ---- accessibility (issue 14, a11y.hpp) ------------------------------------------------
  // What build_a11y_tree needs of the Ui's state besides the view model (after a draw).
  void a11y_input(A11yInput& in, Millis now) const;
  // The mirror's DOM focus moved to the control with this id ("" = none of ours): the ring
  // is drawn around it, and an active canvas text field that is not it lets go. The page's
  // DOM focus is the one owner; this is its copy for drawing.
  void a11y_focus(std::string id);
  const std::string& a11y_focused() const { return a11y_focus_; }
  // Enter / Space / a click on the mirror's control: pressed on the next frame, as a click
  // on it would be (a text field is activated for typing). False when nothing has that id.
  bool a11y_activate(const std::string& id);
  // forced-colors / prefers-contrast: more -> the high-contrast theme; prefers-reduced-motion
  // -> nothing moves by itself (the connecting dots stay still).
  void set_high_contrast(bool on);
  bool high_contrast() const { return high_contrast_; }
  void set_reduced_motion(bool on) { reduced_motion_ = on; }
  bool reduced_motion() const { return reduced_motion_; }

  // Current form contents (e.g. for the app to remember server/room/user on join).
  const std::string& server_field() const { return server_field_; }
  const std::string& room_field() const { return room_field_; }
  const std::string& user_field() const { return user_field_; }
  // Only the length leaves the UI: the password itself is never reported or stored.
  std::size_t password_length() const { return password_field_.size(); }

 private:
  enum class PanelTab { kChat, kFiles };
  enum class Screen { kJoin, kRoom, kKiosk, kRefused };

  const char* tr(StringId id) const { return text(language_, id); }
  Screen choose_screen(const core::ViewModel& vm);

  void draw_join(const core::ViewModel& vm, Millis now, UiOutput& out);
  void draw_backdrop(UiOutput& out, const float* hole = nullptr);  // hole: x, y, w, h or none
  void draw_preview(const core::ViewModel& vm, float x, float y, float w, float h, UiOutput& out);
  void draw_device_pickers(UiOutput& out);
  // The own microphone's meter at the cursor, as an item `width` x `height`, named `region`.
  void draw_mic_meter(const core::ViewModel& vm, float width, float height, const char* region);
  void draw_refused(const core::ViewModel& vm, Millis now, UiOutput& out);
  void draw_certificate_hint(UiOutput& out);
  void draw_join_status(const core::ViewModel& vm, Millis now, UiOutput& out);
  void draw_room(const core::ViewModel& vm, Millis now, UiOutput& out);
  void draw_kiosk(const core::ViewModel& vm, Millis now, UiOutput& out);
  void draw_grid(const core::ViewModel& vm, Millis now, float x, float y, float w, float h,
                 bool kiosk, UiOutput& out);
  // draw_grid's pieces that plan_kiosk_grid shares: the layout parameters of a w x h grid at
  // text size `font`; how many pages the kiosk turns through; the sets, sent when they change.
  static core::LayoutParams grid_params(float w, float h, bool kiosk, float font, std::size_t tiles);
  static std::size_t kiosk_pages(const std::vector<Tile>& tiles, const core::LayoutParams& params,
                                 const RoomView& view);
  void send_sets(const core::ViewModel& vm, const PageSets& sets, UiOutput& out);
  void draw_status_bar(const core::ViewModel& vm, Millis now, float height, UiOutput& out);
  float controls_width(const core::ViewModel& vm) const;  // one-row width of the controls bar
  ControlLabels control_labels(const core::ViewModel& vm) const;  // with their ImGui ids
  void draw_controls(const core::ViewModel& vm, float y, float height, float width, bool two_rows,
                     UiOutput& out);
  void draw_device_popup(UiOutput& out);
  void draw_panel(const core::ViewModel& vm, Millis now, float x, float y, float w, float h,
                  UiOutput& out);
  void draw_chat(const core::ViewModel& vm, UiOutput& out);
  void draw_chat_input(const core::ViewModel& vm, UiOutput& out);
  void draw_files(const core::ViewModel& vm, UiOutput& out);
  void draw_toasts(const core::ViewModel& vm, Millis now, float right, float bottom);
  void draw_reconnect_banner(const core::ViewModel& vm, Millis now, float x, float y, float w,
                             UiOutput& out);
  void draw_sound_hint(float x, float y, float w, float h, bool whole_area, UiOutput& out);
  void draw_language_button(UiOutput& out);
  // The top bar's right end: the text size button, then the language button; and its width.
  void draw_top_buttons(UiOutput& out);
  float top_buttons_width() const;
  // Keyboard shortcuts (shortcuts.hpp) of the room, the help overlay ("?") and the tile menu.
  void handle_shortcuts(const core::ViewModel& vm, UiOutput& out);
  void draw_help();
  void draw_tile_menu();
  // quality_view.cpp: a tile's signal bars (a small window of its own, so it takes clicks),
  // and the panel of plots for the tile whose bars were clicked.
  void draw_quality_badge(UserId id, bool is_self, float right, float top);
  void draw_quality_panel(const core::ViewModel& vm);

  std::string participant_name(const core::ViewModel& vm, UserId id) const;
  std::string format_clock(Millis time) const;
  int seconds_until(Millis target, Millis now);  // ceil, >= 0; arms redraw_at
  void want_redraw_at(Millis at);
  void add_region(std::string name);  // the last ImGui item
  void add_region(std::string name, float x, float y, float w, float h);
  void set_panel(bool open, PanelTab tab);

  Language language_;
  int text_scale_ = 100;
  bool kiosk_ = false;
  bool sound_blocked_ = false;
  int utc_offset_minutes_ = 0;
  std::string server_;
  std::size_t max_chat_bytes_ = 16 * 1024;
  Devices devices_;
  bool theme_applied_ = false;

  // Deployment config and refused links.
  std::string refused_server_;
  std::string refused_upload_;
  bool refused_has_config_ = false;
  std::string certificate_hint_;
  std::string config_notice_;

  // Join form.
  std::string server_field_;
  std::string room_field_;
  std::string user_field_;
  std::string password_field_;
  bool server_edited_ = false;
  bool room_edited_ = false;
  bool user_edited_ = false;
  bool password_edited_ = false;
  bool show_validation_ = false;
  bool focus_password_ = false;
  bool focus_first_field_ = true;
  float join_fields_h_ = 0;  // the join card's fields as last drawn (draw_join)
  core::FailureReason seen_failure_ = core::FailureReason::kNone;
  Preview preview_;
  Screen last_screen_ = Screen::kJoin;

  // Room.
  bool was_in_room_ = false;
  std::size_t page_ = 0;
  std::size_t page_count_ = 1;
  bool panel_open_ = true;
  bool panel_decided_ = false;
  PanelTab panel_tab_ = PanelTab::kChat;
  std::optional<std::vector<UserId>> visible_sent_;
  std::vector<UserId> prefetch_sent_;
  Millis kiosk_page_ms_ = 20000;  // how long the kiosk shows each page
  float device_anchor_x_ = 0;  // where the device popup opens (above its button)
  float device_anchor_y_ = 0;
  std::optional<UserId> pinned_;
  core::ViewLayout layout_ = core::ViewLayout::kGrid;
  bool large_shown_ = false;  // the last room frame showed a tile large (layout button label)
  UserId menu_tile_ = 0;  // whose tile menu is open
  bool help_open_ = false;

  // Speaking and quality.
  const core::LiveMedia* live_ = nullptr;
  struct QualityTarget {
    bool is_self = false;
    UserId id = 0;
    float x = 0;  // where the panel opens (the badge's bottom right)
    float y = 0;
  };
  std::optional<QualityTarget> quality_panel_;
  std::optional<UserId> jumped_to_speaker_;  // the active speaker the grid last turned to
  float quality_panel_w_ = 0;  // its size last frame, to keep it on screen
  float quality_panel_h_ = 0;

  // Chat.
  std::string chat_input_;
  bool focus_chat_ = false;
  bool chat_too_long_ = false;
  bool stick_to_bottom_ = true;
  bool scroll_to_bottom_ = false;
  std::uint64_t last_chat_seq_ = 0;
  bool unseen_below_ = false;
  std::optional<std::uint64_t> copy_seq_;  // the line whose context menu is open
  struct ChatLayout {
    std::vector<core::TextSpan> spans;
    float width = -1;   // wrap width the height was measured at
    float height = 0;   // header + body + spacing
  };
  std::map<std::uint64_t, ChatLayout> chat_layout_;  // by ChatLine::seq

  // Notices shown as toasts: id -> time first drawn.
  std::map<std::uint64_t, Millis> toast_shown_;
  std::uint64_t toasts_dismissed_below_ = 0;

  // Accessibility.
  Screen screen_ = Screen::kJoin;  // of the last draw
  std::string a11y_focus_;
  std::optional<Region> a11y_pending_;  // activated from the mirror, pressed next frame
  bool a11y_release_text_ = false;      // the DOM focus left the canvas's text field
  bool high_contrast_ = false;
  bool reduced_motion_ = false;
  void a11y_frame_start();
  void draw_focus_ring();

  // Results of the last frame.
  std::vector<TileRect> tile_rects_;
  std::vector<Region> regions_;
  std::vector<Region> previous_regions_;  // the frame before: has the layout settled?
  int settling_frames_ = 0;               // consecutive frames whose regions moved
  bool wants_animation_ = false;
  std::optional<Millis> redraw_at_;
};

}  // namespace gc::ui
