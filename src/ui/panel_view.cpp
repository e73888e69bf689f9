// The right-side panel: chat (Enter sends, Shift+Enter newline, links, pending marks,
// auto-scroll) and files (upload, progress, shared list with safe links only). Untrusted
// text is drawn through core::reveal_bidi_controls (issue 11, item 2), and a click opens
// the URL core::resolve_link checked, never the raw string.
#include <algorithm>
#include <cctype>
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "core/display.hpp"
#include "core/links.hpp"
#include "ui/format.hpp"
#include "ui/ui.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

constexpr Millis kGroupWindowMs = 5 * 60 * 1000;  // same sender within 5 min: one header

// What the chat box's callback saw during one InputTextMultiline call.
struct ChatBoxState {
  std::size_t max_bytes = 0;
  bool send = false;       // Enter without Shift
  bool too_long = false;
  std::optional<std::string> sent;
};

std::string trimmed(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Enter is polled by ImGui and turned into '\n' for a multiline box (that is what
// CtrlEnterForNewLine swaps with Ctrl+Enter). We need Enter to send and Shift+Enter to
// break the line, so the '\n' of a plain Enter is filtered out here and the text is taken
// in the CallbackAlways of the same call, where the box can also be cleared safely (while
// the box is active ImGui owns its text, so clearing the std::string would not stick).
int chat_box_callback(ImGuiInputTextCallbackData* data) {
  auto* state = static_cast<ChatBoxState*>(data->UserData);
  if (data->EventFlag == ImGuiInputTextFlags_CallbackCharFilter) {
    const bool enter = ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter);
    if (data->EventChar == '\n' && enter && !ImGui::GetIO().KeyShift) {
      state->send = true;
      return 1;  // drop the newline
    }
    return 0;
  }
  if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways && state->send) {
    state->send = false;
    std::string text = trimmed(std::string_view(data->Buf, static_cast<std::size_t>(data->BufTextLen)));
    if (text.empty()) return 0;
    if (text.size() > state->max_bytes) {
      state->too_long = true;
      return 0;
    }
    state->sent = std::move(text);
    data->DeleteChars(0, data->BufTextLen);
  }
  return 0;
}

void draw_status_mark(ImDrawList* dl, ImVec2 center, float size, core::ChatStatus status) {
  const float r = size * 0.4f;
  if (status == core::ChatStatus::kNotSent) {  // a cross: it went nowhere
    const ImU32 c = colors::bad();
    dl->AddLine(ImVec2(center.x - r * 0.7f, center.y - r * 0.7f), ImVec2(center.x + r * 0.7f, center.y + r * 0.7f), c, 1.5f);
    dl->AddLine(ImVec2(center.x - r * 0.7f, center.y + r * 0.7f), ImVec2(center.x + r * 0.7f, center.y - r * 0.7f), c, 1.5f);
  } else if (status == core::ChatStatus::kNotConfirmed) {  // "!": it may not have arrived
    const ImU32 c = colors::warn();
    dl->AddCircle(center, r, c, 16, 1.2f);
    dl->AddLine(ImVec2(center.x, center.y - r * 0.6f), ImVec2(center.x, center.y + r * 0.15f), c, 1.5f);
    dl->AddCircleFilled(ImVec2(center.x, center.y + r * 0.45f), 1.2f, c);
  } else if (status == core::ChatStatus::kSent) {
    const ImU32 c = colors::good();
    dl->AddLine(ImVec2(center.x - r, center.y), ImVec2(center.x - r * 0.3f, center.y + r * 0.7f), c, 1.5f);
    dl->AddLine(ImVec2(center.x - r * 0.3f, center.y + r * 0.7f), ImVec2(center.x + r, center.y - r * 0.7f), c, 1.5f);
  } else {
    const ImU32 c = status == core::ChatStatus::kQueued ? colors::warn() : colors::text_dim();
    dl->AddCircle(center, r, c, 16, 1.2f);
    dl->AddLine(center, ImVec2(center.x, center.y - r * 0.65f), c, 1.2f);
    dl->AddLine(center, ImVec2(center.x + r * 0.5f, center.y), c, 1.2f);
  }
}

StringId status_text(core::ChatStatus status) {
  switch (status) {
    case core::ChatStatus::kQueued: return StringId::kChatQueued;
    case core::ChatStatus::kPending: return StringId::kChatPending;
    case core::ChatStatus::kSent: return StringId::kChatSent;
    case core::ChatStatus::kNotSent: return StringId::kChatNotSent;
    case core::ChatStatus::kNotConfirmed: return StringId::kChatNotConfirmed;
  }
  return StringId::kChatPending;
}

// The text as drawn: `text` itself, or its copy in `scratch` with the direction controls
// made visible. Link spans are found in this text, so their offsets match what is drawn.
std::string_view shown_text(const std::string& text, std::string& scratch) {
  if (!core::has_bidi_controls(text)) return text;
  scratch = core::reveal_bidi_controls(text);
  return scratch;
}

}  // namespace

void Ui::draw_panel(const core::ViewModel& vm, Millis now, float x, float y, float w, float h, UiOutput& out) {
  (void)now;
  const float font = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(x, y));
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::panel()));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::Begin("##panel", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(x, y), ImVec2(x, y + h), colors::panel_border());

  // Header: two tabs and a close button.
  const auto tab = [&](PanelTab which, StringId label, const char* id, int count) {
    const bool active = panel_tab_ == which;
    std::string text = tr(label);
    if (count > 0) text += " (" + std::to_string(count) + ")";
    text += id;
    ImGui::PushStyleColor(ImGuiCol_Button, active ? ImGui::ColorConvertU32ToFloat4(colors::control_on())
                                                  : ImVec4(0, 0, 0, 0));
    if (ImGui::Button(text.c_str())) panel_tab_ = which;
    ImGui::PopStyleColor();
  };
  tab(PanelTab::kChat, StringId::kChat, "###tab_chat", panel_tab_ == PanelTab::kChat ? 0 : vm.unread);
  add_region("panel/chat_tab");
  ImGui::SameLine();
  tab(PanelTab::kFiles, StringId::kFiles, "###tab_files", 0);
  add_region("panel/files_tab");
  const float close_w = ImGui::GetFrameHeight();
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w);
  if (ImGui::Button("\xC3\x97###panel_close", ImVec2(close_w, close_w))) panel_open_ = false;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kHidePanel));
  add_region("panel/close");
  ImGui::Separator();

  if (panel_tab_ == PanelTab::kChat) {
    draw_chat(vm, out);
  } else {
    draw_files(vm, out);
  }
  (void)font;
  ImGui::End();
}

void Ui::draw_chat(const core::ViewModel& vm, UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float line_h = ImGui::GetTextLineHeight();
  const int lines = std::clamp(1 + static_cast<int>(std::count(chat_input_.begin(), chat_input_.end(), '\n')), 1, 5);
  const float input_h = line_h * static_cast<float>(lines) + style.FramePadding.y * 2;
  const float footer_h = input_h + style.ItemSpacing.y * 2 + line_h;

  // ---- the log ----
  ImGui::BeginChild("##chat_log", ImVec2(0, -footer_h), ImGuiChildFlags_None, ImGuiWindowFlags_None);
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f;
  const std::uint64_t newest = vm.chat.empty() ? 0 : vm.chat.back().seq;
  if (newest > last_chat_seq_ && !at_bottom && !scroll_to_bottom_) unseen_below_ = true;
  if (at_bottom) unseen_below_ = false;

  if (vm.chat.empty()) {
    ImGui::TextDisabled("%s", tr(StringId::kNoMessages));
  }
  const float mark_w = font * 1.2f;
  const float avail_w = ImGui::GetContentRegionAvail().x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const core::ChatLine* previous = nullptr;
  std::optional<std::uint64_t> open_copy_for;
  std::string scratch;
  for (const core::ChatLine& line : vm.chat) {
    const bool grouped = previous && previous->sender == line.sender && previous->is_self == line.is_self &&
                         line.time - previous->time < kGroupWindowMs;
    previous = &line;
    ChatLayout& layout = chat_layout_[line.seq];
    if (layout.width < 0) layout.spans = core::find_links(shown_text(line.text, scratch));

    const float y0 = ImGui::GetCursorPosY();
    const ImVec2 block_min = ImGui::GetCursorScreenPos();
    // Off-screen lines whose height is known are skipped: a long history stays cheap.
    if (layout.width == avail_w && layout.height > 0 &&
        !ImGui::IsRectVisible(block_min, ImVec2(block_min.x + avail_w, block_min.y + layout.height))) {
      ImGui::Dummy(ImVec2(0, std::max(0.0f, layout.height - style.ItemSpacing.y)));
      continue;
    }
    if (!grouped) {
      if (y0 > style.WindowPadding.y) ImGui::Dummy(ImVec2(0, font * 0.2f));
      const std::string name = line.is_self ? std::string(tr(StringId::kYou)) : participant_name(vm, line.sender);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(line.is_self ? colors::accent()
                                                                                       : colors::link()));
      ImGui::TextUnformatted(name.c_str());
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::TextDisabled("%s", format_clock(line.time).c_str());
    }
    const ImVec2 body = ImGui::GetCursorScreenPos();
    std::vector<LinkHit> hits;
    const float wrap = line.is_self ? avail_w - mark_w : avail_w;
    const std::string_view text = shown_text(line.text, scratch);
    const auto clicked = rich_text(text, layout.spans, static_cast<int>(line.seq), wrap, &hits);
    if (clicked) {
      core::LinkTarget target = core::resolve_link(core::span_text(text, layout.spans[*clicked]));
      if (target.linkable) out.open_url = std::move(target.url);
    }
    // One region per link, named by its place among the line's links (its first piece when
    // it wraps): the accessibility mirror's link has the same id, so its focus ring lands here.
    int link = -1;
    for (std::size_t k = 0; k < hits.size(); ++k) {
      if (k > 0 && hits[k].span == hits[k - 1].span) continue;
      add_region("chat/link/" + std::to_string(line.seq) + "/" + std::to_string(++link), hits[k].min.x,
                 hits[k].min.y, hits[k].max.x - hits[k].min.x, hits[k].max.y - hits[k].min.y);
    }
    if (line.is_self) {
      const ImVec2 center(body.x + avail_w - mark_w * 0.5f, body.y + line_h * 0.5f);
      draw_status_mark(dl, center, line_h, line.status);
      const ImVec2 mark_min(center.x - mark_w * 0.5f, body.y);
      const ImVec2 mark_max(center.x + mark_w * 0.5f, body.y + line_h);
      add_region("chat/mark/" + std::to_string(line.seq), mark_min.x, mark_min.y, mark_w, line_h);
      if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(mark_min, mark_max)) {
        ImGui::SetTooltip("%s", tr(status_text(line.status)));
      }
      if (line.resendable) {  // not confirmed: the user may send it again (same room only)
        ImGui::PushID(static_cast<int>(line.seq));
        if (ImGui::SmallButton(tr(StringId::kSendAgain))) out.resend_lines.push_back(line.seq);
        ImGui::PopID();
        add_region("chat/resend/" + std::to_string(line.seq));
      }
    }
    const ImVec2 block_max(block_min.x + avail_w, ImGui::GetCursorScreenPos().y);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(block_min, block_max) &&
        ImGui::IsMouseReleased(ImGuiMouseButton_Right))
      open_copy_for = line.seq;
    layout.width = avail_w;
    layout.height = ImGui::GetCursorPosY() - y0;
  }
  // Forget layouts of lines that fell out of the history.
  if (chat_layout_.size() > vm.chat.size()) {
    const std::uint64_t oldest = vm.chat.empty() ? UINT64_MAX : vm.chat.front().seq;
    for (auto it = chat_layout_.begin(); it != chat_layout_.end() && it->first < oldest;) it = chat_layout_.erase(it);
  }

  if (open_copy_for) {
    copy_seq_ = open_copy_for;
    ImGui::OpenPopup("##copy_line");
  }
  if (ImGui::BeginPopup("##copy_line")) {
    if (ImGui::MenuItem(tr(StringId::kCopyMessage)) && copy_seq_) {
      for (const core::ChatLine& line : vm.chat)
        if (line.seq == *copy_seq_) ImGui::SetClipboardText(core::reveal_bidi_controls(line.text).c_str());
    }
    ImGui::EndPopup();
  }

  // Follow the conversation unless the reader scrolled up.
  if (scroll_to_bottom_ || (at_bottom && newest > last_chat_seq_)) {
    ImGui::SetScrollHereY(1.0f);
    unseen_below_ = false;
  }
  scroll_to_bottom_ = false;
  last_chat_seq_ = std::max(last_chat_seq_, newest);

  if (unseen_below_) {
    const char* label = tr(StringId::kNewMessages);
    const float bw = ImGui::CalcTextSize(label).x + style.FramePadding.x * 2 + font;
    ImGui::SetCursorPos(ImVec2(ImGui::GetScrollX() + (ImGui::GetWindowWidth() - bw) * 0.5f,
                               ImGui::GetScrollY() + ImGui::GetWindowHeight() - ImGui::GetFrameHeight() - font * 0.5f));
    if (colored_button(label, colors::accent(), ImVec2(bw, 0))) scroll_to_bottom_ = true;
    add_region("chat/new_messages");
  }
  ImGui::EndChild();
  add_region("chat/log");

  draw_chat_input(vm, out);
}

void Ui::draw_chat_input(const core::ViewModel& vm, UiOutput& out) {
  (void)vm;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const float line_h = ImGui::GetTextLineHeight();
  const int lines = std::clamp(1 + static_cast<int>(std::count(chat_input_.begin(), chat_input_.end(), '\n')), 1, 5);
  const float input_h = line_h * static_cast<float>(lines) + style.FramePadding.y * 2;
  const char* send_label = tr(StringId::kSend);
  const float send_w = ImGui::CalcTextSize(send_label).x + style.FramePadding.x * 2 + font * 0.5f;
  const float input_w = ImGui::GetContentRegionAvail().x - send_w - style.ItemSpacing.x;

  ChatBoxState state;
  state.max_bytes = max_chat_bytes_;
  if (focus_chat_) {
    ImGui::SetKeyboardFocusHere();
    focus_chat_ = false;
  }
  const std::string before = chat_input_;
  ImGui::InputTextMultiline("##chat_input", &chat_input_, ImVec2(input_w, input_h),
                            ImGuiInputTextFlags_CallbackCharFilter | ImGuiInputTextFlags_CallbackAlways,
                            chat_box_callback, &state);
  const bool active = ImGui::IsItemActive();
  const ImVec2 box_min = ImGui::GetItemRectMin();
  add_region("chat/input");
  if (chat_input_.empty() && !active) {
    ImGui::GetWindowDrawList()->AddText(ImVec2(box_min.x + style.FramePadding.x, box_min.y + style.FramePadding.y),
                                        colors::text_dim(), tr(StringId::kChatPlaceholder));
  }
  // Ctrl+Enter is ImGui's own "validate" for a multiline box: treat it as send too.
  const bool ctrl_enter = ImGui::IsItemDeactivated() && ImGui::GetIO().KeyCtrl &&
                          (ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter));
  ImGui::SameLine();
  const bool send_clicked = colored_button(send_label, colors::accent(), ImVec2(send_w, input_h));
  add_region("chat/send");

  if (state.sent) {
    out.send_chat = std::move(state.sent);
  } else if ((send_clicked || ctrl_enter) && !active) {
    // The box is not active here, so its std::string is the truth and may be cleared.
    std::string text = trimmed(chat_input_);
    if (text.size() > max_chat_bytes_) {
      state.too_long = true;
    } else if (!text.empty()) {
      out.send_chat = std::move(text);
      chat_input_.clear();
      focus_chat_ = true;
    }
  }
  if (out.send_chat) {
    scroll_to_bottom_ = true;
    chat_too_long_ = false;
  } else if (state.too_long) {
    chat_too_long_ = true;
  } else if (chat_input_ != before) {
    chat_too_long_ = false;
  }

  if (chat_too_long_) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::bad()));
    ImGui::TextUnformatted(tr(StringId::kChatTooLong));
    ImGui::PopStyleColor();
  } else {
    ImGui::TextDisabled("%s", tr(StringId::kChatHint));
  }
}

void Ui::draw_files(const core::ViewModel& vm, UiOutput& out) {
  const float font = ImGui::GetFontSize();
  const ImGuiStyle& style = ImGui::GetStyle();

  if (colored_button(tr(StringId::kUploadButton), colors::accent(), ImVec2(-FLT_MIN, font * 2.2f)))
    out.pick_files = true;
  add_region("files/upload");
  ImGui::TextDisabled("%s", tr(StringId::kDropHint));
  ImGui::Spacing();

  ImGui::BeginChild("##files_list", ImVec2(0, 0));
  if (!vm.uploads.empty()) {
    ImGui::TextDisabled("%s", tr(StringId::kUploads));
    for (const core::UploadView& up : vm.uploads) {
      ImGui::PushID(static_cast<int>(up.id));
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(core::reveal_bidi_controls(up.name).c_str());
      ImGui::PopTextWrapPos();
      switch (up.state) {
        case core::UploadState::kQueued:
        case core::UploadState::kUploading: {
          const char* cancel = tr(StringId::kCancelUpload);
          const float cancel_w = ImGui::CalcTextSize(cancel).x + style.FramePadding.x * 2;
          const std::string overlay = up.state == core::UploadState::kQueued ? std::string(tr(StringId::kUploadQueued))
                                                                             : std::to_string(up.percent) + "%";
          ImGui::ProgressBar(static_cast<float>(std::clamp(up.percent, 0, 100)) / 100.0f,
                             ImVec2(ImGui::GetContentRegionAvail().x - cancel_w - style.ItemSpacing.x, 0),
                             overlay.c_str());
          add_region("upload/" + std::to_string(up.id) + "/progress");
          ImGui::SameLine();
          if (ImGui::Button(cancel)) out.cancel_uploads.push_back(up.id);
          add_region("upload/" + std::to_string(up.id) + "/cancel");
          break;
        }
        case core::UploadState::kDone:
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::good()), "%s", tr(StringId::kUploadDone));
          break;
        case core::UploadState::kFailed: {
          const bool too_large = up.failure == core::UploadError::kTooLarge;
          const std::string message =
              too_large ? std::string(tr(StringId::kErrUploadTooLarge))
              : up.failure == core::UploadError::kStalled
                  ? std::string(tr(StringId::kErrUploadStalled))
                  : format(tr(StringId::kErrUploadFailed), up.error.empty() ? "?" : up.error.c_str());
          ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::bad()));
          ImGui::PushTextWrapPos(0.0f);
          ImGui::TextUnformatted(message.c_str());
          ImGui::PopTextWrapPos();
          ImGui::PopStyleColor();
          add_region("upload/" + std::to_string(up.id) + "/error");
          if (!too_large) {  // the same file again: no second pick
            if (ImGui::Button(tr(StringId::kRetryUpload))) out.retry_uploads.push_back(up.id);
            add_region("upload/" + std::to_string(up.id) + "/retry");
          }
          break;
        }
        case core::UploadState::kCancelled:
          ImGui::TextDisabled("%s", tr(StringId::kUploadCancelled));
          break;
      }
      ImGui::PopID();
      ImGui::Spacing();
    }
    ImGui::Separator();
  }

  ImGui::TextDisabled("%s", tr(StringId::kSharedFiles));
  if (vm.files.empty()) ImGui::TextUnformatted(tr(StringId::kNoFiles));
  // Newest first: the file someone just mentioned is at the top.
  for (auto it = vm.files.rbegin(); it != vm.files.rend(); ++it) {
    const core::SharedFile& file = *it;
    ImGui::PushID(static_cast<int>(file.seq));
    const std::string name = core::reveal_bidi_controls(file.name.empty() ? file.url : file.name);
    // Where a click leads: the fileUrl resolved against the files base or the page, a link
    // only when the Session and the resolver both say so (core/links.hpp).
    const core::LinkTarget target = core::resolve_link(file.url);
    const bool linkable = file.linkable && target.linkable;
    ImGui::PushTextWrapPos(0.0f);
    if (linkable) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::link()));
      ImGui::TextUnformatted(name.c_str());
      ImGui::PopStyleColor();
      const bool hovered = ImGui::IsItemHovered();
      if (hovered) {
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        ImGui::GetWindowDrawList()->AddLine(ImVec2(min.x, max.y), max, colors::link());
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ImGui::SetTooltip("%s", core::reveal_bidi_controls(target.url).c_str());  // the full URL
      }
      if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
          ImGui::IsMouseHoveringRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) &&
          !ImGui::IsMouseDragPastThreshold(ImGuiMouseButton_Left))
        out.open_url = target.url;  // the client opens it with noopener
    } else {
      // Not a safe http(s) target: text only, never a link, whatever it looks like.
      ImGui::TextUnformatted(name.c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\n%s", core::reveal_bidi_controls(file.url).c_str(), tr(StringId::kNotALink));
    }
    add_region("file/" + std::to_string(file.seq));
    // The host next to the name, so "report.pdf" on another server says which one. Unknown
    // (nothing to show) for a path on the page's server before the page URL is known.
    if (linkable && !target.host.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("(%s)", core::reveal_bidi_controls(target.host).c_str());
      add_region("file/" + std::to_string(file.seq) + "/host");
    }
    ImGui::PopTextWrapPos();
    const std::string who = file.is_self ? std::string(tr(StringId::kYou)) : participant_name(vm, file.uploader);
    std::string meta = format(tr(StringId::kUploadedBy), who.c_str(), format_clock(file.time).c_str());
    if (file.is_self && file.status != core::ChatStatus::kSent)
      meta += " · " + std::string(tr(status_text(file.status)));
    ImGui::TextDisabled("%s", meta.c_str());
    if (file.resendable) {
      if (ImGui::SmallButton(tr(StringId::kSendAgain))) out.resend_lines.push_back(file.seq);
      add_region("file/" + std::to_string(file.seq) + "/resend");
    }
    ImGui::PopID();
    ImGui::Spacing();
  }
  ImGui::EndChild();
}

}  // namespace gc::ui
