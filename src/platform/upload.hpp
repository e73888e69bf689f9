// One file upload: XMLHttpRequest POST of the raw bytes to the upload endpoint (default
// same-origin "/upload"), header X-File-Name: encodeURIComponent(name). The reference
// server (tests/server) answers 200 {fileUrl, fileName, size}, or an error status with
// {error: "..."} (413 when the file is too large).
//
// Reports progress (bytes sent / total), finished(fileUrl), or failed(reason) with the
// server's error text when it sent one. abort() cancels without a report. The destructor
// aborts a running request and drops its listeners, so nothing fires afterwards. Heap only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "core/deploy_config.hpp"
#include "platform/bridge_callback.hpp"
#include "platform/callbacks.hpp"

namespace gc::platform {

class Upload {
 public:
  using Callbacks = UploadCallbacks;

  // file: a JS File or Blob; name: its file name. api.field "" (the reference server's API):
  // the file is the raw body and X-File-Name carries the name; otherwise a multipart form
  // with the file in that field (no custom header: a cross-origin file server sees a
  // simple request). The answer's file URL is read at api.url_path (core::upload_file_url).
  static std::unique_ptr<Upload> start(const core::UploadApi& api, const emscripten::val& file,
                                       const std::string& name, Callbacks callbacks);
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  void abort();
  bool done() const { return done_; }

 private:
  explicit Upload(Callbacks callbacks);
  void on_load();
  void fail(std::string reason, bool too_large = false);

  Callbacks callbacks_;
  emscripten::val xhr_ = emscripten::val::null();
  std::vector<std::unique_ptr<EventListener>> listeners_;
  std::string url_path_;
  std::uint64_t total_ = 0;
  bool done_ = false;
};

}  // namespace gc::platform
