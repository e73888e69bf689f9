// dear imgui: Renderer Backend for WebGL2 (Emscripten), in the shape of imgui_impl_opengl3.
// See the top of imgui_impl_webgl2.cpp for what it implements and how it deviates.
#pragma once

#include <imgui.h>

// Call after the WebGL2 context is current. Returns false (and logs why) when the shaders
// do not compile or link.
IMGUI_IMPL_API bool ImGui_ImplWebGL2_Init();
IMGUI_IMPL_API void ImGui_ImplWebGL2_Shutdown();
// Creates the device objects (program, buffers, font texture) on first use.
IMGUI_IMPL_API void ImGui_ImplWebGL2_NewFrame();
// Draws into the currently bound framebuffer; does not clear it. GL state is restored.
IMGUI_IMPL_API void ImGui_ImplWebGL2_RenderDrawData(ImDrawData* draw_data);

// Called by the functions above; exposed so the font atlas can be rebuilt at run time (CJK
// glyphs added on demand) and so a lost-and-restored WebGL context can be recovered.
// Call them between frames, never between ImGui::NewFrame() and ImGui::Render().
IMGUI_IMPL_API bool ImGui_ImplWebGL2_CreateFontsTexture();
IMGUI_IMPL_API void ImGui_ImplWebGL2_DestroyFontsTexture();
IMGUI_IMPL_API bool ImGui_ImplWebGL2_CreateDeviceObjects();
IMGUI_IMPL_API void ImGui_ImplWebGL2_DestroyDeviceObjects();
