// Frontend: the canvas, its WebGL2 context, the ImGui context and the frame scheduler.
// Input, text entry, clipboard and fonts each live in their own file; this one wires them
// together and exports the functions web/js/frontend.js calls (Module.gcFrontend_*).
#include "frontend.hpp"

#include <imgui_internal.h>  // ImGuiContext::InputEventsQueue: keep drawing until it drains

#include <GLES3/gl3.h>
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/em_js.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <emscripten/html5_webgl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "clipboard.hpp"
#include "fonts.hpp"
#include "ime.hpp"
#include "imgui_impl_webgl2.h"
#include "input.hpp"
#include "ui/draw_snapshot.hpp"

namespace gc::platform {

using emscripten::val;

namespace {

// ImGui needs a couple of frames after a change to settle (hover state, windows that size
// themselves on their second frame, the input queue trickling a key down and up).
constexpr int kSettleFrames = 3;
// The caret blinks (0.8 s on, 0.4 s off): a frame this often keeps it honest.
constexpr double kCaretFrameMs = 400.0;
constexpr double kCursorIdleMs = 3000.0;
// A rebuild of the glyph atlas blocks the page (up to a few hundred ms for a full one, see
// fonts.hpp): the next one waits at least this many times as long as the last one took, so
// text arriving faster than that cannot keep the main thread busy with atlases (issue 11
// item 6). New glyphs draw as U+FFFD meanwhile.
constexpr double kRebuildSpacing = 2.0;

Frontend::Impl* g_live = nullptr;  // one Frontend per page; JS callbacks find it here

const char* css_cursor(ImGuiMouseCursor cursor) {
  switch (cursor) {
    case ImGuiMouseCursor_None: return "none";
    case ImGuiMouseCursor_TextInput: return "text";
    case ImGuiMouseCursor_ResizeAll: return "move";
    case ImGuiMouseCursor_ResizeNS: return "ns-resize";
    case ImGuiMouseCursor_ResizeEW: return "ew-resize";
    case ImGuiMouseCursor_ResizeNESW: return "nesw-resize";
    case ImGuiMouseCursor_ResizeNWSE: return "nwse-resize";
    case ImGuiMouseCursor_Hand: return "pointer";
    case ImGuiMouseCursor_NotAllowed: return "not-allowed";
    default: return "default";
  }
}

}  // namespace

// Hands the module instance to web/js/frontend.js (-sMODULARIZE: there is no global Module).
EM_JS(void, gc_frontend_attach_glue, (const char* selector), {
  window.gcFrontend.attach(Module, UTF8ToString(selector));
});

struct Frontend::Impl {
  std::string selector;
  FrontendCallbacks cb;
  val glue = val::undefined();
  val canvas = val::undefined();
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  ImGuiContext* imgui = nullptr;
  bool renderer_ready = false;

  FontAtlas fonts;
  std::unique_ptr<InputBridge> input;
  std::unique_ptr<TextInput> text;
  std::unique_ptr<Clipboard> clipboard;

  long raf_id = 0;
  int frames_owed = 0;
  bool held = false;  // hold_frames()
  long caret_timer = 0;
  long hover_timer = 0;
  long cursor_timer = 0;
  long rebuild_timer = 0;
  bool hover_followup_sent = false;
  bool context_lost = false;

  double last_frame_ms = 0;
  int atlas_rebuilds = 0;
  double last_rebuild_ms = 0;
  double last_upload_ms = 0;
  double next_rebuild_at = 0;  // emscripten_get_now() before which a dirty atlas waits
  std::uint64_t frames = 0;
  // Frames whose draw data equals the last presented one are not submitted to GL
  // (ui/draw_snapshot.hpp); gl_generation changes with GL state the draw data does not show.
  ui::DrawSnapshot snapshot;
  std::uint64_t gl_generation = 0;
  std::uint64_t presented = 0;
  ImVec2 css_size{0, 0};
  float dpr = 1.0f;
  int fb_w = 0, fb_h = 0;

  ImGuiMouseCursor shown_cursor = -2;
  bool hide_cursor_when_idle = false;
  bool cursor_hidden = false;

  ~Impl();
  bool init();
  void wake(int n);
  void frame(double now_ms);
  // The canvas's CSS size and pixel ratio; `resize`: its drawing buffer follows them.
  void measure(bool resize);
  void after_frame();
  void rebuild_fonts_if_due();
  void on_mouse_moved();
  void show_cursor(ImGuiMouseCursor cursor);
  void clear_timer(long& id) {
    if (id) emscripten_clear_timeout(id);
    id = 0;
  }

  static EM_BOOL raf_cb(double now_ms, void* self) {
    static_cast<Impl*>(self)->frame(now_ms);
    return EM_FALSE;  // one-shot: the next frame is asked for only when needed
  }
  static void caret_cb(void* self) {
    auto* impl = static_cast<Impl*>(self);
    impl->caret_timer = 0;
    impl->wake(1);
  }
  static void hover_cb(void* self) {
    auto* impl = static_cast<Impl*>(self);
    impl->hover_timer = 0;
    impl->wake(kSettleFrames);  // a tooltip sizes itself over two frames
  }
  static void rebuild_cb(void* self) {
    auto* impl = static_cast<Impl*>(self);
    impl->rebuild_timer = 0;
    impl->wake(kSettleFrames);
  }
  static void cursor_idle_cb(void* self) {
    auto* impl = static_cast<Impl*>(self);
    impl->cursor_timer = 0;
    impl->cursor_hidden = true;
    impl->glue.call<void>("setCursor", std::string("none"));
  }
  static EM_BOOL context_lost_cb(int, const void*, void* self) {
    static_cast<Impl*>(self)->context_lost = true;
    std::fprintf(stderr, "gc::platform::Frontend: WebGL context lost, waiting for restore\n");
    return EM_TRUE;  // preventDefault: lets the browser restore the context
  }
  static EM_BOOL context_restored_cb(int, const void*, void* self) {
    auto* impl = static_cast<Impl*>(self);
    // Every GL object died with the old context: recreate program, buffers and the atlas.
    emscripten_webgl_make_context_current(impl->gl);
    ImGui_ImplWebGL2_Shutdown();
    impl->renderer_ready = ImGui_ImplWebGL2_Init();
    impl->context_lost = false;
    impl->snapshot.invalidate();  // the new context's canvas holds nothing yet
    impl->wake(kSettleFrames);
    return EM_FALSE;
  }
};

bool Frontend::Impl::init() {
  glue = val::global("gcFrontend");
  if (glue.isUndefined()) {
    std::fprintf(stderr, "gc::platform::Frontend: window.gcFrontend is missing (load js/frontend.js first)\n");
    return false;
  }
  canvas = val::global("document").call<val>("querySelector", selector);
  if (canvas.isNull()) {
    std::fprintf(stderr, "gc::platform::Frontend: no element matches %s\n", selector.c_str());
    return false;
  }

  // web/js/frontend-boot.js creates the context early with these same attributes.
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = EM_TRUE;  // transparent canvas: the <video> elements beneath show through
  attrs.premultipliedAlpha = EM_TRUE;
  attrs.antialias = EM_FALSE;  // ImGui anti-aliases its own geometry
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  attrs.preserveDrawingBuffer = EM_FALSE;  // the last frame stays on screen while idle anyway
  gl = emscripten_webgl_create_context(selector.c_str(), &attrs);
  if (gl <= 0) {
    std::fprintf(stderr, "gc::platform::Frontend: WebGL2 is not available (error %d)\n", static_cast<int>(gl));
    gl = 0;
    return false;
  }
  emscripten_webgl_make_context_current(gl);
  GLint max_texture_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size);
  fonts.set_max_texture_size(max_texture_size);
  emscripten_set_webglcontextlost_callback(selector.c_str(), this, EM_FALSE, context_lost_cb);
  emscripten_set_webglcontextrestored_callback(selector.c_str(), this, EM_FALSE, context_restored_cb);

  IMGUI_CHECKVERSION();
  imgui = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no file system; the app keeps what it needs in localStorage
  io.LogFilename = nullptr;
  io.BackendPlatformName = "gc_platform_web";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  const std::string platform = val::global("navigator")["platform"].as<std::string>();
  io.ConfigMacOSXBehaviors = platform.find("Mac") != std::string::npos ||
                             platform.find("iPhone") != std::string::npos ||
                             platform.find("iPad") != std::string::npos;
  io.SetPlatformImeDataFn = [](ImGuiViewport*, ImGuiPlatformImeData* data) {
    if (g_live && g_live->text) g_live->text->on_platform_ime_data(*data);
  };
  ImGui::StyleColorsDark();

  renderer_ready = ImGui_ImplWebGL2_Init();
  if (!renderer_ready) return false;

  text = std::make_unique<TextInput>(glue);
  clipboard = std::make_unique<Clipboard>(glue);
  clipboard->install(io);
  InputBridge::Hooks hooks;
  hooks.wake = [this] { wake(kSettleFrames); };
  hooks.mouse_moved = [this] { on_mouse_moved(); };
  hooks.paste_shortcut = [this] { clipboard->on_paste_shortcut(); };
  input = std::make_unique<InputBridge>(selector, glue, std::move(hooks));

  gc_frontend_attach_glue(selector.c_str());
  return true;
}

Frontend::Impl::~Impl() {
  if (g_live == this) g_live = nullptr;
  if (raf_id) emscripten_cancel_animation_frame(raf_id);
  clear_timer(caret_timer);
  clear_timer(hover_timer);
  clear_timer(cursor_timer);
  clear_timer(rebuild_timer);
  input.reset();
  text.reset();
  if (!glue.isUndefined()) glue.call<void>("detach");
  if (imgui) {
    ImGui::SetCurrentContext(imgui);
    if (clipboard) clipboard->uninstall(ImGui::GetIO());
    if (gl) emscripten_webgl_make_context_current(gl);
    if (ImGui::GetIO().BackendRendererUserData) ImGui_ImplWebGL2_Shutdown();
    ImGui::DestroyContext(imgui);
  }
  if (gl) {
    emscripten_set_webglcontextlost_callback(selector.c_str(), nullptr, EM_FALSE, nullptr);
    emscripten_set_webglcontextrestored_callback(selector.c_str(), nullptr, EM_FALSE, nullptr);
    emscripten_webgl_destroy_context(gl);
  }
}

void Frontend::Impl::wake(int n) {
  frames_owed = std::max(frames_owed, n);
  if (!raf_id && !held) raf_id = emscripten_request_animation_frame(raf_cb, this);
}

ImVec2 Frontend::css_size_of(const std::string& canvas_selector) {
  double w = 0, h = 0;
  emscripten_get_element_css_size(canvas_selector.c_str(), &w, &h);
  return ImVec2(static_cast<float>(std::max(w, 1.0)), static_cast<float>(std::max(h, 1.0)));
}

void Frontend::Impl::measure(bool resize) {
  dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (dpr <= 0) dpr = 1.0f;
  // One rectangle read of the canvas this Frontend holds gives its CSS size (what
  // css_size_of() reads, through a querySelector and a rectangle of its own) and its origin:
  // every frame measures, so a frame drawn for a ring or a level costs one read, not three.
  const val rect = canvas.call<val>("getBoundingClientRect");
  css_size = ImVec2(std::max(rect["width"].as<float>(), 1.0f), std::max(rect["height"].as<float>(), 1.0f));
  const int want_w = std::max(1, static_cast<int>(std::lround(css_size.x * dpr)));
  const int want_h = std::max(1, static_cast<int>(std::lround(css_size.y * dpr)));
  if (resize && (want_w != fb_w || want_h != fb_h)) {
    emscripten_set_canvas_element_size(selector.c_str(), want_w, want_h);
    fb_w = want_w;
    fb_h = want_h;
  }
  input->set_canvas_origin(ImVec2(rect["left"].as<float>(), rect["top"].as<float>()));
}

void Frontend::Impl::frame(double now_ms) {
  raf_id = 0;
  if (context_lost || !renderer_ready) return;
  frames_owed = std::max(0, frames_owed - 1);
  ImGui::SetCurrentContext(imgui);
  emscripten_webgl_make_context_current(gl);

  measure(true);
  rebuild_fonts_if_due();

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = css_size;
  io.DisplayFramebufferScale = ImVec2(fb_w / css_size.x, fb_h / css_size.y);
  io.DeltaTime = last_frame_ms > 0 ? static_cast<float>(std::max(now_ms - last_frame_ms, 0.1) / 1000.0) : 1.0f / 60.0f;
  last_frame_ms = now_ms;

  ImGui_ImplWebGL2_NewFrame();
  ImGui::NewFrame();
  if (cb.draw) cb.draw();
  ImGui::Render();

  // A settling frame or a live figure whose drawn form did not move draws what the canvas
  // already shows: not submitting it leaves the canvas as it is (no GPU work, no commit).
  if (!snapshot.unchanged(*ImGui::GetDrawData(), fb_w, fb_h, gl_generation)) {
    glViewport(0, 0, fb_w, fb_h);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplWebGL2_RenderDrawData(ImGui::GetDrawData());
    ++presented;
  }
  ++frames;
  after_frame();
}

void Frontend::Impl::rebuild_fonts_if_due() {
  if (!fonts.needs_rebuild(dpr)) return;
  const double t0 = emscripten_get_now();
  // New glyphs wait their turn (they draw as U+FFFD until then); a new pixel ratio or the
  // first atlas never does.
  if (fonts.built_for(dpr) && t0 < next_rebuild_at) {
    if (!rebuild_timer) rebuild_timer = emscripten_set_timeout(rebuild_cb, next_rebuild_at - t0, this);
    return;
  }
  clear_timer(rebuild_timer);
  fonts.rebuild(dpr);
  const double t1 = emscripten_get_now();
  ImGui_ImplWebGL2_DestroyFontsTexture();
  ImGui_ImplWebGL2_CreateFontsTexture();
  ++gl_generation;  // a new texture (the draw data may even name the same id)
  const double t2 = emscripten_get_now();
  last_rebuild_ms = t2 - t0;
  last_upload_ms = t2 - t1;
  next_rebuild_at = t2 + kRebuildSpacing * last_rebuild_ms;
  ++atlas_rebuilds;
  // Glyphs left for the next build (fonts.hpp kMaxNewGlyphs): it comes without a frame's asking.
  if (fonts.needs_rebuild(dpr)) rebuild_timer = emscripten_set_timeout(rebuild_cb, next_rebuild_at - t2, this);
}

void Frontend::Impl::after_frame() {
  ImGuiIO& io = ImGui::GetIO();
  if (frames == 1) {
    glue.call<void>("firstFrame");
    glue.call<void>("loadFallbackFonts");  // after the first paint, never before it
  }
  // Text with an emoji reached the atlas (this frame drew it as U+FFFD): fetch the emoji font.
  if (fonts.take_emoji_font_request()) glue.call<void>("loadEmojiFont");
  // The active text field is a password field: ImGui copies the field's flags into its
  // text state every frame the field is active, the activation frame included.
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const bool password = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId &&
                        (g.InputTextState.Flags & ImGuiInputTextFlags_Password) != 0;
  // The field as it is after this frame (io.WantTextInput still says what the last one
  // had: a field the accessibility mirror's Tab let go this frame must not take the focus
  // back). Its text and caret go to the mirror's copy of the field.
  const bool editing = g.ActiveId != 0 && g.InputTextState.ID == g.ActiveId;
  const ImGuiInputTextState& field = g.InputTextState;
  int caret = -1;  // the cursor counts codepoints (ImWchar is 32-bit); the DOM, UTF-16 units
  if (editing) {
    caret = 0;
    for (int i = 0; i < field.Stb.cursor && i < field.TextW.Size; ++i) caret += field.TextW[i] > 0xFFFF ? 2 : 1;
  }
  text->sync(io.WantTextInput && editing, password, editing ? field.ID : 0,
             editing && !password ? std::string(field.TextA.Data, static_cast<std::size_t>(field.CurLenA)) : std::string(),
             caret);
  if (!cursor_hidden) show_cursor(io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor());

  // Events queued but not yet consumed (ImGui trickles a key down/up over two frames).
  if (!ImGui::GetCurrentContext()->InputEventsQueue.empty()) frames_owed = std::max(frames_owed, 1);
  if (frames_owed > 0) {
    wake(frames_owed);
    return;
  }
  // Idle from here on: only the caret and delayed tooltips may ask for a frame later.
  if (text->active() && input->window_focused() && io.ConfigInputTextCursorBlink && !caret_timer) {
    caret_timer = emscripten_set_timeout(caret_cb, kCaretFrameMs, this);
  }
  if (ImGui::IsAnyItemHovered() && !hover_followup_sent && !hover_timer) {
    hover_followup_sent = true;
    hover_timer = emscripten_set_timeout(hover_cb, (ImGui::GetStyle().HoverDelayNormal + 0.05) * 1000.0, this);
  }
}

void Frontend::Impl::show_cursor(ImGuiMouseCursor cursor) {
  if (cursor == shown_cursor) return;
  shown_cursor = cursor;
  glue.call<void>("setCursor", std::string(css_cursor(cursor)));
}

void Frontend::Impl::on_mouse_moved() {
  hover_followup_sent = false;
  clear_timer(hover_timer);
  if (!hide_cursor_when_idle) return;
  if (cursor_hidden) {
    cursor_hidden = false;
    const ImGuiMouseCursor c = shown_cursor;
    shown_cursor = -2;
    show_cursor(c);
  }
  clear_timer(cursor_timer);
  cursor_timer = emscripten_set_timeout(cursor_idle_cb, kCursorIdleMs, this);
}

// ---------------------------------------------------------------------------------------

Frontend::Frontend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Frontend::~Frontend() = default;

std::unique_ptr<Frontend> Frontend::create(const std::string& canvas_selector, FrontendCallbacks cb) {
  if (g_live) {
    std::fprintf(stderr, "gc::platform::Frontend: only one Frontend per page\n");
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->selector = canvas_selector;
  impl->cb = std::move(cb);
  if (!impl->init()) return nullptr;
  g_live = impl.get();
  // logical_size() is right before the first frame (the kiosk sizes text by it). The drawing
  // buffer is sized by the first frame, not now: a resized WebGL canvas is composited (with
  // no GPU, read back whole on this thread) even with nothing drawn, and a kiosk's first
  // frame waits for its first page's video (issue 12).
  impl->measure(false);
  impl->wake(kSettleFrames);
  return std::unique_ptr<Frontend>(new Frontend(std::move(impl)));
}

void Frontend::request_frame() { impl_->wake(kSettleFrames); }
void Frontend::hold_frames(bool held) {
  Impl& f = *impl_;
  f.held = held;
  if (held && f.raf_id) {
    emscripten_cancel_animation_frame(f.raf_id);
    f.raf_id = 0;
    f.frames_owed = std::max(f.frames_owed, 1);
  }
  if (!held && f.frames_owed > 0) f.wake(f.frames_owed);
}
void Frontend::request_one_frame() { impl_->wake(1); }

void Frontend::ensure_glyphs(std::string_view utf8) {
  impl_->fonts.request(utf8);
  if (impl_->fonts.needs_rebuild(impl_->dpr)) impl_->wake(kSettleFrames);
}

void Frontend::set_text_size(float css_px) {
  impl_->fonts.set_text_size(css_px);
  if (impl_->fonts.needs_rebuild(impl_->dpr)) impl_->wake(kSettleFrames);
}

ImVec2 Frontend::logical_size() const { return impl_->css_size; }
float Frontend::pixel_ratio() const { return impl_->dpr; }
std::uint64_t Frontend::frames_drawn() const { return impl_->frames; }

bool Frontend::frames_pending() const {
  return impl_->raf_id != 0 || impl_->frames_owed > 0 || impl_->rebuild_timer != 0;
}

void Frontend::set_cursor_hidden_when_idle(bool hidden) {
  impl_->hide_cursor_when_idle = hidden;
  if (hidden) {
    impl_->on_mouse_moved();  // starts the idle timer
  } else {
    impl_->clear_timer(impl_->cursor_timer);
    if (impl_->cursor_hidden) {
      impl_->cursor_hidden = false;
      const ImGuiMouseCursor c = impl_->shown_cursor;
      impl_->shown_cursor = -2;
      impl_->show_cursor(c);
    }
  }
}

// --- called from web/js/frontend.js ----------------------------------------------------
namespace {

void js_text(const std::string& utf8) {
  if (!g_live) return;
  g_live->fonts.request(utf8);
  ImGui::SetCurrentContext(g_live->imgui);
  g_live->text->on_text(utf8);
  g_live->wake(kSettleFrames);
}

void js_paste(const std::string& utf8) {
  if (!g_live || !g_live->text->active()) return;
  g_live->fonts.request(utf8);
  ImGui::SetCurrentContext(g_live->imgui);
  g_live->clipboard->on_paste(utf8);
  g_live->wake(kSettleFrames);
}

void js_composing(bool composing) {
  if (g_live) g_live->text->set_composing(composing);
}

void js_font_loaded(int index, const val& bytes) {
  if (!g_live || index < 0) return;
  const auto length = bytes["length"].as<std::size_t>();
  std::vector<unsigned char> ttf(length);
  val(emscripten::typed_memory_view(ttf.size(), ttf.data())).call<void>("set", bytes);
  g_live->fonts.set_fallback_font(static_cast<std::size_t>(index), std::move(ttf));
  g_live->wake(kSettleFrames);
}

void js_emoji_font_loaded(const val& bytes) {
  if (!g_live) return;
  std::vector<unsigned char> ttf(bytes["length"].as<std::size_t>());
  val(emscripten::typed_memory_view(ttf.size(), ttf.data())).call<void>("set", bytes);
  g_live->fonts.set_emoji_font(std::move(ttf));
  g_live->wake(kSettleFrames);
}

void js_emoji_font_failed(const std::string& why) {
  if (g_live) g_live->fonts.emoji_font_failed();
  std::fprintf(stderr, "gc::platform::Frontend: emoji font not loaded (%s); emoji show as '?'\n", why.c_str());
}

void js_font_failed(const std::string& why) {
  std::fprintf(stderr, "gc::platform::Frontend: fallback font not loaded (%s); what it covers shows as '?'\n",
               why.c_str());
}

void js_file_dropped(const val& file) {
  if (g_live && g_live->cb.file_dropped) g_live->cb.file_dropped(file);
}

void js_wake() {
  if (g_live) g_live->wake(kSettleFrames);
}

double js_frames_drawn() { return g_live ? static_cast<double>(g_live->frames) : 0.0; }

// Diagnostics for tests (window.gcFrontend.stats(), and state().fonts through
// web/js/bridges.js): frames drawn, atlas rebuilds and their cost (lastUploadMs of it the
// texture upload), the atlas's size and glyphs, and its bounds (fonts.hpp): maxTextureSize
// (GL_MAX_TEXTURE_SIZE), glyphBudget, missingGlyphs (over the budget, drawn as U+FFFD),
// withoutFont (in no loaded font yet, drawn as U+FFFD), requested, emojiFont (notNeeded,
// wanted, fetching, loaded or failed).
std::string js_stats() {
  if (!g_live) return "{}";
  ImGui::SetCurrentContext(g_live->imgui);
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  const FontAtlas& f = g_live->fonts;
  const int glyphs = atlas->Fonts.empty() ? 0 : atlas->Fonts[0]->Glyphs.Size;
  static constexpr const char* kEmojiStates[] = {"notNeeded", "wanted", "fetching", "loaded", "failed"};
  char buf[600];
  std::snprintf(buf, sizeof(buf),
                "{\"frames\":%.0f,\"presented\":%.0f,\"atlasRebuilds\":%d,\"lastRebuildMs\":%.1f,\"lastUploadMs\":%.1f,"
                "\"glyphs\":%d,\"atlasWidth\":%d,\"atlasHeight\":%d,\"pixelRatio\":%.2f,"
                "\"maxTextureSize\":%d,\"glyphBudget\":%zu,\"missingGlyphs\":%zu,\"withoutFont\":%zu,"
                "\"requested\":%zu,\"rebuildWaiting\":%s,\"emojiFont\":\"%s\",\"lastRasterised\":%zu,\"lastReused\":%zu}",
                static_cast<double>(g_live->frames), static_cast<double>(g_live->presented), g_live->atlas_rebuilds, g_live->last_rebuild_ms,
                g_live->last_upload_ms, glyphs, atlas->TexWidth, atlas->TexHeight, g_live->dpr,
                f.max_texture_size(), f.glyph_budget(), f.over_budget(), f.without_font(), f.requested_count(),
                g_live->rebuild_timer ? "true" : "false", kEmojiStates[static_cast<int>(f.emoji_font())],
                f.last_rasterised(), f.last_reused());
  return buf;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gc_frontend) {
  emscripten::function("gcFrontend_text", &js_text);
  emscripten::function("gcFrontend_paste", &js_paste);
  emscripten::function("gcFrontend_composing", &js_composing);
  emscripten::function("gcFrontend_fontLoaded", &js_font_loaded);
  emscripten::function("gcFrontend_fontFailed", &js_font_failed);
  emscripten::function("gcFrontend_emojiFontLoaded", &js_emoji_font_loaded);
  emscripten::function("gcFrontend_emojiFontFailed", &js_emoji_font_failed);
  emscripten::function("gcFrontend_fileDropped", &js_file_dropped);
  emscripten::function("gcFrontend_wake", &js_wake);
  emscripten::function("gcFrontend_framesDrawn", &js_frames_drawn);
  emscripten::function("gcFrontend_stats", &js_stats);
}

}  // namespace gc::platform
