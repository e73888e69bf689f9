// Entry point: reads config.json (before anything connects) and the page (location,
// language, time zone), creates the one Client and exports the test hook functions that
// web/js/bridges.js wraps as window.groupcall.
#include <memory>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "app/client.hpp"
#include "app/web_bridges.hpp"
#include "core/deploy_config.hpp"
#include "core/links.hpp"
#include "platform/bridge_callback.hpp"

namespace {

using emscripten::val;

std::unique_ptr<gc::app::Client> g_client;
std::unique_ptr<gc::platform::PromiseHandlers> g_config_pending;

std::string string_or_empty(const val& v) { return v.isString() ? v.as<std::string>() : std::string(); }

std::string groupcall_state() { return g_client ? g_client->state_json() : std::string("null"); }
std::string groupcall_regions() { return g_client ? g_client->regions_json() : std::string("[]"); }
bool groupcall_upload_file(val file) { return g_client && g_client->upload_file(gc::app::picked_file(file)); }
void groupcall_send_chat(std::string text) {
  if (g_client) g_client->send_chat(text);
}
void groupcall_leave() {
  if (g_client) g_client->leave();
}
void groupcall_enable_sound() {
  if (g_client) g_client->enable_sound();
}

void start_client(gc::core::DeployConfig deploy) {
  if (g_client) return;
  const val location = val::global("location");
  gc::app::PageInfo page;
  page.hash = string_or_empty(location["hash"]);
  // The password leaves the address bar (and so history, bookmarks and screen shares) as
  // soon as it is read; the client keeps it in memory only.
  const std::string kept = gc::core::fragment_without(page.hash, "pw");
  if (kept != gc::core::fragment_without(page.hash, "")) {
    const std::string url = string_or_empty(location["pathname"]) + string_or_empty(location["search"]) +
                            (kept.empty() ? std::string() : "#" + kept);
    val::global("history").call<void>("replaceState", val::global("history")["state"], std::string(), url);
  }
  page.protocol = string_or_empty(location["protocol"]);
  page.host = string_or_empty(location["host"]);
  page.language = string_or_empty(val::global("navigator")["language"]);
  page.utc_offset_minutes = -val::global("Date").new_().call<int>("getTimezoneOffset");
  // Relative fileUrls resolve against config.json's files base, else this page, and no
  // link may lead back to this page (links.hpp).
  gc::core::set_link_base({string_or_empty(location["origin"]) + string_or_empty(location["pathname"]),
                           deploy.files});
  g_client = gc::app::Client::create(page, std::move(deploy), gc::app::make_web_bridges());
}

}  // namespace

EMSCRIPTEN_BINDINGS(groupcall_test_hook) {
  emscripten::function("groupcallState", &groupcall_state);
  emscripten::function("groupcallRegions", &groupcall_regions);
  emscripten::function("groupcallUploadFile", &groupcall_upload_file);
  emscripten::function("groupcallSendChat", &groupcall_send_chat);
  emscripten::function("groupcallLeave", &groupcall_leave);
  emscripten::function("groupcallEnableSound", &groupcall_enable_sound);
}

int main() {
  // config.json first (web/js/bridges.js loadConfig: settles within 5 s, never rejects):
  // the client, and with it every socket and camera request, exists only once it is known.
  const val loading = gc::platform::js_bridge().call<val>("loadConfig");
  g_config_pending = std::make_unique<gc::platform::PromiseHandlers>(
      [](val r) {
        start_client(gc::core::deploy_config_from_fetch(
            static_cast<int>(gc::platform::js_number(r, "status")), gc::platform::js_string(r, "contentType"),
            gc::platform::js_string(r, "body"), gc::platform::js_string(r, "error")));
      },
      [](val e) {
        start_client(gc::core::deploy_config_from_fetch(0, "", "", gc::platform::js_describe(e)));
      });
  gc::platform::js_then(loading, *g_config_pending);
  // Returning keeps the runtime alive (EXIT_RUNTIME=0): everything runs from callbacks.
  return 0;
}
