// The accessibility tree and the announcer (a11y.hpp). Pure: strings and the view model.
#include "ui/a11y.hpp"

#include <algorithm>
#include <string_view>

#include "core/display.hpp"
#include "core/links.hpp"
#include "ui/format.hpp"
#include "ui/tiles.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

bool a11y_starts(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The part of a region name after `prefix` up to the next '/': "tile/5/quality" -> "5".
std::string a11y_segment(std::string_view name, std::string_view prefix) {
  name.remove_prefix(prefix.size());
  return std::string(name.substr(0, name.find('/')));
}

std::optional<std::int64_t> a11y_number(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Where a control comes in the visible order (a11y.hpp): top bar, join card / refused
// screen, tiles and banners over them, the side panel, the controls bar, notices, popups.
int a11y_group(std::string_view name) {
  if (name == "language" || name == "text-size" || a11y_starts(name, "status/")) return 0;
  if (a11y_starts(name, "refused") || a11y_starts(name, "join/")) return 1;
  if (a11y_starts(name, "tile/") || a11y_starts(name, "room/") || name == "sound_hint") return 2;
  if (a11y_starts(name, "panel/") || a11y_starts(name, "chat/") || a11y_starts(name, "files/") ||
      a11y_starts(name, "upload/") || a11y_starts(name, "file/"))
    return 3;
  if (a11y_starts(name, "controls/") || a11y_starts(name, "camera/") || a11y_starts(name, "mic/")) return 4;
  if (a11y_starts(name, "toast/")) return 5;
  return 6;
}

struct TreeBuilder {
  const core::ViewModel& vm;
  const A11yInput& in;
  std::vector<A11yNode> nodes;

  const char* tr(StringId id) const { return text(in.language, id); }

  std::string name_of(UserId id) const {
    if (id == vm.self.id) return tr(StringId::kYou);
    if (const core::ParticipantView* p = vm.find(id)) {
      const protocol::Participant wire{p->id, p->name, p->prefix, p->postfix};
      if (core::has_display_name(wire)) return core::display_name(wire);
    }
    return format(tr(StringId::kUnnamedParticipant), std::to_string(id).c_str());
  }

  A11yNode& add(std::string id, A11yRole role, std::string name, std::string parent = {}) {
    A11yNode n;
    n.id = std::move(id);
    n.role = role;
    n.name = std::move(name);
    n.parent = std::move(parent);
    nodes.push_back(std::move(n));
    return nodes.back();
  }

  A11yNode& control(const Region& r, A11yRole role, std::string name) {
    A11yNode& n = add(r.name, role, std::move(name));
    n.x = r.x;
    n.y = r.y;
    n.w = r.w;
    n.h = r.h;
    n.item = r.item;
    n.focusable = role != A11yRole::kText && role != A11yRole::kAlert;
    n.popup = role == A11yRole::kMenuItem || r.name == "help/close" || r.name == "quality/close";
    return n;
  }

  bool media() const { return vm.self.media_ready && vm.self.publish != core::PublishState::kReceiveOnly; }

  std::string device_label(const std::vector<Device>& devices, std::size_t i, StringId title) const {
    if (i >= devices.size()) return {};
    const Device& d = devices[i];
    std::string label = d.label.empty() ? std::string(tr(title)) + " " + std::to_string(i + 1) : d.label;
    if (d.id.empty() || d.id == "default") label += " (" + std::string(tr(StringId::kDefaultDevice)) + ")";
    return label;
  }

  // One drawn region -> its node, when it is something a reader or the keyboard needs.
  void region(const Region& r) {
    const std::string& id = r.name;
    using R = A11yRole;
    if (id == "language") {
      const bool zh = in.language == Language::kZhCn;
      A11yNode& n = control(r, R::kButton, tr(zh ? StringId::kLanguageEnglish : StringId::kLanguageChinese));
      n.description = tr(StringId::kSwitchLanguageTooltip);
      n.lang = zh ? "en" : "zh-CN";  // the label is the other language's endonym
      return;
    }
    if (id == "text-size") {
      A11yNode& n = control(r, R::kButton, format(tr(StringId::kTextSize), in.text_scale));
      n.description = tr(StringId::kTextSizeTooltip);
      return;
    }
    if (id == "join/server" || id == "join/room" || id == "join/user") {
      const StringId label = id == "join/server" ? StringId::kServerLabel
                             : id == "join/room" ? StringId::kRoomLabel
                                                 : StringId::kUserLabel;
      control(r, R::kTextbox, tr(label)).value = id == "join/server" ? in.server : id == "join/room" ? in.room : in.user;
      return;
    }
    if (id == "join/password") {
      control(r, R::kPassword, tr(StringId::kPasswordLabel)).description = tr(StringId::kPasswordHint);
      return;
    }
    if (id == "join/button") {
      // As the join card decides it: "Joining..." takes no click while connecting.
      const bool busy = vm.phase == core::Phase::kConnecting || vm.phase == core::Phase::kJoining;
      control(r, R::kButton, tr(busy ? StringId::kJoiningButton : StringId::kJoinButton)).disabled = busy;
      return;
    }
    if (id == "join/error/server" || id == "join/error/room" || id == "join/error/user") {
      const StringId message = id == "join/error/server" ? StringId::kInvalidServer
                               : id == "join/error/room" ? StringId::kInvalidRoom
                                                         : StringId::kInvalidUser;
      control(r, R::kAlert, tr(message));
      return;
    }
    struct Simple {
      const char* id;
      StringId name;
    };
    static constexpr Simple kSimple[] = {
        {"join/cancel", StringId::kCancelButton},   {"join/retry", StringId::kRetryNow},
        {"join/use-here", StringId::kUseHere},      {"join/certificate", StringId::kCertificateHint},
        {"refused/continue", StringId::kRefusedContinue}, {"controls/devices", StringId::kDevices},
        {"controls/leave", StringId::kLeave},       {"controls/page_prev", StringId::kPagePrevious},
        {"controls/page_next", StringId::kPageNext}, {"panel/close", StringId::kHidePanel},
        {"chat/send", StringId::kSend},             {"chat/new_messages", StringId::kNewMessages},
        {"files/upload", StringId::kUploadButton},  {"room/retry", StringId::kRetryNow},
        {"toast/dismiss", StringId::kDismiss},      {"sound_hint", StringId::kEnableSound},
        {"help/close", StringId::kClose},           {"quality/close", StringId::kQualityClose},
        {"join/preview/start", StringId::kPreviewStart},
    };
    for (const Simple& s : kSimple) {
      if (id != s.id) continue;
      A11yNode& n = control(r, R::kButton, tr(s.name));
      if (id == "controls/page_prev") n.disabled = in.page == 0;
      if (id == "controls/page_next") n.disabled = in.page + 1 >= in.page_count;
      return;
    }
    if (id == "controls/layout") {
      A11yNode& n = control(r, R::kButton, tr(in.large_tile ? StringId::kLayoutGrid : StringId::kLayoutSpeaker));
      n.description = tr(StringId::kShortcutLayout);
      return;
    }
    if (id == "join/camera" || id == "join/mic") {  // the pre-join pickers: the choice as the value
      const bool camera = id == "join/camera";
      const std::vector<Device>& list = camera ? in.devices.cameras : in.devices.mics;
      const std::string& chosen = camera ? in.devices.camera_id : in.devices.mic_id;
      std::size_t i = 0;
      while (i < list.size() && list[i].id != chosen) ++i;
      const StringId title = camera ? StringId::kCamera : StringId::kMicrophone;
      control(r, R::kButton, tr(title)).value = device_label(list, i < list.size() ? i : 0, title);
      return;
    }
    if (id == "controls/mute") {
      control(r, R::kButton, tr(vm.self.muted ? StringId::kUnmute : StringId::kMute)).disabled = !media();
      return;
    }
    if (id == "controls/camera") {
      control(r, R::kButton, tr(vm.self.camera_off ? StringId::kCameraOn : StringId::kCameraOff)).disabled = !media();
      return;
    }
    if (id == "controls/share") {
      control(r, R::kButton,
              tr(vm.self.screen == core::ScreenShare::kOff ? StringId::kShareScreen : StringId::kStopSharing));
      return;
    }
    if (id == "controls/chat" || id == "panel/chat_tab") {
      A11yNode& n = control(r, R::kButton, tr(StringId::kChat));
      n.pressed = in.chat_open ? 1 : 0;
      if (vm.unread > 0 && !in.chat_open) n.description = format(tr(StringId::kA11yUnread), vm.unread);
      return;
    }
    if (id == "controls/files" || id == "panel/files_tab") {
      control(r, R::kButton, tr(StringId::kFiles)).pressed = in.files_open ? 1 : 0;
      return;
    }
    if (id == "chat/input") {
      A11yNode& n = control(r, R::kTextbox, tr(StringId::kChatPlaceholder));
      n.multiline = true;
      n.value = in.chat_draft;
      n.description = tr(StringId::kChatHint);
      return;
    }
    if (a11y_starts(id, "chat/resend/") || (a11y_starts(id, "file/") && id.size() > 7 &&
                                            id.compare(id.size() - 7, 7, "/resend") == 0)) {
      control(r, R::kButton, tr(StringId::kSendAgain));
      return;
    }
    if (a11y_starts(id, "upload/")) {
      const auto upload_id = a11y_number(a11y_segment(id, "upload/"));
      const core::UploadView* up = nullptr;
      for (const auto& u : vm.uploads)
        if (upload_id && u.id == static_cast<core::UploadId>(*upload_id)) up = &u;
      if (!up) return;
      const std::string file = core::reveal_bidi_controls(up->name);
      if (id.size() > 7 && id.compare(id.size() - 7, 7, "/cancel") == 0) {
        control(r, R::kButton, std::string(tr(StringId::kCancelUpload)) + ": " + file);
      } else if (id.size() > 6 && id.compare(id.size() - 6, 6, "/retry") == 0) {
        control(r, R::kButton, std::string(tr(StringId::kRetryUpload)) + ": " + file);
      } else if (id.size() > 9 && id.compare(id.size() - 9, 9, "/progress") == 0) {
        control(r, R::kText,
                file + ": " + (up->state == core::UploadState::kQueued ? std::string(tr(StringId::kUploadQueued))
                                                                      : std::to_string(up->percent) + "%"));
      } else if (id.size() > 6 && id.compare(id.size() - 6, 6, "/error") == 0) {
        const std::string message =
            up->failure == core::UploadError::kTooLarge ? std::string(tr(StringId::kErrUploadTooLarge))
            : up->failure == core::UploadError::kStalled
                ? std::string(tr(StringId::kErrUploadStalled))
                : format(tr(StringId::kErrUploadFailed), up->error.empty() ? "?" : up->error.c_str());
        control(r, R::kAlert, file + ": " + message);
      }
      return;
    }
    if (a11y_starts(id, "tile/")) {
      if (id == "tile/menu/pin") {
        const bool unpin = in.menu_tile && in.pinned == in.menu_tile;
        control(r, R::kMenuItem, tr(unpin ? StringId::kUnpin : StringId::kPin));
        return;
      }
      const std::string who = a11y_segment(id, "tile/");
      const auto number = a11y_number(who);
      const std::string name = who == "self" ? std::string(tr(StringId::kYou))
                               : number      ? name_of(static_cast<UserId>(*number))
                                             : who;
      if (id.size() > 8 && id.compare(id.size() - 8, 8, "/quality") == 0)
        control(r, R::kButton, format(tr(StringId::kA11yQualityOf), name.c_str()));
      else if (id.size() > 11 && id.compare(id.size() - 11, 11, "/show-video") == 0)
        control(r, R::kButton, format(tr(StringId::kA11yShowVideoOf), name.c_str()));
      return;
    }
    if (a11y_starts(id, "camera/") || a11y_starts(id, "mic/") || a11y_starts(id, "join/camera/") ||
        a11y_starts(id, "join/mic/")) {  // the room's device popup, the pre-join pickers' lists
      const std::string_view item = a11y_starts(id, "join/") ? std::string_view(id).substr(5) : std::string_view(id);
      const bool camera = a11y_starts(item, "camera/");
      const auto i = a11y_number(a11y_segment(item, camera ? "camera/" : "mic/"));
      if (!i) return;
      const std::string label =
          camera ? device_label(in.devices.cameras, static_cast<std::size_t>(*i), StringId::kCamera)
                 : device_label(in.devices.mics, static_cast<std::size_t>(*i), StringId::kMicrophone);
      if (!label.empty()) control(r, R::kMenuItem, label);
      return;
    }
    if (a11y_starts(id, "toast/")) {
      const auto notice_id = a11y_number(a11y_segment(id, "toast/"));
      for (const core::Notice& n : vm.notices) {
        if (!notice_id || n.id != static_cast<std::uint64_t>(*notice_id)) continue;
        // Lost and recovered are the Announcer's: as alerts they would be said twice.
        const bool spoken = n.code == core::NoticeCode::kConnectionLost || n.code == core::NoticeCode::kReconnected;
        control(r, spoken ? R::kText : R::kAlert, notice_text(in.language, n, name_of(n.user)));
      }
      return;
    }
    if (id == "room/reconnect") control(r, R::kText, tr(StringId::kNoticeConnectionLost));
  }

  void participants() {
    const std::vector<Tile> tiles =
        build_tiles(vm, in.screen == A11yInput::Screen::kKiosk, tr(StringId::kYou),
                    [&](UserId id) { return name_of(id); });
    add("participants", A11yRole::kList,
        format(tr(StringId::kA11yParticipants), static_cast<int>(vm.participants.size()) + 1));
    for (const Tile& t : tiles) {
      std::string line = t.name + ", " + tr(t.state);
      if (t.muted) line += std::string(", ") + tr(StringId::kTileMuted);
      if (t.camera_off) line += std::string(", ") + tr(StringId::kTileCameraOff);
      if (in.live && !t.is_self && in.live->speakers.speaking(t.id, in.now))
        line += std::string(", ") + tr(StringId::kA11ySpeaking);
      if (in.pinned && *in.pinned == t.id) line += std::string(", ") + tr(StringId::kTilePinned);
      add("participant/" + std::string(t.is_self ? "self" : std::to_string(t.id)), A11yRole::kListItem, line,
          "participants");
    }
  }

  // A line's text as the log reads it: at most kReadChars characters, then how many more
  // the canvas shows. A line may hold 16 KiB (5,000+ CJK characters), which nobody listens
  // to, and the browser lays out the mirror's text even though it is never seen: a flood of
  // such lines cost each page ~60 ms of layout and pre-paint a line (scenario 22).
  std::string read_out(const std::string& shown) const {
    constexpr std::size_t kReadChars = 1000;
    std::size_t chars = 0, cut = shown.size();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      if ((static_cast<unsigned char>(shown[i]) & 0xC0) == 0x80) continue;  // a continuation byte
      if (chars++ == kReadChars) cut = i;
    }
    if (chars <= kReadChars) return shown;
    return shown.substr(0, cut) + format(tr(StringId::kA11yLineCut), static_cast<int>(chars - kReadChars));
  }

  void chat_log() {
    constexpr std::size_t kLines = 100;  // the reader's history; the canvas keeps 2,000
    add("chat/history", A11yRole::kLog, tr(StringId::kA11yChatLog)).live = !in.chat_quiet;
    const std::size_t first = vm.chat.size() > kLines ? vm.chat.size() - kLines : 0;
    for (std::size_t i = first; i < vm.chat.size(); ++i) {
      const core::ChatLine& line = vm.chat[i];
      const std::string shown = core::reveal_bidi_controls(line.text);
      std::string text = (line.is_self ? std::string(tr(StringId::kYou)) : name_of(line.sender)) + ", " +
                         format_clock(line.time, in.utc_offset_minutes) + ": " + read_out(shown);
      if (line.is_self && line.status != core::ChatStatus::kSent) {
        const StringId status = line.status == core::ChatStatus::kQueued    ? StringId::kChatQueued
                                : line.status == core::ChatStatus::kPending ? StringId::kChatPending
                                : line.status == core::ChatStatus::kNotSent ? StringId::kChatNotSent
                                                                            : StringId::kChatNotConfirmed;
        text += std::string(" (") + tr(status) + ")";
      }
      const std::string seq = std::to_string(line.seq);
      add("chat/line/" + seq, A11yRole::kText, std::move(text), "chat/history");
      // Its links, where the canvas makes them clickable, with the URL a click opens.
      const std::vector<core::TextSpan> spans = core::find_links(shown);
      int k = 0;
      for (const core::TextSpan& span : spans) {
        if (span.kind != core::TextSpan::Kind::kLink) continue;
        const std::string_view url = core::span_text(shown, span);
        const core::LinkTarget target = core::resolve_link(url);
        if (!target.linkable) continue;
        A11yNode& link = add("chat/link/" + seq + "/" + std::to_string(k++), A11yRole::kLink, std::string(url),
                             "chat/history");
        link.value = target.url;
        link.focusable = true;
      }
    }
  }

  void file_list() {
    add("files/list", A11yRole::kList, tr(StringId::kSharedFiles));
    for (auto it = vm.files.rbegin(); it != vm.files.rend(); ++it) {  // newest first, as drawn
      const core::SharedFile& file = *it;
      const std::string seq = std::to_string(file.seq);
      const std::string item = "files/item/" + seq;
      add(item, A11yRole::kListItem, "", "files/list");
      const std::string name = core::reveal_bidi_controls(file.name.empty() ? file.url : file.name);
      const core::LinkTarget target = core::resolve_link(file.url);
      const std::string who = file.is_self ? std::string(tr(StringId::kYou)) : name_of(file.uploader);
      const std::string meta = format(tr(StringId::kUploadedBy), who.c_str(),
                                      format_clock(file.time, in.utc_offset_minutes).c_str());
      if (file.linkable && target.linkable) {
        A11yNode& link = add("file/" + seq, A11yRole::kLink,
                             target.host.empty() ? name : name + " (" + core::reveal_bidi_controls(target.host) + ")",
                             item);
        link.value = target.url;
        link.focusable = true;
        link.description = meta;
      } else {
        add("file/" + seq, A11yRole::kText, name, item).description = tr(StringId::kNotALink);
      }
      add("files/meta/" + seq, A11yRole::kText, meta, item);
    }
  }

  void status() {
    StringId phase = StringId::kPhaseInRoom;
    switch (vm.phase) {
      case core::Phase::kInRoom: phase = StringId::kPhaseInRoom; break;
      case core::Phase::kReconnecting:
        phase = vm.disconnect_cause == core::DisconnectCause::kPlannedRejoin ? StringId::kPhaseRejoining
                                                                             : StringId::kPhaseReconnecting;
        break;
      case core::Phase::kConnecting: phase = StringId::kPhaseConnecting; break;
      case core::Phase::kJoining: phase = StringId::kPhaseJoining; break;
      case core::Phase::kLeft: phase = StringId::kPhaseLeft; break;
      case core::Phase::kIdle:
      case core::Phase::kFailed: phase = StringId::kPhaseFailed; break;
    }
    add("status", A11yRole::kText,
        std::string(tr(phase)) + ", " + format(tr(StringId::kStatusRoom), std::to_string(vm.room).c_str()) + ", " +
            format(tr(StringId::kStatusParticipants), static_cast<int>(vm.participants.size()) + 1));
  }

  void join_messages() {
    using core::Phase;
    if (vm.phase == Phase::kFailed) {
      StringId message = StringId::kErrProtocol;
      StringId hint = StringId::kErrProtocolHint;
      failure_text(vm.failure, &message, &hint);
      add("join/failure", A11yRole::kAlert, std::string(tr(message)) + " " + tr(hint));
    } else if (vm.phase == Phase::kLeft) {
      add("join/left", A11yRole::kStatus, tr(StringId::kLeftMeeting));
    } else if (vm.phase == Phase::kConnecting || vm.phase == Phase::kJoining) {
      add("join/busy", A11yRole::kStatus,
          tr(vm.phase == Phase::kConnecting ? StringId::kConnectingToServer : StringId::kJoiningRoom));
    } else if (vm.phase == Phase::kReconnecting) {
      const bool unreachable = vm.failure == core::FailureReason::kServerUnreachable;
      add("join/unreachable", unreachable ? A11yRole::kAlert : A11yRole::kStatus,
          unreachable ? std::string(tr(StringId::kErrServerUnreachable)) + " " +
                            tr(StringId::kErrServerUnreachableHint)
                      : std::string(tr(StringId::kConnectingToServer)));
    }
  }

  void build() {
    static const std::vector<Region> kNone;
    const std::vector<Region>& regions = in.regions ? *in.regions : kNone;
    std::vector<const Region*> ordered;
    for (const Region& r : regions) ordered.push_back(&r);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Region* a, const Region* b) { return a11y_group(a->name) < a11y_group(b->name); });
    const bool room = in.screen == A11yInput::Screen::kRoom || in.screen == A11yInput::Screen::kKiosk;
    int group = -1;
    const auto enter = [&](int next) {
      // Content that is not a control goes where it belongs in the reading order.
      for (int g = group + 1; g <= next; ++g) {
        if (g == 1 && in.screen == A11yInput::Screen::kJoin) {
          add("heading", A11yRole::kHeading, tr(StringId::kJoinTitle));
          join_messages();
        }
        if (g == 1 && in.screen == A11yInput::Screen::kRefused)
          add("heading", A11yRole::kHeading, tr(StringId::kRefusedTitle));
        if (g == 1 && room) {
          add("heading", A11yRole::kHeading, tr(StringId::kAppTitle));
          status();
          participants();
        }
        if (g == 4 && room && in.screen == A11yInput::Screen::kRoom) {
          chat_log();
          file_list();
        }
      }
      group = std::max(group, next);
    };
    for (const Region* r : ordered) {
      enter(a11y_group(r->name));
      region(*r);
    }
    enter(6);
  }
};

}  // namespace

const char* to_string(A11yRole role) {
  switch (role) {
    case A11yRole::kButton: return "button";
    case A11yRole::kTextbox: return "textbox";
    case A11yRole::kPassword: return "password";
    case A11yRole::kLink: return "link";
    case A11yRole::kMenuItem: return "menuitem";
    case A11yRole::kHeading: return "heading";
    case A11yRole::kText: return "text";
    case A11yRole::kList: return "list";
    case A11yRole::kListItem: return "listitem";
    case A11yRole::kLog: return "log";
    case A11yRole::kAlert: return "alert";
    case A11yRole::kStatus: return "status";
  }
  return "text";
}

bool A11yNode::operator==(const A11yNode& o) const {
  return id == o.id && role == o.role && name == o.name && description == o.description && value == o.value &&
         parent == o.parent && lang == o.lang && item == o.item && focusable == o.focusable &&
         disabled == o.disabled && pressed == o.pressed && multiline == o.multiline && live == o.live &&
         popup == o.popup;
}

bool is_a11y_text_field(std::string_view id) {
  return id == "join/server" || id == "join/room" || id == "join/user" || id == "join/password" ||
         id == "chat/input";
}

void failure_text(core::FailureReason failure, StringId* message, StringId* hint) {
  using core::FailureReason;
  switch (failure) {
    case FailureReason::kUserNotFound:
      *message = StringId::kErrUserNotFound;
      *hint = StringId::kErrUserNotFoundHint;
      break;
    case FailureReason::kPermissionDenied:
      *message = StringId::kErrPermissionDenied;
      *hint = StringId::kErrPermissionDeniedHint;
      break;
    case FailureReason::kServerUnreachable:
      *message = StringId::kErrServerUnreachable;
      *hint = StringId::kErrServerUnreachableHint;
      break;
    case FailureReason::kReplaced:
      *message = StringId::kErrReplaced;
      *hint = StringId::kErrReplacedHint;
      break;
    case FailureReason::kProtocolError:
    case FailureReason::kNone:
      *message = StringId::kErrProtocol;
      *hint = StringId::kErrProtocolHint;
      break;
  }
}

std::vector<A11yNode> build_a11y_tree(const core::ViewModel& vm, const A11yInput& in) {
  TreeBuilder builder{vm, in, {}};
  builder.build();
  return std::move(builder.nodes);
}

std::string notice_text(Language lang, const core::Notice& n, const std::string& user_name) {
  const auto tr = [lang](StringId id) { return text(lang, id); };
  switch (n.code) {
    case core::NoticeCode::kCameraUnavailable:
      return tr(n.media == core::MediaFailure::kDenied ? StringId::kNoticeCameraDenied
                                                       : StringId::kNoticeCameraUnavailable);
    case core::NoticeCode::kConnectionLost: return tr(StringId::kNoticeConnectionLost);
    case core::NoticeCode::kReconnected: return tr(StringId::kNoticeReconnected);
    case core::NoticeCode::kServerUnreachable: return tr(StringId::kNoticeServerUnreachable);
    case core::NoticeCode::kRefused: return tr(StringId::kNoticeRefused);
    case core::NoticeCode::kGarbageFromServer: return tr(StringId::kNoticeGarbage);
    case core::NoticeCode::kReceiveFailed: return format(tr(StringId::kNoticeReceiveFailed), user_name.c_str());
    case core::NoticeCode::kPublishFailed: return tr(StringId::kNoticePublishFailed);
    case core::NoticeCode::kUploadFailed: return format(tr(StringId::kNoticeUploadFailed), n.detail.c_str());
    case core::NoticeCode::kRejoining:
      return tr(n.rejoin_cause == core::RejoinCause::kServerError ? StringId::kNoticeServerError
                                                                  : StringId::kNoticeRejoining);
    case core::NoticeCode::kChatSplit: return format(tr(StringId::kNoticeChatSplit), std::to_string(n.parts).c_str());
    case core::NoticeCode::kScreenShareFailed:
      return tr(n.media == core::MediaFailure::kDenied ? StringId::kNoticeScreenShareDenied
                                                       : StringId::kNoticeScreenShareFailed);
    case core::NoticeCode::kScreenShareUnavailable: return tr(StringId::kNoticeScreenShareUnavailable);
  }
  return {};
}

// ---- announcements --------------------------------------------------------------------

void Announcer::queue(std::string text) {
  if (std::find(pending_.begin(), pending_.end(), text) == pending_.end()) pending_.push_back(std::move(text));
}

void Announcer::observe(const core::ViewModel& vm, Language lang, core::Millis now,
                        const std::function<std::string(UserId)>& name_of) {
  using core::Phase;
  lang_ = lang;
  const auto tr = [lang](StringId id) { return text(lang, id); };
  if (vm.phase == Phase::kIdle || vm.phase == Phase::kLeft || vm.phase == Phase::kFailed) {
    seen_room_ = false;  // a next join starts afresh: who is there is not news
    lost_ = false;
    return;
  }
  if (!seen_room_) {
    if (vm.phase != Phase::kInRoom) return;
    seen_room_ = true;
    present_.clear();
    for (const auto& p : vm.participants) present_.insert(p.id);
    last_chat_ = vm.chat.empty() ? 0 : vm.chat.back().seq;
    last_file_ = vm.files.empty() ? 0 : vm.files.back().seq;
    return;
  }
  if (vm.phase == Phase::kReconnecting) {
    // A planned rejoin is the client's own doing and has its own notice.
    if (!lost_ && vm.disconnect_cause != core::DisconnectCause::kPlannedRejoin) {
      lost_ = true;
      queue(tr(StringId::kNoticeConnectionLost));
    }
  } else if (vm.phase == Phase::kInRoom) {
    if (lost_) {
      lost_ = false;
      queue(tr(StringId::kNoticeReconnected));
    }
    // Join and leave, only while in the room (the list empties while reconnecting).
    std::set<UserId> now_present;
    for (const auto& p : vm.participants) {
      now_present.insert(p.id);
      if (!present_.count(p.id)) queue(format(tr(StringId::kA11yJoined), name_of(p.id).c_str()));
    }
    for (UserId id : present_)
      if (!now_present.count(id)) queue(format(tr(StringId::kA11yLeft), name_of(id).c_str()));
    present_ = std::move(now_present);
  }
  for (const core::ChatLine& line : vm.chat) {
    if (line.seq <= last_chat_) continue;
    last_chat_ = line.seq;
    if (line.is_self) continue;  // your own line is what you just typed
    chat_times_.push_back(now);
    last_chat_at_ = now;
    if (flood_) ++flood_count_;
  }
  while (!chat_times_.empty() && now - chat_times_.front() > kChatWindowMs) chat_times_.pop_front();
  if (!flood_ && chat_times_.size() > static_cast<std::size_t>(kChatBurst)) {
    // The first kChatBurst lines were read by the log; from the one that made it a flood
    // the log is quiet (the tree is built after this), so that one is counted too.
    flood_ = true;
    flood_count_ = static_cast<int>(chat_times_.size()) - kChatBurst;
  }
  for (const core::SharedFile& file : vm.files) {
    if (file.seq <= last_file_) continue;
    last_file_ = file.seq;
    if (file.is_self) continue;
    const std::string name = core::reveal_bidi_controls(file.name.empty() ? file.url : file.name);
    queue(format(tr(StringId::kA11yShared), name_of(file.uploader).c_str(), name.c_str()));
  }
}

std::optional<std::string> Announcer::take(core::Millis now) {
  if (flood_ && now - last_chat_at_ >= kChatWindowMs) {
    flood_ = false;
    chat_times_.clear();
    if (flood_count_ > 0) queue(format(text(lang_, StringId::kA11yNewMessages), flood_count_));
    flood_count_ = 0;
  }
  if (pending_.empty() || now < last_spoken_at_ + kGapMs) return std::nullopt;
  const char* separator = lang_ == Language::kZhCn ? "\xE3\x80\x82" : ". ";  // 。
  std::string spoken;
  for (std::size_t i = 0; i < pending_.size() && i < kMergeMax; ++i) {
    if (i > 0) spoken += separator;
    spoken += pending_[i];
  }
  if (pending_.size() > kMergeMax) {
    spoken += separator;
    spoken += format(text(lang_, StringId::kA11yMore), static_cast<int>(pending_.size() - kMergeMax));
  }
  pending_.clear();
  if (spoken == last_spoken_ && now - last_spoken_at_ < kRepeatMs) return std::nullopt;
  last_spoken_ = spoken;
  last_spoken_at_ = now;
  return spoken;
}

std::optional<core::Millis> Announcer::next_at() const {
  std::optional<core::Millis> at;
  if (!pending_.empty()) at = last_spoken_at_ + kGapMs;
  if (flood_) {
    const core::Millis end = last_chat_at_ + kChatWindowMs;
    if (!at || end < *at) at = end;
  }
  return at;
}

}  // namespace gc::ui
