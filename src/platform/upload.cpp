#include "platform/upload.hpp"

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/url_config.hpp"

namespace gc::platform {

using emscripten::val;

namespace {

// The text of an error response: {"error": "..."} → "...", else the status line.
std::string upload_error_text(int status, const std::string& status_text, const std::string& body) {
  // Parsed from string_view iterators like the codec's frames: one parser in the .wasm.
  const std::string_view text(body);
  const auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (!json.is_discarded() && json.is_object()) {
    const auto it = json.find("error");
    if (it != json.end() && it->is_string() && !it->get<std::string>().empty())
      return "HTTP " + std::to_string(status) + ": " + it->get<std::string>();
  }
  std::string line = "HTTP " + std::to_string(status);
  if (!status_text.empty()) line += " " + status_text;
  return line;
}

}  // namespace

Upload::Upload(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}

std::unique_ptr<Upload> Upload::start(const core::UploadApi& api, const val& file,
                                      const std::string& name, Callbacks callbacks) {
  std::unique_ptr<Upload> up(new Upload(std::move(callbacks)));
  Upload* self = up.get();
  self->url_path_ = api.url_path;
  const double size = js_number(file, "size");
  self->total_ = size > 0 ? static_cast<std::uint64_t>(size) : 0;
  self->xhr_ = val::global("XMLHttpRequest").new_();
  const val& bridge = js_bridge();
  std::string error = bridge.call<std::string>("xhrOpen", self->xhr_, std::string("POST"), api.url);
  if (!error.empty()) {
    self->fail(error);  // reported synchronously; the caller must expect it
    return up;
  }
  val body = file;
  if (api.field.empty()) {
    self->xhr_.call<void>("setRequestHeader", std::string("X-File-Name"), core::percent_encode(name));
    const std::string type = js_string(file, "type");
    self->xhr_.call<void>("setRequestHeader", std::string("Content-Type"),
                          type.empty() ? std::string("application/octet-stream") : type);
  } else {
    body = val::global("FormData").new_();
    body.call<void>("append", api.field, file, name);
  }

  self->listeners_.push_back(std::make_unique<EventListener>(
      self->xhr_["upload"], "progress", [self](val e) {
        const double loaded = js_number(e, "loaded");
        const double total = e["lengthComputable"].as<bool>() ? js_number(e, "total") : 0;
        if (total > 0) self->total_ = static_cast<std::uint64_t>(total);
        if (self->callbacks_.progress)
          self->callbacks_.progress(static_cast<std::uint64_t>(loaded), self->total_);
      }));
  self->listeners_.push_back(
      std::make_unique<EventListener>(self->xhr_, "load", [self](val) { self->on_load(); }));
  self->listeners_.push_back(std::make_unique<EventListener>(
      self->xhr_, "error", [self](val) { self->fail("network error"); }));
  self->listeners_.push_back(std::make_unique<EventListener>(
      self->xhr_, "timeout", [self](val) { self->fail("timed out"); }));

  error = bridge.call<std::string>("xhrSend", self->xhr_, body);
  if (!error.empty()) self->fail(error);
  return up;
}

Upload::~Upload() {
  listeners_.clear();
  if (!done_ && !xhr_.isNull()) xhr_.call<void>("abort");
}

void Upload::abort() {
  if (done_) return;
  done_ = true;
  listeners_.clear();
  xhr_.call<void>("abort");
}

void Upload::on_load() {
  if (done_) return;
  const int status = xhr_["status"].as<int>();
  const std::string body = js_string(xhr_, "responseText");
  if (status >= 200 && status < 300) {
    const std::string url = core::upload_file_url(body, url_path_);
    if (url.empty())
      return fail("the file server's answer has no file URL at " +
                  (url_path_.empty() ? std::string("fileUrl") : url_path_));
    done_ = true;
    if (callbacks_.progress) callbacks_.progress(total_, total_);
    if (callbacks_.finished) callbacks_.finished(url);
    return;
  }
  fail(upload_error_text(status, js_string(xhr_, "statusText"), body), status == 413);
}

void Upload::fail(std::string reason, bool too_large) {
  if (done_) return;
  done_ = true;
  if (callbacks_.failed) callbacks_.failed(std::move(reason), too_large);
}

}  // namespace gc::platform
