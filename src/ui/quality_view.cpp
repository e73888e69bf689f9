// Connection quality on the tiles (issue 13 item 3): signal bars in a tile's top right
// corner, and the panel they open: the last 60 s of a stream's figures as ImGui PlotLines.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "ui/format.hpp"
#include "ui/ui.hpp"
#include "ui/widgets.hpp"

namespace gc::ui {
namespace {

constexpr ImGuiWindowFlags kOverlay = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;

ImU32 score_color(const core::QualityFigures& q) {
  if (!q.measured) return colors::text_dim();
  return q.score >= 3 ? colors::good() : q.score == 2 ? colors::warn() : colors::bad();
}

// Four bars of rising height; the first `score` in the score's colour.
void draw_bars(ImDrawList* dl, ImVec2 min, ImVec2 max, const core::QualityFigures& q) {
  dl->AddRectFilled(min, max, colors::name_bar(), (max.y - min.y) * 0.5f);
  const float h = max.y - min.y;
  const float inner_w = (max.x - min.x) - h * 0.7f;
  const float bar_w = inner_w / 4.0f * 0.62f;
  const float step = inner_w / 4.0f;
  const float bottom = max.y - h * 0.24f;
  const float tallest = h * 0.52f;
  for (int i = 0; i < 4; ++i) {
    const float x = min.x + h * 0.35f + step * static_cast<float>(i) + (step - bar_w) * 0.5f;
    const float top = bottom - tallest * static_cast<float>(i + 1) / 4.0f;
    const bool lit = q.measured && i < q.score;
    dl->AddRectFilled(ImVec2(std::round(x), std::round(top)), ImVec2(std::round(x + bar_w), std::round(bottom)),
                      lit ? score_color(q) : IM_COL32(255, 255, 255, 70), 1.0f);
  }
}

std::string number(const char* fmt, double value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

}  // namespace

void Ui::draw_quality_badge(UserId id, bool is_self, float right, float top) {
  if (!live_ || kiosk_) return;
  const core::QualityMeter* meter = &live_->self;
  if (!is_self) {
    auto it = live_->quality.find(id);
    meter = it == live_->quality.end() ? nullptr : &it->second;
  }
  const core::QualityFigures figures = meter ? meter->figures() : core::QualityFigures{};
  const float font = ImGui::GetFontSize();
  const float h = ImGui::GetTextLineHeight() + font * 0.4f;  // as tall as the state badges
  const ImVec2 size(std::round(h * 1.5f), std::round(h));
  const ImVec2 pos(std::round(right - size.x), std::round(top));
  const std::string name = is_self ? "self" : std::to_string(id);

  // The stage takes no input: the bars get a small window of their own over the tile.
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
  ImGui::Begin(("##quality/" + name).c_str(), nullptr, kOverlay | ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar(2);
  if (ImGui::InvisibleButton("##bars", size)) {
    const bool same = quality_panel_ && quality_panel_->is_self == is_self && (is_self || quality_panel_->id == id);
    if (same)
      quality_panel_.reset();
    else
      quality_panel_ = QualityTarget{is_self, id, pos.x + size.x, pos.y + size.y + font * 0.3f};
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kQualityTooltip));
  add_region("tile/" + name + "/quality");
  draw_bars(ImGui::GetWindowDrawList(), pos, ImVec2(pos.x + size.x, pos.y + size.y), figures);
  ImGui::End();
}

void Ui::draw_quality_panel(const core::ViewModel& vm) {
  if (!quality_panel_ || !live_ || kiosk_) return;
  const QualityTarget target = *quality_panel_;
  const core::QualityMeter* meter = &live_->self;
  std::string title = tr(StringId::kQualityOwnStream);
  if (!target.is_self) {
    if (!vm.find(target.id)) {  // they left
      quality_panel_.reset();
      return;
    }
    auto it = live_->quality.find(target.id);
    meter = it == live_->quality.end() ? nullptr : &it->second;
    title = format(tr(StringId::kQualityTitle), participant_name(vm, target.id).c_str());
  }
  const core::QualityFigures q = meter ? meter->figures() : core::QualityFigures{};
  const ImGuiIO& io = ImGui::GetIO();
  const float font = ImGui::GetFontSize();

  // Top right at the badge, kept on screen with the size it had last frame.
  ImGui::SetNextWindowPos(ImVec2(std::clamp(target.x, std::min(quality_panel_w_, io.DisplaySize.x), io.DisplaySize.x),
                                 std::clamp(target.y, 0.0f, std::max(0.0f, io.DisplaySize.y - quality_panel_h_))),
                          ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::overlay()));
  ImGui::Begin("##quality_panel", nullptr, kOverlay | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::PopStyleColor();
  ImGui::TextUnformatted(title.c_str());
  ImGui::SameLine(0, font * 2);
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), font * 17.5f));
  if (ImGui::SmallButton("\u00D7##quality_close")) quality_panel_.reset();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(StringId::kQualityClose));
  add_region("quality/close");
  ImGui::Separator();
  if (!q.measured) ImGui::TextDisabled("%s", tr(StringId::kQualityNoData));

  const ImVec2 plot(font * 11.0f, std::round(font * 2.0f));
  const auto row = [&](StringId label, const std::string& value, std::optional<core::Metric> metric) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr(label));
    ImGui::TextUnformatted(value.c_str());
    ImGui::TableNextColumn();
    if (!metric || !meter) return;
    const std::vector<float> values = meter->history(*metric);
    const float top = std::max(1.0f, *std::max_element(values.begin(), values.end()) * 1.15f);
    ImGui::PlotLines(("##" + std::to_string(static_cast<int>(*metric))).c_str(), values.data(),
                     static_cast<int>(values.size()), 0, nullptr, 0.0f, top, plot);
  };
  if (ImGui::BeginTable("##quality_rows", 2, ImGuiTableFlags_SizingFixedFit)) {
    row(StringId::kQualityBitrate, number("%.0f kbps", q.bitrate_kbps), core::Metric::kBitrateKbps);
    row(StringId::kQualityFps, number("%.0f fps", q.fps), core::Metric::kFps);
    row(StringId::kQualityResolution, std::to_string(q.width) + "\u00D7" + std::to_string(q.height),
        core::Metric::kHeight);
    if (target.is_self) {
      const StringId limit = q.limitation == "none"        ? StringId::kQualityLimitNone
                             : q.limitation == "bandwidth" ? StringId::kQualityLimitBandwidth
                             : q.limitation == "cpu"       ? StringId::kQualityLimitCpu
                                                           : StringId::kQualityLimitOther;
      row(StringId::kQualityLimitation, q.limitation.empty() ? "-" : tr(limit), std::nullopt);
    } else {
      row(StringId::kQualityLoss, number("%.1f %%", q.loss_pct), core::Metric::kLossPct);
      row(StringId::kQualityJitter, number("%.0f ms", q.jitter_ms), core::Metric::kJitterMs);
    }
    row(StringId::kQualityRtt, number("%.0f ms", q.rtt_ms), core::Metric::kRttMs);
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s", tr(StringId::kQualityLast60s));
  const ImVec2 at = ImGui::GetWindowPos();
  const ImVec2 size = ImGui::GetWindowSize();
  quality_panel_w_ = size.x;
  quality_panel_h_ = size.y;
  add_region("quality/panel", at.x, at.y, size.x, size.y);
  ImGui::End();
}

}  // namespace gc::ui
