# Dear ImGui 1.90.1 as the static library gc::imgui, fetched (checksum-verified, never
# committed) by src/third_party/fetch-imgui.sh into the build tree at configure time.
set(GC_IMGUI_DIR "${PROJECT_SOURCE_DIR}/build/deps/imgui-1.90.1" CACHE PATH "Dear ImGui 1.90.1 sources")
if(NOT EXISTS "${GC_IMGUI_DIR}/.verified")
  execute_process(COMMAND bash "${PROJECT_SOURCE_DIR}/src/third_party/fetch-imgui.sh" "${GC_IMGUI_DIR}"
                  RESULT_VARIABLE _gc_imgui_rc)
  if(NOT _gc_imgui_rc EQUAL 0)
    message(FATAL_ERROR "Could not fetch Dear ImGui 1.90.1 (see messages above)")
  endif()
endif()
add_library(gc_imgui STATIC
  "${GC_IMGUI_DIR}/imgui.cpp" "${GC_IMGUI_DIR}/imgui_draw.cpp" "${GC_IMGUI_DIR}/imgui_tables.cpp"
  "${GC_IMGUI_DIR}/imgui_widgets.cpp" "${GC_IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp"
  "${PROJECT_SOURCE_DIR}/src/third_party/imgui_stb.cpp")
add_library(gc::imgui ALIAS gc_imgui)
target_include_directories(gc_imgui SYSTEM PUBLIC "${GC_IMGUI_DIR}" "${GC_IMGUI_DIR}/misc/cpp")
# No demo window, no obsolete APIs: keep the Wasm small and the API of 1.90 only.
# 32-bit ImWchar: with the default 16-bit one, InputText turns every character above U+FFFF
# (emoji) into U+FFFD, so a typed emoji never reached the chat (tests/e2e scenario 5).
target_compile_definitions(gc_imgui PUBLIC IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_DEBUG_TOOLS
                                           IMGUI_DISABLE_OBSOLETE_FUNCTIONS IMGUI_DISABLE_OBSOLETE_KEYIO
                                           IMGUI_USE_WCHAR32)
target_compile_options(gc_imgui PRIVATE -w)
# One copy of stb_rect_pack and stb_truetype, in src/third_party/imgui_stb.cpp (ImGui's own
# builder and src/platform/font_builder.cpp's share it), not ImGui's static one.
target_compile_definitions(gc_imgui PRIVATE IMGUI_DISABLE_STB_TRUETYPE_IMPLEMENTATION
                                            IMGUI_DISABLE_STB_RECT_PACK_IMPLEMENTATION)
set_source_files_properties("${PROJECT_SOURCE_DIR}/src/third_party/imgui_stb.cpp" PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
