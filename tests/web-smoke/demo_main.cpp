// Throwaway demo of gc::platform::Frontend (not the app): Chinese text, an InputText and a
// transparent area over the page's coloured background / video, for tests/web-smoke.
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include "frontend.hpp"

namespace {

std::unique_ptr<gc::platform::Frontend> g_frontend;
std::string g_input = "Hi ";
std::string g_dropped = "(none)";
int g_clicks = 0;

void draw() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(20, 20), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(380, 0), ImGuiCond_Always);
  ImGui::Begin("前端演示 Frontend demo", nullptr, ImGuiWindowFlags_NoCollapse);
  ImGui::TextUnformatted("你好，世界");
  ImGui::TextUnformatted("张伟 [研发部]");
  ImGui::TextUnformatted("Latin: The quick brown fox — naïve café ✓");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##msg", &g_input)) g_frontend->ensure_glyphs(g_input);
  if (ImGui::Button("Click me / 点我")) ++g_clicks;
  ImGui::SameLine();
  ImGui::Text("clicks: %d", g_clicks);
  ImGui::Text("dropped: %s", g_dropped.c_str());
  ImGui::Text("dpr %.2f  size %.0fx%.0f  frames %llu", g_frontend->pixel_ratio(), vp->Size.x, vp->Size.y,
              static_cast<unsigned long long>(g_frontend->frames_drawn()));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("frames drawn since start");
  ImGui::End();

  // A tile frame with a transparent interior: the page (or a <video>) shows through.
  ImGui::SetNextWindowPos(ImVec2(420, 20), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(320, 240), ImGuiCond_Always);
  ImGui::Begin("tile", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetWindowPos();
  const ImVec2 s = ImGui::GetWindowSize();
  dl->AddRect(p, ImVec2(p.x + s.x, p.y + s.y), IM_COL32(80, 200, 120, 255), 6.0f, 0, 3.0f);
  dl->AddRectFilled(ImVec2(p.x, p.y + s.y - 28), ImVec2(p.x + s.x, p.y + s.y), IM_COL32(0, 0, 0, 140), 6.0f);
  ImGui::SetCursorPos(ImVec2(10, s.y - 24));
  ImGui::TextUnformatted("李娜 [市场部] (transparent tile)");
  ImGui::End();
}

std::string demo_input() { return g_input; }

}  // namespace

EMSCRIPTEN_BINDINGS(frontend_demo) { emscripten::function("demoInputText", &demo_input); }

int main() {
  gc::platform::FrontendCallbacks cb;
  cb.draw = draw;
  cb.file_dropped = [](emscripten::val file) {
    g_dropped = file["name"].as<std::string>();
    g_frontend->ensure_glyphs(g_dropped);
    g_frontend->request_frame();
  };
  g_frontend = gc::platform::Frontend::create("#canvas", std::move(cb));
  if (!g_frontend) return 1;
  g_frontend->ensure_glyphs("前端演示你好，世界张伟[研发部]李娜市场部点我");
  // demo.html#kiosk: the cursor hides after a few idle seconds, as on a kiosk display.
  const std::string hash = emscripten::val::global("location")["hash"].as<std::string>();
  g_frontend->set_cursor_hidden_when_idle(hash.find("kiosk") != std::string::npos);
  return 0;
}
