# nlohmann/json as the INTERFACE target gc::json.
# Native: Debian's nlohmann-json3-dev via find_package.
# Emscripten: /usr/include must never be on the Wasm include path (it would pull glibc
# headers into the Wasm build), so the nlohmann headers are staged into the build tree.
add_library(gc_json INTERFACE)
add_library(gc::json ALIAS gc_json)
if(EMSCRIPTEN)
  set(_gc_json_src "")
  foreach(_cand /usr/include/nlohmann /usr/local/include/nlohmann)
    if(EXISTS "${_cand}/json.hpp")
      set(_gc_json_src "${_cand}")
      break()
    endif()
  endforeach()
  if(NOT _gc_json_src)
    message(FATAL_ERROR "nlohmann/json.hpp not found: install nlohmann-json3-dev (tests/setup.sh)")
  endif()
  set(_gc_json_stage "${CMAKE_BINARY_DIR}/staged-include")
  file(COPY "${_gc_json_src}" DESTINATION "${_gc_json_stage}")
  target_include_directories(gc_json SYSTEM INTERFACE "${_gc_json_stage}")
  # Built without exceptions: nlohmann must agree in every translation unit.
  target_compile_definitions(gc_json INTERFACE JSON_NOEXCEPTION)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  target_link_libraries(gc_json INTERFACE nlohmann_json::nlohmann_json)
endif()
