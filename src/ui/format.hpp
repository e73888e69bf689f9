// printf into a std::string, for the i18n table's format strings.
#pragma once

#include <string>

namespace gc::ui {

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
std::string format(const char* fmt, ...);

}  // namespace gc::ui
