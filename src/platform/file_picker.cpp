#include "platform/file_picker.hpp"

namespace gc::platform {

using emscripten::val;

FilePicker::FilePicker(std::function<void(std::vector<val>)> picked) : picked_(std::move(picked)) {
  const val document = val::global("document");
  input_ = document.call<val>("createElement", std::string("input"));
  input_.set("type", "file");
  input_.set("multiple", true);
  input_.set("id", "gc-file-picker");
  input_["style"].set("display", "none");
  document["body"].call<void>("appendChild", input_);
  change_ = std::make_unique<EventListener>(input_, "change", [this](val) {
    std::vector<val> files;
    const val list = input_["files"];
    const int n = list.isNull() ? 0 : list["length"].as<int>();
    for (int i = 0; i < n; ++i) files.push_back(list[i]);
    input_.set("value", "");
    if (!files.empty() && picked_) picked_(std::move(files));
  });
}

FilePicker::~FilePicker() {
  change_.reset();
  input_.call<void>("remove");
}

void FilePicker::open() { input_.call<void>("click"); }

}  // namespace gc::platform
